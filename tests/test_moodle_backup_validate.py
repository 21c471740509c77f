"""`validate_mbz`: Moodle's own backup passes the backup checks; hostile and broken archives are refused with
a finding that names the member and says what is wrong."""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from scorm.moodle_backup.archive import Limits
from scorm.moodle_backup.validate import validate_mbz
from scorm.validate.findings import Report
from testkit.moodle_backup import (
    REFERENCE,
    member,
    raw_tar,
    read_member,
    template_files,
    write_files,
)

Files = dict[str, bytes]
SCORM = "activities/scorm_201"


@pytest.fixture(scope="module")
def good() -> Files:
    return template_files()


def check(tmp_path: Path, files: Files) -> Report:
    return validate_mbz(write_files(tmp_path / "broken.mbz", files))


def error_codes(report: Report) -> set[str]:
    return {finding.code for finding in report.errors}


def test_moodles_own_backup_passes_every_backup_check() -> None:
    report = validate_mbz(REFERENCE)
    assert report.kind == "moodle2"
    backup_errors = [f for f in report.errors if not f.code.startswith("package.")]
    assert backup_errors == []
    # Its placeholder package lacks the ADL control files: reported per activity, by package path.
    assert {f.file.split("!")[0] for f in report.errors if f.file} == {
        f"activities/scorm_{n}/fixture-sco.zip" for n in range(44, 49)
    }


# --- hostile archives: refused before anything is unpacked -------------------------------------------------


def test_path_traversal_is_refused(tmp_path: Path) -> None:
    report = validate_mbz(
        raw_tar(tmp_path / "x.mbz", [member("moodle_backup.xml"), member("../../etc/cron.d/x")])
    )
    assert error_codes(report) == {"mbz.path-traversal"}
    assert report.errors[0].file == "../../etc/cron.d/x" and "Path Traversal" in report.errors[0].message


def test_absolute_path_is_refused(tmp_path: Path) -> None:
    report = validate_mbz(raw_tar(tmp_path / "x.mbz", [member("/tmp/evil.xml", b"<a/>")]))
    assert error_codes(report) == {"mbz.absolute-path"}


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links_are_refused(tmp_path: Path, kind: bytes) -> None:
    report = validate_mbz(raw_tar(tmp_path / "x.mbz", [member("files.xml", kind=kind, link="/etc/passwd")]))
    assert error_codes(report) == {"mbz.link"}
    assert "/etc/passwd" in report.errors[0].message and report.errors[0].file == "files.xml"


def test_device_files_are_refused(tmp_path: Path) -> None:
    report = validate_mbz(raw_tar(tmp_path / "x.mbz", [member("course/fifo", kind=tarfile.FIFOTYPE)]))
    assert error_codes(report) == {"mbz.special-file"}


def test_huge_member_is_refused_from_its_header(tmp_path: Path) -> None:
    path = raw_tar(tmp_path / "x.mbz", [member("files/aa/big", b"0" * 4096)])
    report = validate_mbz(path, Limits(max_member_bytes=1024))
    assert error_codes(report) == {"mbz.member-too-large"}
    assert "4096" in report.errors[0].message and report.errors[0].file == "files/aa/big"


def test_total_size_and_member_count_are_limited(tmp_path: Path) -> None:
    path = raw_tar(tmp_path / "x.mbz", [member(f"f{n}", b"x" * 600) for n in range(5)])
    assert error_codes(validate_mbz(path, Limits(max_total_bytes=2000))) == {"mbz.too-large"}
    assert error_codes(validate_mbz(path, Limits(max_members=3))) == {"mbz.too-many-members"}


def test_duplicate_member_is_refused(tmp_path: Path) -> None:
    report = validate_mbz(raw_tar(tmp_path / "x.mbz", [member("files.xml", b"a"), member("files.xml", b"b")]))
    assert error_codes(report) == {"mbz.duplicate"}


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 a zip, not a backup", gzip.compress(b"not a tar archive at all" * 40), b""],
    ids=["zip", "gzip-of-junk", "empty"],
)
def test_not_a_gzip_tar_is_a_clear_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.mbz"
    path.write_bytes(data)
    report = validate_mbz(path)
    assert error_codes(report) <= {"mbz.unreadable", "mbz.missing-file"} and not report.valid
    assert any("neu bauen" in f.message or "fehlt" in f.message for f in report.errors)


def test_truncated_archive_is_refused(tmp_path: Path, good: Files) -> None:
    whole = write_files(tmp_path / "whole.mbz", good).read_bytes()
    path = tmp_path / "cut.mbz"
    path.write_bytes(whole[: len(whole) // 2])
    assert error_codes(validate_mbz(path)) == {"mbz.unreadable"}


# --- broken contents: one thing wrong, one finding that names it -------------------------------------------


def _drop(name: str) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        del files[name]

    return edit


def _replace(name: str, old: bytes, new: bytes) -> Callable[[Files], None]:
    def edit(files: Files) -> None:
        assert old in files[name], (name, old)
        files[name] = files[name].replace(old, new, 1)

    return edit


def _corrupt_blob(files: Files) -> None:
    name = next(path for path in sorted(files) if path.startswith("files/"))
    files[name] = files[name] + b"!"


def _drop_blob(files: Files) -> None:
    files.pop(next(path for path in sorted(files) if path.startswith("files/")))


def _swap_package(entries: dict[str, bytes]) -> Callable[[Files], None]:
    """Replace module 1's package (and its pool entry, hash and size) by a zip of `entries`."""

    def edit(files: Files) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                archive.writestr(name, data)
        data = buffer.getvalue()
        scorm = files[f"{SCORM}/scorm.xml"].decode()
        old = scorm.split("<sha1hash>")[1].split("</sha1hash>")[0]
        new = hashlib.sha1(data).hexdigest()
        files[f"{SCORM}/scorm.xml"] = scorm.replace(old, new).encode()
        files["files.xml"] = files["files.xml"].replace(old.encode(), new.encode(), 1)
        size = str(len(files.pop(f"files/{old[:2]}/{old}"))).encode()
        files["files.xml"] = files["files.xml"].replace(
            b"<filesize>" + size + b"</filesize>", f"<filesize>{len(data)}</filesize>".encode(), 1
        )
        files[f"files/{new[:2]}/{new}"] = data

    return edit


BROKEN: dict[str, tuple[Callable[[Files], None], str, str]] = {
    "missing manifest": (_drop("moodle_backup.xml"), "mbz.missing-file", "moodle_backup.xml"),
    "dtd with entities": (
        _replace(
            "course/course.xml",
            b"<course ",
            b'<!DOCTYPE course [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<course ',
        ),
        "xml.dtd",
        "course/course.xml",
    ),
    "malformed xml": (
        _replace(f"{SCORM}/module.xml", b"</module>", b"</modul>"),
        "xml.malformed",
        f"{SCORM}/module.xml",
    ),
    "corrupt blob": (_corrupt_blob, "files.corrupt", "files/"),
    "missing blob": (_drop_blob, "files.blob-missing", "files.xml"),
    "wrong file size": (_replace("files.xml", b"<filesize>", b"<filesize>1"), "files.size", "files.xml"),
    "activity folder missing": (_drop(f"{SCORM}/module.xml"), "ref.activity-missing", SCORM),
    "section sequence": (
        _replace("sections/section_101/section.xml", b"<sequence>201<", b"<sequence>201,999<"),
        "ref.sequence",
        "sections/section_101/section.xml",
    ),
    "module in wrong section": (
        _replace(f"{SCORM}/module.xml", b"<sectionid>101<", b"<sectionid>102<"),
        "ref.module",
        f"{SCORM}/module.xml",
    ),
    "completion criterion": (
        _replace("completion.xml", b"<moduleinstance>201<", b"<moduleinstance>299<"),
        "ref.completion",
        "completion.xml",
    ),
    "grade item idnumber": (
        _replace(f"{SCORM}/grades.xml", b"<idnumber>SCM-M1<", b"<idnumber>SCM-M9<"),
        "ref.grade-item",
        f"{SCORM}/grades.xml",
    ),
    "inforef file id": (
        _replace(f"{SCORM}/inforef.xml", b"<id>10001<", b"<id>77<"),
        "ref.inforef",
        f"{SCORM}/inforef.xml",
    ),
    "launch sco": (
        _replace(f"{SCORM}/scorm.xml", b"<launch>10002<", b"<launch>4711<"),
        "scorm.launch",
        f"{SCORM}/scorm.xml",
    ),
    "package hash": (
        _replace(f"{SCORM}/scorm.xml", b"<sha1hash>", b"<sha1hash>0"),
        "scorm.package",
        f"{SCORM}/scorm.xml",
    ),
    "archive index": (
        _replace(".ARCHIVE_INDEX", b"course/course.xml\t", b"course/kurs.xml\t"),
        "mbz.index-mismatch",
        ".ARCHIVE_INDEX",
    ),
    "scorm package invalid": (
        _swap_package({"index.html": b"<p>kein Manifest</p>"}),
        "package.manifest.missing",
        f"{SCORM}/scm-m1-grundlagen-scorm12.zip",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_backup_is_reported_with_file_and_reason(tmp_path: Path, good: Files, case: str) -> None:
    edit, code, where = BROKEN[case]
    files = dict(good)
    if case == "archive index":
        path = write_files(tmp_path / "x.mbz", files)
        _rewrite_member(path, edit)
        report = validate_mbz(path)
    else:
        edit(files)
        report = check(tmp_path, files)
    assert not report.valid
    matching = [f for f in report.errors if f.code == code]
    assert matching, report.errors
    assert matching[0].file is not None and matching[0].file.startswith(where), matching[0]
    assert matching[0].message


def _rewrite_member(path: Path, edit: Callable[[Files], None]) -> None:
    """Edit members of an existing archive in place (for the index, which `write_files` regenerates)."""
    with tarfile.open(path, "r:gz") as tar:
        members = [(m, read_member(tar, m) if m.isfile() else None) for m in tar]
    files = {m.name: data for m, data in members if data is not None}
    edit(files)
    rebuilt = []
    for info, data in members:
        if data is not None:
            info.size = len(files[info.name])
        rebuilt.append((info, files.get(info.name)))
    raw_tar(path, rebuilt)


def test_unreferenced_content_is_a_warning(tmp_path: Path, good: Files) -> None:
    extra = b"nicht verwendet"
    digest = hashlib.sha1(extra).hexdigest()
    report = check(tmp_path, {**good, f"files/{digest[:2]}/{digest}": extra})
    assert report.valid and [f.code for f in report.findings] == ["files.unreferenced"]
    assert report.findings[0].file == f"files/{digest[:2]}/{digest}"


def test_zip_bomb_inside_the_backup_is_refused_without_unpacking_it(tmp_path: Path, good: Files) -> None:
    files = dict(good)
    _swap_package({"imsmanifest.xml": b"<manifest/>", "bombe.bin": bytes(2 * 1024 * 1024)})(files)
    report = check(tmp_path, files)
    bombs = [f for f in report.errors if f.code == "package.zip.bomb"]
    assert bombs and bombs[0].file == f"{SCORM}/scm-m1-grundlagen-scorm12.zip!bombe.bin"
    assert "scorm.content" not in error_codes(report), "content not compared for a refused package"
