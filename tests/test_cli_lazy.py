"""The command line imports a command's code only when that command runs (issue #15): `scm-lms --help` and
every command's `--help` load none of the heavy libraries, and the listing reads exactly as before.

No timing here (a busy CI machine must not fail the suite); `make bench` measures the seconds.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from scm_lms.cli import COMMANDS, cli
from scm_lms.cli.lazy import LazyCommand, LazyGroup
from scm_lms.cli.lms import SUBCOMMANDS

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matplotlib", "fpdf", "lxml", "pydantic", "yaml", "pypdf", "requests", "jinja2")

_PROBE = """
import atexit, sys
atexit.register(lambda: print("MODULES", " ".join(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["scm-lms", *sys.argv[1:]]
from scm_lms.cli import main
main()
"""
"""Runs the CLI as `scm-lms ARGS` and prints, on the way out, every module the process had imported."""


def _loaded(*args: str) -> set[str]:
    """Modules (and their top-level packages) imported by `scm-lms ARGS`."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("MODULES "))
    names = set(line.split()[1:])
    return names | {name.split(".")[0] for name in names}


def _paths() -> list[tuple[str, ...]]:
    paths: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                assert sub is not None
                walk(sub, (*path, name))

    walk(cli, ())
    return paths


def test_top_level_help_loads_no_heavy_library() -> None:
    loaded = _loaded("--help")
    assert not {"matplotlib", "fpdf", "lxml", "pydantic"} & loaded
    assert not {"scm_lms.cli.build", "rich"} & loaded  # no command module, not even the table library


@pytest.mark.parametrize("path", _paths()[1:], ids=" ".join)
def test_every_command_help_loads_no_heavy_library(path: tuple[str, ...]) -> None:
    assert not set(HEAVY) & _loaded(*path, "--help")


@pytest.mark.parametrize(
    ("name", "entry"),
    [*COMMANDS.items(), *(("lms " + name, entry) for name, entry in SUBCOMMANDS.items())],
)
def test_registry_short_help_is_the_commands_own(name: str, entry: LazyCommand) -> None:
    """The listing shows the registry text; it must say what the command's docstring says."""
    assert entry.short_help == entry.load().get_short_help_str(10_000)


@pytest.mark.parametrize("registry", [COMMANDS, SUBCOMMANDS])
def test_listing_without_imports_equals_the_eager_listing(registry: dict[str, LazyCommand]) -> None:
    lazy = LazyGroup("g", lazy=registry)
    eager = click.Group("g", commands={name: entry.load() for name, entry in registry.items()})
    for width in (60, 80, 120):
        shown = []
        for group in (lazy, eager):
            formatter = click.HelpFormatter(width=width)
            group.format_commands(click.Context(group), formatter)
            shown.append(formatter.getvalue())
        assert shown[0] == shown[1]
    assert not lazy.commands  # the lazy listing imported nothing


def test_unknown_command_is_still_a_usage_error() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, "gibtsnicht"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "No such command 'gibtsnicht'" in result.stderr


def test_a_lazy_command_runs_once_loaded(tmp_path: Path) -> None:
    """`lms init` through both lazy levels: the command is imported on use and does its job."""
    from click.testing import CliRunner

    target = tmp_path / "p.yaml"
    result = CliRunner().invoke(cli, ["lms", "init", str(target), "--year", "2031"])
    assert result.exit_code == 0, result.output
    assert "2031" in target.read_text(encoding="utf-8")


def test_light_output_names_match_the_build_registry() -> None:
    """`build --help` reads the output names from scorm.formats; the registry must list the same, in order."""
    from scorm import formats
    from scorm.builds import KINDS

    assert formats.KINDS == KINDS


def test_the_cli_concurrency_default_is_apply_s() -> None:
    """The CLI keeps its own copy so `lms apply --help` need not import the apply engine."""
    from scm_lms.cli import lms_provision
    from scm_lms.provision import apply

    assert lms_provision.DEFAULT_CONCURRENCY == apply.DEFAULT_CONCURRENCY
