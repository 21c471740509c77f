"""Session calendar of a Durchgang: expanding a weekday rule around public holidays, epoch times for Moodle.

Participants come from many federal states, so a morning that is a public holiday in any state listed for
the Durchgang is skipped (a rule) or flagged (explicit dates): nobody should have to choose between the course
and a day off. The same holds for days off that are no public holiday: 24 and 31 December (public employees
are released from work under the public-sector collective agreements) and whatever the programme file adds.
All times are wall-clock times in Europe/Berlin; Moodle wants Unix epochs (`clock`). The sessions placed
here carry their default module; the programme furnishes room and trainers (`model`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import holidays

from scm_lms.programme.clock import BERLIN, WEEKDAY_NAMES_DE, epoch, german_date
from scm_lms.programme.session import Session, default_module

__all__ = [  # the clock helpers and Session are re-exported: many callers import them from here
    "BERLIN",
    "DEFAULT_DAYS_OFF",
    "STATES",
    "WEEKDAYS",
    "WEEKDAY_NAMES_DE",
    "HolidayCalendar",
    "HolidayHit",
    "Schedule",
    "Session",
    "default_days_off",
    "epoch",
    "expand_rule",
    "explicit",
    "german_date",
]

STATES: dict[str, str] = {
    "BB": "Brandenburg",
    "BE": "Berlin",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "HB": "Bremen",
    "HE": "Hessen",
    "HH": "Hamburg",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}
"""The 16 federal states by the subdivision codes the `holidays` library uses."""

WEEKDAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

_MAX_SEARCH_DAYS = 366
"""A rule that cannot place its sessions within a year is a mistake, not a long course."""


DEFAULT_DAYS_OFF = {(12, 24): "Heiligabend", (12, 31): "Silvester"}
"""Month, day → name: released from work under TVöD/TV-L although no public holiday."""


def default_days_off(years: Iterable[int]) -> dict[dt.date, str]:
    return {
        dt.date(year, month, day): name for year in years for (month, day), name in DEFAULT_DAYS_OFF.items()
    }


@dataclass(frozen=True)
class HolidayHit:
    """A date that is a public holiday in at least one of the states considered, or a day off."""

    day: dt.date
    name: str
    states: tuple[str, ...]
    kind: Literal["holiday", "day_off"] = "holiday"

    def reason_de(self, considered: Sequence[str]) -> str:
        if self.kind == "day_off":
            return f"{german_date(self.day)}: {self.name} (dienstfreier Tag)"
        where = (
            "in allen berücksichtigten Ländern"
            if len(self.states) == len(considered)
            else ("in " + ", ".join(self.states))
        )
        return f"{german_date(self.day)}: {self.name} (Feiertag {where})"


@dataclass(frozen=True)
class Schedule:
    sessions: tuple[Session, ...]
    skipped: tuple[HolidayHit, ...]
    """Dates a rule would have used but skipped, with the holiday that caused it."""
    on_holidays: tuple[HolidayHit, ...]
    """Explicitly given dates that are holidays somewhere; kept, but worth a warning."""
    states: tuple[str, ...]

    @property
    def first_day(self) -> dt.date:
        return self.sessions[0].day

    @property
    def last_day(self) -> dt.date:
        return self.sessions[-1].day

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        """First to last morning, as the certificate states and signs it."""
        return self.first_day, self.last_day

    def session(self, number: int) -> Session | None:
        """Morning `number` (1 = the first); None when the Durchgang has no such morning."""
        return self.sessions[number - 1] if 1 <= number <= len(self.sessions) else None


class HolidayCalendar:
    """Public holidays (German names) of several states, looked up by date."""

    def __init__(self, states: Iterable[str]) -> None:
        self.states = tuple(sorted(set(states)))
        unknown = [state for state in self.states if state not in STATES]
        if unknown:
            raise ValueError(f"unbekannte Bundesland-Kürzel {unknown}; erlaubt: {', '.join(STATES)}")
        self._calendars = {
            state: holidays.country_holidays("DE", subdiv=state, language="de") for state in self.states
        }

    def hit(self, day: dt.date) -> HolidayHit | None:
        names: dict[str, list[str]] = {}
        for state, calendar in self._calendars.items():
            name = calendar.get(day)
            if name:
                names.setdefault(str(name), []).append(state)
        if not names:
            return None
        name = "; ".join(names)
        states = sorted({state for found in names.values() for state in found})
        return HolidayHit(day, name, tuple(states))


def expand_rule(
    weekdays: Sequence[str],
    start: dt.time,
    end: dt.time,
    first: dt.date,
    count: int,
    states: Sequence[str],
    days_off: Mapping[dt.date, str] | None = None,
) -> Schedule:
    """The first `count` matching weekdays from `first` on that are a holiday in none of `states` and no day
    off (`days_off` maps dates to their German name; None: 24 and 31 December)."""
    wanted = {WEEKDAYS[name] for name in weekdays}
    calendar = HolidayCalendar(states)
    off = _days_off(days_off, first.year, first.year + 1)
    sessions: list[Session] = []
    skipped: list[HolidayHit] = []
    day = first
    while len(sessions) < count:
        if (day - first).days > _MAX_SEARCH_DAYS:
            since = german_date(first)
            raise ValueError(f"die Regel findet ab {since} keine {count} Termine innerhalb eines Jahres")
        if day.weekday() in wanted:
            hit = calendar.hit(day) or _day_off(day, off)
            if hit is None:
                number = len(sessions) + 1
                sessions.append(Session(number, day, start, end, default_module(number)))
            else:
                skipped.append(hit)
        day += dt.timedelta(days=1)
    return Schedule(tuple(sessions), tuple(skipped), (), calendar.states)


def explicit(
    slots: Sequence[tuple[dt.date, dt.time, dt.time]],
    states: Sequence[str],
    days_off: Mapping[dt.date, str] | None = None,
) -> Schedule:
    """Dates given one by one; holidays and days off among them are reported, not removed (the author chose
    them)."""
    calendar = HolidayCalendar(states)
    sessions = tuple(
        Session(number, day, start, end, default_module(number))
        for number, (day, start, end) in enumerate(slots, 1)
    )
    years = {session.day.year for session in sessions}
    off = _days_off(days_off, *years)
    hits = tuple(
        hit
        for session in sessions
        if (hit := calendar.hit(session.day) or _day_off(session.day, off)) is not None
    )
    return Schedule(sessions, (), hits, calendar.states)


def _days_off(given: Mapping[dt.date, str] | None, *years: int) -> Mapping[dt.date, str]:
    return default_days_off(years) if given is None else given


def _day_off(day: dt.date, days_off: Mapping[dt.date, str]) -> HolidayHit | None:
    name = days_off.get(day)
    return HolidayHit(day, name, (), "day_off") if name is not None else None
