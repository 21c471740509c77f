"""Writes the starter course (`course_package/starter/`) into a new folder for `scm-lms course new`.

The copy is assembled in a hidden sibling folder and renamed into place, so an interrupted run never leaves a
half-written course that would look like the author's own work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from scm_base.errors import ToolkitError

STARTER_DIR = Path(__file__).parent / "starter"


class TargetNotEmptyError(ToolkitError):
    """The target exists and holds something; we never overwrite an author's files."""


def write_starter(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        kind = "Ordner ist nicht leer" if target.is_dir() else "Pfad existiert und ist kein Ordner"
        raise TargetNotEmptyError(
            f"{target}: {kind}; wählen Sie einen neuen Ordnernamen (nichts geschrieben)"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        skip = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(STARTER_DIR, staging, dirs_exist_ok=True, ignore=skip)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
