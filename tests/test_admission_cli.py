"""`scm-lms admit` and `scm-lms lms init` end to end: import, decide, ledger, re-runs, withdrawals, export."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from scm_lms.cli.admit import admit as admit_command
from scm_lms.cli.lms_provision import init as init_command
from scm_lms.ledger import Ledger
from scm_lms.programme import load_programme

ROOT = Path(__file__).parents[1]
DATA = Path(__file__).parent / "data" / "registrations"
HEADER = "Vorname;Nachname;E-Mail;Kommune;Gewünschter Durchgang;Anmeldezeitpunkt;Status"
PEOPLE = [
    "Anna;Albers;anna@a.example.de;Stadt A;2024-D2;01.07.2024 08:00;{}",
    "Bernd;Brandt;bernd@b.example.de;Stadt B;2024-D2;01.07.2024 09:00;",
    "Cem;Celik;cem@c.example.de;Stadt C;2024-D2;01.07.2024 10:00;",
]


def setup(tmp_path: Path, seats: int = 2) -> Path:
    text = (ROOT / "examples" / "programme-2024.yaml").read_text(encoding="utf-8")
    programme = tmp_path / "programme.yaml"
    programme.write_text(text.replace("seats: 30", f"seats: {seats}"), encoding="utf-8")
    return programme


def registrations(tmp_path: Path, anna_status: str = "") -> Path:
    path = tmp_path / "anmeldungen.csv"
    lines = [HEADER, PEOPLE[0].format(anna_status), *PEOPLE[1:]]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def admit(*args: str) -> str:
    result = CliRunner().invoke(admit_command, [*args], env={"COLUMNS": "200"})  # tables unwrapped
    assert result.exit_code == 0, result.output
    return result.output


def test_rerun_changes_nothing_and_withdrawal_promotes(tmp_path: Path) -> None:
    programme = setup(tmp_path)
    first = admit(str(programme), str(registrations(tmp_path)))
    assert "3 Anmeldungen importiert, 3 Entscheidungen geändert." in first
    assert "2024-D2: 10 Termine 10.09.–15.10.2024" in first
    assert (
        "  übersprungen: 03.10.2024: Tag der Deutschen Einheit (Feiertag in allen berücksichtigten Ländern)"
        in first
    )
    assert "2024-D2 – Durchgang 2 (Sep/Okt 2024): 2 von 2 Plätzen belegt" in first
    assert "Warteliste Position 1 für 2024-D2" in first

    again = admit(str(programme), str(registrations(tmp_path)))
    assert "3 Anmeldungen importiert, 0 Entscheidungen geändert." in again

    after = admit(str(programme), str(registrations(tmp_path, "zurückgezogen")))
    assert "2 Entscheidungen geändert." in after
    with Ledger.open(tmp_path / "scm-lms.db") as ledger:
        by_email = {r.email: r.reg_id for r in ledger.registrations()}
        decisions = ledger.decisions()
        history = [e.decision.status for e in ledger.history(by_email["cem@c.example.de"])]
    assert (
        decisions[by_email["anna@a.example.de"]].explanation
        == "zurückgezogen; Platz 1 in 2024-D2 freigegeben"
    )
    assert decisions[by_email["bernd@b.example.de"]].seat == 2
    assert decisions[by_email["cem@c.example.de"]].explanation == (
        "Platz 1 von 2 in 2024-D2, von der Warteliste nachgerückt"
    )
    assert history == ["waitlisted", "admitted"]
    assert (tmp_path / "mail" / "2024-D2" / f"{by_email['cem@c.example.de']}-admitted.eml").exists()


def test_file_with_errors_imports_nothing(tmp_path: Path) -> None:
    programme = setup(tmp_path)
    result = CliRunner().invoke(admit_command, [str(programme), str(DATA / "bad-email.csv")])
    assert result.exit_code == 1
    assert "Anmeldungen nicht importiert:" in result.output
    assert "Zeile 3, Spalte „Dienstliche E-Mail“: ungültige E-Mail-Adresse „max.muster@“" in result.output
    assert not (tmp_path / "scm-lms.db").exists()


def test_skip_invalid_imports_the_valid_rows(tmp_path: Path) -> None:
    programme = setup(tmp_path)
    db = tmp_path / "ledger" / "own.db"
    output = admit(str(programme), str(DATA / "bad-email.csv"), "--skip-invalid", "--db", str(db))
    assert "Hinweis: übersprungen: " in output and "1 Anmeldungen importiert" in output
    with Ledger.open(db) as ledger:
        assert [r.email for r in ledger.registrations()] == ["juergen.weiss@goerlitz.example.de"]


def test_bad_programme_file_names_line_and_field(tmp_path: Path) -> None:
    programme = setup(tmp_path)
    programme.write_text(programme.read_text(encoding="utf-8").replace("seats: 2", "seats: viele", 1))
    result = CliRunner().invoke(admit_command, [str(programme), str(DATA / "valid-de-bom.csv")])
    assert result.exit_code == 1
    lines = programme.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if "seats: viele" in text)
    assert f"{programme}:{line}: durchgaenge.0.seats: keine ganze Zahl" in result.output


def test_export_is_excel_safe_csv(tmp_path: Path) -> None:
    programme = setup(tmp_path, seats=30)
    export = tmp_path / "zugelassen.csv"
    admit(str(programme), str(DATA / "valid-de-bom.csv"), "--export", str(export))
    data = export.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "Durchgang;Platz;Anmeldenummer;Vorname;Nachname;E-Mail;Kommune;Bundesland"
    assert lines[1].startswith("2024-D2;1;R-") and lines[1].endswith(
        ";Jürgen;Weiß;juergen.weiss@goerlitz.example.de;Stadt Görlitz;SN"
    )
    assert lines[3].startswith("2024-D3;1;R-")
    assert lines[4] == ""  # withdrawn and non-admitted people are not exported


def test_ledger_holds_ids_not_names_in_decisions(tmp_path: Path) -> None:
    programme = setup(tmp_path)
    admit(str(programme), str(registrations(tmp_path)))
    raw = sqlite3.connect(tmp_path / "scm-lms.db")
    events = raw.execute("SELECT * FROM decision_events").fetchall()
    raw.close()
    assert events and not any(
        "Anna" in str(value) or "anna@" in str(value) for row in events for value in row
    )


def test_lms_init_writes_a_loadable_starter_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "programme.yaml"
    runner = CliRunner()
    created = runner.invoke(init_command, [str(target), "--year", "2027"])
    assert created.exit_code == 0, created.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Programmdatei") and "# Variante 1: Regel" in text
    programme = load_programme(target)
    assert programme.keys == ("2027-D1", "2027-D2") and programme.year == 2027
    assert all(len(programme.schedule(key).sessions) == 10 for key in programme.keys)
    target.write_text("meins", encoding="utf-8")
    refused = runner.invoke(init_command, [str(target)])
    assert refused.exit_code == 1 and "wird nicht überschrieben" in refused.output
    assert target.read_text(encoding="utf-8") == "meins"


def test_copy_of_example_programme_is_usable(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "programme-2024.yaml", tmp_path / "p.yaml")
    output = admit(str(tmp_path / "p.yaml"), str(DATA / "valid.xlsx"))
    assert "2 Anmeldungen importiert" in output


def test_examples_work_together(tmp_path: Path) -> None:
    output = admit(
        str(ROOT / "examples" / "programme-2024.yaml"),
        str(ROOT / "examples" / "registrations-2024.csv"),
        "--db",
        str(tmp_path / "l.db"),
        "--out",
        str(tmp_path / "mail"),
    )
    assert "7 Anmeldungen importiert" in output
    assert "abgelehnt: Anmeldung nach Anmeldeschluss (18.10.2024)" in output  # Greta, 25.10.
    assert len(list((tmp_path / "mail").rglob("*.eml"))) == 6  # the withdrawal gets no mail


def test_column_mapping_example(tmp_path: Path) -> None:
    csv_file = tmp_path / "export.csv"
    csv_file.write_text(
        "Vorname;Nachname;Kontakt (dienstlich);Träger;Gewünschter Durchgang;Eingegangen am\n"
        "Ida;Winter;ida.winter@example.de;Stadt Winterberg;2024-D2;01.07.2024 12:00\n",
        encoding="utf-8",
    )
    programme = setup(tmp_path)
    output = admit(str(programme), str(csv_file), "--mapping", str(ROOT / "examples" / "column-mapping.yaml"))
    assert "Stadt Winterberg" in output and "Platz 1 von 2" in output
    refused = CliRunner().invoke(admit_command, [str(programme), str(csv_file)])
    assert (
        refused.exit_code == 1
        and "Spalte(n) fehlen: Dienstliche E-Mail, Kommune, Anmeldezeitpunkt" in refused.output
    )
