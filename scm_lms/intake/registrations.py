"""Importing the registration list that the programme office exports (CSV or XLSX, German or English headers).

Every row is checked and every problem is collected with row, column and reason, so the office fixes the file
once instead of once per error. A file with problems imports nothing unless the admin explicitly skips the bad
rows; then the skipped rows are listed. The result is plain data without ids: pseudonymous ids come from the
ledger, which keeps them stable across runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from scm_base.errors import ToolkitError
from scm_lms.intake import registration_cells as cells
from scm_lms.intake.csvio import Cell, Table, TableError, read_table


@dataclass(frozen=True)
class Registration:
    email: str
    """Normalised (trimmed, NFC, lower case); the identity of a registrant."""
    first_name: str
    last_name: str
    municipality: str
    state: str | None
    """Subdivision code (e.g. "SN"), None when the file has no Bundesland."""
    preferences: tuple[str, ...]
    """Durchgang keys in order of preference."""
    alternatives: bool
    registered_at: dt.datetime
    withdrawn: bool
    row: int
    """Spreadsheet row it came from (for messages); 0 when read back from the ledger."""
    reg_id: str = ""
    """Pseudonymous registration id, assigned by the ledger."""

    def with_id(self, reg_id: str) -> Registration:
        return replace(self, reg_id=reg_id)


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def text(self, source: str) -> str:
        return f"{source}: Zeile {self.row}, Spalte „{self.column}“: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    registrations: tuple[Registration, ...]
    skipped: tuple[str, ...]
    """Messages for rows left out because of skip_invalid."""
    duplicates: tuple[str, ...]
    """Messages for rows merged into an earlier registration of the same e-mail address."""
    encoding: str


class RegistrationError(ToolkitError, ValueError):
    """The file was not imported; `problems` lists every reason, one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = list(problems)


# --- columns ------------------------------------------------------------------------------------------------

FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("Vorname", "First name", "Firstname", "Given name"),
    "last_name": ("Nachname", "Last name", "Lastname", "Surname", "Family name"),
    "email": ("Dienstliche E-Mail", "E-Mail", "E-Mail-Adresse", "Email", "Work email", "Email address"),
    "municipality": ("Kommune", "Organisation", "Organization", "Municipality", "Behörde"),
    "state": ("Bundesland", "Federal state", "State"),
    "preferences": (
        "Gewünschter Durchgang",
        "Gewünschte Durchgänge",
        "Durchgänge",
        "Durchgang",
        "Preferred Durchgang",
        "Preferred cohort",
    ),
    "alternatives": ("Alternativer Durchgang möglich", "Alternative möglich", "Alternative allowed"),
    "registered_at": ("Anmeldezeitpunkt", "Anmeldedatum", "Registered at", "Registration time"),
    "status": ("Status",),
}
"""Accepted headers per field, most specific first; compared ignoring case, spaces and punctuation."""

REQUIRED = ("first_name", "last_name", "email", "municipality", "preferences", "registered_at")

_LABELS = {field: aliases[0] for field, aliases in FIELDS.items()}


def _columns(header: Sequence[str], mapping: Mapping[str, str], source: str) -> dict[str, int]:
    """Field → column index; raises for missing required columns, listing what the file does have."""
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise RegistrationError(
            [f"Zuordnung nennt unbekannte Felder {unknown}; bekannt: {', '.join(FIELDS)}"]
        )
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name:
            positions.setdefault(cells.header_key(name), index)
    columns: dict[str, int] = {}
    for field, aliases in FIELDS.items():
        wanted = (mapping[field],) if field in mapping else aliases
        for alias in wanted:
            if cells.header_key(alias) in positions:
                columns[field] = positions[cells.header_key(alias)]
                break
    missing = [mapping.get(field, _LABELS[field]) for field in REQUIRED if field not in columns]
    if missing:
        found = ", ".join(f"„{name}“" for name in header if name) or "(keine)"
        advice = "Bitte die Spalten umbenennen oder eine Spaltenzuordnung angeben (--mapping)."
        if cells.MOJIBAKE.search(" ".join(header)):
            advice = (
                "Die Kopfzeile enthält verstümmelte Umlaute: bitte die Datei als „CSV UTF-8“ neu speichern."
            )
        raise RegistrationError(
            [f"{source}: Zeile 1: Spalte(n) fehlen: {', '.join(missing)}. Gefunden: {found}. {advice}"]
        )
    return columns


# --- rows ---------------------------------------------------------------------------------------------------

T = TypeVar("T")


class _RowReader:
    """Parses one row, collecting a problem per bad cell instead of stopping at the first."""

    def __init__(
        self, number: int, values: Sequence[Cell], header: Sequence[str], columns: Mapping[str, int]
    ):
        self.number = number
        self.values = values
        self.header = header
        self.columns = columns
        self.problems: list[RowProblem] = []

    def get(self, field: str, parser: Callable[[Cell], T], default: T) -> T:
        index = self.columns.get(field)
        cell = self.values[index] if index is not None and index < len(self.values) else None
        try:
            return parser(cell)
        except ValueError as error:
            label = self.header[index] if index is not None else _LABELS[field]
            self.problems.append(RowProblem(self.number, label, str(error)))
            return default


def _registration(reader: _RowReader, known: Sequence[str]) -> Registration | None:
    first = reader.get("first_name", lambda c: cells.plain(cells.text(c)), "")
    last = reader.get("last_name", lambda c: cells.plain(cells.text(c)), "")
    email = reader.get("email", lambda c: cells.email_address(cells.text(c)), "")
    municipality = reader.get("municipality", lambda c: cells.plain(cells.text(c)), "")
    state = reader.get("state", lambda c: cells.federal_state(cells.text(c)), None)
    preferences = reader.get("preferences", lambda c: cells.preferences(cells.text(c), known), _NO_KEYS)
    alternatives = reader.get("alternatives", lambda c: cells.yes_no(cells.text(c)), False)
    registered_at = reader.get("registered_at", cells.timestamp, _NEVER)
    withdrawn = reader.get("status", lambda c: cells.withdrawn(cells.text(c)), False)
    if reader.problems:
        return None
    return Registration(
        email,
        first,
        last,
        municipality,
        state,
        preferences,
        alternatives,
        registered_at,
        withdrawn,
        reader.number,
    )


_NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)
_NO_KEYS: tuple[str, ...] = ()


def parse_table(
    table: Table,
    source: str,
    known: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Rows → registrations; all-or-nothing unless `skip_invalid`, duplicates merged onto the earliest."""
    columns = _columns(table.header, mapping or {}, source)
    if not table.rows:
        raise RegistrationError([f"{source}: enthält nur die Kopfzeile, aber keine Anmeldungen"])
    valid: list[Registration] = []
    problems: list[RowProblem] = []
    for number, values in table.rows:
        reader = _RowReader(number, values, table.header, columns)
        registration = _registration(reader, known)
        if registration is None:
            problems.extend(reader.problems)
        else:
            valid.append(registration)
    messages = [problem.text(source) for problem in problems]
    if messages and not skip_invalid:
        raise RegistrationError(
            [
                *messages,
                f"Nichts importiert: {len(problems)} Fehler. Datei korrigieren oder --skip-invalid nutzen.",
            ]
        )
    merged, duplicates = _merge_duplicates(valid, source)
    skipped = tuple(f"übersprungen: {message}" for message in messages)
    return ImportResult(tuple(merged), skipped, tuple(duplicates), table.encoding)


def _merge_duplicates(rows: Sequence[Registration], source: str) -> tuple[list[Registration], list[str]]:
    """One registration per e-mail: the earliest keeps its place; a withdrawal in any copy counts."""
    by_email: dict[str, list[Registration]] = {}
    for registration in rows:
        by_email.setdefault(registration.email, []).append(registration)
    merged: list[Registration] = []
    notes: list[str] = []
    for copies in by_email.values():
        copies.sort(key=lambda item: (item.registered_at, item.row))
        keep = copies[0]
        withdrawn = any(copy.withdrawn for copy in copies)
        for copy in copies[1:]:
            notes.append(
                f"{source}: Zeile {copy.row} ist ein Duplikat von Zeile {keep.row} ({keep.email}); "
                f"es gilt die frühere Anmeldung vom {keep.registered_at:%d.%m.%Y %H:%M}"
            )
        merged.append(replace(keep, withdrawn=withdrawn))
    merged.sort(key=lambda item: item.row)
    return merged, notes


def load_registrations(
    path: Path,
    known: Sequence[str],
    mapping: Mapping[str, str] | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Read a CSV/XLSX export of the programme office; see `parse_table` for the rules."""
    try:
        table = read_table(path)
    except TableError as error:
        raise RegistrationError([str(error)]) from error
    return parse_table(table, str(path), known, mapping, skip_invalid)
