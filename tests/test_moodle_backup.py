"""The template course backup: same shape as Moodle's own backup, the right settings, real packages inside,
consistent hashes, reproducible bytes."""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import tarfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course_package.model import Course
from course_package.render import render_module
from scorm.build import build_all, package_name
from scorm.moodle_backup.backup import build_mbz
from scorm.moodle_backup.course import TemplateCourse
from scorm.moodle_backup.scoes import read_package
from scorm.moodle_backup.validate import validate_mbz
from testkit.moodle_backup import (
    EPOCH,
    REFERENCE,
    five_module_course,
    five_module_template,
    tar_files,
)

Tree = dict[str, bytes]
KEY_FILES = (
    "moodle_backup.xml",
    "completion.xml",
    "gradebook.xml",
    "files.xml",
    "course/course.xml",
    "course/enrolments.xml",
    "sections/section_N/section.xml",
    "activities/scorm_N/module.xml",
    "activities/scorm_N/scorm.xml",
    "activities/scorm_N/grades.xml",
    "activities/scorm_N/inforef.xml",
    "activities/forum_N/forum.xml",
)


def unpack(data: bytes) -> Tree:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar_files(tar)


@pytest.fixture(scope="module")
def course() -> Course:
    return five_module_course()


@pytest.fixture(scope="module")
def template() -> TemplateCourse:
    return five_module_template()


@pytest.fixture(scope="module")
def mbz(template: TemplateCourse) -> bytes:
    return build_mbz(template)


@pytest.fixture(scope="module")
def ours(mbz: bytes) -> Tree:
    return unpack(mbz)


@pytest.fixture(scope="module")
def reference() -> Tree:
    return unpack(REFERENCE.read_bytes())


def xml(tree: Tree, path: str) -> etree._Element:
    return etree.fromstring(tree[path])


def generic(path: str) -> str:
    """Path with ids replaced: `activities/scorm_44/x.xml` and `activities/scorm_201/x.xml` compare equal."""
    return re.sub(r"_\d+(/|$)", r"_N\1", path)


def element_paths(root: etree._Element) -> set[str]:
    paths = set()
    for element in root.iter():
        paths.add("/".join(str(e.tag) for e in [*reversed(list(element.iterancestors())), element]))
    return paths


def pick(tree: Tree, pattern: str) -> list[str]:
    return sorted(path for path in tree if generic(path) == pattern)


def test_same_file_set_as_moodles_backup_modulo_ids(ours: Tree, reference: Tree) -> None:
    def shape(tree: Tree) -> set[str]:
        return {generic(path) for path in tree if not path.startswith("files/")}

    assert shape(ours) == shape(reference)
    assert len(pick(ours, "activities/scorm_N/scorm.xml")) == 5
    assert len(pick(ours, "sections/section_N/section.xml")) == 6


@pytest.mark.parametrize("pattern", KEY_FILES)
def test_key_files_have_the_reference_element_structure(ours: Tree, reference: Tree, pattern: str) -> None:
    expected = set().union(*(element_paths(xml(reference, p)) for p in pick(reference, pattern)))
    for path in pick(ours, pattern):
        assert element_paths(xml(ours, path)) == expected, path


def test_every_xml_is_written_like_moodle_writes_it(ours: Tree, reference: Tree) -> None:
    for path, data in ours.items():
        if path.endswith(".xml"):
            assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<'), path
            assert b"/>" not in data and not data.endswith(b"\n"), path
    assert ours["activities/scorm_201/completion.xml"] == reference["activities/scorm_44/completion.xml"]


def test_backup_settings_exclude_user_data(ours: Tree) -> None:
    root = xml(ours, "moodle_backup.xml")
    settings = {s.findtext("name", ""): s.findtext("value") for s in root.iter("setting")}
    assert settings["users"] == "0" and settings["logs"] == "0" and settings["grade_histories"] == "0"
    userinfo = [value for name, value in settings.items() if name.endswith("_userinfo")]
    assert len(userinfo) == 12 and set(userinfo) == {"0"}
    assert root.findtext("information/details/detail/format") == "moodle2"
    assert root.findtext("information/details/detail/type") == "course"
    assert root.findtext("information/backup_date") == str(EPOCH)


def test_course_record(ours: Tree, course: Course) -> None:
    root = xml(ours, "course/course.xml")
    assert root.findtext("shortname") == "SCM-TEMPLATE" and root.findtext("idnumber") == "SCM-TEMPLATE"
    assert root.findtext("fullname") == f"{course.title} – {course.subtitle}"
    assert root.findtext("format") == "topics"
    assert root.findtext("enablecompletion") == "1" and root.findtext("showcompletionconditions") == "1"


def test_sections_welcome_and_module_names(ours: Tree, course: Course) -> None:
    zero = xml(ours, "sections/section_100/section.xml")
    assert zero.findtext("number") == "0"
    welcome = zero.findtext("summary") or ""
    assert "Willkommen" in welcome and "fünf Module" in welcome and "zehn Vormittagen" in welcome
    for module in course.modules:
        section = xml(ours, f"sections/section_{100 + module.number}/section.xml")
        assert section.findtext("number") == str(module.number)
        assert section.findtext("name") == f"Modul {module.number} – {module.short_title}"
        assert section.findtext("sequence") == str(200 + module.number)


def test_scorm_activity_settings(ours: Tree, course: Course) -> None:
    for module in course.modules:
        folder = f"activities/scorm_{200 + module.number}"
        scorm = xml(ours, f"{folder}/scorm.xml").find("scorm")
        assert scorm is not None
        expected = {
            "name": f"Modul {module.number} – {module.title}",
            "scormtype": "local",
            "reference": package_name(module, "scorm12"),
            "version": "SCORM_1.2",
            "maxgrade": "100",
            "grademethod": "1",
            "whatgrade": "0",
            "masteryoverride": "1",
            "popup": "0",
            "skipview": "1",
            "hidetoc": "3",
            "nav": "0",
            "completionstatusrequired": "6",
            "completionscorerequired": str(module.pass_mark),
        }
        assert {tag: scorm.findtext(tag) for tag in expected} == expected
        cm = xml(ours, f"{folder}/module.xml")
        assert cm.findtext("idnumber") == f"SCM-M{module.number}" and cm.findtext("completion") == "2"
        item = xml(ours, f"{folder}/grades.xml").find("grade_items/grade_item")
        assert item is not None
        assert item.findtext("idnumber") == f"SCM-M{module.number}"
        assert item.findtext("gradepass") == f"{module.pass_mark}.00000"
        assert item.findtext("grademax") == "100.00000"


def test_course_completion_requires_all_five_activities(ours: Tree) -> None:
    root = xml(ours, "completion.xml")
    criteria = root.findall("course_completion_criteria")
    assert sorted(c.findtext("moduleinstance") or "" for c in criteria) == [str(200 + n) for n in range(1, 6)]
    assert {c.findtext("criteriatype") for c in criteria} == {"4"}
    assert {m.findtext("method") for m in root.findall("course_completion_aggr_methd")} == {"1"}
    gradebook = xml(ours, "gradebook.xml")
    assert gradebook.findtext("grade_items/grade_item/grademax") == "500.00000"


def _package_record(ours: Tree, number: int) -> etree._Element:
    records = [
        r
        for r in xml(ours, "files.xml").iter("file")
        if r.findtext("contextid") == str(300 + number)
        and r.findtext("filearea") == "package"
        and r.findtext("filename") != "."
    ]
    assert len(records) == 1
    return records[0]


def test_packages_inside_are_the_built_scorm12_zips(ours: Tree, course: Course, tmp_path: Path) -> None:
    results = build_all(course, tmp_path, ("scorm12",), render=render_module, epoch=EPOCH)
    for result in results:
        record = _package_record(ours, result.module.number)
        assert record.findtext("filename") == result.path.name
        blob = ours[f"files/{record.findtext('contenthash', '')[:2]}/{record.findtext('contenthash')}"]
        assert blob == result.path.read_bytes(), result.path.name
        scorm = xml(ours, f"activities/scorm_{200 + result.module.number}/scorm.xml")
        assert scorm.findtext("scorm/sha1hash") == hashlib.sha1(blob).hexdigest()


def test_content_area_holds_the_unpacked_package(ours: Tree) -> None:
    records = list(xml(ours, "files.xml").iter("file"))
    for number in range(1, 6):
        package = ours[_blob_name(_package_record(ours, number))]
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            unpacked = {i.filename: archive.read(i) for i in archive.infolist()}
        content = {
            (r.findtext("filepath") or "")[1:] + (r.findtext("filename") or ""): ours[_blob_name(r)]
            for r in records
            if r.findtext("contextid") == str(300 + number)
            and r.findtext("filearea") == "content"
            and r.findtext("filename") != "."
        }
        assert content == unpacked
        folders = {
            r.findtext("filepath")
            for r in records
            if r.findtext("contextid") == str(300 + number)
            and r.findtext("filearea") == "content"
            and r.findtext("filename") == "."
        }
        assert folders == {"/"} | {"/" + name.rsplit("/", 1)[0] + "/" for name in unpacked if "/" in name}


def _blob_name(record: etree._Element) -> str:
    digest = record.findtext("contenthash") or ""
    return f"files/{digest[:2]}/{digest}"


def test_scoes_reflect_each_packages_manifest(ours: Tree, course: Course) -> None:
    cp = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
    adlcp = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
    for module in course.modules:
        with zipfile.ZipFile(io.BytesIO(ours[_blob_name(_package_record(ours, module.number))])) as archive:
            manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        organization = manifest.find(f"{cp}organizations/{cp}organization")
        item = manifest.find(f".//{cp}item")
        resource = manifest.find(f".//{cp}resource")
        assert organization is not None and item is not None and resource is not None
        scorm = xml(ours, f"activities/scorm_{200 + module.number}/scorm.xml").find("scorm")
        assert scorm is not None
        org_row, item_row = scorm.findall("scoes/sco")
        assert org_row.findtext("identifier") == organization.get("identifier")
        assert org_row.findtext("manifest") == manifest.get("identifier")
        assert (item_row.findtext("identifier"), item_row.findtext("parent")) == (
            item.get("identifier"),
            organization.get("identifier"),
        )
        assert item_row.findtext("launch") == resource.get("href") and item_row.findtext("scormtype") == "sco"
        data = {d.findtext("name"): d.findtext("value") for d in item_row.iter("sco_data")}
        assert data == {
            "isvisible": "true",
            "parameters": "",
            "masteryscore": item.findtext(f"{adlcp}masteryscore"),
        }
        assert data["masteryscore"] == str(module.pass_mark)
        assert scorm.findtext("launch") == item_row.get("id")


def test_hash_references_are_consistent(ours: Tree) -> None:
    records = list(xml(ours, "files.xml").iter("file"))
    for record in records:
        if record.findtext("filename") == ".":
            assert record.findtext("contenthash") == hashlib.sha1(b"").hexdigest()
            continue
        blob = ours[_blob_name(record)]
        assert hashlib.sha1(blob).hexdigest() == record.findtext("contenthash")
        assert record.findtext("filesize") == str(len(blob))
        assert record.findtext("timecreated") == str(EPOCH)
    blobs = {path for path in ours if path.startswith("files/")}
    assert blobs == {_blob_name(r) for r in records if r.findtext("filename") != "."}
    ids = [r.get("id") for r in records]
    assert len(ids) == len(set(ids))
    for number in range(1, 6):
        inforef = xml(ours, f"activities/scorm_{200 + number}/inforef.xml")
        mine = {r.get("id") for r in records if r.findtext("contextid") == str(300 + number)}
        assert {f.findtext("id") for f in inforef.iter("file")} == mine


def test_archive_is_reproducible_and_normalised(mbz: bytes, template: TemplateCourse) -> None:
    assert build_mbz(five_module_template()) == mbz
    assert mbz[4:8] == b"\x00\x00\x00\x00", "gzip mtime 0"
    with tarfile.open(fileobj=io.BytesIO(mbz), mode="r:gz") as tar:
        members = tar.getmembers()
    names = [m.name + ("/" if m.isdir() else "") for m in members]
    assert names[0] == ".ARCHIVE_INDEX" and names[1:] == sorted(names[1:]), "sorted, folders with their slash"
    assert {(m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {(EPOCH, 0, 0, "", "")}
    assert {m.mode for m in members if m.isfile()} == {0o644}
    assert {m.mode for m in members if m.isdir()} == {0o755}
    later = TemplateCourse(**{**template.__dict__, "epoch": EPOCH + 1})
    assert build_mbz(later) != mbz


def test_archive_index_lists_every_member(mbz: bytes, ours: Tree) -> None:
    with tarfile.open(fileobj=io.BytesIO(mbz), mode="r:gz") as tar:
        members = [m for m in tar.getmembers() if m.name != ".ARCHIVE_INDEX"]
    lines = ours[".ARCHIVE_INDEX"].decode().splitlines()
    assert lines[0] == f"Moodle archive file index. Count: {len(members)}"
    expected = [f"{m.name}/\td\t0\t?" if m.isdir() else f"{m.name}\tf\t{m.size}\t{EPOCH}" for m in members]
    assert lines[1:] == expected


def test_built_backup_passes_its_validator(mbz: bytes, tmp_path: Path) -> None:
    path = tmp_path / "SCM-TEMPLATE.mbz"
    path.write_bytes(mbz)
    report = validate_mbz(path)
    assert report.valid and report.findings == [], report.findings
    assert report.checks_passed == report.checks_run == 12  # 12th: file resources (#12)


def test_gzip_header_has_no_file_name(mbz: bytes) -> None:
    assert mbz[3] & 0x08 == 0, "FNAME flag unset"
    assert gzip.decompress(mbz)[:14] == b".ARCHIVE_INDEX"


# Fields that legitimately differ from the reference backup (names, ids, times, hashes, our pass marks and
# ID numbers); every other value must be what Moodle 4.5 itself wrote for the same settings.
EXPECTED_DIFFERENCES = {
    "course/course.xml": {"shortname", "fullname", "summary", "timecreated", "timemodified", "category/name"},
    "activities/scorm_N/module.xml": {"sectionid", "sectionnumber", "idnumber", "added"},
    "activities/scorm_N/scorm.xml": {
        "scorm/name",
        "scorm/reference",
        "scorm/intro",
        "scorm/sha1hash",
        "scorm/launch",
        "scorm/timemodified",
        "scorm/completionscorerequired",
        # Our player settings (scorm/moodle_backup/player.py) instead of Moodle's defaults.
        "scorm/skipview",
        "scorm/hidebrowse",
        "scorm/hidetoc",
        "scorm/nav",
        "scorm/height",
    },
    "activities/scorm_N/grades.xml": {
        f"grade_items/grade_item/{field}"
        for field in (
            "categoryid",
            "itemname",
            "iteminstance",
            "idnumber",
            "gradepass",
            "timecreated",
            "timemodified",
        )
    },
    "sections/section_N/section.xml": {"name", "summary", "sequence", "timemodified"},
    "gradebook.xml": {
        "grade_categories/grade_category/path",
        *(f"grade_categories/grade_category/{field}" for field in ("timecreated", "timemodified")),
        *(f"grade_items/grade_item/{field}" for field in ("iteminstance", "timecreated", "timemodified")),
    },
    "completion.xml": {
        "course_completion_criteria/course",
        "course_completion_criteria/moduleinstance",
        "course_completion_aggr_methd/course",
    },
    "course/enrolments.xml": {"enrols/enrol/timecreated", "enrols/enrol/timemodified"},
    "activities/forum_N/forum.xml": {"forum/name", "forum/intro", "forum/timemodified"},
}


def leaf_values(root: etree._Element, skip_below: str = "scoes") -> dict[str, list[str]]:
    """Every leaf's text by element path, in document order (the SCO rows are compared elsewhere)."""
    values: dict[str, list[str]] = {}
    for element in root.iter():
        if len(element) or skip_below in [str(a.tag) for a in element.iterancestors()]:
            continue
        path = "/".join(str(e.tag) for e in [*list(reversed(list(element.iterancestors())))[1:], element])
        values.setdefault(path, []).append(element.text or "")
    return values


@pytest.mark.parametrize("pattern", sorted(EXPECTED_DIFFERENCES))
def test_settings_equal_moodles_own_backup_apart_from_names_ids_and_times(
    ours: Tree, reference: Tree, pattern: str
) -> None:
    theirs = leaf_values(xml(reference, pick(reference, pattern)[-1]))
    mine = leaf_values(xml(ours, pick(ours, pattern)[-1]))
    differing = {path for path in theirs.keys() | mine.keys() if theirs.get(path) != mine.get(path)}
    assert differing <= EXPECTED_DIFFERENCES[pattern]


def test_sco_rows_match_what_moodle_parsed_from_the_same_manifest(reference: Tree) -> None:
    """Moodle's parser made the reference's <scoes> from its package; ours must give the same rows."""
    scorm = xml(reference, "activities/scorm_44/scorm.xml").find("scorm")
    assert scorm is not None
    blob = reference[f"files/{scorm.findtext('sha1hash', '')[:2]}/{scorm.findtext('sha1hash')}"]
    package = read_package(scorm.findtext("reference") or "", blob)
    fields = ("manifest", "organization", "parent", "identifier", "launch", "scormtype", "title")
    theirs = [
        (
            tuple(sco.findtext(field) or "" for field in fields),
            tuple((d.findtext("name"), d.findtext("value") or "") for d in sco.iter("sco_data")),
        )
        for sco in scorm.iterfind("scoes/sco")
    ]
    mine = [(tuple(getattr(sco, field) for field in fields), sco.data) for sco in package.scoes]
    assert mine == theirs
    launch_row = [sco.get("id") for sco in scorm.iterfind("scoes/sco")].index(scorm.findtext("launch"))
    assert package.launch_index == launch_row
    assert package.version == scorm.findtext("version")


def test_root_backup_settings_equal_moodles_own(ours: Tree, reference: Tree) -> None:
    def settings(tree: Tree) -> dict[str, str]:
        root = xml(tree, "moodle_backup.xml")
        return {
            s.findtext("name", ""): s.findtext("value", "")
            for s in root.iter("setting")
            if s.findtext("level") == "root"
        }

    theirs, mine = settings(reference), settings(ours)
    assert mine.pop("filename") == "SCM-TEMPLATE.mbz"
    theirs.pop("filename")
    assert mine == theirs
