"""The SQLite ledger: stable pseudonymous ids, append-only decision history, notifications, schema version."""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from scm_lms.intake.admission import Decision
from scm_lms.intake.registrations import load_registrations
from scm_lms.ledger import Ledger, LedgerError

DATA = Path(__file__).parent / "data" / "registrations"
KEYS = ("2024-D1", "2024-D2", "2024-D3")


def test_ids_are_stable_pseudonymous_and_kept_across_runs(tmp_path: Path) -> None:
    imported = load_registrations(DATA / "valid-de-bom.csv", KEYS).registrations
    path = tmp_path / "scm-lms.db"
    with Ledger.open(path) as ledger:
        first = ledger.register(imported, "valid-de-bom.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Ledger.open(path) as ledger:
        again = ledger.register(imported, "valid-de-bom.csv")
    assert [r.reg_id for r in again] == [r.reg_id for r in first]
    for registration in first:
        assert registration.reg_id.startswith("R-") and len(registration.reg_id) == 12
        for part in (registration.first_name, registration.last_name, registration.email.split("@")[0]):
            assert part.lower() not in registration.reg_id.lower()
    other = tmp_path / "other.db"
    with Ledger.open(other) as ledger:
        salted = ledger.register(imported, "x")
    assert salted[0].reg_id != first[0].reg_id  # ids depend on the ledger's secret salt, not only the email


def test_reimport_keeps_earliest_time_and_withdrawal(tmp_path: Path) -> None:
    (jurgen, *_rest, bjorn) = load_registrations(DATA / "valid-de-bom.csv", KEYS).registrations
    with Ledger.open(tmp_path / "l.db") as ledger:
        ledger.register([jurgen, bjorn], "a.csv")
        later = replace(jurgen, registered_at=jurgen.registered_at.replace(day=20), last_name="Weiß-Neu")
        ledger.register([later, replace(bjorn, withdrawn=False)], "b.csv")
        stored = {r.email: r for r in ledger.registrations()}
    assert stored[jurgen.email].registered_at == jurgen.registered_at
    assert stored[jurgen.email].last_name == "Weiß-Neu"
    assert stored[bjorn.email].withdrawn is True


def test_decisions_are_an_append_only_history(tmp_path: Path) -> None:
    (jurgen,) = load_registrations(DATA / "valid-de-bom.csv", KEYS).registrations[:1]
    waiting = Decision("", "waitlisted", "2024-D2", None, 2, "Warteliste Position 2 für 2024-D2")
    with Ledger.open(tmp_path / "l.db") as ledger:
        (stored,) = ledger.register([jurgen], "a.csv")
        reg_id = stored.reg_id
        waiting = replace(waiting, reg_id=reg_id)
        admitted = Decision(reg_id, "admitted", "2024-D2", 7, None, "Platz 7 von 30 in 2024-D2")
        assert ledger.record({reg_id: waiting}) == [waiting]
        assert ledger.record({reg_id: waiting}) == []  # unchanged: no new event
        assert ledger.record({reg_id: admitted}) == [admitted]
        assert ledger.decisions() == {reg_id: admitted}
        assert [event.decision for event in ledger.history(reg_id)] == [waiting, admitted]
    raw = sqlite3.connect(tmp_path / "l.db")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("UPDATE decision_events SET seat = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        raw.execute("DELETE FROM decision_events")
    raw.close()


def test_notifications_are_recorded_once(tmp_path: Path) -> None:
    (jurgen,) = load_registrations(DATA / "valid-de-bom.csv", KEYS).registrations[:1]
    with Ledger.open(tmp_path / "l.db") as ledger:
        (stored,) = ledger.register([jurgen], "a.csv")
        decision = Decision(stored.reg_id, "admitted", "2024-D2", 1, None, "Platz 1 von 30 in 2024-D2")
        assert not ledger.notified(stored.reg_id, "admitted", "2024-D2")
        ledger.record({stored.reg_id: decision})
        ledger.record_notification(decision, "<m1@example.de>")
        assert ledger.notified(stored.reg_id, "admitted", "2024-D2")
        with pytest.raises(sqlite3.IntegrityError):
            ledger.record_notification(decision, "<m2@example.de>")


def test_a_ledger_from_a_newer_scm_lms_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    raw = sqlite3.connect(path)
    (version,) = raw.execute("PRAGMA user_version").fetchone()
    raw.execute(f"PRAGMA user_version = {version + 1}")  # what a later release would leave behind
    raw.close()
    with pytest.raises(LedgerError, match="neuer als diese scm-lms-Version"):
        Ledger.open(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    path.write_text("Vorname;Nachname\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="keine gültige Ledger-Datei"):
        Ledger.open(path)
