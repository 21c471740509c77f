"""Deterministic zips: the same files give byte-identical archives, so releases can be diffed and cached.

Everything that usually varies between runs is pinned: entry order, timestamps (`SOURCE_DATE_EPOCH`),
permissions, creator system and compression level. Callers write the archive with `scm_base.atomic`, so a
crash never leaves a half-written package behind.
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Mapping

from scm_base.errors import ToolkitError

DEFAULT_EPOCH = 1_735_689_600
"""2025-01-01T00:00:00Z: used when `SOURCE_DATE_EPOCH` is unset, so local builds are reproducible too."""

ZIP_EPOCH_MIN = 315_532_800
"""1980-01-01T00:00:00Z: the earliest time a zip header can store."""

COMPRESS_LEVEL = 6
FILE_MODE = 0o644
_UNIX = 3


class EpochError(ToolkitError, ValueError):
    """`SOURCE_DATE_EPOCH` is set but is not a non-negative integer."""


def source_date_epoch(environ: Mapping[str, str] | None = None) -> int:
    """The build timestamp, honouring the reproducible-builds convention."""
    env = os.environ if environ is None else environ
    raw = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return DEFAULT_EPOCH
    if not raw.isdigit():
        raise EpochError(
            f"SOURCE_DATE_EPOCH={raw!r} ist kein Unix-Zeitstempel; ganze Sekunden angeben, z. B. 1735689600."
        )
    return int(raw)


def zip_bytes(files: Mapping[str, bytes], epoch: int) -> bytes:
    """An archive of `files` (relative POSIX paths) in sorted order with fixed metadata."""
    stamp = time.gmtime(max(epoch, ZIP_EPOCH_MIN))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
    ) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = (0o100000 | FILE_MODE) << 16
            archive.writestr(info, files[name], compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()
