"""The live part on Moodle: trainers enrolled as teachers, the ten mornings as course events that follow the
programme file (moved → one event moved, changed → corrected in place, dropped → deleted), events the
toolkit did not make never touched, a re-run with nothing to do, and trainer rows that must not reach a
foreign account. Client shapes from the recordings (tests/data/moodle-ws) and the fake site built on them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
import responses

from scm_lms.certify.collect import without_trainers
from scm_lms.certify.grades import course_grades
from scm_lms.moodle import FunctionNotAvailable, calendar
from scm_lms.moodle import site as moodle_site
from scm_lms.programme import load_programme
from scm_lms.programme.schedule import BERLIN, epoch
from scm_lms.provision.apply import apply_plan
from scm_lms.provision.desired import trainer_idnumber
from scm_lms.provision.journal import Journal, SiteRef, default_path, site_identity
from scm_lms.provision.load import load_inputs
from scm_lms.provision.plan import make_plan
from scm_lms.provision.state import read_state
from testkit.certify_grades import MODULES, all_modules, report
from testkit.fake_moodle import FakeMoodle, Fault, fake_client, lms, office, site_env
from testkit.moodle_replay import SITE, load, replaying, respond_with

ROOT = Path(__file__).parents[1]
D1, D3 = "2024-D1", "2024-D3"
AYLIN = "aylin.probe@kommunal.example.org"


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


def plan(programme: Path, env: dict[str, str], key: str = D3) -> dict[str, Any]:
    result = lms(programme, "plan", key, "--json", env=env)
    data: dict[str, Any] = json.loads(result.output)
    data["exit"] = result.exit_code
    return data


def ops(data: dict[str, Any], area: str) -> list[str]:
    return [a["op"] for a in data["actions"] if a["area"] == area]


def apply(programme: Path, env: dict[str, str], key: str = D3) -> None:
    result = lms(programme, "apply", key, "--yes", env=env)
    assert result.exit_code == 0, result.output


def edit(programme: Path, old: str, new: str) -> None:
    """Replace the last occurrence (2024-D3 is the example's last Durchgang)."""
    text = programme.read_text(encoding="utf-8")
    assert old in text
    head, _, tail = text.rpartition(old)
    programme.write_text(head + new + tail, encoding="utf-8")


def course_events(site: FakeMoodle, key: str = D3) -> dict[str, dict[str, Any]]:
    course = site.course(f"SCM-{key}")
    assert course is not None
    return {e["name"].split(" – ")[0]: e for e in site.events if e["courseid"] == course["id"]}


# --- trainers -------------------------------------------------------------------------------------------


def test_trainers_get_accounts_and_the_teacher_role_but_no_cohort(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D1] * 2)
    env = site_env(tmp_path)
    apply(programme, env, D1)
    course, cohort = site.course(f"SCM-{D1}"), site.cohort(D1)
    assert course is not None and cohort is not None
    trainers = {u["email"]: u for u in site.users.values() if u["idnumber"].startswith("T-")}
    assert set(trainers) == {
        "karin.beispiel@hochschule.example.org",
        "tom.muster@stadtdaten.example.org",
        AYLIN,
    }
    for user in trainers.values():
        enrolment = site.enrolments[(course["id"], user["id"])]
        assert enrolment["roleid"] == 4 and not enrolment["suspend"]
        assert user["id"] not in site.members[cohort["id"]]
        assert user["idnumber"] == trainer_idnumber(user["email"])
    assert len(site.members[cohort["id"]]) == 2  # only the participants
    start, end = epoch(dt.date(2024, 4, 29), dt.time(0)), epoch(dt.date(2024, 7, 15), dt.time(23, 59, 59))
    assert {(e["timestart"], e["timeend"]) for e in site.enrolments.values()} == {(start, end)}
    assert plan(programme, env, D1)["pending"] == 0


def test_a_trainer_row_naming_the_site_admins_address_never_touches_that_account(
    site: FakeMoodle, tmp_path: Path
) -> None:
    """A mistyped or malicious trainer e-mail equal to the token admin's: blocked, even when 'adopted'."""
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    admin = site._user_record({"username": "admin", "email": "admin@example.org", "idnumber": ""})
    admin["id"] = 2  # the token's own user in the recorded site info (userissiteadmin)
    site.users[2] = admin
    before = dict(admin)
    edit(programme, f"email: {AYLIN}", "email: Admin@Example.org")
    data = plan(programme, env)
    blocked = [a for a in data["actions"] if a["area"] == "user" and a["op"] == "blocked"]
    assert len(blocked) == 1 and "nicht von diesem Ledger angelegt" in blocked[0]["reason"]
    assert not [a for a in data["actions"] if a["area"] == "enrolment" and a["key"] == blocked[0]["key"]]

    adopt = f"    adopt: [{trainer_idnumber('admin@example.org')}]\n"
    edit(
        programme,
        "    title: Durchgang 3 (Nov/Dez 2024)\n",
        "    title: Durchgang 3 (Nov/Dez 2024)\n" + adopt,
    )
    adopted = plan(programme, env)
    reasons = [a["reason"] for a in adopted["actions"] if a["op"] == "blocked"]
    assert any("Website-Administrator – wird nie übernommen" in reason for reason in reasons)
    assert lms(programme, "apply", D3, "--yes", env=env).exit_code == 1
    assert site.users[2] == before
    assert not [key for key in site.enrolments if key[1] == 2]


def test_a_trainer_who_is_also_registered_is_never_a_participant(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 2)
    env = site_env(tmp_path)
    participant = next(iter(load_inputs(programme, None, D3).desired.participants))
    edit(programme, f"email: {AYLIN}", f"email: {participant.email}")
    desired = load_inputs(programme, None, D3).desired
    assert [u.email for u in desired.participants] != [participant.email]
    assert participant.email not in {u.email for u in desired.participants}
    assert participant.email not in desired.cohort_members
    data = plan(programme, env)
    assert f"Anmeldung {participant.idnumber} ist zugleich unter trainers eingetragen" in data["notes"][0]
    apply(programme, env)
    account = next(u for u in site.users.values() if u["email"] == participant.email)
    course = site.course(f"SCM-{D3}")
    assert course is not None and site.enrolments[(course["id"], account["id"])]["roleid"] == 4


# --- events ---------------------------------------------------------------------------------------------


def test_a_moved_morning_moves_exactly_one_event_and_adds_none(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 2)
    env = site_env(tmp_path)
    apply(programme, env)
    events = course_events(site)
    assert len(events) == 10
    first = events["Vormittag 1 von 10"]
    assert first["timestart"] == epoch(dt.date(2024, 11, 5), dt.time(9)) and first["timeduration"] == 14400
    assert 'href="https://meet.example.org/scm-2024-d3-auftakt"' in first["description"]
    assert "Leitung: Beispiel-Trainerin Aylin Probe (Beispiel-Kommunalberatung)" in first["description"]
    assert plan(programme, env)["pending"] == 0  # a re-run finds nothing to do

    edit(programme, "{date: 2024-11-19,", "{date: 2024-11-20,")
    data = plan(programme, env)
    assert ops(data, "event") == ["keep"] * 4 + ["update"] + ["keep"] * 5
    (moved,) = [a for a in data["actions"] if a["op"] == "update"]
    assert moved["key"] == "SCM-2024-D3/V5"
    assert moved["changes"] == [{"field": "Beginn", "old": "19.11.2024 09:00", "new": "20.11.2024 09:00"}]
    shown = lms(programme, "plan", D3, "-v", env=env).output
    assert "~ Termine: Vormittag 5, 20.11.2024 09:00 – Termin weicht vom Programm ab" in shown
    assert "Beginn: 19.11.2024 09:00 → 20.11.2024 09:00" in shown
    assert "Hinweis: Die Abschnitte der Module nennen die Vormittage nur mit Nummer und Titel" in shown

    ids = {name: e["id"] for name, e in course_events(site).items()}
    apply(programme, env)
    after = course_events(site)
    assert {name: e["id"] for name, e in after.items()} == ids  # same ten events, none added
    assert after["Vormittag 5 von 10"]["timestart"] == epoch(dt.date(2024, 11, 20), dt.time(9))
    assert (site.moves, site.form_updates) == (1, 0)
    assert plan(programme, env)["pending"] == 0


def test_a_new_time_or_room_is_corrected_in_place(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    edit(programme, '{date: 2024-11-07, start: "09:00"', '{date: 2024-11-07, start: "09:30"')
    edit(
        programme,
        '{date: 2024-11-12, start: "09:00", end: "13:00"}',
        '{date: 2024-11-12, start: "09:00", end: "13:00", room: "https://zoom.example.org/j/123"}',
    )
    data = plan(programme, env)
    updates = [a for a in data["actions"] if a["area"] == "event" and a["op"] == "update"]
    assert [a["key"] for a in updates] == ["SCM-2024-D3/V2", "SCM-2024-D3/V3"]
    assert [c["field"] for c in updates[0]["changes"]] == ["Beginn", "Dauer", "Beschreibung"]
    assert updates[1]["changes"] == [
        {
            "field": "Videoraum",
            "old": "https://meet.example.org/scm-2024-d3",
            "new": "https://zoom.example.org/j/123",
        }
    ]
    ids = sorted(e["id"] for e in course_events(site).values())
    apply(programme, env)
    events = course_events(site)
    assert sorted(e["id"] for e in events.values()) == ids and site.form_updates == 2
    second = events["Vormittag 2 von 10"]
    assert (second["timestart"], second["timeduration"]) == (
        epoch(dt.date(2024, 11, 7), dt.time(9, 30)),
        12600,
    )
    assert 'href="https://zoom.example.org/j/123"' in events["Vormittag 3 von 10"]["description"]
    assert plan(programme, env)["pending"] == 0


def test_foreign_events_stay_and_a_dropped_morning_is_deleted(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    course = site.course(f"SCM-{D3}")
    assert course is not None
    ours = course_events(site)["Vormittag 10 von 10"]
    office_hour = site.add_event(course["id"], "Sprechstunde des Programmbüros", ours["timestart"] + 86400)
    copycat = site.add_event(course["id"], ours["name"], ours["timestart"], ours["timeduration"])
    data = plan(programme, env)
    left = [a for a in data["actions"] if a["area"] == "event" and a["op"] == "leave"]
    assert {a["key"] for a in left} == {f"id:{office_hour}", f"id:{copycat}"}
    assert all(a["reason"] == "nicht vom Toolkit angelegt – bleibt unberührt" for a in left)
    assert data["pending"] == 0

    # The programme file cannot hold fewer than ten mornings; a dropped one is what a plan sees when the
    # desired state no longer has its key, so the plan is made from the loaded inputs with morning 10 removed.
    inputs = load_inputs(programme, None, D3)
    desired = dataclasses.replace(inputs.desired, events=inputs.desired.events[:9])
    journal = Journal(default_path(inputs.db, D3))
    with fake_client() as client:
        identity = site_identity(moodle_site.get_site_info(client).siteurl)
        recorded = journal.recorded(SiteRef(client.url, identity), f"SCM-{D3}")
        current = read_state(client, desired, recorded)
        dropped = make_plan(desired, current, known=inputs.known)
        deletions = [a for a in dropped.pending if a.area == "event"]
        assert [(a.op, a.key, a.moodle_id) for a in deletions] == [("delete", f"SCM-{D3}/V10", ours["id"])]
        report = apply_plan(client, dropped, journal)
    assert not report.failed
    assert site.event(ours["id"]) is None
    assert site.event(office_hour) is not None and site.event(copycat) is not None
    # The full programme again: morning 10 is created anew (the deleted id is no longer ours), nothing else.
    data = plan(programme, env)
    assert [a["key"] for a in data["actions"] if a["area"] == "event" and a["op"] == "create"] == [
        f"SCM-{D3}/V10"
    ]
    assert site.event(copycat) is not None


def test_an_event_deleted_by_hand_is_created_again(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    gone = course_events(site)["Vormittag 4 von 10"]
    site.events.remove(gone)
    data = plan(programme, env)
    (created,) = [a for a in data["actions"] if a["area"] == "event" and a["op"] == "create"]
    assert created["reason"] == "Termin wurde in Moodle gelöscht – wird neu angelegt"
    apply(programme, env)
    assert len(course_events(site)) == 10 and plan(programme, env)["pending"] == 0


def test_events_of_earlier_versions_are_taken_over_not_doubled(site: FakeMoodle, tmp_path: Path) -> None:
    """Before #11 the journal held "name @ start" without an id; such an event is corrected once."""
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    course = site.course(f"SCM-{D3}")
    assert course is not None
    start = epoch(dt.date(2024, 11, 5), dt.time(9))
    old_name = "Smart City Manager – Sitzung 1: Auftakt: Smart City – Begriff, Ziele und Rahmen"
    ours = course_events(site)["Vormittag 1 von 10"]
    site.events.remove(ours)
    old = site.add_event(course["id"], old_name, start, 14400)
    journal = tmp_path / "journal" / f"{D3}.jsonl"
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    lines = [e for e in lines if not (e.get("area") == "event" and e.get("key") == f"SCM-{D3}/V1")]
    lines.append(
        {
            "site": "http://127.0.0.1:8085",
            "course": f"SCM-{D3}",
            "area": "event",
            "op": "create",
            "key": f"{old_name} @ {start}",
            "status": "ok",
        }
    )
    journal.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    data = plan(programme, env)
    (taken,) = [a for a in data["actions"] if a["area"] == "event" and a["op"] != "keep"]
    assert (taken["op"], taken["key"]) == ("update", f"SCM-{D3}/V1")
    assert "früheren Toolkit-Version" in taken["reason"]
    apply(programme, env)
    assert site.event(old) is not None and site.event(old)["name"].startswith("Vormittag 1 von 10")  # type: ignore[index]
    assert len(course_events(site)) == 10 and plan(programme, env)["pending"] == 0


# --- the client functions against the recordings ----------------------------------------------------------


def test_reading_an_event_by_id_and_a_deleted_one() -> None:
    with replaying(
        "core_calendar_get_calendar_event_by_id", "core_calendar_get_calendar_event_by_id--deleted"
    ) as c:
        event = calendar.get_event(c, 121)
        assert event is not None
        assert (event.id, event.courseid, event.timestart, event.timeduration) == (121, 27, 1797411600, 14400)
        assert "konferenz.example.de/scm-2026-d3" in event.description
        assert calendar.get_event(c, 121) is None  # Moodle answers nopermissions for a deleted event


def test_moving_an_event_sends_noon_of_the_wanted_day() -> None:
    """The recording sent Berlin midnight and Moodle (token user in UTC) took the day before: noon cannot
    fall on another day in any zone from UTC−11 to UTC+11."""
    with replaying("core_calendar_update_event_start_day", ignore=("daytimestamp",)) as c:
        moved = calendar.move_event_to_day(c, 121, dt.date(2026, 12, 17))
    assert (moved.id, moved.timestart, moved.timeduration) == (121, 1797498000, 14400)
    sent = calendar.noon(dt.date(2026, 12, 17))
    for offset in range(-11, 12):
        zone = dt.timezone(dt.timedelta(hours=offset))
        assert dt.datetime.fromtimestamp(sent, zone).date() == dt.date(2026, 12, 17)
    assert dt.datetime.fromtimestamp(sent, BERLIN).hour == 12


def test_deleting_an_event_and_deleting_it_again() -> None:
    with replaying(
        "core_calendar_delete_calendar_events", "core_calendar_delete_calendar_events--already-deleted"
    ) as c:
        assert calendar.delete_event(c, 121) is True
        assert calendar.delete_event(c, 121) is False  # invalidrecord: already gone, not an error


def test_trainers_in_the_grade_report_are_never_certified() -> None:
    programme = load_programme(ROOT / "examples" / "programme-2024.yaml")
    trainer = trainer_idnumber("Tom.Muster@stadtdaten.example.org")
    graded = course_grades(
        report({trainer: all_modules(100), "R-0A1B2C3D4E": all_modules(90)}), {}, modules=MODULES
    )
    kept = without_trainers(graded.participants, programme, D1)
    assert [p.idnumber for p in kept] == ["R-0A1B2C3D4E"]


def test_a_trainer_teaching_elsewhere_is_not_adopted_but_can_be_linked_by_idnumber(
    site: FakeMoodle, tmp_path: Path
) -> None:
    """Adoption never takes an account with a staff role elsewhere; the Moodle admin may link it on purpose
    by giving it the trainer's id T-… from the plan, and only then is it enrolled."""
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    other = site.add_course("ANDERER-KURS", "ANDERER-KURS", "Anderer Kurs")
    account = site.add_user("aylin.probe", AYLIN, "", firstname="Aylin", lastname="Probe")
    site.enrolments[(other, account)] = {"roleid": 3, "timestart": 0, "timeend": 0, "suspend": False}
    trainer = trainer_idnumber(AYLIN)
    title = "    title: Durchgang 3 (Nov/Dez 2024)\n"
    edit(programme, title, title + f"    adopt: [{trainer}]\n")
    data = plan(programme, env)
    (blocked,) = [a for a in data["actions"] if a["op"] == "blocked"]
    assert blocked["key"] == trainer and "ANDERER-KURS" in blocked["reason"]
    assert lms(programme, "apply", D3, "--yes", env=env).exit_code == 1
    assert not [key for key in site.enrolments if key[1] == account and key[0] != other]

    site.users[account]["idnumber"] = trainer  # the Moodle admin links the account deliberately
    apply(programme, env)
    course = site.course(f"SCM-{D3}")
    assert course is not None and site.enrolments[(course["id"], account)]["roleid"] == 4


def test_a_token_user_in_another_time_zone_cannot_shift_a_morning(site: FakeMoodle, tmp_path: Path) -> None:
    """Moodle keeps the time of day and reads form dates in the token user's zone; with UTC, a move across
    the change from summer time would land at 10:00. The reply is checked and corrected once."""
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    site.zone = dt.UTC
    edit(programme, "{date: 2024-11-05,", "{date: 2024-10-22,")
    apply(programme, env)
    first = course_events(site)["Vormittag 1 von 10"]
    assert first["timestart"] == epoch(dt.date(2024, 10, 22), dt.time(9))  # 09:00 CEST, not 10:00
    assert (site.moves, site.form_updates) == (1, 2)
    assert plan(programme, env)["pending"] == 0


def test_a_lost_reply_when_creating_events_does_not_double_them(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    site.faults.append(Fault("core_calendar_create_calendar_events", "lost"))
    lms(programme, "apply", D3, "--yes", env=env)
    assert len(course_events(site)) == 10
    data = plan(programme, env)
    assert ops(data, "event") == ["keep"] * 10 and data["pending"] == 0


def test_the_fake_site_moves_like_the_recorded_one(site: FakeMoodle) -> None:
    """Same event, same request, token user in UTC as on the recording site: the same reply."""
    recorded = load("core_calendar_update_event_start_day")
    courseid = site.add_course("SCM-2026-D3", "SCM-2026-D3", "Smart City Manager – Durchgang 3 (2026)")
    eventid = site.add_event(courseid, "Probe-Termin (wird verschoben)", 1797411600, 14400)
    site.zone = dt.UTC
    with fake_client() as client:
        moved = calendar.move_event_to_day(client, eventid, dt.date(2026, 12, 17))
        read = calendar.get_event(client, eventid)
    expected = recorded["response"]["event"]
    assert (moved.timestart, moved.timeduration) == (expected["timestart"], expected["timeduration"])
    assert read is not None and read.timestart == expected["timestart"] and read.courseid == courseid
    assert set(site._exported(site.events[-1])) == set(expected)


def test_a_trainer_taken_off_the_list_is_shown_and_left_enrolled(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    edit(programme, "email: aylin.probe@kommunal.example.org,", "email: neu.probe@kommunal.example.org,")
    data = plan(programme, env)
    left = [a for a in data["actions"] if a["area"] == "enrolment" and a["op"] == "leave"]
    assert [a["key"] for a in left] == [trainer_idnumber(AYLIN)]
    assert "nicht mehr in der Programmdatei – bleibt eingeschrieben" in left[0]["reason"]
    apply(programme, env)
    old = next(u for u in site.users.values() if u["email"] == AYLIN)
    course = site.course(f"SCM-{D3}")
    assert course is not None and (course["id"], old["id"]) in site.enrolments


def test_an_event_moved_far_away_by_hand_is_found_by_its_id_and_put_back(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    seventh = course_events(site)["Vormittag 7 von 10"]
    wanted = seventh["timestart"]
    seventh["timestart"] = epoch(dt.date(2030, 1, 8), dt.time(9))  # outside the window the plan reads
    data = plan(programme, env)
    (moved,) = [a for a in data["actions"] if a["op"] == "update"]
    assert moved["key"] == f"SCM-{D3}/V7" and site.calls["core_calendar_get_calendar_event_by_id"] == 1
    apply(programme, env)
    assert site.event(seventh["id"])["timestart"] == wanted  # type: ignore[index]
    assert len(course_events(site)) == 10


def test_a_passcode_in_a_join_link_reaches_moodle_but_not_the_plan_or_the_journal(
    site: FakeMoodle, tmp_path: Path
) -> None:
    programme = office(tmp_path, [D3] * 1)
    env = site_env(tmp_path)
    apply(programme, env)
    secret_link = "https://zoom.example.org/j/8123456789?pwd=GeheimesKennwort42"
    edit(programme, "video_room: https://meet.example.org/scm-2024-d3", f'video_room: "{secret_link}"')
    shown = lms(programme, "plan", D3, "-v", env=env).output
    old, new = "https://meet.example.org/scm-2024-d3", "https://zoom.example.org/j/8123456789?…"
    assert f"Videoraum: {old} → {new}" in shown
    apply(programme, env)
    assert secret_link in course_events(site)["Vormittag 2 von 10"]["description"]
    journal = (tmp_path / "journal" / f"{D3}.jsonl").read_text(encoding="utf-8")
    assert "GeheimesKennwort42" not in journal and "GeheimesKennwort42" not in shown
    assert plan(programme, env)["pending"] == 0


def test_a_service_without_the_read_by_id_function_is_an_error_not_a_missing_event() -> None:
    refusal = load("core_course_delete_courses--not-in-service")["response"]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, f"{SITE}/webservice/rest/server.php", json=refusal)
        with fake_client() as client, pytest.raises(FunctionNotAvailable):
            calendar.get_event(client, 121)


def test_the_form_update_sends_the_edit_forms_fields_in_berlin_wall_clock() -> None:
    """No recording exists: the fields of calendar/classes/local/event/forms/update.php (Moodle 4.5),
    sent as one URL-encoded `formdata` string; the reply is the recorded exporter shape."""
    exported = load("core_calendar_get_calendar_event_by_id")["response"]["event"]
    start = epoch(dt.date(2026, 3, 31), dt.time(9, 30))  # summer time already: 07:30 UTC
    reply = {"event": {**exported, "name": "Vormittag 1 von 10 – Modul 1", "timestart": start}}
    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, "/webservice/rest/server.php", lambda fields: reply)
        with fake_client() as client:
            event = calendar.update_event(
                client,
                121,
                courseid=27,
                name="Vormittag 1 von 10 – Modul 1",
                description="<p>Videoraum: …</p>",
                timestart=start,
                timeduration=14400,
            )
    assert event is not None and event.timestart == start
    (sent,) = calls
    fields = dict(sent)
    assert fields["wsfunction"] == "core_calendar_submit_create_update_form"
    form = dict(parse_qsl(fields["formdata"]))
    assert form["_qf__core_calendar_local_event_forms_update"] == "1"
    assert (form["id"], form["eventtype"], form["courseid"]) == ("121", "course", "27")
    when = [form[f"timestart[{part}]"] for part in ("day", "month", "year", "hour", "minute")]
    assert when == ["31", "3", "2026", "9", "30"]
    assert (form["duration"], form["timedurationminutes"]) == ("2", "240")
    assert (form["description[text]"], form["description[format]"]) == ("<p>Videoraum: …</p>", "1")
    assert form["repeateditall"] == "0"
