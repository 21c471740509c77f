"""The one engine that carries out planned actions: provisioning's `apply` and certification write-back.

Both flows plan the same action type (`Action`, owned here), each with its own areas, ops and payloads.
An action names its record (`ref`: area and key), carries what it sends (`payload`) and the records it
`needs`. The engine sends an action only when every needed record exists – its Moodle id is known from the
plan (it was there) or from this run (a copy made, an account created) – and journals every outcome as it
comes: ok, failed, or skipped saying which record was missing. Batching, field counting, verified retries
and bisection stay in the client (`MoodleClient.write_many`); the engine decides what goes into a call and
reads back, row by row, what became of it: a refused row, or a Moodle warning matched to its row.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from scm_lms.moodle import ItemFailure, MoodleClient, MoodleError
from scm_lms.moodle.errors import describe
from scm_lms.moodle.models import MoodleWarning
from scm_lms.provision.journal import Journal

Status = Literal["ok", "failed", "skipped"]
EngineRef = tuple[str, str]


AreaT = TypeVar("AreaT", bound=str)
OpT = TypeVar("OpT", bound=str)
PayloadT = TypeVar("PayloadT")

PENDING_OPS = frozenset({"create", "update", "prune", "delete", "remove"})
"""Ops that change Moodle; the others (keep, leave, blocked) are shown and never sent."""


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Action(Generic[AreaT, OpT, PayloadT]):
    """One planned action on one Moodle record, as every flow on this engine plans it: provisioning
    (`provision.actions.Action`) and certification write-back (`certify.writeback.Step`). Each flow names
    its own areas, ops and payloads (the type parameters) and their German names; the engine needs only
    `ref`, `needs` and `op`."""

    area: AreaT
    op: OpT
    key: str
    """Stable identifier: course/cohort idnumber, registration or trainer id, or event key SCM-<D>/V<n>."""
    label: str
    """What an admin recognises on screen (username, event date, registration id)."""
    reason: str
    changes: tuple[Change, ...] = ()
    moodle_id: int | None = None
    """The existing record this acts on (the user id for members, enrolments and profile fields)."""
    payload: PayloadT | None = None
    """What apply sends (pending actions only)."""
    needs: tuple[tuple[AreaT, str], ...] = ()
    """Records that must exist in Moodle before this is sent, because the call needs their ids: an
    enrolment its account and course, a membership its account, an event its course, a certificate's
    member or field value its cohort."""
    after: tuple[tuple[AreaT, str], ...] = ()
    """Records to be dealt with first that the call names by idnumber, so Moodle itself checks them row
    by row (a membership after its cohort): order only, sent even when that step failed."""

    @property
    def pending(self) -> bool:
        return self.op in PENDING_OPS

    @property
    def ref(self) -> tuple[AreaT, str]:
        return (self.area, self.key)


W = TypeVar("W", bound="Action[Any, Any, Any]")


@dataclass(frozen=True)
class Outcome(Generic[W]):
    action: W
    status: Status
    detail: str = ""


class Engine(Generic[W]):
    """One run: the ids of records that exist, the outcomes so far, and the journal they go to.

    `base` goes into every journal entry (Durchgang, site …); `course` names the course (or cohort) the
    actions belong to; `needed` says per area why an action is skipped when a record of that area is
    missing; `area_name` is the area as journaled; `private` replaces names in journaled details."""

    def __init__(
        self,
        client: MoodleClient,
        journal: Journal,
        base: Mapping[str, Any],
        *,
        course: str,
        needed: Mapping[str, str],
        area_name: Callable[[str], str] = str,
        private: Callable[[str], str] = str,
    ) -> None:
        self.client = client
        self.journal = journal
        self.run = uuid.uuid4().hex[:12]
        self.base = dict(base)
        self.course = course
        self.needed = dict(needed)
        self.area_name = area_name
        self.private = private
        self.ids: dict[EngineRef, int] = {}
        self.outcomes: list[Outcome[W]] = []
        self._lock = threading.RLock()

    def entry(self, **values: Any) -> None:
        with self._lock:
            self.journal.append({"run": self.run, **self.base, **values})

    def done(self, action: W, status: Status, detail: str = "", **extra: Any) -> None:
        with self._lock:  # outcome and journal line together: steps may run in parallel threads
            self.outcomes.append(Outcome(action, status, detail))
            self.entry(
                course=self.course,
                area=self.area_name(action.area),
                op=action.op,
                key=action.key,
                status=status,
                detail=self.private(detail),
                **extra,
            )

    def finish_all(self, actions: Sequence[W], status: Status, detail: str) -> None:
        for action in actions:
            self.done(action, status, detail)

    def learn(self, ref: EngineRef, moodle_id: int) -> None:
        """A needed record now exists (made in this run, or found after a lost reply)."""
        with self._lock:
            self.ids[ref] = moodle_id

    def id_of(self, ref: EngineRef) -> int:
        """The Moodle id of a record an action needs (asked only for actions that passed `ready`)."""
        with self._lock:
            return self.ids[ref]

    def knows(self, ref: EngineRef) -> bool:
        with self._lock:
            return ref in self.ids

    def ready(self, actions: Sequence[W]) -> list[W]:
        """The actions whose needed records exist; the others are journaled as skipped, saying which."""
        ready = []
        for action in actions:
            missing = next((ref for ref in action.needs if not self.knows(ref)), None)
            if missing is None:
                ready.append(action)
            else:
                self.done(action, "skipped", self.needed[missing[0]])
        return ready

    def batch(
        self,
        actions: Sequence[W],
        call: Callable[[], Any],
        sent: Sequence[Mapping[str, Any]] | None = None,
        userids: Sequence[int] | None = None,
    ) -> None:
        """Run one batched write for `actions` (row i ↔ action i) and record each row's outcome.

        Moodle's warnings name users as "id=<n>"; `userids` says which user each row is about. A warning
        that names no row fails the whole batch: the rows are idempotent, and the next plan re-reads what
        happened. Code "3" ("already a member") means the goal is reached."""
        try:
            result = call()
        except MoodleError as error:
            self.finish_all(actions, "failed", describe(error))
            return
        refused = failures(result.failures)
        warnings = [warning_text(w) for w in result.warnings if w.warningcode != "3"]
        marks = [f"id={userid} " for userid in userids] if userids is not None else [""] * len(actions)
        unnamed = [w for w in warnings if not any(mark and mark in w + " " for mark in marks)]
        for index, action in enumerate(actions):
            named = [w for w in warnings if marks[index] and marks[index] in w + " "]
            problem = refused.get(index) or "; ".join(named + unnamed)
            extra = {"sent": dict(sent[index])} if sent is not None and not problem else {}
            self.done(action, "failed" if problem else "ok", problem, **extra)

    def updates(
        self,
        actions: Sequence[W],
        call: Callable[[], Any],
        userids: Sequence[int | None],
        sent: Sequence[Mapping[str, Any]] | None = None,
    ) -> None:
        """Run one core_user_update_users call: Moodle reports a skipped row as a warning with its user id
        as `itemid`, not in the text."""
        try:
            result = call()
        except MoodleError as error:
            self.finish_all(actions, "failed", describe(error))
            return
        refused = failures(result.failures)
        skipped = {w.itemid: warning_text(w) for w in result.warnings}
        for index, action in enumerate(actions):
            problem = refused.get(index) or skipped.get(userids[index], "")
            extra = {"sent": dict(sent[index])} if sent is not None and not problem else {}
            self.done(action, "failed" if problem else "ok", problem, moodle_id=userids[index], **extra)


def failures(found: Sequence[ItemFailure]) -> dict[int, str]:
    """Row index → problem, without the row's label: that may be an e-mail address (the journal keeps ids)."""
    return {
        failure.index: f"{failure.error.errorcode or type(failure.error).__name__}: {failure.error.detail} – "
        f"{failure.error.advice}"
        for failure in found
    }


def warning_text(warning: MoodleWarning) -> str:
    return f"Moodle-Warnung {warning.warningcode}: {warning.message}"
