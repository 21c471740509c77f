"""Shared builders for the .mbz tests (no tests here): a five-module course, its backup, archive surgery."""

from __future__ import annotations

import copy
import io
import tarfile
from pathlib import Path

import yaml

from course_package.model import Course
from scorm.moodle_backup.archive import mbz_bytes
from scorm.moodle_backup.backup import backup_files
from scorm.moodle_backup.course import TemplateCourse
from scorm.moodle_backup.from_build import template_course

TESTS = Path(__file__).resolve().parents[1] / "tests"
FIXTURE_COURSE = TESTS / "browser" / "fixture-course.yaml"
REFERENCE = TESTS / "data" / "moodle-backup" / "scm-template-reference.mbz"
"""Moodle 4.5's own backup of the template course (copied from shared/moodle-backup with its README)."""
EPOCH = 1_767_225_600
"""2026-01-01T00:00:00Z."""
SHORT_TITLES = ("Grundlagen", "Querschnitt", "Technik", "Strategie", "Umsetzung")


def five_module_course() -> Course:
    """The browser-test fixture module five times, numbered 1..5, two sessions each, pass marks 70..90."""
    data = yaml.safe_load(FIXTURE_COURSE.read_text(encoding="utf-8"))
    template = data["modules"][0]
    modules = []
    for number, short in enumerate(SHORT_TITLES, start=1):
        module = copy.deepcopy(template)
        module.update(
            number=number,
            id=short.lower(),
            title=f"{short} der Smart City",
            short_title=short,
            sessions=[2 * number - 1, 2 * number],
            hours=8,
            pass_mark=70 + 5 * (number - 1),
        )
        modules.append(module)
    data.update(
        modules=modules,
        subtitle="Qualifizierung für Kommunen",
        hours=40,
        sessions=[{"number": n, "title": f"Thema des {n}. Vormittags"} for n in range(1, 11)],
    )
    return Course.model_validate(data)


def five_module_template() -> TemplateCourse:
    return template_course(five_module_course(), epoch=EPOCH)


def write_files(path: Path, files: dict[str, bytes]) -> Path:
    """A well-formed .mbz of `files` (index and folders derived), for tests that break one thing inside."""
    path.write_bytes(mbz_bytes(files, EPOCH))
    return path


def template_files() -> dict[str, bytes]:
    return backup_files(five_module_template())


def raw_tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    """A gzip tar with hand-made headers (links, devices, traversal) that `mbz_bytes` would never write."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    path.write_bytes(buffer.getvalue())
    return path


def read_member(tar: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    """The bytes of a regular member; `extractfile` is None only for folders and special files."""
    handle = tar.extractfile(info)
    assert handle is not None, f"{info.name} is not a regular file"
    return handle.read()


def tar_files(tar: tarfile.TarFile) -> dict[str, bytes]:
    return {info.name: read_member(tar, info) for info in tar if info.isfile()}


def member(
    name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = ""
) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    info.linkname = link
    return info, data
