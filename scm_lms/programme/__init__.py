"""The programme file and what follows from it: Durchgänge, certification settings (`model`), loading with
line numbers (`loading`), the dates of the ten mornings with holidays and days off (`schedule`) and what each
morning holds: module, room, trainers, title (`mornings`, `outline`)."""

from scm_lms.programme.loading import load_programme
from scm_lms.programme.model import (
    MODULES,
    Certification,
    Programme,
    ProgrammeError,
    UnknownDurchgang,
    course_idnumber,
)

__all__ = [
    "MODULES",
    "Certification",
    "Programme",
    "ProgrammeError",
    "UnknownDurchgang",
    "course_idnumber",
    "load_programme",
]
