"""The desired Moodle state of one Durchgang, as plain data: what `lms plan` diffs against the live site.

Pure: programme + admitted registrations in, records out. Everything is keyed on stable identifiers
(course idnumber `SCM-<key>`, cohort idnumber `<key>`, user idnumber = pseudonymous registration id, username
derived from the e-mail, event key `SCM-<key>/V<n>`), so a re-run finds the same records. Only admitted
people appear, never the waiting list. Trainers get accounts and a course role too, with an idnumber `T-…`
derived from their e-mail, but never join the participants' cohort; someone listed as trainer is never a
participant of the same Durchgang, so certification and attendance can tell them apart by e-mail.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from course_package.model import Course as CourseSource
from scm_lms.intake.admission import Decision
from scm_lms.intake.registrations import Registration
from scm_lms.moodle.enrolments import STUDENT_ROLE
from scm_lms.programme import Programme, course_idnumber
from scm_lms.programme.entries import Trainer
from scm_lms.programme.mornings import mornings
from scm_lms.programme.session import Session
from scm_lms.provision.event_text import event_description, event_name

PROGRAMME_NAME = "Smart City Manager"
USERNAME_MAX = 100
"""Moodle's user.username column length."""

_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Course:
    idnumber: str
    shortname: str
    fullname: str
    category_idnumber: str
    template_idnumber: str
    """The course to copy (core_course_duplicate_course) when this one does not exist yet."""
    startdate: int
    enddate: int
    visible: bool


@dataclass(frozen=True)
class Cohort:
    idnumber: str
    name: str
    visible: bool = True


@dataclass(frozen=True)
class User:
    username: str
    idnumber: str
    firstname: str
    lastname: str
    email: str
    institution: str
    auth: str = "manual"
    lang: str = "de"
    trainer: bool = False
    """A trainer: enrolled with the trainer role, never in the cohort, never certified."""


@dataclass(frozen=True)
class Enrolment:
    username: str
    roleid: int
    timestart: int
    timeend: int


@dataclass(frozen=True)
class Event:
    key: str
    """Stable across changes of date, room or title: `SCM-<Durchgang>/V<n>`, recorded with the event id."""
    number: int
    name: str
    timestart: int
    timeduration: int
    description: str
    eventtype: str = "course"
    room: str = ""
    """The join link inside `description`, kept apart so that a plan can show the old and the new one."""


@dataclass(frozen=True)
class DesiredState:
    durchgang: str
    course: Course
    cohort: Cohort
    users: tuple[User, ...]
    cohort_members: tuple[str, ...]
    """Usernames: core_cohort_add_cohort_members matches users by username or id only."""
    enrolments: tuple[Enrolment, ...]
    events: tuple[Event, ...]
    student_role: int = STUDENT_ROLE
    trainer_role: int = 4
    notes: tuple[str, ...] = ()
    """What the admin should know about this state (shown with the plan)."""

    @property
    def participants(self) -> tuple[User, ...]:
        return tuple(user for user in self.users if not user.trainer)

    @property
    def trainer_ids(self) -> frozenset[str]:
        return frozenset(user.idnumber for user in self.users if user.trainer)


def admitted_to(
    key: str, registrations: Sequence[Registration], decisions: Mapping[str, Decision]
) -> list[Registration]:
    """The registrations admitted to `key`, in seat order."""
    chosen = [
        (decision.seat or 0, registration)
        for registration in registrations
        if (decision := decisions.get(registration.reg_id)) is not None
        and decision.status == "admitted"
        and decision.durchgang == key
    ]
    return [registration for _, registration in sorted(chosen, key=lambda item: (item[0], item[1].reg_id))]


def desired_state(
    programme: Programme,
    key: str,
    admitted: Sequence[Registration],
    course_source: CourseSource | None = None,
) -> DesiredState:
    """`course_source` gives the mornings' titles (and agendas); without it the events name no title."""
    durchgang = programme.durchgang(key)
    timestart, timeend = programme.enrolment_period(key)
    fullname = f"{PROGRAMME_NAME} – {durchgang.title}"
    course = Course(
        idnumber=course_idnumber(key),
        shortname=course_idnumber(key),
        fullname=fullname,
        category_idnumber=programme.moodle.category,
        template_idnumber=programme.moodle.template_course,
        startdate=timestart,
        enddate=timeend,
        visible=programme.moodle.course_visible,
    )
    trainer_mails = durchgang.trainer_emails()
    participants = [r for r in admitted if r.email.strip().lower() not in trainer_mails]
    notes = tuple(
        f"Anmeldung {r.reg_id} ist zugleich unter trainers eingetragen – zählt nur als Trainer/in "
        "(kein Platz in der globalen Gruppe, kein Zertifikat)"
        for r in admitted
        if r.email.strip().lower() in trainer_mails
    )
    users = _users(participants, programme.moodle.lang)
    trainers = _trainers(durchgang.trainers, programme.moodle.lang, {user.username for user in users})
    events = tuple(_event(course.idnumber, session) for session in mornings(programme, key, course_source))
    role, trainer_role = programme.moodle.student_role_id, programme.moodle.trainer_role_id
    return DesiredState(
        durchgang=key,
        course=course,
        cohort=Cohort(idnumber=key, name=fullname),
        users=users + trainers,
        cohort_members=tuple(user.username for user in users),
        enrolments=tuple(Enrolment(user.username, role, timestart, timeend) for user in users)
        + tuple(Enrolment(user.username, trainer_role, timestart, timeend) for user in trainers),
        events=events,
        student_role=role,
        trainer_role=trainer_role,
        notes=notes,
    )


def event_key(course_idnumber: str, number: int) -> str:
    return f"{course_idnumber}/V{number}"


def _event(course_idnumber: str, session: Session) -> Event:
    return Event(
        key=event_key(course_idnumber, session.number),
        number=session.number,
        name=event_name(session),
        timestart=session.timestart,
        timeduration=session.duration,
        description=event_description(session),
        room=session.room,
    )


def trainer_idnumber(email: str) -> str:
    """Pseudonymous and stable: the same trainer keeps the same account across Durchgänge."""
    digest = hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()[:10].upper()
    return f"T-{digest}"


def _trainers(trainers: Sequence[Trainer], lang: str, taken: set[str]) -> tuple[User, ...]:
    result: list[User] = []
    for trainer in trainers:
        username = unique_username(username_for(trainer.email), taken)
        taken.add(username)
        first, _, last = trainer.name.strip().rpartition(" ")
        result.append(
            User(
                username=username,
                idnumber=trainer_idnumber(trainer.email),
                firstname=first or last,
                lastname=last,
                email=trainer.email,
                institution=trainer.organisation,
                lang=lang,
                trainer=True,
            )
        )
    return tuple(result)


def _users(admitted: Sequence[Registration], lang: str) -> tuple[User, ...]:
    users: list[User] = []
    taken: set[str] = set()
    for registration in sorted(admitted, key=lambda item: item.reg_id):
        if not registration.reg_id:
            raise ValueError(
                f"{registration.email}: Anmeldung ohne Registrierungs-ID (erst ins Ledger eintragen)"
            )
        username = unique_username(username_for(registration.email), taken)
        taken.add(username)
        users.append(
            User(
                username=username,
                idnumber=registration.reg_id,
                firstname=registration.first_name,
                lastname=registration.last_name,
                email=registration.email,
                institution=registration.municipality,
                lang=lang,
            )
        )
    return tuple(users)


def username_for(email: str) -> str:
    """PARAM_USERNAME allows only lower-case a-z 0-9 - . _ @ ; anything else makes the whole batch fail."""
    text = unicodedata.normalize("NFKD", email.strip().lower().translate(_TRANSLITERATE))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^a-z0-9_.@-]", "-", text)
    if len(text) > USERNAME_MAX:
        digest = hashlib.sha256(text.encode()).hexdigest()[:10]
        text = f"{text[: USERNAME_MAX - 11]}-{digest}"
    return text


def unique_username(candidate: str, taken: set[str]) -> str:
    """Add -2, -3 … before the @ when two addresses map to the same username (e.g. a+b@ and a-b@)."""
    if candidate not in taken:
        return candidate
    local, at, domain = candidate.partition("@")
    number = 2
    while f"{local}-{number}{at}{domain}" in taken:
        number += 1
    return f"{local}-{number}{at}{domain}"
