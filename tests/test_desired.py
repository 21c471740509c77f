"""Desired Moodle state per Durchgang: stable identifiers, dates from the programme, only admitted people."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from course_package.source import load_course
from scm_lms.intake.admission import decide, offers_of
from scm_lms.intake.registrations import load_registrations
from scm_lms.ledger import Ledger
from scm_lms.programme import Programme, load_programme
from scm_lms.programme.schedule import epoch
from scm_lms.provision.desired import (
    admitted_to,
    desired_state,
    unique_username,
    username_for,
)

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "registrations"
RECORDINGS = Path(__file__).parent / "data" / "moodle-ws"
PARAM_USERNAME = re.compile(r"^[a-z0-9_.@-]+$")


@pytest.fixture
def programme() -> Programme:
    return load_programme(ROOT / "examples" / "programme-2024.yaml")


def test_state_for_2024_d2(programme: Programme, tmp_path: Path) -> None:
    imported = load_registrations(DATA / "valid-de-bom.csv", programme.keys).registrations
    with Ledger.open(tmp_path / "l.db") as ledger:
        registrations = ledger.register(imported, "valid-de-bom.csv")
    decisions = decide(offers_of(programme), registrations, {})
    admitted = admitted_to("2024-D2", registrations, decisions)
    state = desired_state(programme, "2024-D2", admitted, load_course())

    assert state.course.idnumber == state.course.shortname == "SCM-2024-D2"
    assert state.course.fullname == "Smart City Manager – Durchgang 2 (Sep/Okt 2024)"
    assert state.course.category_idnumber == "SCM-2024"
    assert state.course.template_idnumber == "SCM-TEMPLATE"
    assert state.course.startdate == epoch(dt.date(2024, 9, 3), dt.time(0))
    assert state.cohort.idnumber == "2024-D2"

    # Jürgen and Änne are admitted; Björn withdrew; Özlem wants D3. The example's trainer gets an account too.
    participants = [user for user in state.users if not user.trainer]
    assert {user.email for user in participants} == {
        "juergen.weiss@goerlitz.example.de",
        "aenne.mueller@lra-bautzen.example.de",
    }
    for user in participants:
        assert PARAM_USERNAME.match(user.username)
        assert user.idnumber.startswith("R-")
        assert (user.auth, user.lang) == ("manual", "de")
    jurgen = next(user for user in state.users if user.firstname == "Jürgen")
    assert (jurgen.lastname, jurgen.institution) == ("Weiß", "Stadt Görlitz")
    assert state.cohort_members == tuple(user.username for user in participants)
    timestart, timeend = programme.enrolment_period("2024-D2")
    assert {(e.roleid, e.timestart, e.timeend) for e in state.enrolments} == {(5, timestart, timeend)}
    assert not state.trainer_ids  # the example lists no trainers for 2024-D2 yet

    assert len(state.events) == 10
    first, last = state.events[0], state.events[-1]
    assert first.name == "Vormittag 1 von 10 – Modul 1: Auftakt: Smart City – Begriff, Ziele und Rahmen"
    assert first.key == "SCM-2024-D2/V1"
    assert first.timestart == 1725951600 and first.timeduration == 4 * 3600  # 10 Sep 2024 09:00 CEST
    assert last.name.startswith("Vormittag 10 von 10 – Modul 5: ")
    assert 'href="https://opentalk.example.org/room/scm-2024-d2"' in first.description
    assert "Leitung" not in first.description


def test_trainers_get_accounts_and_the_trainer_role_but_no_cohort(programme: Programme) -> None:
    state = desired_state(programme, "2024-D1", [], load_course())
    assert not state.participants and not state.cohort_members
    trainers = [user for user in state.users if user.trainer]
    assert [(t.firstname, t.lastname) for t in trainers][1] == ("Beispiel-Trainer Tom", "Muster")
    assert all(t.idnumber.startswith("T-") and len(t.idnumber) == 12 for t in trainers)
    assert state.trainer_ids == {t.idnumber for t in trainers}
    timestart, timeend = programme.enrolment_period("2024-D1")
    assert {(e.roleid, e.timestart, e.timeend) for e in state.enrolments} == {(4, timestart, timeend)}
    fourth = state.events[3]
    assert 'href="https://konferenz.example.org/b/scm-2024-d1-worldcafe"' in fourth.description
    assert "Leitung: Beispiel-Trainerin Dr. Karin Beispiel (Beispiel-Hochschule" in fourth.description
    assert "Leitung im Team:" in state.events[9].description


def test_waiting_list_people_never_appear(programme: Programme, tmp_path: Path) -> None:
    imported = load_registrations(DATA / "valid-de-bom.csv", programme.keys).registrations
    with Ledger.open(tmp_path / "l.db") as ledger:
        registrations = ledger.register(imported, "x")
    tight = [
        offer if offer.key != "2024-D2" else type(offer)(offer.key, 1, offer.deadline)
        for offer in offers_of(programme)
    ]
    decisions = decide(tight, registrations, {})
    waiting = {reg_id for reg_id, d in decisions.items() if d.status == "waitlisted"}
    assert waiting
    state = desired_state(programme, "2024-D2", admitted_to("2024-D2", registrations, decisions))
    assert not waiting & {user.idnumber for user in state.users}
    assert len(state.participants) == 1


def test_usernames_are_moodle_safe_and_unique() -> None:
    assert username_for(" Jürgen.Weiß@Görlitz.example.de") == "juergen.weiss@goerlitz.example.de"
    assert username_for("a+b@example.de") == "a-b@example.de"
    long = username_for("x" * 120 + "@example.de")
    assert len(long) == 100 and PARAM_USERNAME.match(long)
    assert unique_username("a-b@example.de", {"a-b@example.de", "a-b-2@example.de"}) == "a-b-3@example.de"


def test_recorded_moodle_rejects_what_we_avoid() -> None:
    """The real site refused an umlaut username; our derivation never produces one."""
    recording = json.loads((RECORDINGS / "core_user_create_users--username-with-umlaut.json").read_text())
    sent = dict(recording["request"])["users[0][username]"]
    assert recording["response"]["errorcode"] == "invalidparameter"
    assert not PARAM_USERNAME.match(sent)
    assert PARAM_USERNAME.match(username_for(sent + "@goerlitz.example.de"))
    accepted = json.loads((RECORDINGS / "core_user_create_users.json").read_text())
    assert PARAM_USERNAME.match(dict(accepted["request"])["users[0][username]"])


def test_registration_without_id_is_refused(programme: Programme) -> None:
    (jurgen,) = load_registrations(DATA / "valid-de-bom.csv", programme.keys).registrations[:1]
    with pytest.raises(ValueError, match="ohne Registrierungs-ID"):
        desired_state(programme, "2024-D2", [jurgen])
