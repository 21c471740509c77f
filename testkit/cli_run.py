"""Running the whole `scm-lms` command line in-process, as the CLI tests of several areas do."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from scm_lms.cli import cli


def run(*args: str | Path, env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """`scm-lms ARGS` → (exit code, output); paths may be passed as they are."""
    result = CliRunner().invoke(cli, [str(arg) for arg in args], env=env)
    return result.exit_code, result.output
