"""Withdrawals: nothing is touched without --prune; with it the enrolment is suspended and the cohort
membership removed, the account and its data stay, and the person moving up from the waiting list is added."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses

from testkit.fake_moodle import FakeMoodle, admit, lms, office, person, site_env

KEY = "2024-D2"


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


def account(site: FakeMoodle, number: int) -> dict[str, object]:
    return next(user for user in site.users.values() if user["email"] == person(number)[2])


def test_withdrawn_people_are_only_suspended_with_prune(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 4, seats=3)  # person 3 waits
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert len(site.users) == 3
    course = site.course(f"SCM-{KEY}")
    cohort = site.cohort(KEY)
    assert course is not None and cohort is not None
    leaving = account(site, 1)["id"]

    admit(programme, [KEY] * 4, withdrawn={1})  # person 1 withdraws, person 3 moves up
    planned = json.loads(lms(programme, "plan", KEY, "--json", env=env).output)
    left = [a for a in planned["actions"] if a["op"] == "leave"]
    assert {(a["area"], a["label"]) for a in left} == {
        ("member", person(1)[2]),
        ("enrolment", person(1)[2]),
    }
    assert all(a["reason"].startswith("zurückgezogen (2024-D2) – bleibt; mit --prune") for a in left)

    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert leaving in site.members[cohort["id"]]
    assert site.enrolments[(course["id"], leaving)]["suspend"] is False
    assert account(site, 3)["id"] in site.members[cohort["id"]]  # moved up: added without --prune

    pruned = lms(programme, "apply", KEY, "--prune", "--yes", env=env)
    assert pruned.exit_code == 0, pruned.output
    assert "2 Änderungen erledigt" in pruned.output
    assert leaving not in site.members[cohort["id"]]
    enrolment = site.enrolments[(course["id"], leaving)]
    assert enrolment["suspend"] is True and enrolment["roleid"] == 5
    assert leaving in site.users  # the account and its course data stay

    for extra in ([], ["--prune"]):
        replan = json.loads(lms(programme, "plan", KEY, "--json", *extra, env=env).output)
        assert replan["pending"] == 0
        kept = [a for a in replan["actions"] if a["area"] == "enrolment" and a["label"] == person(1)[2]]
        assert [a["reason"] for a in kept] == ["nicht zugelassen, Einschreibung schon gesperrt"]


@pytest.mark.parametrize(
    ("username", "email", "idnumber", "roleid"),
    [
        pytest.param("kaethe.gross", "kaethe.gross@scm-akademie.example.de", "", 3, id="teacher"),
        # A learner enrolled by hand (idnumber from elsewhere) is not this ledger's to suspend (#14).
        pytest.param("gast", "gast@example.de", "HR-4711", 5, id="student-not-owned"),
    ],
)
def test_accounts_this_ledger_does_not_own_are_never_pruned(
    site: FakeMoodle, tmp_path: Path, username: str, email: str, idnumber: str, roleid: int
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    course = site.course(f"SCM-{KEY}")
    assert course is not None
    other = site.add_user(username, email, idnumber=idnumber)
    enrolment = {"roleid": roleid, "timestart": 0, "timeend": 0, "suspend": False}
    site.enrolments[(course["id"], other)] = enrolment

    result = lms(programme, "apply", KEY, "--prune", "--yes", env=env)
    assert result.exit_code == 0 and "Nichts zu tun" in result.output
    assert site.enrolments[(course["id"], other)]["suspend"] is False
