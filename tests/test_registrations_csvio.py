"""CSV plumbing: encoding detection order, Excel-safe export, atomic writes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from scm_base.atomic import write_atomic
from scm_lms.intake.csvio import csv_bytes, decode, excel_safe


def test_decode_order_bom_utf8_cp1252() -> None:
    assert decode("Grüße".encode("utf-8-sig")) == ("Grüße", "utf-8-sig")
    assert decode("Grüße".encode()) == ("Grüße", "utf-8")
    assert decode("„Grüße“ 5 €".encode("cp1252")) == ("„Grüße“ 5 €", "cp1252")


@pytest.mark.parametrize("dangerous", ["=1+2", "+49 351 1234", "-2", "@SUMME(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(dangerous: str) -> None:
    assert excel_safe(dangerous) == "'" + dangerous
    data = csv_bytes(["Spalte"], [[dangerous]])
    (_header, row) = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline=""), delimiter=";"))
    assert row == ["'" + dangerous]


def test_export_format_for_german_excel() -> None:
    data = csv_bytes(["Name", "Kommune"], [["Weiß", "Stadt Görlitz; Amt 1"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == 'Name;Kommune\r\nWeiß;"Stadt Görlitz; Amt 1"\r\n'
    assert excel_safe("Stadt Görlitz") == "Stadt Görlitz"


def test_write_atomic_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.csv"
    write_atomic(target, b"alt")
    with pytest.raises(TypeError):
        write_atomic(target, "kein bytes-Objekt")  # type: ignore[arg-type]  # the wrong type is the test
    assert target.read_bytes() == b"alt"
    assert [path.name for path in target.parent.iterdir()] == ["a.csv"]
    write_atomic(target, b"neu", mode=0o600)
    assert target.read_bytes() == b"neu" and (target.stat().st_mode & 0o777) == 0o600
