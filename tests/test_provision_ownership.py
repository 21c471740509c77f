"""Adoption confirmed in the programme file, allowed auth plugins, and roles held in other courses (#14)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from testkit.fake_moodle import FakeMoodle, lms, office, person, site_env

KEY = "2024-D2"


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def site(mock: responses.RequestsMock) -> FakeMoodle:
    return FakeMoodle(mock)


def plan_users(programme: Path, env: dict[str, str], *args: str) -> list[dict[str, Any]]:
    result = lms(programme, "plan", KEY, "--json", *args, env=env)
    return [a for a in json.loads(result.output)["actions"] if a["area"] == "user"]


def edit(programme: Path, old: str, new: str) -> None:
    text = programme.read_text(encoding="utf-8")
    assert old in text
    programme.write_text(text.replace(old, new, 1), encoding="utf-8")


def foreign_account(site: FakeMoodle, programme: Path, env: dict[str, str], **values: Any) -> tuple[int, str]:
    """An account someone else owns that holds the e-mail of registration 0; returns its id and reg id."""
    own = site.add_user("fremd", person(0)[2], **values)
    (user,) = plan_users(programme, env)
    assert user["op"] == "blocked"
    return own, str(user["key"])


def test_the_programme_files_adopt_list_confirms_like_the_flag(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    own, reg_id = foreign_account(site, programme, env)
    assert f"adopt: [{reg_id}] in der Programmdatei" in plan_users(programme, env)[0]["reason"]
    edit(programme, "# adopt: [R-0A1B2C3D4E]", f"adopt: [{reg_id}]")
    (user,) = plan_users(programme, env)
    assert user["op"] == "update" and [c["field"] for c in user["changes"]] == ["idnumber"]
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert site.users[own]["idnumber"] == reg_id and site.users[own]["username"] == "fremd"


def test_a_durchgangs_adopt_list_counts_only_for_that_durchgang(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    _, reg_id = foreign_account(site, programme, env)
    edit(programme, "  - key: 2024-D1\n", f"  - key: 2024-D1\n    adopt: [{reg_id}]\n")
    assert plan_users(programme, env)[0]["op"] == "blocked"  # confirmed for D1, planned for D2
    edit(programme, "  - key: 2024-D2\n", f"  - key: 2024-D2\n    adopt: [{reg_id}]\n")
    assert plan_users(programme, env)[0]["op"] == "update"


def test_allowed_auths_in_the_programme_file_admit_another_auth(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    _, reg_id = foreign_account(site, programme, env, auth="ldap")
    (user,) = plan_users(programme, env, "--adopt", reg_id)
    assert user["op"] == "blocked" and "erwartet ist manual" in user["reason"]
    edit(programme, "  # allowed_auths: [manual]", "  allowed_auths: [manual, ldap]")
    (user,) = plan_users(programme, env, "--adopt", reg_id)
    assert user["op"] == "update"


def test_a_bad_adopt_entry_stops_the_plan_with_the_field(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY])
    edit(programme, "# adopt: [R-0A1B2C3D4E]", "adopt: [person000@kommune0.example.de]")
    result = lms(programme, "plan", KEY, env=site_env(tmp_path))
    assert result.exit_code == 1 and "adopt.0: keine Registrierungs-ID" in result.output
    assert site.total_calls == 0


@pytest.mark.parametrize("role", [3, 1])  # editingteacher, manager
def test_an_account_with_a_staff_role_in_another_course_is_never_adopted(
    site: FakeMoodle, tmp_path: Path, role: int
) -> None:
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    own, reg_id = foreign_account(site, programme, env)
    learning = site.add_course("OTHER-1", "ANDERER-KURS", "Anderer Kurs")
    teaching = site.add_course("OTHER-2", "LEHRKURS", "Lehrkurs")
    for course, roleid in ((learning, 5), (teaching, role)):
        site.enrolments[(course, own)] = {"roleid": roleid, "timestart": 0, "timeend": 0, "suspend": False}
    site.calls.clear()
    (user,) = plan_users(programme, env, "--adopt", reg_id, "--adopt-overwrite")
    assert user["op"] == "blocked" and "andere Rolle als Teilnehmer/in" in user["reason"]
    assert "LEHRKURS" in user["reason"] and "ANDERER-KURS" not in user["reason"]
    assert site.calls["core_user_get_course_user_profiles"] == 3  # front page + one round per course
    assert lms(programme, "apply", KEY, "--yes", "--adopt", reg_id, env=env).exit_code == 1
    assert site.users[own]["idnumber"] == "" and (teaching, own) in site.enrolments
    assert not [k for k in site.enrolments if site.courses[k[0]]["idnumber"] == "SCM-2024-D2"]


def test_a_learner_elsewhere_may_be_adopted_and_owned_accounts_cost_no_role_reads(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    own = site.add_user("fremd", person(0)[2])
    learning = site.add_course("OTHER-1", "ANDERER-KURS", "Anderer Kurs")
    site.enrolments[(learning, own)] = {"roleid": 5, "timestart": 0, "timeend": 0, "suspend": False}
    reg_id = next(u["key"] for u in plan_users(programme, env) if u["op"] == "blocked")
    edit(programme, "# adopt: [R-0A1B2C3D4E]", f"adopt: [{reg_id}]")
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert site.users[own]["idnumber"] == reg_id
    site.calls.clear()
    owned = next(u for u in plan_users(programme, env) if u["key"] == reg_id)
    assert owned["op"] == "keep"  # found by registration id now; still listed, so its names stay
    assert site.calls["core_user_get_course_user_profiles"] == 0  # no account is foreign any more


# --- one site, whatever URL reaches it (#14 part 3) --------------------------------------------------------

PROXY = "https://lms.proxy.example.de"


def test_the_same_site_through_another_url_keeps_its_enrolment_periods(
    site: FakeMoodle, mock: responses.RequestsMock, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    mock.add_callback(responses.POST, PROXY + "/webservice/rest/server.php", callback=site._answer)
    site.calls.clear()
    result = lms(programme, "plan", KEY, "--json", env={**env, "SCM_MOODLE_URL": PROXY})
    data = json.loads(result.output)
    assert data["site"] == PROXY and site.calls["core_webservice_get_site_info"] == 1
    enrolments = [a for a in data["actions"] if a["area"] == "enrolment"]
    assert [a["op"] for a in enrolments] == ["keep", "keep"] and result.exit_code == 0
    entries = [json.loads(line) for line in (tmp_path / "journal" / f"{KEY}.jsonl").read_text().splitlines()]
    assert {e.get("site_id") for e in entries} == {"127.0.0.1:8085"}  # the siteurl the site reports


def test_another_site_behind_the_configured_url_is_not_confused_with_it(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    info = site.core_webservice_get_site_info({})
    moved = {**info, "siteurl": "https://andere.example.de"}
    site.core_webservice_get_site_info = lambda params: moved  # type: ignore[method-assign]
    listed = json.loads(lms(programme, "plan", KEY, "--json", env=env).output)["actions"]
    updates = [a for a in listed if a["area"] == "enrolment"]
    assert [a["op"] for a in updates] == ["update", "update"]
    assert all(a["changes"][0]["old"].startswith("unbekannt") for a in updates)


def test_the_profile_model_reads_the_recorded_user_details_shape() -> None:
    """No recording of core_user_get_course_user_profiles exists; Moodle builds its entries with the same
    user_get_user_details() as core_enrol_get_enrolled_users, whose recorded entry is parsed here."""
    from scm_lms.moodle.models import CourseProfile
    from testkit.moodle_replay import load

    entry = load("core_enrol_get_enrolled_users")["response"][0]
    profile = CourseProfile.model_validate(entry)
    assert profile.id == entry["id"] and [r.roleid for r in profile.roles] == [
        r["roleid"] for r in entry["roles"]
    ]
    assert [c.id for c in profile.enrolledcourses] == [c["id"] for c in entry["enrolledcourses"]]
