"""Is this certificate genuine? Offline, from the PDF or the code, with the public key and the register.

Four answers: valid, revoked, tampered (facts, signature or visible text do not match) and unknown (not one
of ours: no embedded data, a foreign key, a mistyped or unregistered code).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from scm_lms.certify.facts import Facts, FactsError, number_is_well_formed
from scm_lms.certify.pdf import ATTACHMENT, FORMAT, mornings_text
from scm_lms.certify.register import Register
from scm_lms.certify.signing import Signature, is_valid, key_id

Status = Literal["valid", "revoked", "tampered", "unknown"]
STATUS_DE: dict[Status, str] = {
    "valid": "gültig",
    "revoked": "gesperrt",
    "tampered": "verfälscht",
    "unknown": "unbekannt",
}


@dataclass(frozen=True)
class Verdict:
    status: Status
    reason: str
    """German, for the person checking."""
    facts: Facts | None = None


def check_signed(facts_json: str, signature: Signature, public: Ed25519PublicKey) -> Verdict:
    """The signature over these exact canonical bytes, and that they are canonical facts."""
    if signature.key_id != key_id(public):
        return Verdict(
            "unknown", f"mit einem anderen Schlüssel ({signature.key_id}) signiert, nicht mit unserem"
        )
    if not is_valid(public, facts_json.encode("utf-8"), signature):
        return Verdict("tampered", "die Signatur passt nicht zu den Zertifikatsangaben")
    try:
        facts = Facts.from_dict(json.loads(facts_json))
    except (FactsError, ValueError) as error:
        return Verdict("tampered", f"signierte Angaben sind kein Zertifikat: {error}")
    if facts.canonical().decode("utf-8") != facts_json:
        return Verdict("tampered", "signierte Angaben sind nicht in kanonischer Form")
    return Verdict("valid", "Signatur gültig", facts)


def _with_register(verdict: Verdict, register: Register | None) -> Verdict:
    if verdict.status != "valid" or verdict.facts is None:
        return verdict
    if register is None:
        return Verdict(
            "valid", "Signatur gültig (Sperrliste nicht geprüft: kein Register angegeben)", verdict.facts
        )
    issued = register.get(verdict.facts.number)
    if issued is None:
        return Verdict("unknown", f"Nummer {verdict.facts.number} steht nicht im Register", verdict.facts)
    if issued.facts_json != verdict.facts.canonical().decode("utf-8"):
        return Verdict("tampered", "Angaben weichen vom Register ab", verdict.facts)
    if issued.revoked:
        return Verdict("revoked", f"gesperrt am {issued.revoked_at}: {issued.revoke_reason}", verdict.facts)
    return Verdict("valid", "Signatur gültig, im Register und nicht gesperrt", verdict.facts)


def verify_pdf(data: bytes, public: Ed25519PublicKey, register: Register | None = None) -> Verdict:
    try:
        reader = PdfReader(io.BytesIO(data))
        embedded = reader.attachments.get(ATTACHMENT)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        return Verdict("tampered", f"PDF beschädigt oder nicht lesbar ({type(error).__name__})")
    if not embedded:
        return Verdict("unknown", f"keine eingebetteten Zertifikatsangaben ({ATTACHMENT}) gefunden")
    try:
        record = json.loads(embedded[0].decode("utf-8"))
        if record.get("format") != FORMAT:
            return Verdict("unknown", f"unbekanntes Format {record.get('format')!r}")
        facts_json = record["facts"]
        signature = Signature(str(record["key_id"]), str(record["signature"]))
    except (UnicodeDecodeError, ValueError, KeyError, AttributeError, TypeError):
        return Verdict("tampered", f"{ATTACHMENT} ist beschädigt")
    if not isinstance(facts_json, str):
        return Verdict("tampered", f"{ATTACHMENT}: Angaben fehlen")
    verdict = check_signed(facts_json, signature, public)
    if verdict.facts is not None:
        try:
            text = "".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            return Verdict("tampered", f"Seiteninhalt nicht lesbar ({type(error).__name__})")
        flat = " ".join(text.split())
        shown = [("Name", verdict.facts.name), ("Nummer", verdict.facts.number)]
        if verdict.facts.mornings is not None:
            shown.append(("Vormittage", mornings_text(verdict.facts.mornings)))
        for label, value in shown:
            if " ".join(value.split()) not in flat:
                return Verdict("tampered", f"sichtbarer Text passt nicht zu den signierten Angaben ({label})")
    return _with_register(verdict, register)


def verify_code(code: str, public: Ed25519PublicKey, register: Register) -> Verdict:
    number = code.strip().upper()
    if not number_is_well_formed(number):
        return Verdict(
            "unknown", f"{code!r} ist keine gültige Zertifikatsnummer (Prüfzeichen falsch, Tippfehler?)"
        )
    issued = register.get(number)
    if issued is None:
        return Verdict("unknown", f"Nummer {number} steht nicht im Register")
    return _with_register(check_signed(issued.facts_json, issued.signature, public), register)
