"""What every store on the ledger file shares: one SQLite file and one way of writing to it.

The ledger, the certificate register and erasure work on the same file, so all use autocommit connections
and take the write lock up front (`BEGIN IMMEDIATE`): a second run waits for the lock instead of failing
halfway through its transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from scm_base.errors import ToolkitError


class LedgerError(ToolkitError, RuntimeError):
    """The ledger file cannot be opened or used; the message names the file."""


def utc_now() -> str:
    """Timestamps are stored as UTC ISO text to the second, so they sort and compare as strings."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class SqliteStore:
    """A connection opened with `isolation_level=None`; used as a context manager that closes it."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
