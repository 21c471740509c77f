"""The plan: a pure diff of the desired state of a Durchgang against what Moodle holds, as ordered actions.

Like Terraform's plan, it says exactly what `apply` will do and why, and it is computed again by `apply`
against the live site, so it can be shown with no side effects and even with no site at all. Actions come in
dependency order (course, cohort, accounts, cohort members, enrolments, events). People are never deleted:
those no longer admitted are only listed, and suspended or removed from the cohort when pruning was asked
for. The only deletion is of a calendar event this toolkit created (its id is in the journal) for a morning
the programme no longer has; events anyone else made are left alone (see `events_plan`). Records the plan
cannot safely touch (a shortname owned by another course, a registration id and an
e-mail pointing at two different accounts) block their action and are reported as problems.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from scm_lms.moodle.inputs import CohortMemberRemoval, CohortUpdate, NewCohort, UserUpdate
from scm_lms.moodle.models import User
from scm_lms.provision.actions import AREA_DE, Action, Area, Change, Op, Plan, Ref, learner_role
from scm_lms.provision.desired import DesiredState
from scm_lms.provision.desired import User as DesiredUser
from scm_lms.provision.events_plan import plan_events
from scm_lms.provision.journal import SentEnrolment
from scm_lms.provision.ownership import Ownership, refusal_for
from scm_lms.provision.payloads import CourseWork, EnrolmentWork, Membership, Payload, new_account
from scm_lms.provision.plan_text import SECTION_NOTE, diff_fields, enrolment_state, period_text, person_key
from scm_lms.provision.state import CurrentState


def make_plan(
    desired: DesiredState,
    current: CurrentState,
    *,
    prune: bool = False,
    known: Mapping[str, str] | None = None,
    adopt: Collection[str] = (),
    adopt_overwrite: bool = False,
    allowed_auths: Collection[str] = ("manual",),
) -> Plan:
    """`known` maps registration ids of people not in `desired` to why (e.g. "zurückgezogen"); `adopt`
    names the registration ids whose existing, foreign account the admin confirmed may be taken over."""
    builder = _Builder(desired, current, prune, known or {})
    builder.ownership = Ownership(frozenset(adopt), adopt_overwrite, frozenset(allowed_auths))
    builder.course()
    builder.cohort()
    builder.users()
    builder.members()
    builder.enrolments()
    builder.actions.extend(plan_events(desired, current))
    notes = (*desired.notes, *((SECTION_NOTE,) if desired.events else ()))
    actions, accounts, problems = tuple(builder.actions), builder.accounts, tuple(builder.problems)
    return Plan(desired, current, actions, accounts, prune, problems, notes)


class _Builder:
    def __init__(
        self, desired: DesiredState, current: CurrentState, prune: bool, known: Mapping[str, str]
    ) -> None:
        self.desired = desired
        self.current = current
        self.prune = prune
        self.known = known
        self.actions: list[Action] = []
        self.problems: list[str] = []
        self.accounts: dict[str, User] = {}
        self.blocked_users: set[str] = set()
        self.offline = current.site is None
        self.ownership = Ownership()

    def add(self, action: Action) -> None:
        self.actions.append(action)
        if action.op == "blocked":
            self.problems.append(f"{AREA_DE[action.area]} {action.label}: {action.reason}")

    # --- course and cohort ------------------------------------------------------------------------------

    def course(self) -> None:
        want, have = self.desired.course, self.current.course
        key = want.idnumber
        if have is None:
            self._new_course()
            return
        if have.idnumber not in ("", want.idnumber):
            self.add(
                Action(
                    "course",
                    "blocked",
                    key,
                    key,
                    (
                        f"Kurzname {want.shortname} gehört schon Kurs {have.id} mit idnumber "
                        f"{have.idnumber}; dort die idnumber korrigieren oder den Kurs umbenennen"
                    ),
                    moodle_id=have.id,
                )
            )
            return
        changes = diff_fields(
            ("idnumber", have.idnumber, want.idnumber),
            ("fullname", have.fullname, want.fullname),
            ("startdate", have.startdate, want.startdate),
            ("enddate", have.enddate, want.enddate),
            ("visible", have.visible, want.visible),
        )
        if not changes:
            self.add(Action("course", "keep", key, key, "Kurs ist aktuell", moodle_id=have.id))
            return
        reason = "Daten weichen ab"
        if not have.idnumber:
            reason = "Kopie ohne idnumber gefunden (abgebrochener Lauf?) – wird fertig eingerichtet"
        work = CourseWork(want)
        self.add(Action("course", "update", key, key, reason, changes, moodle_id=have.id, payload=work))

    def _new_course(self) -> None:
        want = self.desired.course
        if self.offline:
            reason = f"wird aus Vorlage {want.template_idnumber} kopiert (Website nicht geprüft)"
            self.add(
                Action("course", "create", want.idnumber, want.idnumber, reason, payload=CourseWork(want))
            )
            return
        missing = []
        if self.current.template is None:
            missing.append(
                f"Vorlagenkurs mit idnumber {want.template_idnumber} fehlt in Moodle "
                "(anlegen oder moodle.template_course in der Programmdatei ändern)"
            )
        if self.current.category is None:
            missing.append(
                f"Kursbereich mit idnumber {want.category_idnumber} fehlt in Moodle "
                "(anlegen oder moodle.category in der Programmdatei ändern)"
            )
        if missing or self.current.template is None or self.current.category is None:
            self.add(Action("course", "blocked", want.idnumber, want.idnumber, "; ".join(missing)))
            return
        self.add(
            Action(
                "course",
                "create",
                want.idnumber,
                want.idnumber,
                f"fehlt – wird aus Vorlage {want.template_idnumber} kopiert",
                payload=CourseWork(want, self.current.template.id, self.current.category.id),
            )
        )

    def cohort(self) -> None:
        want, have = self.desired.cohort, self.current.cohort
        if have is None:
            row = NewCohort(name=want.name, idnumber=want.idnumber, visible=want.visible)
            self.add(Action("cohort", "create", want.idnumber, want.idnumber, "fehlt", payload=row))
            return
        changes = diff_fields(("name", have.name, want.name), ("visible", have.visible, want.visible))
        op: Op = "update" if changes else "keep"
        reason = "Daten weichen ab" if changes else "aktuell"
        update = CohortUpdate(id=have.id, name=want.name, idnumber=want.idnumber, visible=want.visible)
        self.add(
            Action(
                "cohort",
                op,
                want.idnumber,
                want.idnumber,
                reason,
                changes,
                moodle_id=have.id,
                payload=update if changes else None,
            )
        )

    # --- people -----------------------------------------------------------------------------------------

    def users(self) -> None:
        for user in self.desired.users:
            by_id = self.current.by_idnumber.get(user.idnumber)
            by_mail = self.current.by_email.get(user.email.lower())
            if by_id is not None and by_mail is not None and by_id.id != by_mail.id:
                self.blocked_users.add(user.username)
                self.add(
                    Action(
                        "user",
                        "blocked",
                        user.idnumber,
                        user.username,
                        (
                            f"Registrierungs-ID gehört Konto {by_id.username}, die E-Mail-Adresse Konto "
                            f"{by_mail.username}; in Moodle eines der Konten bereinigen"
                        ),
                        moodle_id=by_id.id,
                    )
                )
                continue
            account = by_id or by_mail
            taken = self.current.by_username.get(user.username)
            if account is None and taken is not None:
                self.blocked_users.add(user.username)
                reason = (
                    f"Benutzername {user.username} ist schon an ein anderes Konto (ID {taken.id}) vergeben; "
                    "in Moodle das andere Konto umbenennen, oder die E-Mail-Adresse der Anmeldung prüfen"
                )
                self.add(Action("user", "blocked", user.idnumber, user.username, reason, moodle_id=taken.id))
                continue
            if account is None:
                reason = "kein Konto vorhanden"
                row = new_account(user)
                self.add(Action("user", "create", user.idnumber, user.username, reason, payload=row))
                continue
            refusal = refusal_for(
                user, account, self.ownership, self.desired, self.current, owned=by_id is not None
            )
            if refusal:
                self.blocked_users.add(user.username)
                self.add(
                    Action("user", "blocked", user.idnumber, account.username, refusal, moodle_id=account.id)
                )
                continue
            self.accounts[user.idnumber] = account
            self._account(user, account, owned=by_id is not None)

    def _account(self, user: DesiredUser, account: User, *, owned: bool) -> None:
        adopted = not owned or user.idnumber in self.ownership.adopt  # still listed: still not ours to edit
        keep_data = adopted and not self.ownership.overwrite
        checks: list[tuple[str, object, object]] = [("suspended", account.suspended, False)]
        if not keep_data:
            checks = [
                ("firstname", account.firstname, user.firstname),
                ("lastname", account.lastname, user.lastname),
                ("email", account.email.lower(), user.email.lower()),
                ("institution", account.institution, user.institution),
                *checks,
            ]
        changes = list(diff_fields(*checks))
        sent: dict[str, Any] = {name: new for name, old, new in checks if old != new}
        note = ""
        if not account.idnumber or not owned:
            changes.append(Change("idnumber", account.idnumber, user.idnumber))
            sent["idnumber"] = user.idnumber
        found = "über Registrierungs-ID" if owned else "über E-Mail-Adresse, übernommen (--adopt)"
        if changes:
            self.add(
                Action(
                    "user",
                    "update",
                    user.idnumber,
                    account.username,
                    f"Konto {found} gefunden, Daten weichen ab{note}",
                    tuple(changes),
                    account.id,
                    payload=UserUpdate(id=account.id, **sent),
                )
            )
        else:
            self.add(
                Action(
                    "user",
                    "keep",
                    user.idnumber,
                    account.username,
                    f"Konto {found} gefunden{note}",
                    moodle_id=account.id,
                )
            )

    def members(self) -> None:
        wanted_ids: set[int] = set()
        for user in self.desired.users:
            if user.username in self.blocked_users or user.trainer:  # trainers never join the cohort
                continue
            account = self.accounts.get(user.idnumber)
            label = account.username if account else user.username
            if account is not None:
                wanted_ids.add(account.id)
                if account.id in self.current.members:
                    self.add(
                        Action("member", "keep", user.idnumber, label, "schon Mitglied", moodle_id=account.id)
                    )
                    continue
            moodle_id = account.id if account else None
            self.add(
                Action(
                    "member",
                    "create",
                    user.idnumber,
                    label,
                    "noch nicht Mitglied",
                    moodle_id=moodle_id,
                    payload=Membership(self.desired.cohort.idnumber),
                    needs=(("user", user.idnumber),),
                    after=(("cohort", self.desired.cohort.idnumber),),
                )
            )
        names = {user.id: user for user in self.current.enrolled}
        for userid in sorted(self.current.members - wanted_ids):
            person = names.get(userid)
            key, label = person_key(person, userid)
            self._extra("member", key, label, userid, "aus der globalen Gruppe entfernen")

    def enrolments(self) -> None:
        role = learner_role(self.desired)
        students = {
            user.id: user for user in self.current.enrolled if any(r.roleid == role for r in user.roles)
        }
        roles = {user.id: {r.roleid for r in user.roles} for user in self.current.enrolled}
        by_username = {user.username: user for user in self.desired.users}
        wanted_ids: set[int] = set()
        for enrolment in self.desired.enrolments:
            user = by_username[enrolment.username]
            if user.username in self.blocked_users:
                continue
            account = self.accounts.get(user.idnumber)
            label = account.username if account else user.username
            moodle_id = account.id if account else None
            work = EnrolmentWork(enrolment.roleid, enrolment.timestart, enrolment.timeend, False)
            needs: tuple[Ref, ...] = (("course", self.desired.course.idnumber), ("user", user.idnumber))
            if account is None or enrolment.roleid not in roles.get(account.id, set()):
                period = period_text(enrolment.timestart, enrolment.timeend)
                self.add(
                    Action(
                        "enrolment",
                        "create",
                        user.idnumber,
                        label,
                        f"nicht eingeschrieben, {period}",
                        moodle_id=moodle_id,
                        payload=work,
                        needs=needs,
                    )
                )
                continue
            wanted_ids.add(account.id)
            want = SentEnrolment(enrolment.timestart, enrolment.timeend, False)
            sent = self.current.sent_enrolments.get(user.idnumber)
            if sent == want:
                self.add(
                    Action(
                        "enrolment",
                        "keep",
                        user.idnumber,
                        label,
                        "eingeschrieben, Zeitraum aktuell",
                        moodle_id=moodle_id,
                    )
                )
                continue
            before = "unbekannt (Moodle meldet ihn nicht)" if sent is None else enrolment_state(sent)
            self.add(
                Action(
                    "enrolment",
                    "update",
                    user.idnumber,
                    label,
                    "eingeschrieben; Zeitraum und Status werden vollständig neu gesetzt",
                    (Change("zeitraum", before, enrolment_state(want)),),
                    moodle_id,
                    payload=work,
                    needs=needs,
                )
            )
        for userid, person in sorted(students.items()):
            if userid in wanted_ids:
                continue
            key, label = person_key(person, userid)
            sent = self.current.sent_enrolments.get(key)
            if sent is not None and sent.suspend:
                self.add(
                    Action(
                        "enrolment",
                        "keep",
                        key,
                        label,
                        "nicht zugelassen, Einschreibung schon gesperrt",
                        moodle_id=userid,
                    )
                )
                continue
            self._extra("enrolment", key, label, userid, "Einschreibung sperren (Daten und Noten bleiben)")
        self._former_trainers()

    def _former_trainers(self) -> None:
        """Trainer accounts of this toolkit (idnumber T-…) no longer listed: shown, never changed."""
        listed = self.desired.trainer_ids
        for person in self.current.enrolled:
            roles = {role.roleid for role in person.roles}
            if (
                person.idnumber.startswith("T-")
                and person.idnumber not in listed
                and self.desired.trainer_role in roles
            ):
                reason = (
                    "Trainer/in steht nicht mehr in der Programmdatei – bleibt eingeschrieben "
                    "(in Moodle abmelden, falls gewünscht)"
                )
                self.add(
                    Action(
                        "enrolment", "leave", person.idnumber, person.username, reason, moodle_id=person.id
                    )
                )

    def _extra(self, area: Area, key: str, label: str, userid: int, prune_does: str) -> None:
        why = self.known.get(key, "nicht (mehr) zugelassen")
        if key not in self.known:  # not an account of this ledger (#14): never pruned
            reason = "Konto gehört nicht zu diesem Ledger – bleibt, auch mit --prune"
            self.add(Action(area, "leave", key, label, reason, moodle_id=userid))
            return
        if self.prune:
            reason = f"{why} – {prune_does}"
            needs: tuple[Ref, ...] = ()
            payload: Payload
            if area == "member":
                assert self.current.cohort is not None  # extra members exist only in an existing cohort
                payload = CohortMemberRemoval(cohortid=self.current.cohort.id, userid=userid)
            else:  # suspended, never unenrolled: grades and attempts stay
                course = self.desired.course
                payload = EnrolmentWork(
                    learner_role(self.desired), course.startdate, course.enddate, True, userid
                )
                needs = (("course", course.idnumber),)
            self.add(
                Action(area, "prune", key, label, reason, moodle_id=userid, payload=payload, needs=needs)
            )
        else:
            self.add(
                Action(
                    area, "leave", key, label, f"{why} – bleibt; mit --prune: {prune_does}", moodle_id=userid
                )
            )
