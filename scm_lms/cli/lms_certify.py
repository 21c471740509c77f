"""`scm-lms lms certify DURCHGANG`: decide from Moodle grades, optionally issue and record in Moodle.

Without `--issue` (or with `--dry-run`) no certificate is issued and nothing in Moodle changes. People appear
by registration id only; names are read from the ledger (Moodle's as a fallback) solely to print them on the
certificate.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from scm_lms.cli.options import (
    ALLOW_HTTP,
    CONFIG,
    KEY,
    PROGRAMME,
    db_option,
    moodle_client,
    read_durchgang,
    signing_key,
)
from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from rich.console import Console

    from scm_lms.certify.collect import Assessment
    from scm_lms.certify.register import Register
    from scm_lms.certify.rules import Attendance
    from scm_lms.certify.workflow import Run
    from scm_lms.certify.writeback import WritebackPlan
    from scm_lms.programme import Programme


@dataclass(frozen=True)
class People:
    names: dict[str, str]
    """Registration id → full name, for the certificate."""
    admitted: list[str]
    """Admitted to the Durchgang, trainers left out: the only ones who can pass."""
    attendance: dict[str, Attendance]


def _people(db: Path, programme: Programme, durchgang: str) -> People:
    """Names, the admitted participants and their live mornings, from the ledger."""
    from scm_lms.attendance.people import participants
    from scm_lms.attendance.store import AttendanceLedger
    from scm_lms.attendance.tally import tallies
    from scm_lms.certify.rules import Attendance
    from scm_lms.ledger import LedgerError

    sessions = len(programme.schedule(durchgang).sessions)
    try:
        with AttendanceLedger.open(db) as ledger:
            names = {r.reg_id: f"{r.first_name} {r.last_name}" for r in ledger.registrations()}
            admitted = [person.reg_id for person in participants(ledger, programme, durchgang)]
            counts = tallies(ledger.marks(durchgang), admitted, sessions)
    except LedgerError as error:
        raise click.ClickException(str(error)) from None
    attendance = {reg_id: Attendance(t.present, t.excused, sessions) for reg_id, t in counts.items()}
    return People(names, admitted, attendance)


def _table(console: Console, assessment: Assessment, numbers: Mapping[str, str]) -> None:
    from rich.table import Table

    table = Table(title=f"Zertifizierung {assessment.durchgang}", title_justify="left")
    table.add_column("Registrierungs-ID")
    for module in assessment.modules:
        table.add_column(f"M{module}", justify="right")
    table.add_column("VM", justify="right")
    table.add_column("Ergebnis")
    table.add_column("Zertifikat")
    for decision in assessment.decisions:
        result = (
            "[green]bestanden[/]" if decision.passed else f"[red]nicht bestanden[/]: {decision.explanation}"
        )
        table.add_row(
            decision.idnumber,
            *(decision.percents[module] for module in assessment.modules),
            f"{decision.mornings[0]}/{decision.mornings[1]}" if decision.mornings else "–",
            result,
            numbers.get(decision.idnumber, ""),
        )
    console.print(table)
    passed = len(assessment.passed)
    console.print(f"{passed} von {len(assessment.decisions)} bestanden.")


def _data(run: Run) -> dict[str, Any]:
    assessment, plan, applied = run.assessment, run.plan, run.applied
    return {
        "durchgang": assessment.durchgang,
        "warnings": list(assessment.warnings),
        "decisions": [
            {
                "idnumber": d.idnumber,
                "passed": d.passed,
                "reasons": list(d.reasons),
                "percents": {str(m): p for m, p in d.percents.items()},
                "completed": d.completed,
                "mornings": list(d.mornings) if d.mornings else None,
                "certificate": run.current.get(d.idnumber),
            }
            for d in assessment.decisions
        ],
        "certificates": [
            {"idnumber": o.idnumber, "number": o.number, "action": o.action, "replaced": o.replaced}
            for o in run.outcomes
        ],
        "moodle": None
        if plan is None
        else {
            "pending": [{"area": s.area, "op": s.op, "key": s.key, "detail": s.reason} for s in plan.pending],
            "problems": list(plan.problems),
            "applied": None
            if applied is None
            else {
                "done": len(applied.done),
                "failed": [{"area": s.area, "key": s.key, "problem": p} for s, p in applied.failed],
            },
        },
    }


def _show_plan(console: Console, plan: WritebackPlan) -> None:
    from scm_lms.certify.writeback import AREA_DE, OP_DE

    if not plan.pending:
        console.print("Moodle: nichts zu ändern (Gruppe und Profilfelder sind aktuell).")
    for step in plan.pending:
        console.print(f"Moodle: {AREA_DE[step.area]} {step.key} {OP_DE[step.op]} {step.reason}".rstrip())
    for problem in plan.problems:
        console.print(f"[yellow]Warnung:[/] {problem}")


@click.command()
@click.argument("durchgang")
@PROGRAMME
@db_option(f"Ledger file with the certificate register (default: {DEFAULT_NAME} next to the programme file).")
@click.option("--issue", "do_issue", is_flag=True, help="Issue certificates and record them in Moodle.")
@click.option("--reissue", is_flag=True, help="With --issue: replace certificates whose inputs changed.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the PDFs (default: zertifikate/<DURCHGANG> next to the ledger).",
)
@KEY
@click.option("--date", "issue_date", type=click.DateTime(["%Y-%m-%d"]), help="Issue date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the decisions (and changes) as JSON.")
@click.option(
    "--dry-run", is_flag=True, help="With --issue: show what would be issued and changed; write nothing."
)
@CONFIG
@ALLOW_HTTP
def certify(
    durchgang: str,
    programme_path: Path,
    db: Path | None,
    do_issue: bool,
    reissue: bool,
    out: Path | None,
    key_path: Path | None,
    issue_date: dt.datetime | None,
    as_json: bool,
    dry_run: bool,
    config_path: Path | None,
    allow_http: bool,
) -> None:
    """Decide who passes DURCHGANG from Moodle grades; with --issue issue certificates and record them."""
    from rich.console import Console

    from scm_base.errors import ToolkitError
    from scm_lms.certify.register import Register
    from scm_lms.certify.workflow import Request, certify_durchgang
    from scm_lms.moodle import MoodleError
    from scm_lms.programme.schedule import BERLIN

    console = Console(highlight=False, stderr=as_json)
    programme = read_durchgang(programme_path, durchgang)
    db = db or programme_path.parent / DEFAULT_NAME
    people = _people(db, programme, durchgang) if db.exists() else None
    names, expected = (people.names, people.admitted) if people else ({}, [])
    if not expected:
        console.print(
            f"[yellow]Hinweis:[/] keine Zugelassenen für {durchgang} im Ledger {db}; Namen aus Moodle."
        )
    if people is None and programme.certification.min_sessions:
        console.print(
            f"[yellow]Hinweis:[/] ohne Ledger keine Anwesenheit: niemand hat die nötigen "
            f"{programme.certification.min_sessions} Vormittage (erst „scm-lms admit“, dann "
            "„scm-lms attendance import“)."
        )
    key = None
    if do_issue and not dry_run:
        key = signing_key(key_path)
    today = issue_date.date() if issue_date else dt.datetime.now(BERLIN).date()
    request = Request(
        programme,
        durchgang,
        db,
        names,
        expected,
        do_issue,
        reissue,
        key,
        today,
        out,
        attendance=people.attendance if people else {},
        certifiable=people.admitted if people else None,
    )
    try:
        register = Register.open(db) if db.exists() or key is not None else Register.memory()
        with moodle_client(config_path, allow_http) as client, register:
            run = certify_durchgang(client, register, request)
            page_problem = _refresh_page(db, register, key)
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Fehler: {error} – {error.advice}") from None
    except ToolkitError as error:  # certification, grade mapping, register
        raise click.ClickException(str(error)) from None

    for warning in run.assessment.warnings:
        console.print(f"[yellow]Warnung:[/] {warning}")
    if page_problem:
        console.print(
            f"[red]Prüfseite nicht aktualisiert:[/] {page_problem}; „scm-lms cert page“ erneut ausführen"
        )
    if as_json:
        click.echo(json.dumps(_data(run), ensure_ascii=False, indent=2))
    else:
        _report(console, run, dry_run=do_issue and dry_run)
    if run.applied is not None and run.applied.failed:
        sys.exit(1)


def _refresh_page(db: Path, register: Register, key: Ed25519PrivateKey | None) -> str:
    """Issuing (and reissuing, which revokes) changes the register: re-sign the page's lists, if any."""
    from scm_lms.certify.page import refresh
    from scm_lms.certify.published import PageError

    if key is None or register.path == Path(":memory:"):
        return ""
    try:
        refresh(db, register, key)
    except (PageError, OSError) as error:
        return str(error)
    return ""


def _report(console: Console, run: Run, *, dry_run: bool) -> None:
    from scm_lms.certify.writeback import AREA_DE

    _table(console, run.assessment, run.current)
    for outcome in run.outcomes:
        detail = f" (ersetzt {outcome.replaced})" if outcome.replaced else ""
        if outcome.action == "geändert":
            detail = " – Ergebnisse/Angaben geändert; mit --reissue neu ausstellen"
        elif outcome.action == "nicht mehr bestanden":
            detail = f" – prüfen, ggf. „scm-lms cert revoke {outcome.number} --reason …“"
        console.print(f"{outcome.idnumber}: {outcome.number} {outcome.action}{detail}")
    if run.plan is not None:
        _show_plan(console, run.plan)
    if dry_run:
        console.print("Probelauf: nichts ausgestellt, in Moodle nichts geändert.")
    if run.applied is not None:
        for step, problem in run.applied.failed:
            console.print(f"[red]Fehler:[/] {AREA_DE[step.area]} {step.key}: {problem}")
        done, failed = len(run.applied.done), len(run.applied.failed)
        console.print(f"Moodle: {done} Änderungen ausgeführt, {failed} fehlgeschlagen.")
