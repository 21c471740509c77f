"""Checks on the raw course data that pydantic alone cannot give us.

* Cross-module rules (numbering, sessions, hours) must still be reported when some *other* module is broken;
  pydantic skips a model's validators as soon as any field fails, so we apply the model's own rule functions
  to whatever raw values are well-typed.
* `--strict` minimums of the built-in curriculum, counted leniently so they too work on a broken source.
* Lesson bodies: what the renderer cannot show (raw HTML, a second h1, external images, script links).

Every finding is a path in the assembled course data (or a line in a lesson) plus a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeGuard

from markdown_it import MarkdownIt
from markdown_it.token import Token

from course_package.cases import SOURCE, case_boxes
from course_package.model import FieldPath, hours_errors, module_order_errors, session_errors, word_count
from course_package.morning_rules import world_cafe_findings

Finding = tuple[FieldPath, str]


@dataclass(frozen=True)
class Minimums:
    objectives: int
    lessons: int
    words: int
    questions: int
    pass_mark: int
    sources: tuple[int, int] = (3, 5)
    """Sources per lesson (at least, at most): enough to check a claim, few enough to be read."""
    world_cafe_module: int | None = 2
    """The module whose mornings run a complete World Café (issue #12)."""
    case_boxes: int = 2
    """Praxisbeispiele from documented municipal projects per module, beside the fictional town."""
    glossary: int = 8
    """Glossary terms per module: the words a newcomer meets there, explained once."""


CURRICULUM_MINIMUMS = Minimums(objectives=4, lessons=5, words=5000, questions=10, pass_mark=80)
"""What each module of the built-in Smart City Manager curriculum must offer (`course check --strict`)."""


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _dicts(value: object) -> list[dict[str, object]]:
    """The mappings of a list, placeholders for anything else, so indexes stay aligned with the source."""
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def cross_module_findings(course: dict[str, object]) -> list[Finding]:
    modules = _dicts(course.get("modules"))
    findings: list[Finding] = []
    numbers = _int_list([module.get("number") for module in modules])
    if modules and numbers is not None:
        findings += [(("modules", *error.path), str(error)) for error in module_order_errors(numbers)]
    known = _int_list([session.get("number") for session in _dicts(course.get("sessions"))])
    if known is not None:
        spans = [_int_list(module.get("sessions")) for module in modules]
        findings += [(error.path, str(error)) for error in session_errors(known, spans)]
    hours = _number_list([module.get("hours") for module in modules])
    course_hours = course.get("hours")
    if modules and hours is not None and _is_number(course_hours):
        findings += [(error.path, str(error)) for error in hours_errors(course_hours, hours)]
    return findings


def _int_list(value: object) -> list[int] | None:
    """The list if every item is an int, else None (the rule cannot be judged yet)."""
    if isinstance(value, list):
        ints = [item for item in value if _is_int(item)]
        return ints if len(ints) == len(value) else None
    return None


def _number_list(values: list[object]) -> list[float] | None:
    numbers = [float(value) for value in values if _is_number(value)]
    return numbers if len(numbers) == len(values) else None


def strict_findings(course: dict[str, object], minimums: Minimums = CURRICULUM_MINIMUMS) -> list[Finding]:
    findings: list[Finding] = []
    for index, module in enumerate(_dicts(course.get("modules"))):
        at: FieldPath = ("modules", index)
        objectives = module.get("objectives")
        if isinstance(objectives, list) and len(objectives) < minimums.objectives:
            findings.append(((*at, "objectives"), _short("Lernziele", len(objectives), minimums.objectives)))
        lessons = _dicts(module.get("lessons"))
        if len(lessons) < minimums.lessons:
            findings.append(((*at, "lessons"), _short("Lektionen", len(lessons), minimums.lessons)))
        for number, lesson in enumerate(lessons):
            findings += lesson_reference_findings(lesson, (*at, "lessons", number), minimums.sources)
        words = sum(word_count(str(lesson.get("body", ""))) for lesson in lessons)
        if words < minimums.words:
            findings.append(((*at, "lessons"), _short("Wörter Lektionstext", words, minimums.words)))
        cases = sum(len(list(case_boxes(_MARKDOWN.parse(str(lesson.get("body", "")))))) for lesson in lessons)
        if cases < minimums.case_boxes:
            message = _short("Praxisbeispiele (> **Praxisbeispiel: …**)", cases, minimums.case_boxes)
            findings.append(((*at, "lessons"), message))
        quiz = module.get("quiz")
        questions = quiz.get("questions") if isinstance(quiz, dict) else None
        if isinstance(questions, list) and len(questions) < minimums.questions:
            message = _short("Fragen", len(questions), minimums.questions)
            findings.append(((*at, "quiz", "questions"), message))
        if module.get("number") == minimums.world_cafe_module:
            findings += world_cafe_findings(module, at)
        terms = glossary_terms(course, module.get("number"))
        if terms < minimums.glossary:
            message = (
                f"Modul {index + 1} hat {terms} Glossarbegriffe; der Lehrplan verlangt mindestens "
                f"{minimums.glossary} (Einträge mit 'modules: [{index + 1}]')"
            )
            findings.append((("glossary",), message))
        pass_mark = module.get("pass_mark", 80)
        if _is_number(pass_mark) and pass_mark != minimums.pass_mark:
            message = f"Bestehensgrenze ist {pass_mark}; der Lehrplan verlangt {minimums.pass_mark}"
            findings.append(((*at, "pass_mark"), message))
    return findings


def glossary_terms(course: dict[str, object], number: object) -> int:
    """How many glossary entries name module `number` (leniently: broken entries do not count)."""
    glossary = course.get("glossary")
    terms = _dicts(glossary.get("terms")) if isinstance(glossary, dict) else []
    named = [term.get("modules") for term in terms]
    return len([modules for modules in named if isinstance(modules, list) and number in modules])


def lesson_reference_findings(
    lesson: dict[str, object], at: FieldPath, bounds: tuple[int, int] = CURRICULUM_MINIMUMS.sources
) -> list[Finding]:
    """A lesson of a federal programme says when it was checked and what it rests on."""
    findings: list[Finding] = []
    if not lesson.get("updated"):
        message = "Stand fehlt: ergänzen Sie im Vorspann 'updated: JJJJ-MM' (Monat der letzten Prüfung)"
        findings.append(((*at, "updated"), message))
    sources = lesson.get("sources")
    count = len(sources) if isinstance(sources, list) else 0
    least, most = bounds
    if count < least:
        message = (
            f"hat {count} Quellen; der Lehrplan verlangt {least} bis {most} öffentliche, überprüfbare "
            "Quellen (title, issuer, year, optional url)"
        )
        findings.append(((*at, "sources"), message))
    elif count > most:
        message = f"hat {count} Quellen; höchstens {most}, wählen Sie die wichtigsten"
        findings.append(((*at, "sources"), message))
    return findings


def _short(what: str, have: int, need: int) -> str:
    return f"hat {have} {what}; der Lehrplan verlangt mindestens {need}"


_MARKDOWN = MarkdownIt("commonmark").enable("table")


def body_findings(body: str, first_line: int) -> list[tuple[int, str]]:
    """Lines (in the lesson file) of body content the course pages must not contain."""
    findings: list[tuple[int, str]] = []
    tokens = _MARKDOWN.parse(body)
    for box in case_boxes(tokens):
        if not box.has_source:
            opening = tokens[box.open_index]
            line = first_line + (opening.map[0] if opening.map else 0)
            message = (
                f"Praxisbeispiel ohne Quelle; schließen Sie den Kasten mit einer Zeile „> {SOURCE} Titel, "
                "Herausgeber, Jahr“ ab"
            )
            findings.append((line, message))
    for token in tokens:
        line = first_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and token.tag == "h1":
            message = (
                "der Lektionstitel ist schon die Hauptüberschrift (h1) der Seite; "
                "Überschriften im Text beginnen mit ##"
            )
            findings.append((line, message))
        elif token.type == "html_block":
            findings.append((line, "HTML ist in Lektionen nicht erlaubt; schreiben Sie stattdessen Markdown"))
        elif token.type == "inline":
            findings += [(line, message) for message in _inline_findings(token.children or [])]
    return findings


def _inline_findings(children: Sequence[Token]) -> list[str]:
    messages = []
    for child in children:
        target = str(child.attrs.get("src") or child.attrs.get("href") or "")
        if child.type == "html_inline" and not child.content.startswith("</"):
            messages.append(f"HTML {child.content!r} ist in Lektionen nicht erlaubt; schreiben Sie Markdown")
        elif child.type == "image" and target.startswith(("http:", "https:", "//")):
            messages.append(f"externes Bild {target!r} ist nicht erlaubt; Lernende sind evtl. offline")
        elif child.type == "link_open" and target.lower().startswith(("javascript:", "data:", "vbscript:")):
            messages.append(f"Linkziel {target!r} ist nicht erlaubt; verlinken Sie nur auf Webseiten")
    return messages
