"""Broken course sources: each mistake is reported with the exact file, line, field and message."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from course_package.model import Course
from course_package.source import Problem, SourceError, load_course, load_module

M1 = "modules/01-grundlagen"
M2 = "modules/02-umsetzung"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: test expects exactly one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[Problem]:
    with pytest.raises(SourceError) as caught:
        load_course(root)
    return list(caught.value.problems)


Breakage = Callable[[Path], object]

_CHOICE_B = """      - id: b
        text: Die Technik war zu teuer.
        feedback: Davon berichtet das Fallbeispiel nichts; das Problem lag in der Gestaltung.
"""

_BODY_02 = """
## Formate der Beteiligung

Eine **Umfrage** erreicht viele Menschen schnell. Eine **Werkstatt** braucht mehr Zeit, bringt aber
Ideen hervor, an die vorher niemand gedacht hat. Ein **Nutzertest** zeigt, wo ein Dienst noch hakt.
"""


CASES: list[tuple[str, Breakage, Problem | list[Problem]]] = [
    (
        "yaml-syntax",
        lambda r: edit(r, f"{M1}/quiz.yaml", "    prompt: Wer sollte von", "    prompt: [Wer sollte von"),
        Problem(
            f"{M1}/quiz.yaml",
            15,
            None,
            "YAML syntax error: while parsing a flow sequence, expected ',' or ']', but got '?'",
        ),
    ),
    (
        "tab-indent",
        lambda r: edit(r, f"{M2}/module.yaml", "hours: 4", "hours:\n\t4"),
        Problem(
            f"{M2}/module.yaml",
            11,
            None,
            "YAML syntax error: while scanning for the next token, found character '\\t' that cannot start "
            "any token; indent with spaces, not tabs",
        ),
    ),
    (
        "missing-file",
        lambda r: (r / M2 / "quiz.yaml").unlink(),
        Problem(f"{M2}/quiz.yaml", None, None, "file is missing"),
    ),
    (
        "missing-modules-folder",
        lambda r: shutil.rmtree(r / "modules"),
        Problem("modules", None, None, "folder is missing; put each module in modules/NN-name/"),
    ),
    (
        "front-matter-missing",
        lambda r: edit(r, f"{M1}/lessons/02-beteiligte.md", "---\nid: beteiligte", "id: beteiligte"),
        Problem(
            f"{M1}/lessons/02-beteiligte.md",
            1,
            None,
            "front matter is missing: start with a line '---', then id, title and minutes, then '---'",
        ),
    ),
    (
        "front-matter-unclosed",
        lambda r: edit(r, f"{M1}/lessons/02-beteiligte.md", "---\n\n## Fachamt", "\n## Fachamt"),
        Problem(
            f"{M1}/lessons/02-beteiligte.md", 1, None, "front matter is not closed: add a line '---' after it"
        ),
    ),
    (
        "wrong-type",
        lambda r: edit(r, f"{M2}/module.yaml", "hours: 4", "hours: vier"),
        Problem(f"{M2}/module.yaml", 10, "hours", "expected a number, got the text 'vier'"),
    ),
    (
        "number-for-text",
        lambda r: edit(r, "course.yaml", 'version: "1.0"', "version: 1.0"),
        Problem("course.yaml", 8, "version", "expected text, got the number 1.0; put it in quotes"),
    ),
    (
        "required-field-missing",
        lambda r: edit(r, f"{M2}/module.yaml", "title: Digitale Bürgerdienste planen und umsetzen\n", ""),
        Problem(f"{M2}/module.yaml", 1, "title", "required key 'title' is missing"),
    ),
    (
        "empty-value",
        lambda r: edit(r, f"{M2}/module.yaml", "short_title: Umsetzung", "short_title:"),
        Problem(
            f"{M2}/module.yaml",
            4,
            "short_title",
            "has no value; write it after the colon (or delete the key if it is optional)",
        ),
    ),
    (
        "duplicate-question-id",
        lambda r: edit(r, f"{M1}/quiz.yaml", "id: q-papier", "id: q-guter-dienst"),
        Problem(f"{M1}/quiz.yaml", 28, "questions[2].id", "question id 'q-guter-dienst' is used twice"),
    ),
    (
        "duplicate-choice-id",
        lambda r: edit(r, f"{M1}/quiz.yaml", "      - id: it\n", "      - id: fachamt\n"),
        Problem(
            f"{M1}/quiz.yaml",
            21,
            "questions[1].choices[1].id",
            "question 'q-beteiligte' choice id 'fachamt' is used twice",
        ),
    ),
    (
        "no-correct-answer",
        lambda r: edit(
            r,
            f"{M1}/quiz.yaml",
            "        correct: true\n        feedback: Richtig. Der",
            "        feedback: Richtig. Der",
        ),
        Problem(
            f"{M1}/quiz.yaml", 5, "questions[0].choices", "question 'q-guter-dienst' has no correct answer"
        ),
    ),
    (
        "too-few-choices",
        lambda r: edit(r, f"{M2}/quiz.yaml", _CHOICE_B, ""),
        Problem(f"{M2}/quiz.yaml", 24, "questions[2].choices", "needs at least 2 entries, has 1"),
    ),
    (
        "misspelt-key",
        lambda r: edit(r, f"{M1}/quiz.yaml", "        feedback: Nicht ganz.", "        feedbak: Nicht ganz."),
        [
            Problem(
                f"{M1}/quiz.yaml",
                10,
                "questions[0].choices[1].feedback",
                "required key 'feedback' is missing",
            ),
            Problem(
                f"{M1}/quiz.yaml",
                12,
                "questions[0].choices[1].feedbak",
                "unknown key 'feedbak'; did you mean 'feedback'? allowed here: id, text, correct, feedback",
            ),
        ],
    ),
    (
        "unknown-question-type",
        lambda r: edit(r, f"{M1}/quiz.yaml", "type: true-false", "type: yes-no"),
        Problem(
            f"{M1}/quiz.yaml",
            29,
            "questions[2].type",
            "unknown question type 'yes-no'; use one of 'single', 'multiple', 'true-false', 'ordering', "
            "'matching'",
        ),
    ),
    (
        "question-type-missing",
        lambda r: edit(
            r, f"{M1}/quiz.yaml", "    type: true-false              # eine Aussage beurteilen\n", ""
        ),
        Problem(
            f"{M1}/quiz.yaml",
            28,
            "questions[2]",
            "key 'type' is missing; it names the kind of question: single, multiple, true-false, ordering, "
            "matching",
        ),
    ),
    (
        "unknown-activity-kind",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "  kind: discussion", "  kind: debate"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            6,
            "activity.kind",
            "'debate' is not allowed here; use one of 'reflection', 'world-cafe', 'exercise', 'discussion' "
            "or 'case-study'",
        ),
    ),
    (
        "bad-slug",
        lambda r: edit(r, f"{M2}/quiz.yaml", "id: q-schritte", "id: Q_Schritte"),
        Problem(
            f"{M2}/quiz.yaml",
            2,
            "questions[0].id",
            "'Q_Schritte' is not a valid id: use a-z, 0-9 and '-', start with a letter, end with a letter or "
            "digit, at most 64 characters",
        ),
    ),
    (
        "module-number-out-of-order",
        lambda r: edit(r, f"{M2}/module.yaml", "number: 2", "number: 3"),
        Problem(
            f"{M2}/module.yaml",
            1,
            "number",
            "modules must be numbered 1..2 without gaps in folder order, found [1, 3]; this is module "
            "folder 2, so its number must be 2",
        ),
    ),
    (
        "session-not-defined",
        lambda r: edit(r, f"{M2}/module.yaml", "sessions: [2]", "sessions: [2, 5]"),
        Problem(
            f"{M2}/module.yaml",
            11,
            "sessions",
            "module 2 names sessions [5] that course.yaml does not define",
        ),
    ),
    (
        "hours-do-not-add-up",
        lambda r: edit(r, "course.yaml", "hours: 8 ", "hours: 10"),
        Problem("course.yaml", 9, "hours", "the modules' hours add up to 8, but the course says 10"),
    ),
    (
        "empty-body",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", _BODY_02, "\n"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md", 12, "body", "the lesson has no text after its front matter"
        ),
    ),
    (
        "non-ascii-file-name",
        lambda r: (r / M2 / "lessons/03-fallbeispiel.md").rename(r / M2 / "lessons/03-Fallbeispiel Übung.md"),
        Problem(
            f"{M2}/lessons/03-Fallbeispiel Übung.md",
            None,
            None,
            "name must use only a-z, 0-9, '-', '_' and '.'; rename it, e.g. to '03-fallbeispiel-uebung.md'",
        ),
    ),
    (
        "duplicate-yaml-key",
        lambda r: edit(r, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 80\nhours: 4"),
        Problem(f"{M2}/module.yaml", 13, "hours", "key 'hours' appears twice (first on line 10)"),
    ),
    (
        "duplicate-nested-yaml-key",
        lambda r: edit(
            r,
            f"{M1}/quiz.yaml",
            "        correct: true\n        feedback: Richtig. Der",
            "        correct: true\n        correct: true\n        feedback: Richtig. Der",
        ),
        Problem(
            f"{M1}/quiz.yaml",
            9,
            "questions[0].choices[0].correct",
            "key 'correct' appears twice (first on line 8)",
        ),
    ),
    (
        "not-utf8",
        lambda r: (r / M1 / "module.yaml").write_bytes(
            (r / M1 / "module.yaml").read_bytes().replace("Bürger".encode(), "Bürger".encode("latin-1"))
        ),
        Problem(f"{M1}/module.yaml", 3, None, "not valid UTF-8 text; save the file as UTF-8"),
    ),
    (
        "top-level-list",
        lambda r: (r / M2 / "quiz.yaml").write_text("- id: q1\n", encoding="utf-8"),
        Problem(f"{M2}/quiz.yaml", 1, None, "expected key: value lines (a mapping), but found a list"),
    ),
    (
        "empty-file",
        lambda r: (r / M2 / "quiz.yaml").write_text("# noch leer\n", encoding="utf-8"),
        Problem(f"{M2}/quiz.yaml", 1, None, "expected key: value lines (a mapping), but it is empty"),
    ),
    (
        "lessons-key-in-module-yaml",
        lambda r: edit(r, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 80\nlessons: []"),
        Problem(
            f"{M2}/module.yaml",
            13,
            "lessons",
            "key 'lessons' is not allowed here: lessons come from the lessons/ folder",
        ),
    ),
    (
        "misnamed-quiz-file",
        lambda r: (r / M2 / "quiz.yaml").rename(r / M2 / "quiz.yml"),
        [
            Problem(f"{M2}/quiz.yaml", None, None, "file is missing"),
            Problem(
                f"{M2}/quiz.yml",
                None,
                None,
                "unexpected entry; a module folder holds only module.yaml, quiz.yaml and lessons/",
            ),
        ],
    ),
    (
        "stray-file-in-modules",
        lambda r: (r / "modules/liesmich.txt").write_text("x", encoding="utf-8"),
        Problem("modules/liesmich.txt", None, None, "unexpected file; modules/ holds only module folders"),
    ),
    (
        "body-key-in-front-matter",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "minutes: 25\n", "minutes: 25\nbody: Text\n"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            5,
            "body",
            "key 'body' is not allowed here: the body is the text after the closing '---'",
        ),
    ),
    (
        "non-markdown-lesson",
        lambda r: (r / M2 / "lessons/notizen.txt").write_text("x", encoding="utf-8"),
        Problem(f"{M2}/lessons/notizen.txt", None, None, "not a lesson: lessons/ holds only .md files"),
    ),
    (
        "h1-in-body",
        lambda r: edit(
            r, f"{M2}/lessons/02-beteiligung.md", "## Formate der Beteiligung", "# Formate der Beteiligung"
        ),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            13,
            "body",
            "the lesson title is already the page's h1; start body headings at ##",
        ),
    ),
    (
        "raw-html-in-body",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "Eine **Umfrage**", "Eine <b>Umfrage</b>"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            15,
            "body",
            "raw HTML '<b>' is not allowed in lessons; write Markdown instead",
        ),
    ),
    (
        "external-image",
        lambda r: edit(
            r,
            f"{M2}/lessons/02-beteiligung.md",
            "## Formate der Beteiligung\n",
            "## Formate der Beteiligung\n\n![Bild](https://example.org/b.png)\n",
        ),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            15,
            "body",
            "external image 'https://example.org/b.png' is not allowed; learners may be offline or blocked",
        ),
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_mistake_is_reported_exactly(
    course_source: Path, breakage: Breakage, expected: Problem | list[Problem]
) -> None:
    breakage(course_source)
    assert problems(course_source) == (expected if isinstance(expected, list) else [expected])


def test_starter_course_is_valid() -> None:
    course = load_course(Path(__file__).parents[1] / "course_package" / "starter")
    assert isinstance(course, Course)
    assert [module.short_title for module in course.modules] == ["Grundlagen", "Umsetzung"]
    assert [len(module.lessons) for module in course.modules] == [2, 3]


def test_starter_course_shows_every_feature() -> None:
    course = load_course(Path(__file__).parents[1] / "course_package" / "starter")
    lessons = [lesson for module in course.modules for lesson in module.lessons]
    kinds = {lesson.activity.kind for lesson in lessons if lesson.activity}
    assert kinds == {"reflection", "world-cafe", "exercise", "discussion", "case-study"}
    types = {question.type for module in course.modules for question in module.quiz.questions}
    assert types == {"single", "multiple", "true-false", "ordering", "matching"}
    assert any("\n|---" in lesson.body or "\n|--" in lesson.body for lesson in lessons), "a Markdown table"
    assert course.sessions and all(module.sessions for module in course.modules)


def test_all_problems_across_files_are_reported_in_one_run(course_source: Path) -> None:
    edit(course_source, f"{M1}/quiz.yaml", "    prompt: Wer sollte von", "    prompt: [Wer sollte von")
    edit(course_source, f"{M1}/lessons/01-was-sind-buergerdienste.md", "kind: reflection", "kind: reflektion")
    edit(course_source, f"{M2}/module.yaml", "title: Digitale Bürgerdienste planen und umsetzen\n", "")
    edit(course_source, f"{M2}/module.yaml", "sessions: [2]", "sessions: [2, 7]")
    edit(course_source, f"{M2}/quiz.yaml", "id: q-formate", "id: q-schritte")
    edit(course_source, f"{M2}/lessons/02-beteiligung.md", _BODY_02, "\n")
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")
    (course_source / M2 / "lessons/03-fallbeispiel.md").rename(course_source / M2 / "lessons/03-Fall.md")

    assert [str(problem) for problem in problems(course_source)] == [
        "course.yaml:9: hours: the modules' hours add up to 8, but the course says 9",
        "modules/01-grundlagen/lessons/01-was-sind-buergerdienste.md:6: activity.kind: 'reflektion' is not "
        "allowed here; use one of 'reflection', 'world-cafe', 'exercise', 'discussion' or 'case-study'",
        "modules/01-grundlagen/quiz.yaml:15: YAML syntax error: while parsing a flow sequence, expected ',' "
        "or ']', but got '?'",
        "modules/02-umsetzung/lessons/02-beteiligung.md:12: body: the lesson has no text after its front "
        "matter",
        "modules/02-umsetzung/lessons/03-Fall.md: name must use only a-z, 0-9, '-', '_' and '.'; rename it, "
        "e.g. to '03-fall.md'",
        "modules/02-umsetzung/module.yaml:1: title: required key 'title' is missing",
        "modules/02-umsetzung/module.yaml:10: sessions: module 2 names sessions [7] that course.yaml does "
        "not define",
        "modules/02-umsetzung/quiz.yaml:12: questions[1].id: question id 'q-schritte' is used twice",
    ]


def test_source_error_message_lists_every_problem(course_source: Path) -> None:
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")
    (course_source / M2 / "quiz.yaml").unlink()
    with pytest.raises(SourceError) as caught:
        load_course(course_source)
    assert str(caught.value) == (
        "2 problems in the course source:\n"
        "course.yaml:9: hours: the modules' hours add up to 8, but the course says 9\n"
        "modules/02-umsetzung/quiz.yaml: file is missing"
    )


def test_missing_source_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "fehlt") == [
        Problem(
            ".", None, None, f"course source folder '{tmp_path / 'fehlt'}' does not exist or is not a folder"
        )
    ]


def test_no_module_folders(course_source: Path) -> None:
    shutil.rmtree(course_source / M1)
    shutil.rmtree(course_source / M2)
    assert problems(course_source) == [
        Problem("modules", None, None, "no module folders yet; add modules/01-name/ with module.yaml")
    ]


def test_without_source_the_built_in_curriculum_is_loaded(
    course_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("course_package.source.CURRICULUM_DIR", course_source)
    assert load_course().id == "beispielkurs"


def test_loaded_course_keeps_source_order_and_content(course_source: Path) -> None:
    course = load_course(course_source)
    module = course.module(2)
    assert [lesson.id for lesson in module.lessons] == ["vorhaben-planen", "beteiligung", "fallbeispiel"]
    assert module.lessons[1].body.startswith("## Formate der Beteiligung")
    assert module.lessons[1].activity is not None and module.lessons[1].activity.kind == "discussion"
    assert [question.type for question in module.quiz.questions] == ["ordering", "matching", "single"]


def test_strict_reports_curriculum_minimums(course_source: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_course(course_source, strict=True)
    need = "the curriculum requires at least"
    assert [str(problem) for problem in caught.value.problems] == [
        f"{M1}/lessons: has 125 words of lesson text; {need} 2500",
        f"{M1}/lessons: has 2 lessons; {need} 5",
        f"{M1}/module.yaml:7: objectives: has 2 objectives; {need} 4",
        f"{M1}/quiz.yaml:1: questions: has 3 questions; {need} 10",
        f"{M2}/lessons: has 111 words of lesson text; {need} 2500",
        f"{M2}/lessons: has 3 lessons; {need} 5",
        f"{M2}/module.yaml:7: objectives: has 2 objectives; {need} 4",
        f"{M2}/quiz.yaml:1: questions: has 3 questions; {need} 10",
    ]


def test_strict_flags_a_different_pass_mark(course_source: Path) -> None:
    edit(course_source, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 70")
    with pytest.raises(SourceError) as caught:
        load_course(course_source, strict=True)
    assert Problem(f"{M2}/module.yaml", 12, "pass_mark", "pass mark is 70; the curriculum requires 80") in (
        caught.value.problems
    )


def test_load_module_checks_one_module_alone(course_source: Path) -> None:
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")  # a course-wide problem is not its concern
    assert load_module(course_source / M2).id == "umsetzung"
    edit(course_source, f"{M2}/quiz.yaml", "id: q-formate", "id: q-schritte")
    with pytest.raises(SourceError) as caught:
        load_module(course_source / M2)
    assert caught.value.problems == (
        Problem(f"{M2}/quiz.yaml", 12, "questions[1].id", "question id 'q-schritte' is used twice"),
    )
