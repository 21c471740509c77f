"""The validator on a real third-party package: the SCO that a real Moodle 4.5 accepted, taken from the shared
reference backup, compared with what that Moodle itself recorded about it (version and launch file).
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from lxml import etree

from scorm.validate import validate_path

REFERENCE = Path(__file__).parent / "data" / "moodle-backup" / "scm-template-reference.mbz"
"""Moodle 4.5's own backup of the template course (copied from shared/moodle-backup with its README)."""


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    stream = archive.extractfile(name)
    assert stream is not None, name
    return stream.read()


@pytest.fixture(scope="module")
def moodle_view(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, etree._Element]:
    """(the uploaded package as a file, Moodle's `scorm.xml` for the first SCORM activity)."""
    with tarfile.open(REFERENCE, "r:gz") as archive:
        files = etree.fromstring(_member(archive, "files.xml"))
        record = next(f for f in files.iter("file") if f.findtext("filename") == "fixture-sco.zip")
        digest = record.findtext("contenthash") or ""
        package = _member(archive, f"files/{digest[:2]}/{digest}")
        scorm = etree.fromstring(_member(archive, "activities/scorm_44/scorm.xml"))
    path = tmp_path_factory.mktemp("fremd") / "fixture-sco.zip"
    path.write_bytes(package)
    return path, scorm


def test_detection_matches_what_moodle_recorded(moodle_view: tuple[Path, etree._Element]) -> None:
    path, scorm = moodle_view
    report = validate_path(path)
    assert report.kind == scorm.findtext(".//version") == "SCORM_1.2"
    launches = [sco.findtext("launch") for sco in scorm.iter("sco") if sco.findtext("scormtype") == "sco"]
    assert report.launch == launches[0] == "index.html"


def test_missing_control_files_are_the_only_problem(moodle_view: tuple[Path, etree._Element]) -> None:
    report = validate_path(moodle_view[0])
    assert not report.valid, "the ADL test suite requires the XSDs named in xsi:schemaLocation"
    assert {(f.code, f.file) for f in report.findings} == {
        ("control.missing", "adlcp_rootv1p2.xsd"),
        ("control.missing", "imscp_rootv1p1p2.xsd"),
        ("control.missing", "imsmd_rootv1p2p1.xsd"),
    }
    assert report.checks_run - report.checks_passed == 1
