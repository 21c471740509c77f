"""`validate_mbz(path) -> Report`: is this .mbz safe to open and whole enough for Moodle to restore?

Stages, each stopping early only when the next cannot run: safe unpacking (archive.read_mbz), layout and
`.ARCHIVE_INDEX`, every XML file well-formed without DTD or entities, the file pool (files.xml ↔ files/ by
SHA-1 and size), then the cross references and the SCORM packages inside (validate_refs), the file resources
such as the worksheets PDFs (validate_resource), then the player settings of every SCORM activity
(validate_player, warnings only).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from scorm.moodle_backup.archive import INDEX, ArchiveRefused, Limits, read_mbz
from scorm.moodle_backup.files import DIRECTORY, blob_path
from scorm.moodle_backup.validate_base import Backup, text
from scorm.moodle_backup.validate_player import check_player_settings
from scorm.moodle_backup.validate_refs import REFERENCE_STAGES
from scorm.moodle_backup.validate_resource import check_resources
from scorm.validate.findings import Report
from scorm.validate.parse import ManifestError, parse_safe

KIND = "moodle2"
REQUIRED = (
    "moodle_backup.xml",
    "files.xml",
    "course/course.xml",
    "completion.xml",
    "gradebook.xml",
    "roles.xml",
)


def validate_mbz(path: Path, limits: Limits | None = None) -> Report:
    report = Report(path, kind=KIND)
    try:
        names, files = read_mbz(path, limits)
    except ArchiveRefused as refused:
        report.error(refused.code, str(refused), refused.member)
        return report
    backup = Backup(names, files, report=report)
    stages = (
        check_layout,
        check_index,
        check_xml,
        check_file_pool,
        *REFERENCE_STAGES,
        check_resources,
        check_player_settings,
    )
    for stage in stages:
        before = len(report.errors)
        stage(backup)
        report.checks_run += 1
        report.checks_passed += len(report.errors) == before
        if stage in (check_layout, check_xml) and len(report.errors) > before:
            break
    return report


def check_layout(backup: Backup) -> None:
    for name in REQUIRED:
        if name not in backup.files:
            backup.report.error(
                "mbz.missing-file",
                f"{name} fehlt; das ist keine vollständige Moodle-Kurssicherung (moodle2).",
                name,
            )


def check_index(backup: Backup) -> None:
    """Moodle lists the archive from `.ARCHIVE_INDEX`; an index that lies hides or invents files."""
    raw = backup.files.get(INDEX)
    if raw is None:
        backup.report.warning(
            "mbz.index-missing",
            "Kein .ARCHIVE_INDEX: Moodle muss das Archiv zum Anzeigen ganz entpacken.",
            INDEX,
        )
        return
    lines = raw.decode("utf-8", "replace").splitlines()
    listed = {line.split("\t")[0]: line.split("\t") for line in lines[1:] if line}
    members = {name if name in backup.files else name + "/" for name in backup.names if name != INDEX}
    header = f"Moodle archive file index. Count: {len(members)}"
    if not lines or lines[0] != header:
        backup.report.error(
            "mbz.index-count", f".ARCHIVE_INDEX beginnt nicht mit {header!r}; Index neu erzeugen.", INDEX, 1
        )
    for entry in sorted(set(members) ^ set(listed)):
        where = "fehlt im Index" if entry in members else "steht im Index, fehlt aber im Archiv"
        backup.report.error("mbz.index-mismatch", f"{entry} {where}.", INDEX)
    for entry, fields in listed.items():
        data = backup.files.get(entry)
        if data is not None and (len(fields) < 3 or fields[2] != str(len(data))):
            backup.report.error(
                "mbz.index-size",
                f"Größe von {entry} im Index weicht von der Datei ({len(data)} Bytes) ab.",
                INDEX,
            )


def check_xml(backup: Backup) -> None:
    for name in sorted(backup.files):
        if not name.endswith(".xml"):
            continue
        try:
            backup.xml[name] = parse_safe(backup.files[name], what=name)
        except ManifestError as error:
            backup.report.error(error.code, str(error), name, error.line)


def check_file_pool(backup: Backup) -> None:
    """Every files.xml record has its blob under files/ with matching SHA-1 and size; no blob is corrupt."""
    root = backup.xml.get("files.xml")
    if root is None:
        return
    referenced: set[str] = set()
    for record in root.iter("file"):
        filename = text(record, "filename")
        where = f"files.xml: Datei id {record.get('id')} ({text(record, 'filepath')}{filename})"
        if filename == DIRECTORY:
            continue
        digest = text(record, "contenthash").lower()
        if len(digest) != 40 or any(c not in "0123456789abcdef" for c in digest):
            backup.report.error(
                "files.bad-hash", f"{where}: contenthash {digest!r} ist keine SHA-1.", "files.xml"
            )
            continue
        referenced.add(blob_path(digest))
        data = backup.files.get(blob_path(digest))
        if data is None:
            backup.report.error(
                "files.blob-missing", f"{where}: Inhalt {blob_path(digest)} fehlt im Archiv.", "files.xml"
            )
        elif text(record, "filesize") != str(len(data)):
            backup.report.error(
                "files.size",
                f"{where}: filesize {text(record, 'filesize')} passt nicht zu {len(data)} Bytes im Archiv.",
                "files.xml",
            )
    for name, data in backup.files.items():
        if not name.startswith("files/"):
            continue
        if name != blob_path(hashlib.sha1(data).hexdigest()):
            backup.report.error(
                "files.corrupt",
                "Inhalt passt nicht zu seinem Namen (SHA-1); die Datei wurde verändert oder ist beschädigt.",
                name,
            )
        elif name not in referenced:
            backup.report.warning(
                "files.unreferenced", "Inhalt wird in files.xml nicht verwendet; Moodle ignoriert ihn.", name
            )
