"""`scm-lms lms …`: everything that talks to (or plans against) the Moodle site.

Subcommands live in their own modules (check, setup, init/plan/apply, certify, report); each is imported only
when it runs, so `scm-lms lms check` loads no certificate or report code.
"""

from __future__ import annotations

import click

from scm_lms.cli.lazy import LazyCommand, LazyGroup

SUBCOMMANDS: dict[str, LazyCommand] = {
    "check": LazyCommand(
        "scm_lms.cli.lms_check:check",
        "Check the Moodle connection: release, site, token user, the account language and the functions we "
        "need.",
    ),
    "setup": LazyCommand(
        "scm_lms.cli.lms_setup:setup",
        "Check the Moodle site for this programme; with --apply create the category and name the template.",
    ),
    "init": LazyCommand(
        "scm_lms.cli.lms_provision:init",
        "Write a commented starter programme file to PATH (never overwrites).",
    ),
    "plan": LazyCommand(
        "scm_lms.cli.lms_provision:plan",
        "Show what `lms apply` would create, update or leave in Moodle for each DURCHGANG.",
    ),
    "apply": LazyCommand(
        "scm_lms.cli.lms_provision:apply",
        "Make Moodle match the plan of each DURCHGANG; safe to run again after any failure.",
    ),
    "certify": LazyCommand(
        "scm_lms.cli.lms_certify:certify",
        "Decide who passes DURCHGANG from Moodle grades; with --issue issue certificates and record them.",
    ),
    "report": LazyCommand(
        "scm_lms.cli.lms_report:report",
        "Write the progress report of DURCHGANG from live Moodle data and the local ledger.",
    ),
}
"""Every `lms` subcommand: where it lives and its short help (first sentence of its docstring)."""


@click.group(cls=LazyGroup, lazy=SUBCOMMANDS)
def lms() -> None:
    """Plan and apply a Durchgang in Moodle, check the site, certify, report."""
