"""One `lms certify` run: decide, and with a key issue and record in Moodle; without one only plan.

The command line parses and prints; this module holds the order of the steps, so the flow stays one way:
Moodle grades → decisions → register and PDFs → Moodle write-back plan → apply (journalled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from course_package.model import Course
from scm_lms.certify.collect import Assessment, assess
from scm_lms.certify.issue import Context, Outcome, issue
from scm_lms.certify.register import Register
from scm_lms.certify.rules import Attendance
from scm_lms.certify.writeback import Applied, WritebackPlan, apply_writeback, plan_writeback
from scm_lms.moodle import MoodleClient
from scm_lms.programme import Programme
from scm_lms.programme.curriculum import curriculum
from scm_lms.provision.journal import Journal
from scm_lms.provision.journal import default_path as default_journal

NEW_NUMBER = "(neue Nummer)"
"""Stands in for the number a dry run would issue."""


@dataclass(frozen=True)
class Request:
    programme: Programme
    durchgang: str
    db: Path
    names: Mapping[str, str]
    expected: Sequence[str]
    issue: bool
    reissue: bool
    key: Ed25519PrivateKey | None
    """Set when certificates are to be issued for real (not on a dry run)."""
    today: dt.date
    out: Path | None
    attendance: Mapping[str, Attendance] | None = None
    """Registration id → live mornings from the ledger; None only without a ledger (grades only)."""
    certifiable: Collection[str] | None = None
    """The admitted participants (never trainers); None only without a ledger."""
    course: Course | None = None
    """The course taught (its modules are graded and certified); None: the built-in curriculum."""


@dataclass(frozen=True)
class Run:
    assessment: Assessment
    current: Mapping[str, str]
    """Registration id → current certificate number, after issuing."""
    outcomes: Sequence[Outcome] = ()
    plan: WritebackPlan | None = None
    applied: Applied | None = None


def certify_durchgang(client: MoodleClient, register: Register, request: Request) -> Run:
    """Decide; with a key issue and record in Moodle; on a dry run only plan what that would change."""
    key, durchgang = request.key, request.durchgang
    course = request.course or curriculum()
    assessment = assess(
        client,
        request.programme,
        durchgang,
        request.expected,
        request.attendance,
        request.certifiable,
        course=course,
    )
    outcomes: list[Outcome] = []
    if key is not None:
        context = Context(request.programme, durchgang, course, request.today, key)
        folder = request.out or request.db.parent / "zertifikate" / durchgang
        outcomes = issue(
            assessment.decisions, request.names, context, register, out=folder, reissue=request.reissue
        )
    current = {c.reg_id: c.number for c in register.all(durchgang) if not c.revoked}
    if not request.issue:
        return Run(assessment, current, outcomes)
    wanted = dict(current)
    if key is None:
        wanted.update({d.idnumber: NEW_NUMBER for d in assessment.passed if d.idnumber not in current})
    owned = {*request.names, *(c.reg_id for c in register.all(durchgang))}
    plan = plan_writeback(client, request.programme, durchgang, wanted, owned)
    if key is None:
        return Run(assessment, current, outcomes, plan)
    journal = Journal(default_journal(request.db, durchgang))
    return Run(assessment, current, outcomes, plan, apply_writeback(client, plan, journal))
