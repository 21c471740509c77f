"""Carrying out a plan through the Moodle client, one step per area, each step in batched calls.

Each action is sent as the plan holds it (its payload), on the shared engine (`engine`), once the records it
needs exist; steps that do not wait for each other may run at the same time (`apply_plan`'s concurrency).
A step that fails does not stop the run: rows Moodle refuses are isolated by the client's bisection, a call
that fails as a whole marks its rows failed, and later steps skip only what depends on a failed row (no
enrolment without an account). Where a failed call may still have been applied (HTTP 500, a lost reply), the
records it would have made are read again before the steps that need their ids. Every executed action and
its result goes to the journal. Running apply again finishes whatever is left, without duplicates, because
the next plan starts from what Moodle then holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from scm_lms.moodle import (
    CohortMember,
    CohortMemberRemoval,
    CohortUpdate,
    CourseUpdate,
    Enrolment,
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
from scm_lms.provision import events_apply
from scm_lms.provision.actions import AREAS, Action, Area, Plan
from scm_lms.provision.engine import Engine, Outcome, failures, warning_text
from scm_lms.provision.journal import Journal
from scm_lms.provision.payloads import CourseWork, EnrolmentWork, Membership, payload
from scm_lms.provision.state import find_accounts, find_course

Progress = Callable[[Area, int], None]
"""Called with the area of a finished step and how many actions it carried out."""
Result = Outcome[Action]


@dataclass
class Report:
    run: str
    results: list[Result] = field(default_factory=list)

    @property
    def failed(self) -> list[Result]:
        return [result for result in self.results if result.status != "ok"]


NEEDED: dict[str, str] = {
    "course": "Kurs fehlt (siehe Kurs)",
    "cohort": "Globale Gruppe fehlt (siehe Globale Gruppe)",
    "user": "Konto fehlt (siehe Konten)",
}
"""Why an action is skipped when a record it needs does not exist."""


class _Run(Engine[Action]):
    """One apply: the engine with the plan it executes; ids of records that were there come from the plan."""

    def __init__(self, client: MoodleClient, plan: Plan, journal: Journal, progress: Progress | None) -> None:
        base = {"durchgang": plan.desired.durchgang, "site": client.url}
        if plan.current.site_id:
            base["site_id"] = plan.current.site_id
        pseudonyms = {
            name: user.idnumber
            for user in plan.desired.users
            for name in (user.email, user.username, f"{user.firstname} {user.lastname}")
        }
        pseudonyms.update({a.username: idnumber for idnumber, a in plan.accounts.items()})
        super().__init__(
            client,
            journal,
            base,
            course=plan.desired.course.idnumber,
            needed=NEEDED,
            private=lambda text: _pseudonymise(text, pseudonyms),
        )
        self.plan = plan
        self.progress = progress
        self.report = Report(self.run, self.outcomes)
        for action in plan.actions:
            if action.area in NEEDED and action.op in ("keep", "update") and action.moodle_id is not None:
                self.learn(action.ref, action.moodle_id)

    def tick(self, area: Area, count: int) -> None:
        if self.progress is not None and count:
            self.progress(area, count)


def _pseudonymise(text: str, pseudonyms: Mapping[str, str]) -> str:
    """`text` with the names and addresses of this Durchgang's people replaced by registration ids, for
    the journal (Moodle's debug messages may quote a username)."""
    for name in sorted(pseudonyms, key=len, reverse=True):
        text = text.replace(name, pseudonyms[name])
    return text


DEFAULT_CONCURRENCY = 4
"""Steps of one apply that may run at the same time (`lms apply --concurrency`)."""

_Step = Callable[[_Run, list[Action]], None]


def apply_plan(
    client: MoodleClient,
    plan: Plan,
    journal: Journal,
    progress: Progress | None = None,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> Report:
    """Execute the pending actions of `plan`; blocked actions are reported as failed, never attempted.

    With `concurrency` 1 the steps go one after the other in AREAS order. With more, a step starts as soon
    as the steps of every record its actions need or come after are finished, up to `concurrency` at a
    time: course, cohort and accounts together, the events as soon as the course is there, members and
    enrolments once the accounts are. Each step is still one thread, so every item's journal entries stay
    in order, and fault handling inside a step (verified retries, bisection) is unchanged."""
    run = _Run(client, plan, journal, progress)
    counts = {area: dict(counter) for area, counter in plan.counts().items()}
    run.entry(event="start", prune=plan.prune, counts=counts)
    for action in plan.actions:
        if action.op == "blocked":
            run.done(action, "failed", action.reason)
    steps: dict[Area, _Step] = {
        "course": _course,
        "cohort": _cohort,
        "user": _users,
        "member": _members,
        "enrolment": _enrolments,
        "event": _events,
    }
    work = {area: [action for action in plan.pending if action.area == area] for area in AREAS}

    def step(area: Area) -> None:
        ready = run.ready(work[area])
        if ready:
            steps[area](run, ready)
        run.tick(area, len(work[area]))

    if concurrency <= 1:
        for area in AREAS:
            step(area)
    else:
        _in_parallel(step, step_order(work), concurrency)
    run.entry(event="end", failed=len(run.report.failed))
    return run.report


def step_order(work: Mapping[Area, Sequence[Action]]) -> dict[Area, frozenset[Area]]:
    """Per step, the steps it must wait for: the areas of the records its actions need or come after."""
    return {
        area: frozenset(ref[0] for action in actions for ref in (*action.needs, *action.after)) - {area}
        for area, actions in work.items()
    }


def _in_parallel(step: Callable[[Area], None], waits: Mapping[Area, frozenset[Area]], bound: int) -> None:
    """Run every step once its waits are finished, at most `bound` at a time; a step's error is raised."""
    waiting = [area for area in AREAS if area in waits]
    finished: set[Area] = set()
    with ThreadPoolExecutor(max_workers=bound, thread_name_prefix="apply") as pool:
        running: dict[Future[None], Area] = {}
        while waiting or running:
            for area in [area for area in waiting if waits[area] <= finished]:
                waiting.remove(area)
                running[pool.submit(step, area)] = area
            if not running:  # a wait on a step that never comes: a programming error in the plan
                raise RuntimeError(f"Schritte warten aufeinander: {waiting}")
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()
                finished.add(running.pop(future))


# --- steps ----------------------------------------------------------------------------------------------


def _course(run: _Run, actions: list[Action]) -> None:
    (action,) = actions
    work = payload(action, CourseWork)
    want = work.course
    courseid = action.moodle_id
    if action.op == "create":
        if work.template_id is None or work.category_id is None:
            run.done(action, "failed", "Vorlage oder Kursbereich fehlt (Plan gegen leere Website)")
            return
        try:
            created = courses.duplicate_course(
                run.client,
                work.template_id,
                fullname=want.fullname,
                shortname=want.shortname,
                categoryid=work.category_id,
                visible=False,
                options={"users": False},
            )
            courseid = created.id
        except MoodleError as error:
            found = _reread(lambda: find_course(run.client, want))
            if found is None or found.idnumber not in ("", want.idnumber):
                run.done(action, "failed", describe(error))
                return
            courseid = found.id  # the copy was made although the reply was lost
        run.learn(action.ref, courseid)
    assert courseid is not None
    update = CourseUpdate(
        id=courseid,
        idnumber=want.idnumber,
        fullname=want.fullname,
        startdate=want.startdate,
        enddate=want.enddate,
        visible=want.visible,
    )
    try:
        result = courses.update_courses(run.client, [update])
    except MoodleError as error:
        run.done(action, "failed", describe(error), moodle_id=courseid)
        return
    problems = [str(failure) for failure in result.failures] + [warning_text(w) for w in result.warnings]
    run.done(action, "failed" if problems else "ok", "; ".join(problems), moodle_id=courseid)


def _cohort(run: _Run, actions: list[Action]) -> None:
    (action,) = actions
    try:
        if action.op == "create":
            result: Any = cohorts.create_cohorts(run.client, [payload(action, NewCohort)])
        else:
            result = cohorts.update_cohorts(run.client, [payload(action, CohortUpdate)])
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
        rows = [payload(a, NewUser) for a in creates]
        try:
            created = users.create_users(run.client, rows)
        except MoodleError as error:
            unclear = True
            failed = {i: describe(error) for i in range(len(creates))}
        else:
            failed = failures(created.failures)
            keys = {row.username: a.ref for a, row in zip(creates, rows, strict=True)}
            for record in created.records:
                run.learn(keys[record.username], record.id)
        if unclear:  # HTTP 500 or a lost reply: the accounts may exist after all
            by_id, _ = _reread(lambda: find_accounts(run.client, rows)) or ({}, {})
            for idnumber, account in by_id.items():
                run.learn(("user", idnumber), account.id)
        for index, action in enumerate(creates):
            if run.knows(action.ref):
                run.done(action, "ok", moodle_id=run.id_of(action.ref))
            else:
                run.done(action, "failed", failed.get(index, "Konto nach dem Anlegen nicht gefunden"))
    if updates:
        rows_update = [payload(action, UserUpdate) for action in updates]
        userids = [action.moodle_id for action in updates]
        run.updates(updates, lambda: users.update_users(run.client, rows_update), userids)


def _members(run: _Run, actions: list[Action]) -> None:
    adds = [a for a in actions if a.op == "create"]
    removals = [a for a in actions if a.op == "prune"]
    if adds:
        userids = [run.id_of(("user", a.key)) for a in adds]
        rows = [
            CohortMember(
                cohort_type="idnumber", cohort=payload(a, Membership).cohort, user_type="id", user=str(u)
            )
            for a, u in zip(adds, userids, strict=True)
        ]
        run.batch(adds, lambda: cohorts.add_cohort_members(run.client, rows), userids=userids)
    if removals:
        rows_out = [payload(a, CohortMemberRemoval) for a in removals]
        run.batch(removals, lambda: cohorts.delete_cohort_members(run.client, rows_out))


def _enrolments(run: _Run, actions: list[Action]) -> None:
    courseid = run.id_of(("course", run.plan.desired.course.idnumber))
    rows: list[Enrolment] = []
    for action in actions:
        work = payload(action, EnrolmentWork)
        userid = work.userid if work.userid is not None else run.id_of(("user", action.key))
        fields = {"timestart": work.timestart, "timeend": work.timeend, "suspend": work.suspend}
        rows.append(Enrolment(roleid=work.roleid, userid=userid, courseid=courseid, **fields))
    sent = [
        {"timestart": r.timestart, "timeend": r.timeend, "suspend": r.suspend, "userid": r.userid}
        for r in rows
    ]
    run.batch(actions, lambda: enrolments.enrol(run.client, rows), sent)


def _events(run: _Run, actions: list[Action]) -> None:
    events_apply.apply_events(run, run.id_of(("course", run.plan.desired.course.idnumber)), actions)


# --- helpers --------------------------------------------------------------------------------------------


def _reread(read: Callable[[], Any]) -> Any:
    """A re-read after a failed write; if even that fails, the next run will see the truth."""
    try:
        return read()
    except MoodleError:
        return None
