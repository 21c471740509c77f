"""The SCO links to the module's worksheets where an activity has one: the PDF inside the package, offline."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from course_package.source import load_course
from scorm.builds import run_builds
from testkit.session_kits import add_session_kits

EPOCH = "1735689600"


def test_sco_carries_the_built_worksheets_and_links_them_in_a_new_window(
    course_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    course = load_course(add_session_kits(course_source))
    results = run_builds(course, tmp_path, ("scorm12", "scorm2004", "cc11", "arbeitsblaetter"))
    assert all(result.report.valid for result in results), [r.report.findings for r in results]
    worksheets = (tmp_path / "scm-m1-grundlagen-arbeitsblaetter.pdf").read_bytes()
    size = f"{round(len(worksheets) / 1024)} KB"
    for flavour in ("scorm12", "scorm2004"):
        with zipfile.ZipFile(tmp_path / f"scm-m1-grundlagen-{flavour}.zip") as package:
            assert package.read("arbeitsblaetter.pdf") == worksheets
            html = package.read("index.html").decode("utf-8")
            assert "arbeitsblaetter.pdf" in package.read("imsmanifest.xml").decode("utf-8")
        links = re.findall(r'<a href="arbeitsblaetter.pdf" target="_blank" rel="noopener">([^<]*)</a>', html)
        assert links == [
            f"Arbeitsblatt 1.1 zu dieser Aufgabe (PDF, {size}, öffnet in neuem Fenster)",
            f"Arbeitsblatt 1.2 zu dieser Aufgabe (PDF, {size}, öffnet in neuem Fenster)",
        ]
    with zipfile.ZipFile(tmp_path / "scm-m1-grundlagen-cc11.zip") as cartridge:
        assert not any(name.endswith(".pdf") for name in cartridge.namelist())


def test_without_worksheets_the_sco_has_no_pdf_and_no_link(course_source: Path, tmp_path: Path) -> None:
    course = load_course(course_source)
    run_builds(course, tmp_path, ("scorm12",), epoch=int(EPOCH))
    with zipfile.ZipFile(tmp_path / "scm-m1-grundlagen-scorm12.zip") as package:
        assert "arbeitsblaetter.pdf" not in package.namelist()
        assert "Arbeitsblatt" not in package.read("index.html").decode("utf-8")
