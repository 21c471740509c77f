"""A participant list read into rows: who (name, e-mail) and when (join, leave, duration or join/leave).

Platforms put a summary block above the list (Teams: "1. Zusammenfassung", "2. Teilnehmer", "3. Aktivitäten
in der Besprechung"), so the header is the row that names who and when, not necessarily row 1; with several
such blocks the one with single join/leave times wins over Teams' first-join/last-leave summary. Every bad
cell becomes a problem naming row and column; nothing is decided here about sessions or people.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from scm_base.errors import ToolkitError
from scm_lms.attendance import cells, columns
from scm_lms.intake.csvio import TableError, decode
from scm_lms.intake.registration_cells import email_address, normalise_text
from scm_lms.intake.registration_headers import header_keys
from scm_lms.intake.registrations import RowProblem

MAX_BYTES = 5_000_000
"""A morning's list of 30 people is a few kilobytes; anything this large is not one."""
MAX_ROWS = 10_000
MAX_CELL = 500
_DELIMITERS = ";,\t"
T = TypeVar("T")


class AttendanceError(ToolkitError, ValueError):
    """Nothing was imported; `problems` lists every reason, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = list(problems)


@dataclass(frozen=True)
class Entry:
    """One data row of the list."""

    row: int
    name: str
    """As written, trimmed and NFC; may be empty when the e-mail is given."""
    email: str
    """Lower case, or empty."""
    join: cells.Moment | None
    leave: cells.Moment | None
    minutes: float | None
    joined: bool | None
    """For lists with one row per action: True joined, False left; None otherwise."""


@dataclass(frozen=True)
class Listing:
    source: str
    encoding: str
    sha256: str
    header: tuple[str, ...]
    header_row: int
    columns: dict[str, int]
    entries: tuple[Entry, ...]
    problems: tuple[RowProblem, ...]

    def label(self, field: str) -> str:
        index = self.columns.get(field)
        return self.header[index] if index is not None else columns.LABELS[field]


def read_listing(path: Path) -> Listing:
    """Read and check every row; raises AttendanceError for a file that is no participant list at all."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AttendanceError(
                [
                    f"{source}: {size // 1_000_000} MB sind zu groß für eine Teilnehmerliste (höchstens "
                    f"{MAX_BYTES // 1_000_000} MB); richtige Datei gewählt?"
                ]
            )
        data = path.read_bytes()
    except OSError as error:
        raise AttendanceError([f"{source}: kann nicht gelesen werden: {error.strerror}"]) from None
    return parse_listing(data, source)


def parse_listing(data: bytes, source: str) -> Listing:
    try:
        text, encoding = decode(data)
    except (TableError, UnicodeDecodeError) as error:
        raise AttendanceError([f"{source}: {error}"]) from None
    if not text.strip():
        raise AttendanceError([f"{source}: die Datei ist leer"])
    if "\x00" in text:
        raise AttendanceError(
            [
                f"{source}: enthält Null-Bytes, ist also keine Textdatei (Excel-Datei oder UTF-16 ohne "
                "BOM?); bitte die Teilnehmerliste als CSV exportieren"
            ]
        )
    records = _records(text, source)
    header_row, header = _header(records, source)
    found, problems = columns.match(header)
    if problems:
        raise AttendanceError([f"{source}: Zeile {header_row}: {problem}" for problem in problems])
    if "leave" not in found and "minutes" not in found and "action" not in found:
        raise AttendanceError(
            [
                f"{source}: Zeile {header_row}: weder eine Spalte für das Verlassen („Zeit des Verlassens“, "
                "„Leave Time“) noch für die Dauer („Dauer (Minuten)“, „Duration“) gefunden; Gefunden: "
                + ", ".join(f"„{cells.shown(name)}“" for name in header if name)
            ]
        )
    rows = _block(records, header_row)
    if not rows:
        raise AttendanceError([f"{source}: enthält nur die Kopfzeile (Zeile {header_row}), aber niemanden"])
    if len(rows) > MAX_ROWS:
        raise AttendanceError(
            [f"{source}: {len(rows)} Zeilen sind zu viele für eine Teilnehmerliste (höchstens {MAX_ROWS})"]
        )
    listing = Listing(
        source, encoding, hashlib.sha256(data).hexdigest(), tuple(header), header_row, found, (), ()
    )
    entries: list[Entry] = []
    row_problems: list[RowProblem] = []
    for number, values in rows:
        entry, bad = _entry(listing, number, values)
        row_problems.extend(bad)
        if entry is not None:
            entries.append(entry)
    return Listing(
        source,
        encoding,
        listing.sha256,
        listing.header,
        header_row,
        found,
        tuple(entries),
        tuple(row_problems),
    )


def _records(text: str, source: str) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()[:50]
    counts = {d: sum(line.count(d) for line in lines) for d in _DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    csv.field_size_limit(MAX_BYTES)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise AttendanceError([f"{source}: keine lesbare CSV-Datei ({error})"]) from None
    return [
        (number, [cell.strip().lstrip("\ufeff") for cell in record])
        for number, record in enumerate(records, 1)
    ]


def _header(records: list[tuple[int, list[str]]], source: str) -> tuple[int, list[str]]:
    candidates = [(number, record) for number, record in records if columns.is_header(record)]
    if not candidates:
        first = next((record for _, record in records if any(record)), [])
        shown = ", ".join(f"„{cells.shown(cell)}“" for cell in first if cell) or "(keine)"
        raise AttendanceError(
            [
                f"{source}: keine Kopfzeile mit Name oder E-Mail und Beitrittszeit gefunden (erste Zeile: "
                f"{shown}); erwartet z. B. „Name;E-Mail;Beitrittszeit;Zeit des Verlassens;Dauer (Minuten)“"
            ]
        )

    def fine(candidate: tuple[int, list[str]]) -> bool:
        join = next(cell for cell in candidate[1] if columns.field_of(cell) in ("join", "action"))
        return not header_keys(join) & columns.SUMMARY_JOIN

    return next((c for c in candidates if fine(c)), candidates[0])


def _block(records: list[tuple[int, list[str]]], header_row: int) -> list[tuple[int, list[str]]]:
    """The data rows after the header, up to the next section title or header; blank rows skipped."""
    rows: list[tuple[int, list[str]]] = []
    for number, record in records:
        if number <= header_row or not any(record):
            continue
        filled = [cell for cell in record if cell]
        if columns.is_header(record) or (len(filled) == 1 and filled[0][:1].isdigit() and ". " in filled[0]):
            break
        rows.append((number, record))
    return rows


def _entry(listing: Listing, number: int, values: Sequence[str]) -> tuple[Entry | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def cell(field: str) -> str:
        index = listing.columns.get(field)
        value = values[index] if index is not None and index < len(values) else ""
        if len(value) > MAX_CELL:
            problems.append(RowProblem(number, listing.label(field), f"länger als {MAX_CELL} Zeichen"))
            return ""
        return normalise_text(value)

    name = cell("name")
    email = ""
    raw_email = cell("email") or cell("upn")
    if raw_email:
        try:
            email = email_address(raw_email)
        except ValueError:
            column = "email" if "email" in listing.columns and cell("email") else "upn"
            problems.append(
                RowProblem(
                    number, listing.label(column), f"ungültige E-Mail-Adresse „{cells.shown(raw_email)}“"
                )
            )
    if not name and not raw_email:
        problems.append(RowProblem(number, listing.label("name"), "weder Name noch E-Mail-Adresse"))
    join = _parsed(listing, number, "join", cell("join"), cells.moment, problems, required=True)
    leave = _parsed(listing, number, "leave", cell("leave"), cells.moment, problems)
    minutes = _parsed(listing, number, "minutes", cell("minutes"), cells.minutes, problems)
    joined = _parsed(listing, number, "action", cell("action"), cells.action, problems, required=True)
    if joined is None and join is not None and leave is None and minutes is None and not problems:
        problems.append(
            RowProblem(number, listing.label("leave"), "leer; Zeitpunkt des Verlassens oder Dauer fehlt")
        )
    if (
        join is not None
        and leave is not None
        and leave.value < join.value
        and join.day_given == leave.day_given
    ):
        problems.append(
            RowProblem(number, listing.label("leave"), "liegt vor der Beitrittszeit in derselben Zeile")
        )
    if problems:
        return None, problems
    return Entry(number, name, email, join, leave, minutes, joined), []


def _parsed(
    listing: Listing,
    number: int,
    field: str,
    value: str,
    parser: Callable[[str], T],
    problems: list[RowProblem],
    required: bool = False,
) -> T | None:
    if field not in listing.columns:
        return None
    if not value and not required:
        return None
    try:
        return parser(value)
    except ValueError as error:
        problems.append(RowProblem(number, listing.label(field), str(error)))
        return None
