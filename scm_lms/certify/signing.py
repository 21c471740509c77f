"""The issuer's Ed25519 key pair: create, load safely, sign and check canonical facts.

The private key signs every certificate, so whoever reads it can forge them: it is written with mode 600,
never overwritten, and refused when other users could read it. The public key (`<key>.pub`) is what
verifiers need, offline; the key id (a hash of it) is stored with each signature so a certificate names the
key it expects.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from scm_base.atomic import write_atomic
from scm_base.errors import ToolkitError

KEY_ENV = "SCM_CERT_KEY"


class KeyFileError(ToolkitError):
    """A key file is missing, unsafe or not an Ed25519 key; the message says what to do."""


def default_key_path(env: dict[str, str] | None = None) -> Path:
    env = dict(os.environ) if env is None else env
    if env.get(KEY_ENV):
        return Path(env[KEY_ENV])
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "scm-lms" / "zertifikat-signatur.key"


def public_path(private: Path) -> Path:
    return private.with_name(private.name + ".pub")


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519-" + hashlib.sha256(raw).hexdigest()[:16]


def _link_new(path: Path, data: bytes, mode: int) -> None:
    """Atomic and never overwriting: a key file that exists already is an error, not a replacement."""
    try:
        write_atomic(path, data, mode, overwrite=False)
    except FileExistsError:
        raise KeyFileError(f"{path} existiert bereits und wird nicht überschrieben") from None


def generate(path: Path) -> str:
    """Create a key pair at `path` (mode 600) and `path`.pub; returns the key id."""
    for target in (path, public_path(path)):
        if target.exists():
            raise KeyFileError(f"{target} existiert bereits und wird nicht überschrieben")
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _link_new(path, private_pem, 0o600)
    _link_new(public_path(path), public_pem, 0o644)
    return key_id(private.public_key())


def load_private(path: Path) -> Ed25519PrivateKey:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyFileError(
            f"Signaturschlüssel {path} fehlt; mit „scm-lms cert keygen“ anlegen oder --key angeben"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"Signaturschlüssel {path} ist für andere lesbar (Modus {stat.S_IMODE(mode):o}); "
            f"wer ihn liest, kann Zertifikate fälschen. Beheben: chmod 600 {path}"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise KeyFileError(f"{path} ist kein lesbarer privater Schlüssel ({type(error).__name__})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{path} ist kein Ed25519-Schlüssel")
    return key


def load_public(path: Path) -> Ed25519PublicKey:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(
            f"öffentlicher Schlüssel {path} fehlt; er liegt neben dem Signaturschlüssel (*.key.pub) "
            "oder wird mit --public-key angegeben"
        ) from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise KeyFileError(f"{path} ist kein lesbarer öffentlicher Schlüssel") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{path} ist kein Ed25519-Schlüssel")
    return key


@dataclass(frozen=True)
class Signature:
    key_id: str
    value: str
    """Base64 of the 64-byte Ed25519 signature."""


def sign(key: Ed25519PrivateKey, message: bytes) -> Signature:
    return Signature(key_id(key.public_key()), base64.b64encode(key.sign(message)).decode("ascii"))


def is_valid(public: Ed25519PublicKey, message: bytes, signature: Signature) -> bool:
    """True only for an untouched message signed by this very key."""
    if signature.key_id != key_id(public):
        return False
    try:
        public.verify(base64.b64decode(signature.value, validate=True), message)
    except (InvalidSignature, ValueError):
        return False
    return True
