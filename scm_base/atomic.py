"""Writing a file so that no reader, and no crash, ever sees half of it.

It lives in `scorm`, the lowest layer that writes files, so packaging and every `scm_lms` command (exports,
certificates, keys, mails) share one implementation.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, mode: int = 0o644, *, overwrite: bool = True) -> None:
    """Write a temp file in the same folder with `mode` set before any byte, then rename it over `path`.

    With `overwrite=False` the temp file is hard-linked instead, which fails with `FileExistsError` rather
    than replace an existing file (for secrets that must never be clobbered).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temp_name, path)
        else:
            os.link(temp_name, path)
    finally:
        Path(temp_name).unlink(missing_ok=True)
