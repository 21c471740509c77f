"""A report scenario for the `lms report` tests: a ledger of ten people and a recordings-shaped Moodle."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import responses

from scm_lms.attendance.store import AttendanceLedger
from scm_lms.intake.admission import Decision, Status
from scm_lms.intake.registrations import Registration
from scm_lms.ledger import Ledger
from scm_lms.programme import Programme, load_programme
from scm_lms.report import ReportData, gather
from testkit.moodle_replay import Pairs, client, load, respond_with

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
    with AttendanceLedger.open(path) as store:  # every admitted person at all ten live mornings
        for morning in range(1, 11):
            for person in persons:
                if person.status == "admitted":
                    store.set_mark(DURCHGANG, morning, person.reg_id, "present", "")


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
