"""Moodle's file pool in a backup: blobs stored once under files/<2 hex>/<sha1>, records in files.xml.

Every record names its context, component, file area and path; directories are records too (filename ".",
the SHA-1 of nothing) but have no blob, exactly as Moodle writes them.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from scorm.moodle_backup.xmlnode import Node, box, leaves, render

EMPTY_SHA1 = hashlib.sha1(b"").hexdigest()
DIRECTORY = "."
_MIMETYPES = {
    "zip": "application/zip",
    "xml": "application/xml",
    "html": "text/html",
    "htm": "text/html",
    "js": "application/x-javascript",
    "css": "text/css",
    "json": "application/json",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "svg": "image/svg+xml",
    "txt": "text/plain",
    "pdf": "application/pdf",
}
UNKNOWN_MIMETYPE = "document/unknown"


def blob_path(contenthash: str) -> str:
    return f"files/{contenthash[:2]}/{contenthash}"


def mimetype(filename: str) -> str:
    """Moodle's type for the extension; extensions Moodle does not know get its catch-all type."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return _MIMETYPES.get(extension, UNKNOWN_MIMETYPE)


@dataclass(frozen=True)
class FileRecord:
    id: int
    contenthash: str
    contextid: int
    component: str
    filearea: str
    filepath: str
    """Folder with leading and trailing slash, e.g. "/" or "/css/"."""
    filename: str
    filesize: int
    mimetype: str | None

    @property
    def is_directory(self) -> bool:
        return self.filename == DIRECTORY


@dataclass
class FileStore:
    epoch: int
    records: list[FileRecord] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)

    def add_area(
        self, first_id: int, contextid: int, component: str, filearea: str, files: Mapping[str, bytes]
    ) -> list[FileRecord]:
        """Each file (sorted by path) followed by any folder record it is the first to need."""
        added: list[FileRecord] = []
        folders: set[str] = set()
        next_id = first_id
        for path in sorted(files):
            folder, name = posixpath.split(path)
            filepath = f"/{folder}/" if folder else "/"
            data = files[path]
            digest = hashlib.sha1(data).hexdigest()
            self.blobs[digest] = data
            added.append(
                FileRecord(
                    next_id, digest, contextid, component, filearea, filepath, name, len(data), mimetype(name)
                )
            )
            next_id += 1
            for needed in _folder_chain(filepath):
                if needed not in folders:
                    folders.add(needed)
                    added.append(
                        FileRecord(
                            next_id, EMPTY_SHA1, contextid, component, filearea, needed, DIRECTORY, 0, None
                        )
                    )
                    next_id += 1
        self.records.extend(added)
        return added

    def blob_files(self) -> dict[str, bytes]:
        return {blob_path(digest): data for digest, data in self.blobs.items()}

    def files_xml(self) -> bytes:
        return render(box("files", (self._record(record) for record in self.records)))

    def _record(self, record: FileRecord) -> Node:
        fields = leaves(
            {
                "contenthash": record.contenthash,
                "contextid": record.contextid,
                "component": record.component,
                "filearea": record.filearea,
                "itemid": 0,
                "filepath": record.filepath,
                "filename": record.filename,
                "userid": None,
                "filesize": record.filesize,
                "mimetype": record.mimetype,
                "status": 0,
                "timecreated": self.epoch,
                "timemodified": self.epoch,
                "source": None,
                "author": None,
                "license": None,
                "sortorder": 0,
                "repositorytype": None,
                "repositoryid": None,
                "reference": None,
            }
        )
        return box("file", fields, id=record.id)


def _folder_chain(filepath: str) -> list[str]:
    """ "/a/b/" -> ["/", "/a/", "/a/b/"]: Moodle keeps a record for every folder up to the root."""
    parts = [part for part in filepath.split("/") if part]
    return ["/" + "".join(f"{part}/" for part in parts[:depth]) for depth in range(len(parts) + 1)]
