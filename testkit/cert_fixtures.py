"""A signing key and one issued certificate, as fixtures for the `cert` command tests (helpers, no tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from course_package.source import load_course
from scm_lms.certify.grades import course_grades
from scm_lms.certify.issue import Context, Outcome, issue
from scm_lms.certify.register import Register
from scm_lms.certify.rules import decide
from scm_lms.certify.signing import load_private
from scm_lms.programme import Certification, load_programme
from testkit.certify_grades import MODULES, all_modules, report
from testkit.cli_run import run

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"


@pytest.fixture
def key_path(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "signatur.key"
    code, output = run("cert", "keygen", "--key", path)
    assert code == 0, output
    return path


@pytest.fixture
def issued(tmp_path: Path, key_path: Path) -> Outcome:
    context = Context(
        load_programme(EXAMPLE), "2024-D2", load_course(), dt.date(2024, 10, 31), load_private(key_path)
    )
    graded = course_grades(report({"R-00000000A1": all_modules(90)}), {}, modules=MODULES)
    decisions = [
        decide(p, Certification(require_completion=False), modules=MODULES) for p in graded.participants
    ]
    with Register.open(tmp_path / "scm-lms.db") as register:
        (outcome,) = issue(
            decisions, {"R-00000000A1": "Özlem Yılmaz"}, context, register, out=tmp_path / "pdf"
        )
    return outcome
