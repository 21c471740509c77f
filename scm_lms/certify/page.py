"""`scm-lms cert page`: the static "Zertifikat prüfen" site, and keeping its signed lists current.

The site is plain files (HTML, CSS, JS, the public keys and signed lists as scripts) that any web space
can serve; it loads nothing from elsewhere and verifies in the browser with WebCrypto's Ed25519, or, in a
browser whose WebCrypto lacks Ed25519 (Safari before 17, older Firefox), with the audited pure-JS
implementation @noble/ed25519 (MIT), copied from the npm package `make install` fetched. Commands
that write the register call `refresh`, so a revocation reaches the page's list without a second step.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scm_base.atomic import write_atomic
from scm_base.npm import npm_dir
from scm_lms.certify.published import (
    KEYS_FILE,
    PageError,
    PageSettings,
    keys_data,
    load_settings,
    save_settings,
    script,
    write_lists,
)
from scm_lms.certify.register import Register
from scm_lms.ledger.sqlite import utc_now

ASSETS = ("index.html", "pruefen.css", "pruefen.js")
FALLBACK = "ed25519-fallback.js"
NOBLE = ("@noble", "ed25519")
EXPORT_PREFIX = "export {"


def fallback_script(node_modules: Path | None = None) -> bytes:
    """@noble/ed25519's ES module as a classic script exposing only `verifyAsync`: `file://` pages and the
    page's CSP (`script-src 'self'`) allow no module imports, and nothing else of the library is needed."""
    folder = (node_modules or npm_dir()).joinpath(*NOBLE)
    try:
        source = (folder / "index.js").read_text(encoding="utf-8")
        licence = (folder / "LICENSE").read_text(encoding="utf-8")
    except OSError:
        raise PageError(
            f"@noble/ed25519 fehlt ({folder}); die Prüfseite braucht es für Browser ohne Ed25519 "
            "in WebCrypto. Einmal „make install“ ausführen."
        ) from None
    lines = source.rstrip().splitlines()
    if not lines or not lines[-1].startswith(EXPORT_PREFIX) or " verifyAsync," not in lines[-1]:
        raise PageError(f"{folder / 'index.js'}: unerwarteter Aufbau (keine export-Zeile mit verifyAsync)")
    body = "\n".join(lines[:-1])
    header = "/*\n" + licence.replace("*/", "* /").strip() + "\n*/\n"
    wrapped = (
        f'{header}(function () {{\n"use strict";\n{body}\n'
        "globalThis.scmEd25519Fallback = Object.freeze({ verifyAsync: verifyAsync });\n})();\n"
    )
    return wrapped.encode("utf-8")


def write_page(
    out_dir: Path, register: Register, key: Ed25519PrivateKey, settings: PageSettings
) -> list[Path]:
    """Write the whole site into `out_dir`; returns the files written."""
    fallback = fallback_script()  # before anything is written: a missing package leaves no half a site
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PageError(f"Ordner {out_dir} nicht anlegbar ({error.strerror})") from None
    folder = resources.files("scm_lms.certify") / "page_assets"
    written = []
    for name in ASSETS:
        write_atomic(out_dir / name, (folder / name).read_bytes())
        written.append(out_dir / name)
    write_atomic(out_dir / FALLBACK, fallback)
    written.append(out_dir / FALLBACK)
    write_atomic(out_dir / KEYS_FILE, script("scmSchluessel", keys_data(key, settings.previous_keys)))
    write_lists(out_dir, register.all(), key, publish_issued=settings.publish_issued, created=utc_now())
    return written


def refresh(db: Path, register: Register, key: Ed25519PrivateKey) -> Path | None:
    """After the register changed: rewrite the page's signed lists, if a page was made for this ledger."""
    settings = load_settings(db)
    if settings is None:
        return None
    write_lists(
        settings.out_dir,
        register.all(),
        key,
        publish_issued=settings.publish_issued,
        created=utc_now(),
    )
    return settings.out_dir


def make_page(db: Path, register: Register, key: Ed25519PrivateKey, settings: PageSettings) -> None:
    write_page(settings.out_dir, register, key, settings)
    save_settings(db, settings)
