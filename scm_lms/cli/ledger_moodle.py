"""The `--moodle` step of `ledger erase`: show which owned accounts get suspended, then suspend them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import moodle_client

if TYPE_CHECKING:
    from scm_lms.moodle import MoodleClient
    from scm_lms.programme.model import Moodle
    from scm_lms.provision.erase_moodle import AccountStep


@dataclass
class Planned:
    client: MoodleClient
    steps: list[AccountStep]


def plan(
    config_path: Path | None, allow_http: bool, reg_ids: Sequence[str], settings: Moodle | None = None
) -> Planned:
    """Read-only, before the confirmation: print what happens to each registration's Moodle account."""
    from scm_lms.moodle import MoodleError
    from scm_lms.provision.erase_moodle import plan_erasure

    client = moodle_client(config_path, allow_http)
    try:
        if settings is None:
            steps = plan_erasure(client, reg_ids)
        else:
            steps = plan_erasure(client, reg_ids, settings.allowed_auths, settings.student_role_id)
    except MoodleError as error:
        client.close()
        raise click.ClickException(
            f"Moodle nicht lesbar: {error} – {error.advice}; nichts gelöscht."
        ) from None
    for step in steps:
        click.echo(f"Moodle {step.reg_id}: {step.reason}")
    return Planned(client, steps)


def carry_out(planned: Planned) -> None:
    """After the ledger erasure: suspend; a failure is reported with what to do, the ledger stays erased."""
    from scm_lms.moodle import MoodleError
    from scm_lms.provision.erase_moodle import apply_erasure

    with planned.client:
        try:
            problems = apply_erasure(planned.client, planned.steps)
        except MoodleError as error:
            problems = [f"{error} – {error.advice}"]
    done = [s.reg_id for s in planned.steps if s.op == "suspend"]
    if problems:
        raise click.ClickException(
            "Moodle-Konten nicht gesperrt: " + "; ".join(problems) + " – in Moodle von Hand sperren."
        )
    if done:
        click.echo(
            f"Moodle: Konten von {', '.join(done)} gesperrt (Löschen in Moodle bleibt Ihre Entscheidung)."
        )
