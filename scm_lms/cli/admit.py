"""`scm-lms admit`: import registrations, decide admission, record it, write (and maybe send) the mails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import DB, read_programme
from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from scm_lms.intake.admission import Decision
    from scm_lms.intake.registrations import Registration
    from scm_lms.programme import Programme

EXPORT_HEADER = (
    "Durchgang",
    "Platz",
    "Anmeldenummer",
    "Vorname",
    "Nachname",
    "E-Mail",
    "Kommune",
    "Bundesland",
)


@click.command()
@click.argument("programme_file", metavar="PROGRAMME.yaml", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("registrations_file", metavar="REGISTRATIONS.csv|xlsx", type=click.Path(path_type=Path))
@click.option(
    "--skip-invalid", is_flag=True, help="Import the valid rows of a file with errors; list the rest."
)
@DB
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the .eml notifications (default: mail/ next to the programme file).",
)
@click.option(
    "--mapping",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML mapping field → column header, e.g. email: 'Mail dienstlich'.",
)
@click.option(
    "--send",
    "do_send",
    is_flag=True,
    help="Deliver unsent notifications over SMTP (SCM_SMTP_* env or --smtp-config).",
)
@click.option(
    "--smtp-config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML with host, port, starttls, user, password (mode 600).",
)
@click.option(
    "--export",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the admitted people as Excel-safe CSV.",
)
@click.option("-v", "--verbose", is_flag=True, help="Also print each decision's full reason.")
def admit(
    programme_file: Path,
    registrations_file: Path,
    skip_invalid: bool,
    db: Path | None,
    out: Path | None,
    mapping: Path | None,
    do_send: bool,
    smtp_config: Path | None,
    export: Path | None,
    verbose: bool,
) -> None:
    """Import registrations and decide who is admitted, waits or is declined, per Durchgang."""
    from rich.console import Console

    from scm_lms.intake.admission import decide, holiday_conflicts, offers_of, overbooked
    from scm_lms.intake.notify import NotifyError, SmtpSettings, compose, send, write_eml
    from scm_lms.intake.registrations import RegistrationError, load_registrations
    from scm_lms.ledger import Ledger, LedgerError

    console = Console(highlight=False)
    programme = read_programme(programme_file)
    for line in _calendar_lines(programme):
        console.print(line)
    try:
        imported = load_registrations(registrations_file, programme.keys, _mapping(mapping), skip_invalid)
    except RegistrationError as error:
        raise click.ClickException("Anmeldungen nicht importiert:\n" + "\n".join(error.problems)) from None
    for line in (*imported.skipped, *imported.duplicates):
        console.print(f"[yellow]Hinweis:[/] {line}")

    try:
        ledger = Ledger.open(db or programme_file.parent / DEFAULT_NAME)
    except LedgerError as error:
        raise click.ClickException(str(error)) from None
    with ledger:
        ledger.register(imported.registrations, registrations_file.name)
        registrations = ledger.registrations()
        offers = offers_of(programme)
        decisions = decide(offers, registrations, ledger.decisions())
        changed = ledger.record(decisions)
        console.print(
            f"{len(imported.registrations)} Anmeldungen importiert, {len(changed)} Entscheidungen geändert."
        )
        for warning in [
            *overbooked(offers, decisions),
            *holiday_conflicts(programme, registrations, decisions),
        ]:
            console.print(f"[yellow]Warnung:[/] {warning}")
        _print_tables(console, programme, registrations, decisions, verbose)

        notices = compose(programme, registrations, decisions)
        folder = out or programme_file.parent / "mail"
        write_eml(notices, folder)
        console.print(f"{len(notices)} Benachrichtigungen als .eml in {folder}")
        if export is not None:
            _export(export, programme, registrations, decisions)
            console.print(f"Zugelassene exportiert nach {export}")
        if do_send:
            try:
                settings = SmtpSettings.from_file(smtp_config) if smtp_config else SmtpSettings.from_env()
                delivery = send(notices, settings, ledger)
            except NotifyError as error:
                raise click.ClickException(str(error)) from None
            console.print(
                f"{len(delivery.sent)} E-Mails versendet, {delivery.already} waren schon versendet."
            )
            for notice in delivery.refused:
                console.print(
                    f"[yellow]Warnung:[/] Empfänger abgelehnt: {notice.registration.reg_id} "
                    f"<{notice.registration.email}>; Adresse prüfen, der nächste Lauf versucht es erneut"
                )


def _calendar_lines(programme: Programme) -> list[str]:
    """The session calendar in one line per Durchgang, plus every date a rule skipped and why."""
    lines = []
    for durchgang in programme.durchgaenge:
        plan = programme.schedule(durchgang.key)
        begin = "%d.%m.%Y" if plan.first_day.year != plan.last_day.year else "%d.%m."
        span = f"{plan.first_day.strftime(begin)}–{plan.last_day:%d.%m.%Y}"
        lines.append(f"{durchgang.key}: {len(plan.sessions)} Termine {span}")
        lines.extend(f"  übersprungen: {hit.reason_de(plan.states)}" for hit in plan.skipped)
        lines.extend(
            f"  [yellow]Warnung:[/] Termin am Feiertag: {hit.reason_de(plan.states)}"
            for hit in plan.on_holidays
        )
    return lines


def _mapping(path: Path | None) -> dict[str, str]:
    import yaml

    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise click.ClickException(f"{path}: Spaltenzuordnung nicht lesbar: {error}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise click.ClickException(
            f"{path}: erwartet Zeilen wie „email: Mail dienstlich“ (Feld: Spaltenname)"
        )
    return {str(key): value for key, value in data.items()}


def _print_tables(
    console: Console,
    programme: Programme,
    registrations: Sequence[Registration],
    decisions: Mapping[str, Decision],
    verbose: bool = False,
) -> None:
    by_id = {registration.reg_id: registration for registration in registrations}
    order = {"admitted": 0, "waitlisted": 1, "declined": 2, "withdrawn": 3}
    for durchgang in programme.durchgaenge:
        rows = sorted(
            (d for d in decisions.values() if d.durchgang == durchgang.key),
            key=lambda d: (order[d.status], d.seat or 0, d.position or 0, d.reg_id),
        )
        admitted = sum(1 for d in rows if d.status == "admitted")
        if not rows:
            console.print(f"{durchgang.key} – {durchgang.title}: keine Anmeldungen")
            continue
        title = f"{durchgang.key} – {durchgang.title}: {admitted} von {durchgang.seats} Plätzen belegt"
        console.print(admission_table(title, rows, by_id, console.width))
        if verbose:
            for decision in rows:
                person = by_id[decision.reg_id]
                console.print(
                    f"  {decision.reg_id} {person.first_name} {person.last_name}: {decision.explanation}"
                )


def admission_table(
    title: str, rows: Sequence[Decision], by_id: Mapping[str, Registration], width: int
) -> Table:
    """One line per person in `width` columns: long names and reasons are cut with „…“ (the full reasons
    follow with -v), so an 80-column terminal shows a list instead of three lines a person."""
    from rich import box
    from rich.table import Table

    from scm_lms.intake.admission import STATUS_DE

    cells = [
        (
            STATUS_DE[d.status],
            d.reg_id,
            f"{by_id[d.reg_id].first_name} {by_id[d.reg_id].last_name}",
            by_id[d.reg_id].municipality,
            d.explanation.replace(f" in {d.durchgang}", ""),  # the title names the Durchgang
        )
        for d in rows
    ]
    headers = ("Status", "Nr.", "Name", "Kommune", "Entscheidung")
    natural = [max(len(str(value)) for value in column) for column in zip(headers, *cells, strict=True)]
    spare = width - natural[0] - natural[1] - (3 * len(headers) - 1)  # edges and column gaps
    widths = natural[:2] + _shares(natural[2:], (2, 2, 4), spare)
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for header, size in zip(headers, widths, strict=True):
        table.add_column(header, no_wrap=True, overflow="ellipsis", width=size)
    for row in cells:
        table.add_row(*row)
    return table


def _shares(natural: list[int], weights: tuple[int, ...], spare: int) -> list[int]:
    """Column widths within `spare`: natural widths if they fit, else each capped by its weighted share."""
    if sum(natural) <= spare:
        return natural
    fair = [max(6, spare * weight // sum(weights)) for weight in weights]
    widths = [min(size, share) for size, share in zip(natural, fair, strict=True)]
    left = spare - sum(widths)  # what short columns did not need goes to the ones that were cut
    for index, size in enumerate(natural):
        extra = min(left, size - widths[index])
        widths[index] += extra
        left -= extra
    return widths


def _export(
    path: Path, programme: Programme, registrations: Sequence[Registration], decisions: Mapping[str, Decision]
) -> None:
    from scm_base.atomic import write_atomic
    from scm_lms.intake.csvio import csv_bytes

    by_id = {registration.reg_id: registration for registration in registrations}
    admitted = sorted(
        (d for d in decisions.values() if d.status == "admitted"),
        key=lambda d: (
            programme.keys.index(d.durchgang) if d.durchgang in programme.keys else 99,
            d.seat or 0,
        ),
    )
    rows = [
        (
            d.durchgang,
            str(d.seat or ""),
            d.reg_id,
            by_id[d.reg_id].first_name,
            by_id[d.reg_id].last_name,
            by_id[d.reg_id].email,
            by_id[d.reg_id].municipality,
            by_id[d.reg_id].state or "",
        )
        for d in admitted
    ]
    write_atomic(path, csv_bytes(EXPORT_HEADER, rows), mode=0o600)  # names and e-mails: owner only
