"""Imports stay one-way around attendance: it reads the intake, programme and ledger packages and is read by
certification, the report and the command line, never the other way round, and it never talks to Moodle."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]


def imported_by(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package.replace(".", "/")).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_attendance_uses_only_the_office_side_and_never_moodle_or_its_readers() -> None:
    used = {name for name in imported_by("scm_lms.attendance") if name.startswith("scm_lms.")}
    forbidden = ("scm_lms.moodle", "scm_lms.cli", "scm_lms.certify", "scm_lms.report")
    assert not [name for name in used if name.startswith(forbidden)], used


def test_nothing_below_attendance_imports_it() -> None:
    for package in ("scm_lms.intake", "scm_lms.ledger", "scm_lms.programme", "scm_lms.moodle", "scm_base"):
        assert not [n for n in imported_by(package) if n.startswith("scm_lms.attendance")], package
