"""The course the programme teaches, as certification, reports and plans read it: the built-in curriculum,
read once per process, and the module numbers it has (which modules are graded, certified and reported)."""

from __future__ import annotations

from functools import cache

from course_package.model import Course
from course_package.source import load_course


@cache
def curriculum() -> Course:
    """The built-in curriculum, read once per process: every Durchgang of one run shares it (reading it costs
    about a second; a failed read is not cached and is reported each time)."""
    return load_course()


def module_numbers(course: Course) -> tuple[int, ...]:
    """The course's modules by number, in order: what grades are matched to and a certificate requires."""
    return tuple(module.number for module in course.modules)
