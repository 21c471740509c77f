"""Manual enrolments, enrolled users and groups (`enrol_manual_*`, `core_enrol_*`, `core_group_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scm_lms.moodle.inputs import Enrolment, GroupMember, NewGroup, Unenrolment
from scm_lms.moodle.models import CourseProfile, EnrolledUser, Group, Reply
from scm_lms.moodle.parsing import read_list
from scm_lms.moodle.results import WriteResult, write_rows
from scm_lms.moodle.transport import MoodleClient
from scm_lms.moodle.verify import resend_is_safe

STUDENT_ROLE = 5  # on default installs; sites can differ, so provisioning reads it from its config


def enrol(client: MoodleClient, enrolments: Sequence[Enrolment]) -> WriteResult[Reply]:
    """Enrol (or re-enrol, overwriting dates and status) via the course's manual enrolment instance."""
    return write_rows(
        client,
        "enrol_manual_enrol_users",
        "enrolments",
        enrolments,
        describe=lambda e: f"user {e.userid} in course {e.courseid}",
        verify=resend_is_safe,
    )


def unenrol(client: MoodleClient, unenrolments: Sequence[Unenrolment]) -> WriteResult[Reply]:
    return write_rows(
        client,
        "enrol_manual_unenrol_users",
        "enrolments",
        unenrolments,
        describe=lambda e: f"user {e.userid} in course {e.courseid}",
        verify=resend_is_safe,
    )


def get_enrolled_users(
    client: MoodleClient,
    courseid: int,
    *,
    userfields: Sequence[str] | None = None,
    only_active: bool | None = None,
) -> list[EnrolledUser]:
    options: list[dict[str, Any]] = []
    if userfields is not None:
        options.append({"name": "userfields", "value": ",".join(userfields)})
    if only_active is not None:
        options.append({"name": "onlyactive", "value": only_active})
    params = {"courseid": courseid, "options": options or None}
    return read_list(client, EnrolledUser, "core_enrol_get_enrolled_users", params)


def create_groups(client: MoodleClient, groups: Sequence[NewGroup]) -> WriteResult[Group]:
    """Create groups (not resent after a lost reply: group names must be unique per course)."""
    return write_rows(
        client,
        "core_group_create_groups",
        "groups",
        groups,
        describe=lambda g: g.idnumber or g.name,
        model=Group,
    )


def add_group_members(client: MoodleClient, members: Sequence[GroupMember]) -> WriteResult[Reply]:
    """Add members; only users enrolled in the group's course are accepted."""
    return write_rows(
        client,
        "core_group_add_group_members",
        "members",
        members,
        describe=lambda m: f"user {m.userid} → group {m.groupid}",
        verify=resend_is_safe,
    )


def get_course_user_profiles(client: MoodleClient, pairs: Sequence[tuple[int, int]]) -> list[CourseProfile]:
    """(userid, courseid) pairs → each user's roles in that course and their enrolled courses, in one call.

    Moodle keys the pairs by userid (user/externallib.php), so one call sees each user in one course only.
    """
    userlist = [{"userid": userid, "courseid": courseid} for userid, courseid in pairs]
    return read_list(client, CourseProfile, "core_user_get_course_user_profiles", {"userlist": userlist})
