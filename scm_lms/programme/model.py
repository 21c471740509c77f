"""The programme file (`programme.yaml`): a year of Durchgänge with seats, deadlines, sessions and Moodle.

It is the admin's single source of truth: admission reads seats and deadlines from it, the desired Moodle
state reads dates, category and role from it, certification reads the pass marks. Errors name file:line and
the field, in German, because the admin who edits the file reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from scm_base.errors import ToolkitError
from scm_lms.programme import schedule
from scm_lms.programme.entries import EMAIL, Strict, Trainer
from scm_lms.programme.schedule import STATES, Schedule
from scm_lms.programme.session import Session

SESSIONS_PER_DURCHGANG = 10
"""The programme is ten virtual mornings; the course curriculum defines ten sessions."""

MODULES = (1, 2, 3, 4, 5)

DURCHGANG_KEY = r"^\d{4}-D\d{1,2}$"
IDNUMBER = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"
REG_ID = r"^[RT]-[0-9A-F]{10}$"
"""A registration id as the ledger derives it (see scm_lms.ledger), or a trainer's id T-… (see `lms plan`)."""
AUTH_PLUGIN = r"^[a-z][a-z0-9_]{0,49}$"

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
NonEmpty = Annotated[str, Field(min_length=1)]


class ProgrammeError(ToolkitError, ValueError):
    """The programme file is unusable; `problems` are "file:line: field: message" lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = problems


class UnknownDurchgang(ProgrammeError):
    """A Durchgang key given on the command line that the programme file does not list."""


def course_idnumber(key: str) -> str:
    """The idnumber (and shortname) of Durchgang `key`'s Moodle course: how every step finds that course."""
    return f"SCM-{key}"


JOIN_URL = r"^https://[^\s]+$"
"""A video room's join link (BigBlueButton, OpenTalk, Jitsi, Webex, Zoom, Teams …): any https URL."""

TrainerRef = Annotated[str, Field(min_length=1, max_length=120)]
"""A trainer named in a session: the e-mail address or the name as listed under `trainers:`."""


class MorningDetails(Strict):
    """What a morning needs besides its date: its module, a room other than the default, other trainers.
    As written in the file; `Durchgang.furnished` applies it to the placed `Session`."""

    module: Annotated[int, Field(ge=1, le=5)] | None = None
    """None: mornings 1–2 belong to module 1, 3–4 to module 2 … 9–10 to module 5."""
    room: Annotated[str, Field(pattern=JOIN_URL)] | None = None
    """Join link for this morning only; None: the Durchgang's `video_room`."""
    trainers: list[TrainerRef] | None = None
    """Who leads this morning; None: the trainers whose `modules` include the morning's module."""


class SessionSlot(MorningDetails):
    """A dated morning as written under `sessions:`; the schedule turns it into the office's `Session`."""

    date: dt.date
    start: dt.time
    end: dt.time

    @model_validator(mode="after")
    def _ordered(self) -> SessionSlot:
        if self.end <= self.start:
            raise ValueError(f"Ende {self.end:%H:%M} liegt nicht nach Beginn {self.start:%H:%M}")
        return self


class Rule(Strict):
    """E.g. Tuesdays and Thursdays 09:00–13:00 from 10 Sep, ten times, skipping public holidays."""

    weekdays: Annotated[list[Weekday], Field(min_length=1)]
    start: dt.time
    end: dt.time
    first: dt.date = Field(alias="from")
    count: int = SESSIONS_PER_DURCHGANG

    @model_validator(mode="after")
    def _check(self) -> Rule:
        if self.end <= self.start:
            raise ValueError(f"Ende {self.end:%H:%M} liegt nicht nach Beginn {self.start:%H:%M}")
        if self.count != SESSIONS_PER_DURCHGANG:
            raise ValueError(f"count muss {SESSIONS_PER_DURCHGANG} sein (zehn virtuelle Vormittage)")
        return self


class Enrolment(Strict):
    """Enrolment period; open ends default to first session − 7 days and last session + 28 days."""

    start: dt.date | None = None
    end: dt.date | None = None


class Durchgang(Strict):
    key: Annotated[str, Field(pattern=DURCHGANG_KEY)]
    title: NonEmpty
    seats: Annotated[int, Field(ge=1, le=1000)]
    registration_deadline: dt.date
    sessions: list[SessionSlot] | None = None
    rule: Rule | None = None
    holiday_states: list[str] | None = None
    """Overrides the programme's list for this Durchgang."""
    enrolment: Enrolment = Enrolment()
    adopt: list[Annotated[str, Field(pattern=REG_ID)]] = Field(default_factory=list)
    """Registration ids whose existing, foreign Moodle account the admin confirmed for this Durchgang."""
    trainers: list[Trainer] = Field(default_factory=list)
    video_room: Annotated[str, Field(pattern=JOIN_URL)] | None = None
    """The default join link for all mornings of this Durchgang."""
    mornings: dict[Annotated[int, Field(ge=1, le=SESSIONS_PER_DURCHGANG)], MorningDetails] = Field(
        default_factory=dict
    )
    """Per morning number (1–10) of a `rule`: module, room, trainers (`sessions:` carry them on the date)."""
    days_off: list[dt.date] = Field(default_factory=list)
    """Further dates without a morning for this Durchgang, in addition to the programme's `days_off`."""

    def trainer_emails(self) -> frozenset[str]:
        """Lower-cased, for matching attendance lists and keeping trainers out of participant flows."""
        return frozenset(trainer.email.lower() for trainer in self.trainers)

    def details(self, number: int) -> MorningDetails:
        """The per-morning settings of morning `number` (1–10), from its date or from `mornings`."""
        if self.sessions is not None:
            return self.sessions[number - 1]
        return self.mornings.get(number, MorningDetails())

    def furnished(self, session: Session) -> Session:
        """The placed session with what the file says about it: its module, video room and trainers."""
        details = self.details(session.number)
        module = details.module or session.module
        if details.trainers is not None:
            found = [self.find_trainer(ref) for ref in details.trainers]
            unique = {trainer.email.casefold(): trainer for trainer in found if trainer is not None}
            trainers = tuple(unique.values())
        else:
            trainers = tuple(t for t in self.trainers if not t.modules or module in t.modules)
        room = details.room or self.video_room or ""
        return replace(session, module=module, room=room, trainers=trainers)

    def find_trainer(self, ref: str) -> Trainer | None:
        """The trainer a session names, by e-mail (any case) or by exact name; None when unknown."""
        wanted = ref.strip().casefold()
        for trainer in self.trainers:
            if wanted in (trainer.email.casefold(), trainer.name.casefold()):
                return trainer
        return None

    @model_validator(mode="after")
    def _one_schedule(self) -> Durchgang:
        if (self.sessions is None) == (self.rule is None):
            raise ValueError("genau eines von 'sessions' (zehn Termine) oder 'rule' (Regel) angeben")
        if self.sessions is not None and self.mornings:
            raise ValueError(
                "'mornings' gilt nur für eine 'rule'; bei 'sessions' module/room/trainers am Termin angeben"
            )
        if self.sessions is not None:
            if len(self.sessions) != SESSIONS_PER_DURCHGANG:
                found = len(self.sessions)
                raise ValueError(f"'sessions' hat {found} Termine, erwartet {SESSIONS_PER_DURCHGANG}")
            days = [slot.date for slot in self.sessions]
            if days != sorted(set(days)):
                raise ValueError("die Termine in 'sessions' müssen aufsteigend und verschieden sein")
        earliest = (
            self.rule.first if self.rule is not None else self.sessions[0].date if self.sessions else None
        )
        if earliest is not None and self.registration_deadline >= earliest:
            raise ValueError(
                f"Anmeldeschluss {self.registration_deadline} liegt nicht vor dem ersten Termin {earliest}"
            )
        start, end = self.enrolment.start, self.enrolment.end
        if start and end and end < start:
            raise ValueError(f"enrolment: Ende {end} liegt vor Beginn {start}")
        return self


class Moodle(Strict):
    template_course: Annotated[str, Field(pattern=IDNUMBER)] = "SCM-TEMPLATE"
    """idnumber of the course every Durchgang's course is copied from."""
    category: Annotated[str, Field(pattern=IDNUMBER)]
    """idnumber of the Moodle course category."""
    student_role_id: Annotated[int, Field(ge=1)] = 5
    trainer_role_id: Annotated[int, Field(ge=1)] = 4
    """Role of the trainers in the Durchgang course; 4 is the non-editing teacher of a default site."""
    course_visible: bool = True
    certificate_field: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,99}$")] = "scm_certificate"
    """Shortname of the custom user profile field that receives the certificate code."""
    lang: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,29}$")] = "de"
    """Moodle language code of the accounts the toolkit creates; its language pack must be installed."""
    allowed_auths: Annotated[list[Annotated[str, Field(pattern=AUTH_PLUGIN)]], Field(min_length=1)] = Field(
        default_factory=lambda: ["manual"]
    )
    """Authentication plugins an adopted account may use; any other (e.g. ldap, oauth2) is refused."""


class Signatory(Strict):
    """A signature line under the certificate: who signs and in which function."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    function: Annotated[str, Field(min_length=1, max_length=80)]


class Certification(Strict):
    pass_marks: dict[int, Annotated[int, Field(ge=0, le=100)]] = Field(default_factory=dict)
    """Per module (1–5) in percent; modules not listed use 80."""
    require_completion: bool = True
    grade_items: dict[int, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    """Module → Moodle course-module id (cmid), for grade items without the idnumber SCM-M<n>."""
    verify_url: Annotated[str, Field(pattern=r"^(https://\S+)?$")] = ""
    """Public verification page; the certificate's QR code holds it with ?code=<number>."""
    logo: str = ""
    """Issuer's logo (PNG or JPEG) for the certificate, relative to the programme file."""
    signatories: Annotated[list[Signatory], Field(max_length=2)] = Field(default_factory=list)
    """Up to two signature lines (name, function) on the certificate."""
    min_sessions: Annotated[int, Field(ge=0, le=SESSIONS_PER_DURCHGANG)] = 8
    """Mornings someone must have attended (of ten) to pass."""
    min_presence: Annotated[float, Field(ge=0.0, le=1.0)] = 0.75
    """Share of a morning someone must be in the video room for it to count as attended."""
    excused_counts: bool = False
    """Whether an excused absence counts towards `min_sessions`."""

    @field_validator("pass_marks")
    @classmethod
    def _known_modules(cls, marks: dict[int, int]) -> dict[int, int]:
        unknown = sorted(set(marks) - set(MODULES))
        if unknown:
            raise ValueError(f"unbekannte Module {unknown}; es gibt die Module 1–5")
        return {module: marks.get(module, 80) for module in MODULES}

    @field_validator("grade_items")
    @classmethod
    def _known_items(cls, items: dict[int, int]) -> dict[int, int]:
        unknown = sorted(set(items) - set(MODULES))
        if unknown:
            raise ValueError(f"unbekannte Module {unknown}; es gibt die Module 1–5")
        if len(set(items.values())) != len(items):
            raise ValueError("jede cmid darf nur einem Modul zugeordnet sein")
        return items

    def pass_mark(self, module: int) -> int:
        return self.pass_marks.get(module, 80)


class Programme(Strict):
    year: Annotated[int, Field(ge=2000, le=2100)]
    issuer: NonEmpty
    """The issuing body named on certificates and in mails."""
    contact_email: Annotated[str, Field(pattern=EMAIL)]
    """Sender and reply address of the programme office for every mail to participants."""
    holiday_states: list[str] | Literal["all"] = "all"
    moodle: Moodle
    certification: Certification = Certification()
    durchgaenge: Annotated[list[Durchgang], Field(min_length=1)]
    adopt: list[Annotated[str, Field(pattern=REG_ID)]] = Field(default_factory=list)
    """Registration ids whose existing, foreign Moodle account the admin confirmed (every Durchgang)."""
    days_off: list[dt.date] = Field(default_factory=list)
    """Dates without a morning in every Durchgang (e.g. a Brückentag), besides public holidays."""
    skip_dec_24_31: bool = True
    """24 and 31 December are days off for public employees (TVöD/TV-L) and get no morning."""
    _source: Path | None = PrivateAttr(default=None)
    """The file it was loaded from (set by `load_programme`), named in errors about unknown Durchgänge."""

    @field_validator("holiday_states")
    @classmethod
    def _states(cls, value: list[str] | str) -> list[str] | str:
        return _check_states(value)

    @model_validator(mode="after")
    def _check(self) -> Programme:
        keys = [durchgang.key for durchgang in self.durchgaenge]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"Durchgang '{key}' ist doppelt")
            if not key.startswith(f"{self.year}-"):
                raise ValueError(f"Durchgang '{key}' passt nicht zum Jahr {self.year}")
        for durchgang in self.durchgaenge:
            if durchgang.holiday_states is not None:
                _check_states(durchgang.holiday_states)
            self.schedule(durchgang.key)  # surfaces rules that cannot be placed
        return self

    def require_durchgang(self, key: str) -> Durchgang:
        """The Durchgang `key`; for a key the admin typed that the file does not list, the one German error
        (naming the file and the keys it does list), before anything is read or written."""
        for durchgang in self.durchgaenge:
            if durchgang.key == key:
                return durchgang
        where = f"{self._source}: " if self._source is not None else ""
        raise UnknownDurchgang(
            [f"{where}Durchgang {key!r} steht nicht in der Programmdatei (vorhanden: {', '.join(self.keys)})"]
        )

    def durchgang(self, key: str) -> Durchgang:
        """As `require_durchgang`; the name for code whose key was checked already."""
        return self.require_durchgang(key)

    def from_file(self, path: Path) -> Programme:
        """Remember where the programme was read, so errors about it can name the file."""
        self._source = path
        return self

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(durchgang.key for durchgang in self.durchgaenge)

    def adopted(self, key: str) -> tuple[str, ...]:
        """The confirmed adoptions for Durchgang `key`: the programme's list plus the Durchgang's own."""
        return tuple(dict.fromkeys([*self.adopt, *self.durchgang(key).adopt]))

    def states_for(self, durchgang: Durchgang) -> list[str]:
        chosen = durchgang.holiday_states if durchgang.holiday_states is not None else self.holiday_states
        return list(STATES) if chosen == "all" else list(chosen)

    def schedule(self, key: str) -> Schedule:
        """The dates of Durchgang `key` with its furnished sessions (module, room, trainers; no titles: those
        come from the course source, see `mornings`)."""
        self.require_durchgang(key)
        return self.schedules[key]

    @cached_property
    def schedules(self) -> dict[str, Schedule]:
        result: dict[str, Schedule] = {}
        for durchgang in self.durchgaenge:
            states = self.states_for(durchgang)
            off = self.days_off_for(durchgang)
            if durchgang.rule is not None:
                rule = durchgang.rule
                placed = schedule.expand_rule(
                    rule.weekdays, rule.start, rule.end, rule.first, rule.count, states, off
                )
            else:
                slots = [(slot.date, slot.start, slot.end) for slot in durchgang.sessions or []]
                placed = schedule.explicit(slots, states, off)
            sessions = tuple(durchgang.furnished(session) for session in placed.sessions)
            result[durchgang.key] = replace(placed, sessions=sessions)
        return result

    def days_off_for(self, durchgang: Durchgang) -> dict[dt.date, str]:
        """Date → German name of every day without a morning that is no public holiday."""
        years = range(self.year - 1, self.year + 2)
        found = schedule.default_days_off(years) if self.skip_dec_24_31 else {}
        found.update(dict.fromkeys(self.days_off, "dienstfrei laut Programmdatei"))
        found.update(dict.fromkeys(durchgang.days_off, f"dienstfrei im {durchgang.key} laut Programmdatei"))
        return found

    def enrolment_period(self, key: str) -> tuple[int, int]:
        """(timestart, timeend) epochs: from the start of the first day to the end of the last day."""
        durchgang = self.durchgang(key)
        plan = self.schedule(key)
        start = durchgang.enrolment.start or plan.first_day - dt.timedelta(days=7)
        end = durchgang.enrolment.end or plan.last_day + dt.timedelta(days=28)
        return schedule.epoch(start, dt.time(0, 0)), schedule.epoch(end, dt.time(23, 59, 59))

    def deadline(self, key: str) -> dt.datetime:
        """Registrations up to the end of the deadline day (Berlin time) count."""
        day = self.durchgang(key).registration_deadline
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=schedule.BERLIN)


def _check_states(value: list[str] | str) -> list[str] | str:
    if value == "all":
        return value
    unknown = [state for state in value if state not in STATES]
    if unknown:
        raise ValueError(f"unbekannte Bundesländer {unknown}; erlaubt sind 'all' oder {', '.join(STATES)}")
    return value
