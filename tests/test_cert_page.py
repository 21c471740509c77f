"""`cert page` files and signed lists without a browser: signatures, data protection, refresh on revoke."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from scm_lms.certify.issue import Outcome
from testkit.cert_fixtures import issued, key_path
from testkit.cli_run import run

__all__ = ["issued", "key_path"]  # fixtures from testkit.cert_fixtures


def _data(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("window.") and text.rstrip().endswith(";")
    return json.loads(text.split("=", 1)[1].rstrip().rstrip(";"))


def _signed_list(path: Path, keys: Path) -> dict[str, object]:
    record = _data(path)
    assert isinstance(record, dict)
    current = _data(keys)[0]
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(current["public"]))
    public.verify(base64.b64decode(record["signature"]), record["list"].encode("utf-8"))
    assert record["key_id"] == current["key_id"]
    content = json.loads(record["list"])
    assert isinstance(content, dict)
    return content


def test_page_files_lists_and_refresh_on_revoke(tmp_path: Path, key_path: Path, issued: Outcome) -> None:
    db, out = tmp_path / "scm-lms.db", tmp_path / "seite"
    code, output = run("cert", "page", out, "--db", db, "--key", key_path)
    assert code == 0, output
    assert {p.name for p in out.iterdir()} == {
        "index.html",
        "pruefen.css",
        "pruefen.js",
        "ed25519-fallback.js",
        "schluessel.js",
        "sperrliste.js",
        "ausgestellt.js",
    }
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html, "nothing loaded from elsewhere"
    assert _data(out / "ausgestellt.js") is None
    revoked = _signed_list(out / "sperrliste.js", out / "schluessel.js")
    assert revoked["revoked"] == [] and str(revoked["created"]).endswith("+00:00")

    code, output = run("cert", "revoke", issued.number, "--reason", "Irrtum", "--db", db, "--key", key_path)
    assert code == 0 and "aktualisiert" in output, output
    revoked = _signed_list(out / "sperrliste.js", out / "schluessel.js")
    assert [row["number"] for row in revoked["revoked"]] == [issued.number]  # type: ignore[attr-defined]

    code, output = run("cert", "page", out, "--db", db, "--key", key_path, "--publish-issued")
    assert code == 0, output
    listed = _signed_list(out / "ausgestellt.js", out / "schluessel.js")
    certificates = listed["certificates"]
    assert isinstance(certificates, list) and len(certificates) == 1
    row = certificates[0]
    assert row == {
        "number": issued.number,
        "name": "Özlem Yılmaz",
        "programme": "Smart City Manager",
        "durchgang": "2024-D2",
        "date": "2024-10-31",
    }, "only what the certificate states (no registration id, no grades)"


def test_page_without_noble_package_fails_before_writing(
    tmp_path: Path, key_path: Path, issued: Outcome
) -> None:
    out = tmp_path / "seite"
    code, output = run(
        "cert",
        "page",
        out,
        "--db",
        tmp_path / "scm-lms.db",
        "--key",
        key_path,
        env={"SCM_LMS_NPM_DIR": str(tmp_path / "leer")},
    )
    assert code != 0 and "@noble/ed25519 fehlt" in output and "make install" in output, output
    assert "Traceback" not in output
    assert not out.exists() or not any(out.iterdir()), "nothing half-written"


def test_revoke_without_key_keeps_the_revocation_and_says_to_refresh(
    tmp_path: Path, key_path: Path, issued: Outcome
) -> None:
    db, out = tmp_path / "scm-lms.db", tmp_path / "seite"
    assert run("cert", "page", out, "--db", db, "--key", key_path)[0] == 0
    code, output = run(
        "cert", "revoke", issued.number, "--reason", "Test", "--db", db, "--key", tmp_path / "fehlt.key"
    )
    assert code == 1
    assert "gesperrt" in output and "Listen der Prüfseite wurden nicht aktualisiert" in output
    assert "scm-lms cert page" in output
    code, output = run("cert", "list", "--db", db)
    assert "gesperrt" in output
