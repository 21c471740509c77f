"""Data-subject requests on the ledger file: erasure (DSGVO Art. 17), the deletion concept (Art. 5(1)(e)) and
what is held about one person (Art. 15).

Erasure replaces a registration's personal data with a tombstone instead of deleting the row: the pseudonymous
registration id, the decision history and the sent-mail record stay, because they hold no personal data and
admission needs them to stay consistent (an erased person is withdrawn, and only their own seat is freed).
Several persons are erased in one transaction: if any of them cannot be erased, nobody is. Deleted bytes are
zeroed (`secure_delete`) and the file is vacuumed afterwards, so no copy of the old values remains in free
pages. The id salt is rotated, so the kept id can no longer be recomputed from the address and the same
address registering again gets a fresh id.

A person's attendance of the live mornings is deleted with them: it is only needed for their certificate,
and a note on an excused absence may name an illness.

Certificates must stay verifiable, so a person with one in the register is refused unless the caller passes
the signing key (the data-protection officer's decision); then the certificate is revoked, its name replaced
and it is signed again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import secrets
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from scm_base.errors import ToolkitError
from scm_lms.certify.facts import Facts
from scm_lms.certify.signing import sign
from scm_lms.intake.registration_cells import normalise_text
from scm_lms.ledger.ledger import Ledger
from scm_lms.ledger.schema import TABLES, Table
from scm_lms.ledger.sqlite import LedgerError, SqliteStore, utc_now
from scm_lms.programme import Programme
from scm_lms.programme.schedule import BERLIN

ERASED_NAME = "[gelöscht]"
"""The name a certificate keeps after erasure."""
CERTIFICATE_TRIGGER = "certificates_revoke_only"
"""The register's guard against rewriting a certificate; lifted inside the erasure transaction only."""


class ErasureError(ToolkitError, RuntimeError):
    """Nothing was erased; `problems` names every person that stood in the way and what to do."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems: list[str] = list(problems)


def tombstone_email(reg_id: str) -> str:
    """Unique (the column is UNIQUE) and undeliverable: `.invalid` is reserved by RFC 2606."""
    return f"geloescht+{reg_id}@invalid"


@dataclass(frozen=True)
class Erased:
    reg_id: str
    certificates: tuple[str, ...]
    """Numbers of certificates revoked and anonymised with the person."""
    freed: str
    """German: what the withdrawal released, e.g. "Platz 3 in 2024-D2 freigegeben"; empty if nothing."""


@dataclass(frozen=True)
class Outcome:
    erased: tuple[Erased, ...]
    already: tuple[str, ...]
    """Ids given that had been erased before (erasing is idempotent)."""


class Ledgerfile(SqliteStore):
    """The ledger file opened for data-subject requests; `open` refuses a file that does not exist."""

    @classmethod
    def open(cls, path: Path) -> Ledgerfile:
        if not path.is_file():
            raise ErasureError([f"Ledger-Datei {path} nicht gefunden; mit --db die Datei angeben"])
        try:
            Ledger.open(path).close()  # brings the file to the newest schema, certificate register included
        except LedgerError as error:
            raise ErasureError([str(error)]) from None
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA secure_delete = ON")
        return cls(connection, path)

    # --- finding people -------------------------------------------------------------------------------------

    def resolve(self, reg_ids: Iterable[str], emails: Iterable[str]) -> tuple[list[str], list[str]]:
        """Registration ids for the given ids and addresses, and a German problem for each one not found."""
        found: list[str] = []
        problems: list[str] = []
        for given in reg_ids:
            reg_id = given.strip().upper()
            if self._db.execute("SELECT 1 FROM registrations WHERE reg_id = ?", (reg_id,)).fetchone():
                found.append(reg_id)
            else:
                problems.append(self.unknown(given))
        for number, given in enumerate(emails, 1):
            row = self._db.execute(
                "SELECT reg_id FROM registrations WHERE email = ?", (normalise_text(given).lower(),)
            ).fetchone()
            if row:
                found.append(row[0])
            else:  # named by position: the address itself is personal data and stays off the screen
                problems.append(
                    f"die {number}. angegebene E-Mail-Adresse (--email) steht nicht (mehr) im Ledger; "
                    "Schreibweise prüfen oder die Anmeldenummer (--reg-id) angeben"
                )
        return list(dict.fromkeys(found)), problems

    def unknown(self, reg_id: str) -> str:
        return f"{reg_id}: keine solche Anmeldenummer im Ledger {self.path}"

    # --- erasure --------------------------------------------------------------------------------------------

    def erase(
        self,
        reg_ids: Sequence[str],
        *,
        reason: str,
        operator: str,
        signer: Ed25519PrivateKey | None = None,
        kind: str = "erase",
    ) -> Outcome:
        """Erase all or nothing; then vacuum, so the old values are gone from the file itself.

        `signer` (the certificate signing key) is given only on the data-protection officer's decision to
        erase certificate holders too: their anonymised certificates are signed again, so that verifying the
        number still reports "revoked" rather than "tampered".
        """
        if not reason.strip():
            raise ErasureError(["eine Löschung braucht einen Grund (--reason), z. B. „Antrag nach Art. 17“"])
        erased: list[Erased] = []
        already: list[str] = []
        problems: list[str] = []
        with self._transaction() as db:
            for reg_id in reg_ids:
                row = db.execute(
                    "SELECT email, first_name, last_name, erased_at FROM registrations WHERE reg_id = ?",
                    (reg_id,),
                ).fetchone()
                if row is None:
                    problems.append(self.unknown(reg_id))
                    continue
                if row[3] is not None:
                    already.append(reg_id)
                    continue
                personal = [row[0], row[1], row[2], f"{row[1]} {row[2]}"]
                typed = reason if kind == "erase" else ""  # the purge's own reason names nobody
                blockers = self._blockers(reg_id, personal, typed, signer is not None)
                if blockers:
                    problems.extend(blockers)
                    continue
                erased.append(self._erase_one(db, reg_id, reason.strip(), operator, kind, signer))
            if problems:
                raise ErasureError([*problems, "Es wurde nichts gelöscht."])
            if erased:
                db.execute("UPDATE meta SET value = ? WHERE key = 'id_salt'", (secrets.token_hex(16),))
        if erased:
            with contextlib.suppress(sqlite3.OperationalError):  # in use: secure_delete already zeroed
                self._db.execute("VACUUM")
        return Outcome(tuple(erased), tuple(already))

    def _blockers(
        self, reg_id: str, personal: Sequence[str], reason: str, include_certified: bool
    ) -> list[str]:
        problems = []
        if contains_any(reason, personal):
            problems.append(
                f"{reg_id}: der Grund enthält Name oder E-Mail-Adresse der Person; er bleibt nach der "
                "Löschung gespeichert – bitte ohne personenbezogene Daten angeben (z. B. „Antrag vom 03.11.“)"
            )
        kept = [
            text
            for table in TABLES
            if table.erasure == "keep"
            for column in table.texts
            for (text,) in self._db.execute(
                f"SELECT {column} FROM {table.name} WHERE {table.person} = ?", (reg_id,)
            )
        ]
        if any(contains_any(text, [personal[0], personal[3]]) for text in kept):
            problems.append(
                f"{reg_id}: Entscheidungshistorie oder Versandprotokoll enthält die E-Mail-Adresse oder den "
                "Namen; sie bleiben beim Löschen erhalten – bitte als Fehler melden"
            )
        numbers = [
            n for (n,) in self._db.execute("SELECT number FROM certificates WHERE reg_id = ?", (reg_id,))
        ]
        if numbers and not include_certified:
            problems.append(
                f"{reg_id}: hat im Zertifikatsregister {', '.join(numbers)}. Zertifikate müssen prüfbar "
                "bleiben; das Register behält Name und Nummer deshalb absichtlich. Ungültig machen: "
                "„scm-lms cert revoke NUMMER --reason …“. Nur wenn die oder der Datenschutzbeauftragte die "
                "Löschung trotzdem entschieden hat: erneut mit --include-certified (sperrt das Zertifikat "
                "und ersetzt den Namen darin)"
            )
        return problems

    def _erase_one(
        self,
        db: sqlite3.Connection,
        reg_id: str,
        reason: str,
        operator: str,
        kind: str,
        signer: Ed25519PrivateKey | None,
    ) -> Erased:
        at = utc_now()
        freed = self._withdraw(db, reg_id, at)
        numbers: list[str] = []
        for table in TABLES:  # every table says what erasure does with it (scm_lms.ledger.schema)
            if table.erasure == "tombstone":
                self._tombstone(db, table, reg_id, reason, at)
            elif table.erasure == "anonymise" and signer is not None:
                numbers = self._anonymise_certificates(db, reg_id, at, signer)
            elif table.erasure == "delete":
                self._delete_rows(db, table, reg_id)
        db.execute(
            "INSERT INTO erasures (at, reg_id, kind, operator, reason, certificates) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (at, reg_id, kind, operator, reason, json.dumps(numbers)),
        )
        return Erased(reg_id, tuple(numbers), freed)

    @staticmethod
    def _tombstone(db: sqlite3.Connection, table: Table, reg_id: str, reason: str, at: str) -> None:
        """The registration keeps its id, status and times; its personal columns are replaced."""
        assert table.name == "registrations", "only registrations hold a tombstone"
        db.execute(
            "UPDATE registrations SET email = ?, first_name = '', last_name = '', municipality = '', "
            "state = NULL, withdrawn = 1, erased_at = ?, erasure_reason = ?, updated_at = ? WHERE reg_id = ?",
            (tombstone_email(reg_id), at, reason, at, reg_id),
        )

    @staticmethod
    def _delete_rows(db: sqlite3.Connection, table: Table, reg_id: str) -> None:
        """An append-only table's rows of this person (attendance: notes may name an illness). Its trigger
        lets a delete through only for the registration id named in `meta` within this transaction."""
        db.execute("INSERT OR REPLACE INTO meta VALUES ('erasing', ?)", (reg_id,))
        db.execute(f"DELETE FROM {table.name} WHERE {table.person} = ?", (reg_id,))
        db.execute("DELETE FROM meta WHERE key = 'erasing'")

    @staticmethod
    def _withdraw(db: sqlite3.Connection, reg_id: str, at: str) -> str:
        """Append a withdrawal, so the seat is released exactly as if the person had withdrawn."""
        current = db.execute(
            "SELECT status, durchgang, seat FROM decision_events WHERE reg_id = ? ORDER BY seq DESC LIMIT 1",
            (reg_id,),
        ).fetchone()
        if current is None or current[0] == "withdrawn":
            return ""
        status, durchgang, seat = current
        freed = f"Platz {seat} in {durchgang} freigegeben" if status == "admitted" else ""
        explanation = "zurückgezogen: Daten gelöscht (Art. 17 DSGVO)" + (f"; {freed}" if freed else "")
        db.execute(
            "INSERT INTO decision_events (at, reg_id, status, durchgang, seat, position, explanation) "
            "VALUES (?, ?, 'withdrawn', ?, NULL, NULL, ?)",
            (at, reg_id, durchgang, explanation),
        )
        return freed

    @staticmethod
    def _anonymise_certificates(
        db: sqlite3.Connection, reg_id: str, at: str, signer: Ed25519PrivateKey
    ) -> list[str]:
        rows = db.execute("SELECT number, facts FROM certificates WHERE reg_id = ?", (reg_id,)).fetchall()
        if not rows:
            return []
        (trigger,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (CERTIFICATE_TRIGGER,)
        ).fetchone()
        db.execute(f"DROP TRIGGER {CERTIFICATE_TRIGGER}")
        for number, facts in rows:
            anonymous = Facts.from_dict({**json.loads(facts), "name": ERASED_NAME}).canonical()
            signature = sign(signer, anonymous)
            db.execute(
                "UPDATE certificates SET facts = ?, key_id = ?, signature = ?, "
                "revoked_at = COALESCE(revoked_at, ?), revoke_reason = ? WHERE number = ?",
                (
                    anonymous.decode("utf-8"),
                    signature.key_id,
                    signature.value,
                    at,
                    "personenbezogene Daten gelöscht (Art. 17 DSGVO, Entscheidung der/des "
                    "Datenschutzbeauftragten)",
                    number,
                ),
            )
        db.execute(trigger)
        return [number for number, _ in rows]

    # --- deletion concept -----------------------------------------------------------------------------------

    def purge_candidates(
        self, programme: Programme, key: str, now: dt.datetime
    ) -> tuple[list[str], list[str]]:
        """Who to erase after `key` ended: on its waiting list or declined for it, never admitted anywhere.

        Returns (to erase, kept because they may still move up into a Durchgang that has not ended).
        """
        ended = _end(programme, key)
        if ended > now:
            raise ErasureError(
                [
                    f"{key} ist noch nicht beendet (letzter Termin {ended:%d.%m.%Y %H:%M} Uhr); "
                    "Warteliste und Absagen erst danach löschen"
                ]
            )
        rows = self._db.execute(
            "SELECT r.reg_id, r.registered_at, r.preferences, r.alternatives, r.withdrawn "
            "FROM registrations r "
            "WHERE r.erased_at IS NULL AND EXISTS (SELECT 1 FROM decision_events e WHERE e.reg_id = r.reg_id "
            "AND e.durchgang = ? AND e.status IN ('waitlisted', 'declined')) AND NOT EXISTS (SELECT 1 FROM "
            "decision_events e WHERE e.reg_id = r.reg_id AND e.status = 'admitted') ORDER BY r.reg_id",
            (key,),
        ).fetchall()
        erase: list[str] = []
        waiting: list[str] = []
        for reg_id, registered_at, preferences, alternatives, withdrawn in rows:
            still_open = not withdrawn and _still_open(
                programme,
                dt.datetime.fromisoformat(registered_at),
                json.loads(preferences),
                alternatives,
                now,
            )
            (waiting if still_open else erase).append(reg_id)
        return erase, waiting

    # --- reading -----------------------------------------------------------------------------------------

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """A read-only query, for the access report (scm_lms.ledger.access) on the same connection."""
        return [tuple(row) for row in self._db.execute(sql, args)]


def contains_any(text: str, values: Iterable[str]) -> bool:
    """Whether any value occurs in `text` as a whole word, ignoring case (a name like "Li" is no "Liste")."""
    return any(
        re.search(rf"(?<!\w){re.escape(value.strip())}(?!\w)", text, re.IGNORECASE)
        for value in values
        if len(value.strip()) >= 2
    )


def _end(programme: Programme, key: str) -> dt.datetime:
    last = programme.schedule(key).sessions[-1]
    return dt.datetime.combine(last.day, last.end, tzinfo=BERLIN)


def _still_open(
    programme: Programme,
    registered_at: dt.datetime,
    preferences: Sequence[str],
    alternatives: bool,
    now: dt.datetime,
) -> bool:
    """Whether admission could still seat this person in a Durchgang that has not ended (as in
    scm_lms.intake.admission: first preference only, or with alternatives any; deadline at registration)."""
    keys = programme.keys if alternatives else [key for key in preferences if key in programme.keys][:1]
    return any(registered_at <= programme.deadline(key) and _end(programme, key) > now for key in keys)
