"""The desired Moodle state of one Durchgang, as plain data: what `lms plan` diffs against the live site.

Pure: programme + admitted registrations in, records out. Everything is keyed on stable identifiers
(course idnumber `SCM-<key>`, cohort idnumber `<key>`, user idnumber = pseudonymous registration id, username
derived from the e-mail), so a re-run finds the same records. Only admitted people appear, never the waiting
list.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scm_lms.intake.admission import Decision
from scm_lms.intake.registrations import Registration
from scm_lms.programme import Programme

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


@dataclass(frozen=True)
class Enrolment:
    username: str
    roleid: int
    timestart: int
    timeend: int


@dataclass(frozen=True)
class Event:
    name: str
    timestart: int
    timeduration: int
    description: str
    eventtype: str = "course"


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
    programme: Programme, key: str, admitted: Sequence[Registration], session_titles: Mapping[int, str]
) -> DesiredState:
    durchgang = programme.durchgang(key)
    plan = programme.schedule(key)
    timestart, timeend = programme.enrolment_period(key)
    fullname = f"{PROGRAMME_NAME} – {durchgang.title}"
    course = Course(
        idnumber=f"SCM-{key}",
        shortname=f"SCM-{key}",
        fullname=fullname,
        category_idnumber=programme.moodle.category,
        template_idnumber=programme.moodle.template_course,
        startdate=timestart,
        enddate=timeend,
        visible=programme.moodle.course_visible,
    )
    users = _users(admitted, programme.moodle.lang)
    events = tuple(
        Event(
            name=_event_name(session.number, session_titles.get(session.number)),
            timestart=session.timestart,
            timeduration=session.duration,
            description=f"Virtueller Vormittag, {session.start:%H:%M}–{session.end:%H:%M} Uhr",
        )
        for session in plan.sessions
    )
    role = programme.moodle.student_role_id
    return DesiredState(
        durchgang=key,
        course=course,
        cohort=Cohort(idnumber=key, name=fullname),
        users=users,
        cohort_members=tuple(user.username for user in users),
        enrolments=tuple(Enrolment(user.username, role, timestart, timeend) for user in users),
        events=events,
    )


def _event_name(number: int, title: str | None) -> str:
    name = f"{PROGRAMME_NAME} – Sitzung {number}"
    return f"{name}: {title}" if title else name


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


def curriculum_session_titles(source: Path | None = None) -> dict[int, str]:
    """Session titles of a course source (default: the built-in curriculum), number → title.

    Read through the course loader, so a title comes from its morning file (`mornings/NN.yaml`) where one
    exists; imported late because provisioning needs the course only for these names.
    """
    from course_package.source import load_course

    return {session.number: session.title for session in load_course(source).sessions}
