"""The programme file: the shipped 2024 example, defaults, and errors that point at file:line:field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scm_lms.programme import ProgrammeError, load_programme
from scm_lms.programme.schedule import epoch

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"

MINIMAL = """\
year: 2024
issuer: Beispielträger
contact_email: buero@example.de
moodle:
  category: SCM-2024
durchgaenge:
  - key: 2024-D2
    title: Durchgang 2
    seats: 2
    registration_deadline: 2024-08-23
    rule: {weekdays: [tue, thu], start: 09:00, end: 13:00, from: 2024-09-10, count: 10}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    return [line.removeprefix(f"{path}:") for line in caught.value.problems]


def test_example_has_the_three_2024_durchgaenge() -> None:
    programme = load_programme(EXAMPLE)
    assert programme.keys == ("2024-D1", "2024-D2", "2024-D3")
    pilot = programme.schedule("2024-D1")
    assert pilot.first_day == dt.date(2024, 5, 6)
    for key in programme.keys:
        plan = programme.schedule(key)
        assert len(plan.sessions) == 10
        assert all(s.start == dt.time(9) and s.end == dt.time(13) for s in plan.sessions)
    assert programme.schedule("2024-D2").first_day.month == 9
    assert programme.schedule("2024-D2").last_day.month == 10
    assert {s.day.month for s in programme.schedule("2024-D3").sessions} == {11, 12}


def test_defaults() -> None:
    programme = load_programme(EXAMPLE)
    assert programme.moodle.template_course == "SCM-TEMPLATE"
    assert programme.moodle.certificate_field == "scm_certificate"
    assert programme.certification.pass_marks == {1: 80, 2: 80, 3: 80, 4: 80, 5: 80}
    assert programme.certification.require_completion is True


def test_enrolment_period_defaults_to_minus_7_plus_28_days(tmp_path: Path) -> None:
    programme = load_programme(write(tmp_path, MINIMAL))
    start, end = programme.enrolment_period("2024-D2")
    assert start == epoch(dt.date(2024, 9, 3), dt.time(0, 0))
    assert end == epoch(dt.date(2024, 11, 12), dt.time(23, 59, 59))  # last session 15 Oct + 28 days
    assert programme.deadline("2024-D2").isoformat() == "2024-08-23T23:59:59+02:00"


def test_unquoted_times_are_times_not_base_60_numbers(tmp_path: Path) -> None:
    rule = load_programme(write(tmp_path, MINIMAL)).durchgang("2024-D2").rule
    assert rule is not None and rule.end == dt.time(13, 0)


def test_partial_pass_marks_fill_with_80(tmp_path: Path) -> None:
    text = MINIMAL + "certification: {pass_marks: {3: 70}, require_completion: false}\n"
    certification = load_programme(write(tmp_path, text)).certification
    assert certification.pass_marks == {1: 80, 2: 80, 3: 70, 4: 80, 5: 80}
    assert certification.require_completion is False


def test_unknown_key_names_line_and_field(tmp_path: Path) -> None:
    text = MINIMAL.replace("    seats: 2\n", "    seats: 2\n    seat: 3\n")
    assert errors(tmp_path, text) == ["10: durchgaenge.0.seat: unbekanntes Feld (Tippfehler?)"]


def test_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    text = MINIMAL.replace("    seats: 2\n", "")
    assert errors(tmp_path, text) == ["7: durchgaenge.0.seats: Pflichtfeld fehlt"]


def test_bad_value_in_a_nested_mapping(tmp_path: Path) -> None:
    text = MINIMAL.replace("weekdays: [tue, thu]", "weekdays: [tue, thursday]")
    (message,) = errors(tmp_path, text)
    assert message.startswith("11: durchgaenge.0.rule.weekdays.1: ungültiger Wert")


def test_both_schedule_forms_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL + "    sessions: []\n"
    assert errors(tmp_path, text) == [
        "7: durchgaenge.0: genau eines von 'sessions' (zehn Termine) oder 'rule' (Regel) angeben"
    ]


def test_explicit_sessions_must_be_ten(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "    rule: {weekdays: [tue, thu], start: 09:00, end: 13:00, from: 2024-09-10, count: 10}\n",
        "    sessions:\n      - {date: 2024-09-10, start: 09:00, end: 13:00}\n",
    )
    assert errors(tmp_path, text) == ["7: durchgaenge.0: 'sessions' hat 1 Termine, erwartet 10"]


def test_durchgang_key_must_match_year_and_be_unique(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL.replace("year: 2024", "year: 2025")) == [
        "1: (Datei): Durchgang '2024-D2' passt nicht zum Jahr 2025"
    ]
    doubled = MINIMAL + MINIMAL[MINIMAL.index("  - key") :]
    assert errors(tmp_path, doubled) == ["1: (Datei): Durchgang '2024-D2' ist doppelt"]


def test_enrolment_end_before_start(tmp_path: Path) -> None:
    text = MINIMAL + "    enrolment: {start: 2024-09-01, end: 2024-08-01}\n"
    assert errors(tmp_path, text) == [
        "7: durchgaenge.0: enrolment: Ende 2024-08-01 liegt vor Beginn 2024-09-01"
    ]


def test_deadline_must_be_before_the_first_session(tmp_path: Path) -> None:
    text = MINIMAL.replace("registration_deadline: 2024-08-23", "registration_deadline: 2024-09-10")
    assert errors(tmp_path, text) == [
        "7: durchgaenge.0: Anmeldeschluss 2024-09-10 liegt nicht vor dem ersten Termin 2024-09-10"
    ]


def test_unknown_holiday_state(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, MINIMAL + "holiday_states: [SN, XX]\n")
    assert message.startswith("12: holiday_states: unbekannte Bundesländer ['XX']")


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    (message,) = errors(tmp_path, MINIMAL + "  - key: [unclosed\n")
    assert message.startswith("13: kein gültiges YAML")


def test_duplicate_key_is_an_error_like_in_course_sources(tmp_path: Path) -> None:
    assert errors(tmp_path, MINIMAL + "year: 2025\n") == [
        "12: year: Schlüssel 'year' kommt doppelt vor (zuerst in Zeile 1)"
    ]


def test_adopt_lists_and_allowed_auths_default_and_combine(tmp_path: Path) -> None:
    loaded = load_programme(write(tmp_path, MINIMAL))
    assert loaded.moodle.allowed_auths == ["manual"] and loaded.adopted("2024-D2") == ()
    text = MINIMAL.replace(
        "  category: SCM-2024\n", "  category: SCM-2024\n  allowed_auths: [manual, ldap]\n"
    )
    text = text.replace("durchgaenge:\n", "adopt: [R-0A1B2C3D4E]\ndurchgaenge:\n")
    text += "    adopt: [R-FFFFFFFFFF, R-0A1B2C3D4E]\n"
    loaded = load_programme(write(tmp_path, text))
    assert loaded.moodle.allowed_auths == ["manual", "ldap"]
    assert loaded.adopted("2024-D2") == ("R-0A1B2C3D4E", "R-FFFFFFFFFF")


@pytest.mark.parametrize(
    ("insert", "expected"),
    [
        ("adopt: [max@example.de]\n", "adopt.0: keine Registrierungs-ID"),
        ("adopt: R-0A1B2C3D4E\n", "adopt: erwartet eine Liste"),
    ],
)
def test_a_bad_adopt_entry_names_the_field(tmp_path: Path, insert: str, expected: str) -> None:
    problems = errors(tmp_path, MINIMAL.replace("durchgaenge:\n", insert + "durchgaenge:\n"))
    assert len(problems) == 1 and expected in problems[0] and problems[0].startswith("6: ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[LDAP]", "moodle.allowed_auths.0: kein Name eines Moodle-Anmeldeplugins"),
        ("[]", "moodle.allowed_auths: mindestens ein Anmeldeplugin angeben"),
    ],
)
def test_bad_allowed_auths_name_the_field(tmp_path: Path, value: str, expected: str) -> None:
    text = MINIMAL.replace("  category: SCM-2024\n", f"  category: SCM-2024\n  allowed_auths: {value}\n")
    (problem,) = errors(tmp_path, text)
    assert expected in problem and problem.startswith("6: ")


def test_a_bad_adopt_entry_of_a_durchgang_names_its_row(tmp_path: Path) -> None:
    (problem,) = errors(tmp_path, MINIMAL + "    adopt: [R-12]\n")
    assert problem.startswith("12: durchgaenge.0.adopt.0: keine Registrierungs-ID")


def test_the_starters_commented_adopt_and_allowed_auths_lines_load_when_uncommented(tmp_path: Path) -> None:
    from scm_lms.cli.lms_provision import starter_text

    text = starter_text(2025)
    for line in ("  # allowed_auths: [manual, ldap]", "# adopt: [R-0A1B2C3D4E]"):
        assert line in text
        text = text.replace(line, line.replace("# ", "", 1), 1)
    loaded = load_programme(write(tmp_path, text))
    assert loaded.moodle.allowed_auths == ["manual", "ldap"] and loaded.adopt == ["R-0A1B2C3D4E"]
