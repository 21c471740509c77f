"""The worksheets PDF as a file resource in each module's section of the template .mbz, and the agenda of
the module's mornings in the section summary."""

from __future__ import annotations

import hashlib
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from lxml import etree

from course_package.model import Course
from course_package.scaffold import STARTER_DIR
from course_package.source import load_course
from scorm.builds import run_builds
from scorm.moodle_backup.validate import validate_mbz
from testkit.moodle_backup import tar_files, write_files
from testkit.session_kits import add_session_kits

EPOCH = 1_735_689_600
Tree = dict[str, bytes]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Course, Path]:
    root = tmp_path_factory.mktemp("kit")
    shutil.copytree(STARTER_DIR, root / "kurs")
    course = load_course(add_session_kits(root / "kurs"))
    run_builds(course, root / "dist", ("arbeitsblaetter", "moodle"), epoch=EPOCH)
    return course, root / "dist"


@pytest.fixture(scope="module")
def tree(built: tuple[Course, Path]) -> Tree:
    with tarfile.open(built[1] / "SCM-TEMPLATE.mbz", mode="r:gz") as tar:
        files = tar_files(tar)
    del files[".ARCHIVE_INDEX"]  # write_files derives it again
    return files


def xml(tree: Tree, path: str) -> etree._Element:
    return etree.fromstring(tree[path])


def test_each_section_has_a_resource_folder_shaped_like_an_activity(tree: Tree) -> None:
    for number in (1, 2):
        folder = f"activities/resource_{400 + number}"
        names = {path.removeprefix(folder + "/") for path in tree if path.startswith(folder + "/")}
        scorm = {p.split("/")[-1] for p in tree if p.startswith(f"activities/scorm_{200 + number}/")}
        assert names == (scorm - {"scorm.xml"}) | {"resource.xml"}
        module = xml(tree, f"{folder}/module.xml")
        assert module.get("id") == str(400 + number)
        assert module.findtext("modulename") == "resource"
        assert module.findtext("sectionid") == str(100 + number) and module.findtext("completion") == "0"
        activity = xml(tree, f"{folder}/resource.xml")
        assert activity.get("modulename") == "resource" and activity.get("contextid") == str(500 + number)
        assert activity.findtext("resource/name") == f"Arbeitsblätter Modul {number} (PDF)"
        assert activity.findtext("resource/display") == "5"
        section = xml(tree, f"sections/section_{100 + number}/section.xml")
        assert section.findtext("sequence") == f"{200 + number},{400 + number}"


def test_the_pdf_is_the_built_worksheets_file_in_the_content_area(
    tree: Tree, built: tuple[Course, Path]
) -> None:
    _, dist = built
    records = [r for r in xml(tree, "files.xml").iter("file") if r.findtext("component") == "mod_resource"]
    files = [r for r in records if r.findtext("filename") != "."]
    assert [r.findtext("filename") for r in files] == [
        "scm-m1-grundlagen-arbeitsblaetter.pdf",
        "scm-m2-umsetzung-arbeitsblaetter.pdf",
    ]
    for number, record in enumerate(files, 1):
        assert record.findtext("filearea") == "content" and record.findtext("filepath") == "/"
        assert record.findtext("contextid") == str(500 + number)
        assert record.findtext("mimetype") == "application/pdf"
        digest = record.findtext("contenthash") or ""
        assert (
            tree[f"files/{digest[:2]}/{digest}"] == (dist / (record.findtext("filename") or "")).read_bytes()
        )
        inforef = xml(tree, f"activities/resource_{400 + number}/inforef.xml")
        assert record.get("id") in [ref.findtext("id") for ref in inforef.iterfind("fileref/file")]
    assert len(records) == 4  # each file and its folder record "/"


def test_manifest_lists_the_resources_and_their_settings(tree: Tree) -> None:
    root = xml(tree, "moodle_backup.xml")
    activities = root.iterfind("information/contents/activities/activity")
    listed = [(a.findtext("modulename"), a.findtext("moduleid")) for a in activities]
    assert listed == [
        ("forum", "200"),
        ("scorm", "201"),
        ("resource", "401"),
        ("scorm", "202"),
        ("resource", "402"),
    ]
    settings = {s.findtext("name"): s.findtext("value") for s in root.iter("setting")}
    assert settings["resource_401_included"] == "1" and settings["resource_401_userinfo"] == "0"


def test_section_summary_carries_the_agenda_of_the_mornings(tree: Tree) -> None:
    summary = xml(tree, "sections/section_102/section.xml").findtext("summary") or ""
    assert "<strong>Ablauf Vormittag 2: Beteiligung im World Café</strong>" in summary
    items = re.findall(r"<li>([^<]*)</li>", summary)
    assert "09:00–09:15 Einstieg (Blitzlicht)" in items and "10:00–10:10 Pause" in items
    assert "12:45–13:00 Abschluss (Blitzlicht)" in items


def test_validator_accepts_the_resources_and_names_a_missing_file(tree: Tree, tmp_path: Path) -> None:
    report = validate_mbz(write_files(tmp_path / "ok.mbz", tree))
    assert report.valid and report.checks_passed == report.checks_run, report.findings
    broken = dict(tree)
    pool = xml(tree, "files.xml")
    for record in list(pool.iter("file")):
        if record.findtext("contextid") == "501":
            pool.remove(record)
    broken["files.xml"] = etree.tostring(pool, xml_declaration=True, encoding="UTF-8")
    report = validate_mbz(write_files(tmp_path / "ohne.mbz", broken))
    assert "resource.file" in report.codes() and not report.valid
    inforef = dict(tree)
    inforef["activities/resource_402/inforef.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<inforef></inforef>'
    )
    assert "resource.inforef" in validate_mbz(write_files(tmp_path / "ref.mbz", inforef)).codes()


def test_a_broken_pdf_in_a_resource_is_an_error(tree: Tree, tmp_path: Path) -> None:
    broken = dict(tree)
    pool = xml(tree, "files.xml")
    bad = b"%PDF-1.4\nkaputt"
    digest = hashlib.sha1(bad).hexdigest()
    for record in pool.iter("file"):
        if record.findtext("contextid") == "501" and record.findtext("filename") != ".":
            record.find("contenthash").text = digest  # type: ignore[union-attr]
            record.find("filesize").text = str(len(bad))  # type: ignore[union-attr]
    broken["files.xml"] = etree.tostring(pool, xml_declaration=True, encoding="UTF-8")
    broken[f"files/{digest[:2]}/{digest}"] = bad
    codes = validate_mbz(write_files(tmp_path / "pdf.mbz", broken)).codes()
    assert codes & {"resource.pdf.parse", "resource.pdf.pages"}, codes
