"""Validate course packages, ours and third-party: `validate_path(path, limits) -> Report`.

Dispatch is by file type so other formats (e.g. Moodle `.mbz` backups) can register a validator with
`register(".mbz", function)` without touching the SCORM code.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scorm.validate.archive import Limits
from scorm.validate.findings import Finding, Level, Report

Validator = Callable[[Path, Limits], Report]

_VALIDATORS: dict[str, Validator] = {}


def register(suffix: str, validator: Validator) -> None:
    _VALIDATORS[suffix.lower()] = validator


def _validate_zip(path: Path, limits: Limits) -> Report:
    """SCORM and IMS CC zips; the package checks (lxml, XSD) load on the first zip, so that
    `scm-lms validate --help` stays instant."""
    from scorm.validate.package import validate_zip

    return validate_zip(path, limits)


register(".zip", _validate_zip)
register(".imscc", _validate_zip)


def _validate_mbz(path: Path, limits: Limits) -> Report:
    """Moodle course backups; imported late because the backup validator uses this package's zip checks.
    The backup validator applies its own limits."""
    from scorm.moodle_backup.validate import validate_mbz

    return validate_mbz(path)


register(".mbz", _validate_mbz)


def _validate_pdf(path: Path, limits: Limits) -> Report:
    """Session-kit PDFs (guides, worksheets); pypdf is imported only when a PDF is checked."""
    from scorm.validate.pdf import validate_pdf

    return validate_pdf(path, limits)


register(".pdf", _validate_pdf)


def validate_path(path: Path, limits: Limits | None = None) -> Report:
    """Validate one file; unknown suffixes and unreadable paths become a report with one clear error."""
    validator = _VALIDATORS.get(path.suffix.lower())
    if not path.is_file():
        report = Report(path)
        report.error("file.missing", "Datei nicht gefunden oder kein reguläres File.", str(path))
        return report
    if validator is None:
        report = Report(path)
        known = ", ".join(sorted(_VALIDATORS))
        report.error(
            "file.type",
            f"Unbekannter Dateityp {path.suffix or '(ohne Endung)'!r}; unterstützt: {known}.",
            str(path),
        )
        return report
    return validator(path, limits or Limits())


__all__ = ["Finding", "Level", "Limits", "Report", "register", "validate_path"]
