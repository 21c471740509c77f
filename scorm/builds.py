"""The build registry: one builder per output, as validation has one validator per file type.

A builder is module-scoped (one file per module: the three package formats, the guide, the worksheets) or
course-scoped (the Moodle template course); it returns the file's bytes and names it. A run builds what was
asked in registry order, writes each file atomically and validates what was written. Outputs are kept per
run, so the template course takes the SCORM 1.2 packages and worksheets already built instead of rendering
and zipping them again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from course_package.model import Course, Module
from scm_base.atomic import write_atomic
from scm_base.zipfile_det import source_date_epoch
from scorm.build import Renderer, default_renderer, package_bytes, package_name
from scorm.formats import BACKUP as BACKUP
from scorm.formats import FORMATS, Format
from scorm.formats import GUIDE as GUIDE
from scorm.formats import WORKSHEETS as WORKSHEETS
from scorm.validate import validate_path
from scorm.validate.findings import Report

Scope = Literal["module", "course"]
Container = Literal["zip", "pdf", "mbz"]



@dataclass
class Run:
    """One build: the course, how to render, the time stamp, and every output built so far."""

    course: Course
    render: Renderer
    epoch: int
    built: dict[tuple[str, int | None], bytes] = field(default_factory=dict)

    def output(self, kind: str, module: Module | None = None) -> bytes:
        """The bytes of `kind` (for `module`), built once per run and reused by later builders."""
        key = (kind, module.number if module else None)
        if key not in self.built:
            self.built[key] = BUILDERS[kind].make(self, module)
        return self.built[key]


@dataclass(frozen=True)
class Builder:
    kind: str
    scope: Scope
    container: Container
    label: str
    """German, for the build table."""
    make: Callable[[Run, Module | None], bytes]
    name: Callable[[Course, Module | None], str]


@dataclass(frozen=True)
class Built:
    kind: str
    module: Module | None
    path: Path
    size: int
    report: Report


def _module(module: Module | None) -> Module:
    assert module is not None, "module-scoped builder called without a module"
    return module


def _package(fmt: Format) -> Builder:
    return Builder(
        fmt,
        "module",
        "zip",
        {"scorm12": "SCORM 1.2", "scorm2004": "SCORM 2004", "cc11": "IMS CC 1.1"}[fmt],
        lambda run, module: package_bytes(run.course, _module(module), fmt, run.render, run.epoch),
        lambda course, module: package_name(_module(module), fmt),
    )


def kit_name(module: Module, kind: str) -> str:
    """`scm-m2-querschnittsaufgabe-leitfaden.pdf`: sorts beside the module's packages."""
    return f"scm-m{module.number}-{module.id}-{kind}.pdf"


def _guide(run: Run, module: Module | None) -> bytes:
    from course_package.kits.guide import render_guide

    return render_guide(run.course, _module(module), run.epoch)


def _worksheets(run: Run, module: Module | None) -> bytes:
    from course_package.kits.worksheets import worksheets_pdf

    return worksheets_pdf(run.course, _module(module), run.epoch)


def _backup(run: Run, module: Module | None) -> bytes:
    from scorm.moodle_backup.from_build import backup_bytes

    return backup_bytes(run)


def _backup_name(course: Course, module: Module | None) -> str:
    return f"{course.moodle.shortname}.mbz"


BUILDERS: dict[str, Builder] = {
    **{fmt: _package(fmt) for fmt in FORMATS},
    GUIDE: Builder(GUIDE, "module", "pdf", "Leitfaden", _guide, lambda c, m: kit_name(_module(m), GUIDE)),
    WORKSHEETS: Builder(
        WORKSHEETS,
        "module",
        "pdf",
        "Arbeitsblätter",
        _worksheets,
        lambda c, m: kit_name(_module(m), WORKSHEETS),
    ),
    BACKUP: Builder(BACKUP, "course", "mbz", "Moodle-Vorlage", _backup, _backup_name),
}
"""Every output in build order; `--format` names these keys."""

KINDS: tuple[str, ...] = tuple(BUILDERS)


def parse_kinds(value: str) -> tuple[str, ...]:
    """`moodle,scorm12` → kinds in registry order; unknown names raise ValueError naming the valid ones."""
    wanted = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in BUILDERS]
    if unknown or not wanted:
        shown = ", ".join(unknown) or "(keines)"
        raise ValueError(f"Unbekannte(s) Format(e) {shown}; möglich: {', '.join(KINDS)}")
    return tuple(kind for kind in KINDS if kind in wanted)


def planned(course: Course, kinds: Sequence[str]) -> int:
    """How many files a run of `kinds` writes (for a progress bar)."""
    return sum(len(course.modules) if BUILDERS[kind].scope == "module" else 1 for kind in kinds)


def run_builds(
    course: Course,
    out_dir: Path,
    kinds: Sequence[str] = KINDS,
    render: Renderer | None = None,
    epoch: int | None = None,
    on_result: Callable[[Built], None] | None = None,
    jobs: int | None = None,
) -> list[Built]:
    """Builds, writes and validates every output of `kinds`: module-scoped ones per module, in order.

    `jobs` above 1 renders the module-scoped outputs in that many forked processes first
    (`scorm.builds_parallel`); writing, validating and reporting stay here, in order. Default: the usable
    cores with the built-in renderer, one process with a caller's `render` (whose calls the caller sees)."""
    run = Run(course, render or default_renderer(), source_date_epoch() if epoch is None else epoch)
    if jobs is None and render is not None:
        jobs = 1
    from scorm.builds_parallel import prebuild

    prebuild(run, [kind for kind in kinds if BUILDERS[kind].scope == "module"], jobs)
    results: list[Built] = []
    for kind in kinds:
        builder = BUILDERS[kind]
        targets: list[Module | None] = list(course.modules) if builder.scope == "module" else [None]
        for module in targets:
            data = run.output(kind, module)
            path = out_dir / builder.name(course, module)
            write_atomic(path, data)
            result = Built(kind, module, path, len(data), validate_path(path))
            results.append(result)
            if on_result:
                on_result(result)
    return results
