"""`scm-lms lms …`: everything that talks to (or plans against) the Moodle site.

Subcommands live in their own modules (check, init, plan, apply, certify, report) and are attached here.
"""

from __future__ import annotations

import importlib

import click

_SUBCOMMANDS: tuple[tuple[str, str], ...] = (
    ("scm_lms.cli.lms_check", "check"),
    ("scm_lms.cli.lms_setup", "setup"),
    ("scm_lms.cli.lms_provision", "init"),
    ("scm_lms.cli.lms_provision", "plan"),
    ("scm_lms.cli.lms_provision", "apply"),
    ("scm_lms.cli.lms_certify", "certify"),
    ("scm_lms.cli.lms_report", "report"),
)


@click.group()
def lms() -> None:
    """Plan and apply a Durchgang in Moodle, check the site, certify, report."""


for _module_name, _attribute in _SUBCOMMANDS:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as _error:
        if _error.name != _module_name:
            raise
        continue
    _command = getattr(_module, _attribute, None)
    if _command is not None:  # a module may define some of its commands later (lms_provision: plan, apply)
        lms.add_command(_command)
