"""The ledger file: the one owner of the SQLite file that holds registrations, decisions, notifications,
certificates, attendance and erasures.

`schema` is the one ordered migration list and the table of what each table holds; `ledger` the
registration/decision/notification store; `erasure` and `access` the data-subject requests (Art. 17, Art. 15)
that cover every table by going through `schema.TABLES`; `sqlite` the shared connection and transaction rules.
The certificate register (scm_lms.certify.register) and the attendance store (scm_lms.attendance.store) are
stores on the same file; their tables are created here too.
"""

from scm_lms.ledger.ledger import DEFAULT_NAME, DecisionEvent, Ledger
from scm_lms.ledger.sqlite import LedgerError

__all__ = ["DEFAULT_NAME", "DecisionEvent", "Ledger", "LedgerError"]
