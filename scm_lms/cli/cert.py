"""`scm-lms cert …`: the signing key and the certificate register, offline (no Moodle needed).

Exit codes of `verify`: 0 valid, 1 revoked, 2 tampered, 3 unknown, so scripts can branch on them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import KEY, db_option, read_programme, signing_key
from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from scm_lms.certify.register import Register
    from scm_lms.certify.verify import Status, Verdict

EXIT: dict[Status, int] = {"valid": 0, "revoked": 1, "tampered": 2, "unknown": 3}

_DB = db_option("Ledger file holding the certificate register.", default=DEFAULT_NAME)


def _register(db: Path) -> Register:
    from scm_lms.certify.register import Register, RegisterError

    try:
        return Register.open(db, create=False)
    except RegisterError as error:
        raise click.ClickException(str(error)) from None


@click.group()
def cert() -> None:
    """Certificates: signing key, verification, revocation, register, Open Badges export."""


@cert.command()
@KEY
def keygen(key_path: Path | None) -> None:
    """Create the Ed25519 signing key (mode 600) and its public key (*.pub); never overwrites."""
    from scm_lms.certify.signing import KeyFileError, default_key_path, generate, public_path

    path = key_path or default_key_path()
    try:
        kid = generate(path)
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Signaturschlüssel {path} (nur für Sie lesbar) und öffentlicher Schlüssel {public_path(path)}"
    )
    click.echo(f"Schlüssel-ID: {kid}. Den privaten Schlüssel sicher sichern; den öffentlichen weitergeben.")


@cert.command()
@click.argument("target")
@click.option(
    "--public-key",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Public key (default: the signing key's *.pub).",
)
@db_option("Register for revocations and codes (a PDF alone is checked by signature only).")
def verify(target: str, public_key: Path | None, db: Path | None) -> None:
    """Check a certificate PDF or number: valid, revoked, tampered or unknown."""
    from scm_lms.certify.signing import KeyFileError, default_key_path, load_public, public_path
    from scm_lms.certify.verify import verify_code, verify_pdf

    try:
        public = load_public(public_key or public_path(default_key_path()))
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None
    path = Path(target)
    register = _register(db) if db is not None else None
    try:
        if path.is_file():
            verdict = verify_pdf(path.read_bytes(), public, register)
        elif register is None:
            raise click.ClickException(f"{target} ist keine Datei; eine Nummer prüfen geht nur mit --db")
        else:
            verdict = verify_code(target, public, register)
    finally:
        if register is not None:
            register.close()
    _print_verdict(verdict)
    sys.exit(EXIT[verdict.status])


def _print_verdict(verdict: Verdict) -> None:
    from scm_lms.certify.verify import STATUS_DE

    click.echo(f"{STATUS_DE[verdict.status].upper()}: {verdict.reason}")
    if verdict.facts is not None and verdict.status in ("valid", "revoked"):
        facts = verdict.facts
        click.echo(f"  {facts.name} – {facts.programme}, Durchgang {facts.durchgang}, {facts.date}")
        click.echo(f"  Nr. {facts.number}, ausgestellt von {facts.issuer}")


@cert.command()
@click.argument("code")
@click.option("--reason", required=True, help="Why (kept in the register, shown on verification).")
@_DB
@KEY
def revoke(code: str, reason: str, db: Path, key_path: Path | None) -> None:
    """Revoke certificate CODE; verification (and the page's signed revocation list) then report it."""
    from scm_lms.certify.register import RegisterError

    with _register(db) as register:
        try:
            issued = register.revoke(code, reason)
        except RegisterError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Zertifikat {issued.number} gesperrt am {issued.revoked_at}: {issued.revoke_reason}")
        refresh_page(db, register, key_path)


def refresh_page(db: Path, register: Register, key_path: Path | None) -> None:
    """Re-sign the verification page's lists after the register changed (only if a page was made)."""
    from scm_lms.certify.page import refresh
    from scm_lms.certify.published import PageError

    try:
        target = refresh(db, register, signing_key(key_path)) if _has_page(db) else None
    except (PageError, OSError, click.ClickException) as error:
        message = error.message if isinstance(error, click.ClickException) else str(error)
        raise click.ClickException(
            f"Register geändert, aber die Listen der Prüfseite wurden nicht aktualisiert: {message}. "
            "Beheben und „scm-lms cert page“ erneut ausführen."
        ) from None
    if target is not None:
        click.echo(f"Sperrliste der Prüfseite in {target} aktualisiert.")


def _has_page(db: Path) -> bool:
    from scm_lms.certify.published import settings_path

    return settings_path(db).exists()


@cert.command(name="list")
@click.option("--durchgang", help="Only this Durchgang.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@_DB
def list_(durchgang: str | None, as_json: bool, db: Path) -> None:
    """List the register: number, registration id, Durchgang, date, status."""
    from rich.console import Console
    from rich.table import Table

    with _register(db) as register:
        issued = register.all(durchgang)
    if as_json:
        rows = [
            {
                "number": c.number,
                "reg_id": c.reg_id,
                "durchgang": c.durchgang,
                "issued_at": c.issued_at,
                "revoked_at": c.revoked_at,
                "revoke_reason": c.revoke_reason,
                "replaced_by": c.replaced_by,
            }
            for c in issued
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title="Zertifikatsregister", title_justify="left")
    for column in ("Nummer", "Registrierungs-ID", "Durchgang", "Ausgestellt", "Status"):
        table.add_column(column)
    for c in issued:
        status = f"gesperrt {c.revoked_at}: {c.revoke_reason}" if c.revoked else "gültig"
        table.add_row(c.number, c.reg_id, c.durchgang, c.issued_at[:10], status)
    Console(highlight=False).print(table)
    click.echo(f"{len(issued)} Zertifikate.")


@cert.command(name="export-badge")
@click.argument("code")
@_DB
@KEY
@click.option(
    "--programme",
    "programme_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Programme file, for the verification URL used as issuer id.",
)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Output (default: CODE.jwt).")
def export_badge(
    code: str, db: Path, key_path: Path | None, programme_path: Path | None, out: Path | None
) -> None:
    """Write certificate CODE as an Open Badges 3.0 OpenBadgeCredential, signed as VC-JWT (EdDSA)."""
    from scm_base.atomic import write_atomic
    from scm_lms.certify import badge

    verify_url = read_programme(programme_path).certification.verify_url if programme_path else ""
    key = signing_key(key_path)
    with _register(db) as register:
        issued = register.get(code)
    if issued is None:
        raise click.ClickException(f"Zertifikat {code} steht nicht im Register {db}")
    if issued.revoked:
        raise click.ClickException(
            f"Zertifikat {issued.number} ist gesperrt; kein Badge für gesperrte Zertifikate"
        )
    claims = badge.credential(
        issued.facts, issuer=badge.issuer_id(verify_url, key.public_key()), verify_url=verify_url
    )
    target = out or Path(f"{issued.number}.jwt")
    write_atomic(target, (badge.sign_jwt(claims, key) + "\n").encode("ascii"), mode=0o600)
    click.echo(f"Open Badge (VC-JWT) für {issued.number} nach {target} geschrieben.")


@cert.command()
@click.argument("out_dir", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--publish-issued",
    is_flag=True,
    help="Also publish a signed list of issued numbers (name, programme, Durchgang, date). Off by default "
    "(data protection): the number lookup then only says whether a number is revoked.",
)
@click.option(
    "--previous-key",
    "previous_keys",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Public key (*.pub) of an earlier signing key whose certificates stay valid; repeatable; "
    "exactly these are listed. Default: the ones listed last time plus the key used last time.",
)
@_DB
@KEY
def page(
    out_dir: Path, publish_issued: bool, previous_keys: tuple[Path, ...], db: Path, key_path: Path | None
) -> None:
    """Write the static verification page "Zertifikat prüfen" with its signed lists into OUT_DIR."""
    from scm_lms.certify.page import make_page
    from scm_lms.certify.published import PageError, PageSettings, load_settings, raw_public
    from scm_lms.certify.signing import KeyFileError, load_public

    key = signing_key(key_path)
    try:
        old = load_settings(db)
        extra = tuple(raw_public(load_public(path)) for path in previous_keys)
    except (PageError, KeyFileError) as error:
        raise click.ClickException(str(error)) from None
    current = raw_public(key.public_key())
    kept = extra if previous_keys else (old.previous_keys if old else ())
    if not previous_keys and old is not None and old.current_key and old.current_key != current:
        kept = (old.current_key, *kept)  # rotation: the last key stays valid unless keys are named
    previous = tuple(k for k in dict.fromkeys(kept) if k != current)
    settings = PageSettings(out_dir.resolve(), publish_issued, previous, current)
    with _register(db) as register:
        try:
            make_page(db, register, key, settings)
        except (PageError, OSError) as error:
            raise click.ClickException(f"Prüfseite nicht geschrieben: {error}") from None
    click.echo(f"Prüfseite „Zertifikat prüfen“ in {out_dir} geschrieben (index.html und Listen).")
    issued = "veröffentlicht" if publish_issued else "nicht veröffentlicht (nur Sperrungen)"
    click.echo(f"Liste ausgestellter Zertifikate: {issued}; {len(settings.previous_keys)} frühere Schlüssel.")
