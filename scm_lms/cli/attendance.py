"""`scm-lms attendance import|set|show|sheet`: the live mornings' attendance in the ledger.

People appear by registration id; names only with `--names` (show) or on the printed sheet a trainer needs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.attendance.status import STATUS_DE, STATUSES, Status
from scm_lms.cli.options import DB, PROGRAMME, read_durchgang
from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from scm_lms.attendance.importer import Plan
    from scm_lms.attendance.store import AttendanceLedger, Mark
    from scm_lms.attendance.tally import Tally
    from scm_lms.intake.registrations import Registration
    from scm_lms.programme import Programme
    from scm_lms.programme.session import Session

SYMBOLS: dict[Status, str] = {"present": "✓", "absent": "–", "excused": "E"}
LEGEND = "✓ anwesend, – abwesend, E entschuldigt, · noch nichts erfasst"


@click.group()
def attendance() -> None:
    """Record who attended the live mornings: import platform lists, correct, show, print sheets."""


def _open(programme_path: Path, db: Path | None, *, create: bool = False) -> AttendanceLedger:
    from scm_lms.attendance.store import AttendanceLedger
    from scm_lms.ledger import LedgerError

    path = db or programme_path.parent / DEFAULT_NAME
    if not create and not path.is_file():
        raise click.ClickException(
            f"Ledger {path} nicht gefunden; erst „scm-lms admit“ ausführen oder --db angeben."
        )
    try:
        return AttendanceLedger.open(path)
    except LedgerError as error:
        raise click.ClickException(str(error)) from None


def _session(programme: Programme, durchgang: str, number: int) -> Session:
    plan = programme.schedule(durchgang)
    session = plan.session(number)
    if session is None:
        raise click.ClickException(
            f"Vormittag {number}: {durchgang} hat die Vormittage 1 bis {len(plan.sessions)}"
        )
    return session


@attendance.command(name="import")
@click.argument("durchgang")
@click.argument(
    "files",
    metavar="FILE…",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
)
@click.option("--session", "session_number", type=int, help="Morning 1–10 (default: from the join times).")
@click.option("--skip-invalid", is_flag=True, help="Import a file with bad rows, leaving them out (listed).")
@PROGRAMME
@DB
def import_(
    durchgang: str,
    files: tuple[Path, ...],
    session_number: int | None,
    skip_invalid: bool,
    programme_path: Path,
    db: Path | None,
) -> None:
    """Import a video platform's participant list (CSV) for one morning of DURCHGANG; several files (a
    restarted meeting, a second room) are merged into that morning."""
    from scm_lms.attendance.importer import plan_import
    from scm_lms.attendance.listing import AttendanceError, read_listing
    from scm_lms.attendance.people import participants

    programme = read_durchgang(programme_path, durchgang)
    with _open(programme_path, db) as ledger:
        people = participants(ledger, programme, durchgang)
        if not people:
            raise click.ClickException(f"niemand ist im Ledger für {durchgang} zugelassen; nichts importiert")
        known = [registration.email for registration in ledger.registrations()]
        try:
            listings = [read_listing(file) for file in files]
            plan = plan_import(
                programme,
                durchgang,
                listings,
                people,
                known,
                session_number=session_number,
                skip_invalid=skip_invalid,
            )
        except AttendanceError as error:
            raise click.ClickException(
                "Teilnehmerliste nicht importiert:\n" + "\n".join(error.problems)
            ) from None
        marks = {result.reg_id: (result.status, result.minutes) for result in plan.results}
        changed, kept = ledger.record_import(plan.record, marks)
        current = ledger.marks(durchgang)
    _report_import(plan, changed, kept, current, len(programme.schedule(durchgang).sessions))


def _report_import(
    plan: Plan, changed: Sequence[str], kept: Sequence[str], current: dict[tuple[int, str], Mark], total: int
) -> None:
    for line in plan.skipped:
        click.echo(f"Hinweis: {line}")
    session = plan.session
    present = sum(1 for result in plan.results if result.status == "present")
    absent = len(plan.results) - present
    entries = "1 Eintrag" if len(changed) == 1 else f"{len(changed)} Einträge"
    click.echo(
        f"{plan.record.durchgang}, Vormittag {session.number} von {total} ({session.label_de()}): "
        f"{present} anwesend, {absent} abwesend (laut Liste); {entries} geändert."
    )
    for result in plan.results:
        how = f", zugeordnet über {result.by}" if result.by else ", nicht in der Liste"
        line = f"  {result.reg_id}: {STATUS_DE[result.status]} ({result.minutes} Min.{how})"
        if result.reg_id in kept:
            mark = current[(session.number, result.reg_id)]
            line += f" – bleibt {STATUS_DE[mark.status]} (Korrektur von Hand)"
        click.echo(line)
    if plan.trainers:
        click.echo(f"{plan.trainers} Zeile(n) von Trainerinnen und Trainern ignoriert.")
    if plan.unmatched:
        click.echo("Nicht zugeordnet (nichts geraten; ggf. „scm-lms attendance set“):")
        for item in plan.unmatched:
            rows = ", ".join(item.rows)
            where = f"Zeile {rows}" if all(row.isdigit() for row in item.rows) else rows
            click.echo(f"  {where}: „{item.shown}“ – {item.reason}")


def _operator_note(note: str) -> str:
    return " ".join(note.split())[:300]


@attendance.command(name="set")
@click.argument("durchgang")
@click.argument("reg_id", metavar="R-…")
@click.argument("session_number", metavar="SESSION", type=int)
@click.argument("status", type=click.Choice(STATUSES))
@click.option("--note", default="", help="Why (e.g. „Attest liegt vor“); kept in the history.")
@PROGRAMME
@DB
def set_(
    durchgang: str,
    reg_id: str,
    session_number: int,
    status: Status,
    note: str,
    programme_path: Path,
    db: Path | None,
) -> None:
    """Correct one person's mark for one morning by hand (an import never overwrites it)."""
    from scm_lms.attendance.people import participants

    programme = read_durchgang(programme_path, durchgang)
    session = _session(programme, durchgang, session_number)
    reg_id = reg_id.strip().upper()
    with _open(programme_path, db) as ledger:
        if reg_id not in {person.reg_id for person in participants(ledger, programme, durchgang)}:
            raise click.ClickException(
                f"{reg_id} ist nicht in {durchgang} zugelassen (siehe „scm-lms attendance show {durchgang}“)"
            )
        changed = ledger.set_mark(durchgang, session.number, reg_id, status, _operator_note(note))
    verb = "eingetragen" if changed else "war schon so eingetragen"
    click.echo(f"{reg_id}, Vormittag {session.number} ({session.label_de()}): {STATUS_DE[status]} {verb}.")


@attendance.command()
@click.argument("durchgang")
@click.option("--json", "as_json", is_flag=True, help="Print the matrix as JSON.")
@click.option("--names", is_flag=True, help="Show names (default: registration ids only).")
@click.option("--history", "reg_id", metavar="R-…", help="Show every change for one person.")
@click.option(
    "--csv",
    "csv_out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the matrix as Excel-safe CSV (German Excel opens it; names only with --names).",
)
@PROGRAMME
@DB
def show(
    durchgang: str,
    as_json: bool,
    names: bool,
    reg_id: str | None,
    csv_out: Path | None,
    programme_path: Path,
    db: Path | None,
) -> None:
    """The matrix people × mornings of DURCHGANG, and how many mornings count for certification."""
    from scm_lms.attendance.people import participants
    from scm_lms.attendance.tally import tallies

    programme = read_durchgang(programme_path, durchgang)
    sessions = programme.schedule(durchgang).sessions
    with _open(programme_path, db) as ledger:
        people = participants(ledger, programme, durchgang)
        marks = ledger.marks(durchgang)
        events = ledger.attendance_history(durchgang, reg_id.strip().upper()) if reg_id else []
    if reg_id:
        _history(reg_id.strip().upper(), events)
        return
    counts = tallies(marks, [person.reg_id for person in people], len(sessions))
    rules = programme.certification
    if csv_out is not None:
        _csv(csv_out, sessions, people, marks, counts, names, rules.excused_counts)
        click.echo(f"Anwesenheit als CSV geschrieben: {csv_out}", err=as_json)
    if as_json:
        click.echo(
            json.dumps(
                _json(durchgang, sessions, people, marks, counts, names, rules.excused_counts),
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Anwesenheit {durchgang}: {len(people)} Zugelassene, {len(sessions)} Vormittage")
    width = max([len(f"{p.first_name} {p.last_name}") for p in people] + [4]) if names else 0
    head = "Anmeldenummer " + (f"{'Name':<{width}} " if names else "")
    click.echo(head + " ".join(f"{s.number:>2}" for s in sessions) + "  zählt")
    for person in people:
        row = [SYMBOLS[m.status] if (m := marks.get((s.number, person.reg_id))) else "·" for s in sessions]
        name = f"{person.first_name} {person.last_name}"
        prefix = f"{person.reg_id:<13} " + (f"{name:<{width}} " if names else "")
        attended = counts[person.reg_id].attended(rules.excused_counts)
        click.echo(prefix + " ".join(f"{cell:>2}" for cell in row) + f"  {attended:>2}/{len(sessions)}")
    click.echo(
        f"Legende: {LEGEND}. Nötig für das Zertifikat: {rules.min_sessions} Vormittage"
        + (" (entschuldigte zählen mit)." if rules.excused_counts else ".")
    )
    for session in sessions:
        present = sum(
            1 for p in people if (m := marks.get((session.number, p.reg_id))) and m.status == "present"
        )
        click.echo(f"  Vormittag {session.number:>2} ({session.label_de()}): {present} anwesend")


def _history(reg_id: str, events: Sequence[Mark]) -> None:
    click.echo(f"Anwesenheit von {reg_id}, alle Änderungen:")
    if not events:
        click.echo("  (keine)")
    for mark in events:
        source = "von Hand" if mark.source == "manual" else "Import"
        minutes = f", {mark.minutes} Min." if mark.minutes is not None else ""
        note = f" – {mark.note}" if mark.note else ""
        click.echo(
            f"  {mark.at:%Y-%m-%d %H:%M} UTC  Vormittag {mark.session:>2}: "
            f"{STATUS_DE[mark.status]} ({source}{minutes}){note}"
        )


def _json(
    durchgang: str,
    sessions: Sequence[Session],
    people: Sequence[Registration],
    marks: dict[tuple[int, str], Mark],
    counts: dict[str, Tally],
    names: bool,
    excused_counts: bool,
) -> dict[str, object]:
    rows = []
    for person in people:
        row: dict[str, object] = {"reg_id": person.reg_id}
        if names:
            row["name"] = f"{person.first_name} {person.last_name}"
        row["mornings"] = {
            str(s.number): (m.status if (m := marks.get((s.number, person.reg_id))) else None)
            for s in sessions
        }
        tally = counts[person.reg_id]
        row["present"], row["excused"], row["absent"] = tally.present, tally.excused, tally.absent
        row["attended"] = tally.attended(excused_counts)
        rows.append(row)
    return {
        "durchgang": durchgang,
        "sessions": [
            {
                "number": s.number,
                "date": s.day.isoformat(),
                "start": f"{s.start:%H:%M}",
                "end": f"{s.end:%H:%M}",
            }
            for s in sessions
        ],
        "people": rows,
    }


def _csv(
    path: Path,
    sessions: Sequence[Session],
    people: Sequence[Registration],
    marks: dict[tuple[int, str], Mark],
    counts: dict[str, Tally],
    names: bool,
    excused_counts: bool,
) -> None:
    """One row per person; every cell goes through csvio's formula guard, the file is the owner's only."""
    from scm_base.atomic import write_atomic
    from scm_lms.intake.csvio import csv_bytes

    header = ["Anmeldenummer", *(["Name"] if names else [])]
    header += [f"{s.number}. Vormittag {s.day:%d.%m.%Y}" for s in sessions] + ["zählen"]
    rows = []
    for person in people:
        row = [person.reg_id, *([f"{person.first_name} {person.last_name}"] if names else [])]
        row += [STATUS_DE[m.status] if (m := marks.get((s.number, person.reg_id))) else "" for s in sessions]
        rows.append([*row, str(counts[person.reg_id].attended(excused_counts))])
    try:
        write_atomic(path, csv_bytes(header, rows), mode=0o600)
    except OSError as error:
        raise click.ClickException(f"{path}: nicht geschrieben ({error.strerror})") from None


@attendance.command(name="sheet")
@click.argument("durchgang")
@click.argument("session_number", metavar="SESSION", type=int)
@click.argument("out", type=click.Path(path_type=Path, dir_okay=False))
@PROGRAMME
@DB
def sheet_(durchgang: str, session_number: int, out: Path, programme_path: Path, db: Path | None) -> None:
    """Write the printable German attendance list of one morning (PDF) for the trainer."""
    from scm_base.atomic import write_atomic
    from scm_lms.attendance import sheet
    from scm_lms.attendance.people import participants
    from scm_lms.programme.schedule import BERLIN

    programme = read_durchgang(programme_path, durchgang)
    session = _session(programme, durchgang, session_number)
    with _open(programme_path, db) as ledger:
        people = sorted(
            participants(ledger, programme, durchgang), key=lambda p: (p.last_name.casefold(), p.first_name)
        )
    data = sheet.render(
        programme.durchgang(durchgang),
        session,
        len(programme.schedule(durchgang).sessions),
        people,
        programme.issuer,
        dt.datetime.now(BERLIN).replace(microsecond=0),
        programme.certification.min_presence,
    )
    try:
        write_atomic(out, data, mode=0o600)  # names: owner only
    except OSError as error:
        raise click.ClickException(f"{out}: nicht geschrieben ({error.strerror})") from None
    click.echo(f"Anwesenheitsliste für Vormittag {session.number} ({len(people)} Personen): {out}")
