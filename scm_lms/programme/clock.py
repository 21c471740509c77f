"""Berlin wall-clock time for the programme's dates: Unix epochs for Moodle, German dates for people.

Every time in the programme file is a wall-clock time in Europe/Berlin; the epochs are built with zoneinfo so
that daylight-saving changes fall where they belong.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

WEEKDAY_NAMES_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def epoch(day: dt.date, clock: dt.time) -> int:
    """Unix time of a Berlin wall-clock moment (DST-aware)."""
    return int(dt.datetime.combine(day, clock, tzinfo=BERLIN).timestamp())


def german_date(day: dt.date) -> str:
    return day.strftime("%d.%m.%Y")
