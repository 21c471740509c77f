"""Replays of calendar, grades, completion, SCORM, file uploads and login/token.php."""

from __future__ import annotations

import pytest
import responses

from scm_lms.moodle import (
    AccessDenied,
    InvalidToken,
    NewEvent,
    OtherMoodleError,
    Secret,
    UploadFile,
    calendar,
    files,
    grades,
    login_token,
    scorm,
)
from testkit.moodle_replay import SITE, client, replay, replaying


def test_course_events() -> None:
    with replaying("core_calendar_get_calendar_events") as moodle:
        reply = calendar.get_course_events(moodle, [3], timestart=1725228000, timeend=1733007600)
    assert [(e.id, e.name, e.repeatid) for e in reply.events][:2] == [
        (1, "Präsenztag in Görlitz", None),
        (2, "Online-Sprechstunde", 2),
    ]


def test_create_events_with_repeats() -> None:
    events = [
        NewEvent(
            name="Präsenztag in Görlitz",
            description="<p>Rathaus Görlitz, Untermarkt 6–8</p>",
            format=1,
            courseid=3,
            timestart=1726477200,
            timeduration=21600,
        ),
        NewEvent(
            name="Online-Sprechstunde",
            description="",
            courseid=3,
            timestart=1727690400,
            timeduration=3600,
            repeats=3,
        ),
    ]
    with replaying(
        "core_calendar_create_calendar_events",
        "core_calendar_create_calendar_events--course-event-without-course",
    ) as moodle:
        result = calendar.create_events(moodle, events)
        lone = calendar.create_events(moodle, [NewEvent(name="Kursereignis ohne Kurs", timestart=1726477200)])
    assert [e.timestart for e in result.records] == [1726477200, 1727690400, 1728295200, 1728900000]
    assert lone.records[0].courseid == 0, "Moodle accepts a course event without a course"


def test_grade_items_of_one_learner() -> None:
    with replaying("gradereport_user_get_grade_items") as moodle:
        report = grades.get_grade_items(moodle, 3, userid=3)
    [learner] = report.usergrades
    module, total = learner.gradeitems
    assert (module.itemmodule, module.cmid, module.graderaw, module.grademax) == ("scorm", 4, 85.0, 100.0)
    assert module.gradeformatted == "85.00", "the HTML pass icon is stripped"
    assert module.percentage == 85.0
    assert learner.course_total == total and total.graderaw == 85.0


def test_grade_items_before_attempt_have_no_grade() -> None:
    with replaying("gradereport_user_get_grade_items--before-attempt") as moodle:
        item = grades.get_grade_items(moodle, 3, userid=3).usergrades[0].gradeitems[0]
    assert (item.graderaw, item.gradeformatted, item.percentage) == (None, "-", None)


def test_grade_items_of_all_learners() -> None:
    with replaying(
        "gradereport_user_get_grade_items--all-users",
        "gradereport_user_get_grade_items--after-core-grades-update",
    ) as moodle:
        everyone = grades.get_grade_items(moodle, 3)
        updated = grades.get_grade_items(moodle, 3, userid=4)
    assert [g.useridnumber for g in everyone.usergrades][:2] == ["SCM-2024-D2-002", "SCM-2024-D2-001"]
    assert updated.usergrades[0].course_total is not None
    assert updated.usergrades[0].course_total.graderaw == 92.0


def test_course_grade_items_have_string_ids_normalised() -> None:
    with replaying("core_grades_get_gradeitems") as moodle:
        items = grades.get_course_grade_items(moodle, 3).items
    assert [(i.id, i.itemname) for i in items] == [(4, "Smart City Grundlagen (SCORM)")]


@pytest.mark.parametrize(
    "name",
    [
        "core_completion_get_activities_completion_status",
        "core_completion_get_activities_completion_status--learner-token",
    ],
)
def test_activity_completion(name: str) -> None:
    with replaying(name) as moodle:
        [status] = grades.get_activities_completion(moodle, 3, 3).statuses
    assert (status.cmid, status.modname, status.state, status.isoverallcomplete) == (4, "scorm", 1, True)


@pytest.mark.parametrize(
    ("name", "userid", "completed"),
    [
        ("core_completion_get_course_completion_status", 3, True),
        ("core_completion_get_course_completion_status--before-cron", 3, True),
        ("core_completion_get_course_completion_status--not-completed", 5, False),
    ],
)
def test_course_completion(name: str, userid: int, completed: bool) -> None:
    with replaying(name) as moodle:
        status = grades.get_course_completion(moodle, 3, userid).completionstatus
    assert status.completed is completed
    assert [c.complete for c in status.completions] == [completed]


def test_course_without_completion_criteria() -> None:
    with (
        replaying("core_completion_get_course_completion_status--no-criteria") as moodle,
        pytest.raises(OtherMoodleError, match="nocriteriaset"),
    ):
        grades.get_course_completion(moodle, 3, 3)


@pytest.mark.parametrize(
    "name", ["mod_scorm_get_scorms_by_courses", "mod_scorm_get_scorms_by_courses--learner"]
)
def test_scorms_by_course(name: str) -> None:
    with replaying(name) as moodle:
        [activity] = scorm.get_scorms(moodle, [3]).scorms
    assert (activity.id, activity.coursemodule, activity.version, activity.maxgrade) == (
        2,
        4,
        "SCORM_1.2",
        100.0,
    )


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("mod_scorm_get_scorm_attempt_count", 1),
        ("mod_scorm_get_scorm_attempt_count--admin-for-learner", 1),
        ("mod_scorm_get_scorm_attempt_count--before-attempt", 0),
    ],
)
def test_attempt_count(name: str, count: int) -> None:
    with replaying(name) as moodle:
        assert scorm.get_attempt_count(moodle, 2, 3) == count


def test_scorm_user_data_scores_become_text() -> None:
    with replaying("mod_scorm_get_scorm_user_data") as moodle:
        data = scorm.get_user_data(moodle, 2, 1)
    sco = next(d for d in data if d.scoid == 4)
    assert (sco.value("score_raw"), sco.value("cmi.core.lesson_status")) == ("85", "passed")


PDF = UploadFile("Teilnahmebescheinigung_Jürgen_Weiß.pdf", b"%PDF-1.4\n" + b"0" * 75, "application/pdf")
PLAN = UploadFile("Lehrgangsplan_SCM_D2.txt", "Lehrgangsplan Durchgang 2 – Görlitz\n".encode(), "text/plain")


def test_upload_to_draft_area() -> None:
    with replaying("webservice_upload--file") as moodle:
        [uploaded] = files.upload_draft(moodle, [PDF])
    assert (uploaded.itemid, uploaded.filename, uploaded.filesize) == (757844040, PDF.name, 84)


def test_upload_without_files_is_refused_locally() -> None:
    with pytest.raises(ValueError, match="at least one file"):
        files.upload_draft(client(), [])


def test_upload_with_rejected_token() -> None:
    with responses.RequestsMock() as rsps:
        replay(rsps, "webservice_upload--invalid-token", ignore=("filearea", "itemid"))
        with client() as moodle, pytest.raises(InvalidToken):
            moodle.upload([UploadFile("x.txt", b"x", "text/plain")])


def test_core_files_upload() -> None:
    with replaying("core_files_upload") as moodle:
        uploaded = files.upload_file(moodle, PLAN, userid=2)
    assert uploaded.url.endswith("/Lehrgangsplan_SCM_D2.txt") and uploaded.itemid == 289269378


def test_core_files_upload_outside_draft_area() -> None:
    with (
        replaying("core_files_upload--private-area") as moodle,
        pytest.raises(OtherMoodleError, match="draft"),
    ):
        moodle.write(
            "core_files_upload",
            {
                "contextlevel": "user",
                "instanceid": 2,
                "component": "user",
                "filearea": "private",
                "itemid": 0,
                "filepath": "/",
                "filename": PLAN.name,
                "filecontent": "TGVocmdhbmdzcGxhbiBEdXJjaGdhbmcgMiDigJMgR8O2cmxpdHoK",
            },
        )


@pytest.mark.parametrize("name", ["login_token--learner", "login_token--site-admin"])
def test_login_token(name: str) -> None:
    username = "admin" if "admin" in name else "juergen.weiss"
    with responses.RequestsMock() as rsps:
        replay(rsps, name)
        token = login_token(SITE, username, Secret("<PASSWORD>"), "scm_toolkit")
    assert isinstance(token, Secret) and token.reveal() == "<TOKEN>"


@pytest.mark.parametrize(
    ("name", "password", "service"),
    [
        ("login_token--wrong-password", "<WRONG PASSWORD>", "scm_toolkit"),
        ("login_token--unknown-service", "<PASSWORD>", "gibt_es_nicht"),
    ],
)
def test_login_token_errors(name: str, password: str, service: str) -> None:
    with responses.RequestsMock() as rsps:
        replay(rsps, name)
        with pytest.raises(AccessDenied) as caught:
            login_token(SITE, "juergen.weiss", Secret(password), service)
    assert password not in str(caught.value)
