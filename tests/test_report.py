"""`scm-lms lms report`: figures from recordings-shaped Moodle replies and a real ledger, the written page,
pseudonymity, and the CLI's errors.

Moodle's replies are the real Moodle 4.5 recordings (tests/data/moodle-ws) with ids, idnumbers and grades
changed per learner and module; every key and nesting stays as Moodle sent it.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner

from scm_lms.admission import Decision, Status
from scm_lms.cli import cli
from scm_lms.ledger import Ledger
from scm_lms.programme import Certification, Programme, load_programme
from scm_lms.registrations import Registration
from scm_lms.report import ReportData, gather, render_report, summarise
from tests.moodle_replay import SITE, TOKEN_VALUE, Pairs, client, load, respond_with

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
DURCHGANG = "2024-D2"
COURSE_ID = 3
NOW = dt.datetime(2024, 10, 20, 9, 30, tzinfo=dt.UTC)


@dataclass
class Person:
    first: str
    last: str
    status: Status = "admitted"
    in_moodle: bool = True
    grades: dict[int, float] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)
    completed: bool = False
    reg_id: str = ""
    userid: int = 0


def people() -> list[Person]:
    return [
        Person(
            "Jürgen",
            "Weiß",
            grades=dict.fromkeys(range(1, 6), 90.0),
            attempts=dict.fromkeys(range(1, 6), 1),
            completed=True,
        ),
        Person(
            "Änne",
            "Müller",
            grades={1: 85, 2: 85, 3: 80, 4: 95, 5: 60},
            attempts={1: 1, 2: 1, 3: 1, 4: 1, 5: 2},
        ),
        Person("Özlem", "Yılmaz"),
        Person("Björn", "Schröder", grades={1: 79.99}, attempts={1: 3}),
        Person("Käthe", "Groß", in_moodle=False),
        Person("Wanda", "Wartmann", status="waitlisted", in_moodle=False),
        Person("Ziggy", "Zorn", status="withdrawn", in_moodle=False),
    ]


def ledger_with(path: Path, persons: list[Person]) -> None:
    registrations = [
        Registration(
            f"{p.first.lower()}.{index}@kommune.example.de",
            p.first,
            p.last,
            "Görlitz",
            "SN",
            (DURCHGANG,),
            False,
            dt.datetime(2024, 6, 1, 8, index, tzinfo=dt.UTC),
            False,
            index + 2,
        )
        for index, p in enumerate(persons)
    ]
    with Ledger.open(path) as ledger:
        stored = ledger.register(registrations, "test.csv")
        for person, registration in zip(persons, stored, strict=True):
            person.reg_id = registration.reg_id
        ledger.record(
            {
                p.reg_id: Decision(
                    p.reg_id,
                    p.status,
                    DURCHGANG,
                    index + 1 if p.status == "admitted" else None,
                    1 if p.status == "waitlisted" else None,
                    "Test",
                )
                for index, p in enumerate(persons)
            }
        )


class FakeSite:
    """Answers the report's reads with recorded bodies, adapted to the people of the scenario."""

    def __init__(self, persons: list[Person], idnumbers: bool = True, criteria: bool = True) -> None:
        self.persons = [p for p in persons if p.in_moodle]
        for offset, person in enumerate(self.persons):
            person.userid = 3 + offset
        self.idnumbers = idnumbers
        self.criteria = criteria
        self.calls: list[str] = []

    def cmid(self, module: int) -> int:
        return 3 + module  # module 1 is the recorded activity (cmid 4, scorm id 2)

    def reply(self, fields: Pairs) -> Any:
        sent = dict(fields)
        function = sent["wsfunction"]
        self.calls.append(function)
        if function == "core_course_get_courses_by_field":
            return load("core_course_get_courses_by_field")["response"]
        if function == "gradereport_user_get_grade_items":
            assert "userid" not in sent, "one report for all users (userid omitted = 0)"
            return self.grade_report()
        if function == "mod_scorm_get_scorms_by_courses":
            return self.scorms()
        if function == "mod_scorm_get_scorm_attempt_count":
            person = self.person(sent["userid"])
            reply = copy.deepcopy(load("mod_scorm_get_scorm_attempt_count--admin-for-learner")["response"])
            reply["attemptscount"] = person.attempts.get(int(sent["scormid"]) - 1, 0)
            return reply
        if function == "core_completion_get_activities_completion_status":
            return self.activities(self.person(sent["userid"]))
        if function == "core_completion_get_course_completion_status":
            if not self.criteria:
                return load("core_completion_get_course_completion_status--no-criteria")["response"]
            reply = copy.deepcopy(load("core_completion_get_course_completion_status")["response"])
            reply["completionstatus"]["completed"] = self.person(sent["userid"]).completed
            return reply
        raise AssertionError(f"unexpected call {function}")

    def person(self, userid: str) -> Person:
        return next(p for p in self.persons if p.userid == int(userid))

    def grade_report(self) -> Any:
        recorded = load("gradereport_user_get_grade_items--all-users")["response"]
        template = next(u for u in recorded["usergrades"] if u["gradeitems"][0]["graderaw"] is not None)
        item, course_item = template["gradeitems"][0], template["gradeitems"][-1]
        users = []
        for person in self.persons:
            user = copy.deepcopy(template)
            user.update(
                userid=person.userid, userfullname=f"{person.first} {person.last}", useridnumber=person.reg_id
            )
            items = []
            for module in range(1, 6):
                graded = copy.deepcopy(item)
                graded.update(
                    id=3 + module,
                    cmid=self.cmid(module),
                    iteminstance=1 + module,
                    idnumber=f"SCM-M{module}" if self.idnumbers else "",
                    itemname=f"Modul {module} (SCORM)",
                    graderaw=person.grades.get(module),
                )
                items.append(graded)
            user["gradeitems"] = [*items, copy.deepcopy(course_item)]
            users.append(user)
        return {**recorded, "usergrades": users}

    def scorms(self) -> Any:
        reply = copy.deepcopy(load("mod_scorm_get_scorms_by_courses")["response"])
        recorded = reply["scorms"][0]
        reply["scorms"] = [
            {
                **copy.deepcopy(recorded),
                "id": 1 + module,
                "coursemodule": self.cmid(module),
                "name": f"Modul {module} (SCORM)",
            }
            for module in range(1, 6)
        ]
        return reply

    def activities(self, person: Person) -> Any:
        reply = copy.deepcopy(load("core_completion_get_activities_completion_status")["response"])
        recorded = reply["statuses"][0]
        reply["statuses"] = [
            {
                **copy.deepcopy(recorded),
                "cmid": self.cmid(module),
                "instance": 1 + module,
                "state": 1 if person.grades.get(module, 0) >= 80 else 0,
            }
            for module in range(1, 6)
        ]
        return reply


@dataclass
class Scenario:
    programme: Programme
    ledger: Path
    persons: list[Person]
    site: FakeSite


@pytest.fixture
def scenario(tmp_path: Path) -> Scenario:
    persons = people()
    ledger_with(tmp_path / "scm-lms.db", persons)
    return Scenario(
        load_programme(EXAMPLES / "programme-2024.yaml"), tmp_path / "scm-lms.db", persons, FakeSite(persons)
    )


@pytest.fixture
def moodle() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


def gathered(scenario: Scenario, moodle: responses.RequestsMock) -> ReportData:
    respond_with(moodle, "/webservice/rest/server.php", scenario.site.reply)
    with Ledger.open(scenario.ledger) as ledger:
        return gather(client(), scenario.programme, ledger, DURCHGANG, now=NOW)


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
    assert html.count('<svg role="img" aria-labelledby=') == 6
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
    assert code == 1 and "Durchgang '2024-D9' steht nicht in der Programmdatei; bekannt: 2024-D1" in output
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
    assert html.count('<svg role="img"') == 6


def test_module_headings_carry_the_module_prefix_once() -> None:
    """The template names its activities 'Modul 1 – …'; the report must not print 'Modul 1: Modul 1 – …'."""
    from scm_lms.report.summary import ModuleSummary

    def heading(number: int, name: str) -> str:
        return ModuleSummary(number, name, 80, 0, 0, 0, 0, (0,) * 10, 0).heading

    assert heading(1, "Modul 1 – Grundlagen") == "Modul 1 – Grundlagen"
    assert heading(2, "Smart City Grundlagen (SCORM)") == "Modul 2: Smart City Grundlagen (SCORM)"
    assert heading(1, "Modul 10 – Nachtrag") == "Modul 1: Modul 10 – Nachtrag"
