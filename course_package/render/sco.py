"""The SCO flavours: one HTML document holding every view, plus the stylesheet and the learner runtime."""

from __future__ import annotations

from typing import Any, Literal

from course_package.model import Course, Module
from course_package.render.env import json_script, package_file, render_template
from course_package.render.quiz import check_suspend_budget, question_views
from course_package.render.strings import strings

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
    files = {
        "index.html": render_template(
            "sco.html.j2", course=course, module=module, questions=questions,
            config=json_script(config), scripts=scripts,
        ),
        "css/scm.css": package_file("course_package", "static", "css", "scm.css"),
    }
    for name, path in zip(RUNTIME_SCRIPTS, scripts, strict=True):
        files[path] = package_file("scorm", "runtime", name)
    return files
