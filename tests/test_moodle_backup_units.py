"""The pieces of the backup writer on their own: Moodle's SCO row order, package errors, the XML dialect."""

from __future__ import annotations

import io
import zipfile

import pytest

from scorm.moodle_backup.course import describe_course
from scorm.moodle_backup.files import FileStore, mimetype
from scorm.moodle_backup.scoes import PackageReadError, manifest_scoes, read_package
from scorm.moodle_backup.xmlnode import box, leaf, render
from scorm.validate.parse import parse_literal
from testkit.moodle_backup import EPOCH, five_module_course

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="MAN" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="ORG-B">
    <organization identifier="ORG-A"><title>A</title>
      <item identifier="A1" identifierref="R1"><title>A eins</title></item>
    </organization>
    <organization identifier="ORG-B"><title>B</title>
      <item identifier="B1" isvisible="false"><title>Kapitel</title>
        <item identifier="B1a" identifierref="R2" parameters="?x=1"><title>B1a</title>
          <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
          <adlcp:masteryscore>75</adlcp:masteryscore>
        </item>
      </item>
      <item identifier="B2" identifierref="R3"><title>Material</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="a.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="b.html" xml:base="kapitel/"/>
    <resource identifier="R3" type="webcontent" href="c.pdf"/>
  </resources>
</manifest>"""


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_rows_follow_moodles_order_organizations_first_then_items_depth_first() -> None:
    rows, default = manifest_scoes(parse_literal(NESTED))
    assert default == "ORG-B"
    assert [(r.identifier, r.organization, r.parent) for r in rows] == [
        ("ORG-A", "", "/"),
        ("ORG-B", "", "/"),
        ("A1", "ORG-A", "ORG-A"),
        ("B1", "ORG-B", "ORG-B"),
        ("B1a", "ORG-B", "B1"),
        ("B2", "ORG-B", "ORG-B"),
    ]
    b1, b1a, b2 = rows[3], rows[4], rows[5]
    assert (b1.launch, b1.scormtype, b1.data) == ("", "asset", (("isvisible", "false"), ("parameters", "")))
    assert (b1a.launch, b1a.scormtype) == ("kapitel/b.html", "sco")
    assert b1a.data == (
        ("isvisible", "true"),
        ("parameters", "?x=1"),
        ("maxtimeallowed", "00:30:00"),
        ("masteryscore", "75"),
    )
    assert (b2.launch, b2.scormtype) == ("c.pdf", "asset")


def test_launch_is_the_first_launchable_row_of_the_default_organization() -> None:
    package = read_package("kurs.zip", zipped({"imsmanifest.xml": NESTED}))
    assert package.scoes[package.launch_index or 0].identifier == "B1a"
    assert package.version == "SCORM_1.2"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"kein zip", "kein lesbares ZIP-Archiv"),
        (zipped({"index.html": b"<p/>"}), "imsmanifest.xml fehlt"),
        (zipped({"imsmanifest.xml": b"<manifest"}), "imsmanifest.xml Zeile"),
        (zipped({"imsmanifest.xml": b'<!DOCTYPE m [<!ENTITY x "y">]><manifest/>'}), "DTD"),
        (zipped({"imsmanifest.xml": NESTED, "../boese.html": b""}), "unsicherer Pfad"),
        (zipped({"imsmanifest.xml": NESTED.replace(b"identifierref=", b"data-ref=")}), "kein startbares SCO"),
    ],
    ids=["not-zip", "no-manifest", "malformed", "dtd", "traversal", "no-launch"],
)
def test_unusable_packages_are_refused_naming_the_file(data: bytes, message: str) -> None:
    with pytest.raises(PackageReadError) as raised:
        read_package("scm-m3-technik-scorm12.zip", data)
    assert str(raised.value).startswith("scm-m3-technik-scorm12.zip: ") and message in str(raised.value)


def test_every_module_needs_a_package() -> None:
    course = five_module_course()
    package = read_package("p.zip", zipped({"imsmanifest.xml": NESTED}))
    with pytest.raises(ValueError, match=r"Modul\(e\) \[4, 5\]; zuerst das Format scorm12 bauen"):
        describe_course(course, {1: package, 2: package, 3: package}, EPOCH)


def test_file_store_keeps_one_blob_per_content_and_a_record_per_folder() -> None:
    store = FileStore(EPOCH)
    records = store.add_area(10, 99, "mod_scorm", "content", {"a/b/x.css": b"same", "y.js": b"same"})
    assert [(r.id, r.filepath, r.filename) for r in records] == [
        (10, "/a/b/", "x.css"),
        (11, "/", "."),
        (12, "/a/", "."),
        (13, "/a/b/", "."),
        (14, "/", "y.js"),
    ]
    assert len(store.blob_files()) == 1
    assert (mimetype("x.css"), mimetype("y.js"), mimetype("z.xsd")) == (
        "text/css",
        "application/x-javascript",
        "document/unknown",
    )


def test_xml_dialect_matches_moodles_writer() -> None:
    root = box("activity", leaf("name", 'A & B <"C">'), leaf("gone", None), box("tags"), id=7, contextid=None)
    assert render(root).decode() == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<activity id="7" contextid="$@NULL@$">\n'
        "  <name>A &amp; B &lt;&quot;C&quot;&gt;</name>\n"
        "  <gone>$@NULL@$</gone>\n"
        "  <tags>\n"
        "  </tags>\n"
        "</activity>"
    )
    assert render(box("x", leaf("t", "a\x00b\x1fc"))).endswith(b"<t>abc</t>\n</x>")
