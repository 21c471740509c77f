"""The `moodle` build format: the template backup made from exactly the SCORM 1.2 zips `build` writes.

Packages come from `scorm.build.package_bytes` (same renderer, same epoch, same zip writer), so the package
inside the backup is byte for byte the `scm-mN-…-scorm12.zip` of the same build.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_package.model import Course
from scm_base.zipfile_det import source_date_epoch
from scorm.build import Renderer, default_renderer, package_bytes, package_name
from scorm.formats import BACKUP_FORMAT as BACKUP_FORMAT
from scorm.formats import Format
from scorm.moodle_backup.backup import write_mbz
from scorm.moodle_backup.course import TemplateCourse, describe_course
from scorm.moodle_backup.scoes import read_package
from scorm.moodle_backup.validate import validate_mbz
from scorm.validate.findings import Report

PACKAGE_FORMAT: Format = "scorm12"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    report: Report


def split_backup(formats: str) -> tuple[str, bool]:
    """`--format` value → (the package formats left, whether the Moodle backup is wanted)."""
    parts = [part.strip() for part in formats.split(",") if part.strip()]
    return ",".join(part for part in parts if part != BACKUP_FORMAT), BACKUP_FORMAT in parts


def template_course(
    course: Course,
    render: Renderer | None = None,
    epoch: int | None = None,
) -> TemplateCourse:
    render = render or default_renderer()
    epoch = source_date_epoch() if epoch is None else epoch
    packages = {
        module.number: read_package(
            package_name(module, PACKAGE_FORMAT), package_bytes(course, module, PACKAGE_FORMAT, render, epoch)
        )
        for module in course.modules
    }
    return describe_course(course, packages, epoch)


def build_backup(
    course: Course, out_dir: Path, render: Renderer | None = None, epoch: int | None = None
) -> BackupResult:
    """Writes `<shortname>.mbz` (default `SCM-TEMPLATE.mbz`) into `out_dir` and validates what was written."""
    path = write_mbz(template_course(course, render, epoch), out_dir)
    return BackupResult(path, path.stat().st_size, validate_mbz(path))
