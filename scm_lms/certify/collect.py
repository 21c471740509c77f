"""Pull one Durchgang's results from Moodle and decide for everyone: the read-only half of `lms certify`.

One grade-report call for the whole course (all users), and, when the programme requires it, one course
completion call per participant. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from course_package.model import Course
from scm_base.errors import ToolkitError
from scm_lms.certify.grades import Participant, course_grades
from scm_lms.certify.rules import Attendance, Decision, decide
from scm_lms.moodle import MoodleClient, OtherMoodleError, grades
from scm_lms.programme import Programme
from scm_lms.programme.curriculum import curriculum, module_numbers
from scm_lms.provision.course import durchgang_course
from scm_lms.provision.desired import trainer_idnumber


class CertifyError(ToolkitError, RuntimeError):
    """Certification cannot proceed; the message says what to fix."""


@dataclass(frozen=True)
class Assessment:
    durchgang: str
    courseid: int
    decisions: tuple[Decision, ...]
    warnings: tuple[str, ...]
    modules: tuple[int, ...] = ()
    """The course's module numbers every decision was made on (the table's columns)."""

    @property
    def passed(self) -> tuple[Decision, ...]:
        return tuple(decision for decision in self.decisions if decision.passed)


def assess(
    client: MoodleClient,
    programme: Programme,
    durchgang: str,
    expected: Sequence[str] = (),
    attendance: Mapping[str, Attendance] | None = None,
    certifiable: Collection[str] | None = None,
    *,
    course: Course | None = None,
) -> Assessment:
    """Decisions for everyone graded in the Durchgang's course, plus `expected` idnumbers Moodle lacks.

    `attendance` (registration id → mornings) applies the attendance rule, anyone missing from it attended
    none; `certifiable` (the admitted participants) keeps everyone else, trainers above all, from passing.
    Both None: grades only (no ledger to ask). The modules graded and required are `course`'s (default:
    the built-in curriculum)."""
    modules = module_numbers(course or curriculum())
    courseid = durchgang_course(client, durchgang).id
    report = grades.get_grade_items(client, courseid)
    rules = programme.certification
    graded = course_grades(report, rules.grade_items, expected, modules=modules)
    sessions = len(programme.schedule(durchgang).sessions)
    decisions: list[Decision] = []
    for participant in without_trainers(graded.participants, programme, durchgang):
        completed: bool | None = None
        if rules.require_completion and participant.in_course:
            completed = _completed(client, courseid, participant.userid)
        mornings = None
        if attendance is not None:
            mornings = attendance.get(participant.idnumber, Attendance(0, 0, sessions))
        allowed = certifiable is None or participant.idnumber in certifiable
        decisions.append(
            decide(participant, rules, completed, mornings, modules=modules, certifiable=allowed)
        )
    moodle = tuple(f"Moodle meldet zur Notenübersicht: {w.message}" for w in report.warnings)
    return Assessment(durchgang, courseid, tuple(decisions), graded.warnings + moodle, modules)


def without_trainers(
    participants: Sequence[Participant], programme: Programme, durchgang: str
) -> list[Participant]:
    """Trainers are never certified: their accounts (idnumber derived from the e-mail listed under
    `trainers:`) are left out even if Moodle's grade report lists them."""
    trainers = {trainer_idnumber(email) for email in programme.durchgang(durchgang).trainer_emails()}
    return [participant for participant in participants if participant.idnumber not in trainers]


def _completed(client: MoodleClient, courseid: int, userid: int) -> bool:
    try:
        return grades.get_course_completion(client, courseid, userid).completionstatus.completed
    except OtherMoodleError as error:
        if error.errorcode == "nocriteriaset":
            raise CertifyError(
                "der Moodle-Kurs hat keine Abschlusskriterien, programme.yaml verlangt aber den "
                "Kursabschluss (certification.require_completion). Kriterien im Kurs anlegen "
                "oder require_completion: false setzen"
            ) from None
        raise
