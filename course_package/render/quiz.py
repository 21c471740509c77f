"""The knowledge check as the page shows it and as the runtime scores it, derived from one quiz model.

The runtime needs the answer keys to score without a server; they sit in the page's config block, which is
acceptable for a self-check whose pass mark only unlocks a certificate together with live attendance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from course_package.model import (
    ChoiceQuestion,
    MatchingQuestion,
    Module,
    OrderingQuestion,
    Question,
    TrueFalseQuestion,
)
from course_package.render.strings import strings
from scm_base.errors import ToolkitError

SUSPEND_LIMIT_12 = 4096
"""CMIString4096: the smallest suspend_data any target LMS must accept; both versions stay within it."""
SUSPEND_VERSION = "v2"
MAX_ATTEMPTS_STORED = 36**2 - 1
"""The attempt counter is stored as two base-36 digits and stops counting here."""
DESCRIPTION_LIMIT = 250
"""SCORM 2004 interaction descriptions are CMILangString250."""


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True)
class Control:
    """One native control of a question: a choice input or a labelled select."""

    id: str
    label: str
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class QuestionView:
    id: str
    number: int
    kind: str
    prompt: str
    controls: tuple[Control, ...]
    feedback: tuple[tuple[str, str], ...]
    """(key, text) pairs the result view reveals; keys are what the runtime toggles."""
    solution: str = ""
    config: dict[str, Any] = field(default_factory=dict)


def shuffled(question_id: str, count: int) -> list[int]:
    """A fixed permutation per question that never shows the solution order as it is."""
    order = list(range(count))
    random.Random(f"scm:{question_id}").shuffle(order)
    if order == sorted(order):
        order = order[1:] + order[:1]
    return order


def question_views(module: Module) -> list[QuestionView]:
    return [_view(question, number) for number, question in enumerate(module.quiz.questions, start=1)]


def _view(question: Question, number: int) -> QuestionView:
    t = strings()
    true_text, false_text = t("answer_true"), t("answer_false")
    base = f"q-{question.id}"
    config: dict[str, Any] = {
        "id": interaction_id(question.id, number),
        "slug": question.id,
        "type": question.type,
        "description": " ".join(question.prompt.split()).lstrip("{")[:DESCRIPTION_LIMIT],
    }
    if isinstance(question, ChoiceQuestion):
        config |= {
            "ids": [short_identifier(c.id) for c in question.choices],
            "key": [i for i, c in enumerate(question.choices) if c.correct],
        }
        controls = tuple(
            Control(f"{base}-{i}", c.text, (Option(str(i), c.text),)) for i, c in enumerate(question.choices)
        )
        feedback = tuple((f"c{i}", c.feedback) for i, c in enumerate(question.choices))
        solution = ", ".join(c.text for c in question.choices if c.correct)
    elif isinstance(question, TrueFalseQuestion):
        config |= {"key": question.answer}
        controls = (
            Control(f"{base}-1", true_text, (Option("1", true_text),)),
            Control(f"{base}-0", false_text, (Option("0", false_text),)),
        )
        feedback = (("t1", question.feedback_true), ("t0", question.feedback_false))
        solution = true_text if question.answer else false_text
    elif isinstance(question, OrderingQuestion):
        order = shuffled(question.id, len(question.items))
        positions = tuple(Option(str(p), str(p)) for p in range(1, len(question.items) + 1))
        config |= {
            "ids": [short_identifier(question.items[i].id) for i in order],
            "key": [i + 1 for i in order],
        }
        controls = tuple(
            Control(f"{base}-{n}", t("ordering_label", item=question.items[i].text), positions)
            for n, i in enumerate(order)
        )
        feedback = (("ok", question.feedback_correct), ("wrong", question.feedback_incorrect))
        solution = " → ".join(item.text for item in question.items)
    else:
        assert isinstance(question, MatchingQuestion)
        order = shuffled(question.id, len(question.pairs))
        options = tuple(Option(str(n + 1), question.pairs[i].match) for n, i in enumerate(order))
        config |= {
            "ids": [short_identifier(p.id) for p in question.pairs],
            "options": [short_identifier(question.pairs[i].id) for i in order],
            "key": [order.index(i) + 1 for i in range(len(question.pairs))],
        }
        controls = tuple(
            Control(f"{base}-{n}", t("matching_label", item=p.prompt), options)
            for n, p in enumerate(question.pairs)
        )
        feedback = (("ok", question.feedback_correct), ("wrong", question.feedback_incorrect))
        solution = "; ".join(f"{p.prompt} – {p.match}" for p in question.pairs)
    return QuestionView(
        question.id, number, question.type, question.prompt, controls, feedback, solution, config
    )


def interaction_id(question_id: str, number: int) -> str:
    """SCORM interaction ids need two characters at least; one-letter slugs get their question number."""
    return question_id if len(question_id) >= 2 else f"q{number}-{question_id}"


def short_identifier(slug: str) -> str:
    """Moodle's SCORM 2004 player accepts only [A-Za-z0-9_.] in response ids; slugs never contain "_"."""
    return slug.replace("-", "_")


def _answer_width(question: Question) -> int:
    """Characters the runtime's suspend format spends on this question's answer when fully answered."""
    if isinstance(question, ChoiceQuestion):
        return len(_base36(2 ** len(question.choices) - 1)) if question.type == "multiple" else 1
    if isinstance(question, TrueFalseQuestion):
        return 1
    if isinstance(question, OrderingQuestion):
        return len(question.items)
    return len(question.pairs)


def page_count_bound(module: Module) -> int:
    """Views the SCO can have: start, each lesson, the glossary, the test and the result."""
    return len(module.lessons) + 4


def worst_case_suspend_data(module: Module) -> str:
    """The longest suspend_data the runtime can write for this module (mirrors `suspend-state.js`)."""
    answers = ",".join("9" * _answer_width(q) for q in module.quiz.questions)
    read = "f" * -(-page_count_bound(module) // 4)
    return "|".join([SUSPEND_VERSION, _base36(MAX_ATTEMPTS_STORED), _base36(7), "100", answers, read])


class RenderError(ToolkitError, ValueError):
    """A valid source that cannot become a working SCO; the message names the module and what to change."""


def check_suspend_budget(module: Module) -> None:
    """The learner's worst-case state must fit SCORM 1.2's suspend_data, or resuming would lose answers."""
    length = len(worst_case_suspend_data(module))
    if length > SUSPEND_LIMIT_12:
        raise RenderError(
            f"Modul {module.number} ({module.id}): das Quiz braucht bis zu {length} Zeichen suspend_data, "
            f"mehr als die {SUSPEND_LIMIT_12}, die SCORM 1.2 garantiert; kürzen Sie das Quiz "
            "(weniger Fragen) oder teilen Sie das Modul"
        )


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text
