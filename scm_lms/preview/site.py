"""What the preview serves: the files of one SCO, its SCORM version and launch page, from a zip or a source.

A zip is read through the validator's safe archive reader (no traversal, no bombs) and its version and launch
page are detected the way Moodle detects them, so the preview plays what Moodle would play. A course source is
rendered in memory; no zip is written.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from course_package.render import render_module
from course_package.source import SourceError, load_course
from scorm.validate.archive import read_archive
from scorm.validate.findings import Finding
from scorm.validate.package import validate_zip
from scorm.validate.parse import SCORM_12, SCORM_13

Version = Literal["1.2", "2004"]
Flavour = Literal["scorm12", "scorm2004"]
VERSION_OF_FLAVOUR: dict[Flavour, Version] = {"scorm12": "1.2", "scorm2004": "2004"}


class PreviewError(ValueError):
    """The package or source cannot be previewed; the message names the file and what to do."""


@dataclass(frozen=True)
class PreviewSite:
    title: str
    version: Version
    launch: str
    """Path of the SCO's launch page inside `files`, possibly with a query string."""
    files: Mapping[str, bytes]
    findings: tuple[Finding, ...] = field(default=())
    """Validator findings for a zip (problems Moodle would have with it), shown beside the SCO."""


def load_zip(path: Path) -> PreviewSite:
    if not zipfile.is_zipfile(path):
        raise PreviewError(f"{path}: keine ZIP-Datei; ein SCORM-Paket (.zip) oder einen Kursordner angeben.")
    report = validate_zip(path)
    if report.kind not in (SCORM_12, SCORM_13):
        raise PreviewError(
            f"{path}: kein SCORM-Paket (erkannt: {report.kind}); die Vorschau spielt SCORM 1.2 und 2004. "
            "Details: scm-lms validate " + str(path)
        )
    if report.launch is None:
        raise PreviewError(f"{path}: das Manifest nennt kein startbares SCO (scormtype='sco' mit href).")
    archive = read_archive(path, report)
    if archive is None:  # validate_zip already read it once, so this only happens if the file changed
        raise PreviewError(f"{path}: das Archiv ist nicht lesbar.")
    launch_file = report.launch.split("?", 1)[0]
    if launch_file not in archive.entries:
        raise PreviewError(f"{path}: die Startseite {launch_file!r} aus dem Manifest fehlt im Archiv.")
    version: Version = "1.2" if report.kind == SCORM_12 else "2004"
    findings = tuple(finding for finding in report.findings if finding.level != "info")
    return PreviewSite(path.name, version, report.launch, MappingProxyType(archive.entries), findings)


def load_source(source: Path, module_number: int, flavour: Flavour) -> PreviewSite:
    """Renders one module of a course source; raises SourceError (all problems) for a broken source."""
    course = load_course(source)
    if not 1 <= module_number <= len(course.modules):
        raise PreviewError(
            f"{source}: Modul {module_number} gibt es nicht; "
            f"der Kurs hat die Module 1 bis {len(course.modules)}."
        )
    module = course.module(module_number)
    site = render_module(course, module, flavour)
    title = f"Modul {module.number}: {module.title}"
    return PreviewSite(title, VERSION_OF_FLAVOUR[flavour], site.launch, site.files)


def source_problems(error: SourceError) -> str:
    return "\n".join(str(problem) for problem in error.problems)
