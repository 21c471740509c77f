"""`ledger erase --moodle`: suspend the Moodle accounts this ledger owns for the erased registrations.

An account is found only by its idnumber being the registration id, never by e-mail: a registration whose
address is someone else's account must not reach that account (#14). The refusal rules of adoption apply
too: the token's own site administrator, an auth plugin not expected, a role other than the learner role in
any course. The account is suspended, not deleted: core_user_delete_users is not in the toolkit's service,
and a suspended account keeps grades an audit may still need; deleting it stays a step for the admin.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from scm_lms.moodle import MoodleClient, UserUpdate, enrolments, site, users
from scm_lms.provision.roles import foreign_roles

StepOp = Literal["suspend", "keep", "blocked", "missing"]


@dataclass(frozen=True)
class AccountStep:
    reg_id: str
    op: StepOp
    reason: str
    userid: int | None = None


def plan_erasure(
    client: MoodleClient,
    reg_ids: Sequence[str],
    allowed_auths: Collection[str] = ("manual",),
    learner_role: int = enrolments.STUDENT_ROLE,
) -> list[AccountStep]:
    """What --moodle would do per registration id, read-only."""
    found = {account.idnumber: account for account in users.get_users(client, "idnumber", list(reg_ids))}
    info = site.get_site_info(client)
    admins = {info.userid} if info.userissiteadmin else set()
    candidates = {account.id for account in found.values()} - admins
    roles = foreign_roles(client, candidates, learner_role, info.siteid)
    steps = []
    for reg_id in reg_ids:
        account = found.get(reg_id)
        if account is None:
            steps.append(AccountStep(reg_id, "missing", "kein Moodle-Konto mit dieser Anmeldenummer"))
            continue
        name = account.username
        if account.id in admins:
            why = f"Konto {name} ist Website-Administrator – bleibt unverändert"
        elif account.auth and account.auth not in allowed_auths:
            why = f"Konto {name} meldet sich über „{account.auth}“ an – bleibt unverändert"
        elif account.id in roles:
            why = f"Konto {name} hat eine andere Rolle als Teilnehmer/in in: {', '.join(roles[account.id])}"
        elif account.suspended:
            steps.append(AccountStep(reg_id, "keep", f"Konto {name} ist schon gesperrt", account.id))
            continue
        else:
            steps.append(AccountStep(reg_id, "suspend", f"Konto {name} wird gesperrt", account.id))
            continue
        steps.append(AccountStep(reg_id, "blocked", why, account.id))
    return steps


def apply_erasure(client: MoodleClient, steps: Sequence[AccountStep]) -> list[str]:
    """Suspend the accounts of the `suspend` steps; German problems, empty when all went through."""
    chosen = [step for step in steps if step.op == "suspend" and step.userid is not None]
    if not chosen:
        return []
    result = users.update_users(client, [UserUpdate(id=s.userid or 0, suspended=True) for s in chosen])
    problems = [f"{chosen[f.index].reg_id}: {f.error.detail} – {f.error.advice}" for f in result.failures]
    return problems + [f"Moodle-Warnung {w.warningcode}: {w.message}" for w in result.warnings]
