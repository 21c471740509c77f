"""The ledger file has one owner: every table it holds is named in scm_lms.ledger.schema with what erasure and
the access report do with it, and files written by earlier releases open with their data kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from scm_lms.certify.register import Register
from scm_lms.ledger import Ledger
from scm_lms.ledger.access import REPORTED
from scm_lms.ledger.erasure import Ledgerfile
from scm_lms.ledger.schema import TABLES
from testkit.old_ledgers import old_ledger


def tables_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    return {name for (name,) in rows}


def test_every_table_of_the_file_is_covered_by_erasure_and_the_access_report(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    Ledger.open(path).close()
    assert tables_in(path) == {table.name for table in TABLES}
    assert {table.name for table in TABLES if table.person} <= REPORTED
    for table in TABLES:
        assert (table.person is None) == (table.erasure == "none"), table.name


def test_an_in_memory_register_has_the_same_tables_as_a_file() -> None:
    with Register.memory() as register:
        assert register.all() == []


def test_a_release_2_file_with_the_old_register_table_keeps_its_certificate(tmp_path: Path) -> None:
    path = tmp_path / "alt.db"
    connection = old_ledger(path, releases=2, register=True)
    connection.execute(
        "INSERT INTO registrations VALUES ('R-0123456789', 'alt@x.example.de', 'Alt', 'Bestand', 'Stadt', "
        "NULL, '[\"2024-D1\"]', 0, '2024-04-01T08:00:00+02:00', 0, 'alt.csv', '2024-04-01T06:00:00+00:00', "
        "NULL, NULL)"
    )
    facts = json.dumps({"name": "Alt Bestand"})
    connection.execute(
        "INSERT INTO certificates VALUES ('SCM-OLD1', 'R-0123456789', '2024-D1', ?, 'k1', 'sig', '1', '{}', "
        "'2024-10-31', NULL, NULL, NULL)",
        (facts,),
    )
    connection.commit()
    connection.close()

    with Register.open(path) as register:
        found = register.get("SCM-OLD1")
        assert found is not None and found.facts_json == facts and not found.revoked
        register.revoke("SCM-OLD1", "Test")  # the register's guards still work after the migration
        assert register.current("R-0123456789", "2024-D1") is None
    with Ledger.open(path) as ledger:
        assert [r.reg_id for r in ledger.registrations()] == ["R-0123456789"]
    with Ledgerfile.open(path) as store:
        assert store.resolve(["R-0123456789"], []) == (["R-0123456789"], [])
    assert tables_in(path) == {table.name for table in TABLES}
