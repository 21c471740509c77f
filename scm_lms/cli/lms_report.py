"""`scm-lms lms report DURCHGANG`: one self-contained HTML page on seats, module progress, certification."""

from __future__ import annotations

from pathlib import Path

import click

from scm_lms.cli.options import ALLOW_HTTP, CONFIG, DB, PROGRAMME, moodle_client, read_durchgang
from scm_lms.ledger import DEFAULT_NAME


@click.command()
@click.argument("durchgang")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="HTML file to write (default: report-<DURCHGANG>.html).",
)
@click.option("--names", is_flag=True, help="Show participants' names (default: pseudonymous ids only).")
@PROGRAMME
@DB
@CONFIG
@ALLOW_HTTP
def report(
    durchgang: str,
    out: Path | None,
    names: bool,
    programme_path: Path,
    db: Path | None,
    config_path: Path | None,
    allow_http: bool,
) -> None:
    """Write the progress report of DURCHGANG from live Moodle data and the local ledger."""
    from rich.console import Console

    from scm_base.errors import ToolkitError
    from scm_lms.ledger import Ledger
    from scm_lms.moodle import MoodleError
    from scm_lms.report import gather, render_report, summarise, write_report

    ledger_path = db or programme_path.parent / DEFAULT_NAME
    if not ledger_path.is_file():
        raise click.ClickException(
            f"Ledger {ledger_path} nicht gefunden; erst „scm-lms admit“ ausführen oder --db angeben."
        )
    programme = read_durchgang(programme_path, durchgang)
    try:
        with (
            Ledger.open(ledger_path) as ledger,
            moodle_client(config_path, allow_http) as client,
            Console(stderr=True).status(f"Moodle-Daten für {durchgang} lesen …"),
        ):
            data = gather(client, programme, ledger, durchgang)
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Daten nicht lesbar: {error} – {error.advice}") from None
    except ToolkitError as error:  # report or ledger
        raise click.ClickException(str(error)) from None
    summary = summarise(data)
    target = out or Path(f"report-{durchgang}.html")
    try:
        write_report(target, render_report(data, summary, names))
    except OSError as error:
        raise click.ClickException(f"{target}: Bericht nicht geschrieben ({error.strerror}).") from None
    for warning in data.warnings:
        click.echo(f"Hinweis: {warning}", err=True)
    click.echo(
        f"Bericht für {durchgang} geschrieben: {target} ({len(data.learners)} Teilnehmende, "
        f"{summary.certified} mit erfüllten Zertifikatsvoraussetzungen)."
    )
