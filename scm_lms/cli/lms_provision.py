"""`scm-lms lms init`, `plan` and `apply`: start a programme file; show, then make, the Moodle changes."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import ALLOW_HTTP, CONFIG, DB, PROGRAMME, moodle_client, read_programme

if TYPE_CHECKING:
    from rich.console import Console

    from scm_lms.moodle import MoodleClient
    from scm_lms.provision.actions import Plan
    from scm_lms.provision.journal import Journal
    from scm_lms.provision.load import Inputs
    from scm_lms.provision.state import SiteLookups

STARTER = Path(__file__).parents[1] / "templates" / "programme-starter.yaml"


def starter_text(year: int) -> str:
    return STARTER.read_text(encoding="utf-8").replace("{YEAR}", str(year))


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False), default="programme.yaml")
@click.option("--year", type=click.IntRange(2000, 2100), help="Programme year (default: next year).")
def init(path: Path, year: int | None) -> None:
    """Write a commented starter programme file to PATH (never overwrites)."""
    from scm_base.atomic import write_atomic

    if path.exists():
        raise click.ClickException(f"{path} existiert bereits und wird nicht überschrieben.")
    chosen = year or dt.date.today().year + 1
    write_atomic(path, starter_text(chosen).encode("utf-8"))
    click.echo(f"Programmdatei {path} für {chosen} angelegt. Bitte die Beispielwerte anpassen.")


# --- plan and apply ---------------------------------------------------------------------------------------

_DURCHGANG = click.argument("durchgaenge", metavar="DURCHGANG...", nargs=-1, required=True)
_JOURNAL = click.option(
    "--journal",
    "journal_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Journal file (default: journal/<DURCHGANG>.jsonl next to the ledger).",
)
AUTO_ROWS = 500
"""Rows per request when --batch-size is not given: the field budget decides, up to this many (a bound on
the work Moodle does in one request)."""
DEFAULT_CONCURRENCY = 4
"""Calls in flight at once by default; scm_lms.provision.apply has the same (a test holds them equal)."""
_CONCURRENCY = click.option(
    "--concurrency",
    type=click.IntRange(1, 16),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Calls that do not wait for each other sent at the same time (1: one after the other).",
)
_BATCH = click.option(
    "--batch-size",
    type=click.IntRange(1, 1000),
    help=f"Rows per request (default: as many as the field budget allows, at most {AUTO_ROWS}).",
)
_FIELDS = click.option(
    "--max-fields",
    type=click.IntRange(100, 100_000),
    help="Form fields per request, below the site's PHP max_input_vars (default: probed once per site by "
    "apply and lms check, 90 % of what arrived whole; 1000 until then or if the probe fails).",
)


@dataclass(frozen=True)
class _Job:
    """One Durchgang of a run: its inputs and where its journal goes."""

    inputs: Inputs
    journal: Journal


def _jobs(
    programme_path: Path, db: Path | None, journal_path: Path | None, keys: tuple[str, ...]
) -> list[_Job]:
    from scm_lms.provision.journal import Journal
    from scm_lms.provision.journal import default_path as default_journal
    from scm_lms.provision.load import InputError, load_inputs

    jobs = []
    for key in dict.fromkeys(keys):
        try:
            inputs = load_inputs(programme_path, db, key)
        except InputError as error:
            raise click.ClickException(str(error)) from None
        jobs.append(_Job(inputs, Journal(journal_path or default_journal(inputs.db, key))))
    return jobs


def _connect(
    config_path: Path | None, allow_http: bool, max_fields: int | None, batch_size: int | None
) -> MoodleClient | None:
    """The configured site, or None when nothing is configured at all (plan then assumes an empty site).
    Batches start at PHP's default budget until `_size_batches` knows the site's."""
    from scm_lms.moodle import Limits
    from scm_lms.moodle.budget import PHP_DEFAULT
    from scm_lms.moodle.config import TOKEN_ENV, URL_ENV, default_config_path

    configured = os.environ.get(URL_ENV) or os.environ.get(TOKEN_ENV) or default_config_path().exists()
    if config_path is None and not configured:
        return None
    return moodle_client(config_path, allow_http, Limits(max_fields or PHP_DEFAULT, batch_size or AUTO_ROWS))


def _size_batches(
    client: MoodleClient, lookups: SiteLookups, max_fields: int | None, batch_size: int | None, probe: bool
) -> str:
    """Size every batch from the site's field budget (unless --max-fields says); the German note if the
    probe could not tell. `plan` only uses a budget kept from an earlier probe; `apply` probes if none is."""
    from scm_lms.moodle import Limits, MoodleError
    from scm_lms.provision.sites import default_path, known_budget, site_budget

    if max_fields is not None:
        return ""
    try:
        siteurl = lookups.info(client).siteurl
        budget = site_budget(client, siteurl) if probe else known_budget(siteurl, default_path())
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Stand nicht lesbar: {error} – {error.advice}") from None
    if budget is not None:
        client.limits = Limits(budget.max_fields, batch_size or AUTO_ROWS)
        return budget.note
    return ""


_ADOPT = click.option(
    "--adopt",
    "adopt",
    multiple=True,
    metavar="R-…",
    help="Confirm that the existing Moodle account found by e-mail belongs to this registration id.",
)
_ADOPT_OVERWRITE = click.option(
    "--adopt-overwrite", is_flag=True, help="Also overwrite names and e-mail of adopted accounts."
)


def _plan(
    client: MoodleClient | None,
    job: _Job,
    prune: bool,
    lookups: SiteLookups,
    adopt: tuple[str, ...] = (),
    adopt_overwrite: bool = False,
    concurrency: int = 1,
) -> Plan:
    """The plan of one Durchgang; `adopt` (from --adopt) adds to the programme file's adopt lists;
    `concurrency` bounds the reads of its state sent at the same time."""
    from scm_lms.moodle import MoodleError
    from scm_lms.provision.journal import SiteRef, site_identity
    from scm_lms.provision.plan import make_plan
    from scm_lms.provision.state import empty_state, read_state

    inputs = job.inputs
    desired, known = inputs.desired, inputs.known
    confirmed = tuple(dict.fromkeys([*inputs.adopt, *adopt]))
    auths = inputs.allowed_auths
    if client is None:
        return make_plan(
            desired,
            empty_state(),
            prune=prune,
            known=known,
            adopt=confirmed,
            adopt_overwrite=adopt_overwrite,
            allowed_auths=auths,
        )
    try:
        where = SiteRef(client.url, site_identity(lookups.info(client).siteurl))
        recorded = job.journal.recorded(where, desired.course.idnumber)
        current = read_state(client, desired, recorded, lookups, concurrency=concurrency)
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Stand nicht lesbar: {error} – {error.advice}") from None
    return make_plan(
        desired,
        current,
        prune=prune,
        known=known,
        adopt=confirmed,
        adopt_overwrite=adopt_overwrite,
        allowed_auths=auths,
    )


@click.command()
@_DURCHGANG
@PROGRAMME
@DB
@_JOURNAL
@click.option("--prune", is_flag=True, help="Show what apply --prune would suspend or remove.")
@_ADOPT
@_ADOPT_OVERWRITE
@click.option("-v", "--verbose", is_flag=True, help="List every item, not just the counts.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON (a list for several).")
@CONFIG
@ALLOW_HTTP
@_BATCH
@_FIELDS
@_CONCURRENCY
def plan(
    durchgaenge: tuple[str, ...],
    programme_path: Path,
    db: Path | None,
    journal_path: Path | None,
    prune: bool,
    adopt: tuple[str, ...],
    adopt_overwrite: bool,
    verbose: bool,
    as_json: bool,
    config_path: Path | None,
    allow_http: bool,
    batch_size: int | None,
    max_fields: int | None,
    concurrency: int,
) -> None:
    """Show what `lms apply` would create, update or leave in Moodle for each DURCHGANG.

    Without a configured site it plans against an empty one. Exits 1 when something is blocked.
    """
    from rich.console import Console

    from scm_lms.provision.render import plan_data, show_plan
    from scm_lms.provision.state import SiteLookups

    jobs = _jobs(programme_path, db, journal_path, durchgaenge)
    client = _connect(config_path, allow_http, max_fields, batch_size)
    lookups = SiteLookups()
    try:
        language = _language(client, programme_path, lookups)
        if client is not None:
            _size_batches(client, lookups, max_fields, batch_size, probe=False)
        each = concurrency if len(jobs) == 1 else 1  # several Durchgänge: they share the bound
        plans = _in_parallel(
            lambda job: _plan(client, job, prune, lookups, adopt, adopt_overwrite, each), jobs, concurrency
        )
    finally:
        if client is not None:
            client.close()
    if as_json:
        data = [plan_data(result) for result in plans]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
    else:
        for result in plans:
            show_plan(Console(highlight=False), result, verbose)
    if language:
        click.echo(f"Blockiert: {language}", err=True)
    if language or any(result.problems for result in plans):
        sys.exit(1)


def _in_parallel(read: Callable[[_Job], Plan], jobs: list[_Job], bound: int) -> list[Plan]:
    """The plans of several Durchgänge, read at the same time (they only read Moodle), in the given order."""
    if bound <= 1 or len(jobs) <= 1:
        return [read(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(bound, len(jobs)), thread_name_prefix="plan") as pool:
        return list(pool.map(read, jobs))


def _language(client: MoodleClient | None, programme_path: Path, lookups: SiteLookups) -> str:
    """Whether the site refuses moodle.lang, asked read-only before anything is planned or written."""
    from scm_lms.moodle import MoodleError, site

    if client is None:
        return ""
    lang = read_programme(programme_path).moodle.lang
    try:
        installed = site.language_installed(client, lookups.info(client), lang)
        return site.language_problem(installed, lang) if installed is False else ""
    except MoodleError as error:
        raise click.ClickException(f"Moodle-Stand nicht lesbar: {error} – {error.advice}") from None


@click.command()
@_DURCHGANG
@PROGRAMME
@DB
@_JOURNAL
@click.option(
    "--prune",
    is_flag=True,
    help="Suspend enrolments of people no longer admitted; remove them from the cohort.",
)
@_ADOPT
@_ADOPT_OVERWRITE
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("-v", "--verbose", is_flag=True, help="List every item of the plan first.")
@CONFIG
@ALLOW_HTTP
@_BATCH
@_FIELDS
@_CONCURRENCY
def apply(
    durchgaenge: tuple[str, ...],
    programme_path: Path,
    db: Path | None,
    journal_path: Path | None,
    prune: bool,
    adopt: tuple[str, ...],
    adopt_overwrite: bool,
    yes: bool,
    verbose: bool,
    config_path: Path | None,
    allow_http: bool,
    batch_size: int | None,
    max_fields: int | None,
    concurrency: int,
) -> None:
    """Make Moodle match the plan of each DURCHGANG; safe to run again after any failure.

    Nothing is deleted. Exits 1, listing what failed and what to do, when any change did not go through.
    """
    from rich.console import Console

    from scm_lms.moodle.config import TOKEN_ENV, URL_ENV, default_config_path
    from scm_lms.provision.state import SiteLookups

    jobs = _jobs(programme_path, db, journal_path, durchgaenge)
    client = _connect(config_path, allow_http, max_fields, batch_size)
    if client is None:
        raise click.ClickException(
            f"Keine Moodle-Website konfiguriert: {URL_ENV} und {TOKEN_ENV} setzen oder "
            f"{default_config_path()} anlegen (chmod 600); „scm-lms lms plan“ geht auch ohne."
        )
    console = Console(highlight=False)
    lookups = SiteLookups()
    failed = False
    with client:
        language = _language(client, programme_path, lookups)
        if language:
            raise click.ClickException(f"Nichts geändert. {language}")
        note = _size_batches(client, lookups, max_fields, batch_size, probe=True)
        if note:
            click.echo(f"Hinweis: {note}", err=True)
        for job in jobs:
            owner = (adopt, adopt_overwrite)
            failed |= not _apply_one(console, client, job, prune, yes, verbose, lookups, owner, concurrency)
    if failed:
        sys.exit(1)


def _apply_one(
    console: Console,
    client: MoodleClient,
    job: _Job,
    prune: bool,
    yes: bool,
    verbose: bool,
    lookups: SiteLookups,
    owner: tuple[tuple[str, ...], bool] = ((), False),
    concurrency: int = DEFAULT_CONCURRENCY,
) -> bool:
    """Plan, confirm and apply one Durchgang; False when anything was blocked or failed."""
    from rich.progress import Progress

    from scm_lms.provision.actions import AREA_DE
    from scm_lms.provision.apply import apply_plan
    from scm_lms.provision.render import show_plan, show_report

    key = job.inputs.desired.durchgang
    result = _plan(client, job, prune, lookups, *owner, concurrency)
    show_plan(console, result, verbose)
    if result.empty:
        return not result.problems
    if not yes and not click.confirm(f"Änderungen für {key} jetzt ausführen?", default=False):
        raise click.ClickException("Abgebrochen, nichts geändert.")
    with Progress(console=console, transient=True) as bar:
        task = bar.add_task(key, total=len(result.pending))
        report = apply_plan(
            client,
            result,
            job.journal,
            lambda area, count: bar.update(task, advance=count, description=f"{key}: {AREA_DE[area]}"),
            concurrency=concurrency,
        )
    show_report(console, report, key)
    console.print(f"Journal: {job.journal.path}")
    return not report.failed
