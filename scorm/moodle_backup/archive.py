"""Writing and safely reading `.mbz` archives (gzip-compressed tar, Moodle's default backup format).

Writing is reproducible: `.ARCHIVE_INDEX` first (Moodle's restore UI lists the archive from it without
unpacking), then all entries sorted by path, every entry with the same mtime, uid/gid 0, fixed modes, ustar
headers and a gzip header with mtime 0 and no file name. Reading refuses anything a hostile archive could use:
links, devices, absolute or `..` paths, duplicate names, too many or too large members.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scm_base.errors import ToolkitError

INDEX = ".ARCHIVE_INDEX"
FILE_MODE = 0o644
DIR_MODE = 0o755
GZIP_LEVEL = 9


def mbz_bytes(files: Mapping[str, bytes], epoch: int) -> bytes:
    """The archive of `files` (POSIX paths, no folders: those are derived) with Moodle's index."""
    folders = sorted(
        {"/".join(path.split("/")[:depth]) + "/" for path in files for depth in range(1, path.count("/") + 1)}
    )
    entries = sorted([*folders, *files])
    index = archive_index(entries, files, epoch)
    tar_buffer = io.BytesIO()
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        _add(tar, INDEX, index, epoch)
        for name in entries:
            _add(tar, name, None if name.endswith("/") else files[name], epoch)
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=GZIP_LEVEL, mtime=0) as zipped:
        zipped.write(tar_buffer.getvalue())
    return out.getvalue()


def archive_index(entries: list[str], files: Mapping[str, bytes], epoch: int) -> bytes:
    """Moodle's index: a count line, then path, d/f, size and mtime ("?" for folders), tab-separated."""
    lines = [f"Moodle archive file index. Count: {len(entries)}"]
    for name in entries:
        if name.endswith("/"):
            lines.append(f"{name}\td\t0\t?")
        else:
            lines.append(f"{name}\tf\t{len(files[name])}\t{epoch}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _add(tar: tarfile.TarFile, name: str, data: bytes | None, epoch: int) -> None:
    info = tarfile.TarInfo(name.rstrip("/") if data is None else name)
    info.mtime = epoch
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    if data is None:
        info.type = tarfile.DIRTYPE
        info.mode = DIR_MODE
        tar.addfile(info)
    else:
        info.size = len(data)
        info.mode = FILE_MODE
        tar.addfile(info, io.BytesIO(data))


@dataclass(frozen=True)
class Limits:
    """Our backups are a few MB; these stop tar and gzip bombs long before memory runs out."""

    max_members: int = 20_000
    max_member_bytes: int = 256 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024


class ArchiveRefused(ToolkitError, ValueError):
    """The archive is unsafe or unreadable as a whole; `code` is a stable key, the message German."""

    def __init__(self, code: str, message: str, member: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.member = member


def read_mbz(path: Path, limits: Limits | None = None) -> tuple[list[str], dict[str, bytes]]:
    """(all member names in archive order, regular files by name); raises ArchiveRefused for hostile input."""
    limits = limits or Limits()
    names: list[str] = []
    files: dict[str, bytes] = {}
    total = 0
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for member in tar:
                names.append(member.name)
                if len(names) > limits.max_members:
                    raise ArchiveRefused(
                        "mbz.too-many-members",
                        f"Das Archiv hat mehr als {limits.max_members} Einträge (Archiv-Bombe?).",
                    )
                _check_member(member, limits, set(files))
                if member.isdir():
                    continue
                total += member.size
                if total > limits.max_total_bytes:
                    raise ArchiveRefused(
                        "mbz.too-large",
                        f"Entpackt wäre das Archiv größer als {limits.max_total_bytes} Bytes (Bombe?).",
                        member.name,
                    )
                stream = tar.extractfile(member)
                data = stream.read(member.size + 1) if stream else b""
                if len(data) != member.size:
                    raise ArchiveRefused(
                        "mbz.truncated", "Eintrag ist kürzer als im Tar-Kopf angegeben.", member.name
                    )
                files[member.name] = data
    except ArchiveRefused:
        raise
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile, ValueError) as error:
        raise ArchiveRefused(
            "mbz.unreadable",
            f"Die Datei ist kein lesbares .mbz (gzip-komprimiertes Tar-Archiv): {error}. "
            "Sicherung in Moodle neu erstellen oder mit `scm-lms build --format moodle` neu bauen.",
        ) from None
    return names, files


def _check_member(member: tarfile.TarInfo, limits: Limits, seen: set[str]) -> None:
    name = member.name
    parts = name.split("/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\\" in name:
        raise ArchiveRefused(
            "mbz.absolute-path", "Absoluter Pfad im Archiv; erlaubt sind nur relative Pfade.", name
        )
    if ".." in parts:
        raise ArchiveRefused(
            "mbz.path-traversal",
            "Pfad verweist mit '..' aus dem Sicherungsordner heraus (Path Traversal).",
            name,
        )
    if member.issym() or member.islnk():
        raise ArchiveRefused(
            "mbz.link",
            f"Eintrag ist ein {'symbolischer' if member.issym() else 'harter'} Link auf "
            f"{member.linkname!r}; eine Moodle-Sicherung enthält nur Dateien und Ordner.",
            name,
        )
    if not (member.isfile() or member.isdir()):
        raise ArchiveRefused(
            "mbz.special-file",
            "Eintrag ist weder Datei noch Ordner (Gerät, FIFO …); wird nicht entpackt.",
            name,
        )
    if member.size > limits.max_member_bytes:
        raise ArchiveRefused(
            "mbz.member-too-large",
            f"Eintrag ist {member.size} Bytes groß, erlaubt sind {limits.max_member_bytes} (Archiv-Bombe?).",
            name,
        )
    if name in seen:
        raise ArchiveRefused("mbz.duplicate", "Eintrag kommt im Archiv mehrfach vor.", name)
