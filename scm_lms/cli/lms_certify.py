"""`scm-lms lms certify DURCHGANG`: decide from Moodle grades, optionally issue and record in Moodle.

Without `--issue` nothing is written anywhere. People appear by registration id only; names are read from
the ledger (Moodle's as a fallback) solely to print them on the certificate.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from course_package.source import load_course
from scm_lms.certify.collect import Assessment, CertifyError, assess
from scm_lms.certify.grades import MappingError
from scm_lms.certify.issue import Context, Outcome, issue
from scm_lms.certify.register import Register, RegisterError
from scm_lms.certify.signing import KeyFileError, default_key_path, load_private
from scm_lms.certify.writeback import AREA_DE, OP_DE, WritebackPlan, apply_writeback, plan_writeback
from scm_lms.desired import admitted_to
from scm_lms.ledger import DEFAULT_NAME, Ledger, LedgerError
from scm_lms.moodle import ConfigError, MoodleClient, MoodleError, load_config
from scm_lms.programme import MODULES, Programme, ProgrammeError, load_programme
from scm_lms.provision.apply import hint
from scm_lms.provision.journal import Journal
from scm_lms.provision.journal import default_path as default_journal
from scm_lms.schedule import BERLIN

NEW_NUMBER = "(neue Nummer)"


def _programme(path: Path, durchgang: str) -> Programme:
    try:
        programme = load_programme(path)
    except ProgrammeError as error:
        raise click.ClickException("Programmdatei fehlerhaft:\n" + "\n".join(error.problems)) from None
    if durchgang not in programme.keys:
        raise click.ClickException(
            f"{path}: Durchgang {durchgang!r} steht nicht in der Programmdatei "
            f"(vorhanden: {', '.join(programme.keys)})"
        )
    return programme


def _people(db: Path, durchgang: str) -> tuple[dict[str, str], list[str]]:
    """Names by registration id and the ids admitted to the Durchgang, from the ledger."""
    try:
        with Ledger.open(db) as ledger:
            registrations, decisions = ledger.registrations(), ledger.decisions()
    except LedgerError as error:
        raise click.ClickException(str(error)) from None
    names = {r.reg_id: f"{r.first_name} {r.last_name}" for r in registrations}
    return names, [r.reg_id for r in admitted_to(durchgang, registrations, decisions)]


def _connect(config_path: Path | None, allow_http: bool) -> MoodleClient:
    try:
        config = load_config(config_path, allow_http=allow_http)
    except ConfigError as error:
        raise click.ClickException(f"Moodle-Verbindung nicht eingerichtet: {error}") from None
    return MoodleClient.from_config(config, allow_http=allow_http)


def _table(console: Console, assessment: Assessment, numbers: Mapping[str, str]) -> None:
    table = Table(title=f"Zertifizierung {assessment.durchgang}", title_justify="left")
    table.add_column("Registrierungs-ID")
    for module in MODULES:
        table.add_column(f"M{module}", justify="right")
    table.add_column("Ergebnis")
    table.add_column("Zertifikat")
    for decision in assessment.decisions:
        result = (
            "[green]bestanden[/]" if decision.passed else f"[red]nicht bestanden[/]: {decision.explanation}"
        )
        table.add_row(
            decision.idnumber,
            *(decision.percents[module] for module in MODULES),
            result,
            numbers.get(decision.idnumber, ""),
        )
    console.print(table)
    passed = len(assessment.passed)
    console.print(f"{passed} von {len(assessment.decisions)} bestanden.")


def _data(assessment: Assessment, outcomes: Sequence[Outcome], plan: WritebackPlan | None) -> dict[str, Any]:
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
            }
            for d in assessment.decisions
        ],
        "certificates": [
            {"idnumber": o.idnumber, "number": o.number, "action": o.action, "replaced": o.replaced}
            for o in outcomes
        ],
        "moodle": None
        if plan is None
        else {
            "pending": [{"area": s.area, "op": s.op, "key": s.key, "detail": s.detail} for s in plan.pending],
            "problems": list(plan.problems),
        },
    }


def _show_plan(console: Console, plan: WritebackPlan) -> None:
    if not plan.pending:
        console.print("Moodle: nichts zu ändern (Gruppe und Profilfelder sind aktuell).")
    for step in plan.pending:
        console.print(f"Moodle: {AREA_DE[step.area]} {step.key} {OP_DE[step.op]} {step.detail}".rstrip())
    for problem in plan.problems:
        console.print(f"[yellow]Warnung:[/] {problem}")


@click.command()
@click.argument("durchgang")
@click.option(
    "--programme",
    "programme_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default="programme.yaml",
    show_default=True,
    help="Programme file.",
)
@click.option(
    "--db",
    type=click.Path(path_type=Path, dir_okay=False),
    help=f"Ledger file with the certificate register (default: {DEFAULT_NAME} next to the programme file).",
)
@click.option("--issue", "do_issue", is_flag=True, help="Issue certificates and record them in Moodle.")
@click.option("--reissue", is_flag=True, help="With --issue: replace certificates whose inputs changed.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the PDFs (default: zertifikate/<DURCHGANG> next to the ledger).",
)
@click.option("--key", "key_path", type=click.Path(path_type=Path, dir_okay=False), help="Signing key.")
@click.option("--date", "issue_date", type=click.DateTime(["%Y-%m-%d"]), help="Issue date (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print the decisions (and changes) as JSON.")
@click.option(
    "--dry-run", is_flag=True, help="With --issue: show what would be issued and changed; write nothing."
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File with url and token (mode 600); default: env, then the user config file.",
)
@click.option("--allow-http", is_flag=True, help="Allow plain http for a non-loopback test site.")
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
    console = Console(highlight=False, stderr=as_json)
    programme = _programme(programme_path, durchgang)
    db = db or programme_path.parent / DEFAULT_NAME
    names, expected = _people(db, durchgang) if db.exists() else ({}, [])
    if not expected:
        console.print(
            f"[yellow]Hinweis:[/] keine Zugelassenen für {durchgang} im Ledger {db}; Namen aus Moodle."
        )
    writing = do_issue and not dry_run
    key = None
    if writing:
        try:
            key = load_private(key_path or default_key_path())
        except KeyFileError as error:
            raise click.ClickException(str(error)) from None
    outcomes: list[Outcome] = []
    plan: WritebackPlan | None = None
    try:
        with _connect(config_path, allow_http) as client, Register.open(db) as register:
            assessment = assess(client, programme, durchgang, expected)
            for warning in assessment.warnings:
                console.print(f"[yellow]Warnung:[/] {warning}")
            if key is not None:
                today = issue_date.date() if issue_date else dt.datetime.now(BERLIN).date()
                context = Context(programme, durchgang, load_course(), today, key)
                folder = out or db.parent / "zertifikate" / durchgang
                outcomes = issue(assessment.decisions, names, context, register, out=folder, reissue=reissue)
            current = {c.reg_id: c.number for c in register.all(durchgang) if not c.revoked}
            if do_issue:
                wanted = dict(current)
                if dry_run:
                    wanted.update(
                        {d.idnumber: NEW_NUMBER for d in assessment.passed if d.idnumber not in current}
                    )
                plan = plan_writeback(client, programme, durchgang, wanted)
            if writing and plan is not None:
                journal = Journal(default_journal(db, durchgang))
                title = programme.durchgang(durchgang).title
                applied = apply_writeback(client, plan, journal, title=title)
    except (CertifyError, MappingError, RegisterError) as error:
        raise click.ClickException(str(error)) from None
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Fehler: {error} – {hint(error)}") from None

    if as_json:
        click.echo(json.dumps(_data(assessment, outcomes, plan), ensure_ascii=False, indent=2))
    else:
        _table(console, assessment, current)
        for outcome in outcomes:
            detail = f" (ersetzt {outcome.replaced})" if outcome.replaced else ""
            if outcome.action == "geändert":
                detail = " – Ergebnisse/Angaben geändert; mit --reissue neu ausstellen"
            console.print(f"{outcome.idnumber}: {outcome.number} {outcome.action}{detail}")
        if plan is not None:
            _show_plan(console, plan)
        if dry_run and do_issue:
            console.print("Probelauf: nichts ausgestellt, in Moodle nichts geändert.")
    if writing and plan is not None:
        for step, problem in applied.failed:
            console.print(f"[red]Fehler:[/] {AREA_DE[step.area]} {step.key}: {problem}")
        console.print(
            f"Moodle: {len(applied.done)} Änderungen ausgeführt, {len(applied.failed)} fehlgeschlagen."
        )
        if applied.failed:
            sys.exit(1)
