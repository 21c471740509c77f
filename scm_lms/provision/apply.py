"""Carrying out a plan through the Moodle client, step by step, each step in batched calls.

A step that fails does not stop the run: rows Moodle refuses are isolated by the client's bisection, a call
that fails as a whole marks its rows failed, and later steps skip only what depends on a failed row (no
enrolment without an account). Where a failed call may still have been applied (HTTP 500, a lost reply), the
records it would have made are read again before the steps that need their ids. Every executed action and
its result goes to the journal. Running apply again finishes whatever is left, without duplicates, because
the next plan starts from what Moodle then holds.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from scm_lms.moodle import (
    CohortMember,
    CohortMemberRemoval,
    CohortUpdate,
    CourseUpdate,
    Enrolment,
    ItemFailure,
    MoodleClient,
    MoodleError,
    NewCohort,
    NewUser,
    UserUpdate,
    cohorts,
    courses,
    enrolments,
    users,
)
from scm_lms.moodle.errors import describe
from scm_lms.moodle.models import MoodleWarning
from scm_lms.provision import events_apply
from scm_lms.provision.actions import AREAS, Action, Area, Plan
from scm_lms.provision.desired import User as DesiredUser
from scm_lms.provision.journal import Journal
from scm_lms.provision.state import find_accounts, find_course

Status = Literal["ok", "failed", "skipped"]
Progress = Callable[[Area, int], None]
"""Called with the area of a finished step and how many actions it carried out."""


@dataclass(frozen=True)
class Result:
    action: Action
    status: Status
    detail: str = ""


@dataclass
class Report:
    run: str
    results: list[Result] = field(default_factory=list)

    @property
    def failed(self) -> list[Result]:
        return [result for result in self.results if result.status != "ok"]


class _Run:
    """State of one apply: ids learned so far and results, written to the journal as they come."""

    def __init__(self, client: MoodleClient, plan: Plan, journal: Journal, progress: Progress | None) -> None:
        self.client = client
        self.plan = plan
        self.journal = journal
        self.progress = progress
        self.report = Report(uuid.uuid4().hex[:12])
        course = next(action for action in plan.actions if action.area == "course")
        usable = plan.current.course is not None and course.op in ("keep", "update")
        self.course_id = plan.current.course.id if usable and plan.current.course else None
        self.accounts: dict[str, tuple[int, str]] = {
            idnumber: (account.id, account.username) for idnumber, account in plan.accounts.items()
        }
        self.desired_users = {user.idnumber: user for user in plan.desired.users}
        self.pseudonyms = {
            name: user.idnumber
            for user in plan.desired.users
            for name in (user.email, user.username, f"{user.firstname} {user.lastname}")
        }
        self.pseudonyms.update({a.username: idnumber for idnumber, a in plan.accounts.items()})

    def private(self, text: str) -> str:
        """`text` with the names and addresses of this Durchgang's people replaced by registration ids,
        for the journal (Moodle's debug messages may quote a username)."""
        for name in sorted(self.pseudonyms, key=len, reverse=True):
            text = text.replace(name, self.pseudonyms[name])
        return text

    def entry(self, **values: Any) -> None:
        base = {"run": self.report.run, "durchgang": self.plan.desired.durchgang, "site": self.client.url}
        if self.plan.current.site_id:
            base["site_id"] = self.plan.current.site_id
        self.journal.append({**base, **values})

    def done(self, action: Action, status: Status, detail: str = "", **extra: Any) -> None:
        self.report.results.append(Result(action, status, detail))
        self.entry(
            course=self.plan.desired.course.idnumber,
            area=action.area,
            op=action.op,
            key=action.key,
            status=status,
            detail=self.private(detail),
            **extra,
        )

    def finish_all(self, actions: Sequence[Action], status: Status, detail: str) -> None:
        for action in actions:
            self.done(action, status, detail)

    def pending(self, area: Area) -> list[Action]:
        return [action for action in self.plan.pending if action.area == area]

    def tick(self, area: Area, count: int) -> None:
        if self.progress is not None and count:
            self.progress(area, count)


def apply_plan(
    client: MoodleClient, plan: Plan, journal: Journal, progress: Progress | None = None
) -> Report:
    """Execute the pending actions of `plan`; blocked actions are reported as failed, never attempted."""
    run = _Run(client, plan, journal, progress)
    counts = {area: dict(counter) for area, counter in plan.counts().items()}
    run.entry(event="start", prune=plan.prune, counts=counts)
    for action in plan.actions:
        if action.op == "blocked":
            run.done(action, "failed", action.reason)
    steps: dict[Area, Callable[[_Run, list[Action]], None]] = {
        "course": _course,
        "cohort": _cohort,
        "user": _users,
        "member": _members,
        "enrolment": _enrolments,
        "event": _events,
    }
    for area in AREAS:
        actions = run.pending(area)
        if actions:
            steps[area](run, actions)
            run.tick(area, len(actions))
    run.entry(event="end", failed=len(run.report.failed))
    return run.report


# --- steps ----------------------------------------------------------------------------------------------


def _course(run: _Run, actions: list[Action]) -> None:
    (action,) = actions
    want = run.plan.desired.course
    if action.op == "create":
        template, category = run.plan.current.template, run.plan.current.category
        if template is None or category is None:
            run.done(action, "failed", "Vorlage oder Kursbereich fehlt (Plan gegen leere Website)")
            return
        try:
            created = courses.duplicate_course(
                run.client,
                template.id,
                fullname=want.fullname,
                shortname=want.shortname,
                categoryid=category.id,
                visible=False,
                options={"users": False},
            )
            run.course_id = created.id
        except MoodleError as error:
            found = _reread(lambda: find_course(run.client, want))
            if found is None or found.idnumber not in ("", want.idnumber):
                run.done(action, "failed", describe(error))
                return
            run.course_id = found.id  # the copy was made although the reply was lost
    assert run.course_id is not None
    update = CourseUpdate(
        id=run.course_id,
        idnumber=want.idnumber,
        fullname=want.fullname,
        startdate=want.startdate,
        enddate=want.enddate,
        visible=want.visible,
    )
    try:
        result = courses.update_courses(run.client, [update])
    except MoodleError as error:
        run.done(action, "failed", describe(error), moodle_id=run.course_id)
        return
    problems = [str(failure) for failure in result.failures] + [_warning(w) for w in result.warnings]
    run.done(action, "failed" if problems else "ok", "; ".join(problems), moodle_id=run.course_id)


def _cohort(run: _Run, actions: list[Action]) -> None:
    (action,) = actions
    want = run.plan.desired.cohort
    try:
        if action.op == "create":
            result: Any = cohorts.create_cohorts(
                run.client, [NewCohort(name=want.name, idnumber=want.idnumber, visible=want.visible)]
            )
        else:
            assert action.moodle_id is not None
            update = CohortUpdate(
                id=action.moodle_id, name=want.name, idnumber=want.idnumber, visible=want.visible
            )
            result = cohorts.update_cohorts(run.client, [update])
    except MoodleError as error:
        run.done(action, "failed", describe(error))
        return
    problems = [str(failure) for failure in result.failures]
    run.done(action, "failed" if problems else "ok", "; ".join(problems))


def _users(run: _Run, actions: list[Action]) -> None:
    creates = [a for a in actions if a.op == "create"]
    updates = [a for a in actions if a.op == "update"]
    unclear = False
    if creates:
        rows = [_new_user(run.desired_users[a.key]) for a in creates]
        try:
            created = users.create_users(run.client, rows)
        except MoodleError as error:
            unclear = True
            failed = {i: describe(error) for i in range(len(creates))}
        else:
            failed = _failures(created.failures)
            idnumbers = {run.desired_users[a.key].username: a.key for a in creates}
            for record in created.records:
                run.accounts[idnumbers[record.username]] = (record.id, record.username)
        if unclear:  # HTTP 500 or a lost reply: the accounts may exist after all
            recheck = [run.desired_users[a.key] for a in creates]
            by_id, _ = _reread(lambda: find_accounts(run.client, recheck)) or ({}, {})
            for idnumber, account in by_id.items():
                run.accounts[idnumber] = (account.id, account.username)
        for index, action in enumerate(creates):
            if action.key in run.accounts:
                run.done(action, "ok", moodle_id=run.accounts[action.key][0])
            else:
                run.done(action, "failed", failed.get(index, "Konto nach dem Anlegen nicht gefunden"))
    if updates:
        rows_update = [_user_update(action) for action in updates]
        try:
            result = users.update_users(run.client, rows_update)
        except MoodleError as error:
            run.finish_all(updates, "failed", describe(error))
            return
        refused = _failures(result.failures)
        skipped = {w.itemid: _warning(w) for w in result.warnings}
        for index, action in enumerate(updates):
            problem = refused.get(index) or skipped.get(action.moodle_id, "")
            run.done(action, "failed" if problem else "ok", problem or "", moodle_id=action.moodle_id)


def _members(run: _Run, actions: list[Action]) -> None:
    adds = [a for a in actions if a.op == "create"]
    removals = [a for a in actions if a.op == "prune"]
    cohort = run.plan.desired.cohort.idnumber
    ready = [a for a in adds if a.key in run.accounts]
    run.finish_all([a for a in adds if a.key not in run.accounts], "skipped", "Konto fehlt (siehe Konten)")
    if ready:
        userids = [run.accounts[a.key][0] for a in ready]
        rows = [
            CohortMember(cohort_type="idnumber", cohort=cohort, user_type="id", user=str(u)) for u in userids
        ]
        _batch(run, ready, lambda: cohorts.add_cohort_members(run.client, rows), userids=userids)
    if removals:
        cohort_id = run.plan.current.cohort.id if run.plan.current.cohort else None
        assert cohort_id is not None  # extra members exist only in an existing cohort
        rows_out = [CohortMemberRemoval(cohortid=cohort_id, userid=a.moodle_id or 0) for a in removals]
        _batch(run, removals, lambda: cohorts.delete_cohort_members(run.client, rows_out))


def _enrolments(run: _Run, actions: list[Action]) -> None:
    if run.course_id is None:
        run.finish_all(actions, "skipped", "Kurs fehlt (siehe Kurs)")
        return
    course = run.plan.desired.course
    periods = {e.username: (e.timestart, e.timeend) for e in run.plan.desired.enrolments}
    roles = {e.username: e.roleid for e in run.plan.desired.enrolments}
    rows: list[Enrolment] = []
    ready: list[Action] = []
    for action in actions:
        role = run.plan.role
        if action.op == "prune":  # suspended, never unenrolled: grades and attempts stay
            userid, (start, end), suspend = action.moodle_id, (course.startdate, course.enddate), True
        elif action.key in run.accounts:
            userid, suspend = run.accounts[action.key][0], False
            username = run.desired_users[action.key].username
            start, end = periods[username]
            role = roles[username]
        else:
            run.done(action, "skipped", "Konto fehlt (siehe Konten)")
            continue
        assert userid is not None
        ready.append(action)
        fields = {"timestart": start, "timeend": end, "suspend": suspend}
        rows.append(Enrolment(roleid=role, userid=userid, courseid=run.course_id, **fields))
    sent = [
        {"timestart": r.timestart, "timeend": r.timeend, "suspend": r.suspend, "userid": r.userid}
        for r in rows
    ]
    if ready:
        _batch(run, ready, lambda: enrolments.enrol(run.client, rows), sent)


def _events(run: _Run, actions: list[Action]) -> None:
    if run.course_id is None:
        run.finish_all(actions, "skipped", "Kurs fehlt (siehe Kurs)")
        return
    events_apply.apply_events(run, run.course_id, actions)


# --- helpers --------------------------------------------------------------------------------------------


def _batch(
    run: _Run,
    actions: Sequence[Action],
    call: Callable[[], Any],
    sent: Sequence[dict[str, Any]] | None = None,
    userids: Sequence[int] | None = None,
) -> None:
    """Run one batched write for `actions` (row i ↔ action i) and record each row's outcome.

    Moodle's warnings name users as "id=<n>"; `userids` says which user each row is about. A warning that
    names no row fails the whole batch: the rows are idempotent, and the next plan re-reads what happened.
    """
    try:
        result = call()
    except MoodleError as error:
        run.finish_all(actions, "failed", describe(error))
        return
    refused = _failures(result.failures)
    warnings = [_warning(w) for w in result.warnings if w.warningcode != "3"]  # "3": already a member
    marks = [f"id={userid} " for userid in userids] if userids is not None else [""] * len(actions)
    unnamed = [w for w in warnings if not any(mark and mark in w + " " for mark in marks)]
    for index, action in enumerate(actions):
        named = [w for w in warnings if marks[index] and marks[index] in w + " "]
        problem = refused.get(index) or "; ".join(named + unnamed)
        extra = {"sent": sent[index]} if sent is not None and not problem else {}
        run.done(action, "failed" if problem else "ok", problem, **extra)


def _failures(failures: Sequence[ItemFailure]) -> dict[int, str]:
    """Row index → problem, without the row's label: that may be an e-mail address (the journal keeps ids)."""
    return {
        failure.index: f"{failure.error.errorcode or type(failure.error).__name__}: {failure.error.detail} – "
        f"{failure.error.advice}"
        for failure in failures
    }


def _warning(warning: MoodleWarning) -> str:
    return f"Moodle-Warnung {warning.warningcode}: {warning.message}"


def _reread(read: Callable[[], Any]) -> Any:
    """A re-read after a failed write; if even that fails, the next run will see the truth."""
    try:
        return read()
    except MoodleError:
        return None


def _new_user(user: DesiredUser) -> NewUser:
    return NewUser(
        username=user.username,
        createpassword=True,
        firstname=user.firstname,
        lastname=user.lastname,
        email=user.email,
        auth=user.auth,
        institution=user.institution,
        lang=user.lang,
        idnumber=user.idnumber,
    )


def _user_update(action: Action) -> UserUpdate:
    assert action.moodle_id is not None
    values: dict[str, Any] = {change.field: change.new for change in action.changes}
    if "suspended" in values:
        values["suspended"] = False
    return UserUpdate(id=action.moodle_id, **values)
