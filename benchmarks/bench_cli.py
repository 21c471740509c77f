"""How fast the command line answers: `scm-lms --help` and every command's `--help`, whole processes.

Aim: each under 0.2 s (median of 5) as a user meets it, started through the installed `scm-lms` script with
this checkout first on the path. Beside each time the import cost of that command (`python -X importtime`,
sum of the top-level imports) and which heavy libraries it loaded, so a command that imports what it does
not use shows at once.
"""

from __future__ import annotations

import subprocess
import sys

import click

from benchmarks import Measurement, benchmark
from benchmarks.processes import entry, environment, whole_process

HELP_AIM = 0.2
HEAVY = ("matplotlib", "fpdf", "lxml", "pydantic", "yaml", "jinja2", "requests", "cryptography", "pypdf")
"""Libraries that cost tens of milliseconds each; a `--help` should load none it does not need."""


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group of `scm-lms`, as argument lists (the top level is the empty tuple)."""
    from scm_lms.cli import cli

    paths: list[tuple[str, ...]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        paths.append(path)
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    walk(sub, (*path, name))

    walk(cli, ())
    return paths


def import_cost(path: tuple[str, ...], env: dict[str, str]) -> tuple[float, list[str]]:
    """Seconds spent importing (top-level imports of `-X importtime`) and the heavy libraries among them."""
    args = [sys.executable, "-X", "importtime", *entry(), *path, "--help"]
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    micros = 0
    loaded: set[str] = set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if not cumulative.strip().isdigit():
            continue  # the header line
        module = name.strip()
        if name.startswith(" ") and not name.startswith("  "):  # one space: a top-level import
            micros += int(cumulative)
        top = module.split(".")[0]
        if top in HEAVY:
            loaded.add(top)
    return micros / 1e6, sorted(loaded)


@benchmark("cli")
def help_times() -> list[Measurement]:
    env = environment()
    measurements = []
    for path in command_paths():
        label = " ".join(("scm-lms", *path, "--help"))
        seconds = whole_process([*entry(), *path, "--help"], env)
        imports, heavy = import_cost(path, env)
        print(f"  {label:<36} Import {imports * 1000:6.0f} ms; lädt: {', '.join(heavy) or '–'}")
        measurements.append(Measurement(label, seconds, HELP_AIM, "s"))
    return measurements
