"""Replays of site info, categories and courses: exact request fields and typed results."""

from __future__ import annotations

import pytest

from scm_lms.moodle import (
    CourseUpdate,
    DuplicateKey,
    FunctionNotAvailable,
    InvalidParameter,
    NewCategory,
    NewCourse,
    NotFound,
    courses,
    site,
)
from testkit.moodle_replay import replaying


def test_site_info() -> None:
    with replaying("core_webservice_get_site_info") as moodle:
        info = site.get_site_info(moodle)
    assert (info.release, info.version, info.sitename) == (
        "4.5dev+ (Build: 20240903)",
        "2024090300",
        "SCM Reference Moodle",
    )
    assert (info.username, info.userid, info.userissiteadmin) == ("admin", 2, True)
    # The recording was made before the roles check (#14) and the events that follow the programme (#11);
    # every other function the toolkit calls is in the recorded service, those added later are reported.
    assert site.missing_functions(info) == [
        "core_user_get_course_user_profiles",
        "core_calendar_get_calendar_event_by_id",
        "core_calendar_update_event_start_day",
        "core_calendar_submit_create_update_form",
        "core_calendar_delete_calendar_events",
    ]


def test_site_info_reports_functions_missing_from_the_service() -> None:
    with replaying("core_webservice_get_site_info--learner") as moodle:
        info = site.get_site_info(moodle)
    assert info.username == "juergen.weiss"
    wanted = ("core_user_create_users", "core_calendar_delete_calendar_events", "core_course_delete_courses")
    assert site.missing_functions(info, wanted) == [
        "core_calendar_delete_calendar_events",
        "core_course_delete_courses",
    ]


def test_get_categories_with_subcategories_sends_boolean_as_1() -> None:
    with replaying("core_course_get_categories") as moodle:
        found = courses.get_categories(moodle, "idnumber", "SCM", include_subcategories=True)
    assert [(c.id, c.idnumber, c.parent, c.path) for c in found] == [
        (2, "SCM", 0, "/2"),
        (3, "SCM-2024", 2, "/2/3"),
    ]


def test_get_categories_not_found_is_empty() -> None:
    with replaying("core_course_get_categories--not-found") as moodle:
        assert courses.get_categories(moodle, "idnumber", "GIBT-ES-NICHT") == []


def test_create_categories() -> None:
    with replaying("core_course_create_categories", "core_course_create_categories--subcategory") as moodle:
        top = courses.create_categories(
            moodle,
            [
                NewCategory(
                    name="Smart City Manager",
                    parent=0,
                    idnumber="SCM",
                    description="<p>Zertifikatslehrgang Smart City Manager für Kommunen</p>",
                    descriptionformat=1,
                )
            ],
        )
        sub = courses.create_categories(
            moodle, [NewCategory(name="Durchgänge 2024", parent=2, idnumber="SCM-2024")]
        )
    assert [(c.id, c.name) for c in top.records + sub.records] == [
        (2, "Smart City Manager"),
        (3, "Durchgänge 2024"),
    ]


def test_duplicate_category_idnumber_is_reported_by_idnumber() -> None:
    with replaying("core_course_create_categories--duplicate-idnumber") as moodle:
        result = courses.create_categories(moodle, [NewCategory(name="Doppelt", idnumber="SCM")])
    assert result.records == []
    assert [f.label for f in result.failures] == ["SCM"]
    assert isinstance(result.failures[0].error, DuplicateKey)
    assert result.failures[0].error.errorcode == "categoryidnumbertaken"


def test_get_courses_by_idnumber() -> None:
    with replaying("core_course_get_courses_by_field") as moodle:
        reply = courses.get_courses(moodle, "idnumber", "SCM-2024-D2")
    course = reply.courses[0]
    assert (course.id, course.shortname, course.categoryid, course.startdate) == (
        3,
        "SCM-2024-D2",
        3,
        1725228000,
    )
    assert course.enablecompletion is True and course.enrollmentmethods == ["manual"]
    assert reply.warnings == []


def test_get_courses_not_found() -> None:
    with replaying("core_course_get_courses_by_field--not-found") as moodle:
        assert courses.get_courses(moodle, "shortname", "GIBT-ES-NICHT").courses == []


def test_invalid_field_raises() -> None:
    with (
        replaying("core_course_get_courses_by_field--invalid-field") as moodle,
        pytest.raises(InvalidParameter),
    ):
        courses.get_courses(moodle, "email", "x")  # type: ignore[arg-type]  # the wrong field is the test


def test_unexpected_extra_parameter_fails_the_call() -> None:
    with (
        replaying("core_course_get_courses_by_field--unexpected-parameter") as moodle,
        pytest.raises(InvalidParameter),
    ):
        moodle.read(
            "core_course_get_courses_by_field",
            {"field": "idnumber", "value": "SCM-2024-D2", "includehidden": True},
        )


NEW_COURSE = NewCourse(
    fullname="Smart City Manager – Durchgang 2 (Sep/Okt 2024)",
    shortname="SCM-2024-D2",
    idnumber="SCM-2024-D2",
    categoryid=3,
    summary="<p>Lehrgang für Mitarbeitende aus Kommunen in Sachsen (Görlitz, Bautzen, Zittau).</p>",
    summaryformat=1,
    format="topics",
    numsections=4,
    startdate=1725228000,
    enddate=1730415600,
    visible=True,
    enablecompletion=True,
)


def test_create_courses() -> None:
    with replaying("core_course_create_courses") as moodle:
        result = courses.create_courses(moodle, [NEW_COURSE])
    assert [(c.id, c.shortname) for c in result.records] == [(3, "SCM-2024-D2")]
    assert result.ok


@pytest.mark.parametrize(
    ("name", "course", "code"),
    [
        (
            "core_course_create_courses--duplicate-idnumber",
            NewCourse(
                fullname="Kopie mit gleicher ID-Nummer",
                shortname="SCM-2024-D2-X",
                idnumber="SCM-2024-D2",
                categoryid=3,
            ),
            "courseidnumbertaken",
        ),
        (
            "core_course_create_courses--duplicate-shortname",
            NewCourse(
                fullname="Kopie mit gleichem Kurznamen",
                shortname="SCM-2024-D2",
                idnumber="SCM-2024-D2-Y",
                categoryid=3,
            ),
            "shortnametaken",
        ),
        (
            "core_course_create_courses--empty-lang",
            NewCourse(fullname="Kurs mit leerer Sprache", shortname="SCM-LANG-LEER", categoryid=3, lang=""),
            "errorinvalidparam",
        ),
    ],
)
def test_refused_courses_are_reported_by_shortname(name: str, course: NewCourse, code: str) -> None:
    with replaying(name) as moodle:
        result = courses.create_courses(moodle, [course])
    assert [f.label for f in result.failures] == [course.shortname]
    assert result.failures[0].error.errorcode == code


def test_course_in_missing_category_raises() -> None:
    course = NewCourse(fullname="Kurs in fehlender Kategorie", shortname="SCM-FEHLT", categoryid=99999)
    with (
        replaying("core_course_create_courses--nonexistent-category") as moodle,
        pytest.raises(Exception, match="errorcatcontextnotvalid"),
    ):
        courses.create_courses(moodle, [course])


def test_missing_required_field_is_isolated() -> None:
    with replaying("core_course_create_courses--missing-required-field") as moodle:
        outcome = moodle.write_many(
            "core_course_create_courses",
            "courses",
            [{"fullname": "Kurs ohne Kategorie", "shortname": "SCM-OHNE-KAT"}],
        )
    assert [type(f.error) for f in outcome.failures] == [InvalidParameter]


def test_duplicate_course() -> None:
    with replaying("core_course_duplicate_course") as moodle:
        copy = courses.duplicate_course(
            moodle,
            3,
            fullname="Smart City Manager – Durchgang 3 (Nov/Dez 2024)",
            shortname="SCM-2024-D3",
            categoryid=3,
            visible=False,
            options={"users": False},
        )
    assert (copy.id, copy.shortname) == (4, "SCM-2024-D3")


def test_duplicate_course_with_taken_shortname() -> None:
    with (
        replaying("core_course_duplicate_course--duplicate-shortname") as moodle,
        pytest.raises(DuplicateKey),
    ):
        courses.duplicate_course(moodle, 3, fullname="Noch eine Kopie", shortname="SCM-2024-D2", categoryid=3)


def test_update_courses() -> None:
    update = CourseUpdate(
        id=3,
        summary="<p>Lehrgang für Mitarbeitende aus Kommunen in Sachsen (Görlitz, Bautzen, Zittau, "
        "Weißwasser/O.L.).</p>",
        startdate=1725228000,
        enddate=1731020400,
    )
    with replaying("core_course_update_courses") as moodle:
        assert courses.update_courses(moodle, [update]).ok


@pytest.mark.parametrize(
    ("name", "update", "code"),
    [
        (
            "core_course_update_courses--enddate-without-startdate",
            CourseUpdate(id=3, enddate=1731625200),
            "nostartdatenoenddate",
        ),
        (
            "core_course_update_courses--nonexistent-course",
            CourseUpdate(id=99999, fullname="Gibt es nicht"),
            "invalidrecord",
        ),
    ],
)
def test_skipped_updates_come_back_as_warnings(name: str, update: CourseUpdate, code: str) -> None:
    with replaying(name) as moodle:
        result = courses.update_courses(moodle, [update])
    assert [(w.itemid, w.warningcode) for w in result.warnings] == [(update.id, code)]
    assert not result.ok


def test_function_not_in_service() -> None:
    with (
        replaying("core_course_delete_courses--not-in-service--debug") as moodle,
        pytest.raises(FunctionNotAvailable) as caught,
    ):
        moodle.write("core_course_delete_courses", {"courseids": [999]})
    assert "External services" in str(caught.value)


def test_unknown_function() -> None:
    with (
        replaying("local_scm_does_not_exist--unknown-function") as moodle,
        pytest.raises(FunctionNotAvailable),
    ):
        moodle.read("local_scm_does_not_exist")


def test_missing_course_is_not_found() -> None:
    with replaying("core_course_get_contents--nonexistent-course") as moodle, pytest.raises(NotFound):
        moodle.read("core_course_get_contents", {"courseid": 99999})
