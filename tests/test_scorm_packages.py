"""Checklist items 1–16, 30, 31 and 38 (research/scorm.md §6b) on every built package, modules × formats.

The packages are built once per session from the built-in curriculum with the real renderer (falling back to
the test course while the curriculum is still incomplete), and each item is asserted directly with lxml and
zipfile, independent of the validator, which is then also required to report nothing at all.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from course_package.model import Course, Module
from scorm import cc11, scorm12, scorm2004, xsd
from scorm.build import BuildResult, build_all, default_renderer, package_bytes, package_name
from scorm.manifest import FORMATS, Format
from scorm.validate.parse import moodle_scorm_version, moodle_sees_cc11, parse_literal
from testkit.scorm_fixtures import course_under_test

NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
SIZE_AIM = 500 * 1024


@dataclass(frozen=True)
class Built:
    module: Module
    fmt: Format
    path: Path
    result: BuildResult

    @property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.path)

    def read(self, name: str) -> bytes:
        with self.zip as archive:
            return archive.read(name)

    @property
    def names(self) -> list[str]:
        with self.zip as archive:
            return archive.namelist()

    @property
    def manifest(self) -> etree._Element:
        return etree.fromstring(self.read("imsmanifest.xml"))


Packages = dict[Format, list[Built]]


@pytest.fixture(scope="session")
def course() -> Course:
    return course_under_test()


@pytest.fixture(scope="session")
def packages(course: Course, tmp_path_factory: pytest.TempPathFactory) -> dict[Format, list[Built]]:
    out = tmp_path_factory.mktemp("dist")
    results = build_all(course, out, epoch=1_700_000_000)
    built: dict[Format, list[Built]] = {fmt: [] for fmt in FORMATS}
    for result in results:
        built[result.format].append(Built(result.module, result.format, result.path, result))
    return built


def each(packages: Packages, fmt: Format) -> Iterator[Built]:
    assert packages[fmt], f"no {fmt} packages built"
    yield from packages[fmt]


SCORM: tuple[Format, ...] = ("scorm12", "scorm2004")
EDITION = {"scorm12": xsd.SCORM12, "scorm2004": xsd.SCORM2004_4TH}
CP_NS = {"scorm12": scorm12.IMSCP, "scorm2004": scorm2004.IMSCP, "cc11": cc11.CC}


def test_every_module_is_built_in_every_format(course: Course, packages: Packages) -> None:
    for fmt in FORMATS:
        assert [b.path.name for b in packages[fmt]] == [package_name(m, fmt) for m in course.modules]
        assert all(b.path.name.isascii() for b in packages[fmt])


@pytest.mark.parametrize("fmt", FORMATS)
def test_validator_reports_nothing(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        report = built.result.report
        assert report.findings == [], (built.path.name, report.findings)
        assert report.checks_run == report.checks_passed > 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_item1_zip_layout(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        names = built.names
        assert "imsmanifest.xml" in names, built.path.name
        for name in names:
            assert name.isascii() and "\\" not in name and not name.startswith("/"), name
            assert ".." not in name.split("/") and not any(p.startswith(".") for p in name.split("/")), name
            assert not name.startswith("__MACOSX"), name


@pytest.mark.parametrize("fmt", FORMATS)
def test_item2_fixed_zip_metadata(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        with built.zip as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
        assert {i.external_attr >> 16 for i in infos} == {0o100644}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_item2_9_second_build_is_byte_identical(course: Course, packages: Packages) -> None:
    render = default_renderer()
    for fmt in FORMATS:
        for built in each(packages, fmt):
            again = package_bytes(course, built.module, fmt, render, 1_700_000_000)
            assert again == built.path.read_bytes(), built.path.name


@pytest.mark.parametrize("fmt", FORMATS)
def test_item3_manifest_is_utf8_with_declaration(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        raw = built.read("imsmanifest.xml")
        assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        raw.decode("utf-8")
        assert built.manifest.tag == f"{{{CP_NS[fmt]}}}manifest"


@pytest.mark.parametrize("fmt", SCORM)
def test_item4_manifest_validates_offline_against_control_files(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        tree = etree.ElementTree(built.manifest)
        assert xsd.schema_errors(tree, EDITION[fmt]) == [], built.path.name


@pytest.mark.parametrize("fmt", SCORM)
def test_item5_control_files_at_root_byte_identical(packages: Packages, fmt: Format) -> None:
    edition = EDITION[fmt]
    folder = xsd.edition_dir(edition)
    expected = set(xsd.control_file_names(edition))
    for built in each(packages, fmt):
        located = built.manifest.get(f"{{{xsd.XSI_NS}}}schemaLocation", "").split()[1::2]
        assert set(located) <= expected
        roots = {name for name in built.names if "/" not in name and name.endswith((".xsd", ".dtd"))}
        assert roots == expected, built.path.name
        for name in expected:
            assert built.read(name) == (folder / name).read_bytes(), name


@pytest.mark.parametrize(("fmt", "version"), [("scorm12", "1.2"), ("scorm2004", "2004 4th Edition")])
def test_item6_schema_and_version(packages: Packages, fmt: Format, version: str) -> None:
    for built in each(packages, fmt):
        metadata = built.manifest.find(f"{{{CP_NS[fmt]}}}metadata")
        assert metadata is not None
        assert [(etree.QName(c).localname, c.text) for c in metadata[:2]] == [
            ("schema", "ADL SCORM"),
            ("schemaversion", version),
        ]


@pytest.mark.parametrize(("fmt", "moodle"), [("scorm12", "SCORM_1.2"), ("scorm2004", "SCORM_1.3")])
def test_item7_moodle_detection_and_launch(packages: Packages, fmt: Format, moodle: str) -> None:
    for built in each(packages, fmt):
        literal = parse_literal(built.read("imsmanifest.xml"))
        version = literal.iter("SCHEMAVERSION")[0].text.strip()
        assert moodle_scorm_version(version) == moodle
        assert built.result.report.kind == moodle
        assert built.result.report.launch == "index.html"


@pytest.mark.parametrize("fmt", SCORM)
def test_item8_literal_prefixes_agree_with_namespaces(packages: Packages, fmt: Format) -> None:
    attribute = {"scorm12": f"{{{scorm12.ADLCP}}}scormtype", "scorm2004": f"{{{scorm2004.ADLCP}}}scormType"}[
        fmt
    ]
    for built in each(packages, fmt):
        raw = built.read("imsmanifest.xml")
        for prefix in ("adlcp", "imsss") if fmt == "scorm2004" else ("adlcp",):
            assert f"xmlns:{prefix}=".encode() in raw
        aware = [r.get(attribute) for r in built.manifest.iter(f"{{{CP_NS[fmt]}}}resource")]
        literal = [n.attrs.get("ADLCP:SCORMTYPE") for n in parse_literal(raw).iter("RESOURCE")]
        assert aware == literal == ["sco"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_item9_identifiers_ncname_unique_and_stable(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        ids = [e.get("identifier") for e in built.manifest.iter() if e.get("identifier") is not None]
        assert len(ids) == len(set(ids)) and all(NCNAME.match(i or "") for i in ids)
        prefix = f"SCM-M{built.module.number}"
        assert {f"{prefix}-MANIFEST", f"{prefix}-ORG", f"{prefix}-ITEM"} <= set(ids)
        if fmt != "cc11":
            assert f"{prefix}-SCO" in ids


@pytest.mark.parametrize("fmt", SCORM)
def test_item10_11_one_organization_one_sco(packages: Packages, fmt: Format) -> None:
    ns = CP_NS[fmt]
    for built in each(packages, fmt):
        root = built.manifest
        organizations = root.find(f"{{{ns}}}organizations")
        assert organizations is not None
        orgs = organizations.findall(f"{{{ns}}}organization")
        assert len(orgs) == 1 and organizations.get("default") == orgs[0].get("identifier")
        items = list(orgs[0].iter(f"{{{ns}}}item"))
        resources = {r.get("identifier"): r for r in root.iter(f"{{{ns}}}resource")}
        assert len(items) == 1 and items[0].get("identifierref") in resources
        resource = resources[items[0].get("identifierref")]
        assert resource.get("type") == "webcontent" and resource.get("href") == "index.html"


@pytest.mark.parametrize("fmt", FORMATS)
def test_item12_13_14_hrefs_listed_and_existing(packages: Packages, fmt: Format) -> None:
    ns = CP_NS[fmt]
    for built in each(packages, fmt):
        root = built.manifest
        names = set(built.names)
        hrefs = [
            e.get("href") or "" for e in root.iter(f"{{{ns}}}file", f"{{{ns}}}resource") if e.get("href")
        ]
        for href in hrefs:
            assert href in names and "://" not in href and not href.startswith("/") and "\\" not in href, href
        assert len({n.lower() for n in names}) == len(names)
        listed = {e.get("href") for e in root.iter(f"{{{ns}}}file")}
        controls = set(xsd.control_file_names(EDITION[fmt])) if fmt in EDITION else set()
        assert names - listed - controls == {"imsmanifest.xml"}, built.path.name
        assert not [e for e in root.iter() if e.get("{http://www.w3.org/XML/1998/namespace}base")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_item15_titles(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        titles = [t.text or "" for t in built.manifest.iter(f"{{{CP_NS[fmt]}}}title")]
        assert titles and all(0 < len(t.strip()) <= 200 for t in titles)
        assert f"Modul {built.module.number}" in titles[0]


def test_item16_scorm12_masteryscore_is_pass_mark(packages: Packages) -> None:
    for built in each(packages, "scorm12"):
        scores = [e.text for e in built.manifest.iter(f"{{{scorm12.ADLCP}}}masteryscore")]
        assert scores == [str(built.module.pass_mark)]


def test_item16_scorm2004_sequencing_is_minimal(packages: Packages) -> None:
    allowed = {"sequencing", "controlMode", "deliveryControls", "objectives", "primaryObjective"}
    allowed.add("minNormalizedMeasure")
    for built in each(packages, "scorm2004"):
        root = built.manifest
        used = {etree.QName(e).localname for e in root.iter(f"{{{scorm2004.IMSSS}}}*")}
        assert used <= allowed
        measure = root.find(f".//{{{scorm2004.IMSSS}}}minNormalizedMeasure")
        objective = root.find(f".//{{{scorm2004.IMSSS}}}primaryObjective")
        assert measure is not None and objective is not None
        assert float(measure.text or "") == built.module.pass_mark / 100
        assert objective.get("satisfiedByMeasure") == "true"
        assert not list(root.iter(f"{{{scorm2004.ADLCP}}}completionThreshold", "{*}persistState"))


def test_item30_cc_cartridge_shape(packages: Packages) -> None:
    for built in each(packages, "cc11"):
        raw = built.read("imsmanifest.xml")
        assert moodle_sees_cc11(raw)
        root = built.manifest
        metadata = root.find(f"{{{cc11.CC}}}metadata")
        assert metadata is not None
        assert [c.text for c in metadata[:2]] == ["IMS Common Cartridge", "1.1.0"]
        (org,) = root.iter(f"{{{cc11.CC}}}organization")
        assert org.get("structure") == "rooted-hierarchy"
        (top,) = org.findall(f"{{{cc11.CC}}}item")
        assert top.get("identifierref") is None and len(list(top.iter(f"{{{cc11.CC}}}item"))) > 2
        types = {r.get("type") for r in root.iter(f"{{{cc11.CC}}}resource")}
        assert types == {"webcontent", cc11.ASSESSMENT}


def test_item30_cc_quiz_uses_importable_question_types(packages: Packages) -> None:
    qti = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
    importable = {"cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1"}
    for built in each(packages, "cc11"):
        (quiz,) = [n for n in built.names if n.endswith("assessment.xml")]
        root = etree.fromstring(built.read(quiz))
        items = list(root.iter(f"{{{qti}}}item"))
        assert len(items) == len(built.module.quiz.questions)
        for item in items:
            profile = item.find(f".//{{{qti}}}fieldentry")
            assert profile is not None and profile.text in importable
            labels = {label.get("ident", "") for label in item.iter(f"{{{qti}}}response_label")}
            feedback = {fb.get("ident") for fb in item.iter(f"{{{qti}}}itemfeedback")}
            ident = item.get("ident", "")
            expected = {f"{x}-fb" if x.startswith(f"{ident}-") else f"{ident}-{x}-fb" for x in labels}
            assert feedback == expected, "every answer has feedback"


def test_item31_cc_pages_need_no_script(packages: Packages) -> None:
    hostile = re.compile(rb"<script\b|\son[a-z]+\s*=|javascript:", re.IGNORECASE)
    for built in each(packages, "cc11"):
        pages = [n for n in built.names if n.endswith(".html")]
        assert pages
        for page in pages:
            assert not hostile.search(built.read(page)), page


@pytest.mark.parametrize("fmt", FORMATS)
def test_item38_size_and_media(packages: Packages, fmt: Format) -> None:
    for built in each(packages, fmt):
        assert built.path.stat().st_size < SIZE_AIM
        assert not [n for n in built.names if n.lower().endswith((".swf", ".jar", ".class", ".xap"))]


@pytest.mark.parametrize(("fmt", "namespace"), [("scorm12", scorm12.IMSMD), ("cc11", cc11.LOMIMSCC)])
def test_manifest_metadata_is_german(packages: Packages, fmt: Format, namespace: str) -> None:
    for built in each(packages, fmt):
        general = built.manifest.find(f".//{{{namespace}}}general")
        assert general is not None
        assert general.findtext(f"{{{namespace}}}language") == "de"
        title = general.find(f"{{{namespace}}}title")
        assert title is not None and f"Modul {built.module.number}" in "".join(title.itertext())
