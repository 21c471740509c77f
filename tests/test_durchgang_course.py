"""The one finder of a Durchgang's Moodle course (certification and report both start there)."""

from __future__ import annotations

import pytest
import responses

from scm_lms.programme import course_idnumber
from scm_lms.provision.course import CourseMissing, durchgang_course
from testkit.moodle_replay import client, load, replaying, respond_with


def test_the_course_is_found_by_the_idnumber_of_the_durchgang() -> None:
    assert course_idnumber("2024-D2") == "SCM-2024-D2"
    with replaying("core_course_get_courses_by_field") as moodle:  # asks field=idnumber, value=SCM-2024-D2
        assert durchgang_course(moodle, "2024-D2").id == 3


def test_a_missing_course_says_to_run_apply_first() -> None:
    empty = load("core_course_get_courses_by_field--not-found")["response"]
    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, "/webservice/rest/server.php", lambda fields: empty)
        with client() as moodle, pytest.raises(CourseMissing) as caught:
            durchgang_course(moodle, "2024-D7")
    assert str(caught.value) == (
        "Moodle-Kurs mit ID-Nummer SCM-2024-D7 nicht gefunden; erst „scm-lms lms apply 2024-D7“ ausführen"
    )
    assert ("field", "idnumber") in calls[0] and ("value", "SCM-2024-D7") in calls[0]
