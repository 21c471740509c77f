"""`scm-lms build [SOURCE]`: every output of the build registry, validated, summarised in a table."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from scorm.formats import BACKUP, GUIDE, KINDS, WORKSHEETS

if TYPE_CHECKING:
    from rich.table import Table

    from scorm.builds import Built


@click.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "formats",
    default=",".join(KINDS),
    show_default=True,
    help=f"Comma-separated outputs to build; {GUIDE!r} and {WORKSHEETS!r} are each module's facilitator "
    f"guide and worksheets (PDF), {BACKUP!r} the Moodle template course backup (.mbz).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder.",
)
@click.pass_context
def build(ctx: click.Context, source: Path | None, formats: str, out: Path) -> None:
    """Build SOURCE (default: built-in curriculum) as SCORM 1.2, SCORM 2004 4th ed. and IMS CC 1.1 zips,
    each module's facilitator guide and worksheets as PDF, plus SCM-TEMPLATE.mbz, the Moodle template
    course with the SCORM 1.2 packages and worksheets."""
    from rich.console import Console
    from rich.progress import Progress

    from course_package.source import SourceError, load_course
    from scm_base.errors import ToolkitError
    from scorm.builds import BUILDERS, parse_kinds, planned, run_builds

    try:
        kinds = parse_kinds(formats)
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
        task = progress.add_task("Bauen", total=planned(course, kinds))
        try:
            results = run_builds(course, out, kinds, on_result=lambda result: progress.advance(task))
        except (ToolkitError, OSError) as error:
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
    packages = sum(BUILDERS[result.kind].container != "pdf" for result in results)
    documents = len(results) - packages
    counted = f"{len(results) - len(failed)} von {len(results)} "
    what = "Paketen" if not documents else "Paketen und Dokumenten" if packages else "Dokumenten"
    click.echo(f"{counted}{what} gültig in {out}.")
    ctx.exit(1 if failed else 0)


def _table(results: list[Built]) -> Table:
    from rich.table import Table

    table = Table(title="Gebaute Pakete und Dokumente")
    table.add_column("Modul", justify="right")
    table.add_column("Format")
    table.add_column("Datei", overflow="fold")
    table.add_column("Größe", justify="right")
    table.add_column("Prüfungen", justify="right")
    for result in results:
        report = result.report
        status = "ok" if report.valid else "FEHLER"
        checks = f"{report.checks_passed}/{report.checks_run} {status}"
        module = str(result.module.number) if result.module else "alle"
        table.add_row(module, result.kind, result.path.name, f"{result.size / 1024:.1f} KB", checks)
    return table
