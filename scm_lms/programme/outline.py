"""What a morning is about, from the course source: its title and a short agenda.

One function on purpose: the course source is gaining per-morning agenda files, and only this function will
have to learn to read them. Until then the agenda is empty and the title is the course's session title.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_package.model import Course


@dataclass(frozen=True)
class SessionOutline:
    title: str
    """"" when the course source names no such session."""
    agenda_lines: tuple[str, ...] = ()
    """Short agenda items in order, plain German text."""


def session_outline(course: Course | None, number: int) -> SessionOutline:
    """The title (and, later, the agenda) of morning `number` in `course`; empty without a course source."""
    if course is None:
        return SessionOutline("")
    for session in course.sessions:
        if session.number == number:
            return SessionOutline(session.title)
    return SessionOutline("")
