"""`scm-lms build [SOURCE]`: every module in every format, validated, summarised in a table."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from course_package.source import SourceError, load_course
from scorm.build import BuildResult, build_all, parse_formats
from scorm.manifest import FORMATS, PackageError
from scorm.xsd import XsdError
from scorm.zipfile_det import EpochError


@click.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated formats to build.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder for the zips.",
)
@click.pass_context
def build(ctx: click.Context, source: Path | None, formats: str, out: Path) -> None:
    """Build SOURCE (default: built-in curriculum) as SCORM 1.2, SCORM 2004 4th ed. and IMS CC 1.1 zips."""
    try:
        wanted = parse_formats(formats)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--format") from None
    try:
        course = load_course(source)
    except SourceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        shown = source or "eingebauter Lehrplan"
        raise click.ClickException(f"{shown}: Kursquelle fehlerhaft, nichts gebaut.") from None
    console = Console(highlight=False)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Pakete bauen", total=len(course.modules) * len(wanted))
        try:
            results = build_all(course, out, wanted, on_result=lambda result: progress.advance(task))
        except (PackageError, XsdError, EpochError, OSError) as error:
            raise click.ClickException(str(error)) from None
    console.print(_table(results))
    for result in results:
        for finding in result.report.findings:
            level = "FEHLER" if finding.level == "error" else "WARNUNG"
            where = f" {finding.location()}" if finding.location() else ""
            console.print(
                f"{result.path.name}: {level} [{finding.code}]{where}: {finding.message}", markup=False
            )
    failed = [result for result in results if not result.report.valid]
    click.echo(f"{len(results) - len(failed)} von {len(results)} Paketen gültig in {out}.")
    ctx.exit(1 if failed else 0)


def _table(results: list[BuildResult]) -> Table:
    table = Table(title="Gebaute Pakete")
    table.add_column("Modul", justify="right")
    table.add_column("Format")
    table.add_column("Datei", overflow="fold")
    table.add_column("Größe", justify="right")
    table.add_column("Prüfungen", justify="right")
    for result in results:
        report = result.report
        status = "ok" if report.valid else "FEHLER"
        checks = f"{report.checks_passed}/{report.checks_run} {status}"
        table.add_row(
            str(result.module.number), result.format, result.path.name, f"{result.size / 1024:.1f} KB", checks
        )
    return table
