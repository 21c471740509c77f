"""The statuses a person can have for one morning, in a module that imports nothing heavy: the command line
offers them as choices, and its `--help` must not load the ledger behind `store`."""

from __future__ import annotations

from typing import Literal

Status = Literal["present", "absent", "excused"]
STATUSES: tuple[Status, ...] = ("present", "absent", "excused")
STATUS_DE: dict[Status, str] = {"present": "anwesend", "absent": "abwesend", "excused": "entschuldigt"}
