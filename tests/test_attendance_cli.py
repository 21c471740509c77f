"""`scm-lms attendance set|show|sheet`, the history kept in the ledger, and erasure and access covering it."""

from __future__ import annotations

import io
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from scm_lms.attendance.store import AttendanceLedger
from testkit.attendance_site import HEADER, ids, make_site
from testkit.cli_run import run

ANNEGRET = "annegret@a.example.de"
JUERGEN = "juergen@m.example.de"
LIST = "E-Mail;Beitrittszeit;Zeit des Verlassens\n{email};10.09.2024 09:00;10.09.2024 13:00\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    return tmp_path


def cli(site: Path, *args: str | Path) -> tuple[int, str]:
    return run("attendance", *args, "--programme", site / "programme.yaml")


def imported(site: Path, email: str) -> None:
    path = site / "liste.csv"
    path.write_text(LIST.format(email=email), encoding="utf-8")
    code, output = cli(site, "import", "2024-D2", path)
    assert code == 0, output


def test_set_records_a_correction_that_a_later_import_keeps(site: Path) -> None:
    reg_id = ids(site)[ANNEGRET]
    imported(site, JUERGEN)  # Annegret not in the list: absent
    code, output = cli(site, "set", "2024-D2", reg_id, "1", "excused", "--note", "Attest liegt vor")
    assert code == 0, output
    assert (
        f"{reg_id}, Vormittag 1 (Dienstag, 10.09.2024, 09:00–13:00 Uhr): entschuldigt eingetragen." in output
    )
    path = site / "liste.csv"
    code, output = cli(site, "import", "2024-D2", path)
    assert (
        f"{reg_id}: abwesend (0 Min., nicht in der Liste) – bleibt entschuldigt (Korrektur von Hand)"
        in output
    )
    with AttendanceLedger.open(site / "scm-lms.db") as ledger:
        mark = ledger.marks("2024-D2")[(1, reg_id)]
        history = ledger.attendance_history("2024-D2", reg_id)
    assert (mark.status, mark.source, mark.note) == ("excused", "manual", "Attest liegt vor")
    assert [(m.status, m.source) for m in history] == [("absent", "import"), ("excused", "manual")]


def test_set_the_same_again_changes_nothing_and_history_is_shown(site: Path) -> None:
    reg_id = ids(site)[JUERGEN]
    cli(site, "set", "2024-D2", reg_id, "2", "present")
    code, output = cli(site, "set", "2024-D2", reg_id, "2", "present")
    assert "war schon so eingetragen" in output
    cli(site, "set", "2024-D2", reg_id, "2", "absent", "--note", "doch nicht da")
    code, output = cli(site, "show", "2024-D2", "--history", reg_id)
    assert code == 0
    assert "Vormittag  2: anwesend (von Hand)" in output
    assert "Vormittag  2: abwesend (von Hand) – doch nicht da" in output


def test_set_refuses_people_of_other_durchgaenge_and_unknown_mornings(site: Path) -> None:
    dora = ids(site)["dora@d.example.de"]
    code, output = cli(site, "set", "2024-D2", dora, "1", "present")
    assert code == 1 and f"{dora} ist nicht in 2024-D2 zugelassen" in output
    code, output = cli(site, "set", "2024-D2", ids(site)[JUERGEN], "11", "present")
    assert code == 1 and "Vormittag 11: 2024-D2 hat die Vormittage 1 bis 10" in output
    code, output = cli(site, "set", "2024-D2", ids(site)[JUERGEN], "1", "vielleicht")
    assert code == 2


def test_a_status_the_ledger_does_not_know_is_refused_by_the_file_itself(site: Path) -> None:
    reg_id = ids(site)[JUERGEN]
    with sqlite3.connect(site / "scm-lms.db") as db, pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO attendance_events (at, durchgang, session, reg_id, status, source, note) "
            "VALUES ('x', '2024-D2', 1, ?, 'vielleicht', 'manual', '')",
            (reg_id,),
        )
    cli(site, "set", "2024-D2", reg_id, "1", "present")
    with sqlite3.connect(site / "scm-lms.db") as db:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("UPDATE attendance_events SET status = 'absent'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("DELETE FROM attendance_events")


def test_show_prints_pseudonymous_ids_and_names_only_on_request(site: Path) -> None:
    imported(site, JUERGEN)
    reg_id = ids(site)[JUERGEN]
    code, output = cli(site, "show", "2024-D2")
    assert code == 0
    assert "Müßig" not in output
    line = next(line for line in output.splitlines() if line.startswith(reg_id))
    assert line.split()[1:] == ["✓", *["·"] * 9, "1/10"]
    assert "Nötig für das Zertifikat: 8 Vormittage." in output
    assert "Vormittag  1 (Dienstag, 10.09.2024, 09:00–13:00 Uhr): 1 anwesend" in output
    code, output = cli(site, "show", "2024-D2", "--names")
    assert "Jürgen Müßig" in output


def test_show_json_is_the_matrix(site: Path) -> None:
    imported(site, JUERGEN)
    code, output = cli(site, "show", "2024-D2", "--json")
    assert code == 0
    data = json.loads(output)
    assert [s["date"] for s in data["sessions"]][:2] == ["2024-09-10", "2024-09-12"]
    row = next(p for p in data["people"] if p["reg_id"] == ids(site)[JUERGEN])
    assert row["mornings"]["1"] == "present" and row["mornings"]["2"] is None
    assert (row["present"], row["attended"]) == (1, 1)
    assert "name" not in row
    assert {p["reg_id"] for p in data["people"]} == {
        ids(site)[e] for e in (ANNEGRET, JUERGEN, "bernhard@b.example.de")
    } | {ids(site)["jan.schmidt@x.example.de"], ids(site)["jan.schmidt@y.example.de"]}


def test_sheet_is_a_german_pdf_with_everyone_and_boxes_to_tick(site: Path) -> None:
    out = site / "liste-3.pdf"
    code, output = cli(site, "sheet", "2024-D2", "3", out)
    assert code == 0, output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    assert "Anwesenheitsliste" in text
    assert "Vormittag 3 von 10: Dienstag, 17.09.2024, 09:00–13:00 Uhr" in text
    assert "Trainerinnen und Trainer: Tanja Trainer (Hochschule Beispiel)" in text
    assert "mindestens 75 % des Vormittags" in text
    for name in ("Albershausen, Annegret", "Müßig, Jürgen", "Schmidt, Jan", "Brandtner, Bernhard"):
        assert name in text
    assert "Dietrichsen" not in text  # 2024-D1
    assert text.count("☐") == 3 * 5
    assert reader.metadata is not None and reader.metadata.title == "Anwesenheitsliste 2024-D2, Vormittag 3"


def test_a_long_sheet_continues_on_a_second_page(tmp_path: Path) -> None:
    make_site(tmp_path)
    header = HEADER
    rows = [
        f"Person{n};Nachname{n:02d};p{n}@x.example.de;Stadt;2024-D2;nein;02.07.2024 08:{n:02d}"
        for n in range(25)
    ]
    (tmp_path / "mehr.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    assert run("admit", tmp_path / "programme.yaml", tmp_path / "mehr.csv")[0] == 0
    out = tmp_path / "s.pdf"
    assert cli(tmp_path, "sheet", "2024-D2", "1", out)[0] == 0
    reader = PdfReader(out)
    assert len(reader.pages) >= 2
    assert "Anmelde-Nr." in (reader.pages[1].extract_text() or "")  # the heading repeats
    assert "Nachname24, Person24" in (reader.pages[-1].extract_text() or "") + (
        reader.pages[-2].extract_text() or ""
    )
    assert "Datum, Unterschrift" in (reader.pages[-1].extract_text() or "")


def test_erasure_deletes_the_persons_attendance_and_nobody_elses(site: Path) -> None:
    annegret, juergen = ids(site)[ANNEGRET], ids(site)[JUERGEN]
    cli(site, "set", "2024-D2", annegret, "1", "excused", "--note", "krank")
    cli(site, "set", "2024-D2", juergen, "1", "present")
    code, output = run("ledger", "erase", "--db", site / "scm-lms.db", "--reg-id", annegret, "--yes")
    assert code == 0, output
    with AttendanceLedger.open(site / "scm-lms.db") as ledger:
        assert ledger.attendance_history("2024-D2", annegret) == []
        assert [m.reg_id for m in ledger.attendance_history("2024-D2")] == [juergen]
    assert b"krank" not in (site / "scm-lms.db").read_bytes()
    with sqlite3.connect(site / "scm-lms.db") as db:
        assert db.execute("SELECT COUNT(*) FROM meta WHERE key = 'erasing'").fetchone()[0] == 0


def test_the_access_report_lists_attendance_with_notes_only_when_personal(site: Path) -> None:
    reg_id = ids(site)[ANNEGRET]
    cli(site, "set", "2024-D2", reg_id, "4", "excused", "--note", "Fortbildung")
    code, output = run("ledger", "show", "--db", site / "scm-lms.db", "--reg-id", reg_id)
    assert code == 0, output
    assert "2024-D2  Vormittag 4: entschuldigt (von Hand)  (Bemerkung: mit --personal)" in output
    code, output = run("ledger", "show", "--db", site / "scm-lms.db", "--reg-id", reg_id, "--personal")
    assert "Bemerkung: Fortbildung" in output
    code, output = run("ledger", "show", "--db", site / "scm-lms.db")
    assert "Anwesenheitseinträge (Vormittage): 1" in output


def test_import_without_a_ledger_says_what_to_do(tmp_path: Path) -> None:
    make_site(tmp_path)
    (tmp_path / "scm-lms.db").unlink()
    path = tmp_path / "l.csv"
    path.write_text(LIST.format(email=JUERGEN), encoding="utf-8")
    code, output = cli(tmp_path, "import", "2024-D2", path)
    assert code == 1 and "erst „scm-lms admit“ ausführen" in output


def test_csv_export_is_excel_safe_and_owner_only(site: Path) -> None:
    from scm_lms.intake.registrations import Registration
    from scm_lms.ledger import Ledger

    imported(site, JUERGEN)
    with Ledger.open(site / "scm-lms.db") as ledger:  # a name from before the import refused formulas
        reg = next(r for r in ledger.registrations() if r.email == ANNEGRET)
        ledger.register(
            [Registration(**{**reg.__dict__, "first_name": "=HYPERLINK(1)", "reg_id": ""})], "alt"
        )
    out = site / "anwesenheit.csv"
    code, output = cli(site, "show", "2024-D2", "--csv", out, "--names")
    assert code == 0, output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith(
        "Anmeldenummer;Name;1. Vormittag 10.09.2024;2. Vormittag 12.09.2024"
    )
    assert "'=HYPERLINK(1)" in text and ";=HYPERLINK" not in text
    assert f"{ids(site)[JUERGEN]};Jürgen Müßig;anwesend;" in text
    code, _ = cli(site, "show", "2024-D2", "--csv", out)
    assert "Müßig" not in out.read_bytes().decode("utf-8-sig")


def test_sheet_names_the_trainers_of_that_morning_only(site: Path) -> None:
    programme = site / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    lead = "      - {name: Tanja Trainer,"
    extra = (
        "      - {name: Uwe Umsetzer, email: uwe@agentur.example.de, organisation: Agentur Beispiel, "
        "modules: [5]}\n"
    )
    programme.write_text(text.replace(lead, extra + lead, 1), encoding="utf-8")

    def named(number: str) -> str:
        out = site / f"liste-{number}.pdf"
        code, output = cli(site, "sheet", "2024-D2", number, out)
        assert code == 0, output
        reader = PdfReader(io.BytesIO(out.read_bytes()))
        return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())

    assert "Uwe Umsetzer" not in named("3"), "module 5's trainer does not lead morning 3 (module 2)"
    assert "Trainerinnen und Trainer: Uwe Umsetzer (Agentur Beispiel), Tanja Trainer" in named("9")
