"""File resources (mod_resource) in a backup, such as each module's worksheets PDF.

Moodle shows a resource by the one file in its `content` area (context of the resource); a resource without
it restores as an empty link, one whose inforef forgets the file restores without the file. A PDF inside is
checked like a built PDF (parses, has pages, fonts embedded).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from scorm.moodle_backup.files import DIRECTORY, blob_path
from scorm.moodle_backup.validate_base import Backup, text
from scorm.moodle_backup.validate_refs import listed_activities
from scorm.validate.pdf import validate_pdf

COMPONENT = "mod_resource"


def check_resources(backup: Backup) -> None:
    pool = backup.xml.get("files.xml")
    records = list(pool.iter("file")) if pool is not None else []
    for activity in listed_activities(backup):
        root = backup.xml.get(activity.instance_xml)
        if activity.modulename != "resource" or root is None:
            continue
        path = activity.instance_xml
        mine = [
            r
            for r in records
            if text(r, "contextid") == root.get("contextid")
            and text(r, "component") == COMPONENT
            and text(r, "filearea") == "content"
            and text(r, "filename") != DIRECTORY
        ]
        if len(mine) != 1:
            backup.report.error(
                "resource.file",
                f"Die Datei-Ressource hat {len(mine)} Dateien im Bereich 'content' (Kontext "
                f"{root.get('contextid')}); erwartet wird genau eine.",
                path,
            )
            continue
        record = mine[0]
        inforef = backup.xml.get(f"{activity.directory}/inforef.xml")
        referenced = (
            {text(ref, "id") for ref in inforef.iterfind("fileref/file")} if inforef is not None else set()
        )
        if record.get("id") not in referenced:
            backup.report.error(
                "resource.inforef",
                f"inforef.xml nennt die Datei {text(record, 'filename')} (id {record.get('id')}) nicht; "
                "Moodle stellt sie sonst nicht wieder her.",
                f"{activity.directory}/inforef.xml",
            )
        data = backup.files.get(blob_path(text(record, "contenthash")))
        if data is not None and text(record, "filename").lower().endswith(".pdf"):
            _check_pdf(backup, path, text(record, "filename"), data)


def _check_pdf(backup: Backup, path: str, filename: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "datei.pdf"
        target.write_bytes(data)
        report = validate_pdf(target)
    for finding in report.errors:
        backup.report.error(f"resource.{finding.code}", f"{filename}: {finding.message}", path)
