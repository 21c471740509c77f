"""Ledger files as earlier releases left them, for tests of behaviour across a migration.

The scripts are frozen copies of what those releases ran, not imports of today's schema, so a change to a
shipped migration shows up as a failing test instead of silently rewriting the past.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

RELEASE_1 = """
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
"""Registrations, decision events and notifications (user_version 1)."""

RELEASE_2 = """
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
"""Erasure columns and the erasures table (user_version 2)."""

OLD_REGISTER = """
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
"""What the certificate register created on its own (`IF NOT EXISTS`) beside a version-2 ledger."""

SALT = "00112233445566778899aabbccddeeff"


def old_ledger(path: Path, *, releases: int, register: bool = False) -> sqlite3.Connection:
    """A ledger file as release 1 or 2 wrote it (optionally with the old register's table), left open so
    the caller can add rows; commit and close it before opening it with today's code."""
    connection = sqlite3.connect(path)
    connection.executescript(RELEASE_1)
    connection.execute("INSERT INTO meta VALUES ('id_salt', ?)", (SALT,))
    if releases >= 2:
        connection.executescript(RELEASE_2)
    if register:
        connection.executescript(OLD_REGISTER)
    connection.execute(f"PRAGMA user_version = {releases}")
    connection.commit()
    return connection
