"""Grades and completion, the inputs of certification (`gradereport_user_*`, `core_grades_*`,
`core_completion_*`)."""

from __future__ import annotations

from scm_lms.moodle.models import ActivitiesCompletion, CourseCompletion, CourseGradeItems, GradeReport
from scm_lms.moodle.parsing import read_one
from scm_lms.moodle.transport import MoodleClient


def get_grade_items(
    client: MoodleClient, courseid: int, *, userid: int | None = None, groupid: int | None = None
) -> GradeReport:
    """Every grade item of one user, or of all users when `userid` is None or 0 (needs grade:viewall)."""
    params = {"courseid": courseid, "userid": userid, "groupid": groupid}
    return read_one(client, GradeReport, "gradereport_user_get_grade_items", params)


def get_course_grade_items(client: MoodleClient, courseid: int) -> CourseGradeItems:
    return read_one(client, CourseGradeItems, "core_grades_get_gradeitems", {"courseid": courseid})


def get_activities_completion(client: MoodleClient, courseid: int, userid: int) -> ActivitiesCompletion:
    params = {"courseid": courseid, "userid": userid}
    return read_one(client, ActivitiesCompletion, "core_completion_get_activities_completion_status", params)


def get_course_completion(client: MoodleClient, courseid: int, userid: int) -> CourseCompletion:
    """One learner's course completion; raises `OtherMoodleError` (nocriteriaset) without criteria."""
    params = {"courseid": courseid, "userid": userid}
    return read_one(client, CourseCompletion, "core_completion_get_course_completion_status", params)
