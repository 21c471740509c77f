"""`scm-lms ledger show|erase|purge`: answer access requests and erase personal data from the ledger file."""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli import ledger_moodle as moodle_erasure
from scm_lms.cli.options import (
    ALLOW_HTTP,
    CONFIG,
    DB,
    KEY,
    PROGRAMME,
    db_option,
    read_durchgang,
    read_programme,
    signing_key,
)
from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from scm_lms.ledger.access import Person
    from scm_lms.ledger.erasure import Ledgerfile, Outcome

LEDGER_FILE = db_option(help="Ledger file.", default=DEFAULT_NAME)

ELSEWHERE = (
    "Außerhalb des Ledgers von Hand löschen: die Zeile im Export des Anmeldeformulars (sonst legt der "
    "nächste „admit“-Lauf die Person neu an), mail/<Durchgang>/<Anmeldenummer>-*.eml, zugelassen.csv, "
    "ein Moodle-Konto, Zertifikats-PDFs und Open Badges."
)


@click.group()
def ledger() -> None:
    """Show what the ledger holds and erase personal data (access and erasure under the DSGVO)."""


def _open(path: Path) -> Ledgerfile:
    from scm_lms.ledger.erasure import ErasureError, Ledgerfile

    try:
        return Ledgerfile.open(path)
    except ErasureError as error:
        raise click.ClickException(str(error)) from None


def _operator() -> str:
    """Who ran the erasure, for the erasure record; the login name of the admin, not of the erased person."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unbekannt"


def _confirm(question: str, yes: bool) -> None:
    """Ask before erasing; no answer (end of input, Ctrl-C) counts as no."""
    if yes:
        return
    try:
        agreed = click.confirm(question, default=False)
    except click.Abort:
        agreed = False
    if not agreed:
        raise click.ClickException("Abgebrochen; es wurde nichts gelöscht.")


def _report(outcome: Outcome) -> None:
    for reg_id in outcome.already:
        click.echo(f"{reg_id}: war bereits gelöscht")
    for erased in outcome.erased:
        details = [erased.freed] if erased.freed else []
        details += [f"Zertifikat {number} gesperrt und Name ersetzt" for number in erased.certificates]
        click.echo(f"{erased.reg_id}: gelöscht" + (f" ({'; '.join(details)})" if details else ""))
    if outcome.erased:
        click.echo(ELSEWHERE)


@ledger.command()
@LEDGER_FILE
@click.option("--reg-id", "reg_ids", multiple=True, metavar="R-…", help="Registration id (repeatable).")
@click.option("--email", "emails", multiple=True, metavar="ADDRESS", help="E-mail address (repeatable).")
@click.option(
    "--reason",
    default="Antrag auf Löschung (Art. 17 DSGVO)",
    show_default=True,
    help="Why; stored with the erasure, so no names or addresses.",
)
@click.option(
    "--include-certified",
    is_flag=True,
    help="Also erase people holding a certificate (revokes it, signs it again with --key); only on the "
    "data-protection officer's decision.",
)
@KEY
@click.option(
    "--moodle",
    "in_moodle",
    is_flag=True,
    help="Also suspend the Moodle accounts whose idnumber is the registration id (shown first).",
)
@click.option(
    "--programme",
    "programme_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Programme file whose moodle.allowed_auths and student_role_id the --moodle step applies "
    "(default: manual accounts, role 5).",
)
@CONFIG
@ALLOW_HTTP
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(
    db: Path,
    reg_ids: Sequence[str],
    emails: Sequence[str],
    reason: str,
    include_certified: bool,
    key_path: Path | None,
    in_moodle: bool,
    programme_path: Path | None,
    config_path: Path | None,
    allow_http: bool,
    yes: bool,
) -> None:
    """Replace persons' name, e-mail, municipality and state with a tombstone; all or nobody."""
    from scm_lms.ledger.erasure import ErasureError

    if not reg_ids and not emails:
        raise click.UsageError("mindestens eine --reg-id oder --email angeben")
    if key_path and not include_certified:
        raise click.UsageError("--key wird nur mit --include-certified gebraucht")
    if programme_path and not in_moodle:
        raise click.UsageError("--programme wird nur mit --moodle gebraucht")
    settings = read_programme(programme_path).moodle if programme_path else None
    signer = signing_key(key_path) if include_certified else None  # re-signs the anonymised certificates
    with _open(db) as store:
        found, problems = store.resolve(reg_ids, emails)
        if problems:
            raise click.ClickException("\n".join([*problems, "Es wurde nichts gelöscht."]))
        accounts = moodle_erasure.plan(config_path, allow_http, found, settings) if in_moodle else None
        _confirm(f"Personenbezogene Daten von {', '.join(found)} unwiderruflich löschen?", yes)
        try:
            outcome = store.erase(found, reason=reason, operator=_operator(), signer=signer)
        except ErasureError as error:
            raise click.ClickException(str(error)) from None
    _report(outcome)
    if accounts is not None:
        moodle_erasure.carry_out(accounts)


@ledger.command()
@click.argument("durchgang")
@PROGRAMME
@DB
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(durchgang: str, programme_path: Path, db: Path | None, yes: bool) -> None:
    """After DURCHGANG ended: erase its waiting list and declined people who were never admitted."""
    from scm_lms.ledger.erasure import ErasureError

    programme = read_durchgang(programme_path, durchgang)
    with _open(db or programme_path.parent / DEFAULT_NAME) as store:
        try:
            chosen, waiting = store.purge_candidates(programme, durchgang, dt.datetime.now(dt.UTC))
        except ErasureError as error:
            raise click.ClickException(str(error)) from None
        if waiting:
            click.echo(
                f"{len(waiting)} Person(en) bleiben, weil sie noch in einen nicht beendeten Durchgang "
                f"nachrücken können: {', '.join(waiting)}"
            )
        if not chosen:
            click.echo(
                f"{durchgang}: niemand zu löschen (Warteliste und Absagen sind leer oder schon gelöscht)."
            )
            return
        _confirm(f"{durchgang}: {len(chosen)} Person(en) von Warteliste/Absagen löschen?", yes)
        try:
            outcome = store.erase(
                chosen,
                reason=f"Löschkonzept: Warteliste/Absage {durchgang} nach Ende des Durchgangs",
                operator=_operator(),
                kind="purge",
            )
        except ErasureError as error:
            raise click.ClickException(str(error)) from None
    click.echo(
        f"{durchgang}: {len(outcome.erased)} Person(en) gelöscht, die auf der Warteliste standen oder "
        f"abgelehnt wurden und nie zugelassen waren: {', '.join(e.reg_id for e in outcome.erased)}"
    )
    click.echo(ELSEWHERE)


@ledger.command()
@LEDGER_FILE
@click.option("--reg-id", help="Show the full history of this registration id.")
@click.option("--email", help="Find the registration by e-mail address instead.")
@click.option(
    "--personal", is_flag=True, help="Also print name, e-mail, municipality (Art. 15 request of this person)."
)
def show(db: Path, reg_id: str | None, email: str | None, personal: bool) -> None:
    """Counts of what the ledger holds, or one person's history."""
    from scm_lms.ledger.access import person
    from scm_lms.ledger.erasure import ErasureError

    if personal and not (reg_id or email):
        raise click.UsageError("--personal nur zusammen mit --reg-id oder --email")
    with _open(db) as store:
        if not (reg_id or email):
            _overview(store)
            return
        found, problems = store.resolve([reg_id] if reg_id else [], [email] if email else [])
        if problems or len(found) != 1:
            raise click.ClickException(
                "\n".join(problems) or "--reg-id und --email meinen verschiedene Personen"
            )
        try:
            record = person(store, found[0])
        except ErasureError as error:
            raise click.ClickException(str(error)) from None
    _person(record, personal)


def _overview(store: Ledgerfile) -> None:
    from scm_lms.intake.admission import STATUS_DE
    from scm_lms.ledger.access import overview

    counts = (summary := overview(store)).registrations
    click.echo(f"Ledger {store.path}")
    click.echo(
        f"Anmeldungen: {counts['active']} aktiv, {counts['withdrawn']} zurückgezogen, "
        f"{counts['erased']} gelöscht"
    )
    click.echo("Aktuelle Entscheidungen:")
    for key in sorted({durchgang for durchgang, _ in summary.decisions}):
        parts = [
            f"{summary.decisions[key, s]} {STATUS_DE[s]}" for s in STATUS_DE if summary.decisions[key, s]
        ]
        click.echo(f"  {key}: {', '.join(parts)}")
    click.echo(f"Versandte E-Mails: {summary.notifications}")
    certificates = summary.certificates
    click.echo(f"Zertifikate: {certificates['valid']} gültig, {certificates['revoked']} gesperrt")
    click.echo(f"Löschungen: {summary.erasures}")
    click.echo(f"Anwesenheitseinträge (Vormittage): {summary.attendance}")


def _person(person: Person, personal: bool) -> None:
    from scm_lms.intake.admission import STATUS_DE

    click.echo(f"Anmeldenummer: {person.reg_id}")
    if person.erased_at:
        click.echo(f"Gelöscht am {person.erased_at}: {person.erasure_reason}")
    elif personal:
        for label, value in person.personal.items():
            click.echo(f"{label}: {value}")
    else:
        click.echo("Name, E-Mail, Kommune, Bundesland: gespeichert (anzeigen mit --personal)")
    click.echo(f"Angemeldet: {person.registered_at} (Quelle {person.source})")
    alternatives = "ja" if person.alternatives else "nein"
    click.echo(f"Wunschdurchgänge: {', '.join(person.preferences)} (Alternativen: {alternatives})")
    click.echo("Entscheidungen:")
    for at, status, durchgang, explanation in person.events:
        click.echo(f"  {at}  {STATUS_DE[status]:<13} {durchgang}  {explanation}")
    click.echo("Versandte E-Mails:")
    for status, durchgang, sent_at in person.notifications:
        click.echo(f"  {sent_at}  {STATUS_DE[status]} {durchgang}")
    click.echo("Zertifikate:")
    for number, durchgang, name, state in person.certificates:
        click.echo(f"  {number}  {durchgang}  {state}" + (f"  Name: {name}" if personal else ""))
    click.echo("Anwesenheit (Vormittage):")
    for at, durchgang, session, status, source, note in person.attendance:
        shown = {"present": "anwesend", "absent": "abwesend", "excused": "entschuldigt"}.get(status, status)
        how = "von Hand" if source == "manual" else "Import"
        remark = (
            f"  Bemerkung: {note}" if note and personal else "  (Bemerkung: mit --personal)" if note else ""
        )
        click.echo(f"  {at}  {durchgang}  Vormittag {session}: {shown} ({how}){remark}")
