"""Counting a person's mornings: what certification, `attendance show` and the report agree on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scm_lms.attendance.store import Mark


@dataclass(frozen=True)
class Tally:
    present: int
    excused: int
    absent: int
    sessions: int
    """Mornings of the Durchgang (ten)."""

    def attended(self, excused_counts: bool) -> int:
        """Mornings that count towards `certification.min_sessions`."""
        return self.present + (self.excused if excused_counts else 0)

    @property
    def open(self) -> int:
        """Mornings without any mark yet."""
        return self.sessions - self.present - self.excused - self.absent


def tallies(marks: Mapping[tuple[int, str], Mark], reg_ids: Iterable[str], sessions: int) -> dict[str, Tally]:
    counts: dict[str, dict[str, int]] = {
        reg_id: {"present": 0, "excused": 0, "absent": 0} for reg_id in reg_ids
    }
    for (session, reg_id), mark in marks.items():
        if reg_id in counts and 1 <= session <= sessions:
            counts[reg_id][mark.status] += 1
    return {
        reg_id: Tally(count["present"], count["excused"], count["absent"], sessions)
        for reg_id, count in counts.items()
    }


def shortfall_de(attended: int, sessions: int, minimum: int) -> str:
    """The certification reason, e.g. "Vormittage: 7 von 10, mindestens 8 nötig"."""
    return f"Vormittage: {attended} von {sessions}, mindestens {minimum} nötig"
