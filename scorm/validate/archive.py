"""Reading an untrusted zip: every hostile trick is refused with a message before any byte is trusted.

Sizes in zip headers can lie, so limits are enforced while reading, not only from the central directory.
Entry names are checked the way Moodle and the ADL test suite see them: relative, forward slashes, no `..`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from scorm.validate.findings import Report

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Limits:
    """Generous for course packages (ours are < 500 KB), tight enough to stop zip bombs."""

    max_entries: int = 10_000
    max_total_bytes: int = 512 * 1024 * 1024
    max_ratio: int = 200
    """Largest allowed uncompressed/compressed ratio for entries bigger than `ratio_floor`."""
    ratio_floor: int = 1024 * 1024
    max_package_bytes: int = 100 * 1024 * 1024
    """The target LMS's upload limit (site-configured in Moodle; 100 MB is a common setting)."""


@dataclass
class Archive:
    path: Path
    entries: dict[str, bytes] = field(default_factory=dict)
    """File entries (no directories) by exact name."""


class _Refused(Exception):
    pass


def name_problem(name: str) -> tuple[str, str] | None:
    """(code, German message) if an entry name could escape the package folder or break an LMS."""
    if "\\" in name:
        return "zip.backslash", f"Eintrag {name!r} enthält einen Backslash; Pfade müssen '/' verwenden."
    if name.startswith("/") or _DRIVE.match(name):
        return (
            "zip.absolute-path",
            f"Eintrag {name!r} hat einen absoluten Pfad; erlaubt sind nur relative Pfade.",
        )
    if ".." in name.split("/"):
        return (
            "zip.path-traversal",
            f"Eintrag {name!r} verweist mit '..' aus dem Paket heraus (Path Traversal).",
        )
    if "\x00" in name:
        return "zip.bad-name", f"Eintrag {name!r} enthält ein Nullzeichen."
    return None


def read_archive(path: Path, report: Report, limits: Limits | None = None) -> Archive | None:
    """All file entries, or None after recording why the archive is refused as a whole."""
    limits = limits or Limits()
    try:
        with zipfile.ZipFile(path) as zipped:
            return _read(path, zipped, report, limits)
    except _Refused:
        return None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError) as error:
        report.error("zip.unreadable", f"Die Datei ist kein lesbares ZIP-Archiv ({error}).", path.name)
        return None


def _read(path: Path, zipped: zipfile.ZipFile, report: Report, limits: Limits) -> Archive:
    infos = zipped.infolist()
    if len(infos) > limits.max_entries:
        report.error(
            "zip.too-many-entries",
            f"Das Archiv hat {len(infos)} Einträge, erlaubt sind höchstens {limits.max_entries} "
            "(ZIP-Bombe?).",
        )
        raise _Refused
    refused = False
    for info in infos:
        problem = name_problem(info.filename)
        if problem:
            report.error(problem[0], problem[1], info.filename)
            refused = True
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            report.error(
                "zip.symlink",
                "Eintrag ist ein symbolischer Link; er könnte beim Entpacken auf Dateien außerhalb zeigen.",
                info.filename,
            )
            refused = True
        if info.flag_bits & 0x1:
            report.error(
                "zip.encrypted",
                "Eintrag ist verschlüsselt; ein LMS kann ihn nicht entpacken. "
                "Paket ohne Passwort neu erstellen.",
                info.filename,
            )
            refused = True
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_total_bytes:
        report.error(
            "zip.bomb",
            f"Entpackt wäre das Archiv {declared} Bytes groß, erlaubt sind {limits.max_total_bytes} "
            "(ZIP-Bombe?).",
        )
        refused = True
    if refused:
        raise _Refused
    archive = Archive(path)
    total = 0
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        if info.filename in seen:
            report.error("zip.duplicate-entry", "Der Eintrag kommt im Archiv mehrfach vor.", info.filename)
            raise _Refused
        seen.add(info.filename)
        data = _read_entry(zipped, info, limits, limits.max_total_bytes - total, report)
        total += len(data)
        archive.entries[info.filename] = data
    return archive


def _read_entry(
    zipped: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, budget: int, report: Report
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with zipped.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > budget:
                report.error(
                    "zip.bomb",
                    f"Beim Entpacken überschreitet das Archiv {limits.max_total_bytes} Bytes (ZIP-Bombe?).",
                    info.filename,
                )
                raise _Refused
            if size > limits.ratio_floor and size > limits.max_ratio * max(info.compress_size, 1):
                report.error(
                    "zip.bomb",
                    f"Eintrag ist mehr als {limits.max_ratio}-fach komprimiert (ZIP-Bombe?).",
                    info.filename,
                )
                raise _Refused
            chunks.append(chunk)
    return b"".join(chunks)
