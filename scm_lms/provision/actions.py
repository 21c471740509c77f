"""What a plan is made of: actions on Moodle records, each with its reason, and the plan holding them.

The action type is the engine's (`engine.Action`, shared with certification write-back); this module fixes
provisioning's areas, ops and payloads and their German names.

Plain data shared by `plan` (which makes them), `apply` (which carries them out) and `render` (which shows
them). Labels and reasons are German, because the admin reads them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from scm_lms.moodle.models import User
from scm_lms.provision import engine
from scm_lms.provision.desired import DesiredState
from scm_lms.provision.engine import Change as Change
from scm_lms.provision.payloads import Payload
from scm_lms.provision.state import CurrentState

Area = Literal["course", "cohort", "user", "member", "enrolment", "event"]
Op = Literal["create", "update", "keep", "leave", "prune", "delete", "blocked"]

AREAS: tuple[Area, ...] = ("course", "cohort", "user", "member", "enrolment", "event")
OPS: tuple[Op, ...] = ("create", "update", "prune", "delete", "keep", "leave", "blocked")
PENDING: frozenset[Op] = frozenset({"create", "update", "prune", "delete"})

Ref = tuple[Area, str]
"""An action's record: its area and key (the course idnumber, a registration id, an event key …)."""

AREA_DE: dict[Area, str] = {
    "course": "Kurs",
    "cohort": "Globale Gruppe",
    "user": "Konten",
    "member": "Mitglieder",
    "enrolment": "Einschreibungen",
    "event": "Termine",
}
OP_DE: dict[Op, str] = {
    "create": "anlegen",
    "update": "ändern",
    "prune": "sperren",
    "delete": "löschen",
    "keep": "aktuell",
    "leave": "bleibt",
    "blocked": "blockiert",
}


Action = engine.Action[Area, Op, Payload]
"""A provisioning action (the engine's action type with provisioning's areas, ops and payloads)."""


@dataclass(frozen=True)
class Plan:
    desired: DesiredState
    current: CurrentState
    actions: tuple[Action, ...]
    accounts: Mapping[str, User] = field(default_factory=dict)
    """Registration id → the existing account that person will use."""
    prune: bool = False
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What the plan leaves out on purpose and why (shown, not counted as a problem)."""

    @property
    def pending(self) -> list[Action]:
        return [action for action in self.actions if action.pending]

    @property
    def empty(self) -> bool:
        return not self.pending

    def counts(self) -> dict[Area, Counter[Op]]:
        result: dict[Area, Counter[Op]] = {area: Counter() for area in AREAS}
        for action in self.actions:
            result[action.area][action.op] += 1
        return result

    @property
    def role(self) -> int:
        return learner_role(self.desired)


def learner_role(desired: DesiredState) -> int:
    """The role learners are enrolled with: the programme's."""
    return desired.student_role


def legacy_event_key(name: str, timestart: int) -> str:
    """How versions before #11 journaled an event they created: no id, only name and start."""
    return f"{name} @ {timestart}"
