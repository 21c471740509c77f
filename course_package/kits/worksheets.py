"""The participant worksheets of a module (`…-arbeitsblaetter.pdf`): one page per activity with the task,
labelled writing lines and tables to fill in.

Participants print them or keep notes beside the screen; the SCO links to this file where an activity asks
for its worksheet, and the Moodle template course offers it in the module's section.
"""

from __future__ import annotations

from course_package.kits.common import (
    ACTIVITY_KINDS,
    LessonActivity,
    activities,
    document,
    markdown,
    pdf_bytes,
    where_done,
)
from course_package.model import Course, Module
from scm_base.pdf_flow import Column, Flow


def worksheets_title(module: Module) -> str:
    return f"Arbeitsblätter Modul {module.number}: {module.title}"


_CACHE: dict[tuple[int, int, int], tuple[Course, bytes]] = {}
_CACHE_SIZE = 16


def worksheets_pdf(course: Course, module: Module, epoch: int) -> bytes:
    """`render_worksheets`, once per course object, module and epoch: the SCO flavours and the build's
    `…-arbeitsblaetter.pdf` share the same bytes instead of laying the PDF out three times."""
    key = (id(course), module.number, epoch)
    cached = _CACHE.get(key)
    if cached is not None and cached[0] is course:  # the held reference keeps id(course) from being reused
        return cached[1]
    data = render_worksheets(course, module, epoch)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = (course, data)
    return data


def render_worksheets(course: Course, module: Module, epoch: int) -> bytes:
    pdf = document(
        course,
        title=worksheets_title(module),
        subject=f"Arbeitsblätter für Teilnehmende – {course.title}, Modul {module.number}",
        keywords=[course.title, f"Modul {module.number}", "Arbeitsblätter"],
        epoch=epoch,
    )
    flow = Flow(pdf, f"{course.title} – Arbeitsblätter Modul {module.number}")
    flow.heading(worksheets_title(module), 1)
    flow.paragraph(
        "Zu jeder Aufgabe der Lektionen finden Sie hier ein Arbeitsblatt. Drucken Sie die Seiten aus oder "
        "notieren Sie Ihre Antworten daneben; in der Live-Sitzung arbeiten wir mit Ihren Notizen weiter."
    )
    items = activities(module)
    if not items:
        flow.paragraph("Die Lektionen dieses Moduls haben keine Aufgaben.")
    for index, item in enumerate(items):
        if index:
            flow.new_page()
        _sheet(flow, item)
    flow.finish()
    return pdf_bytes(pdf)


def _sheet(flow: Flow, item: LessonActivity) -> None:
    activity = item.activity
    flow.heading(f"Arbeitsblatt {item.number}: {activity.title}", 2)
    duration = f", etwa {activity.minutes} Minuten" if activity.minutes else ""
    flow.paragraph(
        f"{ACTIVITY_KINDS[activity.kind]}{duration} · Lektion {item.lesson_number}: {item.lesson.title} · "
        f"bearbeitet {where_done(item)}"
    )
    flow.heading("Aufgabe", 3)
    markdown(flow, activity.instructions)
    worksheet = activity.worksheet
    if worksheet is None:
        flow.paragraph("Notizen", style="B")
        flow.writing_lines(8)
        return
    flow.heading("Ihre Antworten", 3)
    if worksheet.intro:
        flow.paragraph(worksheet.intro)
    for entry in worksheet.fields:
        if entry.table is not None:
            table = entry.table
            flow.paragraph(table.caption, style="B")
            share = 1 / len(table.columns)
            columns = [Column(header, share) for header in table.columns]
            flow.table(columns, [[""] * len(columns) for _ in range(table.rows)], min_row=10)
        else:
            flow.paragraph(entry.label or "", style="B")
            flow.writing_lines(entry.lines or 1)
