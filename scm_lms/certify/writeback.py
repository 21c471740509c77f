"""Record certificates in Moodle: the cohort `<Durchgang>-zertifiziert` and the profile field with the number.

Same shape as provisioning: a plan read from the live site (nothing pending on a re-run), shown before it is
applied, and every action appended to the provisioning journal (`journal/<Durchgang>.jsonl`, registration
ids only). A site badge with the cohort criterion can then award the Moodle badge on cron. The cohort belongs
to the toolkit: members without a current certificate (revoked, not re-issued) are removed and their field
is cleared, so Moodle never shows a revoked number as valid.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from scm_lms.moodle import (
    CohortMember,
    CohortMemberRemoval,
    MoodleClient,
    MoodleError,
    NewCohort,
    UserUpdate,
    WriteResult,
    cohorts,
    users,
)
from scm_lms.moodle.errors import describe
from scm_lms.programme import Programme
from scm_lms.provision.journal import Journal

Area = Literal["cohort", "member", "field"]
Op = Literal["create", "update", "remove", "keep"]
AREA_DE: dict[Area, str] = {"cohort": "Globale Gruppe", "member": "Mitglied", "field": "Profilfeld"}
OP_DE: dict[Op, str] = {"create": "anlegen", "update": "setzen", "remove": "entfernen", "keep": "unverändert"}


def cohort_idnumber(durchgang: str) -> str:
    return f"{durchgang}-zertifiziert"


@dataclass(frozen=True)
class Step:
    area: Area
    op: Op
    key: str
    """Cohort idnumber, or the registration id (Moodle idnumber) of the person."""
    detail: str
    userid: int | None = None
    value: str = ""

    @property
    def pending(self) -> bool:
        return self.op != "keep"


Record = Callable[[Step, str, str], None]
"""Notes one step's outcome (status "ok" or "failed", detail) in the result and the journal."""


@dataclass(frozen=True)
class WritebackPlan:
    durchgang: str
    cohort: str
    field_name: str
    steps: tuple[Step, ...]
    problems: tuple[str, ...] = ()
    cohort_id: int | None = None
    """The existing cohort's id (members are removed by id)."""

    @property
    def pending(self) -> list[Step]:
        return [step for step in self.steps if step.pending]


@dataclass
class Applied:
    run: str
    done: list[Step] = field(default_factory=list)
    failed: list[tuple[Step, str]] = field(default_factory=list)


def plan_writeback(
    client: MoodleClient,
    programme: Programme,
    durchgang: str,
    certified: Mapping[str, str],
    owned: Collection[str] = (),
) -> WritebackPlan:
    """`certified` maps registration id → current certificate number.

    `owned` are the registration ids of this ledger besides the certified ones: only their accounts may lose
    membership and field value. Anyone else in the cohort was put there by hand and stays (#14)."""
    idnumber = cohort_idnumber(durchgang)
    field_name = programme.moodle.certificate_field
    cohort = cohorts.find_cohort(client, idnumber)
    steps = [
        Step("cohort", "keep" if cohort else "create", idnumber, "vorhanden" if cohort else "fehlt noch")
    ]
    members: set[int] = set()
    if cohort is not None:
        members = {uid for group in cohorts.get_cohort_members(client, [cohort.id]) for uid in group.userids}
    accounts = {user.idnumber: user for user in users.get_users(client, "idnumber", sorted(certified))}
    problems: list[str] = []
    for reg_id, number in sorted(certified.items()):
        account = accounts.get(reg_id)
        if account is None:
            problems.append(f"{reg_id}: kein Moodle-Konto mit dieser ID-Nummer; erst „lms apply“ ausführen")
            continue
        member = account.id in members
        steps.append(Step("member", "keep" if member else "create", reg_id, "", account.id))
        current = account.customfield(field_name)
        op: Op = "keep" if current == number else "update"
        detail = f"{current or '(leer)'} → {number}" if op == "update" else number
        steps.append(Step("field", op, reg_id, detail, account.id, number))
    certified_ids = {account.id for account in accounts.values()}
    stale = sorted(members - certified_ids)
    for account in users.get_users(client, "id", stale) if stale else []:
        key = account.idnumber or f"Nutzer {account.id}"
        if account.idnumber not in owned:
            kept = "nicht aus diesem Ledger, bleibt unverändert"
            steps.append(Step("member", "keep", key, kept, account.id))
            continue
        steps.append(Step("member", "remove", key, "kein gültiges Zertifikat mehr", account.id))
        old = account.customfield(field_name)
        if old:
            steps.append(Step("field", "update", key, f"{old} → (leer)", account.id, ""))
    cohort_id = cohort.id if cohort else None
    return WritebackPlan(durchgang, idnumber, field_name, tuple(steps), tuple(problems), cohort_id)


def apply_writeback(client: MoodleClient, plan: WritebackPlan, journal: Journal, *, title: str) -> Applied:
    """Carry out the pending steps; each outcome goes to the journal as it happens."""
    applied = Applied(uuid.uuid4().hex[:12])

    def record(step: Step, status: str, detail: str = "") -> None:
        if status == "ok":
            applied.done.append(step)
        else:
            applied.failed.append((step, detail))
        entry: dict[str, Any] = {
            "run": applied.run,
            "durchgang": plan.durchgang,
            "site": client.url,
            "course": plan.cohort,
            "area": f"certificate-{step.area}",
            "op": step.op,
            "key": step.key,
            "status": status,
            "detail": detail,
        }
        if step.area == "field":
            entry["sent"] = {plan.field_name: step.value}
        journal.append(entry)

    pending = plan.pending
    journal.append(
        {"run": applied.run, "durchgang": plan.durchgang, "site": client.url, "event": "certify-start"}
    )
    cohort_steps = [s for s in pending if s.area == "cohort"]
    _batch(cohort_steps, record, lambda: cohorts.create_cohorts(client, [_new_cohort(plan, title)]), _none)
    if any(step in cohort_steps for step, _ in applied.failed):
        for step in [s for s in pending if s.area != "cohort"]:
            record(step, "failed", "übersprungen: die globale Gruppe konnte nicht angelegt werden")
        pending = []
    adds = [s for s in pending if s.area == "member" and s.op == "create"]
    rows = [
        CohortMember(cohort_type="idnumber", cohort=plan.cohort, user_type="id", user=str(s.userid))
        for s in adds
    ]
    _batch(adds, record, lambda: cohorts.add_cohort_members(client, rows), _member_warning)
    removals = [s for s in pending if s.area == "member" and s.op == "remove"]
    if plan.cohort_id is not None:
        gone = [CohortMemberRemoval(cohortid=plan.cohort_id, userid=s.userid or 0) for s in removals]
        _batch(removals, record, lambda: cohorts.delete_cohort_members(client, gone), _none)
    fields = [s for s in pending if s.area == "field"]
    updates = [UserUpdate(id=s.userid or 0, customfields={plan.field_name: s.value}) for s in fields]
    _batch(fields, record, lambda: users.update_users(client, updates), _user_warning)
    journal.append(
        {
            "run": applied.run,
            "durchgang": plan.durchgang,
            "event": "certify-end",
            "failed": len(applied.failed),
        }
    )
    return applied


def _batch(
    steps: list[Step],
    record: Record,
    call: Callable[[], WriteResult[Any]],
    warning: Callable[[WriteResult[Any], Step], str],
) -> None:
    """One call for `steps`; each step fails with its refused row, its warning, or the call's error."""
    if not steps:
        return
    try:
        result = call()
    except MoodleError as error:
        for step in steps:
            record(step, "failed", describe(error))
        return
    refused = {failure.index: str(failure) for failure in result.failures}
    for index, step in enumerate(steps):
        problem = refused.get(index) or warning(result, step)
        record(step, "failed" if problem else "ok", problem)


def _new_cohort(plan: WritebackPlan, title: str) -> NewCohort:
    return NewCohort(name=f"Smart City Manager – {title} – zertifiziert", idnumber=plan.cohort, visible=False)


def _none(result: WriteResult[Any], step: Step) -> str:
    return ""


def _member_warning(result: WriteResult[Any], step: Step) -> str:
    """Code "3" is "already a member": the goal is reached. Others name the user ("user id=5 …") in the text
    only; one that names nobody (e.g. the cohort is missing) concerns every row."""
    warnings = [w.message for w in result.warnings if w.warningcode != "3"]
    general = [m for m in warnings if not re.search(r"\buser\b", m)]
    return "; ".join([m for m in warnings if re.search(rf"\bid={step.userid}\b", m)] + general)


def _user_warning(result: WriteResult[Any], step: Step) -> str:
    return next((w.message for w in result.warnings if w.itemid == step.userid), "")
