"""`scorm.validate` on hostile and broken packages: each is refused or flagged with a message that says what
is wrong. Broken packages are made by mutating one of our own valid packages, so only the defect differs.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_package.model import Course
from scm_base.zipfile_det import zip_bytes
from scorm import scorm12, scorm2004
from scorm.manifest import PackageFiles
from scorm.validate import Report, validate_path
from scorm.validate.archive import Limits
from scorm.validate.package import validate_zip
from testkit.package_edits import edit_manifest, files_cc, write
from testkit.scorm_fixtures import sample_course, stub_render

COURSE: Course = sample_course()


def files12() -> PackageFiles:
    module = COURSE.module(1)
    return scorm12.build(COURSE, module, stub_render(COURSE, module, "scorm12"))


def files2004() -> PackageFiles:
    module = COURSE.module(1)
    return scorm2004.build(COURSE, module, stub_render(COURSE, module, "scorm2004"))


def messages(report: Report, code: str) -> list[str]:
    return [f.message for f in report.findings if f.code == code]


def raw_zip(tmp_path: Path, entries: dict[str, bytes]) -> Path:
    """A zip written with plain zipfile so names are not sanitised."""
    path = tmp_path / "roh.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name), data)
    return path


def test_our_package_is_clean(tmp_path: Path) -> None:
    report = validate_path(write(tmp_path, files12()))
    assert report.valid and report.findings == [] and report.kind == "SCORM_1.2"


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.zip"
    path.write_bytes(b"%PDF-1.7 this is not a zip")
    report = validate_path(path)
    assert not report.valid
    assert "kein lesbares ZIP-Archiv" in messages(report, "zip.unreadable")[0]


def test_unknown_file_type_names_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "notizen.txt"
    path.write_text("hallo")
    report = validate_path(path)
    assert ".zip" in messages(report, "file.type")[0] and ".imscc" in messages(report, "file.type")[0]


@pytest.mark.parametrize(
    ("name", "code", "phrase"),
    [
        ("../../etc/cron.d/evil", "zip.path-traversal", "Path Traversal"),
        ("/etc/passwd", "zip.absolute-path", "absoluten Pfad"),
        ("C:/Windows/evil.dll", "zip.absolute-path", "absoluten Pfad"),
        ("inhalt\\seite.html", "zip.backslash", "Backslash"),
    ],
)
def test_dangerous_entry_names_are_refused(tmp_path: Path, name: str, code: str, phrase: str) -> None:
    entries = {**files12(), name: b"x"}
    report = validate_path(raw_zip(tmp_path, entries))
    assert not report.valid and report.kind == "unbekannt", "nothing else is read"
    (finding,) = [f for f in report.findings if f.code == code]
    assert phrase in finding.message and finding.file == name


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files12().items():
            archive.writestr(name, data)
        link = zipfile.ZipInfo("assets/passwd")
        link.external_attr = (0o120777) << 16
        archive.writestr(link, "/etc/passwd")
    report = validate_path(path)
    assert "symbolischer Link" in messages(report, "zip.symlink")[0] and not report.valid


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    entries = {**files12(), "assets/nullen.bin": bytes(20 * 1024 * 1024)}
    report = validate_path(raw_zip_deflated(tmp_path, entries))
    assert "ZIP-Bombe" in messages(report, "zip.bomb")[0]


def raw_zip_deflated(tmp_path: Path, entries: dict[str, bytes]) -> Path:
    path = tmp_path / "bombe.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    report = validate_zip(write(tmp_path, files12()), Limits(max_total_bytes=10_000))
    assert "ZIP-Bombe" in messages(report, "zip.bomb")[0] and not report.valid


def test_too_many_entries(tmp_path: Path) -> None:
    report = validate_zip(write(tmp_path, files12()), Limits(max_entries=3))
    assert "höchstens 3" in messages(report, "zip.too-many-entries")[0]


def test_encrypted_entry(tmp_path: Path) -> None:
    path = write(tmp_path, files12())
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= 0x01
            start += 4
    path.write_bytes(bytes(data))
    report = validate_path(path)
    assert "verschlüsselt" in messages(report, "zip.encrypted")[0]


def test_manifest_in_subfolder(tmp_path: Path) -> None:
    nested = {f"kurs/{name}": data for name, data in files12().items()}
    report = validate_path(write(tmp_path, nested))
    (message,) = messages(report, "manifest.not-root")
    assert "kurs/imsmanifest.xml" in message and "Wurzelverzeichnis" in message


def test_manifest_missing(tmp_path: Path) -> None:
    files = files12()
    del files["imsmanifest.xml"]
    assert messages(validate_path(write(tmp_path, files)), "manifest.missing")


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE manifest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<manifest identifier="X">&xxe;</manifest>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<manifest identifier="X">&lol3;</manifest>"""


@pytest.mark.parametrize("manifest", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_dtd_and_entities_are_refused(tmp_path: Path, manifest: bytes) -> None:
    report = validate_path(write(tmp_path, {**files12(), "imsmanifest.xml": manifest}))
    (finding,) = report.findings
    assert finding.code == "xml.dtd" and finding.line == 2 and "XXE" in finding.message
    assert b"root:" not in str(report.to_dict()).encode()


def test_malformed_manifest_has_line(tmp_path: Path) -> None:
    files = edit_manifest(files12(), "</organizations>", "</organisations>")
    (finding,) = validate_path(write(tmp_path, files)).findings
    assert finding.code == "xml.malformed" and finding.line and "wohlgeformt" in finding.message


def test_foreign_prefix_breaks_moodle_tracking(tmp_path: Path) -> None:
    files = edit_manifest(files12(), 'xmlns:adlcp="', 'xmlns:ns0="')
    text = files["imsmanifest.xml"].decode().replace("adlcp:", "ns0:")
    report = validate_path(write(tmp_path, {**files, "imsmanifest.xml": text.encode()}))
    assert "wörtliche 'adlcp'" in messages(report, "prefix.literal")[0]
    assert "Moodle liest 'asset'" in messages(report, "prefix.mismatch")[0]
    assert messages(report, "launch.none"), "Moodle would find nothing to launch"


def test_masteryscore_must_be_a_percentage(tmp_path: Path) -> None:
    files = edit_manifest(files12(), "<adlcp:masteryscore>80<", "<adlcp:masteryscore>abc<")
    report = validate_path(write(tmp_path, files))
    assert "'abc' ist keine Zahl von 0 bis 100" in messages(report, "item.masteryscore")[0]


def test_dangling_default_organization(tmp_path: Path) -> None:
    files = edit_manifest(files12(), 'default="SCM-M1-ORG"', 'default="SCM-M1-NIRGENDS"')
    report = validate_path(write(tmp_path, files))
    assert "SCM-M1-NIRGENDS" in messages(report, "organization.default")[0]


def test_dangling_identifierref(tmp_path: Path) -> None:
    files = edit_manifest(files12(), 'identifierref="SCM-M1-SCO"', 'identifierref="SCM-M1-FEHLT"')
    report = validate_path(write(tmp_path, files))
    assert any(
        "'SCM-M1-FEHLT' verweist auf keine Ressource" in m for m in messages(report, "item.identifierref")
    )


def test_missing_and_wrong_case_files(tmp_path: Path) -> None:
    files = files12()
    files["Index.html"] = files.pop("index.html")
    del files["lektion-einstieg.html"]
    report = validate_path(write(tmp_path, files))
    assert any("'Index.html'" in m for m in messages(report, "href.case"))
    assert any("'lektion-einstieg.html'" in m for m in messages(report, "href.missing"))


def test_unlisted_files_are_excess_baggage(tmp_path: Path) -> None:
    report = validate_path(write(tmp_path, {**files12(), "alt/entwurf.html": b"<p>alt</p>"}))
    assert report.valid, "the ADL suite only warns"
    assert [f.file for f in report.findings if f.code == "files.unlisted"] == ["alt/entwurf.html"]


def test_missing_and_modified_control_files(tmp_path: Path) -> None:
    files = files2004()
    del files["imsss_v1p0util.xsd"]
    files["adlcp_v1p3.xsd"] = files["adlcp_v1p3.xsd"].replace(b"</xs:schema>", b"<!-- x --></xs:schema>")
    report = validate_path(write(tmp_path, files))
    assert [f.file for f in report.findings if f.code == "control.missing"] == ["imsss_v1p0util.xsd"]
    assert [f.file for f in report.findings if f.code == "control.differs"] == ["adlcp_v1p3.xsd"]


def test_sco_only_elements_on_an_asset_item(tmp_path: Path) -> None:
    files = edit_manifest(files2004(), 'adlcp:scormType="sco"', 'adlcp:scormType="asset"')
    files = edit_manifest(
        files, "<imsss:sequencing>", "<adlcp:dataFromLMS>x</adlcp:dataFromLMS><imsss:sequencing>"
    )
    report = validate_path(write(tmp_path, files))
    assert "nur an Einträgen erlaubt, die auf ein SCO zeigen" in messages(report, "item.sco-only")[0]
    assert messages(report, "launch.none"), "an asset is nothing Moodle can launch and track"


def test_schema_violation_reports_line(tmp_path: Path) -> None:
    files = edit_manifest(files2004(), 'adlcp:scormType="sco"', 'adlcp:scormType="bogus"')
    report = validate_path(write(tmp_path, files))
    schema = [f for f in report.findings if f.code == "schema.invalid"]
    assert schema and schema[0].line and "bogus" in schema[0].message


def test_unknown_schemaversion_is_read_as_scorm12_by_moodle(tmp_path: Path) -> None:
    files = edit_manifest(files2004(), "2004 4th Edition", "SCORM 2004")
    report = validate_path(write(tmp_path, files))
    assert report.kind == "SCORM_1.2"
    assert "als SCORM 1.2" in messages(report, "metadata.schemaversion")[0]


def test_duplicate_and_invalid_identifiers(tmp_path: Path) -> None:
    files = edit_manifest(files12(), 'identifier="SCM-M1-ITEM"', 'identifier="SCM-M1-ORG"')
    files = edit_manifest(files, 'identifier="SCM-M1-MANIFEST"', 'identifier="1 Paket"')
    report = validate_path(write(tmp_path, files))
    assert "'SCM-M1-ORG' kommt mehrfach vor" in messages(report, "id.duplicate")[0]
    assert "'1 Paket' ist kein NCName" in messages(report, "id.ncname")[0]


def test_plugin_media_and_external_href(tmp_path: Path) -> None:
    files = edit_manifest(files12(), '<file href="index.html"/>', '<file href="https://example.org/x.js"/>')
    files = {**files, "film.swf": b"FWS"}
    report = validate_path(write(tmp_path, files))
    assert "Plugin-Medien (.swf)" in messages(report, "media.plugin")[0]
    assert "verweist nach außen" in messages(report, "href.external")[0]


def test_cc_namespace_beyond_500_bytes(tmp_path: Path) -> None:
    files = files_cc()
    padding = "<!-- " + "x" * 600 + " -->\n"
    text = files["imsmanifest.xml"].decode().replace("?>\n", "?>\n" + padding, 1)
    report = validate_path(write(tmp_path, {**files, "imsmanifest.xml": text.encode()}))
    assert report.kind == "IMSCC_1.1"
    assert "ersten 500 Bytes" in messages(report, "cc.namespace")[0]


def test_cc_scripts_and_bad_resource_type(tmp_path: Path) -> None:
    files = files_cc()
    files["index.html"] = files["index.html"].replace(b"<main>", b'<main onclick="x()">')
    files = edit_manifest(files, 'type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment"', 'type="imsqti_xmlv2p1"')
    report = validate_path(write(tmp_path, files))
    assert "PARAM_CLEANHTML" in messages(report, "cc.script")[0]
    assert "'imsqti_xmlv2p1' gibt es in CC 1.1 nicht" in messages(report, "cc.resource-type")[0]


def test_cc_profile_structure_rules(tmp_path: Path) -> None:
    files = files_cc()
    files = edit_manifest(files, 'structure="rooted-hierarchy"', 'structure="rootorganization"')
    files = edit_manifest(
        files, '<item identifier="SCM-M1-ROOT">', '<item identifier="SCM-M1-ROOT"><title>W</title>'
    )
    files = edit_manifest(
        files,
        'type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment">',
        'type="imsqti_xmlv1p2/imscc_xmlv1p1/assessment" href="SCM-M1-QTI/assessment.xml">',
    )
    report = validate_path(write(tmp_path, files))
    assert "verlangt 'rooted-hierarchy'" in messages(report, "cc.organization")[0]
    assert "weder identifierref noch Titel" in messages(report, "cc.root-item")[0]
    assert "genau ein <file> und kein href" in messages(report, "cc.resource-file")[0]


def test_cc_qti_profile_rules(tmp_path: Path) -> None:
    files = files_cc()
    quiz = "SCM-M1-QTI/assessment.xml"
    text = files[quiz].decode()
    text = text.replace('rcardinality="Multiple"', 'rcardinality="Single"', 1)
    text = text.replace(">SCM-M1-q1-single-ja</varequal>", ">SCM-M1-q1-single-vielleicht</varequal>", 1)
    text = text.replace(
        "<fieldentry>cc.true_false.v0p1</fieldentry>", "<fieldentry>cc.drag_drop</fieldentry>", 1
    )
    report = validate_path(write(tmp_path, {**files, quiz: text.encode()}))
    structure = messages(report, "cc.qti-structure")
    assert any("rcardinality=Multiple" in m for m in structure)
    assert any("unbekannte Antwort 'SCM-M1-q1-single-vielleicht'" in m for m in structure)
    assert "'cc.drag_drop' kann Moodle nicht importieren" in messages(report, "cc.qti-profile")[0]


def test_third_party_multi_sco_3rd_edition_package(tmp_path: Path) -> None:
    """A package we did not build: 3rd edition, a cluster with two SCOs and an asset, own file names."""
    files = files2004()
    needed = ("imscp_v1p1.xsd", "adlcp_v1p3.xsd", "xml.xsd", "XMLSchema.dtd", "datatypes.dtd")
    controls = {name: files[name] for name in needed}
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="fremd" version="1" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd
  http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="org"><organization identifier="org"><title>Fremdkurs</title>
    <item identifier="kapitel"><title>Kapitel</title>
      <item identifier="i1" identifierref="r1"><title>Teil 1</title></item>
      <item identifier="i2" identifierref="r2"><title>Teil 2</title></item>
    </item></organization></organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="teil1/start.html">
      <file href="teil1/start.html"/><dependency identifierref="gemeinsam"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="sco" href="teil2/start.html">
      <file href="teil2/start.html"/><dependency identifierref="gemeinsam"/></resource>
    <resource identifier="gemeinsam" type="webcontent" adlcp:scormType="asset">
      <file href="gemeinsam/stil.css"/>
    </resource>
  </resources>
</manifest>"""
    package = {
        **controls,
        "imsmanifest.xml": manifest.encode(),
        "teil1/start.html": b"<p>1</p>",
        "teil2/start.html": b"<p>2</p>",
        "gemeinsam/stil.css": b"p{}",
    }
    report = validate_path(write(tmp_path, package))
    assert report.kind == "SCORM_1.3" and report.launch == "teil1/start.html"
    assert report.valid, report.findings
    assert messages(report, "metadata.schemaversion") == [
        "schemaversion '2004 3rd Edition' ist veraltet; empfohlen: '2004 4th Edition'."
    ]
    assert [f.code for f in report.findings] == ["metadata.schemaversion"]


def test_manifest_zip_bytes_roundtrip_is_readable() -> None:
    data = zip_bytes(files12(), 0)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_validator_never_crashes_on_arbitrary_manifests(tmp_path: Path, manifest: bytes) -> None:
    report = validate_path(write(tmp_path, {**files12(), "imsmanifest.xml": manifest}, "zufall.zip"))
    assert not report.valid or report.kind in {"SCORM_1.2", "SCORM_1.3", "IMSCC_1.1"}
    assert all(f.message and f.code for f in report.findings)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_validator_never_crashes_on_arbitrary_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "zufall.zip"
    path.write_bytes(data)
    report = validate_path(path)
    assert not report.valid and report.errors[0].message
