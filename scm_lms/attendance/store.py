"""Attendance in the ledger file: appended events, the latest per (Durchgang, morning, person) counts.

An import never overwrites a correction made by hand (`attendance set`): the office's word on an excused
absence outranks a platform list. Every write is one transaction, so an import lands completely or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from scm_lms.attendance.status import STATUS_DE as STATUS_DE
from scm_lms.attendance.status import STATUSES as STATUSES
from scm_lms.attendance.status import Status as Status
from scm_lms.ledger.ledger import Ledger
from scm_lms.ledger.sqlite import LedgerError, utc_now

Source = Literal["import", "manual"]
SOURCE_DE: dict[Source, str] = {"import": "Import", "manual": "von Hand"}


@dataclass(frozen=True)
class Mark:
    session: int
    reg_id: str
    status: Status
    source: Source
    minutes: int | None
    note: str
    at: dt.datetime


@dataclass(frozen=True)
class ImportRecord:
    durchgang: str
    session: int
    file_name: str
    sha256: str
    rows: int
    matched: int
    unmatched: int
    skipped: int


_COLUMNS = "session, reg_id, status, source, minutes, note, at"


def _mark(row: tuple[object, ...]) -> Mark:
    session, reg_id, status, source, minutes, note, at = row
    if status not in STATUS_DE or source not in SOURCE_DE:
        raise LedgerError(f"unbekannter Anwesenheitseintrag {status!r}/{source!r} im Ledger")
    return Mark(
        int(cast(int, session)),
        str(reg_id),
        status,
        source,
        minutes if isinstance(minutes, int) else None,
        str(note),
        dt.datetime.fromisoformat(str(at)),
    )


class AttendanceLedger(Ledger):
    """The ledger with the attendance tables' reads and writes; open with `AttendanceLedger.open(path)`."""

    def marks(self, durchgang: str) -> dict[tuple[int, str], Mark]:
        """(morning, registration id) → the current mark (latest event)."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM attendance_events WHERE seq IN (SELECT MAX(seq) FROM attendance_events "
            "WHERE durchgang = ? GROUP BY session, reg_id)",
            (durchgang,),
        ).fetchall()
        return {(mark.session, mark.reg_id): mark for mark in map(_mark, rows)}

    def attendance_history(self, durchgang: str, reg_id: str | None = None) -> list[Mark]:
        """Every event, oldest first; of one person when `reg_id` is given."""
        sql = f"SELECT {_COLUMNS} FROM attendance_events WHERE durchgang = ?"
        args: tuple[str, ...] = (durchgang,)
        if reg_id is not None:
            sql, args = sql + " AND reg_id = ?", (durchgang, reg_id)
        return [_mark(row) for row in self._db.execute(sql + " ORDER BY seq", args)]

    def imports(self, durchgang: str) -> list[tuple[str, ImportRecord]]:
        rows = self._db.execute(
            "SELECT at, durchgang, session, file_name, sha256, rows, matched, unmatched, skipped "
            "FROM attendance_imports WHERE durchgang = ? ORDER BY seq",
            (durchgang,),
        ).fetchall()
        return [(row[0], ImportRecord(*row[1:])) for row in rows]

    def record_import(
        self, record: ImportRecord, marks: Mapping[str, tuple[Status, int]]
    ) -> tuple[list[str], list[str]]:
        """Append the import and, per person, an event where the status or minutes differ from the current
        imported mark. Returns (changed ids, ids kept because of a correction by hand)."""
        changed: list[str] = []
        kept: list[str] = []
        with self._transaction() as db:
            current = self.marks(record.durchgang)
            cursor = db.execute(
                "INSERT INTO attendance_imports (at, durchgang, session, file_name, sha256, rows, matched, "
                "unmatched, skipped) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    utc_now(),
                    record.durchgang,
                    record.session,
                    record.file_name,
                    record.sha256,
                    record.rows,
                    record.matched,
                    record.unmatched,
                    record.skipped,
                ),
            )
            import_seq = cursor.lastrowid
            at = utc_now()
            for reg_id, (status, minutes) in sorted(marks.items()):
                mark = current.get((record.session, reg_id))
                if mark is not None and mark.source == "manual":
                    kept.append(reg_id)
                    continue
                if mark is not None and (mark.status, mark.minutes) == (status, minutes):
                    continue
                db.execute(
                    "INSERT INTO attendance_events (at, durchgang, session, reg_id, status, source, minutes, "
                    "note, import_seq) VALUES (?, ?, ?, ?, ?, 'import', ?, '', ?)",
                    (at, record.durchgang, record.session, reg_id, status, minutes, import_seq),
                )
                changed.append(reg_id)
        return changed, kept

    def set_mark(self, durchgang: str, session: int, reg_id: str, status: Status, note: str) -> bool:
        """A correction by hand; False when it says what the current mark already says."""
        with self._transaction() as db:
            mark = self.marks(durchgang).get((session, reg_id))
            if mark is not None and (mark.status, mark.source, mark.note) == (status, "manual", note):
                return False
            db.execute(
                "INSERT INTO attendance_events (at, durchgang, session, reg_id, status, source, minutes, "
                "note, import_seq) VALUES (?, ?, ?, ?, ?, 'manual', ?, ?, NULL)",
                (utc_now(), durchgang, session, reg_id, status, mark.minutes if mark else None, note),
            )
        return True
