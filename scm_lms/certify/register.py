"""The certificate register: a table beside the registration ledger in the same SQLite file (its schema is
one of the ledger's migrations, scm_lms.ledger.schema).

It is what verification by code and revocation rely on, and what keeps re-runs from issuing twice: a person
has at most one current (unrevoked) certificate per Durchgang. Rows are never deleted or rewritten; the only
change a row ever sees is its revocation (triggers enforce this). The register keeps what DSGVO lets us keep
for as long as verification is promised: name, code, date, result.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scm_base.errors import ToolkitError
from scm_lms.certify.facts import Facts
from scm_lms.certify.signing import Signature
from scm_lms.ledger import Ledger, LedgerError
from scm_lms.ledger.schema import migrate
from scm_lms.ledger.sqlite import SqliteStore, utc_now

_COLUMNS = (
    "number, reg_id, durchgang, facts, key_id, signature, rule_version, inputs, issued_at, revoked_at, "
    "revoke_reason, replaced_by"
)


class RegisterError(ToolkitError, RuntimeError):
    pass


@dataclass(frozen=True)
class Issued:
    number: str
    reg_id: str
    durchgang: str
    facts_json: str
    """Canonical facts exactly as signed."""
    signature: Signature
    rule_version: str
    inputs: Mapping[str, object]
    """The decision's inputs (percent per module, completion), kept to explain it later."""
    issued_at: str
    revoked_at: str | None = None
    revoke_reason: str | None = None
    replaced_by: str | None = None

    @property
    def facts(self) -> Facts:
        return Facts.from_dict(json.loads(self.facts_json))

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


def _issued(row: tuple[str, ...]) -> Issued:
    return Issued(
        number=row[0],
        reg_id=row[1],
        durchgang=row[2],
        facts_json=row[3],
        signature=Signature(row[4], row[5]),
        rule_version=row[6],
        inputs=json.loads(row[7]),
        issued_at=row[8],
        revoked_at=row[9],
        revoke_reason=row[10],
        replaced_by=row[11],
    )


class Register(SqliteStore):
    """Open with `Register.open(path)` (a context manager); each public write is one transaction."""

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> Register:
        """The register inside the ledger file at `path`; a new file is created as a ledger (owner-only)."""
        if not path.exists() and not create:
            raise RegisterError(f"Zertifikatsregister {path} fehlt (--db angeben)")
        try:
            Ledger.open(path).close()
        except LedgerError as error:
            raise RegisterError(str(error)) from None
        return cls(sqlite3.connect(path, isolation_level=None), path)

    @classmethod
    def memory(cls) -> Register:
        """An empty register that vanishes on close, for runs that must not create a ledger file."""
        connection = sqlite3.connect(":memory:", isolation_level=None)
        migrate(connection, Path(":memory:"))
        return cls(connection, Path(":memory:"))

    def get(self, number: str) -> Issued | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM certificates WHERE number = ?", (number.strip().upper(),)
        ).fetchone()
        return _issued(row) if row else None

    def current(self, reg_id: str, durchgang: str) -> Issued | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM certificates WHERE reg_id = ? AND durchgang = ? AND revoked_at IS NULL",
            (reg_id, durchgang),
        ).fetchone()
        return _issued(row) if row else None

    def all(self, durchgang: str | None = None) -> list[Issued]:
        where, args = ("WHERE durchgang = ?", (durchgang,)) if durchgang else ("", ())
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM certificates {where} ORDER BY durchgang, issued_at, number", args
        ).fetchall()
        return [_issued(row) for row in rows]

    def add(self, issued: Issued, *, replaces: str | None = None, reason: str = "") -> None:
        """Record a new certificate; with `replaces`, revoke that one in the same transaction."""
        with self._transaction() as db:
            if replaces is not None:
                self._revoke(db, replaces, reason, replaced_by=issued.number)
            try:
                db.execute(
                    f"INSERT INTO certificates ({_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                    (
                        issued.number,
                        issued.reg_id,
                        issued.durchgang,
                        issued.facts_json,
                        issued.signature.key_id,
                        issued.signature.value,
                        issued.rule_version,
                        json.dumps(dict(issued.inputs), ensure_ascii=False, sort_keys=True),
                        issued.issued_at,
                    ),
                )
            except sqlite3.IntegrityError as error:
                raise RegisterError(
                    f"{issued.reg_id} hat in {issued.durchgang} bereits ein gültiges Zertifikat "
                    f"oder die Nummer {issued.number} ist vergeben ({error})"
                ) from None

    def revoke(self, number: str, reason: str) -> Issued:
        with self._transaction() as db:
            self._revoke(db, number, reason)
        found = self.get(number)
        assert found is not None
        return found

    def _revoke(
        self, db: sqlite3.Connection, number: str, reason: str, replaced_by: str | None = None
    ) -> None:
        if not reason.strip():
            raise RegisterError("eine Sperrung braucht einen Grund (--reason)")
        found = self.get(number)
        if found is None:
            raise RegisterError(f"Zertifikat {number} steht nicht im Register")
        if found.revoked:
            raise RegisterError(f"Zertifikat {number} ist bereits gesperrt ({found.revoke_reason})")
        db.execute(
            "UPDATE certificates SET revoked_at = ?, revoke_reason = ?, replaced_by = ? WHERE number = ?",
            (utc_now(), reason.strip(), replaced_by, found.number),
        )
