"""Validation findings quote no English from libxml2: real XSD and parser errors, reworded in German.

Each package is one of our own, built with the real builders and checked against the official XSDs, with one
defect written into its manifest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from course_package.model import Course
from scm_base.zipfile_det import zip_bytes
from scorm import scorm12, scorm2004
from scorm.manifest import PackageFiles
from scorm.validate import validate_path
from scorm.validate.libxml_de import schema_message, syntax_message
from testkit.scorm_fixtures import sample_course, stub_render

COURSE: Course = sample_course()


def _package(edition: str, old: str, new: str) -> PackageFiles:
    module = COURSE.module(1)
    builder = scorm12 if edition == "1.2" else scorm2004
    files = builder.build(
        COURSE, module, stub_render(COURSE, module, "scorm12" if edition == "1.2" else "scorm2004")
    )
    text = files["imsmanifest.xml"].decode()
    assert old in text, old
    return {**files, "imsmanifest.xml": text.replace(old, new, 1).encode()}


def _findings(tmp_path: Path, files: PackageFiles, code: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "paket.zip"
    path.write_bytes(zip_bytes(files, 0))
    return [(f.line, f.message) for f in validate_path(path).findings if f.code == code]


@pytest.mark.parametrize(
    ("edition", "old", "new", "message"),
    [
        (
            "2004",
            'adlcp:scormType="sco"',
            'adlcp:scormType="bogus"',
            "XSD (scorm20044thedition): Element <resource>, Attribut adlcp:scormType: Wert 'bogus' ist nicht "
            "erlaubt; erlaubt sind: 'sco', 'asset'.",
        ),
        (
            "1.2",
            "<title>",
            "<titel>x</titel><title>",
            "XSD (scorm12edition): Element <titel>: Element ist hier nicht erlaubt; erwartet wird eines von: "
            "title, item, metadata, Elemente anderer Namensräume.",
        ),
        (
            "1.2",
            'identifier="SCM-M1-ITEM"',
            'identifier="1 x"',
            "XSD (scorm12edition): Element <item>, Attribut identifier: '1 x' ist kein gültiger Wert vom Typ "
            "'xs:ID'.",
        ),
        (
            "2004",
            'adlcp:scormType="sco"',
            'adlcp:scormType="sco" bogus="1"',
            "XSD (scorm20044thedition): Element <resource>, Attribut bogus: Attribut 'bogus' ist hier nicht "
            "erlaubt.",
        ),
        (
            "1.2",
            ' type="webcontent"',
            "",
            "XSD (scorm12edition): Element <resource>: Pflichtattribut 'type' fehlt.",
        ),
    ],
    ids=["enumeration", "unexpected-element", "invalid-id", "unknown-attribute", "missing-attribute"],
)
def test_schema_violations_are_reported_in_german(
    tmp_path: Path, edition: str, old: str, new: str, message: str
) -> None:
    findings = _findings(tmp_path, _package(edition, old, new), "schema.invalid")
    assert [text for _, text in findings] == [message]
    assert all(line for line, _ in findings)


def test_malformed_manifest_names_the_mismatched_tags_in_german(tmp_path: Path) -> None:
    files = _package("1.2", "</organizations>", "</organisations>")
    ((line, message),) = _findings(tmp_path, files, "xml.malformed")
    assert line and message.startswith("Manifest ist kein wohlgeformtes XML: <organizations> aus Zeile ")
    assert message.endswith(" wird mit </organisations> geschlossen")


@pytest.mark.parametrize(
    ("raw", "german"),
    [
        ("Document is empty, line 1, column 1", "Datei ist leer"),
        (
            "Extra content at the end of the document, line 1, column 5",
            "weiterer Inhalt nach dem Wurzelelement",
        ),
        ("xmlParseEntityRef: no name, line 1, column 5", "'&' ohne Namen; schreiben Sie &amp;"),
        (
            "Premature end of data in tag a line 1, line 1, column 4",
            "Datei endet, bevor <a> aus Zeile 1 geschlossen ist",
        ),
        ("something libxml2 says rarely, line 3, column 1", "something libxml2 says rarely"),
    ],
)
def test_parser_messages(raw: str, german: str) -> None:
    assert syntax_message(raw) == german


def test_unknown_schema_message_is_kept_and_namespaces_shortened() -> None:
    raw = "Element '{urn:x}a': Some future libxml2 wording."
    assert schema_message(raw, {"urn:x": "x"}) == "Element <x:a>: Some future libxml2 wording."
