"""The Durchgang's Moodle course as every step after `lms apply` finds it: by its idnumber, never by name.

Certification and the report both start here, so both refuse a Durchgang whose course does not exist yet with
the same German message and the same advice.
"""

from __future__ import annotations

from scm_base.errors import ToolkitError
from scm_lms.moodle import MoodleClient, courses
from scm_lms.moodle.models import Course
from scm_lms.programme import course_idnumber


class CourseMissing(ToolkitError, RuntimeError):
    """The Durchgang has no Moodle course yet; `lms apply` creates it."""


def durchgang_course(client: MoodleClient, key: str) -> Course:
    """The course whose idnumber is `SCM-<key>`; CourseMissing when Moodle holds none."""
    idnumber = course_idnumber(key)
    found = courses.get_courses(client, "idnumber", idnumber).courses
    if not found:
        raise CourseMissing(
            f"Moodle-Kurs mit ID-Nummer {idnumber} nicht gefunden; erst „scm-lms lms apply {key}“ ausführen"
        )
    return found[0]
