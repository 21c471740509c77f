"""`scm-lms course check` and `scm-lms course new`: validate a course source, or start one from an example."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.table import Table

    from course_package.model import Course, Lesson, Module


@click.group()
def course() -> None:
    """Check a course source folder or start a new one."""


@course.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option(
    "--strict",
    is_flag=True,
    help="Also require the built-in curriculum's minimums per module (4 objectives, 5 lessons, "
    "2,500 words, 10 questions, pass mark 80).",
)
@click.pass_context
def check(ctx: click.Context, source: Path | None, strict: bool) -> None:
    """Validate SOURCE (default: built-in curriculum); list every problem as file:line: field: message."""
    from rich.console import Console

    from course_package.source import SourceError, check_course

    shown = str(source) if source else "eingebauter Lehrplan"
    try:
        checked = check_course(source, strict=strict)
    except SourceError as error:
        for problem in error.problems:
            click.echo(str(problem))
        count = len(error.problems)
        click.echo(f"{shown}: {count} Problem{'e' if count != 1 else ''} gefunden.")
        ctx.exit(1)
    loaded = checked.course
    unplayable = _unplayable(loaded)
    for message in unplayable:
        click.echo(message)
    if unplayable:
        click.echo(f"{shown}: {len(unplayable)} Problem{'e' if len(unplayable) != 1 else ''} gefunden.")
        ctx.exit(1)
    Console(highlight=False).print(_summary(loaded))
    for line in _mornings(loaded):
        click.echo(line)
    for line in _hints(checked.hints):
        click.echo(line)
    undated = [lesson.id for module in loaded.modules for lesson in module.lessons if _unreferenced(lesson)]
    if undated and not strict:
        click.echo(
            f"Hinweis: {len(undated)} Lektion{'en' if len(undated) != 1 else ''} ohne Stand (updated) oder "
            f"mit weniger als 3 Quellen (sources): {', '.join(undated)}; --strict verlangt beides."
        )
    click.echo(f"{shown}: in Ordnung.")


_HINTS_SHOWN = 8


def _hints(hints: tuple[object, ...]) -> list[str]:
    """Parts of the session kits still to write; a few shown, the count of the rest (all under --strict)."""
    lines = [f"Hinweis: {hint}" for hint in hints[:_HINTS_SHOWN]]
    if len(hints) > _HINTS_SHOWN:
        lines.append(f"Hinweis: … und {len(hints) - _HINTS_SHOWN} weitere dieser Art.")
    if hints:
        lines.append(
            f"Hinweis: {len(hints)} offene Punkte der Vormittage, Arbeitsblätter und Nachbesprechungen; "
            "--strict verlangt sie."
        )
    return lines


def _mornings(loaded: Course) -> list[str]:
    """The live mornings per module: number, title and the agenda in one line each."""
    lines = ["Vormittage:"]
    for module in loaded.modules:
        lines += _module_mornings(module)
    return lines


def _module_mornings(module: Module) -> list[str]:
    if not module.mornings:
        return [f"  Modul {module.number}: noch keine Vormittage (mornings/)"]
    lines = []
    for morning in module.mornings:
        lines.append(f"  Modul {module.number}, Vormittag {morning.number}: {morning.title}")
        agenda = ", ".join(f"{block.start} {block.title}" for block in morning.blocks)
        lines.append(
            f"    {len(morning.blocks)} Blöcke, Pausen {morning.break_minutes} Min.: {agenda}, 13:00 Ende"
        )
    return lines


def _unreferenced(lesson: Lesson) -> bool:
    return lesson.updated is None or len(lesson.sources) < 3


def _unplayable(loaded: Course) -> list[str]:
    """Problems a valid source can still have as a SCO (e.g. a quiz too large to resume in SCORM 1.2)."""
    from course_package.render import RenderError, check_suspend_budget

    messages = []
    for module in loaded.modules:
        try:
            check_suspend_budget(module)
        except RenderError as error:
            messages.append(str(error))
    return messages


def _summary(loaded: Course) -> Table:
    from rich.table import Table
    from rich.text import Text

    from course_package.model import word_count

    modules = loaded.modules
    lessons = [len(module.lessons) for module in modules]
    words = [sum(word_count(lesson.body) for lesson in module.lessons) for module in modules]
    questions = [len(module.quiz.questions) for module in modules]
    table = Table(title=Text(loaded.title), show_footer=True)  # Text: authors' brackets are not markup
    table.add_column("Nr.", justify="right")
    table.add_column("Modul", "Gesamt")
    for header, values in (("Lektionen", lessons), ("Wörter", words), ("Fragen", questions)):
        table.add_column(header, _number(sum(values)), justify="right")
    table.add_column("Stunden", f"{loaded.hours:g}", justify="right")
    table.add_column("Bestanden ab", justify="right")
    for index, module in enumerate(modules):
        counts = (_number(lessons[index]), _number(words[index]), _number(questions[index]))
        hours, pass_mark = f"{module.hours:g}", f"{module.pass_mark} %"
        table.add_row(str(module.number), Text(module.short_title), *counts, hours, pass_mark)
    return table


def _number(value: int) -> str:
    """German digit grouping (2.500), since the summary is read by German-speaking course teams."""
    return f"{value:,}".replace(",", ".")


@course.command()
@click.argument("directory", type=click.Path(path_type=Path))
def new(directory: Path) -> None:
    """Write a small, valid German example course (two modules, every feature) into DIRECTORY."""
    from course_package.scaffold import TargetNotEmptyError, write_starter

    try:
        write_starter(directory)
    except TargetNotEmptyError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Beispielkurs angelegt in {directory}. Prüfen mit: scm-lms course check {directory}")
