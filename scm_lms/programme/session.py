"""One virtual morning as the programme office runs it: the one Session model of the office's flow.

The schedule places it (number, date, times), the programme file furnishes it (module, video room, trainers)
and the course source says what it is about (title, agenda). Calendar events, the plan, attendance, the
report, mails and certificates all read this one record; the course model's own `Session`/`Morning`
(course_package) stay the course-source side that the title and agenda come from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scm_lms.programme.clock import WEEKDAY_NAMES_DE, epoch, german_date
from scm_lms.programme.entries import Trainer


def default_module(number: int) -> int:
    """Two mornings per module, in order."""
    return (number + 1) // 2


@dataclass(frozen=True)
class SessionOutline:
    title: str
    """"" when the course source names no such session."""
    agenda_lines: tuple[str, ...] = ()
    """Short agenda items in order, plain German text ("09:00–09:20 Ankommen und Einstieg")."""


@dataclass(frozen=True)
class Session:
    """One scheduled virtual morning."""

    number: int
    day: dt.date
    start: dt.time
    end: dt.time
    module: int
    room: str = ""
    """The join link; "" when neither the session nor the Durchgang names one."""
    trainers: tuple[Trainer, ...] = ()
    outline: SessionOutline = SessionOutline("")
    """Title and agenda from the course source; empty until a course is joined (`mornings`)."""

    @property
    def title(self) -> str:
        return self.outline.title

    @property
    def agenda(self) -> tuple[str, ...]:
        return self.outline.agenda_lines

    @property
    def timestart(self) -> int:
        return epoch(self.day, self.start)

    @property
    def duration(self) -> int:
        """Seconds; Moodle's calendar `timeduration`."""
        return epoch(self.day, self.end) - self.timestart

    def label_de(self) -> str:
        """E.g. "Dienstag, 10.09.2024, 09:00–13:00 Uhr" for mails and tables."""
        weekday = WEEKDAY_NAMES_DE[self.day.weekday()]
        return f"{weekday}, {german_date(self.day)}, {self.start:%H:%M}–{self.end:%H:%M} Uhr"
