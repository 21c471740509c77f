"""`scm-lms lms check` against the recorded site: versions, user, missing functions, bad token."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner, Result

from scm_lms.cli.lms_check import check
from scm_lms.moodle import REQUIRED_FUNCTIONS
from scm_lms.moodle.budget import from_verified
from testkit.moodle_replay import SITE, TOKEN_VALUE, load, replay

REST = SITE + "/webservice/rest/server.php"


@pytest.fixture(autouse=True)
def _no_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """These replays answer only the calls they recorded; the field budget probe is tested on the fake site
    (tests/test_field_budget.py)."""
    monkeypatch.setattr("scm_lms.provision.sites.probe", lambda client: from_verified(5000, 6250))


def _run(tmp_path: Path, rsps: responses.RequestsMock | None = None) -> Result:
    env = {"SCM_MOODLE_URL": SITE, "SCM_MOODLE_TOKEN": TOKEN_VALUE, "XDG_CONFIG_HOME": str(tmp_path)}
    result = CliRunner().invoke(check, [], env=env)
    assert TOKEN_VALUE not in result.output
    return result


ADDED_SINCE_RECORDING = [
    {"name": name, "version": "2024090300"}
    for name in (
        "core_user_get_course_user_profiles",
        "core_calendar_get_calendar_event_by_id",
        "core_calendar_update_event_start_day",
        "core_calendar_submit_create_update_form",
        "core_calendar_delete_calendar_events",
    )
]
"""Asked for since #14 (roles of adopted accounts in other courses) and #11 (events that follow the
programme); the recorded service predates them."""


def complete_reply() -> dict[str, Any]:
    """The recorded site info with every function `lms check` asks for in the service."""
    reply: dict[str, Any] = copy.deepcopy(load("core_webservice_get_site_info")["response"])
    reply["functions"] = [*reply["functions"], *ADDED_SINCE_RECORDING]
    return reply


def test_complete_service_passes(tmp_path: Path) -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body=json.dumps(complete_reply()))
        result = _run(tmp_path)
    assert result.exit_code == 0, result.output
    assert "Moodle-Version: 4.5dev+ (Build: 20240903) (2024090300)" in result.output
    assert "SCM Reference Moodle – http://127.0.0.1:8085" in result.output
    assert "Admin User (admin, ID 2)" in result.output
    assert f"alle {len(REQUIRED_FUNCTIONS)} benötigten sind freigegeben" in result.output
    assert "Datei-Upload" not in result.output


def test_missing_functions_are_listed_with_the_fix(tmp_path: Path) -> None:
    reply = complete_reply()
    removed = {"enrol_manual_enrol_users", "gradereport_user_get_grade_items"}
    reply["functions"] = [f for f in reply["functions"] if f["name"] not in removed]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body=json.dumps(reply))
        result = _run(tmp_path)
    assert result.exit_code == 1
    assert "Es fehlen 2 von" in result.output
    assert "  - enrol_manual_enrol_users\n  - gradereport_user_get_grade_items\n" in result.output
    assert "Site administration › Server › Web services › External services" in result.output


@pytest.mark.parametrize(
    "name", ["core_webservice_get_site_info--invalid-token", "core_webservice_get_site_info--missing-token"]
)
def test_rejected_token(tmp_path: Path, name: str) -> None:
    with responses.RequestsMock() as rsps:
        replay(rsps, name)
        result = _run(tmp_path)
    assert result.exit_code == 1
    assert "Moodle lehnt das Token ab (invalidtoken)" in result.output
    assert "Manage tokens" in result.output


def test_unconfigured(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        check, [], env={"SCM_MOODLE_URL": "", "SCM_MOODLE_TOKEN": "", "XDG_CONFIG_HOME": str(tmp_path)}
    )
    assert result.exit_code == 1
    assert "Moodle-Verbindung nicht eingerichtet" in result.output
    assert "SCM_MOODLE_URL" in result.output


def test_unsafe_config_file(tmp_path: Path) -> None:
    path = tmp_path / "moodle.toml"
    path.write_text(f'url = "{SITE}"\ntoken = "{TOKEN_VALUE}"\n', encoding="utf-8")
    path.chmod(0o644)
    result = CliRunner().invoke(
        check, ["--config", str(path)], env={"SCM_MOODLE_URL": "", "SCM_MOODLE_TOKEN": ""}
    )
    assert result.exit_code == 1
    assert f"chmod 600 {path}" in result.output
    assert TOKEN_VALUE not in result.output


def test_site_info_not_in_service(tmp_path: Path) -> None:
    refusal = load("core_course_delete_courses--not-in-service")["response"]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, json=refusal)
        result = _run(tmp_path)
    assert result.exit_code == 1
    assert "Moodle verweigert schon core_webservice_get_site_info" in result.output
    assert "External services" in result.output


def test_credentials_source_is_shown(tmp_path: Path) -> None:
    with responses.RequestsMock() as rsps:
        replay(rsps, "core_webservice_get_site_info")
        result = _run(tmp_path)
    assert "Zugangsdaten:   Umgebungsvariablen SCM_MOODLE_URL/SCM_MOODLE_TOKEN" in result.output


def test_disabled_file_upload_is_pointed_out(tmp_path: Path) -> None:
    reply = {**complete_reply(), "uploadfiles": 0}
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, json=reply)
        result = _run(tmp_path)
    assert result.exit_code == 0
    assert "Der Dienst erlaubt keinen Datei-Upload" in result.output
