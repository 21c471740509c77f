"""The course model: the one validated shape every later stage (render, package, LMS) reads.

Identifiers are stable slugs written by the author, never derived from titles or positions, so a rebuild or a
reworded title never changes a SCORM identifier or a Moodle mapping.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from course_package.model_base import (  # re-exported: the model speaks in paths and rules
    SLUG_PATTERN as SLUG_PATTERN,
)
from course_package.model_base import FieldPath as FieldPath
from course_package.model_base import NonEmpty as NonEmpty
from course_package.model_base import RuleError as RuleError
from course_package.model_base import Slug as Slug
from course_package.model_base import Strict as Strict
from course_package.mornings import Morning, Worksheet


class Session(Strict):
    """One of the ten virtual mornings; times are local to Europe/Berlin."""

    number: Annotated[int, Field(ge=1, le=99)]
    title: NonEmpty
    topics: list[NonEmpty] = Field(default_factory=list)


class Activity(Strict):
    """A task for the live session or for self-study attached to a lesson (e.g. World Café, reflection).

    `worksheet` is what participants fill in, `debrief` the trainer's sample solution or criteria;
    `self_study` says why no morning picks the activity up (see `course_package.morning_rules`).
    """

    kind: Literal["reflection", "world-cafe", "exercise", "discussion", "case-study"]
    title: NonEmpty
    instructions: NonEmpty
    minutes: Annotated[int, Field(ge=1, le=480)] | None = None
    worksheet: Worksheet | None = None
    debrief: NonEmpty | None = None
    self_study: NonEmpty | None = None


class SourceRef(Strict):
    """A public, verifiable document a lesson rests on; a URL only where it is the stable official one."""

    title: NonEmpty
    issuer: NonEmpty
    year: Annotated[int, Field(ge=1900, le=2100)]
    url: Annotated[str, Field(pattern=r"^https://[^\s]+$")] | None = None


UPDATED_PATTERN = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"
"""`updated: 2026-11`: a lesson says when its facts were last checked, because law and programmes change."""


class Lesson(Strict):
    id: Slug
    title: NonEmpty
    minutes: Annotated[int, Field(ge=1, le=600)]
    body: NonEmpty
    """Markdown, as written by the author (front matter removed)."""
    activity: Activity | None = None
    updated: Annotated[str, Field(pattern=UPDATED_PATTERN)] | None = None
    sources: Annotated[list[SourceRef], Field(max_length=12)] = Field(default_factory=list)


class Choice(Strict):
    id: Slug
    text: NonEmpty
    correct: bool = False
    feedback: NonEmpty


class ChoiceQuestion(Strict):
    """Single choice (exactly one correct) or multiple choice (one or more correct)."""

    id: Slug
    type: Literal["single", "multiple"]
    prompt: NonEmpty
    choices: Annotated[list[Choice], Field(min_length=2, max_length=8)]

    @model_validator(mode="after")
    def _check_correct(self) -> ChoiceQuestion:
        correct = sum(choice.correct for choice in self.choices)
        if correct == 0:
            raise RuleError(f"Frage '{self.id}' hat keine richtige Antwort", ("choices",))
        if self.type == "single" and correct > 1:
            message = (
                f"Frage '{self.id}' (type: single) hat {correct} richtige Antworten; nehmen Sie multiple"
            )
            raise RuleError(message, ("choices",))
        _unique(f"Frage '{self.id}': Antwort-ID", [choice.id for choice in self.choices], ("choices",))
        return self


class TrueFalseQuestion(Strict):
    id: Slug
    type: Literal["true-false"]
    prompt: NonEmpty
    answer: bool
    feedback_true: NonEmpty
    """Shown when the learner answers "true"."""
    feedback_false: NonEmpty


class OrderItem(Strict):
    id: Slug
    text: NonEmpty


class OrderingQuestion(Strict):
    """Items listed in the correct order; the learner assigns positions with native selects."""

    id: Slug
    type: Literal["ordering"]
    prompt: NonEmpty
    items: Annotated[list[OrderItem], Field(min_length=3, max_length=8)]
    feedback_correct: NonEmpty
    feedback_incorrect: NonEmpty

    @model_validator(mode="after")
    def _check_ids(self) -> OrderingQuestion:
        _unique(f"Frage '{self.id}': Element-ID", [item.id for item in self.items], ("items",))
        return self


class MatchPair(Strict):
    id: Slug
    prompt: NonEmpty
    match: NonEmpty


class MatchingQuestion(Strict):
    """Each prompt is matched with one answer from a native select (keyboard-usable, no drag and drop)."""

    id: Slug
    type: Literal["matching"]
    prompt: NonEmpty
    pairs: Annotated[list[MatchPair], Field(min_length=2, max_length=8)]
    feedback_correct: NonEmpty
    feedback_incorrect: NonEmpty

    @model_validator(mode="after")
    def _check_ids(self) -> MatchingQuestion:
        _unique(f"Frage '{self.id}': Paar-ID", [pair.id for pair in self.pairs], ("pairs",))
        _unique(f"Frage '{self.id}': Zuordnung", [pair.match for pair in self.pairs], ("pairs",), "match")
        return self


Question = Annotated[
    ChoiceQuestion | TrueFalseQuestion | OrderingQuestion | MatchingQuestion, Field(discriminator="type")
]


class Quiz(Strict):
    """The module's knowledge check; scored as the percentage of fully correct questions."""

    questions: Annotated[list[Question], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_ids(self) -> Quiz:
        _unique("Frage-ID", [question.id for question in self.questions], ("questions",))
        return self


class Module(Strict):
    number: Annotated[int, Field(ge=1, le=99)]
    id: Slug
    title: NonEmpty
    short_title: NonEmpty
    """Used where space is tight: navigation, file names shown to people, Moodle section names."""
    summary: NonEmpty
    objectives: Annotated[list[NonEmpty], Field(min_length=1)]
    hours: Annotated[float, Field(gt=0, le=100)]
    sessions: Annotated[list[int], Field(min_length=1)]
    """Numbers of the course sessions (virtual mornings) this module spans."""
    pass_mark: Annotated[int, Field(ge=0, le=100)] = 80
    lessons: Annotated[list[Lesson], Field(min_length=1)]
    quiz: Quiz
    mornings: list[Morning] = Field(default_factory=list)
    """The module's live mornings from `mornings/NN.yaml`, in number order; empty while not yet written."""
    figures: dict[str, str] = Field(default_factory=dict)
    """SVG files of `figures/` the lessons show, name -> checked SVG text; the loader fills it, never YAML."""

    @model_validator(mode="after")
    def _check_ids(self) -> Module:
        _unique(f"Modul {self.number}: Lektions-ID", [lesson.id for lesson in self.lessons], ("lessons",))
        return self

    def lesson(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    @property
    def scorm_id(self) -> str:
        """Identifier prefix for manifests and Moodle idnumbers; stable as long as the module number is."""
        return f"SCM-M{self.number}"


class GlossaryTerm(Strict):
    """One term a newcomer meets, explained in a sentence or two; listed in the SCO of every module named."""

    term: NonEmpty
    definition: NonEmpty
    modules: Annotated[list[Annotated[int, Field(ge=1, le=99)]], Field(min_length=1)]


class Glossary(Strict):
    """`glossary.yaml` beside course.yaml: one list for the course, so a term is defined once everywhere."""

    terms: list[GlossaryTerm] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_terms(self) -> Glossary:
        _unique("Glossarbegriff", [term.term for term in self.terms], ("terms",), "term")
        return self

    def for_module(self, number: int) -> list[GlossaryTerm]:
        """The module's terms in German dictionary order (umlauts filed with their base letter)."""
        return sorted((t for t in self.terms if number in t.modules), key=lambda t: _collation_key(t.term))


def _collation_key(text: str) -> str:
    folded = text.casefold()
    for umlaut, base in {"ä": "a", "ö": "o", "ü": "u", "ß": "ss"}.items():
        folded = folded.replace(umlaut, base)
    return folded


class MoodleTemplate(Strict):
    """How the course appears as the Moodle template course that every Durchgang is copied from.

    Provisioning and certification find the template by `idnumber`, so it is set here once, not per build.
    """

    fullname: str = ""
    """Empty: the course title with its subtitle."""
    shortname: Annotated[str, Field(min_length=1, max_length=255)] = "SCM-TEMPLATE"
    idnumber: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^\S+$")] = "SCM-TEMPLATE"
    contact: str = ""
    """Whom learners ask (office, e-mail, phone), plain text for section 0; empty: a placeholder."""
    session_time: NonEmpty = "09:00 bis 13:00 Uhr"
    """Time of day of every live morning, as section 0 states it."""


class Course(Strict):
    id: Slug
    title: NonEmpty
    subtitle: str = ""
    language: Literal["de"] = "de"
    provider: NonEmpty
    version: Annotated[str, Field(pattern=r"^\d+(\.\d+){0,2}$")] = "1.0"
    hours: Annotated[float, Field(gt=0, le=1000)]
    description: NonEmpty
    sessions: list[Session] = Field(default_factory=list)
    moodle: MoodleTemplate = MoodleTemplate()
    modules: Annotated[list[Module], Field(min_length=1)]
    glossary: Glossary = Field(default_factory=Glossary)

    @field_validator("modules")
    @classmethod
    def _modules_in_order(cls, modules: list[Module]) -> list[Module]:
        errors = module_order_errors([module.number for module in modules])
        if errors:
            raise errors[0]
        _unique("Modul-ID", [module.id for module in modules], ())
        return modules

    @model_validator(mode="after")
    def _check_sessions(self) -> Course:
        _unique("Sitzungsnummer", [str(session.number) for session in self.sessions], ("sessions",), "number")
        errors = [
            *session_errors([s.number for s in self.sessions], [m.sessions for m in self.modules]),
            *hours_errors(self.hours, [module.hours for module in self.modules]),
            *glossary_errors([term.modules for term in self.glossary.terms], len(self.modules)),
        ]
        if errors:
            raise errors[0]
        return self

    def module(self, number: int) -> Module:
        return self.modules[number - 1]


# The cross-module rules are plain functions so the source loader can apply them to the modules that did load
# even when another module is broken (pydantic skips a model's validators once any of its fields failed).


def module_order_errors(numbers: Sequence[int]) -> list[RuleError]:
    """Modules are numbered 1..n in folder order; paths are relative to the modules list."""
    for index, number in enumerate(numbers):
        if number != index + 1:
            return [
                RuleError(
                    f"Module müssen in Ordnerreihenfolge lückenlos mit 1..{len(numbers)} nummeriert sein, "
                    f"gefunden: {list(numbers)}; dies ist Modulordner {index + 1}, also muss seine Nummer "
                    f"{index + 1} sein",
                    (index, "number"),
                )
            ]
    return []


def session_errors(known: Sequence[int], module_sessions: Sequence[Sequence[int] | None]) -> list[RuleError]:
    """Every session a module names must exist in course.yaml (when it lists sessions at all)."""
    if not known:
        return []
    errors = []
    for index, sessions in enumerate(module_sessions):
        unknown = sorted(set(sessions or ()) - set(known))
        if unknown:
            errors.append(
                RuleError(
                    f"Modul {index + 1} nennt Sitzungen {unknown}, die course.yaml nicht festlegt",
                    ("modules", index, "sessions"),
                )
            )
    return errors


def glossary_errors(term_modules: Sequence[Sequence[int]], module_count: int) -> list[RuleError]:
    """A glossary term may only name modules the course has."""
    errors = []
    for index, numbers in enumerate(term_modules):
        unknown = sorted(set(numbers) - set(range(1, module_count + 1)))
        if unknown:
            message = (
                f"Glossarbegriff nennt Module {unknown}, die es nicht gibt; der Kurs hat die Module "
                f"1 bis {module_count}"
            )
            errors.append(RuleError(message, ("glossary", "terms", index, "modules")))
    return errors


def hours_errors(course_hours: float, module_hours: Sequence[float]) -> list[RuleError]:
    total = sum(module_hours)
    if abs(total - course_hours) > 0.01:
        message = f"die Stunden der Module ergeben zusammen {total:g}, der Kurs nennt aber {course_hours:g}"
        return [RuleError(message, ("hours",))]
    return []


def _unique(what: str, ids: Sequence[str], where: FieldPath, key: str = "id") -> None:
    """Raises for the second use of an id, pointing at that occurrence (where + index + key)."""
    seen: set[str] = set()
    for index, ident in enumerate(ids):
        if ident in seen:
            raise RuleError(f"{what} '{ident}' ist doppelt vergeben", (*where, index, key))
        seen.add(ident)


_FIGURE_BLOCK = re.compile(r"^ {0,3}```+[ \t]*figure[ \t]*\n.*?^ {0,3}```+[ \t]*$", re.MULTILINE | re.DOTALL)


def word_count(markdown: str) -> int:
    """Counts words of running text, ignoring Markdown punctuation, so minimums measure prose, not markup.

    Figure blocks do not count: their texts describe a picture, they do not add lesson text.
    """
    return len(re.findall(r"[0-9A-Za-zÄÖÜäöüß][\w\-–]*", _FIGURE_BLOCK.sub("", markdown)))
