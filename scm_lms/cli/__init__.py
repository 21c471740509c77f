"""The scm-lms command line: thin commands that parse, call one function and print.

Each area registers its commands from its own module so that the entry point stays a list of names.
"""

from __future__ import annotations

import importlib

import click

from scm_lms import __version__

# (module, attribute) of every top-level command or group; each module owns its commands.
_COMMANDS: tuple[tuple[str, str], ...] = (
    ("scm_lms.cli.course", "course"),
    ("scm_lms.cli.build", "build"),
    ("scm_lms.cli.validate", "validate"),
    ("scm_lms.cli.preview", "preview"),
    ("scm_lms.cli.lms", "lms"),
    ("scm_lms.cli.admit", "admit"),
    ("scm_lms.cli.cert", "cert"),
    ("scm_lms.cli.ledger", "ledger"),
    ("scm_lms.cli.attendance", "attendance"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scm-lms")
def cli() -> None:
    """Run the Smart City Manager programme: build course packages, provision Moodle, certify."""


def _register() -> None:
    for module_name, attribute in _COMMANDS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:  # not written yet
                continue
            raise
        cli.add_command(getattr(module, attribute))


_register()


def main() -> None:
    cli()
