"""`scm-lms lms check`: can this token run the toolkit on this Moodle site?"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scm_lms.cli.options import ALLOW_HTTP, PROGRAMME, config_option, moodle_config, read_programme

if TYPE_CHECKING:
    from scm_lms.moodle.budget import FieldBudget

_SERVICE_PATH = (
    "Website-Administration › Server › Webservices › Externe Webservices "
    "(Site administration › Server › Web services › External services)"
)
_TOKEN_PATH = (
    "Website-Administration › Server › Webservices › Tokens verwalten "
    "(Site administration › Server › Web services › Manage tokens)"
)


_SOURCES = {"environment": "Umgebungsvariablen SCM_MOODLE_URL/SCM_MOODLE_TOKEN", "prompt": "Eingabe"}


def _prompt(label: str, hidden: bool) -> str:
    if not sys.stdin.isatty():
        return ""
    return getpass.getpass(f"{label}: ") if hidden else input(f"{label}: ")


def _budget_line(budget: FieldBudget) -> str:
    """What the probe found, for the admin: verified size, where the cut came, what batches use."""
    if not budget.probed:
        return budget.note
    cut = f"bei {budget.refused} abgeschnitten" if budget.refused else "mehr nicht geprüft"
    return (
        f"{budget.verified} Formularfelder je Anfrage kamen vollständig an ({cut}); Stapel nutzen "
        f"{budget.max_fields} (--max-fields übersteuert)."
    )


@click.command()
@config_option("File with url and token (mode 600); default: env, then ~/.config/scm-lms/moodle.toml.")
@ALLOW_HTTP
@PROGRAMME
def check(config_path: Path | None, allow_http: bool, programme_path: Path) -> None:
    """Check the Moodle connection: release, site, token user, the account language and the functions we need.

    The language is moodle.lang of the programme file if it exists, else "de".
    """
    from scm_lms.moodle import FunctionNotAvailable, InvalidToken, MoodleClient, MoodleError, site
    from scm_lms.provision.sites import site_budget

    lang = read_programme(programme_path).moodle.lang if programme_path.exists() else "de"
    config = moodle_config(config_path, allow_http, _prompt)
    try:
        with MoodleClient.from_config(config, allow_http=allow_http) as client:
            info = site.get_site_info(client)
            installed = site.language_installed(client, info, lang)
            budget = site_budget(client, info.siteurl, refresh=True)
    except InvalidToken:
        raise click.ClickException(
            "Moodle lehnt das Token ab (invalidtoken). Legen Sie unter "
            f"{_TOKEN_PATH} ein Token für den Dienst des Toolkits an und setzen Sie SCM_MOODLE_TOKEN "
            "bzw. token in der Konfigurationsdatei."
        ) from None
    except FunctionNotAvailable:
        raise click.ClickException(
            "Moodle verweigert schon core_webservice_get_site_info: Fügen Sie die Funktion unter "
            f"{_SERVICE_PATH} dem Dienst dieses Tokens hinzu und prüfen Sie dessen Benutzer-, IP- und "
            "Zeitbeschränkungen."
        ) from None
    except MoodleError as error:
        raise click.ClickException(f"Moodle nicht erreichbar oder Fehler: {error}") from None

    click.echo(f"Moodle-Version: {info.release} ({info.version})")
    click.echo(f"Website:        {info.sitename} – {info.siteurl}")
    click.echo(f"Token-Benutzer: {info.fullname} ({info.username}, ID {info.userid})")
    click.echo(f"Zugangsdaten:   {_SOURCES.get(config.source, config.source)}")
    if not info.uploadfiles:
        click.echo(
            "Hinweis: Der Dienst erlaubt keinen Datei-Upload; für Zertifikats-PDFs unter "
            f"{_SERVICE_PATH} beim Dienst „Dateien hochladen“ aktivieren."
        )
    language = site.language_problem(installed, lang)
    click.echo(f"Sprache:        {language or f'„{lang}“ ist installiert'}")
    click.echo(f"Feldbudget:     {_budget_line(budget)}")
    missing = site.missing_functions(info)
    if not missing:
        click.echo(f"Webservice-Funktionen: alle {len(site.REQUIRED_FUNCTIONS)} benötigten sind freigegeben.")
        if installed is False:
            sys.exit(1)
        return
    needed = len(site.REQUIRED_FUNCTIONS)
    click.echo(f"Es fehlen {len(missing)} von {needed} benötigten Webservice-Funktionen:")
    for name in missing:
        click.echo(f"  - {name}")
    click.echo(
        f"So beheben: {_SERVICE_PATH} → beim Dienst dieses Tokens „Funktionen“ öffnen → die fehlenden "
        "Funktionen hinzufügen, dann „scm-lms lms check“ erneut ausführen."
    )
    sys.exit(1)
