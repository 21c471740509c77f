"""The scm-lms command line: thin commands that parse, call one function and print.

Each area owns its commands in its own module; the entry point is a registry of names, imported only when a
command runs (see `scm_lms.cli.lazy`), so `scm-lms --help` loads no PDF, chart or Moodle code.
"""

from __future__ import annotations

import click

from scm_lms import __version__
from scm_lms.cli.lazy import LazyCommand, LazyGroup

COMMANDS: dict[str, LazyCommand] = {
    "course": LazyCommand("scm_lms.cli.course:course", "Check a course source folder or start a new one."),
    "build": LazyCommand(
        "scm_lms.cli.build:build",
        "Build SOURCE (default: built-in curriculum) as SCORM 1.2, SCORM 2004 4th ed. and IMS CC 1.1 zips, "
        "each module's facilitator guide and worksheets as PDF, plus SCM-TEMPLATE.mbz, the Moodle template "
        "course with the SCORM 1.2 packages and worksheets.",
    ),
    "validate": LazyCommand(
        "scm_lms.cli.validate:validate",
        "Validate PACKAGES offline (XSD, ADL rules, Moodle parser, hostile-zip checks); exit 1 if any fails.",
    ),
    "preview": LazyCommand(
        "scm_lms.cli.preview:preview",
        "Serve TARGET (a SCORM zip or a course source folder) on 127.0.0.1 with a live runtime inspector.",
    ),
    "lms": LazyCommand(
        "scm_lms.cli.lms:lms", "Plan and apply a Durchgang in Moodle, check the site, certify, report."
    ),
    "admit": LazyCommand(
        "scm_lms.cli.admit:admit",
        "Import registrations and decide who is admitted, waits or is declined, per Durchgang.",
    ),
    "cert": LazyCommand(
        "scm_lms.cli.cert:cert",
        "Certificates: signing key, verification, revocation, register, Open Badges export.",
    ),
    "ledger": LazyCommand(
        "scm_lms.cli.ledger:ledger",
        "Show what the ledger holds and erase personal data (access and erasure under the DSGVO).",
    ),
    "attendance": LazyCommand(
        "scm_lms.cli.attendance:attendance",
        "Record who attended the live mornings: import platform lists, correct, show, print sheets.",
    ),
}
"""Every top-level command: where it lives and its short help (first sentence of its docstring)."""


@click.group(cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scm-lms")
def cli() -> None:
    """Run the Smart City Manager programme: build course packages, provision Moodle, certify."""


def main() -> None:
    cli()
