"""`scm-lms attendance import`: participant lists as video platforms export them → one status per morning.

The fixtures are modelled on the platforms' exports (column names, separators, encodings, time formats; see
docs/durchgang-betreuen.md, „Anwesenheit“, for what was assumed). Morning 1 of 2024-D2 is Tuesday
10.09.2024, 09:00–13:00 (240 minutes); 75 % = 180 minutes make someone present.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from scm_lms.attendance.store import AttendanceLedger
from testkit.attendance_site import TRAINER_EMAIL, ids, make_site
from testkit.cli_run import run

ANNEGRET = "annegret@a.example.de"
BERNHARD = "bernhard@b.example.de"
JUERGEN = "juergen@m.example.de"
DORA = "dora@d.example.de"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    make_site(tmp_path)
    return tmp_path


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    data = text.encode(encoding)
    path.write_bytes(data)
    return path


def do_import(folder: Path, path: Path, *extra: str | Path) -> tuple[int, str]:
    return run("attendance", "import", "2024-D2", path, "--programme", folder / "programme.yaml", *extra)


def marks(folder: Path) -> dict[tuple[int, str], tuple[str, int | None]]:
    """(morning, e-mail) → (status, minutes)."""
    by_id = {reg_id: email for email, reg_id in ids(folder).items()}
    with AttendanceLedger.open(folder / "scm-lms.db") as ledger:
        found = ledger.marks("2024-D2")
    return {(s, by_id[r]): (m.status, m.minutes) for (s, r), m in found.items()}


def nothing_imported(folder: Path) -> bool:
    with sqlite3.connect(folder / "scm-lms.db") as db:
        events = db.execute("SELECT COUNT(*) FROM attendance_events").fetchone()[0]
        imports = db.execute("SELECT COUNT(*) FROM attendance_imports").fetchone()[0]
    return bool(events == 0 and imports == 0)


# --- platform formats ---------------------------------------------------------------------------------------

DATA = Path(__file__).parent / "data" / "attendance"


def fixture(folder: Path, name: str) -> Path:
    """A copy of a platform fixture in the test folder (the ledger lives there too)."""
    target = folder / name
    target.write_bytes((DATA / name).read_bytes())
    return target


def test_zoom_english_merges_overlapping_rows_clips_to_the_morning_and_ignores_the_trainer(
    site: Path,
) -> None:
    code, output = do_import(site, fixture(site, "zoom-en.csv"))
    assert code == 0, output
    found = marks(site)
    assert found[(1, ANNEGRET)] == ("present", 240)  # 08:55–10:30 and 10:20–13:05, clipped to 09:00–13:00
    assert found[(1, BERNHARD)] == ("absent", 120)  # by name, the bracketed note ignored
    assert found[(1, JUERGEN)] == ("absent", 0)  # not in the list
    assert "1 Zeile(n) von Trainerinnen und Trainern ignoriert" in output
    assert TRAINER_EMAIL not in output


def test_zoom_german_in_windows_1252_with_semicolons_matches_umlaut_names(site: Path) -> None:
    code, output = do_import(site, fixture(site, "zoom-de-cp1252.csv"))
    assert code == 0, output
    assert marks(site)[(1, JUERGEN)] == ("present", 225)
    assert marks(site)[(1, ANNEGRET)] == ("absent", 60)  # e-mail matched case-insensitively


def test_teams_utf16_report_uses_the_single_joins_not_the_first_join_last_leave_summary(site: Path) -> None:
    path = fixture(site, "teams-de-utf16.csv")  # Teams: "Unicode text", UTF-16 LE with BOM, tabs
    assert path.read_bytes()[:2] == b"\xff\xfe"
    code, output = do_import(site, path)
    assert code == 0, output
    found = marks(site)
    assert found[(1, ANNEGRET)] == ("absent", 130)  # 09:00–10:00 + 11:50–13:00, not 08:58–13:00
    assert found[(1, BERNHARD)] == ("present", 238)
    assert "Trainerinnen und Trainern ignoriert" in output


def test_teams_english_summary_only_counts_the_stated_duration_and_uses_the_upn(site: Path) -> None:
    code, output = do_import(site, fixture(site, "teams-en-summary-utf16.csv"))
    assert code == 0, output
    assert marks(site)[(1, JUERGEN)] == ("absent", 90)  # not 09:02–12:58: Teams says 1h 30m in the meeting
    assert "1 Zeile(n) von Trainerinnen und Trainern ignoriert" in output


def test_teams_older_report_pairs_joined_and_left_rows(site: Path) -> None:
    code, output = do_import(site, fixture(site, "teams-alt-utf16.csv"))
    assert code == 0, output
    found = marks(site)
    assert found[(1, BERNHARD)] == ("present", 235)  # 09:00–10:00, 10:05 until the end
    assert found[(1, JUERGEN)] == ("absent", 30)


def test_bigbluebutton_dashboard_with_bom_and_no_addresses_matches_by_name(site: Path) -> None:
    code, output = do_import(site, fixture(site, "bigbluebutton-bom.csv"))
    assert code == 0, output
    assert marks(site)[(1, ANNEGRET)] == ("present", 240)
    assert "1 Zeile(n) von Trainerinnen und Trainern ignoriert" in output  # by name: BBB has no e-mail


def test_webex_iso_times_and_opentalk_utc_times(site: Path) -> None:
    assert do_import(site, fixture(site, "webex.csv"))[0] == 0
    assert marks(site)[(1, BERNHARD)] == ("present", 200)
    code, output = do_import(site, fixture(site, "opentalk.csv"), "--session", "1")
    assert code == 0, output
    assert marks(site)[(1, JUERGEN)] == ("present", 219)  # 07:01Z = 09:01 CEST


def test_jitsi_clock_times_need_the_session(site: Path) -> None:
    path = fixture(site, "jitsi.csv")
    code, output = do_import(site, path)
    assert code == 1
    assert "die Beitrittszeiten haben kein Datum; mit --session NUMMER den Vormittag angeben" in output
    assert nothing_imported(site)
    code, output = do_import(site, path, "--session", "3")
    assert code == 0, output
    assert marks(site)[(3, ANNEGRET)] == ("present", 240)


def test_morning_is_found_from_the_join_dates(site: Path) -> None:
    text = (DATA / "zoom-de-cp1252.csv").read_text("cp1252").replace("10.09.2024", "17.09.2024")
    code, output = do_import(site, write(site, "z.csv", text))
    assert code == 0, output
    assert "Vormittag 3 von 10 (Dienstag, 17.09.2024" in output
    assert marks(site)[(3, JUERGEN)] == ("present", 225)


def test_tabs_and_commas_with_a_duration_instead_of_a_leave_time(site: Path) -> None:
    text = "E-Mail\tBeitrittszeit\tDauer (Minuten)\njuergen@m.example.de\t10.09.2024 09:30\t200\n"
    assert do_import(site, write(site, "t.tsv", text))[0] == 0
    assert marks(site)[(1, JUERGEN)] == ("present", 200)


def test_a_list_of_the_same_morning_again_changes_nothing(site: Path) -> None:
    path = fixture(site, "zoom-en.csv")
    do_import(site, path)
    code, output = do_import(site, path)
    assert code == 0 and "0 Einträge geändert" in output


# --- matching -----------------------------------------------------------------------------------------------


def test_a_shared_name_without_address_is_listed_as_ambiguous_and_never_guessed(site: Path) -> None:
    text = (
        "Name;E-Mail;Beitrittszeit;Zeit des Verlassens\n"
        "Jan Schmidt;;10.09.2024 09:00;10.09.2024 13:00\n"
        "Jan Schmidt;jan.schmidt@y.example.de;10.09.2024 09:00;10.09.2024 13:00\n"
        "Unbekannte Person;;10.09.2024 09:00;10.09.2024 13:00\n"
    )
    code, output = do_import(site, write(site, "j.csv", text))
    assert code == 0, output
    found = marks(site)
    assert found[(1, "jan.schmidt@y.example.de")] == ("present", 240)
    assert found[(1, "jan.schmidt@x.example.de")] == ("absent", 0)
    assert "Zeile 2: „Jan Schmidt“ – Name passt auf mehrere Zugelassene von 2024-D2" in output
    assert "Zeile 4: „Unbekannte Person“ – niemand unter den Zugelassenen" in output


def test_surname_first_and_extra_spaces_match_exactly(site: Path) -> None:
    text = "Name;Beitrittszeit;Zeit des Verlassens\n  müßig,   jürgen ;10.09.2024 09:00;10.09.2024 13:00\n"
    assert do_import(site, write(site, "n.csv", text))[0] == 0
    assert marks(site)[(1, JUERGEN)] == ("present", 240)


def test_a_name_that_is_only_similar_is_not_matched(site: Path) -> None:
    text = "Name;Beitrittszeit;Zeit des Verlassens\nJ. Müßig;10.09.2024 09:00;10.09.2024 13:00\n"
    code, output = do_import(site, write(site, "n.csv", text))
    assert code == 0
    assert marks(site)[(1, JUERGEN)] == ("absent", 0)
    assert "„J. Müßig“ – niemand" in output


def test_presence_threshold_comes_from_the_programme(tmp_path: Path) -> None:
    make_site(tmp_path, programme_extra="  min_presence: 0.5\n")
    text = (
        "E-Mail;Beitrittszeit;Zeit des Verlassens\njuergen@m.example.de;10.09.2024 09:00;10.09.2024 11:00\n"
    )
    assert do_import(tmp_path, write(tmp_path, "p.csv", text))[0] == 0
    assert marks(tmp_path)[(1, JUERGEN)] == ("present", 120)


# --- untrusted rows -----------------------------------------------------------------------------------------


def test_someone_elses_address_from_another_durchgang_affects_nobody(site: Path) -> None:
    text = (
        "Name;E-Mail;Beitrittszeit;Zeit des Verlassens\n"
        f"Annegret Albershausen;{DORA};10.09.2024 09:00;10.09.2024 13:00\n"
    )
    code, output = do_import(site, write(site, "m.csv", text))
    assert code == 0, output
    found = marks(site)
    assert found[(1, ANNEGRET)] == ("absent", 0)  # the name is not used against the row's own address
    assert not any(email == DORA for _, email in found)  # Dora (2024-D1) gets no attendance in 2024-D2
    assert "E-Mail-Adresse gehört zu niemandem, der in 2024-D2 zugelassen ist" in output


def test_formula_and_terminal_escapes_in_names_are_printed_harmless(site: Path) -> None:
    text = (
        "Name;Beitrittszeit;Zeit des Verlassens\n"
        '=HYPERLINK("https://böse.example/x","klick");10.09.2024 09:00;10.09.2024 13:00\n'
        "\x1b[2J\x1b[31mRot;10.09.2024 09:00;10.09.2024 13:00\n"
    )
    code, output = do_import(site, write(site, "f.csv", text))
    assert code == 0, output
    assert "„'=HYPERLINK(" in output
    assert "\x1b" not in output


def test_duplicate_rows_count_once(site: Path) -> None:
    row = "juergen@m.example.de;10.09.2024 09:00;10.09.2024 11:00\n"
    text = "E-Mail;Beitrittszeit;Zeit des Verlassens\n" + row * 50
    assert do_import(site, write(site, "d.csv", text))[0] == 0
    assert marks(site)[(1, JUERGEN)] == ("absent", 120)


def test_a_trainer_who_also_registered_gets_no_attendance(site: Path) -> None:
    text = f"E-Mail;Beitrittszeit;Zeit des Verlassens\n{TRAINER_EMAIL};10.09.2024 09:00;10.09.2024 13:00\n"
    code, _ = do_import(site, write(site, "t.csv", text))
    assert code == 0
    assert all(status == "absent" for status, _ in marks(site).values())


# --- bad files: every problem named by row and column, nothing imported -------------------------------------

H = "Name;E-Mail;Beitrittszeit;Zeit des Verlassens;Dauer (Minuten)\n"
OK = "Jürgen Müßig;juergen@m.example.de;10.09.2024 09:00;10.09.2024 13:00;240\n"

BAD_FILES = {
    "unreadable join time": (
        H + OK + "Annegret Albershausen;;10.09.2024 neun Uhr;10.09.2024 13:00;240\n",
        (),
        "Zeile 3, Spalte „Beitrittszeit“: „10.09.2024 neun Uhr“ ist kein Zeitpunkt",
    ),
    "leave before join": (
        H + "Annegret Albershausen;;10.09.2024 12:00;10.09.2024 09:00;\n" + OK,
        (),
        "Zeile 2, Spalte „Zeit des Verlassens“: liegt vor der Beitrittszeit in derselben Zeile",
    ),
    "invalid address": (
        H + OK + OK + "Annegret;annegret(at)a.example.de;10.09.2024 09:00;10.09.2024 13:00;240\n",
        (),
        "Zeile 4, Spalte „E-Mail“: ungültige E-Mail-Adresse „annegret(at)a.example.de“",
    ),
    "neither name nor address": (
        H + ";;10.09.2024 09:00;10.09.2024 13:00;240\n" + OK,
        (),
        "Zeile 2, Spalte „Name“: weder Name noch E-Mail-Adresse",
    ),
    "duration not a number": (
        H + OK + "Annegret Albershausen;;10.09.2024 09:00;;viel\n",
        (),
        "Zeile 3, Spalte „Dauer (Minuten)“: „viel“ ist keine Dauer",
    ),
    "row of another day": (
        H + OK + "Annegret Albershausen;;11.09.2024 09:00;11.09.2024 13:00;240\n",
        ("--session", "1"),
        "Zeile 3, Spalte „Beitrittszeit“: 11.09.2024 liegt nicht am Vormittag 1 (10.09.2024)",
    ),
    "neither leave nor duration in a row": (
        H + "Annegret Albershausen;;10.09.2024 09:00;;\n" + OK,
        (),
        "Zeile 2, Spalte „Zeit des Verlassens“: leer; Zeitpunkt des Verlassens oder Dauer fehlt",
    ),
    "unknown action": (
        "Full Name\tUser Action\tTimestamp\nJürgen Müßig\tJoined\t9/10/2024, 9:00:00 AM\n"
        "Jürgen Müßig\tWinkt\t9/10/2024, 9:10:00 AM\n",
        (),
        "Zeile 3, Spalte „User Action“: „Winkt“ ist weder Beitritt noch Verlassen",
    ),
    "cell too long": (
        H + "A" * 600 + ";;10.09.2024 09:00;10.09.2024 13:00;240\n",
        (),
        "Zeile 2, Spalte „Name“: länger als 500 Zeichen",
    ),
    "no header": (
        "Anna;anna@x.example.de;09:00\nBert;bert@x.example.de;09:10\n",
        (),
        "keine Kopfzeile mit Name oder E-Mail und Beitrittszeit gefunden (erste Zeile: „Anna“",
    ),
    "two address columns": (
        "Name;E-Mail;Mail;Beitrittszeit;Dauer\nX;x@x.example.de;x@x.example.de;10.09.2024 09:00;240\n",
        (),
        "Zeile 1: Spalten „E-Mail“ und „Mail“ meinen beide „E-Mail“",
    ),
    "no leave or duration column": (
        "Name;Beitrittszeit\nJürgen Müßig;10.09.2024 09:00\n",
        (),
        "Zeile 1: weder eine Spalte für das Verlassen",
    ),
    "header only": (H, (), "enthält nur die Kopfzeile (Zeile 1), aber niemanden"),
    "dates of two mornings": (
        H + OK + "Annegret Albershausen;;12.09.2024 09:00;12.09.2024 13:00;240\n",
        (),
        "die Beitrittszeiten liegen an mehreren Tagen (10.09.2024, 12.09.2024); nicht eindeutig",
    ),
    "no morning on that date": (
        H + OK.replace("10.09.2024", "11.09.2024"),
        (),
        "die Beitrittszeiten (11.09.2024) liegen an keinem Vormittag von 2024-D2",
    ),
    "session out of range": (
        H + OK,
        ("--session", "11"),
        "--session 11: 2024-D2 hat die Vormittage 1 bis 10",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_imports_nothing_and_names_row_and_column(site: Path, kind: str) -> None:
    text, extra, expected = BAD_FILES[kind]
    code, output = do_import(site, write(site, "bad.csv", text), *extra)
    assert code == 1, output
    assert expected in " ".join(output.split()), output
    assert nothing_imported(site)


def test_an_excel_file_renamed_to_csv_is_refused(site: Path) -> None:
    path = site / "liste.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    code, output = do_import(site, path)
    assert code == 1 and "enthält Null-Bytes" in output
    assert nothing_imported(site)


def test_a_huge_file_is_refused_before_it_is_read(site: Path) -> None:
    path = site / "riesig.csv"
    with path.open("wb") as handle:
        handle.write(H.encode())
        handle.write(OK.encode() * 80_000)  # about 5.5 MB
    code, output = do_import(site, path)
    assert code == 1 and "zu groß für eine Teilnehmerliste" in output
    assert nothing_imported(site)


def test_too_many_rows_are_refused(site: Path) -> None:
    path = write(
        site, "viele.csv", "E-Mail;Beitrittszeit;Dauer\n" + "x@x.example.de;10.09.2024 09:00;1\n" * 10_001
    )
    code, output = do_import(site, path)
    assert code == 1 and "10001 Zeilen sind zu viele" in output
    assert nothing_imported(site)


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(site: Path) -> None:
    text = H + OK + "Annegret Albershausen;;10.09.2024 neun Uhr;10.09.2024 13:00;240\n"
    code, output = do_import(site, write(site, "s.csv", text), "--skip-invalid")
    assert code == 0, output
    assert "übersprungen: " in output and "Zeile 3, Spalte „Beitrittszeit“" in output
    assert marks(site)[(1, JUERGEN)] == ("present", 240)
    assert marks(site)[(1, ANNEGRET)] == ("absent", 0)


def test_each_import_is_recorded_with_file_name_checksum_and_counts(site: Path) -> None:
    text = (
        H
        + OK
        + "Annegret Albershausen;;10.09.2024 neun Uhr;10.09.2024 13:00;240\n"
        + "Niemand;;10.09.2024 09:00;;60\n"
    )
    path = write(site, "liste-vm1.csv", text)
    assert do_import(site, path, "--skip-invalid")[0] == 0
    with AttendanceLedger.open(site / "scm-lms.db") as ledger:
        ((_, record),) = ledger.imports("2024-D2")
    assert (record.session, record.file_name, record.rows, record.matched) == (1, "liste-vm1.csv", 3, 1)
    assert (record.unmatched, record.skipped) == (1, 1)
    assert record.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_lists_of_one_morning_are_merged(site: Path) -> None:
    first = write(
        site,
        "teil-1.csv",
        "E-Mail;Beitrittszeit;Zeit des Verlassens\nannegret@a.example.de;10.09.2024 09:00;10.09.2024 10:30\n",
    )
    second = write(
        site,
        "teil-2.csv",
        "Name,Join Time,Leave Time\nAnnegret Albershausen,09/10/2024 10:40 AM,09/10/2024 01:00 PM\n"
        "Gast 7,09/10/2024 10:40 AM,09/10/2024 01:00 PM\n",
    )
    code, output = do_import(site, first, second)
    assert code == 0, output
    assert marks(site)[(1, ANNEGRET)] == ("present", 230)  # the meeting was restarted at 10:40
    assert "  teil-2.csv Zeile 3: „Gast 7“ – niemand" in output
    with AttendanceLedger.open(site / "scm-lms.db") as ledger:
        ((_, record),) = ledger.imports("2024-D2")
    assert record.file_name == "teil-1.csv, teil-2.csv" and record.rows == 3


def test_a_bad_row_in_the_second_list_names_that_file(site: Path) -> None:
    first = write(site, "a.csv", H + OK)
    second = write(site, "b.csv", H + "Annegret Albershausen;;10.09.2024 neun;10.09.2024 13:00;240\n")
    code, output = do_import(site, first, second)
    assert code == 1
    assert f"{second}: Zeile 2, Spalte „Beitrittszeit“" in output
    assert nothing_imported(site)
