"""The Common Cartridge flavour: plain pages that stay complete when an LMS strips every script.

The pages do not link to each other: the cartridge's organisation gives their order and every LMS navigates by
it, while Moodle's importer copies each page's body but none of the other HTML files, so a "Weiter" or a table
of contents would lead nowhere there (see docs/inhalte-gestalten.md).
"""

from __future__ import annotations

from course_package.model import Course, Module
from course_package.render.env import package_file, render_template
from course_package.render.strings import strings

GLOSSARY_PAGE = "glossar.html"
"""After the lessons in the cartridge's organisation (`scorm/cc11.py` orders lessons first)."""


def lesson_page_name(index: int, lesson_id: str) -> str:
    return f"lesson-{index + 1:02d}-{lesson_id}.html"


def render_cc(course: Course, module: Module) -> dict[str, bytes]:
    sequence = ["index.html", *(lesson_page_name(i, lesson.id) for i, lesson in enumerate(module.lessons))]
    files: dict[str, bytes] = {"css/scm.css": package_file("course_package", "static", "css", "scm.css")}
    for position, name in enumerate(sequence):
        lesson = module.lessons[position - 1] if position else None
        title = lesson.title if lesson else strings()(
            "module_label", number=module.number, title=module.title
        )
        files[name] = render_template(
            "cc_page.html.j2", course=course, module=module, lesson=lesson, page_title=title, glossary=[]
        )
    terms = course.glossary.for_module(module.number)
    if terms:
        title = strings()("glossary_title")
        files[GLOSSARY_PAGE] = render_template(
            "cc_page.html.j2", course=course, module=module, lesson=None, page_title=title, glossary=terms
        )
    return files
