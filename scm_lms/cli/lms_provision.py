"""`scm-lms lms init`: start a programme file from a commented template (plan and apply come later)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from scm_lms.csvio import write_atomic

STARTER = Path(__file__).parents[1] / "templates" / "programme-starter.yaml"


def starter_text(year: int) -> str:
    return STARTER.read_text(encoding="utf-8").replace("{YEAR}", str(year))


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), default="programme.yaml")
@click.option("--year", type=click.IntRange(2000, 2100), help="Programme year (default: next year).")
def init(path: Path, year: int | None) -> None:
    """Write a commented starter programme file to PATH (never overwrites)."""
    if path.exists():
        raise click.ClickException(f"{path} existiert bereits und wird nicht überschrieben.")
    chosen = year or dt.date.today().year + 1
    write_atomic(path, starter_text(chosen).encode("utf-8"))
    click.echo(f"Programmdatei {path} für {chosen} angelegt. Bitte die Beispielwerte anpassen.")
