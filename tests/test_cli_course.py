"""`scm-lms course check` and `scm-lms course new` as a user runs them: exit codes and what they print."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from course_package.scaffold import STARTER_DIR
from scm_lms.cli.course import course
from testkit.session_kits import add_session_kits


def run(*args: str) -> Result:
    """Runs `scm-lms course ARGS`; a fixed width keeps rich from wrapping cells on a narrow terminal."""
    assert args[0] == "course"
    return CliRunner().invoke(course, list(args[1:]), catch_exceptions=False, env={"COLUMNS": "120"})


def table_rows(output: str) -> list[list[str]]:
    """Cells of the rich table's body and footer rows (the lines drawn with │)."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines() if "│" in line]


def test_check_valid_course_prints_summary_and_exits_0(course_source: Path) -> None:
    result = run("course", "check", str(course_source))
    assert result.exit_code == 0
    assert table_rows(result.output) == [
        ["1", "Grundlagen", "2", "125", "3", "4", "80 %"],
        ["2", "Umsetzung", "3", "111", "3", "4", "80 %"],
        ["", "Gesamt", "5", "236", "6", "8", ""],
    ]
    assert "Digitale Bürgerdienste – ein Beispielkurs" in result.output
    assert result.output.splitlines()[-1] == f"{course_source}: in Ordnung."


def test_word_counts_use_german_digit_grouping(course_source: Path) -> None:
    lesson = course_source / "modules/01-grundlagen/lessons/02-beteiligte.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nWort " * 1000, encoding="utf-8")
    result = run("course", "check", str(course_source))
    assert result.exit_code == 0
    assert table_rows(result.output)[0][3] == "1.125"
    assert table_rows(result.output)[2][3] == "1.236"


def test_check_broken_course_lists_every_problem_and_exits_1(course_source: Path) -> None:
    module = course_source / "modules/02-umsetzung/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("sessions: [2]", "sessions: [2, 5]"))
    (course_source / "modules/01-grundlagen/quiz.yaml").unlink()
    result = run("course", "check", str(course_source))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "modules/01-grundlagen/quiz.yaml: Datei fehlt",
        "modules/02-umsetzung/module.yaml:11: sessions: Modul 2 nennt Sitzungen [5], die course.yaml nicht "
        "festlegt",
        f"{course_source}: 2 Probleme gefunden.",
    ]


def test_check_strict_adds_curriculum_minimums(course_source: Path) -> None:
    assert run("course", "check", str(course_source)).exit_code == 0
    result = run("course", "check", "--strict", str(course_source))
    assert result.exit_code == 1
    shortfall = "objectives: hat 2 Lernziele; der Lehrplan verlangt mindestens 4"
    assert f"modules/01-grundlagen/module.yaml:7: {shortfall}" in result.output.splitlines()
    # 10 module minimums (2: no case boxes), 2 glossary shortfalls, "Stand" and sources missing on the
    # starter's 5 lessons, 13 parts of the session kits (worksheet and debrief of 5 activities, 2 modules'
    # mornings, module 2's World Café).
    assert result.output.splitlines()[-1] == f"{course_source}: 35 Probleme gefunden."
    assert (
        "modules/01-grundlagen/lessons/02-beteiligte.md:2: updated: Stand fehlt: ergänzen Sie im Vorspann "
        "'updated: JJJJ-MM' (Monat der letzten Prüfung)" in result.output.splitlines()
    )


def test_check_without_source_uses_the_built_in_curriculum(
    course_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("course_package.source.CURRICULUM_DIR", course_source)
    result = run("course", "check")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "eingebauter Lehrplan: in Ordnung."


def test_new_writes_the_starter_course_which_passes_check(tmp_path: Path) -> None:
    target = tmp_path / "mein-kurs"
    result = run("course", "new", str(target))
    assert result.exit_code == 0
    assert result.output == f"Beispielkurs angelegt in {target}. Prüfen mit: scm-lms course check {target}\n"
    comparison = filecmp.dircmp(STARTER_DIR, target, ignore=["__pycache__"])
    assert (comparison.left_only, comparison.right_only, comparison.diff_files) == ([], [], [])
    assert run("course", "check", str(target)).exit_code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mein-kurs"]  # no staging folder left behind


def test_new_fills_an_existing_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "leer").mkdir()
    assert run("course", "new", str(tmp_path / "leer")).exit_code == 0
    assert (tmp_path / "leer" / "course.yaml").is_file()


def test_new_refuses_a_non_empty_folder_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "kurs"
    target.mkdir()
    (target / "notizen.md").write_text("meins", encoding="utf-8")
    result = run("course", "new", str(target))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: Ordner ist nicht leer; wählen Sie einen neuen Ordnernamen (nichts geschrieben)\n"
    )
    assert [path.name for path in target.iterdir()] == ["notizen.md"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["kurs"]


def test_new_refuses_a_file_path(tmp_path: Path) -> None:
    target = tmp_path / "kurs.txt"
    target.write_text("x", encoding="utf-8")
    result = run("course", "new", str(target))
    assert result.exit_code == 1
    assert "Pfad existiert und ist kein Ordner" in result.output
    assert target.read_text(encoding="utf-8") == "x"


def test_titles_are_printed_verbatim_not_as_rich_markup(course_source: Path) -> None:
    module = course_source / "modules/02-umsetzung/module.yaml"
    old = "short_title: Umsetzung"
    module.write_text(module.read_text(encoding="utf-8").replace(old, f"{old} [bold]"), encoding="utf-8")
    result = run("course", "check", str(course_source))
    assert result.exit_code == 0
    assert table_rows(result.output)[1][1] == "Umsetzung [bold]"


def test_course_commands_are_registered_in_the_scm_lms_entry_point() -> None:
    from scm_lms.cli import cli  # imports every area's commands, so kept out of the other tests

    result = CliRunner().invoke(cli, ["course", "--help"])
    assert result.exit_code == 0
    assert "check" in result.output and "new" in result.output


def test_check_lists_the_mornings_and_the_kits_still_missing(course_source: Path) -> None:
    plain = run("course", "check", str(course_source)).output.splitlines()
    assert "  Modul 1: noch keine Vormittage (mornings/)" in plain
    assert plain[-2].startswith("Hinweis: 5 Lektionen ohne Stand")
    hint = "Hinweis: 12 offene Punkte der Vormittage, Arbeitsblätter und Nachbesprechungen; "
    assert f"{hint}--strict verlangt sie." in plain
    add_session_kits(course_source)
    result = run("course", "check", str(course_source))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start = lines.index("Vormittage:")
    assert lines[start + 1 : start + 3] == [
        "  Modul 1, Vormittag 1: Digitale Bürgerdienste verstehen",
        "    7 Blöcke, Pausen 30 Min.: 09:00 Ankommen, 09:20 Was ist ein guter Bürgerdienst?, 10:00 Pause, "
        "10:15 Der letzte Behördengang, 11:15 Pause, 11:30 Ergebnisse sammeln, 12:40 Abschluss, 13:00 Ende",
    ]
    assert not [line for line in lines if "offene Punkte" in line]
