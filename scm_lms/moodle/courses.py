"""Course categories and courses (`core_course_*`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from scm_lms.moodle.inputs import CourseUpdate, NewCategory, NewCourse
from scm_lms.moodle.models import Category, CoursesReply, CreatedCategory, CreatedCourse, Reply
from scm_lms.moodle.parsing import parse, read_list, read_one
from scm_lms.moodle.results import WriteResult, write_rows
from scm_lms.moodle.transport import MoodleClient
from scm_lms.moodle.verify import all_or_none, resend_is_safe

CourseField = Literal["id", "ids", "shortname", "idnumber", "category"]


def get_categories(
    client: MoodleClient, key: str, value: str, *, include_subcategories: bool = False
) -> list[Category]:
    """Categories matching one criterion (`idnumber`, `id`, `name`, `parent`, …)."""
    params: dict[str, Any] = {"criteria": [{"key": key, "value": value}]}
    if include_subcategories:
        params["addsubcategories"] = True
    return read_list(client, Category, "core_course_get_categories", params)


def create_categories(
    client: MoodleClient, categories: Sequence[NewCategory]
) -> WriteResult[CreatedCategory]:
    def verify(rows: Sequence[Any]) -> Any:
        found = [get_categories(client, "idnumber", row["idnumber"]) for row in rows]
        return all_or_none(
            "core_course_create_categories",
            [{"id": hits[0].id, "name": hits[0].name} if hits else None for hits in found],
        )

    checkable = all(category.idnumber for category in categories)  # without idnumbers, never resend
    return write_rows(
        client,
        "core_course_create_categories",
        "categories",
        categories,
        describe=lambda c: c.idnumber or c.name,
        verify=verify if checkable else None,
        model=CreatedCategory,
    )


def get_courses(client: MoodleClient, field: CourseField, value: str | int) -> CoursesReply:
    return read_one(
        client, CoursesReply, "core_course_get_courses_by_field", {"field": field, "value": value}
    )


def get_all_courses(client: MoodleClient) -> CoursesReply:
    """Every course the token may see: `field` left out (course/externallib.php get_courses_by_field reads the
    whole course table then; its reply has the same shape as the recorded field searches)."""
    return read_one(client, CoursesReply, "core_course_get_courses_by_field", {})


def _created_by_shortname(client: MoodleClient, shortnames: Sequence[str]) -> Any:
    found = [get_courses(client, "shortname", name).courses for name in shortnames]
    return all_or_none(
        "core_course_create_courses",
        [{"id": hits[0].id, "shortname": hits[0].shortname} if hits else None for hits in found],
    )


def create_courses(client: MoodleClient, courses: Sequence[NewCourse]) -> WriteResult[CreatedCourse]:
    return write_rows(
        client,
        "core_course_create_courses",
        "courses",
        courses,
        describe=lambda c: c.shortname,
        verify=lambda rows: _created_by_shortname(client, [row["shortname"] for row in rows]),
        model=CreatedCourse,
    )


def duplicate_course(
    client: MoodleClient,
    courseid: int,
    *,
    fullname: str,
    shortname: str,
    categoryid: int,
    visible: bool | None = None,
    options: Mapping[str, bool] | None = None,
    timeout: float = 900.0,
) -> CreatedCourse:
    """Copy a template course (backup and restore run synchronously, hence the long read timeout).

    Sets no idnumber or dates; follow with `update_courses`.
    """
    params: dict[str, Any] = {
        "courseid": courseid,
        "fullname": fullname,
        "shortname": shortname,
        "categoryid": categoryid,
        "visible": visible,
        "options": [{"name": name, "value": value} for name, value in (options or {}).items()] or None,
    }

    def verify() -> Any:
        found = _created_by_shortname(client, [shortname])
        return found[0] if found else None

    reply = client.write("core_course_duplicate_course", params, verify=verify, timeout=timeout)
    return parse(CreatedCourse, reply, "core_course_duplicate_course")


def update_courses(client: MoodleClient, updates: Sequence[CourseUpdate]) -> WriteResult[Reply]:
    """Apply updates; rows Moodle skips (unknown id, end date without start date) come back as warnings."""
    return write_rows(
        client,
        "core_course_update_courses",
        "courses",
        updates,
        describe=lambda u: f"course id {u.id}",
        verify=resend_is_safe,
    )
