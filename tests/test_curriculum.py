"""The built-in Smart City Manager curriculum meets the programme's minimums.

These are content requirements, not code checks: while the authors are still writing, this file fails with
one message per module saying what is missing, so it doubles as their to-do list.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from course_package import CURRICULUM_DIR
from course_package.model import (
    ChoiceQuestion,
    Course,
    MatchingQuestion,
    Module,
    OrderingQuestion,
    TrueFalseQuestion,
    word_count,
)
from course_package.source import SourceError, load_course, load_module

MODULES = 5
SESSIONS = 10
TOTAL_HOURS = 40
MIN_OBJECTIVES = 4
MIN_LESSONS = 5
MIN_WORDS = 2500
MIN_QUESTIONS = 10
PASS_MARK = 80
QUESTION_TYPES = {"single", "multiple", "true-false", "ordering", "matching"}


@functools.cache
def _load_course() -> Course | SourceError:
    try:
        return load_course()
    except SourceError as error:
        return error


def curriculum() -> Course:
    loaded = _load_course()
    if isinstance(loaded, SourceError):
        pytest.fail(f"der eingebaute Lehrplan lädt nicht ({CURRICULUM_DIR}):\n{loaded}", pytrace=False)
    return loaded


def curriculum_module(number: int) -> Module:
    folders = sorted((CURRICULUM_DIR / "modules").glob(f"{number:02d}-*/"))
    if len(folders) != 1:
        found = ", ".join(folder.name for folder in folders) or "keiner"
        pytest.fail(
            f"Modul {number} fehlt: erwartet wird genau ein Ordner course_package/curriculum/modules/"
            f"{number:02d}-<name>/ mit module.yaml, lessons/ und quiz.yaml (gefunden: {found})",
            pytrace=False,
        )
    try:
        return load_module(Path(folders[0]))
    except SourceError as error:
        pytest.fail(f"Modul {number} lädt nicht:\n{error}", pytrace=False)


@pytest.mark.parametrize("number", range(1, MODULES + 1))
def test_module_meets_minimums(number: int) -> None:
    module = curriculum_module(number)
    words = sum(word_count(lesson.body) for lesson in module.lessons)
    shortfalls = [
        f"{have} {what}, mindestens {need} nötig"
        for what, have, need in (
            ("Lernziele", len(module.objectives), MIN_OBJECTIVES),
            ("Lektionen", len(module.lessons), MIN_LESSONS),
            ("Wörter Lektionstext", words, MIN_WORDS),
            ("Quizfragen", len(module.quiz.questions), MIN_QUESTIONS),
        )
        if have < need
    ]
    if module.pass_mark != PASS_MARK:
        shortfalls.append(f"Bestehensgrenze {module.pass_mark}, muss {PASS_MARK} sein")
    assert not shortfalls, f"Modul {number} ({module.short_title}): " + "; ".join(shortfalls)


@pytest.mark.parametrize("number", range(1, MODULES + 1))
def test_every_answer_has_feedback(number: int) -> None:
    module = curriculum_module(number)
    missing = []
    for question in module.quiz.questions:
        if isinstance(question, ChoiceQuestion):
            missing += [
                f"{question.id}/{choice.id}" for choice in question.choices if not choice.feedback.strip()
            ]
        elif isinstance(question, TrueFalseQuestion):
            texts = (question.feedback_true, question.feedback_false)
            missing += [question.id] if not all(text.strip() for text in texts) else []
        elif isinstance(question, OrderingQuestion | MatchingQuestion):
            texts = (question.feedback_correct, question.feedback_incorrect)
            missing += [question.id] if not all(text.strip() for text in texts) else []
    assert not missing, f"Modul {number}: Antworten ohne Rückmeldung: {', '.join(missing)}"


def test_curriculum_loads_as_a_whole() -> None:
    assert curriculum().id == "smart-city-manager"


def test_five_modules() -> None:
    numbers = [module.number for module in curriculum().modules]
    assert numbers == list(range(1, MODULES + 1)), f"erwartet Module 1..{MODULES}, gefunden: {numbers}"


def test_hours_add_up_to_forty() -> None:
    course = curriculum()
    hours = {module.number: module.hours for module in course.modules}
    assert course.hours == TOTAL_HOURS
    assert sum(hours.values()) == TOTAL_HOURS, f"Modulstunden {hours} ergeben nicht {TOTAL_HOURS}"


def test_ten_sessions_each_covered_by_exactly_one_module() -> None:
    course = curriculum()
    assert [session.number for session in course.sessions] == list(range(1, SESSIONS + 1))
    covering = {
        number: [m.number for m in course.modules if number in m.sessions]
        for number in range(1, SESSIONS + 1)
    }
    wrong = {session: modules for session, modules in covering.items() if len(modules) != 1}
    assert not wrong, f"Sitzungen ohne genau ein Modul (Sitzung: Module): {wrong}"


def test_every_question_type_is_used() -> None:
    used = {question.type for module in curriculum().modules for question in module.quiz.questions}
    assert used == QUESTION_TYPES, f"nie verwendete Fragetypen: {sorted(QUESTION_TYPES - used)}"
