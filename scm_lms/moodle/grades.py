"""Grades and completion, the inputs of certification (`gradereport_user_*`, `core_grades_*`,
`core_completion_*`)."""

from __future__ import annotations

from scm_lms.moodle.models import ActivitiesCompletion, CourseCompletion, CourseGradeItems, GradeReport
from scm_lms.moodle.transport import MoodleClient


def get_grade_items(
    client: MoodleClient, courseid: int, *, userid: int | None = None, groupid: int | None = None
) -> GradeReport:
    """Every grade item of one user, or of all users when `userid` is None or 0 (needs grade:viewall)."""
    params = {"courseid": courseid, "userid": userid, "groupid": groupid}
    return GradeReport.model_validate(client.read("gradereport_user_get_grade_items", params))


def get_course_grade_items(client: MoodleClient, courseid: int) -> CourseGradeItems:
    return CourseGradeItems.model_validate(client.read("core_grades_get_gradeitems", {"courseid": courseid}))


def get_activities_completion(client: MoodleClient, courseid: int, userid: int) -> ActivitiesCompletion:
    params = {"courseid": courseid, "userid": userid}
    return ActivitiesCompletion.model_validate(
        client.read("core_completion_get_activities_completion_status", params)
    )


def get_course_completion(client: MoodleClient, courseid: int, userid: int) -> CourseCompletion:
    """One learner's course completion; raises `OtherMoodleError` (nocriteriaset) without criteria."""
    params = {"courseid": courseid, "userid": userid}
    return CourseCompletion.model_validate(
        client.read("core_completion_get_course_completion_status", params)
    )
