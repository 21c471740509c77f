"""Erasure from the ledger (DSGVO Art. 17), the deletion concept after a Durchgang, access (Art. 15).

Each scenario runs the real `scm-lms admit` on a real programme file, so the ledger holds what admission
really writes (decisions, explanations, notifications), and then the real `scm-lms ledger` commands.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scm_lms.certify.facts import Facts, ModuleFact, new_number
from scm_lms.certify.register import Issued, Register
from scm_lms.certify.signing import load_private, sign
from scm_lms.ledger import Ledger
from scm_lms.ledger.erasure import ERASED_NAME, Ledgerfile
from scm_lms.programme import load_programme
from testkit.cli_run import run
from testkit.old_ledgers import old_ledger

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
HEADER = (
    "Vorname;Nachname;E-Mail;Kommune;Gewünschte Durchgänge;Alternativer Durchgang möglich;Anmeldezeitpunkt"
)
# Seats 2 per Durchgang: Annegret and Bernhard get 2024-D2, Cem and Dora wait, Eva registered too late.
ANNEGRET = (
    "Annegret;Albershausen;annegret.albershausen@annaburg.example.de;Annaburg;2024-D2;nein;01.07.2024 08:00"
)
PEOPLE = [
    ANNEGRET,
    "Bernhard;Brandtner;bernhard@b.example.de;Stadt B;2024-D2;nein;01.07.2024 09:00",
    "Cem;Celik;cem@c.example.de;Stadt C;2024-D2;nein;01.07.2024 10:00",
    "Dora;Dietrichsen;dora@d.example.de;Stadt D;2024-D2;nein;01.07.2024 11:00",
    "Eva;Ebersberger;eva@e.example.de;Stadt E;2024-D2;nein;01.09.2024 11:00",
]
ANNEGRET_TRACES = (b"albershausen", b"annaburg", b"annegret")


def programme_file(folder: Path, year: int = 2024) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8").replace("seats: 30", "seats: 2")
    path = folder / "programme.yaml"
    path.write_text(text.replace("2024", str(year)), encoding="utf-8")
    return path


def admit(folder: Path, lines: list[str], *extra: str, header: str = HEADER) -> str:
    registrations = folder / "anmeldungen.csv"
    registrations.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    code, output = run("admit", folder / "programme.yaml", registrations, *extra)
    assert code == 0, output
    return output


@pytest.fixture
def db(tmp_path: Path) -> Path:
    programme_file(tmp_path)
    admit(tmp_path, PEOPLE)
    return tmp_path / "scm-lms.db"


def ids(db: Path) -> dict[str, str]:
    """Last name → registration id of everyone not erased."""
    with Ledger.open(db) as ledger:
        return {r.last_name: r.reg_id for r in ledger.registrations()}


def current(db: Path) -> dict[str, tuple[str, int | None, int | None]]:
    with Ledger.open(db) as ledger:
        return {reg_id: (d.status, d.seat, d.position) for reg_id, d in ledger.decisions().items()}


def add_certificate(db: Path, reg_id: str, name: str, key: Path) -> str:
    number = new_number("2024-D2")
    facts = Facts(
        name,
        "Smart City Manager",
        "2024-D2",
        "2024-10-31",
        number,
        "Koordinierungsstelle",
        40,
        (ModuleFact(1, "Grundlagen", 8),),
    )
    signature = sign(load_private(key), facts.canonical())
    issued = Issued(number, reg_id, "2024-D2", facts.canonical().decode(), signature, "1", {}, "2024-10-31")
    with Register.open(db) as register:
        register.add(issued)
    return number


def test_erase_by_email_leaves_no_trace_in_the_file_and_keeps_the_others_seats(db: Path) -> None:
    people = ids(db)
    before = current(db)
    assert before[people["Albershausen"]] == ("admitted", 1, None)
    assert before[people["Dietrichsen"]] == ("waitlisted", None, 2)

    code, output = run(
        "ledger", "erase", "--db", db, "--email", " Annegret.Albershausen@annaburg.example.de", "--yes"
    )
    assert code == 0, output
    reg_id = people["Albershausen"]
    assert f"{reg_id}: gelöscht (Platz 1 in 2024-D2 freigegeben)" in output
    assert "Export des Anmeldeformulars" in output  # what the admin still has to delete by hand

    raw = db.read_bytes().lower()
    assert not [trace for trace in ANNEGRET_TRACES if trace in raw]
    assert b"dietrichsen" in raw  # the others are untouched
    assert not db.with_name("scm-lms.db-journal").exists()
    connection = sqlite3.connect(db)
    row = connection.execute(
        "SELECT email, first_name, last_name, municipality, state, withdrawn, erased_at, erasure_reason "
        "FROM registrations WHERE reg_id = ?",
        (reg_id,),
    ).fetchone()
    assert row[:6] == (f"geloescht+{reg_id}@invalid", "", "", "", None, 1)
    assert row[6] and row[7] == "Antrag auf Löschung (Art. 17 DSGVO)"
    assert connection.execute("SELECT reg_id, kind, reason, certificates FROM erasures").fetchall() == [
        (reg_id, "erase", "Antrag auf Löschung (Art. 17 DSGVO)", "[]")
    ]
    # decisions and the sent-mail record are kept under the pseudonymous id
    assert connection.execute(
        "SELECT COUNT(*) FROM notifications WHERE reg_id = ?", (reg_id,)
    ).fetchone() == (0,)
    statuses = connection.execute(
        "SELECT status FROM decision_events WHERE reg_id = ? ORDER BY seq", (reg_id,)
    )
    assert [status for (status,) in statuses] == ["admitted", "withdrawn"]
    connection.close()

    # the next admission run (the office removed her from the form export) ignores her; only her seat moves
    admit(db.parent, PEOPLE[1:])
    after = current(db)
    assert reg_id not in ids(db).values()
    assert after[reg_id][0] == "withdrawn"
    assert after[people["Brandtner"]] == ("admitted", 2, None)
    assert after[people["Celik"]] == ("admitted", 1, None)
    assert after[people["Dietrichsen"]] == ("waitlisted", None, 1)
    assert after[people["Ebersberger"]] == before[people["Ebersberger"]]
    assert not [trace for trace in ANNEGRET_TRACES if trace in db.read_bytes().lower()]


def test_erase_by_id_is_idempotent_and_reason_must_not_name_the_person(db: Path) -> None:
    reg_id = ids(db)["Celik"]
    code, output = run(
        "ledger", "erase", "--db", db, "--reg-id", reg_id, "--reason", "Antrag von Cem Celik", "--yes"
    )
    assert code == 1
    assert f"{reg_id}: der Grund enthält Name oder E-Mail-Adresse" in output
    assert "Es wurde nichts gelöscht." in output
    assert reg_id in ids(db).values()

    code, output = run(
        "ledger", "erase", "--db", db, "--reg-id", reg_id.lower(), "--reason", "Antrag 7/2024", "--yes"
    )
    assert code == 0 and f"{reg_id}: gelöscht\n" in output  # waiting list: no seat to free
    code, output = run("ledger", "erase", "--db", db, "--reg-id", reg_id, "--yes")
    assert code == 0 and f"{reg_id}: war bereits gelöscht" in output
    code, output = run("ledger", "erase", "--db", db, "--email", "cem@c.example.de", "--yes")
    assert code == 1 and "die 1. angegebene E-Mail-Adresse (--email) steht nicht (mehr) im Ledger" in output
    assert "cem@" not in output


def test_personal_data_in_the_kept_history_refuses_the_erasure(db: Path) -> None:
    """The history is kept because it names nobody; should a row ever name the person, erase nothing."""
    reg_id = ids(db)["Celik"]
    connection = sqlite3.connect(db)
    connection.execute(
        "INSERT INTO decision_events (at, reg_id, status, durchgang, seat, position, explanation) "
        "VALUES ('2024-07-02T00:00:00+00:00', ?, 'waitlisted', '2024-D2', NULL, 1, ?)",
        (reg_id, "Rückfrage an cem@c.example.de"),
    )
    connection.commit()
    connection.close()
    code, output = run("ledger", "erase", "--db", db, "--reg-id", reg_id, "--yes")
    assert code == 1
    assert f"{reg_id}: Entscheidungshistorie oder Versandprotokoll enthält die E-Mail-Adresse" in output
    assert "Celik" in ids(db)


def test_a_failure_erases_nobody(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = ids(db)
    Ledgerfile.open(db).close()  # adds the (empty) certificate register, as every erase does
    snapshot = db.read_bytes()
    code, output = run(
        "ledger", "erase", "--db", db, "--reg-id", people["Celik"], "--reg-id", "R-0000000000", "--yes"
    )
    assert code == 1
    assert "R-0000000000: keine solche Anmeldenummer" in output and "Es wurde nichts gelöscht." in output
    assert db.read_bytes() == snapshot

    calls: list[str] = []

    def fail_second(db_: sqlite3.Connection, reg_id: str, at: str, signer: Ed25519PrivateKey) -> list[str]:
        calls.append(reg_id)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return []

    monkeypatch.setattr(Ledgerfile, "_anonymise_certificates", staticmethod(fail_second))
    with Ledgerfile.open(db) as store, pytest.raises(sqlite3.OperationalError):
        store.erase(
            [people["Celik"], people["Dietrichsen"]],
            reason="Antrag",
            operator="admin",
            signer=Ed25519PrivateKey.generate(),
        )
    assert len(calls) == 2
    assert set(ids(db).values()) == set(people.values())
    assert b"celik" in db.read_bytes().lower()


def test_certified_person_is_refused_unless_the_dpo_decided(db: Path, tmp_path: Path) -> None:
    key = tmp_path / "signatur.key"
    assert run("cert", "keygen", "--key", key)[0] == 0
    reg_id = ids(db)["Brandtner"]
    number = add_certificate(db, reg_id, "Bernhard Brandtner", key)
    other = ids(db)["Celik"]

    code, output = run("ledger", "erase", "--db", db, "--reg-id", other, "--reg-id", reg_id, "--yes")
    assert code == 1
    assert f"{reg_id}: hat im Zertifikatsregister {number}" in output
    assert "Name und Nummer deshalb absichtlich" in output
    assert "scm-lms cert revoke NUMMER --reason" in output and "--include-certified" in output
    assert set(ids(db)) >= {"Brandtner", "Celik"}  # neither was erased
    code, output = run(
        "ledger",
        "erase",
        "--db",
        db,
        "--reg-id",
        reg_id,
        "--include-certified",
        "--yes",
        env={"SCM_CERT_KEY": str(tmp_path / "fehlt.key")},
    )
    assert code == 1 and "fehlt.key" in output and "Brandtner" in ids(db)

    code, output = run(
        "ledger", "erase", "--db", db, "--reg-id", reg_id, "--include-certified", "--key", key, "--yes"
    )
    assert code == 0, output
    assert f"Zertifikat {number} gesperrt und Name ersetzt" in output
    with Register.open(db) as register:
        issued = register.get(number)
    assert issued is not None and issued.revoked
    assert issued.facts.name == ERASED_NAME and issued.facts.number == number
    assert b"brandtner" not in db.read_bytes().lower()
    # verification by number still works and says "revoked", not "tampered"
    code, output = run("cert", "verify", number, "--db", db, "--public-key", f"{key}.pub")
    assert code == 1, output
    assert output.startswith("GESPERRT: gesperrt am ")
    assert (
        "personenbezogene Daten gelöscht (Art. 17 DSGVO, Entscheidung der/des Datenschutzbeauftragten)"
        in output
    )
    assert f"{ERASED_NAME} – Smart City Manager, Durchgang 2024-D2" in output
    connection = sqlite3.connect(db)
    with pytest.raises(sqlite3.IntegrityError, match="only be revoked"):  # the register's guard is back
        connection.execute("UPDATE certificates SET facts = '{}' WHERE number = ?", (number,))
    assert connection.execute("SELECT certificates FROM erasures").fetchone() == (f'["{number}"]',)
    connection.close()


def test_the_same_address_can_register_again_with_a_fresh_id(db: Path) -> None:
    old = ids(db)["Albershausen"]
    code, output = run("ledger", "erase", "--db", db, "--reg-id", old, "--yes")
    assert code == 0, output
    again = ANNEGRET.replace("01.07.2024 08:00", "20.08.2024 08:00")
    admit(db.parent, [again, *PEOPLE[1:]])
    new = ids(db)["Albershausen"]
    assert new != old
    decisions = current(db)
    assert decisions[old][0] == "withdrawn"
    assert decisions[new] == ("waitlisted", None, 2)  # after Dora: she is a new registration now
    assert decisions[ids(db)["Celik"]] == ("admitted", 1, None)


def test_purge_refuses_before_the_end_and_erases_exactly_the_waiting_and_declined(tmp_path: Path) -> None:
    future = tmp_path / "future"
    future.mkdir()
    programme_file(future, 2099)
    admit(future, [line.replace("2024", "2099") for line in PEOPLE])
    code, output = run("ledger", "purge", "2099-D2", "--programme", future / "programme.yaml", "--yes")
    assert code == 1
    last = load_programme(future / "programme.yaml").schedule("2099-D2").last_day
    assert f"2099-D2 ist noch nicht beendet (letzter Termin {last:%d.%m.%Y} 13:00 Uhr)" in output

    programme_file(tmp_path)
    admit(tmp_path, PEOPLE)
    db = tmp_path / "scm-lms.db"
    people = ids(db)
    admit(tmp_path, [PEOPLE[0] + ";zurückgezogen", *(p + ";" for p in PEOPLE[1:])], header=HEADER + ";Status")
    assert current(db)[people["Celik"]][0] == "admitted"  # moved up: was admitted, so kept

    code, output = run("ledger", "purge", "2024-D3", "--programme", tmp_path / "programme.yaml", "--yes")
    assert code == 0 and "2024-D3: niemand zu löschen" in output
    code, output = run("ledger", "purge", "2024-D2", "--programme", tmp_path / "programme.yaml")
    assert code == 1 and "Abgebrochen; es wurde nichts gelöscht." in output
    code, output = run("ledger", "purge", "2024-D2", "--programme", tmp_path / "programme.yaml", "--yes")
    assert code == 0, output
    gone = sorted([people["Dietrichsen"], people["Ebersberger"]])
    assert (
        f"2024-D2: 2 Person(en) gelöscht, die auf der Warteliste standen oder abgelehnt wurden und nie "
        f"zugelassen waren: {', '.join(gone)}" in output
    )
    assert sorted(ids(db)) == ["Albershausen", "Brandtner", "Celik"]
    connection = sqlite3.connect(db)
    kinds = connection.execute("SELECT kind, COUNT(*) FROM erasures GROUP BY kind").fetchall()
    connection.close()
    assert kinds == [("purge", 2)]
    assert not [name for name in (b"dietrichsen", b"ebersberger") if name in db.read_bytes().lower()]


def test_purge_keeps_whoever_may_still_move_up_into_a_later_durchgang(tmp_path: Path) -> None:
    """Seats 2 everywhere and all full; two wait on 2024-D1, one of them accepts any Durchgang."""
    programme = load_programme(programme_file(tmp_path))
    lines = [
        f"P{n};Person{n};p{n}@x.example.de;Stadt;{key};nein;01.04.2024 0{n}:00"
        for n, key in enumerate(["2024-D1", "2024-D1", "2024-D2", "2024-D2", "2024-D3", "2024-D3"], 1)
    ]
    lines += [
        "Flex;Flexibel;flex@x.example.de;Stadt;2024-D1;ja;02.04.2024 08:00",
        "Fix;Festgelegt;fix@x.example.de;Stadt;2024-D1;nein;02.04.2024 09:00",
    ]
    admit(tmp_path, lines)
    people = ids(tmp_path / "scm-lms.db")
    with Ledgerfile.open(tmp_path / "scm-lms.db") as store:
        during_d2 = store.purge_candidates(programme, "2024-D1", dt.datetime(2024, 9, 1, tzinfo=dt.UTC))
        after_all = store.purge_candidates(programme, "2024-D1", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert during_d2 == ([people["Festgelegt"]], [people["Flexibel"]])
    assert after_all == (sorted([people["Festgelegt"], people["Flexibel"]]), [])


def test_show_counts_and_one_persons_history_with_personal_data_only_on_request(db: Path) -> None:
    reg_id = ids(db)["Dietrichsen"]
    code, output = run("ledger", "show", "--db", db)
    assert code == 0, output
    assert "Anmeldungen: 5 aktiv, 0 zurückgezogen, 0 gelöscht" in output
    assert "2024-D2: 2 zugelassen, 2 Warteliste, 1 abgelehnt" in output
    assert "Zertifikate: 0 gültig, 0 gesperrt" in output and "Löschungen: 0" in output
    assert "@" not in output and "Dietrichsen" not in output

    code, output = run("ledger", "show", "--db", db, "--reg-id", reg_id)
    assert code == 0, output
    assert f"Anmeldenummer: {reg_id}" in output and "anzeigen mit --personal" in output
    assert "2024-D2  Warteliste Position 2 für 2024-D2" in output
    assert "dora@d.example.de" not in output and "Dietrichsen" not in output

    code, output = run("ledger", "show", "--db", db, "--email", "dora@d.example.de", "--personal")
    assert code == 0, output
    assert "E-Mail: dora@d.example.de" in output and "Nachname: Dietrichsen" in output

    assert run("ledger", "erase", "--db", db, "--reg-id", reg_id, "--yes")[0] == 0
    code, output = run("ledger", "show", "--db", db, "--reg-id", reg_id, "--personal")
    assert code == 0 and "Gelöscht am " in output and "Nachname" not in output
    assert "Anmeldungen: 4 aktiv, 0 zurückgezogen, 1 gelöscht" in run("ledger", "show", "--db", db)[1]


def test_cli_usage_errors_and_missing_file(tmp_path: Path, db: Path) -> None:
    code, output = run("ledger", "erase", "--db", db, "--yes")
    assert code == 2 and "mindestens eine --reg-id oder --email angeben" in output
    code, output = run("ledger", "show", "--db", db, "--personal")
    assert code == 2 and "--personal nur zusammen mit --reg-id oder --email" in output
    missing = tmp_path / "fehlt.db"
    code, output = run("ledger", "show", "--db", missing)
    assert code == 1 and f"Ledger-Datei {missing} nicht gefunden" in output
    assert not missing.exists()
    (text := tmp_path / "anmeldungen.db").write_text("Vorname;Nachname\n", encoding="utf-8")
    code, output = run("ledger", "show", "--db", text)
    assert code == 1 and "keine gültige Ledger-Datei" in output
    code, output = run("ledger", "erase", "--db", db, "--reg-id", ids(db)["Celik"])  # no --yes, no input
    assert code == 1 and "Abgebrochen; es wurde nichts gelöscht." in output
    assert "Celik" in ids(db)


def test_a_v1_ledger_is_migrated_and_its_people_kept(tmp_path: Path) -> None:
    path = tmp_path / "alt.db"
    connection = old_ledger(path, releases=1)
    connection.execute(
        "INSERT INTO registrations VALUES ('R-0123456789', 'alt@x.example.de', 'Alt', 'Bestand', 'Stadt', "
        "NULL, '[\"2024-D1\"]', 0, '2024-04-01T08:00:00+02:00', 0, 'alt.csv', '2024-04-01T06:00:00+00:00')"
    )
    connection.commit()
    connection.close()

    with Ledger.open(path) as ledger:
        assert [r.reg_id for r in ledger.registrations()] == ["R-0123456789"]
    code, output = run("ledger", "erase", "--db", path, "--email", "alt@x.example.de", "--yes")
    assert code == 0, output
    assert b"bestand" not in path.read_bytes().lower()


def test_admit_export_is_readable_by_the_owner_only(tmp_path: Path) -> None:
    programme_file(tmp_path)
    export = tmp_path / "zugelassen.csv"
    export.write_text("alt", encoding="utf-8")
    export.chmod(0o644)
    admit(tmp_path, PEOPLE, "--export", str(export))
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    assert "Albershausen" in export.read_text(encoding="utf-8-sig")
