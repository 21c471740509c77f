"""The `moodle` build format: the template backup made from exactly the SCORM 1.2 zips `build` writes.

In a build run (`scorm.builds`) the packages are the ones the run already built; alone, they come from
`scorm.build.package_bytes` (same renderer, same epoch, same zip writer). Either way the package inside the
backup is byte for byte the `scm-mN-…-scorm12.zip` of the same build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from course_package.model import Course
from scm_base.zipfile_det import source_date_epoch
from scorm.build import Renderer, default_renderer, package_bytes, package_name
from scorm.manifest import Format
from scorm.moodle_backup.backup import build_mbz
from scorm.moodle_backup.course import TemplateCourse, describe_course
from scorm.moodle_backup.scoes import read_package

if TYPE_CHECKING:
    from scorm.builds import Run

PACKAGE_FORMAT: Format = "scorm12"


def template_course(
    course: Course,
    render: Renderer | None = None,
    epoch: int | None = None,
    packages: Mapping[int, bytes] | None = None,
    worksheets: Mapping[int, tuple[str, bytes]] | None = None,
) -> TemplateCourse:
    """`packages`: the SCORM 1.2 zips by module number when already built; rendered here otherwise.
    `worksheets`: file name and bytes of each module's worksheets PDF (none: sections without them)."""
    render = render or default_renderer()
    epoch = source_date_epoch() if epoch is None else epoch
    zips = packages or {
        module.number: package_bytes(course, module, PACKAGE_FORMAT, render, epoch)
        for module in course.modules
    }
    read = {
        module.number: read_package(package_name(module, PACKAGE_FORMAT), zips[module.number])
        for module in course.modules
    }
    return describe_course(course, read, epoch, worksheets)


def backup_bytes(run: Run) -> bytes:
    """The registry's `moodle` builder: the backup from the packages this run built (or builds now)."""
    from scorm.builds import WORKSHEETS, kit_name

    modules = run.course.modules
    packages = {module.number: run.output(PACKAGE_FORMAT, module) for module in modules}
    worksheets = {m.number: (kit_name(m, WORKSHEETS), run.output(WORKSHEETS, m)) for m in modules}
    return build_mbz(template_course(run.course, run.render, run.epoch, packages, worksheets))
