"""Cell parsers for participant lists: time stamps, durations and join/leave actions as platforms write them.

Each parser raises ValueError with a German message; the listing adds row and column. Times without a UTC
offset are wall-clock times in Europe/Berlin (the platforms export in the organiser's time zone); a time
without a date ("08:58:12", as some Jitsi tools write it) is placed on the morning given with --session.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from scm_lms.programme.schedule import BERLIN

_DATE_TIME_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M:%S",
    "%d.%m.%Y, %H:%M",
    "%d.%m.%y %H:%M:%S",
    "%d.%m.%y %H:%M",
    "%d.%m.%y, %H:%M:%S",
    "%d.%m.%y, %H:%M",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%Y, %I:%M %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
)
"""German dotted dates are day first; slashed dates are the US order Zoom and Teams write in English."""
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")
_MAX_MINUTES = 24 * 60


@dataclass(frozen=True)
class Moment:
    """A parsed time stamp; `day_given` False for a bare clock time, which needs the morning's date."""

    value: dt.datetime
    day_given: bool


def moment(text: str) -> Moment:
    value = text.strip()
    if not value:
        raise ValueError("leer; Zeitpunkt wie „10.09.2024 08:58:12“ erwartet")
    if len(value) > 40:
        raise ValueError("zu lang für einen Zeitpunkt")
    for pattern in _DATE_TIME_FORMATS:
        try:
            return Moment(dt.datetime.strptime(value, pattern).replace(tzinfo=BERLIN), True)
        except ValueError:
            continue
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=BERLIN)
        return Moment(parsed.astimezone(BERLIN), True)
    for pattern in _TIME_FORMATS:
        try:
            clock = dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return Moment(dt.datetime.combine(dt.date(2000, 1, 1), clock.time(), tzinfo=BERLIN), False)
    raise ValueError(
        f"„{shown(value)}“ ist kein Zeitpunkt; erwartet z. B. „10.09.2024 08:58:12“, "
        "„09/10/2024 08:58:12 AM“ oder „2024-09-10T08:58:12“"
    )


_UNITS = re.compile(
    r"^(?:(?P<h>\d+)\s*(?:h|std\.?|stunden?)\s*)?(?:(?P<m>\d+)\s*(?:m|min\.?|minuten?)\s*)?"
    r"(?:(?P<s>\d+)\s*(?:s|sek\.?|sekunden?)\s*)?$",
    re.IGNORECASE,
)


def minutes(text: str) -> float:
    """Minutes from "238", "238,5", "03:58:12", "3h 58m 12s" or "3 Std. 58 Min."."""
    value = text.strip()
    if not value:
        raise ValueError("leer; Dauer in Minuten erwartet")
    result: float | None = None
    if re.fullmatch(r"\d{1,5}(?:[.,]\d+)?", value):
        result = float(value.replace(",", "."))
    elif re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", value):
        parts = [int(part) for part in value.split(":")]
        hours, mins, secs = [*parts, 0][:3]
        result = hours * 60 + mins + secs / 60
    elif (found := _UNITS.match(value)) and any(found.groupdict().values()):
        hours, mins, secs = (int(found.group(name) or 0) for name in "hms")
        result = hours * 60 + mins + secs / 60
    if result is None:
        raise ValueError(f"„{shown(value)}“ ist keine Dauer; Minuten wie „238“ oder „03:58:12“ erwartet")
    if result > _MAX_MINUTES:
        raise ValueError(f"Dauer {result:.0f} Minuten ist länger als ein Tag")
    return result


_JOINED = {"joined", "joined before", "beigetreten", "beitritt", "vorher beigetreten", "join"}
_LEFT = {"left", "verlassen", "hat verlassen", "austritt", "leave"}


def action(text: str) -> bool:
    """True for a join, False for a leave (Teams' older report: one row per action)."""
    word = " ".join(text.split()).casefold()
    if word in _JOINED:
        return True
    if word in _LEFT:
        return False
    raise ValueError(
        f"„{shown(text)}“ ist weder Beitritt noch Verlassen (Joined/Left, Beigetreten/Verlassen)"
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FORMULA_START = ("=", "+", "-", "@")


def shown(value: str, limit: int = 80) -> str:
    """A cell from an untrusted file made safe to print: no control or direction characters (no terminal
    escape sequences), a leading apostrophe before formula characters, cut to `limit`."""
    text = _CONTROL.sub("�", value).strip()
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text if len(text) <= limit else text[: limit - 1] + "…"
