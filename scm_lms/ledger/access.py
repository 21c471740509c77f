"""What the ledger file holds, in counts or about one person: the answer to an access request (DSGVO Art. 15).

Read-only. Counts never contain personal data; one person's record carries their personal data separately,
so the command line prints it only when asked to.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from scm_lms.ledger.erasure import ErasureError, Ledgerfile

REPORTED = frozenset(
    {"registrations", "decision_events", "notifications", "certificates", "erasures", "attendance_events"}
)
"""Tables `person` and `overview` read; every table of scm_lms.ledger.schema.TABLES that holds a person's
rows must be here (checked by the tests), so a new table is part of the answer to an access request."""


@dataclass(frozen=True)
class Person:
    """Everything the ledger file holds about one registration id."""

    reg_id: str
    personal: dict[str, str]
    """E-mail, names, municipality, state (German labels): only shown on request."""
    registered_at: str
    preferences: tuple[str, ...]
    alternatives: bool
    withdrawn: bool
    source: str
    erased_at: str | None
    erasure_reason: str | None
    events: tuple[tuple[str, str, str, str], ...]
    """(at, status, Durchgang, explanation), oldest first."""
    notifications: tuple[tuple[str, str, str], ...]
    """(status, Durchgang, sent at)."""
    certificates: tuple[tuple[str, str, str, str], ...]
    """(number, Durchgang, name on it, state in German)."""
    attendance: tuple[tuple[str, str, int, str, str, str], ...] = ()
    """(at, Durchgang, morning, status, source, note) of the live mornings, oldest first."""


@dataclass(frozen=True)
class Overview:
    registrations: Counter[str]
    """active / withdrawn / erased."""
    decisions: Counter[tuple[str, str]]
    """(Durchgang, status) of current decisions."""
    notifications: int
    certificates: Counter[str]
    """valid / revoked."""
    erasures: int
    attendance: int = 0
    """Attendance marks recorded (imports and corrections)."""


def overview(store: Ledgerfile) -> Overview:
    registrations: Counter[str] = Counter(
        "erased" if erased_at else "withdrawn" if withdrawn else "active"
        for erased_at, withdrawn in store.rows("SELECT erased_at, withdrawn FROM registrations")
    )
    decisions: Counter[tuple[str, str]] = Counter(
        (durchgang, status)
        for durchgang, status in store.rows(
            "SELECT durchgang, status FROM decision_events "
            "WHERE seq IN (SELECT MAX(seq) FROM decision_events GROUP BY reg_id)"
        )
    )
    certificates: Counter[str] = Counter(
        "revoked" if revoked else "valid" for (revoked,) in store.rows("SELECT revoked_at FROM certificates")
    )
    ((notifications,),) = store.rows("SELECT COUNT(*) FROM notifications")
    ((erasures,),) = store.rows("SELECT COUNT(*) FROM erasures")
    ((attendance,),) = store.rows("SELECT COUNT(*) FROM attendance_events")
    return Overview(registrations, decisions, notifications, certificates, erasures, attendance)


def person(store: Ledgerfile, reg_id: str) -> Person:
    found = store.rows(
        "SELECT email, first_name, last_name, municipality, state, registered_at, preferences, "
        "alternatives, withdrawn, source, erased_at, erasure_reason FROM registrations WHERE reg_id = ?",
        (reg_id,),
    )
    if not found:
        raise ErasureError([store.unknown(reg_id)])
    (row,) = found
    labels = ("E-Mail", "Vorname", "Nachname", "Kommune", "Bundesland")
    certificates = store.rows(
        "SELECT number, durchgang, facts, revoked_at FROM certificates WHERE reg_id = ? ORDER BY issued_at",
        (reg_id,),
    )
    return Person(
        reg_id=reg_id,
        personal={label: value or "" for label, value in zip(labels, row[:5], strict=True)},
        registered_at=row[5],
        preferences=tuple(json.loads(row[6])),
        alternatives=bool(row[7]),
        withdrawn=bool(row[8]),
        source=row[9],
        erased_at=row[10],
        erasure_reason=row[11],
        events=tuple(
            store.rows(
                "SELECT at, status, durchgang, explanation FROM decision_events "
                "WHERE reg_id = ? ORDER BY seq",
                (reg_id,),
            )
        ),
        notifications=tuple(
            store.rows(
                "SELECT status, durchgang, sent_at FROM notifications WHERE reg_id = ? ORDER BY seq",
                (reg_id,),
            )
        ),
        certificates=tuple(
            (number, durchgang, json.loads(facts)["name"], f"gesperrt am {revoked}" if revoked else "gültig")
            for number, durchgang, facts, revoked in certificates
        ),
        attendance=tuple(
            store.rows(
                "SELECT at, durchgang, session, status, source, note FROM attendance_events "
                "WHERE reg_id = ? ORDER BY seq",
                (reg_id,),
            )
        ),
    )
