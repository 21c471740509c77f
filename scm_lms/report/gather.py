"""All the Durchgang report needs, read once: Moodle (grades, SCORM attempts, completion) and the ledger.

Only reads. Learners are keyed by their Moodle idnumber, which is the pseudonymous registration id from the
ledger; names are kept only so that `--names` can show them. Modules are found by a stable key (activity
idnumber `SCM-M<n>`, else the cmid configured in programme.yaml), never by display names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from scm_lms.ledger import Ledger
from scm_lms.moodle import MoodleClient, OtherMoodleError, courses, grades, scorm
from scm_lms.moodle.models import GradeItem, GradeReport
from scm_lms.programme import MODULES, Certification, Programme

_MODULE_IDNUMBER = re.compile(r"^SCM-M([1-9])$")
COMPLETE_STATES = (1, 2, 3)
"""Moodle activity completion: 1 complete, 2 complete and passed, 3 complete but failed (0 = not complete)."""


class ReportError(RuntimeError):
    """The report cannot be made; the message says what to fix."""


@dataclass(frozen=True)
class Activity:
    module: int
    cmid: int
    name: str
    scormid: int | None
    """None when the graded activity is not a SCORM activity (no attempt counts then)."""


@dataclass(frozen=True)
class ModuleProgress:
    attempts: int
    completed: bool
    score: Fraction | None
    """Grade as a fraction 0…1 of the grade range; None without a grade."""


@dataclass(frozen=True)
class Learner:
    idnumber: str
    name: str
    modules: Mapping[int, ModuleProgress]
    course_completed: bool | None = None
    """Moodle course completion; None when not asked (not required) or the course has no criteria."""
    in_moodle: bool = True


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


def course_idnumber(durchgang: str) -> str:
    return f"SCM-{durchgang}"


def seats(ledger: Ledger, programme: Programme, durchgang: str) -> Seats:
    counts = {"admitted": 0, "waitlisted": 0, "withdrawn": 0}
    for decision in ledger.decisions().values():
        if decision.durchgang == durchgang and decision.status in counts:
            counts[decision.status] += 1
    total = programme.durchgang(durchgang).seats
    return Seats(total, counts["admitted"], counts["waitlisted"], counts["withdrawn"])


def admitted_ids(ledger: Ledger, durchgang: str) -> list[str]:
    return sorted(
        reg_id
        for reg_id, decision in ledger.decisions().items()
        if decision.durchgang == durchgang and decision.status == "admitted"
    )


def module_of(item: GradeItem, cmids: Mapping[int, int]) -> int | None:
    match = _MODULE_IDNUMBER.match((item.idnumber or "").strip())
    if match and int(match.group(1)) in MODULES:
        return int(match.group(1))
    return next(
        (module for module, cmid in cmids.items() if item.cmid is not None and item.cmid == cmid), None
    )


def _fraction(value: float | None) -> Fraction | None:
    return None if value is None else Fraction(Decimal(repr(value)))


def score_of(item: GradeItem) -> Fraction | None:
    raw, low, high = (
        _fraction(item.graderaw),
        _fraction(item.grademin) or Fraction(0),
        _fraction(item.grademax),
    )
    if raw is None or high is None or high <= low:
        return None
    return (raw - low) / (high - low)


def _activities(
    report: GradeReport, scorm_ids: Mapping[int, int], cmids: Mapping[int, int]
) -> dict[int, Activity]:
    """Module → its graded activity (first match per module), with the SCORM instance when it is one."""
    found: dict[int, Activity] = {}
    for user in report.usergrades:
        for item in user.gradeitems:
            module = module_of(item, cmids) if item.itemtype == "mod" and item.cmid is not None else None
            if module is not None and module not in found and item.cmid is not None:
                name = item.itemname or f"Modul {module}"
                found[module] = Activity(module, item.cmid, name, scorm_ids.get(item.cmid))
    return found


def gather(
    client: MoodleClient,
    programme: Programme,
    ledger: Ledger,
    durchgang: str,
    now: dt.datetime | None = None,
) -> ReportData:
    """Reads the Durchgang: one grade report for all users (userid omitted = 0), the course's SCORM
    activities, then per learner the attempt count per SCORM activity and the activity completion."""
    try:
        entry = programme.durchgang(durchgang)
    except KeyError as error:
        raise ReportError(f"{error.args[0]}; bekannt: {', '.join(programme.keys)}") from None
    idnumber = course_idnumber(durchgang)
    found = courses.get_courses(client, "idnumber", idnumber).courses
    if not found:
        raise ReportError(
            f"Moodle-Kurs mit ID-Nummer {idnumber} nicht gefunden; "
            f"erst „scm-lms lms apply {durchgang}“ ausführen"
        )
    course = found[0]
    report = grades.get_grade_items(client, course.id)
    scorm_ids = {item.coursemodule: item.id for item in scorm.get_scorms(client, [course.id]).scorms}
    activities = _activities(report, scorm_ids, programme.certification.grade_items)
    warnings = [
        f"Modul {module}: keine Bewertung in Moodle gefunden (ID-Nummer SCM-M{module} oder "
        f"certification.grade_items.{module} fehlt)"
        for module in MODULES
        if module not in activities
    ]
    require = programme.certification.require_completion
    learners: list[Learner] = []
    for user in report.usergrades:
        if not user.useridnumber.strip():
            warnings.append(f"Moodle-Nutzer {user.userid} hat keine ID-Nummer und fehlt im Bericht")
            continue
        by_cmid = {item.cmid: item for item in user.gradeitems if item.cmid is not None}
        statuses = {
            status.cmid: status.state
            for status in grades.get_activities_completion(client, course.id, user.userid).statuses
        }
        progress = {}
        for module, activity in activities.items():
            attempts = (
                scorm.get_attempt_count(client, activity.scormid, user.userid) if activity.scormid else 0
            )
            item = by_cmid.get(activity.cmid)
            progress[module] = ModuleProgress(
                attempts,
                statuses.get(activity.cmid, 0) in COMPLETE_STATES,
                score_of(item) if item is not None else None,
            )
        completed = _course_completed(client, course.id, user.userid, warnings) if require else None
        learners.append(Learner(user.useridnumber.strip(), user.userfullname, progress, completed))
    listed = {learner.idnumber for learner in learners}
    learners += [
        Learner(reg_id, _ledger_name(ledger, reg_id), {}, None, in_moodle=False)
        for reg_id in admitted_ids(ledger, durchgang)
        if reg_id not in listed
    ]
    learners.sort(key=lambda learner: learner.idnumber)
    return ReportData(
        durchgang=durchgang,
        title=entry.title,
        course_name=course.fullname,
        generated=now or dt.datetime.now(dt.UTC),
        seats=seats(ledger, programme, durchgang),
        rules=programme.certification,
        activities=activities,
        learners=tuple(learners),
        warnings=tuple(dict.fromkeys(warnings)),
    )


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


def _ledger_name(ledger: Ledger, reg_id: str) -> str:
    for registration in ledger.registrations():
        if registration.reg_id == reg_id:
            return f"{registration.first_name} {registration.last_name}"
    return ""
