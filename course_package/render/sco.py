"""The SCO flavours: one HTML document holding every view, plus the stylesheet and the learner runtime."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from course_package.model import Course, Module
from course_package.render.env import json_script, package_file, render_template
from course_package.render.markdown import FIGURE_FOLDER
from course_package.render.quiz import check_suspend_budget, question_views
from course_package.render.strings import strings
from scm_base.zipfile_det import source_date_epoch

WORKSHEETS_FILE = "arbeitsblaetter.pdf"
"""The module's worksheets inside the SCO, so the link works offline and in any LMS."""


@dataclass(frozen=True)
class WorksheetLink:
    href: str
    number: str
    """The activity's number in the worksheets PDF, e.g. "2.1"."""
    size: str
    """German, e.g. "34 KB"."""

RUNTIME_SCRIPTS = ("scorm-api.js", "suspend-state.js", "player.js")
"""Loaded in this order; each adds to the one `window.SCM` namespace."""

RUNTIME_STRINGS = (
    "page_of", "missing_answers", "result_score", "result_passed", "result_failed", "result_best",
    "announce_result", "verdict_passed", "verdict_failed", "finished", "finished_no_lms", "no_lms",
    "lms_error", "lessons_done", "toc_unread", "toc_read", "toc_current",
)


@dataclass(frozen=True)
class Page:
    """One entry of the learner's table of contents: a view id and the title the learner sees."""

    view: str
    title: str
    lesson: bool = False


def pages(course: Course, module: Module) -> list[Page]:
    """Every view in reading order except the result, which only an evaluated test opens."""
    t = strings()
    listed = [Page("view-start", t("toc_start"))]
    listed += [Page(f"lesson-{lesson.id}", lesson.title, lesson=True) for lesson in module.lessons]
    if course.glossary.for_module(module.number):
        listed.append(Page("view-glossary", t("glossary_title")))
    return [*listed, Page("view-quiz", t("quiz_title"))]


def render_sco(course: Course, module: Module, version: Literal["1.2", "2004"]) -> dict[str, bytes]:
    check_suspend_budget(module)
    t = strings()
    questions = question_views(module)
    listed = pages(course, module)
    views = [page.view for page in listed] + ["view-result"]
    config: dict[str, Any] = {
        "version": version,
        "module": module.scorm_id,
        "passMark": module.pass_mark,
        "views": views,
        "titleSuffix": f" – {course.title}",
        "questions": [q.config for q in questions],
        "lessonPages": [index for index, page in enumerate(listed) if page.lesson],
        "strings": t.raw(*RUNTIME_STRINGS),
    }
    scripts = [f"js/{name}" for name in RUNTIME_SCRIPTS]
    worksheets, pdf = _worksheets(course, module)
    files = {
        "index.html": render_template(
            "sco.html.j2", course=course, module=module, questions=questions,
            config=json_script(config), scripts=scripts, worksheets=worksheets, pages=listed,
            glossary=course.glossary.for_module(module.number),
        ),
        "css/scm.css": package_file("course_package", "static", "css", "scm.css"),
    }
    if pdf is not None:
        files[WORKSHEETS_FILE] = pdf
    for name, path in zip(RUNTIME_SCRIPTS, scripts, strict=True):
        files[path] = package_file("scorm", "runtime", name)
    for name, svg in module.figures.items():
        files[f"{FIGURE_FOLDER}/{name}"] = svg.encode("utf-8")
    return files


def _worksheets(course: Course, module: Module) -> tuple[dict[str, WorksheetLink], bytes | None]:
    """Links for the activities that have a worksheet, and the PDF they open (None when none has one).

    The PDF carries the build's `SOURCE_DATE_EPOCH`, so it equals the `…-arbeitsblaetter.pdf` of the same
    build and rebuilds stay byte-identical.
    """
    from course_package.kits.common import activities
    from course_package.kits.worksheets import worksheets_pdf

    asked = [item for item in activities(module) if item.activity.worksheet is not None]
    if not asked:
        return {}, None
    pdf = worksheets_pdf(course, module, source_date_epoch())
    size = f"{max(1, round(len(pdf) / 1024))} KB"
    return {item.lesson.id: WorksheetLink(WORKSHEETS_FILE, item.number, size) for item in asked}, pdf
