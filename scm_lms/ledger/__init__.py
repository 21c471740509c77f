"""The ledger file: the one owner of the SQLite file that holds registrations, decisions, notifications,
certificates, attendance and erasures.

`schema` is the one ordered migration list and the table of what each table holds; `ledger` the
registration/decision/notification store; `erasure` and `access` the data-subject requests (Art. 17, Art. 15)
that cover every table by going through `schema.TABLES`; `sqlite` the shared connection and transaction rules.
The certificate register (scm_lms.certify.register) and the attendance store (scm_lms.attendance.store) are
stores on the same file; their tables are created here too.

The store classes are imported on first use (PEP 562): commands name `DEFAULT_NAME` in their options, and
their `--help` must not load the intake and programme models behind `Ledger`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scm_lms.ledger.ledger import DecisionEvent, Ledger
    from scm_lms.ledger.sqlite import LedgerError

DEFAULT_NAME = "scm-lms.db"
"""The ledger's file name next to the programme file, when no --db is given."""

_LAZY = {
    "DecisionEvent": "scm_lms.ledger.ledger",
    "Ledger": "scm_lms.ledger.ledger",
    "LedgerError": "scm_lms.ledger.sqlite",
}

__all__ = ["DEFAULT_NAME", "DecisionEvent", "Ledger", "LedgerError"]


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
