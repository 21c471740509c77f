"""What the preview serves: the files of one SCO, its SCORM version and launch page, from a zip or a source.

A zip is read through the validator's safe archive reader (no traversal, no bombs) and its version and launch
page are detected the way Moodle detects them, so the preview plays what Moodle would play. A course source is
built into the same zip `scm-lms build` writes (in a temporary folder) and then previewed like any zip, so the
designer sees the real package and its validation findings.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from course_package.source import SourceError, load_course
from scm_base.errors import ToolkitError
from scm_base.zipfile_det import source_date_epoch
from scorm.build import default_renderer, package_bytes, package_name
from scorm.validate.archive import read_archive
from scorm.validate.findings import Finding
from scorm.validate.package import validate_zip
from scorm.validate.parse import SCORM_12, SCORM_13
from scorm.xsd import XsdError

Version = Literal["1.2", "2004"]
Flavour = Literal["scorm12", "scorm2004"]


class PreviewError(ToolkitError, ValueError):
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
    """Builds one module of a course source; raises SourceError (all problems) for a broken source."""
    course = load_course(source)
    if not 1 <= module_number <= len(course.modules):
        raise PreviewError(
            f"{source}: Modul {module_number} gibt es nicht; "
            f"der Kurs hat die Module 1 bis {len(course.modules)}."
        )
    module = course.module(module_number)
    try:
        data = package_bytes(course, module, flavour, default_renderer(), source_date_epoch())
    except (ValueError, XsdError) as error:  # packaging limits, SOURCE_DATE_EPOCH, missing control files
        raise PreviewError(f"{source}: Modul {module_number} lässt sich nicht paketieren: {error}") from None
    with tempfile.TemporaryDirectory(prefix="scm-preview-") as folder:
        path = Path(folder) / package_name(module, flavour)
        path.write_bytes(data)
        site = load_zip(path)
    return replace(site, title=f"Modul {module.number}: {module.title}")


def source_problems(error: SourceError) -> str:
    return "\n".join(str(problem) for problem in error.problems)
