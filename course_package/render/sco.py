"""The SCO flavours: one HTML document holding every view, plus the stylesheet and the learner runtime."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from course_package.model import Course, Module
from course_package.render.env import json_script, package_file, render_template
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
    "lms_error",
)


def render_sco(course: Course, module: Module, version: Literal["1.2", "2004"]) -> dict[str, bytes]:
    check_suspend_budget(module)
    t = strings()
    questions = question_views(module)
    views = ["view-start", *(f"lesson-{lesson.id}" for lesson in module.lessons), "view-quiz", "view-result"]
    config: dict[str, Any] = {
        "version": version,
        "module": module.scorm_id,
        "passMark": module.pass_mark,
        "views": views,
        "titleSuffix": f" – {course.title}",
        "questions": [q.config for q in questions],
        "strings": t.raw(*RUNTIME_STRINGS),
    }
    scripts = [f"js/{name}" for name in RUNTIME_SCRIPTS]
    worksheets, pdf = _worksheets(course, module)
    files = {
        "index.html": render_template(
            "sco.html.j2", course=course, module=module, questions=questions,
            config=json_script(config), scripts=scripts, worksheets=worksheets,
        ),
        "css/scm.css": package_file("course_package", "static", "css", "scm.css"),
    }
    if pdf is not None:
        files[WORKSHEETS_FILE] = pdf
    for name, path in zip(RUNTIME_SCRIPTS, scripts, strict=True):
        files[path] = package_file("scorm", "runtime", name)
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
