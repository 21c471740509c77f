"""How plans show times to the admin: Berlin wall clock, German formats."""

from __future__ import annotations

import datetime as dt

from scm_lms.programme.schedule import BERLIN


def when(timestart: int) -> str:
    return dt.datetime.fromtimestamp(timestart, BERLIN).strftime("%d.%m.%Y %H:%M")


def minutes(seconds: int) -> str:
    return f"{seconds // 60} Minuten"
