"""Broken packages made from one of our own valid ones (helpers, no tests): the built cartridge of the test
course's first module, a manifest edit, and the zip on disk, so only the defect under test differs."""

from __future__ import annotations

from pathlib import Path

from course_package.model import Course
from scm_base.zipfile_det import zip_bytes
from scorm import cc11
from scorm.manifest import PackageFiles
from testkit.scorm_fixtures import sample_course, stub_render

COURSE: Course = sample_course()


def files_cc() -> PackageFiles:
    module = COURSE.module(1)
    return cc11.build(COURSE, module, stub_render(COURSE, module, "cc"))


def write(tmp_path: Path, files: PackageFiles, name: str = "paket.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(zip_bytes(files, 0))
    return path


def edit_manifest(files: PackageFiles, old: str, new: str) -> PackageFiles:
    text = files["imsmanifest.xml"].decode()
    assert old in text, old
    return {**files, "imsmanifest.xml": text.replace(old, new, 1).encode()}
