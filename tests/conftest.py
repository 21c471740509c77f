"""Fixtures shared across test modules; keep them generic (area-specific helpers live in their test files)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from course_package.scaffold import STARTER_DIR


@pytest.fixture
def course_source(tmp_path: Path) -> Path:
    """A writable copy of the valid two-module starter course, to break or build on in a test."""
    target = tmp_path / "kurs"
    shutil.copytree(STARTER_DIR, target)
    return target
