"""Spreadsheet files as German offices exchange them: reading CSV/XLSX into rows, writing Excel-safe CSV.

Excel on a German Windows writes "CSV" as Windows-1252 with `;`, "CSV UTF-8" with a BOM, and some tools write
plain UTF-8 with `,` or tabs; the reader accepts all of them. The writer produces what German Excel opens
correctly on double-click (UTF-8 with BOM, `;`) and neutralises cells that Excel would run as formulas.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scm_base.errors import ToolkitError

Cell = str | dt.datetime | None
"""CSV cells are text; XLSX cells may also be real date-times."""

_DELIMITERS = ";,\t"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TableError(ToolkitError, ValueError):
    """The file cannot be read as a table at all (as opposed to a bad row)."""


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    """(spreadsheet row number as Excel shows it, cells) for every non-blank data row."""
    encoding: str


def decode(data: bytes) -> tuple[str, str]:
    """BOM means UTF-8; else strict UTF-8; else Windows-1252 (not Latin-1: € „ “ live in 0x80–0x9F)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode-Text"
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise TableError(
            f"Zeichenkodierung nicht erkannt (weder UTF-8 noch Windows-1252, Byte {error.start}); "
            "bitte in Excel als „CSV UTF-8“ speichern"
        ) from error


def read_table(path: Path) -> Table:
    """Read a CSV or XLSX file; raises TableError naming the file for unreadable or empty files."""
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            table = _read_xlsx(path)
        else:
            table = _read_csv(path.read_bytes())
    except OSError as error:
        raise TableError(f"{path}: kann nicht gelesen werden: {error.strerror}") from error
    except TableError as error:
        raise TableError(f"{path}: {error}") from error
    return table


def _read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    if not text.strip():
        raise TableError("die Datei ist leer")
    if "\x00" in text:
        raise TableError(
            "enthält Null-Bytes, ist also keine CSV-Textdatei (umbenannte Excel-Datei oder UTF-16 "
            "ohne BOM?); bitte in Excel als „CSV UTF-8“ speichern"
        )
    if text.lower().startswith("sep="):  # Excel's separator hint line
        hint, _, text = text.partition("\n")
        delimiter = hint.strip()[4:5] or ";"
    else:
        delimiter = _sniff_delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise TableError(
            f"keine lesbare CSV-Datei ({error}); bitte in Excel als „CSV UTF-8“ speichern"
        ) from error
    return _table([list(record) for record in records], encoding)


def _sniff_delimiter(text: str) -> str:
    """The candidate most frequent in the header line: headers rarely contain separators, data may."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda key: counts[key])
    if counts[best]:
        return best
    try:
        return csv.Sniffer().sniff(text[: 64 * 1024], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ";"  # a single column: any separator reads it


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook  # slow to import; only XLSX needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(f"keine lesbare XLSX-Datei ({error})") from error
    try:
        sheet = workbook.active or workbook.worksheets[0]  # the sheet that was open when saved
        records: list[list[Cell]] = []
        for values in sheet.iter_rows(values_only=True):
            records.append([_xlsx_cell(value) for value in values])
    finally:
        workbook.close()
    return _table(records, "xlsx")


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(records: list[list[Cell]], encoding: str) -> Table:
    numbered = [(number, record) for number, record in enumerate(records, 1) if not _blank(record)]
    if not numbered:
        raise TableError("die Datei ist leer")
    _, header_cells = numbered[0]
    header = tuple(str(cell or "").strip().lstrip("\ufeff") for cell in header_cells)
    rows = tuple((number, tuple(record)) for number, record in numbered[1:])
    return Table(header, rows, encoding)


def _blank(record: Sequence[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in record)


def excel_safe(value: str) -> str:
    """Prefix an apostrophe so Excel shows "=SUMME(…)" or "+49 …" as text instead of evaluating it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """`;`-separated, UTF-8 with BOM, CRLF, every cell neutralised: opens correctly in German Excel."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([excel_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([excel_safe(cell) for cell in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
