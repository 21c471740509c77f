"""Who attendance is about: the people admitted to a Durchgang, never its trainers."""

from __future__ import annotations

from scm_lms.intake.registrations import Registration
from scm_lms.ledger.ledger import Ledger
from scm_lms.programme import Programme
from scm_lms.provision.desired import admitted_to


def participants(ledger: Ledger, programme: Programme, durchgang: str) -> list[Registration]:
    """Admitted to `durchgang`, in seat order; someone registered with a trainer's address is left out
    (trainers lead the mornings, their presence is not recorded and they are never certified)."""
    trainers = programme.durchgang(durchgang).trainer_emails()
    admitted = admitted_to(durchgang, ledger.registrations(), ledger.decisions())
    return [person for person in admitted if person.email.lower() not in trainers]
