"""Unit behaviour of the packaging helpers: control-file discovery, the offline schema guard, the zip writer
and the mapping of quiz types onto Common Cartridge QTI."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from scm_base.atomic import write_atomic
from scm_base.zipfile_det import DEFAULT_EPOCH, EpochError, source_date_epoch, zip_bytes
from scorm import qti, scorm12, xsd
from scorm.manifest import PackageError, PackageIds
from scorm.scorm2004 import mastery_measure
from testkit.scorm_fixtures import sample_course, stub_render


def test_control_files_follow_includes_and_dtds() -> None:
    names = xsd.control_file_names(xsd.SCORM2004_4TH)
    assert {"imsss_v1p0util.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd"} <= set(names)
    assert len(names) == 17
    assert xsd.control_file_names(xsd.SCORM12) == (
        "adlcp_rootv1p2.xsd",
        "ims_xml.xsd",
        "imscp_rootv1p1p2.xsd",
        "imsmd_rootv1p2p1.xsd",
    )


def test_in_memory_patches_leave_disk_copies_untouched() -> None:
    folder = xsd.edition_dir(xsd.SCORM12)
    assert b'xmlns="http://www.w3.org/XML/1998/namespace"' in (folder / "ims_xml.xsd").read_bytes()
    course = sample_course()
    module = course.module(1)
    manifest = scorm12.manifest(course, module, stub_render(course, module, "scorm12"))
    assert xsd.schema_errors(etree.ElementTree(manifest), xsd.SCORM12) == []


def test_missing_xsd_dir_names_make_install(tmp_path: Path) -> None:
    with pytest.raises(xsd.XsdError, match="`make install` ausführen"):
        xsd.edition_dir(xsd.SCORM12, tmp_path)
    assert xsd.xsd_dir({"SCM_LMS_XSD_DIR": str(tmp_path)}) == tmp_path
    assert xsd.xsd_dir({}).parts[-2:] == ("vendor", "xsd")


def test_schema_loading_refuses_the_network(tmp_path: Path) -> None:
    edition = xsd.Edition(
        key="netz",
        folder="netz",
        schema_location=(("urn:x", "a.xsd"),),
    )
    folder = tmp_path / "netz"
    folder.mkdir()
    (folder / "a.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">'
        '<xs:import namespace="urn:y" schemaLocation="http://example.invalid/y.xsd"/></xs:schema>'
    )
    with pytest.raises(xsd.XsdError, match="nicht aus dem Netz geladen"):
        xsd.schema_errors(etree.ElementTree(etree.fromstring(b"<a/>")), edition, tmp_path)


def test_source_date_epoch() -> None:
    assert source_date_epoch({}) == DEFAULT_EPOCH
    assert source_date_epoch({"SOURCE_DATE_EPOCH": " 1700000000 "}) == 1_700_000_000
    with pytest.raises(EpochError, match="SOURCE_DATE_EPOCH='-5'"):
        source_date_epoch({"SOURCE_DATE_EPOCH": "-5"})


def test_zip_is_independent_of_input_order_and_clamps_old_epochs(tmp_path: Path) -> None:
    one = zip_bytes({"b.txt": b"2", "a/c.txt": b"1"}, 0)
    two = zip_bytes({"a/c.txt": b"1", "b.txt": b"2"}, 0)
    assert one == two
    path = tmp_path / "x.zip"
    write_atomic(path, one)
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["a/c.txt", "b.txt"]
        assert archive.getinfo("b.txt").date_time == (1980, 1, 1, 0, 0, 0)
    assert os.listdir(tmp_path) == ["x.zip"]
    assert (path.stat().st_mode & 0o777) == 0o644


def test_write_atomic_keeps_old_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "paket.zip"
    path.write_bytes(b"alt")
    with pytest.raises(TypeError):
        write_atomic(path, "kein bytes")  # type: ignore[arg-type]  # the wrong type is the test
    assert path.read_bytes() == b"alt" and os.listdir(tmp_path) == ["paket.zip"]


def test_identifiers_come_from_the_module_number_only() -> None:
    course = sample_course()
    ids = PackageIds.of(course.module(3))
    assert (ids.manifest, ids.organization, ids.item, ids.sco) == (
        "SCM-M3-MANIFEST",
        "SCM-M3-ORG",
        "SCM-M3-ITEM",
        "SCM-M3-SCO",
    )
    assert ids.child("PAGE", "lektion/01 ä") == "SCM-M3-PAGE-lektion_01__"


@pytest.mark.parametrize(("mark", "measure"), [(80, "0.8"), (75, "0.75"), (100, "1"), (0, "0"), (5, "0.05")])
def test_mastery_measure(mark: int, measure: str) -> None:
    assert mastery_measure(mark) == measure


def test_qti_mapping_keeps_each_question_once_with_one_right_answer() -> None:
    quiz = sample_course().module(1).quiz
    items = qti.items(quiz, "SCM-M1")
    profiles = [item.profile for item in items]
    assert profiles == [
        "cc.multiple_choice.v0p1",
        "cc.multiple_response.v0p1",
        "cc.true_false.v0p1",
        "cc.multiple_choice.v0p1",
        "cc.multiple_choice.v0p1",
    ]
    ordering, matching = items[3], items[4]
    assert [a.text for a in ordering.answers if a.correct] == ["Analyse → Strategie → Umsetzung"]
    assert len(ordering.answers) == 4 and len({a.text for a in ordering.answers}) == 4
    assert {a.feedback for a in ordering.answers if not a.correct} == {"Die Analyse kommt zuerst."}
    correct = (
        "OZG = Onlinezugangsgesetz; DSGVO = Datenschutz-Grundverordnung; "
        "OZG-Reifegrad = Stufenmodell der Online-Verfügbarkeit"
    )
    assert [a.text for a in matching.answers if a.correct] == [correct]
    assert len(matching.answers) == 4
    true_false = items[2]
    assert [(a.text, a.correct, a.feedback) for a in true_false.answers] == [
        ("Richtig", True, "Richtig."),
        ("Falsch", False, "Leider falsch."),
    ]
    assert [a.ident for a in true_false.answers] == ["true", "false"]


def test_unsafe_rendered_paths_are_refused() -> None:
    course = sample_course()
    module = course.module(1)
    site = stub_render(course, module, "scorm12")
    for bad in ("../x.html", "Ä.html", "imsmanifest.xml", "imscp_rootv1p1p2.xsd"):
        broken = type(site)(files={**site.files, bad: b""})
        with pytest.raises(PackageError, match=r"Modul 1 \(grundlagen\)"):
            scorm12.build(course, module, broken)
    missing_launch = type(site)(files=site.files, launch="start.html")
    with pytest.raises(PackageError, match=r"Startseite 'start\.html'"):
        scorm12.build(course, module, missing_launch)


def test_control_files_work_from_a_folder_with_spaces_and_umlauts(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "Schemata für SCORM"
    shutil.copytree(xsd.xsd_dir() / "scorm12edition", root / "scorm12edition")
    course = sample_course()
    module = course.module(1)
    manifest = scorm12.manifest(course, module, stub_render(course, module, "scorm12"))
    assert xsd.schema_errors(etree.ElementTree(manifest), xsd.SCORM12, root) == []
    broken = etree.fromstring(etree.tostring(manifest).replace(b'scormtype="sco"', b'scormtype="x"'))
    assert xsd.schema_errors(etree.ElementTree(broken), xsd.SCORM12, root)
