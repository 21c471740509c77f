"""Build every module in every format: render → package → deterministic zip → validate.

Each format's builder is a recipe in its own module; this file only wires them to the renderer, the zip
writer and the validator, and reports one result per package so the CLI can show a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from course_package.model import Course, Module
from scm_base.atomic import write_atomic
from scm_base.zipfile_det import source_date_epoch, zip_bytes
from scorm import cc11, scorm12, scorm2004
from scorm.manifest import FORMATS, Format, PackageFiles, Site
from scorm.validate.findings import Report
from scorm.validate.package import validate_zip

Flavour = Literal["scorm12", "scorm2004", "cc"]
Renderer = Callable[[Course, Module, Flavour], Site]
Builder = Callable[[Course, Module, Site], PackageFiles]

BUILDERS: dict[Format, tuple[Flavour, Builder]] = {
    "scorm12": ("scorm12", scorm12.build),
    "scorm2004": ("scorm2004", scorm2004.build),
    "cc11": ("cc", cc11.build),
}


@dataclass(frozen=True)
class BuildResult:
    module: Module
    format: Format
    path: Path
    size: int
    report: Report


def package_name(module: Module, fmt: Format) -> str:
    """ASCII file name that sorts by module, e.g. `scm-m1-grundlagen-scorm12.zip`."""
    return f"scm-m{module.number}-{module.id}-{fmt}.zip"


def default_renderer() -> Renderer:
    """The course renderer, imported late so packaging code and tests do not need it."""
    from course_package.render import render_module

    return render_module


def parse_formats(value: str) -> tuple[Format, ...]:
    """`scorm12,cc11` → formats in canonical order; unknown names raise ValueError naming the valid ones."""
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in FORMATS]
    if unknown or not wanted:
        shown = ", ".join(unknown) or "(keines)"
        raise ValueError(f"Unbekannte(s) Format(e) {shown}; möglich: {', '.join(FORMATS)}")
    return tuple(fmt for fmt in FORMATS if fmt in wanted)


def package_bytes(course: Course, module: Module, fmt: Format, render: Renderer, epoch: int) -> bytes:
    flavour, builder = BUILDERS[fmt]
    return zip_bytes(builder(course, module, render(course, module, flavour)), epoch)


def build_all(
    course: Course,
    out_dir: Path,
    formats: Sequence[Format] = FORMATS,
    render: Renderer | None = None,
    epoch: int | None = None,
    on_result: Callable[[BuildResult], None] | None = None,
) -> list[BuildResult]:
    render = render or default_renderer()
    epoch = source_date_epoch() if epoch is None else epoch
    results: list[BuildResult] = []
    for module in course.modules:
        for fmt in formats:
            path = out_dir / package_name(module, fmt)
            data = package_bytes(course, module, fmt, render, epoch)
            write_atomic(path, data)
            result = BuildResult(module, fmt, path, len(data), validate_zip(path))
            results.append(result)
            if on_result:
                on_result(result)
    return results
