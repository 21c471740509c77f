"""The fake Moodle (testkit/fake_moodle.py) checked against the recorded Moodle 4.5 replies."""

from __future__ import annotations

import responses

from scm_lms.moodle import NewUser, cohorts, courses, users
from testkit.fake_moodle import COURSE, INVALID, USER, FakeMoodle, Fault, fake_client, recorded
from testkit.moodle_replay import recorded_params

# --- the fake checked against the recordings ------------------------------------------------------------


def test_replies_carry_every_key_of_the_recorded_replies() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)
        site.add_user("juergen.weiss", "juergen.weiss@goerlitz.example.de", "R-1")
        raw_user = site.core_user_get_users_by_field({"field": "username", "values": ["juergen.weiss"]})[0]
        assert set(USER) - {"customfields"} <= set(raw_user)
        raw_course = site.core_course_get_courses_by_field({"field": "idnumber", "value": "SCM-TEMPLATE"})
        assert set(raw_course) == set(recorded("core_course_get_courses_by_field"))
        assert set(raw_course["courses"][0]) == set(COURSE)


def test_a_create_batch_with_one_bad_row_creates_nobody_like_moodle() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)
        site.add_user("aenne.mueller", "aenne.mueller@lra-bautzen.example.de")
        params = recorded_params("core_user_create_users--batch-with-one-duplicate")
        params.pop("wsfunction", None)
        assert site.core_user_create_users(params) == INVALID
        assert [u["username"] for u in site.users.values()] == ["aenne.mueller"]


def test_writes_change_what_reads_return_through_the_real_client() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)
        with fake_client() as client:
            new = NewUser(
                username="a.b@x.de", createpassword=True, firstname="A", lastname="B", email="a.b@x.de"
            )
            created = users.create_users(client, [new])
            assert [u.username for u in users.get_users(client, "email", ["A.B@x.de"])] == ["a.b@x.de"]
            assert [created.records[0].id] == list(site.users)
            assert courses.get_courses(client, "idnumber", "SCM-TEMPLATE").courses[0].visible is False
            assert cohorts.find_cohort(client, "2024-D2") is None


def test_faults_fire_once_and_a_lost_reply_still_commits() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)
        site.faults.append(Fault("core_user_create_users", "lost"))
        with fake_client() as client:
            new = NewUser(
                username="c.d@x.de", createpassword=True, firstname="C", lastname="D", email="c.d@x.de"
            )
            result = users.create_users(client, [new])  # the client's verify re-read finds the account
        assert [r.username for r in result.records] == ["c.d@x.de"]
        assert len(site.users) == 1
        assert site.calls["core_user_create_users"] == 1
