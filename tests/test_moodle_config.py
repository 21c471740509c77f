"""Connection settings: environment, a private config file, a hidden prompt; unsafe files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from scm_lms.moodle import ConfigError, load_config


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_environment_wins(tmp_path: Path) -> None:
    env = {
        "SCM_MOODLE_URL": "https://moodle.example.de/",
        "SCM_MOODLE_TOKEN": "abc123",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    config = load_config(env=env)
    assert (config.url, config.token.reveal(), config.source) == (
        "https://moodle.example.de",
        "abc123",
        "environment",
    )


def test_default_config_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "scm-lms" / "moodle.toml", 'url = "https://lms.example.de"\ntoken = "t0k"\n')
    config = load_config(env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert (config.url, config.token.reveal(), config.source) == ("https://lms.example.de", "t0k", str(path))


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_config_file_readable_by_others_is_refused(tmp_path: Path, mode: int) -> None:
    path = _write(tmp_path / "moodle.toml", 'url = "https://lms.example.de"\ntoken = "t0k"\n', mode)
    with pytest.raises(ConfigError, match=f"chmod 600 {path}") as caught:
        load_config(path, env={})
    assert "t0k" not in str(caught.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "moodle.toml", "url = https://x\n")
    with pytest.raises(ConfigError, match=f"{path} ist kein gültiges TOML"):
        load_config(path, env={})


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "moodle.toml", 'url = "https://x.de"\ntokn = "typo"\n')
    with pytest.raises(ConfigError, match="unbekannte Schlüssel tokn"):
        load_config(path, env={})


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="gibt es nicht"):
        load_config(tmp_path / "nope.toml", env={})


def test_prompt_asks_for_missing_values_with_hidden_token(tmp_path: Path) -> None:
    asked: list[tuple[str, bool]] = []

    def prompt(label: str, hidden: bool) -> str:
        asked.append((label, hidden))
        return "https://lms.example.de" if not hidden else "geheim"

    config = load_config(env={"XDG_CONFIG_HOME": str(tmp_path)}, prompt=prompt)
    assert asked == [("Moodle-Adresse (URL)", False), ("Moodle-Webservice-Token", True)]
    assert (config.token.reveal(), config.source) == ("geheim", "prompt")


def test_nothing_configured_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="setzen Sie SCM_MOODLE_URL und SCM_MOODLE_TOKEN"):
        load_config(env={"XDG_CONFIG_HOME": str(tmp_path)})


def test_plain_http_url_in_config_is_refused(tmp_path: Path) -> None:
    env = {
        "SCM_MOODLE_URL": "http://moodle.example.de",
        "SCM_MOODLE_TOKEN": "abc",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    with pytest.raises(ConfigError, match="unverschlüsselt"):
        load_config(env=env)
    assert load_config(env=env, allow_http=True).url == "http://moodle.example.de"


def test_explicit_file_wins_over_environment(tmp_path: Path) -> None:
    path = _write(tmp_path / "moodle.toml", 'url = "https://datei.example.de"\ntoken = "aus-datei"\n')
    env = {"SCM_MOODLE_URL": "https://env.example.de", "SCM_MOODLE_TOKEN": "aus-env"}
    config = load_config(path, env=env)
    assert (config.url, config.token.reveal(), config.source) == (
        "https://datei.example.de",
        "aus-datei",
        str(path),
    )
