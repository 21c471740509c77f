"""The live part of the programme file: days off (24/31 December and `days_off:`), per-morning module, room
and trainers for dates and rules, and unknown trainers reported at file:line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from course_package.source import load_course
from scm_lms.cli.admit import _calendar_lines
from scm_lms.programme import Programme, ProgrammeError, load_programme
from scm_lms.programme.mornings import default_module, mornings

HEAD = """\
year: 2024
issuer: Beispielträger
contact_email: buero@example.de
moodle:
  category: SCM-2024
"""
TRAINERS = """\
    trainers:
      - {name: Karin Beispiel, email: Karin.Beispiel@hochschule.example.org,
         organisation: Beispiel-Hochschule, modules: [1, 2]}
      - {name: Tom Muster, email: tom.muster@institut.example.org, organisation: Beispiel-Institut}
    video_room: https://konferenz.example.org/b/scm
"""


def load(tmp_path: Path, text: str) -> Programme:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return load_programme(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProgrammeError) as caught:
        load_programme(path)
    return [line.removeprefix(f"{path}:") for line in caught.value.problems]


def december_rule(extra: str = "", top: str = "") -> str:
    return (
        HEAD
        + top
        + """durchgaenge:
  - key: 2024-D4
    title: Winter
    seats: 5
    registration_deadline: 2024-11-30
    rule: {weekdays: [tue, thu], start: "09:00", end: "13:00", from: 2024-12-10}
"""
        + extra
    )


def test_a_rule_skips_24_and_31_december_and_names_them(tmp_path: Path) -> None:
    programme = load(tmp_path, december_rule())
    plan = programme.schedule("2024-D4")
    days = [session.day for session in plan.sessions]
    assert dt.date(2024, 12, 24) not in days and dt.date(2024, 12, 31) not in days
    assert dt.date(2024, 12, 26) not in days  # 2. Weihnachtstag, a public holiday
    assert days[:5] == [dt.date(2024, 12, d) for d in (10, 12, 17, 19)] + [dt.date(2025, 1, 2)]
    reasons = [hit.reason_de(plan.states) for hit in plan.skipped]
    assert "24.12.2024: Heiligabend (dienstfreier Tag)" in reasons
    assert "31.12.2024: Silvester (dienstfreier Tag)" in reasons
    lines = "\n".join(_calendar_lines(programme))
    assert "übersprungen: 24.12.2024: Heiligabend (dienstfreier Tag)" in lines
    assert "2024-D4: 10 Termine 10.12.2024–21.01.2025" in lines  # across New Year both years are named


def test_days_off_add_dates_at_programme_and_durchgang_level_and_the_default_can_be_switched_off(
    tmp_path: Path,
) -> None:
    text = december_rule(
        "    days_off: [2025-01-07]\n", top="days_off: [2024-12-12]\nskip_dec_24_31: false\n"
    )
    programme = load(tmp_path, text)
    plan = programme.schedule("2024-D4")
    days = [session.day for session in plan.sessions]
    assert dt.date(2024, 12, 12) not in days and dt.date(2025, 1, 7) not in days
    assert dt.date(2024, 12, 24) in days and dt.date(2024, 12, 31) in days
    skipped = {hit.day: hit.kind for hit in plan.skipped}
    assert skipped[dt.date(2024, 12, 12)] == skipped[dt.date(2025, 1, 7)] == "day_off"


def test_an_explicit_date_on_a_day_off_is_kept_and_warned_about(tmp_path: Path) -> None:
    dates = ["2024-12-17", "2024-12-19", "2024-12-24", "2025-01-07", "2025-01-09"]
    dates += ["2025-01-14", "2025-01-16", "2025-01-21", "2025-01-23", "2025-01-28"]
    sessions = "".join(f'      - {{date: {d}, start: "09:00", end: "13:00"}}\n' for d in dates)
    text = HEAD + (
        "durchgaenge:\n  - key: 2024-D4\n    title: Winter\n    seats: 5\n"
        "    registration_deadline: 2024-11-30\n    sessions:\n" + sessions
    )
    programme = load(tmp_path, text)
    plan = programme.schedule("2024-D4")
    assert [hit.day for hit in plan.on_holidays] == [dt.date(2024, 12, 24)]
    assert "Termin am Feiertag: 24.12.2024: Heiligabend" in "\n".join(_calendar_lines(programme))


def test_each_morning_has_module_room_trainers_and_the_course_title(tmp_path: Path) -> None:
    mornings_text = """\
    mornings:
      4: {room: "https://jitsi.example.org/scm-worldcafe"}
      9: {module: 4, trainers: [karin.beispiel@HOCHSCHULE.example.org, Tom Muster]}
"""
    programme = load(tmp_path, december_rule(TRAINERS + mornings_text))
    found = mornings(programme, "2024-D4", load_course())
    assert [m.module for m in found] == [1, 1, 2, 2, 3, 3, 4, 4, 4, 5]
    assert [default_module(n) for n in range(1, 11)] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert found[3].room == "https://jitsi.example.org/scm-worldcafe"
    assert found[0].room == "https://konferenz.example.org/b/scm"
    assert [t.name for t in found[0].trainers] == ["Karin Beispiel", "Tom Muster"]  # no modules: all
    assert [t.name for t in found[4].trainers] == ["Tom Muster"]
    assert [t.name for t in found[8].trainers] == ["Karin Beispiel", "Tom Muster"]
    assert found[0].outline.title.startswith("Auftakt")
    agenda = found[0].outline.agenda_lines
    course_morning = load_course().modules[0].mornings[0]
    assert len(agenda) == len(course_morning.blocks), "one line per block of mornings/01.yaml"
    assert agenda[0].startswith("09:00–") and agenda[-1].split(" ", 1)[0].endswith("–13:00")
    assert agenda[0].endswith(course_morning.blocks[0].title)


def test_an_unknown_trainer_in_a_session_is_named_at_its_line(tmp_path: Path) -> None:
    text = december_rule(
        TRAINERS + "    mornings:\n      3:\n        trainers: [tom.muster@institut.example.org,\n"
        "                   niemand@example.org]\n"
    )
    found = problems(tmp_path, text)
    assert len(found) == 1
    line = text.splitlines().index("                   niemand@example.org]") + 1
    assert found[0].startswith(
        f"{line}: durchgaenge.0.mornings.3.trainers.1: Trainer/in „niemand@example.org“"
    )
    assert "vorhanden: Karin.Beispiel@hochschule.example.org, tom.muster@institut.example.org" in found[0]


def test_mornings_with_explicit_sessions_and_a_room_without_https_are_errors(tmp_path: Path) -> None:
    text = december_rule(TRAINERS + '    mornings: {2: {room: "http://unsicher.example.org/raum"}}\n')
    assert any("mornings.2.room: ungültiges Format" in line for line in problems(tmp_path, text))
    twice = TRAINERS.replace("tom.muster@institut.example.org", "karin.beispiel@hochschule.example.org")
    assert any(
        "trainers.1.email: diese E-Mail-Adresse steht schon" in p
        for p in problems(tmp_path, december_rule(twice))
    )


def test_the_starters_commented_live_lines_load_when_uncommented(tmp_path: Path) -> None:
    from scm_lms.cli.lms_provision import starter_text

    text = starter_text(2025)
    lines = (
        "# skip_dec_24_31: true",
        "# days_off: [2025-05-02]",
        "    # mornings:",
        '    #   4: {room: "https://konferenz.example.org/b/scm-2025-d1-worldcafe"}',
        "    #   9: {trainers: [karin.beispiel@hochschule.example.org, tom.muster@institut.example.org]}",
        "    # days_off: [2025-03-19]",
    )
    for line in lines:
        assert line in text
        text = text.replace(line, line.replace("# ", "", 1).replace("#   ", "  ", 1), 1)
    programme = load(tmp_path, text)
    found = mornings(programme, "2025-D1")
    assert found[3].room.endswith("worldcafe") and len(found[8].trainers) == 2
    assert all("example.org" in t.email and "Beispiel" in t.name for m in found for t in m.trainers)
    assert programme.durchgang("2025-D1").days_off == [dt.date(2025, 3, 19)]
    assert programme.days_off == [dt.date(2025, 5, 2)] and programme.skip_dec_24_31


def test_the_course_sources_sessions_decide_a_mornings_module_unless_the_file_names_one(
    tmp_path: Path,
) -> None:
    text = december_rule(TRAINERS + "    mornings:\n      6: {module: 4}\n")
    programme = load(tmp_path, text)
    course = load_course()
    spans = [[1, 2], [3, 4, 5], [6], [7, 8], [9, 10]]  # module 2 takes a third morning from module 3
    shifted = [m.model_copy(update={"sessions": s}) for m, s in zip(course.modules, spans, strict=True)]
    found = mornings(programme, "2024-D4", course.model_copy(update={"modules": shifted}))
    assert [m.module for m in found] == [1, 1, 2, 2, 2, 4, 4, 4, 5, 5]
    assert [t.name for t in found[4].trainers] == ["Karin Beispiel", "Tom Muster"]  # module 2's trainers
    without = programme.schedule("2024-D4").sessions  # the programme alone: two mornings per module
    assert [m.module for m in without] == [1, 1, 2, 2, 3, 4, 4, 4, 5, 5]
    assert [t.name for t in without[4].trainers] == ["Tom Muster"]


def test_an_unknown_durchgang_is_one_error_naming_the_file_and_the_keys(tmp_path: Path) -> None:
    programme = load(tmp_path, december_rule())
    assert programme.require_durchgang("2024-D4").title == "Winter"
    with pytest.raises(ProgrammeError) as caught:
        programme.require_durchgang("2024-D9")
    path = tmp_path / "programme.yaml"
    assert str(caught.value) == (
        f"{path}: Durchgang '2024-D9' steht nicht in der Programmdatei (vorhanden: 2024-D4)"
    )
