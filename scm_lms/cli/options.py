"""Options several commands share, and turning their values into objects or one clear error.

A flag like `--db` or `--config` must mean the same in every command; defining it once keeps the names,
types and help texts from drifting apart. The helpers import the programme, key and Moodle code when called,
so that declaring an option costs nothing at `--help`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from scm_lms.ledger import DEFAULT_NAME

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from scm_lms.moodle import Limits, MoodleClient, MoodleConfig
    from scm_lms.programme import Programme

F = TypeVar("F", bound=Callable[..., Any])

_FILE = click.Path(path_type=Path, dir_okay=False)

LEDGER_HELP = f"Ledger file (default: {DEFAULT_NAME} next to the programme file)."

PROGRAMME = click.option(
    "--programme",
    "programme_path",
    type=_FILE,
    default="programme.yaml",
    show_default=True,
    help="Programme file.",
)
KEY = click.option(
    "--key",
    "key_path",
    type=_FILE,
    help="Private signing key (default: $SCM_CERT_KEY or ~/.config/scm-lms/zertifikat-signatur.key).",
)
ALLOW_HTTP = click.option("--allow-http", is_flag=True, help="Allow plain http for a non-loopback test site.")


def db_option(help: str = LEDGER_HELP, default: str | None = None) -> Callable[[F], F]:
    """`--db`: the ledger file; commands differ only in what they use it for and whether it has a default."""
    if default is None:
        return click.option("--db", type=_FILE, help=help)
    return click.option("--db", type=_FILE, default=default, show_default=True, help=help)


def config_option(
    help: str = "File with url and token (mode 600); default: env, then the user config file.",
) -> Callable[[F], F]:
    return click.option("--config", "config_path", type=_FILE, help=help)


DB = db_option()
"""`--db` of the commands that find the ledger next to the programme file."""
CONFIG = config_option()


def read_programme(path: Path) -> Programme:
    from scm_lms.programme import ProgrammeError, load_programme

    try:
        return load_programme(path)
    except ProgrammeError as error:
        raise click.ClickException("Programmdatei fehlerhaft:\n" + "\n".join(error.problems)) from None


def read_durchgang(path: Path, key: str) -> Programme:
    """The programme file, refused unless it lists Durchgang `key` (the admin's typo stops here)."""
    from scm_lms.programme import ProgrammeError

    programme = read_programme(path)
    try:
        programme.require_durchgang(key)
    except ProgrammeError as error:
        raise click.ClickException(str(error)) from None
    return programme


def signing_key(key_path: Path | None) -> Ed25519PrivateKey:
    from scm_lms.certify.signing import KeyFileError, default_key_path, load_private

    try:
        return load_private(key_path or default_key_path())
    except KeyFileError as error:
        raise click.ClickException(str(error)) from None


def moodle_config(
    config_path: Path | None, allow_http: bool, prompt: Callable[[str, bool], str] | None = None
) -> MoodleConfig:
    from scm_lms.moodle.config import ConfigError, load_config

    try:
        return load_config(config_path, prompt=prompt, allow_http=allow_http)
    except ConfigError as error:
        raise click.ClickException(f"Moodle-Verbindung nicht eingerichtet: {error}") from None


def moodle_client(config_path: Path | None, allow_http: bool, limits: Limits | None = None) -> MoodleClient:
    """A client for the configured site; `load_config` has already checked the URL, so this cannot fail.

    A caller running the commands in-process (tests, benchmarks) may pass a `RetryPolicy` as click's `obj`,
    e.g. one without back-off; the command line itself uses the client's default.
    """
    from scm_lms.moodle import MoodleClient, RetryPolicy

    config = moodle_config(config_path, allow_http)
    context = click.get_current_context(silent=True)
    retry = context.find_object(RetryPolicy) if context is not None else None
    return MoodleClient.from_config(config, allow_http=allow_http, limits=limits, retry=retry)
