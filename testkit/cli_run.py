"""Running the whole `scm-lms` command line in-process, as the CLI tests of several areas do."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from click.testing import CliRunner

from scm_lms.cli import cli
from scm_lms.moodle import RetryPolicy

NO_BACKOFF = RetryPolicy(base_delay=0.0)
"""The client's retries without their waiting: a fault-injection test must not sleep through back-off."""


def run(*args: str | Path, env: Mapping[str, str] | None = None) -> tuple[int, str]:
    """`scm-lms ARGS` → (exit code, output); paths may be passed as they are."""
    result = CliRunner().invoke(cli, [str(arg) for arg in args], env=env, obj=NO_BACKOFF)
    return result.exit_code, result.output
