"""The programme file and what follows from it: Durchgänge, certification settings (`model`) and the dates of
the ten mornings with holidays and days off (`schedule`)."""

from scm_lms.programme.model import MODULES, Certification, Programme, ProgrammeError, load_programme

__all__ = ["MODULES", "Certification", "Programme", "ProgrammeError", "load_programme"]
