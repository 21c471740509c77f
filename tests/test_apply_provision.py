"""`scm-lms lms apply` end to end against the fake Moodle: import → admit → plan → apply → nothing left to do,
and an apply cut off at any step by a fault converges on the next run without duplicates or lost people."""

from __future__ import annotations

import json
import stat
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner

from scm_lms.cli import cli
from scm_lms.programme import load_programme
from testkit.fake_moodle import FakeMoodle, Fault, admit, lms, office, person, site_env
from testkit.moodle_replay import TOKEN_VALUE

KEY = "2024-D2"
PEOPLE = 12


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


def assert_converged(site: FakeMoodle, programme: Path, env: dict[str, str], admitted: int) -> None:
    """One course, cohort and account per person, everyone a member, enrolled for the period, ten events."""
    course = site.course(f"SCM-{KEY}")
    cohort = site.cohort(KEY)
    assert course is not None and cohort is not None
    assert [c["shortname"] for c in site.courses.values()].count(f"SCM-{KEY}") == 1
    assert len(site.cohorts) == 1
    emails = Counter(user["email"] for user in site.users.values())
    assert len(emails) == admitted and set(emails.values()) == {1}
    ids = {user["id"] for user in site.users.values()}
    assert sorted(site.members[cohort["id"]]) == sorted(ids)
    start, end = load_programme(programme).enrolment_period(KEY)
    enrolled = {uid: e for (cid, uid), e in site.enrolments.items() if cid == course["id"]}
    assert set(enrolled) == ids
    assert {(e["roleid"], e["timestart"], e["timeend"], e["suspend"]) for e in enrolled.values()} == {
        (5, start, end, False)
    }
    events = site.course_events(course["id"])
    assert len(events) == 10 and len(set(events)) == 10
    assert (course["idnumber"], course["startdate"], course["enddate"], course["visible"]) == (
        f"SCM-{KEY}",
        start,
        end,
        1,
    )
    replan = lms(programme, "plan", KEY, "--json", env=env)
    assert replan.exit_code == 0, replan.output
    assert json.loads(replan.output)["pending"] == 0


def test_import_admit_plan_apply_then_nothing_left(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * PEOPLE, seats=10)  # two people land on the waiting list
    env = site_env(tmp_path)

    planned = lms(programme, "plan", KEY, "--json", env=env)
    assert planned.exit_code == 0, planned.output
    data = json.loads(planned.output)
    assert data["site"] == "http://127.0.0.1:8085"
    assert {area: counts["create"] for area, counts in data["counts"].items()} == {
        "course": 1,
        "cohort": 1,
        "user": 10,
        "member": 10,
        "enrolment": 10,
        "event": 10,
    }
    assert site.total_calls == 9  # site info (lang), course ×2, template, category, cohort, accounts ×3 (#14)

    applied = lms(programme, "apply", KEY, "--yes", env=env)
    assert applied.exit_code == 0, applied.output
    assert "42 Änderungen erledigt, 0 nicht" in applied.output
    assert_converged(site, programme, env, admitted=10)
    waiting = {person(number)[2] for number in (10, 11)}
    assert not waiting & {user["email"] for user in site.users.values()}

    before = site.total_calls
    again = lms(programme, "apply", KEY, "--yes", env=env)
    assert again.exit_code == 0 and "Nichts zu tun" in again.output
    writes = [
        name
        for name in site.calls
        if not name.startswith(
            (
                "core_course_get",
                "core_cohort_search",
                "core_user_get",
                "core_cohort_get",
                "core_enrol_get",
                "core_calendar_get",
                "core_webservice_get_site_info",
            )
        )
    ]
    # 7 reads plus the site info once, shared by moodle.lang, the journal's site identity and the admin check
    assert site.total_calls - before == 8 and all(site.calls[name] <= 1 for name in writes)


FAULTS = [
    "core_course_duplicate_course",
    "core_course_update_courses",
    "core_cohort_create_cohorts",
    "core_user_create_users",
    "core_cohort_add_cohort_members",
    "enrol_manual_enrol_users",
    "core_calendar_create_calendar_events",
]


@pytest.mark.parametrize("kind", ["reset", "503", "500", "lost"])
@pytest.mark.parametrize("function", FAULTS)
def test_an_apply_cut_off_anywhere_converges_on_the_next_run(
    site: FakeMoodle, tmp_path: Path, function: str, kind: str
) -> None:
    programme = office(tmp_path, [KEY] * 4)
    env = site_env(tmp_path)
    site.faults.append(Fault(function, kind, times=99))  # down for the whole first run

    first = lms(programme, "apply", KEY, "--yes", env=env)
    assert first.exit_code in (0, 1), first.output
    if first.exit_code == 1:
        assert "Nicht erledigt" in first.output and "erneut ausführen" in first.output
    site.faults.clear()

    second = lms(programme, "apply", KEY, "--yes", env=env)
    assert second.exit_code == 0, second.output
    assert_converged(site, programme, env, admitted=4)


def test_one_refused_person_is_reported_and_the_rest_provisioned(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 6)
    env = site_env(tmp_path)
    bad = person(3)[2]
    site.refuse_emails.add(bad)

    first = lms(programme, "apply", KEY, "--yes", env=env)
    assert first.exit_code == 1
    assert "Konten person003@kommune3.example.de (anlegen): fehlgeschlagen – invalidparameter" in first.output
    assert "Mitglieder person003@kommune3.example.de (anlegen): übersprungen" in first.output
    assert "Einschreibungen person003@kommune3.example.de (anlegen): übersprungen" in first.output
    assert len(site.users) == 5 and bad not in {u["email"] for u in site.users.values()}

    site.refuse_emails.clear()  # the office corrected the address in Moodle's eyes
    second = lms(programme, "apply", KEY, "--yes", env=env)
    assert second.exit_code == 0, second.output
    assert "3 Änderungen erledigt" in second.output  # account, membership, enrolment of that one person
    assert_converged(site, programme, env, admitted=6)


def test_journal_records_every_action_without_token_or_personal_data(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [KEY] * 3)
    env = site_env(tmp_path)
    site.refuse_emails.add(person(1)[2])
    site.debug = True
    first = lms(programme, "apply", KEY, "--yes", env=env)
    assert first.exit_code == 1
    assert f"Email address is invalid: {person(1)[2]}" in first.output  # the admin sees it, the journal not
    site.refuse_emails.clear()
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0

    journal = tmp_path / "journal" / f"{KEY}.jsonl"
    text = journal.read_text(encoding="utf-8")
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    assert TOKEN_VALUE not in text and "example.de" not in text.replace("127.0.0.1", "")
    for given, family, _ in map(person, range(3)):
        assert given not in text and family not in text
    entries = [json.loads(line) for line in text.splitlines()]
    runs = {entry["run"] for entry in entries}
    assert len(runs) == 2
    actions = [entry for entry in entries if "area" in entry]
    assert Counter((e["area"], e["status"]) for e in actions) == Counter(
        {
            ("course", "ok"): 1,
            ("cohort", "ok"): 1,
            ("user", "ok"): 3,
            ("user", "failed"): 1,
            ("member", "ok"): 3,
            ("member", "skipped"): 1,
            ("enrolment", "ok"): 3,
            ("enrolment", "skipped"): 1,
            ("event", "ok"): 10,
        }
    )
    failed = next(e for e in actions if e["status"] == "failed")
    assert failed["key"].startswith("R-") and "invalidparameter" in failed["detail"]
    enrolled = [e for e in actions if e["area"] == "enrolment" and e["status"] == "ok"]
    start, end = load_programme(programme).enrolment_period(KEY)
    assert {(e["sent"]["timestart"], e["sent"]["timeend"], e["sent"]["suspend"]) for e in enrolled} == {
        (start, end, False)
    }


READS = [
    "core_course_get_courses_by_field",
    "core_cohort_search_cohorts",
    "core_user_get_users_by_field",
    "core_cohort_get_cohort_members",
    "core_enrol_get_enrolled_users",
    "core_calendar_get_calendar_events",
]


@pytest.mark.parametrize("function", READS)
def test_a_failing_read_stops_before_any_write_and_a_rerun_converges(
    site: FakeMoodle, tmp_path: Path, function: str
) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    admit(programme, [KEY] * 4)  # two more people admitted later
    site.faults.append(Fault(function, "500", times=99))
    writes_before = sum(n for name, n in site.calls.items() if "_get_" not in name and "search" not in name)

    failed = lms(programme, "apply", KEY, "--yes", env=env)
    assert failed.exit_code == 1
    assert f"Moodle-Stand nicht lesbar: {function}: HTTP 500" in failed.output
    assert (
        sum(n for name, n in site.calls.items() if "_get_" not in name and "search" not in name)
        == writes_before
    )

    site.faults.clear()
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    assert_converged(site, programme, env, admitted=4)


def test_apply_asks_first_and_changes_nothing_when_declined(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 2)
    result = CliRunner().invoke(
        cli, ["lms", "apply", KEY, "--programme", str(programme)], env=site_env(tmp_path), input="n\n"
    )
    assert result.exit_code == 1
    assert "Änderungen für 2024-D2 jetzt ausführen? [y/N]" in result.output
    assert "Abgebrochen, nichts geändert." in result.output
    assert TOKEN_VALUE not in result.output
    assert not site.users and not site.cohorts and list(site.courses) == [next(iter(site.courses))]


def test_moodle_warnings_fail_the_rows_they_concern(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    site.faults.append(Fault("core_cohort_create_cohorts", "reset", times=99))  # the cohort never arrives

    result = lms(programme, "apply", KEY, "--yes", env=env)
    assert result.exit_code == 1
    assert (
        "Globale Gruppe 2024-D2 (anlegen): fehlgeschlagen – core_cohort_create_cohorts: nach 4 Versuchen "
        "aufgegeben" in result.output
    )
    warned = "(anlegen): fehlgeschlagen – Moodle-Warnung 2: cohort idnumber=2024-D2 not exists"
    assert result.output.count(warned) == 2
    assert len(site.enrolments) == 2  # enrolments do not need the cohort
