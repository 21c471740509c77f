"""`scm-lms build [SOURCE]`: every module in every format, validated, summarised in a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from scorm.formats import BACKUP_FORMAT, FORMATS

if TYPE_CHECKING:
    from rich.table import Table

    from scorm.build import BuildResult
    from scorm.moodle_backup.from_build import BackupResult


@click.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join((*FORMATS, BACKUP_FORMAT)),
    show_default=True,
    help=f"Comma-separated formats to build; {BACKUP_FORMAT!r} is the Moodle template course backup (.mbz).",
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
    """Build SOURCE (default: built-in curriculum) as SCORM 1.2, SCORM 2004 4th ed. and IMS CC 1.1 zips,
    plus SCM-TEMPLATE.mbz, the Moodle template course with the SCORM 1.2 packages."""
    from rich.console import Console
    from rich.progress import Progress

    from course_package.source import SourceError, load_course
    from scm_base.errors import ToolkitError
    from scorm.build import build_all, parse_formats
    from scorm.moodle_backup.from_build import build_backup, split_backup

    package_formats, with_backup = split_backup(formats)
    try:
        wanted = parse_formats(package_formats) if package_formats or not with_backup else ()
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
        task = progress.add_task("Pakete bauen", total=len(course.modules) * len(wanted) + with_backup)
        try:
            results = build_all(course, out, wanted, on_result=lambda result: progress.advance(task))
            backup = build_backup(course, out) if with_backup else None
        except (ToolkitError, OSError) as error:
            raise click.ClickException(str(error)) from None
    console.print(_table(results, backup))
    outputs = [(result.path, result.report) for result in results]
    outputs += [(backup.path, backup.report)] if backup else []
    for path, report in outputs:
        for finding in report.findings:
            level = "FEHLER" if finding.level == "error" else "WARNUNG"
            where = f" {finding.location()}" if finding.location() else ""
            console.print(f"{path.name}: {level} [{finding.code}]{where}: {finding.message}", markup=False)
    failed = [path for path, report in outputs if not report.valid]
    click.echo(f"{len(outputs) - len(failed)} von {len(outputs)} Paketen gültig in {out}.")
    ctx.exit(1 if failed else 0)


def _table(results: list[BuildResult], backup: BackupResult | None = None) -> Table:
    from rich.table import Table

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
    if backup:
        status = "ok" if backup.report.valid else "FEHLER"
        checks = f"{backup.report.checks_passed}/{backup.report.checks_run} {status}"
        table.add_row("alle", BACKUP_FORMAT, backup.path.name, f"{backup.size / 1024:.1f} KB", checks)
    return table
