"""The ledger: one SQLite file that remembers registrations, every admission decision and every mail sent.

It is what makes re-runs safe: pseudonymous ids stay the same, admitted people keep their seats, and nobody is
mailed twice. Decisions are an append-only event history (triggers refuse UPDATE and DELETE); the current
decision of a person is their latest event. The file holds personal data, so it is created readable by its
owner only, and one person's data can be erased (scm_lms.ledger.erasure) without touching that history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from pathlib import Path
from typing import Self, cast

from scm_lms.intake.admission import STATUS_DE, Decision, Status
from scm_lms.intake.registrations import Registration
from scm_lms.ledger.schema import migrate
from scm_lms.ledger.sqlite import LedgerError, SqliteStore, utc_now


@dataclass(frozen=True)
class DecisionEvent:
    at: dt.datetime
    decision: Decision


class Ledger(SqliteStore):
    """Open with `Ledger.open(path)` (a context manager); each public write is one transaction."""

    @classmethod
    def open(cls, path: Path) -> Self:
        new = not path.exists()
        if new:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        try:
            connection = sqlite3.connect(path, isolation_level=None)
            connection.execute("PRAGMA foreign_keys = ON")
            ledger = cls(connection, path)
            migrate(connection, path)
        except sqlite3.DatabaseError as error:
            raise LedgerError(f"{path}: keine gültige Ledger-Datei ({error})") from error
        return ledger

    # --- registrations --------------------------------------------------------------------------------------

    def _reg_id(self, email: str) -> str:
        """`R-` + 10 hex digits of a keyed hash: stable per e-mail, not reversible without the salt."""
        salt = self._db.execute("SELECT value FROM meta WHERE key = 'id_salt'").fetchone()[0]
        digest = hmac.new(bytes.fromhex(salt), email.encode("utf-8"), hashlib.sha256).hexdigest()
        return "R-" + digest[:10].upper()

    def register(self, registrations: Sequence[Registration], source: str) -> list[Registration]:
        """Insert or update by e-mail; the earliest registration time and any withdrawal are kept."""
        stored: list[Registration] = []
        with self._transaction() as db:
            for registration in registrations:
                row = db.execute(
                    "SELECT reg_id, registered_at, withdrawn FROM registrations WHERE email = ?",
                    (registration.email,),
                ).fetchone()
                if row is None:
                    reg_id = self._reg_id(registration.email)
                    if db.execute("SELECT 1 FROM registrations WHERE reg_id = ?", (reg_id,)).fetchone():
                        raise LedgerError(f"Registrierungs-ID {reg_id} ist bereits vergeben (Hash-Kollision)")
                    merged = registration.with_id(reg_id)
                else:
                    earliest = min(dt.datetime.fromisoformat(row[1]), registration.registered_at)
                    merged = replace(
                        registration,
                        reg_id=row[0],
                        registered_at=earliest,
                        withdrawn=bool(row[2]) or registration.withdrawn,
                    )
                db.execute(
                    "INSERT INTO registrations (reg_id, email, first_name, last_name, municipality, state, "
                    "preferences, alternatives, registered_at, withdrawn, source, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT(reg_id) DO UPDATE SET first_name = excluded.first_name, "
                    "last_name = excluded.last_name, municipality = excluded.municipality, "
                    "state = excluded.state, preferences = excluded.preferences, "
                    "alternatives = excluded.alternatives, registered_at = excluded.registered_at, "
                    "withdrawn = excluded.withdrawn, source = excluded.source, "
                    "updated_at = excluded.updated_at",
                    (
                        merged.reg_id,
                        merged.email,
                        merged.first_name,
                        merged.last_name,
                        merged.municipality,
                        merged.state,
                        json.dumps(list(merged.preferences)),
                        int(merged.alternatives),
                        merged.registered_at.isoformat(),
                        int(merged.withdrawn),
                        source,
                        utc_now(),
                    ),
                )
                stored.append(merged)
        return stored

    def registrations(self) -> list[Registration]:
        """Everyone not erased: an erased person is out of admission, provisioning and certification."""
        rows = self._db.execute(
            "SELECT reg_id, email, first_name, last_name, municipality, state, preferences, alternatives, "
            "registered_at, withdrawn FROM registrations WHERE erased_at IS NULL "
            "ORDER BY registered_at, reg_id"
        ).fetchall()
        return [
            Registration(
                email=row[1],
                first_name=row[2],
                last_name=row[3],
                municipality=row[4],
                state=row[5],
                preferences=tuple(json.loads(row[6])),
                alternatives=bool(row[7]),
                registered_at=dt.datetime.fromisoformat(row[8]),
                withdrawn=bool(row[9]),
                row=0,
                reg_id=row[0],
            )
            for row in rows
        ]

    # --- decisions ------------------------------------------------------------------------------------------

    def decisions(self) -> dict[str, Decision]:
        """Current decision per registration id (its latest event)."""
        rows = self._db.execute(
            "SELECT reg_id, status, durchgang, seat, position, explanation FROM decision_events "
            "WHERE seq IN (SELECT MAX(seq) FROM decision_events GROUP BY reg_id)"
        ).fetchall()
        return {row[0]: _decision(row) for row in rows}

    def record(self, decisions: dict[str, Decision]) -> list[Decision]:
        """Append an event for every decision that differs from the current one; returns those changes."""
        with self._transaction() as db:
            current = self.decisions()
            changed = [
                decision for reg_id, decision in sorted(decisions.items()) if current.get(reg_id) != decision
            ]
            at = utc_now()
            db.executemany(
                "INSERT INTO decision_events (at, reg_id, status, durchgang, seat, position, explanation) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(at, *astuple(decision)) for decision in changed],
            )
        return changed

    def history(self, reg_id: str) -> list[DecisionEvent]:
        rows = self._db.execute(
            "SELECT reg_id, status, durchgang, seat, position, explanation, at FROM decision_events "
            "WHERE reg_id = ? ORDER BY seq",
            (reg_id,),
        ).fetchall()
        return [DecisionEvent(dt.datetime.fromisoformat(row[6]), _decision(row)) for row in rows]

    # --- notifications --------------------------------------------------------------------------------------

    def notified(self, reg_id: str, status: Status, durchgang: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM notifications WHERE reg_id = ? AND status = ? AND durchgang = ?",
            (reg_id, status, durchgang),
        ).fetchone()
        return row is not None

    def record_notification(self, decision: Decision, message_id: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO notifications (reg_id, status, durchgang, message_id, sent_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (decision.reg_id, decision.status, decision.durchgang, message_id, utc_now()),
            )


def _decision(row: Sequence[object]) -> Decision:
    reg_id, status, durchgang, seat, position, explanation = row[:6]
    if status not in STATUS_DE:
        raise LedgerError(f"unbekannter Status {status!r} im Ledger")
    return Decision(
        str(reg_id),
        cast(Status, status),
        str(durchgang),
        seat if isinstance(seat, int) else None,
        position if isinstance(position, int) else None,
        str(explanation),
    )
