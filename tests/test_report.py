"""`scm-lms lms report`: figures from recordings-shaped Moodle replies and a real ledger, the written page,
pseudonymity, and the CLI's errors.

Moodle's replies are the real Moodle 4.5 recordings (tests/data/moodle-ws) with ids, idnumbers and grades
changed per learner and module; every key and nesting stays as Moodle sent it.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import responses
from click.testing import CliRunner

from scm_lms.attendance.store import AttendanceLedger
from scm_lms.cli import cli
from scm_lms.programme import Certification, load_programme
from scm_lms.provision.desired import trainer_idnumber
from scm_lms.report import render_report, summarise
from testkit.moodle_replay import SITE, TOKEN_VALUE, respond_with
from testkit.report_site import (
    DURCHGANG,
    EXAMPLES,
    FakeSite,
    Person,
    Scenario,
    gathered,
    moodle,
    scenario,
)

__all__ = ["moodle", "scenario"]  # fixtures


def by_name(scenario: Scenario, first: str) -> str:
    return next(p.reg_id for p in scenario.persons if p.first == first)


def test_seats_modules_certification_and_stuck(scenario: Scenario, moodle: responses.RequestsMock) -> None:
    data = gathered(scenario, moodle)
    assert (data.seats.total, data.seats.taken, data.seats.waiting, data.seats.withdrawn) == (30, 5, 1, 1)
    assert data.course_name == "Smart City Manager – Durchgang 2 (Sep/Okt 2024)"
    assert [learner.participant.in_course for learner in data.learners].count(False) == 1, "not in Moodle"
    summary = summarise(data)
    first = summary.modules[0]
    assert (first.enrolled, first.started, first.completed, first.passed) == (4, 3, 2, 2)
    assert first.bands == (0, 0, 0, 0, 0, 0, 0, 1, 1, 1), "79.99 % lies in 70–79, 85 in 80–89, 90 in 90–100"
    fifth = summary.modules[4]
    assert (fifth.started, fifth.passed, fifth.bands[6], fifth.pass_mark) == (2, 1, 1, 80)
    certified = {o.idnumber for o in summary.outcomes if o.certified}
    assert certified == {by_name(scenario, "Jürgen")}
    aenne = next(o for o in summary.outcomes if o.idnumber == by_name(scenario, "Änne"))
    assert aenne.reasons == ("Modul 5: 60 % < 80 %", "Kursabschluss fehlt")
    assert aenne.percents[3] == "80 %"
    bjoern = next(o for o in summary.outcomes if o.idnumber == by_name(scenario, "Björn"))
    assert bjoern.percents[1] == "79,99 %" and not bjoern.certified
    stuck = {(s.idnumber, s.reason) for s in summary.stuck}
    assert stuck == {
        (by_name(scenario, "Änne"), "Modul 5: 2 Versuche, nicht bestanden"),
        (by_name(scenario, "Özlem"), "noch kein Modul begonnen"),
        (by_name(scenario, "Björn"), "Modul 1: 3 Versuche, nicht bestanden"),
        (by_name(scenario, "Käthe"), "zugelassen, aber nicht im Moodle-Kurs"),
    }
    calls = scenario.site.calls
    assert calls.count("gradereport_user_get_grade_items") == 1
    assert calls.count("mod_scorm_get_scorm_attempt_count") == 4 * 5


def test_modules_by_cmid_from_programme_and_missing_criteria(
    scenario: Scenario, moodle: responses.RequestsMock
) -> None:
    scenario.site.idnumbers = False
    scenario.site.criteria = False
    rules = Certification(pass_marks={1: 70}, grade_items={1: 4, 2: 5})
    scenario.programme = scenario.programme.model_copy(update={"certification": rules})
    data = gathered(scenario, moodle)
    assert sorted(data.activities) == [1, 2]
    assert data.activities[1].scormid == 2 and data.activities[1].cmid == 4
    assert any(w.startswith("Modul 3: kein Bewertungsaspekt gefunden") for w in data.warnings)
    assert any("keine Abschlusskriterien" in w for w in data.warnings)
    summary = summarise(data)
    bjoern = next(o for o in summary.outcomes if o.idnumber == by_name(scenario, "Björn"))
    assert "Modul 1: 79,99 %" not in "; ".join(bjoern.reasons), "79.99 % passes a 70 % mark"


def test_page_is_self_contained_and_pseudonymous(scenario: Scenario, moodle: responses.RequestsMock) -> None:
    data = gathered(scenario, moodle)
    html = render_report(data, summarise(data))
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//|/)""", html), "no external resources"
    assert "<script" not in html and "@import" not in html
    assert html.count('<svg role="img" aria-labelledby=') == 7  # funnel, five modules, attendance
    for label in re.findall(r'aria-labelledby="([^"]+)"', html):
        assert f'id="{label}"' in html, label
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "ids are unique across all inline SVGs"
    for person in scenario.persons:
        for part in (person.first, person.last):
            assert part not in html
    assert by_name(scenario, "Änne") in html
    assert "Stand 20.10.2024, 11:30 Uhr" in html
    named = render_report(data, summarise(data), names=True)
    assert "Änne Müller" in named and "Käthe Groß" in named and "nicht weitergeben" in named


def run_cli(scenario: Scenario, moodle: responses.RequestsMock, *args: str) -> tuple[int, str]:
    respond_with(moodle, "/webservice/rest/server.php", scenario.site.reply)
    programme = scenario.ledger.parent / "programme.yaml"
    programme.write_text((EXAMPLES / "programme-2024.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    env = {"SCM_MOODLE_URL": SITE, "SCM_MOODLE_TOKEN": TOKEN_VALUE}
    result = CliRunner().invoke(cli, ["lms", "report", *args, "--programme", str(programme)], env=env)
    return result.exit_code, result.output


def test_cli_writes_the_page_atomically_and_owner_only(
    scenario: Scenario, moodle: responses.RequestsMock, tmp_path: Path
) -> None:
    out = tmp_path / "bericht.html"
    code, output = run_cli(scenario, moodle, DURCHGANG, "--out", str(out))
    assert code == 0, output
    assert f"Bericht für {DURCHGANG} geschrieben: {out} (5 Teilnehmende, 1 mit erfüllten" in output
    assert TOKEN_VALUE not in output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Fortschrittsbericht Durchgang 2024-D2" in out.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".bericht")] == []


def test_cli_errors_name_what_to_fix(
    scenario: Scenario, moodle: responses.RequestsMock, tmp_path: Path
) -> None:
    code, output = run_cli(scenario, moodle, "2024-D9", "--out", str(tmp_path / "x.html"))
    assert code == 1 and "Durchgang '2024-D9' steht nicht in der Programmdatei (vorhanden: 2024-D1" in output
    assert not (tmp_path / "x.html").exists()
    code, output = run_cli(scenario, moodle, DURCHGANG, "--db", str(tmp_path / "fehlt.db"))
    assert code == 1 and "fehlt.db nicht gefunden" in output and not (tmp_path / "fehlt.db").exists()


def test_a_durchgang_nobody_has_entered_yet_still_reports(
    scenario: Scenario, moodle: responses.RequestsMock
) -> None:
    """Before anyone logs in Moodle lists nobody: every module is unmapped, the figures are zero, no crash."""
    scenario.site.persons = []
    data = gathered(scenario, moodle)
    summary = summarise(data)
    assert data.activities == {}
    assert [(m.enrolled, m.started, m.graded) for m in summary.modules] == [(0, 0, 0)] * 5
    assert {s.reason for s in summary.stuck} == {"zugelassen, aber nicht im Moodle-Kurs"}
    html = render_report(data, summary)
    assert "Hinweise zu den Daten" in html and "Modul 5: kein Bewertungsaspekt gefunden" in html
    assert html.count('<svg role="img"') == 7  # with the attendance chart


def test_module_headings_carry_the_module_prefix_once() -> None:
    """The template names its activities 'Modul 1 – …'; the report must not print 'Modul 1: Modul 1 – …'."""
    from scm_lms.report.summary import ModuleSummary

    def heading(number: int, name: str) -> str:
        return ModuleSummary(number, name, 80, 0, 0, 0, 0, (0,) * 10, 0).heading

    assert heading(1, "Modul 1 – Grundlagen") == "Modul 1 – Grundlagen"
    assert heading(2, "Smart City Grundlagen (SCORM)") == "Modul 2: Smart City Grundlagen (SCORM)"
    assert heading(1, "Modul 10 – Nachtrag") == "Modul 1: Modul 10 – Nachtrag"


def test_attendance_per_morning_and_per_person_with_a_text_alternative(
    scenario: Scenario, moodle: responses.RequestsMock
) -> None:
    juergen = by_name(scenario, "Jürgen")
    with AttendanceLedger.open(scenario.ledger) as store:
        for morning in (2, 3, 4):
            store.set_mark("2024-D2", morning, juergen, "absent", "")
        store.set_mark("2024-D2", 5, juergen, "excused", "")
    data = gathered(scenario, moodle)
    summary = summarise(data)
    second = summary.mornings[1]
    assert (second.number, second.present, second.absent, second.excused, second.open) == (2, 4, 1, 0, 0)
    outcome = next(o for o in summary.outcomes if o.idnumber == juergen)
    assert outcome.mornings == 6 and not outcome.certified  # the same rule as lms certify
    assert "Vormittage: 6 von 10, mindestens 8 nötig" in outcome.reasons
    html = render_report(data, summary)
    assert "Anwesenheit an den Live-Vormittagen" in html
    assert 'aria-labelledby="anwesenheit-alt"' in html
    assert "Anwesenheit je Live-Vormittag bei 5 Zugelassenen. Vormittag 1: 5 anwesend" in html
    assert "Vormittag 2: 4 anwesend, 0 entschuldigt, 1 abwesend" in html
    assert "2: Donnerstag, 12.09.2024, 09:00–13:00 Uhr" in html
    row = re.search(rf"<th scope=\"row\">{juergen}</th>\s*((?:\s*<td[^>]*>[^<]*</td>)+)", html)
    assert row is not None
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))
    assert cells == ["✓", "–", "–", "–", "E", "✓", "✓", "✓", "✓", "✓", "6"]
    assert "Jürgen" not in html


def test_a_trainer_in_the_grade_report_is_not_listed_as_a_learner(
    scenario: Scenario, moodle: responses.RequestsMock, tmp_path: Path
) -> None:
    email = "tom.muster@stadtdaten.example.org"
    text = (EXAMPLES / "programme-2024.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    title: Durchgang 2 (Sep/Okt 2024)\n",
        "    title: Durchgang 2 (Sep/Okt 2024)\n    trainers:\n"
        f"      - {{name: Tom Muster, email: {email}, organisation: Stadtdaten Beispiel}}\n",
        1,
    )
    (tmp_path / "programme.yaml").write_text(text, encoding="utf-8")
    grades = dict.fromkeys(range(1, 6), 100.0)
    trainer = Person("Tom", "Muster", grades=grades, reg_id=trainer_idnumber(email))
    site = FakeSite([*scenario.persons, trainer])
    mixed = Scenario(load_programme(tmp_path / "programme.yaml"), scenario.ledger, scenario.persons, site)
    data = gathered(mixed, moodle)
    listed = [learner.idnumber for learner in data.learners]
    assert trainer.reg_id not in listed, "a trainer's account is never reported (nor certified) as a learner"
    assert sorted(listed) == sorted(p.reg_id for p in scenario.persons if p.status == "admitted")
