"""The programme file and what follows from it: Durchgänge, certification settings (`model`), loading with
line numbers (`loading`), the dates of the ten mornings with holidays and days off (`schedule`, Berlin time in
`clock`) and the one office model of a morning, `Session` (`session`): date, times, module, room, trainers
and, joined from the course source, title and agenda (`mornings`, `outline`)."""

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
