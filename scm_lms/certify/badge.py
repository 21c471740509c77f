"""A certificate as an Open Badges 3.0 `OpenBadgeCredential`, secured as a VC-JWT (EdDSA, Ed25519).

Why VC-JWT and not an embedded DataIntegrityProof: `eddsa-rdfc-2022` needs RDF dataset canonicalisation of
the JSON-LD (with its contexts fetched or pinned), which we cannot do correctly offline with our
dependencies; a JWS over the JSON payload needs only the same Ed25519 key as the PDF. As Open Badges 3.0
§8.2 describes, the JWT payload is the credential itself (no `vc` wrapper) plus `iss` (issuer id), `jti`
(credential id) and `nbf` (validFrom); the JOSE header names the key (`kid`) and carries it as a `jwk`.

Privacy: the subject is identified by name only (an `IdentityObject` with `identityType: name`), the one
personal fact the paper certificate shows as well; no e-mail, no registration id.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scm_base.errors import ToolkitError
from scm_lms.certify.facts import Facts, canonical_json
from scm_lms.certify.signing import key_id

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


class BadgeError(ToolkitError, ValueError):
    """A VC-JWT that is malformed, not ours or not intact."""


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issuer_id(verify_url: str, public: Ed25519PublicKey) -> str:
    """The issuer's URI: the verification site when there is one, else a URN naming our key."""
    return verify_url.strip() or f"urn:scm-lms:issuer:{key_id(public)}"


def credential(facts: Facts, *, issuer: str, verify_url: str) -> dict[str, Any]:
    modules = "; ".join(f"Modul {m.number}: {m.title} ({m.hours} Std.)" for m in facts.modules)
    valid_from = dt.datetime.fromisoformat(facts.date).replace(tzinfo=dt.UTC)
    page = verify_url.strip()
    return {
        "@context": CONTEXTS,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "id": f"{page}?code={facts.number}" if page else f"urn:scm-lms:certificate:{facts.number}",
        "issuer": {"id": issuer, "type": ["Profile"], "name": facts.issuer},
        "validFrom": valid_from.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "name": f"Zertifikat {facts.programme}",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": facts.name,
                }
            ],
            "achievement": {
                "id": f"urn:scm-lms:achievement:{facts.programme.lower().replace(' ', '-')}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": facts.programme,
                "description": f"Qualifizierung „{facts.programme}“ mit {facts.hours} Stunden in "
                f"{len(facts.modules)} Modulen (Durchgang {facts.durchgang}).",
                "criteria": {
                    "narrative": f"Jedes Modul mit der Bestehensgrenze abgeschlossen. {modules}.",
                },
            },
        },
    }


def sign_jwt(claims: dict[str, Any], key: Ed25519PrivateKey) -> str:
    public = key.public_key()
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    header = {
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": key_id(public),
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)},
    }
    valid_from = dt.datetime.strptime(claims["validFrom"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    payload = {
        **claims,
        "iss": claims["issuer"]["id"],
        "jti": claims["id"],
        "nbf": int(valid_from.timestamp()),
    }
    signing_input = f"{b64url_encode(canonical_json(header))}.{b64url_encode(canonical_json(payload))}"
    return f"{signing_input}.{b64url_encode(key.sign(signing_input.encode('ascii')))}"


def verify_jwt(token: str, public: Ed25519PublicKey) -> dict[str, Any]:
    """The payload of a VC-JWT signed by `public`; raises BadgeError otherwise (header key is not trusted)."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise BadgeError("kein JWT (erwartet drei durch Punkte getrennte Teile)")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError) as error:
        raise BadgeError(f"JWT nicht lesbar: {error}") from None
    if header.get("alg") != "EdDSA" or header.get("kid") != key_id(public):
        raise BadgeError("JWT ist nicht mit unserem Ed25519-Schlüssel signiert")
    try:
        public.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        raise BadgeError("Signatur des JWT ungültig (verändert?)") from None
    if not isinstance(payload, dict) or "OpenBadgeCredential" not in payload.get("type", []):
        raise BadgeError("JWT enthält keine OpenBadgeCredential")
    return payload
