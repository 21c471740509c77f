"""`scm-lms validate PACKAGE…`: check SCORM 1.2 / 2004 / IMS CC zips, ours or third-party, one report each."""

from __future__ import annotations

import json
from pathlib import Path

import click

from scorm.validate import Limits, Report, validate_path

_LEVELS = {"error": "FEHLER", "warning": "WARNUNG", "info": "HINWEIS"}


@click.command()
@click.argument("packages", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON array of reports instead of text.")
@click.option(
    "--max-size-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=Limits().max_package_bytes / 1024 / 1024,
    show_default=True,
    help="Upload limit of the target LMS; bigger packages fail.",
)
@click.pass_context
def validate(ctx: click.Context, packages: tuple[Path, ...], as_json: bool, max_size_mb: float) -> None:
    """Validate PACKAGES offline (XSD, ADL rules, Moodle parser, hostile-zip checks); exit 1 if any fails."""
    limits = Limits(max_package_bytes=int(max_size_mb * 1024 * 1024))
    reports = [validate_path(path, limits) for path in packages]
    if as_json:
        click.echo(json.dumps([report.to_dict() for report in reports], ensure_ascii=False, indent=2))
    else:
        for report in reports:
            click.echo(format_report(report))
    ctx.exit(0 if all(report.valid for report in reports) else 1)


def format_report(report: Report) -> str:
    """A short German report: verdict line, what was detected, then one line per finding."""
    verdict = "gültig" if report.valid else "UNGÜLTIG"
    lines = [f"{report.path}: {verdict}"]
    details = [f"Typ {report.kind}"]
    if report.schemaversion:
        details.append(f"schemaversion {report.schemaversion!r}")
    if report.launch:
        details.append(f"Start {report.launch}")
    if report.checks_run:
        details.append(f"{report.checks_passed}/{report.checks_run} Prüfungen bestanden")
    lines.append("  " + ", ".join(details))
    for finding in report.findings:
        where = f" {finding.location()}" if finding.location() else ""
        lines.append(f"  {_LEVELS[finding.level]} [{finding.code}]{where}: {finding.message}")
    return "\n".join(lines)
