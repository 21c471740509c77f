"""Fixed database ids for everything in the backup.

Moodle maps every old id to a new one on restore, so the numbers only need to be stable and unique per kind.
They are computed from positions (section number, SCO index) rather than counted, so a reader of the XML can
tell what an id points at, and adding a SCO to module 1 never shifts the ids of module 2.
"""

from __future__ import annotations

COURSE = 2
COURSE_CONTEXT = 20
SYSTEM_CONTEXT = 1
CATEGORY = 1
GRADE_CATEGORY = 1
COURSE_GRADE_ITEM = 1
NEWS_FORUM = 1
STUDENT_ROLE = 5
ENROL_MANUAL, ENROL_GUEST, ENROL_SELF = 1, 2, 3
PER_ACTIVITY = 10_000
"""Room for SCOs, SCO data rows and files of one activity."""


def section(number: int) -> int:
    return 100 + number


def cm(number: int) -> int:
    """Course module in section `number` (0 is the news forum)."""
    return 200 + number


def context(number: int) -> int:
    """Module context of the course module in section `number`."""
    return 300 + number


def grade_item(number: int) -> int:
    return COURSE_GRADE_ITEM + number


def sco(number: int, index: int) -> int:
    return number * PER_ACTIVITY + index + 1


def sco_data(number: int, index: int) -> int:
    return number * PER_ACTIVITY + PER_ACTIVITY // 2 + index + 1


def first_file(number: int) -> int:
    return number * PER_ACTIVITY + 1


def resource_cm(number: int) -> int:
    """Course module of the worksheets file resource in section `number`."""
    return 400 + number


def resource_context(number: int) -> int:
    return 500 + number


def resource_first_file(number: int) -> int:
    """After the SCORM package's files and SCO data rows of the same section (see PER_ACTIVITY)."""
    return number * PER_ACTIVITY + PER_ACTIVITY - 999
