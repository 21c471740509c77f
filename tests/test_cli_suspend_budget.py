"""A valid source whose quiz cannot be resumed in SCORM 1.2 is refused by `course check` and `build` alike,
with the module named and no traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from scm_lms.cli import cli


def oversize_quiz(source: Path) -> None:
    """500 eight-step ordering questions: far more answer state than SCORM 1.2's 4096 characters hold."""
    items = [{"id": f"s{step}", "text": f"Schritt {step}"} for step in range(8)]
    questions = [
        {
            "id": f"q-reihe-{number}",
            "type": "ordering",
            "prompt": f"Reihenfolge {number}",
            "items": items,
            "feedback_correct": "Richtig.",
            "feedback_incorrect": "Noch nicht.",
        }
        for number in range(500)
    ]
    quiz = source / "modules" / "02-umsetzung" / "quiz.yaml"
    quiz.write_text(yaml.safe_dump({"questions": questions}, allow_unicode=True), encoding="utf-8")


def test_course_check_names_the_module_whose_quiz_cannot_be_resumed(course_source: Path) -> None:
    oversize_quiz(course_source)
    result = CliRunner().invoke(cli, ["course", "check", str(course_source)])
    assert result.exit_code == 1
    assert "Modul 2 (umsetzung)" in result.output and "suspend_data" in result.output
    assert "1 Problem gefunden" in result.output


def test_build_refuses_it_with_a_message_not_a_traceback(course_source: Path, tmp_path: Path) -> None:
    oversize_quiz(course_source)
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["build", str(course_source), "--format", "scorm12", "--out", str(out)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Modul 2 (umsetzung)" in result.output
    assert not any(out.glob("*umsetzung*"))
