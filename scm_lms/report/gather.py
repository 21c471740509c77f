"""All the Durchgang report needs, read once: Moodle (grades, SCORM attempts, completion) and the ledger.

Only reads. Grades are mapped to modules and learners by the certification code (`certify.grades`: activity
idnumber `SCM-M<n>`, else the cmid in programme.yaml; learners by their Moodle idnumber, the pseudonymous
registration id), so report and certification always see the same results. This module adds what only the
report needs: SCORM attempt counts, activity completion and the seats from the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from course_package.model import Course
from scm_base.errors import ToolkitError
from scm_lms.attendance.people import participants
from scm_lms.attendance.store import AttendanceLedger, Status
from scm_lms.attendance.tally import tallies
from scm_lms.certify.collect import without_trainers
from scm_lms.certify.grades import MappingError, Participant, course_grades
from scm_lms.certify.rules import Attendance
from scm_lms.intake.admission import Decision
from scm_lms.ledger import Ledger
from scm_lms.moodle import MoodleClient, OtherMoodleError, grades, scorm
from scm_lms.moodle.models import GradeReport
from scm_lms.programme import Certification, Programme
from scm_lms.programme.curriculum import curriculum, module_numbers
from scm_lms.programme.session import Session
from scm_lms.provision.course import durchgang_course

COMPLETE_STATES = (1, 2, 3)
"""Moodle activity completion: 1 complete, 2 complete and passed, 3 complete but failed (0 = not complete)."""


class ReportError(ToolkitError, RuntimeError):
    """The report cannot be made; the message says what to fix."""


@dataclass(frozen=True)
class Activity:
    module: int
    cmid: int
    name: str
    scormid: int | None
    """None when the graded activity is not a SCORM activity (no attempt counts then)."""


@dataclass(frozen=True)
class Learner:
    participant: Participant
    """Grades per module as certification sees them; `in_course` False for admitted people Moodle lacks."""
    name: str
    attempts: Mapping[int, int] = field(default_factory=dict)
    """Module → SCORM attempts."""
    completed: frozenset[int] = frozenset()
    """Modules whose activity Moodle marks complete."""
    course_completed: bool | None = None
    """Moodle course completion; None when not required or the course has no completion criteria."""
    attendance: Attendance | None = None
    """Live mornings from the ledger; None for someone not admitted here (never certified)."""

    @property
    def idnumber(self) -> str:
        return self.participant.idnumber


@dataclass(frozen=True)
class Seats:
    total: int
    taken: int
    waiting: int
    withdrawn: int


@dataclass(frozen=True)
class ReportData:
    durchgang: str
    title: str
    course_name: str
    generated: dt.datetime
    seats: Seats
    rules: Certification
    """The programme's certification rule: pass marks, whether course completion is required."""
    activities: Mapping[int, Activity]
    learners: tuple[Learner, ...]
    warnings: tuple[str, ...] = field(default=())
    sessions: tuple[Session, ...] = ()
    """The ten live mornings."""
    marks: Mapping[tuple[int, str], Status] = field(default_factory=dict)
    """(morning, registration id) → attendance status, for the admitted participants."""
    modules: tuple[int, ...] = ()
    """The course's module numbers: what is reported and what a certificate requires."""


def seats(decisions: Mapping[str, Decision], programme: Programme, durchgang: str) -> Seats:
    counts = {"admitted": 0, "waitlisted": 0, "withdrawn": 0}
    for decision in decisions.values():
        if decision.durchgang == durchgang and decision.status in counts:
            counts[decision.status] += 1
    total = programme.durchgang(durchgang).seats
    return Seats(total, counts["admitted"], counts["waitlisted"], counts["withdrawn"])


def _activities(
    report: GradeReport, item_of_module: Mapping[int, int], scorm_ids: Mapping[int, int]
) -> dict[int, Activity]:
    """Module → its graded activity, with the SCORM instance when it is one."""
    items = {item.id: item for user in report.usergrades for item in user.gradeitems}
    found: dict[int, Activity] = {}
    for module, item_id in sorted(item_of_module.items()):
        item = items[item_id]
        if item.cmid is not None:
            name = item.itemname or f"Modul {module}"
            found[module] = Activity(module, item.cmid, name, scorm_ids.get(item.cmid))
    return found


def gather(
    client: MoodleClient,
    programme: Programme,
    ledger: Ledger,
    durchgang: str,
    now: dt.datetime | None = None,
    *,
    taught: Course | None = None,
) -> ReportData:
    """Reads the Durchgang: one grade report for all users (userid omitted = 0), the course's SCORM
    activities, then per learner the attempt count per SCORM activity and the activity completion.
    The modules reported are those of the course `taught` (default: the built-in curriculum)."""
    modules = module_numbers(taught or curriculum())
    entry = programme.require_durchgang(durchgang)
    course = durchgang_course(client, durchgang)
    report = grades.get_grade_items(client, course.id)
    rules = programme.certification
    decisions = ledger.decisions()
    with AttendanceLedger.open(ledger.path) as store:  # same file; the attendance tables' reads
        admitted = participants(store, programme, durchgang)
        marks = {
            key: mark.status
            for key, mark in store.marks(durchgang).items()
            if key[1] in {person.reg_id for person in admitted}
        }
        sessions = programme.schedule(durchgang).sessions
        counts = tallies(store.marks(durchgang), [person.reg_id for person in admitted], len(sessions))
    attendance = {reg_id: Attendance(t.present, t.excused, t.sessions) for reg_id, t in counts.items()}
    try:
        graded = course_grades(
            report, rules.grade_items, [registration.reg_id for registration in admitted], modules=modules
        )
    except MappingError as error:
        raise ReportError(str(error)) from None
    scorm_ids = {item.coursemodule: item.id for item in scorm.get_scorms(client, [course.id]).scorms}
    activities = _activities(report, graded.item_of_module, scorm_ids)
    warnings = [
        *graded.warnings,
        *(f"Moodle meldet zur Notenübersicht: {w.message}" for w in report.warnings),
    ]
    names = {r.reg_id: f"{r.first_name} {r.last_name}" for r in admitted}
    learners = [
        replace(
            _learner(client, course.id, participant, activities, rules.require_completion, warnings)
            if participant.in_course
            else Learner(participant, names.get(participant.idnumber, "")),
            attendance=attendance.get(participant.idnumber),
        )
        for participant in without_trainers(graded.participants, programme, durchgang)
    ]
    return ReportData(
        durchgang=durchgang,
        title=entry.title,
        course_name=course.fullname,
        generated=now or dt.datetime.now(dt.UTC),
        seats=seats(decisions, programme, durchgang),
        rules=rules,
        activities=activities,
        learners=tuple(learners),
        warnings=tuple(dict.fromkeys(warnings)),
        sessions=sessions,
        marks=marks,
        modules=modules,
    )


def _learner(
    client: MoodleClient,
    courseid: int,
    participant: Participant,
    activities: Mapping[int, Activity],
    require_completion: bool,
    warnings: list[str],
) -> Learner:
    """Attempts per SCORM activity, activity completion, and course completion when the programme needs it."""
    userid = participant.userid
    states = {s.cmid: s.state for s in grades.get_activities_completion(client, courseid, userid).statuses}
    attempts = {
        module: scorm.get_attempt_count(client, activity.scormid, userid)
        for module, activity in activities.items()
        if activity.scormid is not None
    }
    completed = frozenset(m for m, a in activities.items() if states.get(a.cmid, 0) in COMPLETE_STATES)
    course = _course_completed(client, courseid, userid, warnings) if require_completion else None
    return Learner(participant, participant.fullname, attempts, completed, course)


def _course_completed(client: MoodleClient, courseid: int, userid: int, warnings: list[str]) -> bool | None:
    try:
        return grades.get_course_completion(client, courseid, userid).completionstatus.completed
    except OtherMoodleError as error:
        if error.errorcode != "nocriteriaset":
            raise
        warnings.append(
            "Der Moodle-Kurs hat keine Abschlusskriterien; "
            "der verlangte Kursabschluss kann nicht geprüft werden"
        )
        return None
