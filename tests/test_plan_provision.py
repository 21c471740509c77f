"""`scm-lms lms plan`: exactly what apply will do, against an empty, a fresh or a half-provisioned site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses

from scm_lms.programme import load_programme
from testkit.fake_moodle import FakeMoodle, lms, office, person, site_env

KEY = "2024-D2"


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


def plan_json(programme: Path, env: dict[str, str], *args: str) -> dict[str, object]:
    result = lms(programme, "plan", KEY, "--json", *args, env=env)
    data: dict[str, object] = json.loads(result.output)
    data["exit"] = result.exit_code
    return data


def actions(data: dict[str, object], area: str) -> list[dict[str, Any]]:
    listed = data["actions"]
    assert isinstance(listed, list)
    return [action for action in listed if action["area"] == area]


def test_without_a_site_it_plans_against_an_empty_one_and_says_so(tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 3)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "none"), "COLUMNS": "200"}
    with responses.RequestsMock() as rsps:  # any HTTP request would fail the test
        result = lms(programme, "plan", KEY, "-v", env=env)
        assert not rsps.calls
    assert result.exit_code == 0, result.output
    assert "keine Website konfiguriert – geplant gegen eine leere Website" in result.output
    assert (
        "+ Kurs: SCM-2024-D2 – wird aus Vorlage SCM-TEMPLATE kopiert (Website nicht geprüft)" in result.output
    )
    assert f"+ Konten: {person(2)[2]} – kein Konto vorhanden" in result.output
    assert "21 Änderungen stehen an." in result.output  # course, cohort, 3 × (account, member, enrolment), 10
    applied = lms(programme, "apply", KEY, "--yes", env=env)
    assert applied.exit_code == 1 and "Keine Moodle-Website konfiguriert" in applied.output


def test_an_account_found_only_by_e_mail_is_blocked_until_adopted(site: FakeMoodle, tmp_path: Path) -> None:
    """Changed from silent reuse (the insecure behaviour of #14): a foreign account is adopted only on
    explicit confirmation, and then keeps its names and e-mail."""
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    first, last, email = person(0)
    own = site.add_user("jweiss", email.upper(), firstname=first, lastname=last, institution="Stadt 0")

    data = plan_json(programme, env)
    assert data["exit"] == 1
    users = actions(data, "user")
    assert sorted((u["op"], u["label"]) for u in users) == [("blocked", "jweiss"), ("create", person(1)[2])]
    blocked = next(u for u in users if u["op"] == "blocked")
    reg_id = blocked["key"]
    assert f"lms apply --adopt {reg_id}" in blocked["reason"]
    assert not [a for a in actions(data, "member") + actions(data, "enrolment") if a["key"] == reg_id]

    refused = lms(programme, "apply", KEY, "--yes", env=env)
    assert refused.exit_code == 1 and site.users[own]["idnumber"] == ""

    adopted = plan_json(programme, env, "--adopt", reg_id)
    reused = next(u for u in actions(adopted, "user") if u["key"] == reg_id)
    assert reused["op"] == "update" and [c["field"] for c in reused["changes"]] == ["idnumber"]
    assert lms(programme, "apply", KEY, "--yes", "--adopt", reg_id, env=env).exit_code == 0
    assert site.users[own]["idnumber"] == reg_id and site.users[own]["email"] == email.upper()
    assert plan_json(programme, env)["pending"] == 0  # owned now: found by registration id


def test_adopt_overwrite_also_sets_names(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 1)
    env = site_env(tmp_path)
    first, last, email = person(0)
    own = site.add_user("jweiss", email, firstname="Julia", lastname="Weiß")
    reg_id = next(u for u in actions(plan_json(programme, env), "user"))["key"]
    applied = lms(programme, "apply", KEY, "--yes", "--adopt", reg_id, "--adopt-overwrite", env=env)
    assert applied.exit_code == 0, applied.output
    assert (site.users[own]["firstname"], site.users[own]["lastname"]) == (first, last)


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ({"suspended": True}, "in Moodle gesperrt"),
        ({"auth": "ldap"}, "meldet sich über „ldap“ an"),
    ],
)
def test_adoption_is_refused_for_suspended_and_other_auth_accounts(
    site: FakeMoodle, tmp_path: Path, values: dict[str, Any], why: str
) -> None:
    programme = office(tmp_path, [KEY] * 1)
    env = site_env(tmp_path)
    own = site.add_user("victim", person(0)[2], **values)
    reg_id = next(u for u in actions(plan_json(programme, env), "user"))["key"]
    data = plan_json(programme, env, "--adopt", reg_id)
    (user,) = actions(data, "user")
    assert user["op"] == "blocked" and why in user["reason"]
    assert lms(programme, "apply", KEY, "--yes", "--adopt", reg_id, env=env).exit_code == 1
    assert site.users[own]["idnumber"] == ""


def test_the_token_admin_is_never_adopted(site: FakeMoodle, tmp_path: Path) -> None:
    """A registration with the admin's e-mail: the site info names user 2 as site administrator."""
    programme = office(tmp_path, [KEY] * 1)
    env = site_env(tmp_path)
    record = site._user_record({"username": "admin", "email": person(0)[2], "idnumber": ""})
    record["id"] = 2
    site.users[2] = record
    reg_id = next(u for u in actions(plan_json(programme, env), "user"))["key"]
    data = plan_json(programme, env, "--adopt", reg_id, "--adopt-overwrite")
    (user,) = actions(data, "user")
    assert user["op"] == "blocked" and "Website-Administrator" in user["reason"]
    assert lms(programme, "apply", KEY, "--yes", "--adopt", reg_id, env=env).exit_code == 1
    assert site.users[2]["idnumber"] == "" and site.users[2]["username"] == "admin"


def test_two_accounts_for_one_person_block_only_that_person(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    site.add_user("other", person(0)[2])  # e-mail of person 0 on one account …
    adopt = next(u["key"] for u in actions(plan_json(programme, env), "user") if u["op"] == "blocked")
    assert lms(programme, "apply", KEY, "--yes", "--adopt", adopt, env=env).exit_code == 0  # … adopted
    reg_id = next(u["idnumber"] for u in site.users.values() if u["username"] == "other")
    site.users[next(iter(site.users))]["email"] = "changed@example.de"
    site.add_user("second", person(0)[2])  # … and now a second account holds the address

    data = plan_json(programme, env)
    assert data["exit"] == 1
    assert data["problems"] == [
        f"Konten {person(0)[2]}: Registrierungs-ID gehört Konto other, die E-Mail-Adresse Konto second; "
        "in Moodle eines der Konten bereinigen"
    ]
    assert sorted(a["op"] for a in actions(data, "user")) == ["blocked", "keep"]
    assert reg_id.startswith("R-")
    result = lms(programme, "apply", KEY, "--yes", env=env)
    assert result.exit_code == 1 and "blockiert" in result.output


def test_a_missing_template_blocks_the_course_and_what_needs_it(tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, template=False)
        data = plan_json(programme, env)
        assert data["exit"] == 1
        assert data["problems"] == [
            "Kurs SCM-2024-D2: Vorlagenkurs mit idnumber SCM-TEMPLATE fehlt in Moodle (anlegen oder "
            "moodle.template_course in der Programmdatei ändern)"
        ]
        result = lms(programme, "apply", KEY, "--yes", env=env)
        assert result.exit_code == 1
        assert (
            "Einschreibungen person000@kommune0.example.de (anlegen): übersprungen – Kurs fehlt"
            in result.output
        )
        assert not site.courses and not site.enrolments and not site.events
        assert len(site.users) == 2 and len(site.cohorts) == 1  # what does not need the course is done


def test_a_copy_left_without_idnumber_is_finished_not_copied_again(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 1)
    env = site_env(tmp_path)
    half = site.add_course("", f"SCM-{KEY}", "Kopie", visible=False)  # an apply died after the copy

    course = actions(plan_json(programme, env), "course")[0]
    assert (course["op"], course["reason"]) == (
        "update",
        "Kopie ohne idnumber gefunden (abgebrochener Lauf?) – wird fertig eingerichtet",
    )
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert len(site.courses) == 2 and site.courses[half]["idnumber"] == f"SCM-{KEY}"


def test_moved_dates_update_course_and_every_enrolment_period(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 3)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    text = programme.read_text(encoding="utf-8").replace("from: 2024-09-10", "from: 2024-09-17")
    programme.write_text(text, encoding="utf-8")
    start, end = load_programme(programme).enrolment_period(KEY)

    data = plan_json(programme, env, "-v")
    assert [a["op"] for a in actions(data, "course")] == ["update"]
    enrolments = actions(data, "enrolment")
    assert [a["op"] for a in enrolments] == ["update"] * 3
    assert enrolments[0]["changes"][0]["old"] == "03.09.2024 00:00 bis 12.11.2024 23:59, aktiv"
    events = actions(data, "event")  # every morning moves a week: ten events corrected in place
    assert [a["op"] for a in events] == ["update"] * 10
    assert {tuple(c["field"] for c in a["changes"]) for a in events} == {("Beginn",)}
    before = len(site.events)

    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert {(e["timestart"], e["timeend"]) for e in site.enrolments.values()} == {(start, end)}
    assert len(site.events) == before and site.moves == 10 and site.form_updates == 0
    assert plan_json(programme, env)["pending"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "2024-D9"],
            "Durchgang '2024-D9' steht nicht in der Programmdatei (vorhanden: 2024-D1, 2024-D2",
        ),
        (["plan", KEY, "--db", "fehlt.db"], "Ledger fehlt.db fehlt: zuerst „scm-lms admit"),
    ],
)
def test_bad_input_is_named_with_what_to_do(tmp_path: Path, args: list[str], message: str) -> None:
    programme = office(tmp_path, [KEY])
    result = lms(programme, *args, env={"XDG_CONFIG_HOME": str(tmp_path), "COLUMNS": "200"})
    assert result.exit_code == 1 and message in result.output


def test_several_durchgaenge_in_one_run_share_the_site_lookups(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, ["2024-D2", "2024-D3"] * 2)
    env = site_env(tmp_path)
    planned = json.loads(lms(programme, "plan", "2024-D2", "2024-D3", "--json", env=env).output)
    assert [p["durchgang"] for p in planned] == ["2024-D2", "2024-D3"]
    assert site.calls["core_course_get_categories"] == 1  # the category is read once for both

    result = lms(programme, "apply", "2024-D2", "2024-D3", "--yes", "--batch-size", "1", env=env)
    assert result.exit_code == 0, result.output
    assert site.calls["core_user_create_users"] == 5  # batch size 1: one request per account (+ D3's trainer)
    assert {c["idnumber"] for c in site.courses.values()} == {"SCM-TEMPLATE", "SCM-2024-D2", "SCM-2024-D3"}
    d2, d3 = (site.cohort(key) for key in ("2024-D2", "2024-D3"))
    assert d2 is not None and d3 is not None
    assert len(site.members[d2["id"]]) == len(site.members[d3["id"]]) == 2
    assert (tmp_path / "journal" / "2024-D3.jsonl").exists()


def test_a_shortname_taken_by_another_course_blocks_instead_of_taking_it_over(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    other = site.add_course("ALT-KURS", f"SCM-{KEY}", "Ein anderer Kurs")

    data = plan_json(programme, env)
    assert data["exit"] == 1
    assert data["problems"] == [
        f"Kurs SCM-2024-D2: Kurzname SCM-2024-D2 gehört schon Kurs {other} mit idnumber ALT-KURS; "
        "dort die idnumber korrigieren oder den Kurs umbenennen"
    ]
    result = lms(programme, "apply", KEY, "--yes", env=env)
    assert result.exit_code == 1
    assert site.courses[other]["idnumber"] == "ALT-KURS" and not site.enrolments and not site.events


def test_a_derived_username_taken_by_another_account_is_blocked_in_the_plan(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    other = site.add_user(person(0)[2], "someone.else@example.de")  # holds the username, not the e-mail
    data = plan_json(programme, env)
    assert data["exit"] == 1
    blocked = next(u for u in actions(data, "user") if u["op"] == "blocked")
    assert blocked["label"] == person(0)[2] and "schon an ein anderes Konto" in blocked["reason"]
    assert not [a for a in actions(data, "enrolment") if a["key"] == blocked["key"]]
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 1
    assert site.users[other]["email"] == "someone.else@example.de" and len(site.users) == 2
