"""Record certificates in Moodle: the cohort `<Durchgang>-zertifiziert` and the profile field with the number.

Same shape as provisioning and carried out by the same engine (`provision.engine`): a plan read from the live
site (nothing pending on a re-run) whose steps carry what they send, shown before it is applied, and every
outcome appended to the provisioning journal (`journal/<Durchgang>.jsonl`, registration ids only). A site
badge with the cohort criterion can then award the Moodle badge on cron. The cohort belongs
to the toolkit: members without a current certificate (revoked, not re-issued) are removed and their field
is cleared, so Moodle never shows a revoked number as valid.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from scm_lms.moodle import (
    CohortMember,
    CohortMemberRemoval,
    MoodleClient,
    MoodleError,
    NewCohort,
    UserUpdate,
    cohorts,
    site,
    users,
)
from scm_lms.moodle.errors import describe
from scm_lms.programme import Programme
from scm_lms.provision.engine import Action, Engine, failures
from scm_lms.provision.journal import Journal, site_identity

Area = Literal["cohort", "member", "field"]
Op = Literal["create", "update", "remove", "keep"]
AREA_DE: dict[Area, str] = {"cohort": "Globale Gruppe", "member": "Mitglied", "field": "Profilfeld"}
OP_DE: dict[Op, str] = {"create": "anlegen", "update": "setzen", "remove": "entfernen", "keep": "unverändert"}
NEEDED = {"cohort": "übersprungen: die globale Gruppe konnte nicht angelegt werden"}
"""Why a step is skipped when the cohort it needs could not be made."""

T = TypeVar("T")
StepPayload = NewCohort | CohortMember | CohortMemberRemoval | UserUpdate


def cohort_idnumber(durchgang: str) -> str:
    return f"{durchgang}-zertifiziert"


Step = Action[Area, Op, StepPayload]
"""A write-back step: the engine's action type (the one provisioning plans too) with write-back's areas, ops
and payloads. `key` is the cohort idnumber or the person's registration id (Moodle idnumber), shown as the
label; `reason` is the detail shown beside it; `moodle_id` the person's account."""


def _step(
    area: Area,
    op: Op,
    key: str,
    detail: str,
    userid: int | None = None,
    payload: StepPayload | None = None,
    needs: tuple[tuple[Area, str], ...] = (),
) -> Step:
    return Step(area, op, key, key, detail, moodle_id=userid, payload=payload, needs=needs)


@dataclass(frozen=True)
class WritebackPlan:
    durchgang: str
    cohort: str
    field_name: str
    steps: tuple[Step, ...]
    problems: tuple[str, ...] = ()
    cohort_id: int | None = None
    """The existing cohort's id (members are removed by id)."""
    site_id: str | None = None
    """The site's identity (`journal.site_identity` of the wwwroot it reports), journaled as provisioning's
    lines are, so the journal tells sites apart the same way for both flows."""

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
    site_id = site_identity(site.get_site_info(client).siteurl)
    field_name = programme.moodle.certificate_field
    cohort = cohorts.find_cohort(client, idnumber)
    title = programme.durchgang(durchgang).title
    new = NewCohort(name=f"Smart City Manager – {title} – zertifiziert", idnumber=idnumber, visible=False)
    steps = [
        _step("cohort", "keep", idnumber, "vorhanden")
        if cohort
        else _step("cohort", "create", idnumber, "fehlt noch", payload=new)
    ]
    needs: tuple[tuple[Area, str], ...] = (("cohort", idnumber),)
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
        if account.id in members:
            steps.append(_step("member", "keep", reg_id, "", account.id))
        else:
            row = CohortMember(cohort_type="idnumber", cohort=idnumber, user_type="id", user=str(account.id))
            steps.append(_step("member", "create", reg_id, "", account.id, row, needs))
        current = account.customfield(field_name)
        if current == number:
            steps.append(_step("field", "keep", reg_id, number, account.id))
        else:
            value = UserUpdate(id=account.id, customfields={field_name: number})
            steps.append(
                _step(
                    "field", "update", reg_id, f"{current or '(leer)'} → {number}", account.id, value, needs
                )
            )
    certified_ids = {account.id for account in accounts.values()}
    stale = sorted(members - certified_ids)
    for account in users.get_users(client, "id", stale) if stale else []:
        key = account.idnumber or f"Nutzer {account.id}"
        if account.idnumber not in owned:
            kept = "nicht aus diesem Ledger, bleibt unverändert"
            steps.append(_step("member", "keep", key, kept, account.id))
            continue
        assert cohort is not None  # stale members exist only in an existing cohort
        gone = CohortMemberRemoval(cohortid=cohort.id, userid=account.id)
        steps.append(_step("member", "remove", key, "kein gültiges Zertifikat mehr", account.id, gone, needs))
        old = account.customfield(field_name)
        if old:
            cleared = UserUpdate(id=account.id, customfields={field_name: ""})
            steps.append(_step("field", "update", key, f"{old} → (leer)", account.id, cleared, needs))
    cohort_id = cohort.id if cohort else None
    return WritebackPlan(durchgang, idnumber, field_name, tuple(steps), tuple(problems), cohort_id, site_id)


def apply_writeback(client: MoodleClient, plan: WritebackPlan, journal: Journal) -> Applied:
    """Carry out the pending steps on the provisioning engine; each outcome goes to the journal as it
    happens. Members and field values are sent only once the cohort exists."""
    base = {"durchgang": plan.durchgang, "site": client.url}
    if plan.site_id:
        base["site_id"] = plan.site_id
    engine: Engine[Step] = Engine(
        client,
        journal,
        base,
        course=plan.cohort,
        needed=NEEDED,
        area_name=lambda area: f"certificate-{area}",
    )
    if plan.cohort_id is not None:
        engine.learn(("cohort", plan.cohort), plan.cohort_id)
    engine.entry(event="certify-start")
    pending = plan.pending
    for step in engine.ready([s for s in pending if s.area == "cohort"]):
        _create_cohort(engine, step)
    adds = engine.ready([s for s in pending if s.area == "member" and s.op == "create"])
    if adds:
        rows = [_row(step, CohortMember) for step in adds]
        userids = [step.moodle_id or 0 for step in adds]
        engine.batch(adds, lambda: cohorts.add_cohort_members(client, rows), userids=userids)
    removals = engine.ready([s for s in pending if s.area == "member" and s.op == "remove"])
    if removals:
        gone = [_row(step, CohortMemberRemoval) for step in removals]
        engine.batch(removals, lambda: cohorts.delete_cohort_members(client, gone))
    fields = engine.ready([s for s in pending if s.area == "field"])
    if fields:
        updates = [_row(step, UserUpdate) for step in fields]
        sent = [dict(update.customfields or {}) for update in updates]
        userids_f: list[int | None] = [update.id for update in updates]
        engine.updates(fields, lambda: users.update_users(client, updates), userids_f, sent)
    applied = Applied(engine.run)
    for outcome in engine.outcomes:
        if outcome.status == "ok":
            applied.done.append(outcome.action)
        else:
            applied.failed.append((outcome.action, outcome.detail))
    engine.entry(event="certify-end", failed=len(applied.failed))
    return applied


def _create_cohort(engine: Engine[Step], step: Step) -> None:
    try:
        result = cohorts.create_cohorts(engine.client, [_row(step, NewCohort)])
    except MoodleError as error:
        engine.done(step, "failed", describe(error))
        return
    refused = failures(result.failures)
    if refused or not result.records:
        engine.done(step, "failed", refused.get(0, "Globale Gruppe nach dem Anlegen nicht gefunden"))
        return
    engine.learn(step.ref, result.records[0].id)
    engine.done(step, "ok")


def _row(step: Step, kind: type[T]) -> T:
    if not isinstance(step.payload, kind):
        raise TypeError(f"{step!r}: Nutzlast {type(step.payload).__name__} statt {kind.__name__}")
    return step.payload
