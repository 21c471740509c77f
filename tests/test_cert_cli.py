"""`scm-lms cert keygen|verify|revoke|list|export-badge`: key handling, exit codes, register, Open Badge."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from scm_lms.certify import badge
from scm_lms.certify.issue import Outcome
from scm_lms.certify.signing import load_private, load_public
from testkit.cert_fixtures import issued, key_path
from testkit.cli_run import run

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
__all__ = ["issued", "key_path"]  # fixtures


def test_keygen_writes_private_key_mode_600_and_never_overwrites(key_path: Path) -> None:
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    public = key_path.with_name("signatur.key.pub")
    assert public.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----")
    before = key_path.read_bytes()
    code, output = run("cert", "keygen", "--key", key_path)
    assert code == 1 and "existiert bereits und wird nicht überschrieben" in output
    assert key_path.read_bytes() == before
    assert not [p for p in key_path.parent.iterdir() if p.name.startswith(".")], "no temp files left"
    assert b"PRIVATE KEY" not in public.read_bytes()


def test_key_readable_by_others_is_refused(key_path: Path, tmp_path: Path) -> None:
    key_path.chmod(0o644)
    code, output = run("cert", "export-badge", "X", "--key", key_path, "--db", tmp_path / "none.db")
    assert code == 1
    assert "für andere lesbar (Modus 644)" in output and f"chmod 600 {key_path}" in output
    key_path.chmod(0o600)
    assert load_private(key_path) is not None


def test_missing_keys_say_what_to_do(tmp_path: Path) -> None:
    code, output = run("cert", "verify", "SCM-2024-D2-AAAA-AAAA", "--public-key", tmp_path / "fehlt.pub")
    assert code == 1 and "fehlt" in output and "--public-key" in output
    code, output = run("cert", "export-badge", "X", "--key", tmp_path / "fehlt.key")
    assert code == 1 and "scm-lms cert keygen" in output


def test_verify_pdf_and_code_then_revoke(tmp_path: Path, key_path: Path, issued: Outcome) -> None:
    public = key_path.with_name("signatur.key.pub")
    db = tmp_path / "scm-lms.db"
    assert issued.pdf is not None
    code, output = run("cert", "verify", issued.pdf, "--public-key", public, "--db", db)
    assert code == 0, output
    assert output.startswith("GÜLTIG: Signatur gültig, im Register und nicht gesperrt")
    assert "Özlem Yılmaz – Smart City Manager, Durchgang 2024-D2, 2024-10-31" in output
    code, output = run("cert", "verify", issued.number, "--public-key", public, "--db", db)
    assert code == 0 and issued.number in output
    code, output = run("cert", "revoke", issued.number, "--reason", "Prüfung wiederholt", "--db", db)
    assert code == 0 and "gesperrt" in output
    code, output = run("cert", "verify", issued.pdf, "--public-key", public, "--db", db)
    assert code == 1 and output.startswith("GESPERRT:") and "Prüfung wiederholt" in output
    code, output = run("cert", "verify", "SCM-2024-D2-ZZZZ-ZZZZ", "--public-key", public, "--db", db)
    assert code == 3 and output.startswith("UNBEKANNT:")


def test_verify_with_another_key_is_unknown(tmp_path: Path, issued: Outcome) -> None:
    other = tmp_path / "other.key"
    run("cert", "keygen", "--key", other)
    assert issued.pdf is not None
    code, output = run("cert", "verify", issued.pdf, "--public-key", other.with_name("other.key.pub"))
    assert code == 3 and "anderen Schlüssel" in output


def test_list_shows_ids_not_names(tmp_path: Path, issued: Outcome) -> None:
    code, output = run("cert", "list", "--db", tmp_path / "scm-lms.db")
    assert code == 0 and issued.number in output and "R-00000000A1" in output and "gültig" in output
    assert "Özlem" not in output
    code, output = run("cert", "list", "--json", "--db", tmp_path / "scm-lms.db")
    rows = json.loads(output)
    assert rows[0]["number"] == issued.number and rows[0]["revoked_at"] is None
    code, output = run("cert", "list", "--db", tmp_path / "fehlt.db")
    assert code == 1 and "fehlt" in output


def test_export_badge_is_a_signed_open_badge_credential(
    tmp_path: Path, key_path: Path, issued: Outcome
) -> None:
    target = tmp_path / "badge.jwt"
    args = ("cert", "export-badge", issued.number, "--key", key_path, "--db", tmp_path / "scm-lms.db")
    code, output = run(*args, "--programme", EXAMPLE, "--out", target)
    assert code == 0, output
    token = target.read_text().strip()
    public = load_public(key_path.with_name("signatur.key.pub"))
    claims = badge.verify_jwt(token, public)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert claims["credentialSubject"]["identifier"][0]["identityHash"] == "Özlem Yılmaz"
    assert claims["credentialSubject"]["achievement"]["name"] == "Smart City Manager"
    assert claims["iss"] == claims["issuer"]["id"] and claims["jti"] == claims["id"]
    assert claims["nbf"] == int(dt.datetime(2024, 10, 31, tzinfo=dt.UTC).timestamp())
    assert claims["validFrom"] == "2024-10-31T00:00:00Z"
    header, payload, signature = token.split(".")
    forged = json.loads(badge.b64url_decode(payload))
    forged["credentialSubject"]["identifier"][0]["identityHash"] = "Mallory"
    forged_token = ".".join((header, badge.b64url_encode(json.dumps(forged).encode()), signature))
    with pytest.raises(badge.BadgeError, match="Signatur"):
        badge.verify_jwt(forged_token, public)
    run("cert", "revoke", issued.number, "--reason", "Test", "--db", tmp_path / "scm-lms.db")
    code, output = run(*args, "--out", tmp_path / "x.jwt")
    assert code == 1 and "gesperrt" in output


def test_a_file_that_is_no_ledger_is_named(tmp_path: Path) -> None:
    notes = tmp_path / "notizen.db"
    notes.write_text("Das ist keine Datenbank, sondern eine Notiz." * 20, encoding="utf-8")
    code, output = run("cert", "list", "--db", notes)
    assert code == 1 and str(notes) in output and "keine gültige Ledger-Datei" in output
