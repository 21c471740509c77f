"""Registration import: the files German programme offices actually produce, good and bad."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_lms.intake.registrations import RegistrationError, load_registrations
from scm_lms.programme.schedule import BERLIN

DATA = Path(__file__).parent / "data" / "registrations"
KEYS = ("2024-D1", "2024-D2", "2024-D3")


def problems(name: str) -> list[str]:
    with pytest.raises(RegistrationError) as caught:
        load_registrations(DATA / name, KEYS)
    return [line.removeprefix(f"{DATA / name}: ") for line in caught.value.problems]


def test_german_excel_utf8_with_bom() -> None:
    result = load_registrations(DATA / "valid-de-bom.csv", KEYS)
    assert result.encoding == "utf-8-sig"
    first, second, third, fourth = result.registrations
    assert (first.first_name, first.last_name, first.email) == (
        "Jürgen",
        "Weiß",
        "juergen.weiss@goerlitz.example.de",
    )
    assert first.state == "SN" and first.alternatives is True and first.row == 2
    assert first.registered_at == dt.datetime(2024, 7, 1, 9, 15, tzinfo=BERLIN)
    assert second.preferences == ("2024-D2", "2024-D3") and second.alternatives is False
    assert third.first_name == "Özlem" and third.state == "NW"
    assert fourth.withdrawn is True and first.withdrawn is False
    assert result.duplicates == () and result.skipped == ()


def test_windows_1252_file_keeps_umlauts_and_dash() -> None:
    result = load_registrations(DATA / "valid-cp1252.csv", KEYS)
    assert result.encoding == "cp1252"
    assert [r.last_name for r in result.registrations] == ["Weiß", "Müller", "Groß"]
    assert result.registrations[2].municipality == "Stadt Erfurt – Amt für Digitales"
    assert result.registrations[2].state == "TH"


def test_english_headers_comma_iso_dates_and_quoted_commas() -> None:
    anna, ben = load_registrations(DATA / "valid-en-comma.csv", KEYS).registrations
    assert anna.municipality == "Stadt Leipzig, Referat Digitale Stadt"
    assert anna.state == "SN"  # "Saxony"
    assert anna.registered_at == dt.datetime(2024, 7, 1, 9, 0, tzinfo=BERLIN)
    assert ben.preferences == ("2024-D3", "2024-D2") and ben.withdrawn


@pytest.mark.parametrize("name", ["valid-tab.csv", "sep-hint.csv", "utf16-excel-unicode.txt"])
def test_tab_separator_hint_line_and_excel_unicode_text(name: str) -> None:
    (only,) = load_registrations(DATA / name, KEYS).registrations
    assert only.state is None and not only.alternatives and not only.withdrawn
    assert only.email.endswith(".example.de")


def test_xlsx_with_real_datetime_cells() -> None:
    jurgen, anne = load_registrations(DATA / "valid.xlsx", KEYS).registrations
    assert jurgen.registered_at == dt.datetime(2024, 7, 1, 9, 15, tzinfo=BERLIN)
    assert anne.registered_at == dt.datetime(2024, 7, 1, 10, 2, tzinfo=BERLIN)
    assert anne.preferences == ("2024-D2", "2024-D3")


def test_empty_file() -> None:
    assert problems("empty.csv") == ["die Datei ist leer"]


def test_header_only() -> None:
    assert problems("header-only.csv") == ["enthält nur die Kopfzeile, aber keine Anmeldungen"]


def test_missing_column_lists_the_columns_found() -> None:
    (message,) = problems("missing-column.csv")
    assert message.startswith(
        "Zeile 1: Spalte(n) fehlen: Dienstliche E-Mail. Gefunden: „Vorname“, „Nachname“, "
    )
    assert "„Anmeldezeitpunkt“" in message and "--mapping" in message


def test_mapping_renames_a_column() -> None:
    result = load_registrations(
        DATA / "valid-tab.csv", KEYS, mapping={"municipality": "Organisation", "email": "E-Mail"}
    )
    assert result.registrations[0].municipality == "Stadt Ulm"
    with pytest.raises(RegistrationError, match="unbekannte Felder"):
        load_registrations(DATA / "valid-tab.csv", KEYS, mapping={"phone": "Telefon"})


def test_bad_emails_all_reported_with_row_and_column() -> None:
    assert problems("bad-email.csv") == [
        "Zeile 3, Spalte „Dienstliche E-Mail“: ungültige E-Mail-Adresse „max.muster@“",
        "Zeile 4, Spalte „Dienstliche E-Mail“: leer; bitte die dienstliche E-Mail-Adresse eintragen",
        "Nichts importiert: 2 Fehler. Datei korrigieren oder --skip-invalid nutzen.",
    ]


def test_skip_invalid_imports_the_rest_and_lists_what_was_skipped() -> None:
    result = load_registrations(DATA / "bad-email.csv", KEYS, skip_invalid=True)
    assert [r.email for r in result.registrations] == ["juergen.weiss@goerlitz.example.de"]
    assert len(result.skipped) == 2
    assert result.skipped[0] == (
        f"übersprungen: {DATA / 'bad-email.csv'}: Zeile 3, Spalte „Dienstliche E-Mail“: "
        "ungültige E-Mail-Adresse „max.muster@“"
    )


def test_duplicates_merged_onto_earliest_any_case() -> None:
    result = load_registrations(DATA / "duplicate.csv", KEYS)
    emails = [r.email for r in result.registrations]
    assert emails.count("juergen.weiss@goerlitz.example.de") == 1
    kept = next(r for r in result.registrations if r.email.startswith("juergen"))
    assert kept.row == 4 and kept.registered_at == dt.datetime(2024, 7, 1, 8, 0, tzinfo=BERLIN)
    assert result.duplicates == (
        f"{DATA / 'duplicate.csv'}: Zeile 2 ist ein Duplikat von Zeile 4 "
        "(juergen.weiss@goerlitz.example.de); "
        "es gilt die frühere Anmeldung vom 01.07.2024 08:00",
    )


def test_unknown_durchgang() -> None:
    assert problems("unknown-durchgang.csv")[0] == (
        "Zeile 2, Spalte „Gewünschte Durchgänge“: unbekannter Durchgang „2024-D9“; "
        "bekannt: 2024-D1, 2024-D2, 2024-D3"
    )


def test_bad_dates_impossible_and_free_text() -> None:
    assert problems("bad-date.csv")[:2] == [
        "Zeile 3, Spalte „Anmeldezeitpunkt“: „31.06.2024 10:02“ ist kein Zeitpunkt; "
        "Format TT.MM.JJJJ HH:MM oder JJJJ-MM-TT HH:MM",
        "Zeile 4, Spalte „Anmeldezeitpunkt“: „gestern“ ist kein Zeitpunkt; "
        "Format TT.MM.JJJJ HH:MM oder JJJJ-MM-TT HH:MM",
    ]


def test_unknown_federal_state() -> None:
    assert problems("unknown-state.csv")[0] == (
        "Zeile 2, Spalte „Bundesland“: unbekanntes Bundesland „Preußen“; "
        "Name oder Kürzel wie „Sachsen“ oder „SN“ angeben"
    )


def test_formula_looking_cells_are_rejected_not_imported() -> None:
    assert problems("formula.csv")[:3] == [
        'Zeile 2, Spalte „Vorname“: „=HYPERLINK("http://evil.example/x";"Klick")“ '
        "sieht wie eine Tabellenformel aus; bitte den Klartext eintragen",
        "Zeile 2, Spalte „Kommune“: „@SUMME(A1:A2)“ "
        "sieht wie eine Tabellenformel aus; bitte den Klartext eintragen",
        "Zeile 3, Spalte „Nachname“: „+Müller“ "
        "sieht wie eine Tabellenformel aus; bitte den Klartext eintragen",
    ]


def test_real_formula_in_xlsx() -> None:
    assert problems("formula.xlsx")[0] == (
        'Zeile 2, Spalte „Kommune“: „=A1&"x"“ sieht wie eine Tabellenformel aus; bitte den Klartext eintragen'
    )


def test_wrongly_converted_encoding_is_named() -> None:
    (message,) = problems("mojibake.csv")
    assert "„GewÃ¼nschte DurchgÃ¤nge“" in message
    assert message.endswith(
        "Die Kopfzeile enthält verstümmelte Umlaute: bitte die Datei als „CSV UTF-8“ neu speichern."
    )


def test_undecodable_bytes() -> None:
    assert problems("undecodable.csv") == [
        "Zeichenkodierung nicht erkannt (weder UTF-8 noch Windows-1252, Byte 134); "
        "bitte in Excel als „CSV UTF-8“ speichern"
    ]


def test_xlsx_that_is_not_a_workbook() -> None:
    assert problems("not-really.xlsx") == ["keine lesbare XLSX-Datei (File is not a zip file)"]


def test_every_bad_cell_of_a_row_is_reported() -> None:
    assert problems("many-errors.csv") == [
        "Zeile 3, Spalte „Vorname“: leer; bitte ausfüllen",
        "Zeile 3, Spalte „Alternativer Durchgang möglich“: „vielleicht“ ist weder ja noch nein",
        "Zeile 3, Spalte „Status“: unbekannter Status „unbekannt“; erlaubt: angemeldet, zurückgezogen",
        "Nichts importiert: 3 Fehler. Datei korrigieren oder --skip-invalid nutzen.",
    ]


def test_missing_file() -> None:
    (message,) = problems("does-not-exist.csv")
    assert message == "kann nicht gelesen werden: No such file or directory"


NAME = (
    st.text(
        alphabet="abcdefghijklmnopqrstuvwxyzäöüßÄÖÜABCDEFGHIJKLMNOPQRSTUVWXYZ -',;\"", min_size=1, max_size=20
    )
    .map(str.strip)
    .filter(lambda name: bool(name) and not name.startswith(("-", "'")))
)


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.tuples(NAME, NAME, NAME), min_size=1, max_size=6),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
)
def test_any_excel_dialect_round_trips(
    tmp_path_factory: pytest.TempPathFactory,
    people: list[tuple[str, str, str]],
    delimiter: str,
    encoding: str,
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["Vorname", "Nachname", "E-Mail", "Kommune", "Gewünschter Durchgang", "Anmeldezeitpunkt"])
    for number, (first, last, town) in enumerate(people):
        writer.writerow(
            [first, last, f"p{number}@example.de", f"Stadt {town}", "2024-D2", f"01.07.2024 08:{number:02d}"]
        )
    path = tmp_path_factory.mktemp("roundtrip") / "anmeldungen.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    result = load_registrations(path, KEYS)
    assert [(r.first_name, r.last_name, r.municipality) for r in result.registrations] == [
        (" ".join(first.split()), " ".join(last.split()), " ".join(f"Stadt {town}".split()))
        for first, last, town in people
    ]


def test_binary_file_with_nul_bytes() -> None:
    (message,) = problems("binary.csv")
    assert message.startswith("enthält Null-Bytes, ist also keine CSV-Textdatei")
