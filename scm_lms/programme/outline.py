"""What a morning is about, from the course source: its title and a short agenda.

One function on purpose: the calendar event, the plan and anything else that describes a morning read it
here, so a change to the course source's morning files (`mornings/NN.yaml`) reaches them all alike.
"""

from __future__ import annotations

from course_package.model import Course
from scm_lms.programme.session import SessionOutline


def session_outline(course: Course | None, number: int) -> SessionOutline:
    """The title and agenda of morning `number` in `course`; empty without a course source."""
    if course is None:
        return SessionOutline("")
    for module in course.modules:
        for morning in module.mornings:
            if morning.number == number:
                agenda = tuple(f"{block.start}–{block.end} {block.title}" for block in morning.blocks)
                return SessionOutline(morning.title, agenda)
    for session in course.sessions:
        if session.number == number:
            return SessionOutline(session.title)
    return SessionOutline("")


def course_module(course: Course | None, number: int) -> int | None:
    """The module whose `sessions` in the course source list morning `number`; None without a course or
    when no module lists it (then the programme's default, two mornings per module, holds)."""
    if course is None:
        return None
    return next((module.number for module in course.modules if number in module.sessions), None)
