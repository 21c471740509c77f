"""Forgiving registration headers: spellings and synonyms match, two candidates or none are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from scm_lms.intake.registration_headers import FIELDS, header_key, match_columns
from scm_lms.intake.registrations import RegistrationError, load_registrations

KEYS = ("2024-D1", "2024-D2", "2024-D3")
ROW = "Jürgen;Weiß;juergen.weiss@goerlitz.example.de;Stadt Görlitz;2024-D2;01.07.2024 09:15\n"


def _load(tmp_path: Path, header: str, row: str = ROW) -> list[str]:
    path = tmp_path / "export.csv"
    path.write_text(header + "\n" + row, encoding="utf-8")
    return [r.preferences[0] for r in load_registrations(path, KEYS).registrations]


@pytest.mark.parametrize(
    "column",
    [
        "Wunschdurchgang",
        "Wunschtermin",
        "Bevorzugter Durchgang",
        "Termin",
        "WUNSCH-TERMIN",
        "wunsch_durchgang",
    ],
)
def test_office_names_for_the_wanted_durchgang_need_no_mapping(tmp_path: Path, column: str) -> None:
    header = f"Vorname;Nachname;E-Mail-Adresse;Kommune;{column};Anmeldedatum"
    assert _load(tmp_path, header) == ["2024-D2"]


def test_a_form_tool_export_with_umlaut_spellings_and_notes(tmp_path: Path) -> None:
    """Headers as an online form tool writes them: no umlauts, notes in brackets, required-field stars."""
    header = "vorname*;Familienname*;E-Mail (dienstlich)*;Behoerde / Dienststelle;Gewuenschte Durchgaenge;"
    header += "Zeitstempel"
    row = "Änne;Müller;aenne.mueller@lra-bautzen.example.de;LRA Bautzen;2024-D3, 2024-D2;2024-07-01 10:02\n"
    with pytest.raises(RegistrationError) as refused:
        _load(tmp_path, header, row)
    (message,) = refused.value.problems
    assert "Spalte(n) fehlen: Kommune" in message  # "Behörde / Dienststelle" is two names in one
    assert "am ähnlichsten: „Behoerde / Dienststelle“ (municipality: Behoerde / Dienststelle)" in message
    assert "--mapping" in message
    fixed = header.replace("Behoerde / Dienststelle", "Dienststelle")
    assert _load(tmp_path, fixed, row) == ["2024-D3"]


def test_two_columns_for_one_field_are_named_not_guessed(tmp_path: Path) -> None:
    header = "Vorname;Nachname;E-Mail;Dienstliche E-Mail;Kommune;Durchgang;Anmeldedatum"
    row = "A;B;privat@example.de;a.b@stadt.example.de;Stadt;2024-D2;01.07.2024 09:15\n"
    with pytest.raises(RegistrationError) as refused:
        _load(tmp_path, header, row)
    (message,) = refused.value.problems
    assert "Spalten „E-Mail“ und „Dienstliche E-Mail“ passen beide zu „Dienstliche E-Mail“" in message
    assert "--mapping" in message


def test_a_mapping_settles_an_ambiguity(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Vorname;Nachname;E-Mail;Dienstliche E-Mail;Kommune;Durchgang;Anmeldedatum\n"
        "A;B;privat@example.de;a.b@stadt.example.de;Stadt;2024-D2;01.07.2024 09:15\n",
        encoding="utf-8",
    )
    result = load_registrations(path, KEYS, mapping={"email": "Dienstliche E-Mail"})
    assert result.registrations[0].email == "a.b@stadt.example.de"


def test_a_missing_column_names_the_closest_header(tmp_path: Path) -> None:
    header = "Vorname;Nachname;E-Mail;Kommune;Wunsch-DG;Anmeldedatum"
    with pytest.raises(RegistrationError) as refused:
        _load(tmp_path, header)
    (message,) = refused.value.problems
    assert message.startswith("export.csv: Zeile 1: Spalte(n) fehlen: Gewünschter Durchgang.") or (
        "Zeile 1: Spalte(n) fehlen: Gewünschter Durchgang." in message
    )
    assert "am ähnlichsten: „Wunsch-DG“ (preferences: Wunsch-DG)" in message
    assert "examples/column-mapping.yaml" in message


def test_spellings_fold_to_one_key_and_synonyms_belong_to_one_field() -> None:
    assert header_key("Gewünschte Durchgänge") == header_key("gewuenschte_durchgaenge")
    assert header_key("Gewünschte Durchgänge") == header_key("Gewunschte-Durchgange")
    assert header_key("Straße") == header_key("STRASSE")
    owners: dict[str, set[str]] = {}
    for field, names in FIELDS.items():
        for name in names:
            owners.setdefault(header_key(name), set()).add(field)
    assert all(len(fields) == 1 for fields in owners.values()), "a synonym must not name two fields"
    assert sum(len(names) for names in FIELDS.values()) == len(owners), "no synonym twice"


def test_real_exports_in_tests_data_still_match() -> None:
    data = Path(__file__).parent / "data" / "registrations"
    for name in (
        "valid-de-bom.csv",
        "valid-en-comma.csv",
        "valid-tab.csv",
        "sep-hint.csv",
        "valid-cp1252.csv",
    ):
        assert load_registrations(data / name, KEYS).registrations, name
    columns, problems = match_columns(
        ("Vorname", "Nachname", "Mail", "Kommune", "Termine", "Eingangsdatum"), {}
    )
    assert not problems and columns["preferences"] == 4 and columns["email"] == 2
