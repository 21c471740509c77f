"""Whose account the plan may touch (#14): the admin's confirmations, and why an account is refused.

An account found by registration id is this ledger's own; one found only by e-mail belongs to someone else
until the admin confirms it (`--adopt`), and even then never when it is an administrator's, holds another
role somewhere, is suspended or signs in another way.
"""

from __future__ import annotations

from dataclasses import dataclass

from scm_lms.moodle.models import User
from scm_lms.provision.desired import DesiredState
from scm_lms.provision.desired import User as DesiredUser
from scm_lms.provision.state import CurrentState


@dataclass(frozen=True)
class Ownership:
    """What the admin confirmed: which foreign accounts may be adopted, and whether to overwrite data."""

    adopt: frozenset[str] = frozenset()
    overwrite: bool = False
    allowed_auths: frozenset[str] = frozenset({"manual"})


def refusal_for(
    user: DesiredUser,
    account: User,
    ownership: Ownership,
    desired: DesiredState,
    current: CurrentState,
    *,
    owned: bool,
) -> str:
    """Why `account` must not be touched for `user`, or "" when it may."""
    adopted = user.idnumber in ownership.adopt
    if not owned and not adopted:
        held = f"idnumber {account.idnumber}" if account.idnumber else "keine idnumber"
        return (
            f"E-Mail-Adresse gehört dem vorhandenen Konto {account.username} ({held}), das nicht von "
            f"diesem Ledger angelegt wurde; nur übernehmen, wenn es sicher dieser Person gehört: "
            f"„lms apply --adopt {user.idnumber}“ oder adopt: [{user.idnumber}] in der Programmdatei "
            "(Namen und E-Mail bleiben, außer mit --adopt-overwrite)"
        )
    if owned and not adopted:
        return ""
    if account.id in current.admin_ids:
        return f"Konto {account.username} ist Website-Administrator – wird nie übernommen"
    elsewhere = current.foreign_roles.get(account.id)
    if elsewhere:
        return (
            f"Konto {account.username} hat eine andere Rolle als Teilnehmer/in (z. B. Trainer/in) in: "
            f"{', '.join(elsewhere)} – wird nie übernommen"
        )
    if account.suspended:
        return f"Konto {account.username} ist in Moodle gesperrt – erst dort klären, dann erneut planen"
    if account.auth and account.auth not in ownership.allowed_auths:
        return (
            f"Konto {account.username} meldet sich über „{account.auth}“ an, erwartet ist "
            f"{', '.join(sorted(ownership.allowed_auths))} – wird nicht übernommen"
        )
    role = desired.trainer_role if user.trainer else desired.student_role
    expected = "Trainer/in" if user.trainer else "Teilnehmer/in"
    for enrolled in current.enrolled:
        if enrolled.id == account.id and any(r.roleid != role for r in enrolled.roles):
            return (
                f"Konto {account.username} hat im Kurs eine andere Rolle als {expected} – "
                "wird nicht übernommen"
            )
    return ""
