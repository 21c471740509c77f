"""What guide and worksheets share: document set-up, Markdown as paragraphs, a module's activities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from course_package.kits.text import pieces
from course_package.model import Activity, Course, Lesson, Module
from course_package.mornings import Block, Morning
from scm_base.pdf import a4_document
from scm_base.pdf_flow import Flow

KIND_NAMES = {
    "input": "Input",
    "exercise": "Übung",
    "plenary": "Plenum",
    "break": "Pause",
    "check-in": "Einstieg",
    "reflection": "Reflexion",
}
ACTIVITY_KINDS = {
    "reflection": "Reflexion",
    "world-cafe": "World Café",
    "exercise": "Übung",
    "discussion": "Diskussion",
    "case-study": "Fallstudie",
}


@dataclass(frozen=True)
class LessonActivity:
    """An activity with where it sits: its lesson, its number in the module (k.n) and the block using it."""

    number: str
    lesson_number: int
    lesson: Lesson
    activity: Activity
    picked_up: tuple[Morning, Block] | None


def activities(module: Module) -> list[LessonActivity]:
    found: list[LessonActivity] = []
    for index, lesson in enumerate(module.lessons, 1):
        if lesson.activity is None:
            continue
        found.append(
            LessonActivity(
                f"{module.number}.{len(found) + 1}",
                index,
                lesson,
                lesson.activity,
                picked_up(module, lesson.id),
            )
        )
    return found


def picked_up(module: Module, lesson_id: str) -> tuple[Morning, Block] | None:
    for morning in module.mornings:
        for block in morning.blocks:
            if block.activity == lesson_id:
                return morning, block
    return None


def where_done(item: LessonActivity) -> str:
    if item.picked_up is not None:
        morning, block = item.picked_up
        return f"am Vormittag {morning.number}, {block.start}–{block.end} Uhr ({block.title})"
    if item.activity.self_study:
        return "im Selbststudium"
    return "noch nicht festgelegt"


def document(course: Course, *, title: str, subject: str, keywords: Sequence[str], epoch: int) -> FPDF:
    return a4_document(
        title=title,
        author=course.provider,
        subject=subject,
        keywords=list(keywords),
        created=dt.datetime.fromtimestamp(epoch, dt.UTC),
        margin=20,
    )


def markdown(flow: Flow, text: str) -> None:
    for piece in pieces(text):
        if piece.heading:
            flow.paragraph(piece.text, style="B")
        elif piece.bullet:
            flow.bullets([piece.text])
        else:
            flow.paragraph(piece.text)


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
