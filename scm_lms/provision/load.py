"""The inputs of a plan from the admin's files: programme file + ledger → desired state of one Durchgang.

Only what the ledger records as admitted to the Durchgang becomes desired; everyone else the ledger knows
(withdrawn, waiting, moved elsewhere) is named with their status, so a plan can say why someone found in
Moodle is no longer wanted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_package.source import SourceError
from scm_base.errors import ToolkitError
from scm_lms.intake.admission import STATUS_DE
from scm_lms.ledger import DEFAULT_NAME, Ledger, LedgerError
from scm_lms.programme import ProgrammeError, UnknownDurchgang, load_programme
from scm_lms.programme.curriculum import curriculum
from scm_lms.provision.desired import DesiredState, admitted_to, desired_state


class InputError(ToolkitError, ValueError):
    """The programme file, the ledger or the Durchgang key cannot be used; the message says what to do."""


@dataclass(frozen=True)
class Inputs:
    desired: DesiredState
    known: dict[str, str]
    """Registration id → German status of people the ledger knows but who are not admitted here."""
    db: Path
    adopt: tuple[str, ...] = ()
    """Registration ids whose foreign account the programme file confirms (programme + Durchgang lists)."""
    allowed_auths: tuple[str, ...] = ("manual",)
    """moodle.allowed_auths: the auth plugins an adopted account may use."""


def default_db(programme: Path) -> Path:
    return programme.parent / DEFAULT_NAME


def load_inputs(programme_path: Path, db: Path | None, key: str) -> Inputs:
    try:
        programme = load_programme(programme_path)
    except ProgrammeError as error:
        raise InputError("Programmdatei fehlerhaft:\n" + "\n".join(error.problems)) from None
    try:
        programme.require_durchgang(key)
    except UnknownDurchgang as error:
        raise InputError(str(error)) from None
    ledger_path = db or default_db(programme_path)
    if not ledger_path.exists():
        raise InputError(
            f"Ledger {ledger_path} fehlt: zuerst „scm-lms admit {programme_path} ANMELDUNGEN.csv“ ausführen "
            "(oder --db angeben)"
        )
    try:
        with Ledger.open(ledger_path) as ledger:
            registrations = ledger.registrations()
            decisions = ledger.decisions()
    except LedgerError as error:
        raise InputError(str(error)) from None
    admitted = admitted_to(key, registrations, decisions)
    try:
        course = curriculum()  # titles (and agendas) of the mornings, read once per process
    except SourceError as error:
        raise InputError(f"Kursquelle fehlerhaft, die Vormittage haben keinen Titel:\n{error}") from None
    try:
        desired = desired_state(programme, key, admitted, course)
    except ValueError as error:
        raise InputError(f"{ledger_path}: {error}") from None
    chosen = {registration.reg_id for registration in admitted}
    known = {
        reg_id: f"{STATUS_DE[decision.status]} ({decision.durchgang})"
        for reg_id, decision in decisions.items()
        if reg_id not in chosen
    }
    allowed = tuple(programme.moodle.allowed_auths)
    return Inputs(desired, known, ledger_path, programme.adopted(key), allowed)
