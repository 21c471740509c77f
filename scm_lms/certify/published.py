"""Signed lists the static verification page reads: revoked numbers and, only if chosen, issued ones.

Each list is canonical JSON signed with the issuer's Ed25519 key, like a certificate, so a list swapped or
edited on the web space is refused by the page. The revocation list names numbers and dates only (no
reasons: they can be personal); the issued list holds just what a certificate itself states and is
published only when the admin asks for it (data protection). Both carry the time they were made, so the
page can show how old they are.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scm_base.atomic import write_atomic
from scm_base.errors import ToolkitError
from scm_lms.certify.facts import canonical_json
from scm_lms.certify.register import Issued
from scm_lms.certify.signing import key_id, sign

REVOKED_FORMAT = "scm-lms-sperrliste/1"
ISSUED_FORMAT = "scm-lms-ausgestellt/1"
REVOKED_FILE = "sperrliste.js"
ISSUED_FILE = "ausgestellt.js"
KEYS_FILE = "schluessel.js"
SETTINGS_SUFFIX = ".pruefseite.json"
"""Beside the ledger: where the page lives, so every command that writes the register refreshes it."""


class PageError(ToolkitError):
    """The page settings are unreadable or the page cannot be written; the message says what to do."""


def raw_public(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def signed_record(fmt: str, content: dict[str, object], key: Ed25519PrivateKey) -> dict[str, str]:
    """The list as a canonical string plus its signature (the page verifies exactly these bytes)."""
    canonical = canonical_json(content)
    signature = sign(key, canonical)
    return {
        "format": fmt,
        "list": canonical.decode("utf-8"),
        "key_id": signature.key_id,
        "signature": signature.value,
    }


def revoked_content(issued: list[Issued], created: str) -> dict[str, object]:
    rows = [{"number": c.number, "revoked_at": c.revoked_at} for c in issued if c.revoked]
    return {"created": created, "revoked": sorted(rows, key=lambda row: str(row["number"]))}


def issued_content(issued: list[Issued], created: str) -> dict[str, object]:
    rows = []
    for certificate in issued:
        facts = certificate.facts
        rows.append(
            {
                "number": facts.number,
                "name": facts.name,
                "programme": facts.programme,
                "durchgang": facts.durchgang,
                "date": facts.date,
            }
        )
    return {"created": created, "certificates": sorted(rows, key=lambda row: row["number"])}


def script(variable: str, data: object) -> bytes:
    """A data file as a script, because `fetch` is refused for file:// pages; it only assigns JSON."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f"window.{variable} = {text};\n".encode()


@dataclass(frozen=True)
class PageSettings:
    out_dir: Path
    publish_issued: bool
    previous_keys: tuple[str, ...] = ()
    """Base64 raw public keys still accepted for certificates they signed (key rotation)."""
    current_key: str = ""
    """The key the page was last made with; when it changes, it joins the previous keys."""

    def to_json(self) -> bytes:
        data = {
            "out_dir": str(self.out_dir),
            "publish_issued": self.publish_issued,
            "previous_keys": list(self.previous_keys),
            "current_key": self.current_key,
        }
        return json.dumps(data, indent=2).encode("utf-8")


def settings_path(db: Path) -> Path:
    return db.with_name(db.name + SETTINGS_SUFFIX)


def load_settings(db: Path) -> PageSettings | None:
    path = settings_path(db)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PageSettings(
            Path(str(data["out_dir"])),
            bool(data["publish_issued"]),
            tuple(str(k) for k in data.get("previous_keys", [])),
            str(data.get("current_key", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PageError(
            f"{path} ist nicht lesbar ({type(error).__name__}); mit „scm-lms cert page“ neu schreiben"
        ) from None


def save_settings(db: Path, settings: PageSettings) -> None:
    write_atomic(settings_path(db), settings.to_json(), mode=0o600)


def keys_data(key: Ed25519PrivateKey, previous: tuple[str, ...]) -> list[dict[str, str]]:
    current = key.public_key()
    rows = [{"key_id": key_id(current), "public": raw_public(current), "role": "aktuell"}]
    for raw in previous:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(raw))
        if key_id(public) != rows[0]["key_id"]:
            rows.append({"key_id": key_id(public), "public": raw, "role": "früher"})
    return rows


def write_lists(
    out_dir: Path, issued: list[Issued], key: Ed25519PrivateKey, *, publish_issued: bool, created: str
) -> None:
    """Refresh the signed lists; with publishing off, an issued list published before is emptied."""
    write_atomic(
        out_dir / REVOKED_FILE,
        script("scmSperrliste", signed_record(REVOKED_FORMAT, revoked_content(issued, created), key)),
    )
    target = out_dir / ISSUED_FILE
    if publish_issued:
        record = signed_record(ISSUED_FORMAT, issued_content(issued, created), key)
        write_atomic(target, script("scmAusgestellt", record))
    else:
        write_atomic(target, script("scmAusgestellt", None))
