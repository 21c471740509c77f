"""`scm-lms preview PACKAGE.zip | SOURCE`: play a SCO locally and watch what it tells the LMS."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Literal

import click
from click.core import ParameterSource


@click.command()
@click.pass_context
@click.argument("target", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="0 picks a free port."
)
@click.option(
    "--module",
    "module_number",
    type=click.IntRange(1, 99),
    default=1,
    show_default=True,
    help="Module to play when TARGET is a course source.",
)
@click.option(
    "--format",
    "flavour",
    type=click.Choice(["scorm12", "scorm2004"]),
    default="scorm12",
    show_default=True,
    help="SCORM version to render a course source as (a zip brings its own).",
)
def preview(
    ctx: click.Context, target: Path, port: int, module_number: int, flavour: Literal["scorm12", "scorm2004"]
) -> None:
    """Serve TARGET (a SCORM zip or a course source folder) on 127.0.0.1 with a live runtime inspector.

    A source folder is rebuilt whenever one of its files changes, and the page reloads. Stop with Ctrl+C.
    """
    from course_package.source import SourceError
    from scm_lms.preview import LiveSite, PreviewError, PreviewServer, load_source, load_zip

    try:
        if target.is_dir():
            live = LiveSite(partial(load_source, target, module_number, flavour), watched=target)
        else:
            options = (("--module", "module_number"), ("--format", "flavour"))
            given = [
                flag
                for flag, name in options
                if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
            ]
            if given:
                click.echo(
                    f"Hinweis: {' und '.join(given)} gilt nur für Kursquellen; das Paket bringt Modul und "
                    "SCORM-Version selbst mit.",
                    err=True,
                )
            live = LiveSite(partial(load_zip, target))
        server = PreviewServer(live, port)
    except SourceError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"{target}: Kursquelle fehlerhaft, keine Vorschau.") from None
    except PreviewError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"Port {port} ist nicht verfügbar ({error.strerror}); --port 0 wählt einen freien."
        ) from None
    with server:
        click.echo(f"Vorschau: {server.url}  (Strg+C beendet)")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("Vorschau beendet.")
