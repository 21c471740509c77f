"""Where the site URL and token come from: environment, a private config file, or a hidden prompt.

The token grants admin rights on the Moodle site, so a config file holding it must be readable by its owner
only (mode 600); anything looser is refused rather than silently used.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from scm_base.errors import ToolkitError
from scm_lms.moodle.secret import Secret

URL_ENV = "SCM_MOODLE_URL"
TOKEN_ENV = "SCM_MOODLE_TOKEN"


class ConfigError(ToolkitError):
    """The Moodle connection settings are missing, unsafe or malformed; the message says how to fix them."""


@dataclass(frozen=True)
class MoodleConfig:
    url: str
    token: Secret
    source: str  # where the token came from, for messages: "environment", a file path or "prompt"


def default_config_path(env: Mapping[str, str] = os.environ) -> Path:
    base = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "scm-lms" / "moodle.toml"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, *, allow_http: bool = False) -> str:
    """The site root without a trailing slash; HTTPS unless loopback or explicitly allowed."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"Moodle-Adresse {url!r} ist keine http(s)-Adresse wie https://moodle.example.de")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ConfigError(
            "Moodle-Adresse muss die reine Website-Adresse sein, ohne Nutzer, Abfrage (?) oder Anker (#)"
        )
    if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname):
        raise ConfigError(
            f"Moodle-Adresse {url!r} nutzt http, damit ginge das Token unverschlüsselt übers Netz; "
            "verwenden Sie https (nur für eine Testwebsite: --allow-http)"
        )
    return url.strip().rstrip("/")


def _read_file(path: Path) -> dict[str, str]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigError(f"Konfigurationsdatei {path} gibt es nicht; Pfad prüfen") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"Konfigurationsdatei {path} ist für andere Nutzer lesbar (Modus {stat.S_IMODE(mode):o}); "
            f"sie enthält das Moodle-Token, also ausführen: chmod 600 {path}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"Konfigurationsdatei {path} ist kein gültiges TOML: {error}") from None
    values: dict[str, str] = {}
    for key in ("url", "token"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f"Konfigurationsdatei {path}: '{key}' muss ein nicht leerer Text in Anführungszeichen sein"
            )
        values[key] = value
    unknown = sorted(set(data) - {"url", "token"})
    if unknown:
        raise ConfigError(
            f"Konfigurationsdatei {path}: unbekannte Schlüssel {', '.join(unknown)} "
            "(erlaubt sind url und token)"
        )
    return values


def load_config(
    path: Path | None = None,
    *,
    env: Mapping[str, str] = os.environ,
    prompt: Callable[[str, bool], str] | None = None,
    allow_http: bool = False,
) -> MoodleConfig:
    """Settings from the environment, then the default file (if it exists), then `prompt`.

    An explicitly given `path` is read first and must exist; the environment then only fills gaps.

    `prompt(label, hidden)` asks for a missing value; the CLI passes one with hidden input for the token.
    """
    file_values: dict[str, str] = {}
    file_path = path or default_config_path(env)
    if path is not None or file_path.exists():
        file_values = _read_file(file_path)
    env_values = {key: env.get(name, "") for key, name in (("url", URL_ENV), ("token", TOKEN_ENV))}
    first, second = (file_values, env_values) if path is not None else (env_values, file_values)
    url = first.get("url") or second.get("url")
    token = first.get("token") or second.get("token")
    source = str(file_path) if token and token == file_values.get("token") else "environment"
    if prompt is not None:
        if not url:
            url = prompt("Moodle-Adresse (URL)", False)
        if not token:
            token, source = prompt("Moodle-Webservice-Token", True), "prompt"
    if not url or not token:
        missing = " und ".join(name for name, value in ((URL_ENV, url), (TOKEN_ENV, token)) if not value)
        raise ConfigError(
            f"keine Moodle-Verbindung eingerichtet: setzen Sie {missing} oder schreiben Sie url und token in "
            f"{default_config_path(env)} (chmod 600)"
        )
    try:
        secret = Secret(token)
    except ValueError:
        raise ConfigError("das Moodle-Token ist leer") from None
    return MoodleConfig(url=check_url(url, allow_http=allow_http), token=secret, source=source)
