"""`scm-lms build --format moodle` and `scm-lms validate X.mbz` end to end on the starter course."""

from __future__ import annotations

import io
import os
import tarfile
from html import escape
from pathlib import Path

import pytest
from lxml import etree

from course_package.source import load_course
from testkit.cli_run import run
from testkit.moodle_backup import tar_files
from testkit.sources import STARTER

MBZ = "SCM-TEMPLATE.mbz"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default build: every package format plus the Moodle backup."""
    out = tmp_path_factory.mktemp("dist")
    code, output = run("build", str(STARTER), "--out", str(out))
    assert code == 0, output
    assert "moodle" in output and MBZ in output
    return out


def blobs(mbz: Path) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(mbz.read_bytes()), mode="r:gz") as tar:
        return {name: data for name, data in tar_files(tar).items() if name.startswith("files/")}


def test_default_build_writes_the_backup_with_the_built_scorm12_zips_inside(dist: Path) -> None:
    assert (dist / MBZ).is_file()
    inside = set(blobs(dist / MBZ).values())
    scorm12 = sorted(dist.glob("*-scorm12.zip"))
    assert len(scorm12) == 2
    for package in scorm12:
        assert package.read_bytes() in inside, package.name
    for other in [*dist.glob("*-scorm2004.zip"), *dist.glob("*-cc11.zip")]:
        assert other.read_bytes() not in inside


def test_format_moodle_alone_writes_only_the_backup(tmp_path: Path, dist: Path) -> None:
    code, output = run("build", str(STARTER), "--format", "moodle", "--out", str(tmp_path))
    assert code == 0, output
    assert [path.name for path in tmp_path.iterdir()] == [MBZ]
    assert "1 von 1 Paketen gültig" in output and "12/12 ok" in output
    assert (tmp_path / MBZ).read_bytes() == (dist / MBZ).read_bytes(), "same sources, same bytes"


def test_source_date_epoch_changes_the_backup(tmp_path: Path, dist: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000"}
    assert run("build", str(STARTER), "--format", "moodle", "--out", str(tmp_path), env=env)[0] == 0
    assert (tmp_path / MBZ).read_bytes() != (dist / MBZ).read_bytes()
    with tarfile.open(tmp_path / MBZ, "r:gz") as tar:
        assert {member.mtime for member in tar} == {1_800_000_000}


def test_validate_accepts_the_backup(dist: Path) -> None:
    code, output = run("validate", str(dist / MBZ))
    assert code == 0, output
    assert "gültig" in output and "Typ moodle2" in output and "12/12 Prüfungen bestanden" in output


def test_validate_names_what_is_broken(tmp_path: Path) -> None:
    broken = tmp_path / "kaputt.mbz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 abgeschnitten")
    code, output = run("validate", str(broken))
    assert code == 1
    assert "UNGÜLTIG" in output and "[mbz.unreadable]" in output and "gzip-komprimiertes Tar-Archiv" in output


def test_built_in_curriculum_gives_a_valid_five_module_template(tmp_path: Path) -> None:
    course = load_course()
    code, output = run("build", "--format", "moodle", "--out", str(tmp_path))
    assert code == 0, output
    with tarfile.open(tmp_path / MBZ, "r:gz") as tar:
        files = tar_files(tar)
    welcome = etree.fromstring(files["sections/section_100/section.xml"]).findtext("summary") or ""
    assert "40 Stunden an zehn Vormittagen, jeweils 09:00 bis 13:00 Uhr" in welcome
    titles = {session.number: session.title for session in course.sessions}
    for module in course.modules:
        summary = (
            etree.fromstring(files[f"sections/section_{100 + module.number}/section.xml"]).findtext("summary")
            or ""
        )
        for number in module.sessions:
            assert f"{number} ({escape(titles[number], quote=False)})" in summary
        section = files[f"sections/section_{100 + module.number}/section.xml"].decode()
        assert f"<name>Modul {module.number} – {module.short_title}</name>" in section
        cm = files[f"activities/scorm_{200 + module.number}/module.xml"].decode()
        assert f"<idnumber>SCM-M{module.number}</idnumber>" in cm
        scorm = files[f"activities/scorm_{200 + module.number}/scorm.xml"].decode()
        assert f"<completionscorerequired>{module.pass_mark}</completionscorerequired>" in scorm
