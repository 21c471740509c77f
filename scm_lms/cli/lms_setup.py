"""`scm-lms lms setup`: check the site for the programme, then create the category and name the template."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import ALLOW_HTTP, CONFIG, PROGRAMME, moodle_client, read_programme

if TYPE_CHECKING:
    from scm_lms.moodle import MoodleClient
    from scm_lms.provision.setup import SetupPlan

_LABELS = {
    "ok": "ok",
    "create": "anlegen",
    "change": "ändern",
    "manual": "von Hand",
    "blocked": "blockiert",
    "ignored": "ignoriert",
}


def show_setup(plan: SetupPlan, width: int = 80) -> None:
    """The plan in German, one entry per check, then the numbered list of what only an admin can do; wrapped
    to `width` with a hanging indent so the labels stay in one column."""
    for finding in plan.findings:
        click.echo(_wrap(f"  {_LABELS[finding.status]:<10} ", finding.text, width))
    if plan.manual:
        click.echo("Nur von Hand (mit Administrationsrechten in Moodle 4.5):")
        for number, item in enumerate(plan.manual, 1):
            click.echo(_wrap(f"  {number}. ", item, width))
    if not plan.changes and not plan.blocked:
        rest = " (die Punkte „von Hand“ bleiben beim Admin)" if plan.manual else ""
        click.echo(f"Nichts zu tun für das Toolkit{rest}.")


def _wrap(head: str, text: str, width: int) -> str:
    indent = " " * len(head)
    return textwrap.fill(
        text, max(width, 40), initial_indent=head, subsequent_indent=indent, break_on_hyphens=False
    )


def _apply(client: MoodleClient, plan: SetupPlan) -> list[str]:
    """Make the planned changes; the German reasons of those that did not go through."""
    from scm_lms.moodle import courses

    problems: list[str] = []
    if plan.category is not None:
        created = courses.create_categories(client, [plan.category])
        problems += [f"Kursbereich nicht angelegt: {failure}" for failure in created.failures]
        if not created.failures:
            click.echo(f"Kursbereich {plan.category.idnumber} angelegt (ID {created.records[0].id}).")
    if plan.course is not None:
        updated = courses.update_courses(client, [plan.course])
        problems += [f"Vorlagekurs nicht geändert: {failure}" for failure in updated.failures]
        problems += [f"Vorlagekurs nicht geändert: {warning.message}" for warning in updated.warnings]
        if not updated.failures and not updated.warnings:
            click.echo(f"Vorlagekurs (ID {plan.course.id}) hat jetzt die ID-Nummer {plan.course.idnumber}.")
    return problems


@click.command()
@PROGRAMME
@click.option(
    "--course",
    "course_source",
    type=click.Path(path_type=Path, file_okay=False),
    help="Course source folder whose course.yaml names the template (default: built-in curriculum).",
)
@click.option("--apply", "do_apply", is_flag=True, help="Make the planned changes (asks first).")
@click.option("--yes", is_flag=True, help="With --apply: do not ask for confirmation.")
@CONFIG
@ALLOW_HTTP
def setup(
    programme_path: Path,
    course_source: Path | None,
    do_apply: bool,
    yes: bool,
    config_path: Path | None,
    allow_http: bool,
) -> None:
    """Check the Moodle site for this programme; with --apply create the category and name the template.

    Read-only without --apply. Lists what only an admin can do by hand. Exits 1 when something is blocked.
    """
    from course_package.source import SourceError, load_course
    from scm_lms.moodle import MoodleError
    from scm_lms.provision.setup import Template, read_setup

    programme = read_programme(programme_path)
    try:
        source = load_course(course_source)
    except SourceError as error:
        raise click.ClickException(f"Kursquelle fehlerhaft: {error}") from None
    template = Template.of(source, programme.moodle.template_course)
    with moodle_client(config_path, allow_http) as client:
        try:
            plan = read_setup(client, programme, template)
        except MoodleError as error:
            raise click.ClickException(f"Moodle-Stand nicht lesbar: {error} – {error.advice}") from None
        category = programme.moodle.category
        click.echo(f"Einrichtung für {programme_path} (Kursbereich {category}, Vorlage {template.idnumber}):")
        show_setup(plan, shutil.get_terminal_size().columns)
        if plan.blocked:
            sys.exit(1)
        if not plan.changes:
            return
        if not do_apply:
            click.echo("Ausführen mit: scm-lms lms setup --apply")
            return
        if not yes and not click.confirm("Diese Änderungen jetzt ausführen?", default=False):
            raise click.ClickException("Abgebrochen, nichts geändert.")
        try:
            problems = _apply(client, plan)
        except MoodleError as error:
            raise click.ClickException(f"Moodle-Fehler: {error} – {error.advice}") from None
    if problems:
        raise click.ClickException("\n".join(problems))
