"""The ledger file's schema: one ordered list of migrations and the tables it owns.

Every table in the file is created here and nowhere else, and each one says whose data it holds and what
erasure does with it (`TABLES`), so a new table cannot be added without deciding its
erasure; tests check that the file has no table this list does not name. `PRAGMA user_version` is the number
of migrations applied; each migration runs in its own transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from scm_lms.ledger.sqlite import LedgerError

_SCHEMA_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE registrations (
    reg_id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    municipality TEXT NOT NULL,
    state TEXT,
    preferences TEXT NOT NULL,
    alternatives INTEGER NOT NULL,
    registered_at TEXT NOT NULL,
    withdrawn INTEGER NOT NULL,
    source TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE decision_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    reg_id TEXT NOT NULL REFERENCES registrations(reg_id),
    status TEXT NOT NULL,
    durchgang TEXT NOT NULL,
    seat INTEGER,
    position INTEGER,
    explanation TEXT NOT NULL
);
CREATE INDEX decision_events_reg ON decision_events(reg_id, seq);
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events
    BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events
    BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TABLE notifications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    reg_id TEXT NOT NULL REFERENCES registrations(reg_id),
    status TEXT NOT NULL,
    durchgang TEXT NOT NULL,
    message_id TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    UNIQUE (reg_id, status, durchgang)
);
"""

_SCHEMA_V2 = """
ALTER TABLE registrations ADD COLUMN erased_at TEXT;
ALTER TABLE registrations ADD COLUMN erasure_reason TEXT;
CREATE TRIGGER registrations_erased_stay_erased BEFORE UPDATE ON registrations WHEN OLD.erased_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'an erased registration is never changed again'); END;
CREATE TABLE erasures (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    reg_id TEXT NOT NULL REFERENCES registrations(reg_id),
    kind TEXT NOT NULL,
    operator TEXT NOT NULL,
    reason TEXT NOT NULL,
    certificates TEXT NOT NULL
);
CREATE TRIGGER erasures_no_update BEFORE UPDATE ON erasures
    BEGIN SELECT RAISE(ABORT, 'erasures is append-only'); END;
CREATE TRIGGER erasures_no_delete BEFORE DELETE ON erasures
    BEGIN SELECT RAISE(ABORT, 'erasures is append-only'); END;
"""
"""Erasure (DSGVO Art. 17): a registration's personal data can be replaced by a tombstone once; `erasures`
records who erased whom (by pseudonymous id), when and why. See scm_lms/ledger/erasure.py."""

_CERTIFICATES = """
CREATE TABLE IF NOT EXISTS certificates (
    number TEXT PRIMARY KEY,
    reg_id TEXT NOT NULL,
    durchgang TEXT NOT NULL,
    facts TEXT NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    rule_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    revoked_at TEXT,
    revoke_reason TEXT,
    replaced_by TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS certificates_current ON certificates(reg_id, durchgang)
    WHERE revoked_at IS NULL;
CREATE TRIGGER IF NOT EXISTS certificates_no_delete BEFORE DELETE ON certificates
    BEGIN SELECT RAISE(ABORT, 'certificates are never deleted, only revoked'); END;
CREATE TRIGGER IF NOT EXISTS certificates_revoke_only BEFORE UPDATE ON certificates
    WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
      OR NEW.number IS NOT OLD.number OR NEW.reg_id IS NOT OLD.reg_id OR NEW.durchgang IS NOT OLD.durchgang
      OR NEW.facts IS NOT OLD.facts OR NEW.key_id IS NOT OLD.key_id OR NEW.signature IS NOT OLD.signature
      OR NEW.rule_version IS NOT OLD.rule_version OR NEW.inputs IS NOT OLD.inputs
      OR NEW.issued_at IS NOT OLD.issued_at
    BEGIN SELECT RAISE(ABORT, 'a certificate can only be revoked, once'); END;
"""
"""The certificate register (scm_lms.certify.register): what verification by code and revocation rely on.
It was created by the register itself (`IF NOT EXISTS`) before it joined this list, so a file may already
hold it."""


_ATTENDANCE = """
CREATE TABLE attendance_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    durchgang TEXT NOT NULL,
    session INTEGER NOT NULL,
    reg_id TEXT NOT NULL REFERENCES registrations(reg_id),
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
    source TEXT NOT NULL CHECK (source IN ('import', 'manual')),
    minutes INTEGER,
    note TEXT NOT NULL,
    import_seq INTEGER REFERENCES attendance_imports(seq)
);
CREATE INDEX attendance_events_key ON attendance_events(durchgang, session, reg_id, seq);
CREATE TABLE attendance_imports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    durchgang TEXT NOT NULL,
    session INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    rows INTEGER NOT NULL,
    matched INTEGER NOT NULL,
    unmatched INTEGER NOT NULL,
    skipped INTEGER NOT NULL
);
CREATE TRIGGER attendance_events_no_update BEFORE UPDATE ON attendance_events
    BEGIN SELECT RAISE(ABORT, 'attendance_events is append-only'); END;
CREATE TRIGGER attendance_events_erasure_only BEFORE DELETE ON attendance_events
    WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'erasing' AND value = OLD.reg_id)
    BEGIN SELECT RAISE(ABORT, 'attendance_events is append-only'); END;
CREATE TRIGGER attendance_imports_no_update BEFORE UPDATE ON attendance_imports
    BEGIN SELECT RAISE(ABORT, 'attendance_imports is append-only'); END;
CREATE TRIGGER attendance_imports_no_delete BEFORE DELETE ON attendance_imports
    BEGIN SELECT RAISE(ABORT, 'attendance_imports is append-only'); END;
"""
"""Attendance of the ten live mornings (scm_lms.attendance): every import and correction is an appended
event, the latest per (Durchgang, morning, person) counts. Erasure deletes a person's events (their notes may
name an illness); it alone may, by naming the person in `meta` inside its transaction."""


def _first_salt(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO meta VALUES ('id_salt', ?)", (secrets.token_hex(16),))


@dataclass(frozen=True)
class Migration:
    script: str
    after: Callable[[sqlite3.Connection], None] | None = None
    """Data the new tables need at once (the id salt), in the same transaction."""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(_SCHEMA_V1, after=_first_salt),
    Migration(_SCHEMA_V2),
    Migration(_CERTIFICATES),
    Migration(_ATTENDANCE),
)
"""In order; the file's user_version is how many of them it has."""

Erasure = Literal["tombstone", "anonymise", "keep", "delete", "none"]


@dataclass(frozen=True)
class Table:
    name: str
    person: str | None
    """The column holding the registration id; None for a table that holds nobody's data."""
    erasure: Erasure
    """tombstone: personal columns replaced; anonymise: the name in it replaced (only on the DPO's decision);
    keep: rows stay, their `texts` are checked for the person's name and address first; delete: the person's
    rows are deleted; none: no person."""
    texts: tuple[str, ...] = ()
    """Free-text columns of a kept table that must not hold personal data."""


TABLES: tuple[Table, ...] = (
    Table("meta", None, "none"),
    Table("registrations", "reg_id", "tombstone"),
    Table("decision_events", "reg_id", "keep", texts=("explanation",)),
    Table("notifications", "reg_id", "keep", texts=("message_id",)),
    Table("erasures", "reg_id", "keep"),
    Table("certificates", "reg_id", "anonymise"),
    Table("attendance_events", "reg_id", "delete"),
    Table("attendance_imports", None, "none"),
)
"""Every table of the file and how erasure (scm_lms.ledger.erasure) covers it."""


def table(name: str) -> Table:
    return next(t for t in TABLES if t.name == name)


def migrate(db: sqlite3.Connection, path: Path) -> None:
    """Bring the file to the newest schema, one transaction per migration; refuse a newer file."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > len(MIGRATIONS):
        raise LedgerError(
            f"{path}: Schema-Version {version} ist neuer als diese scm-lms-Version "
            f"({len(MIGRATIONS)}); bitte scm-lms aktualisieren"
        )
    for target in range(version + 1, len(MIGRATIONS) + 1):
        migration = MIGRATIONS[target - 1]
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.script.split(";\n"):
                if statement.strip():
                    db.execute(statement)
            if migration.after is not None:
                migration.after(db)
            db.execute(f"PRAGMA user_version = {target}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
