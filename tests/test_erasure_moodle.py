"""`ledger erase --moodle`: only the account whose idnumber is the registration id is suspended (#14)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner, Result

from scm_lms.cli import cli
from testkit.fake_moodle import FakeMoodle, lms, office, person, site_env

KEY = "2024-D2"


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


def erase(tmp_path: Path, *args: str, env: dict[str, str]) -> Result:
    db = str(tmp_path / "scm-lms.db")
    return CliRunner().invoke(cli, ["ledger", "erase", "--db", db, *args], env=env, catch_exceptions=False)


def provisioned(site: FakeMoodle, tmp_path: Path) -> tuple[dict[str, str], dict[str, int]]:
    programme = office(tmp_path, [KEY] * 2)
    env = site_env(tmp_path)
    assert lms(programme, "apply", KEY, "--yes", env=env).exit_code == 0
    owned = {u["idnumber"]: int(u["id"]) for u in site.users.values() if u["idnumber"].startswith("R-")}
    assert len(owned) == 2
    return env, owned


def test_the_owned_account_is_suspended_after_the_plan_and_the_confirmation(
    site: FakeMoodle, tmp_path: Path
) -> None:
    env, owned = provisioned(site, tmp_path)
    reg_id, other = sorted(owned)
    declined = CliRunner().invoke(
        cli,
        ["ledger", "erase", "--db", str(tmp_path / "scm-lms.db"), "--reg-id", reg_id, "--moodle"],
        env=env,
        input="n\n",
    )
    assert declined.exit_code == 1 and f"Moodle {reg_id}: Konto" in declined.output
    assert "wird gesperrt" in declined.output and not site.users[owned[reg_id]].get("suspended")
    result = erase(tmp_path, "--reg-id", reg_id, "--moodle", "--yes", env=env)
    assert result.exit_code == 0, result.output
    assert site.users[owned[reg_id]]["suspended"] and not site.users[owned[other]].get("suspended")


def test_someone_elses_account_with_the_registrations_e_mail_is_untouched(
    site: FakeMoodle, tmp_path: Path
) -> None:
    """The malicious row: the registration carries the address of an account this ledger never made."""
    programme = office(tmp_path, [KEY])
    env = site_env(tmp_path)
    victim = site.add_user("chefin", person(0)[2], idnumber="PERSONAL-7")
    reg_id = next(a["key"] for a in _plan(programme, env))
    site.calls.clear()
    result = erase(tmp_path, "--reg-id", reg_id, "--moodle", "--yes", env=env)
    assert result.exit_code == 0, result.output
    assert "kein Moodle-Konto mit dieser Anmeldenummer" in result.output
    assert site.users[victim]["idnumber"] == "PERSONAL-7" and not site.users[victim].get("suspended")
    assert site.calls["core_user_update_users"] == 0


def test_an_owned_account_that_became_a_trainer_is_left_alone(site: FakeMoodle, tmp_path: Path) -> None:
    env, owned = provisioned(site, tmp_path)
    reg_id = sorted(owned)[0]
    teaching = site.add_course("OTHER-2", "LEHRKURS", "Lehrkurs")
    site.enrolments[(teaching, owned[reg_id])] = {"roleid": 3, "timestart": 0, "timeend": 0, "suspend": False}
    result = erase(tmp_path, "--reg-id", reg_id, "--moodle", "--yes", env=env)
    assert "andere Rolle als Teilnehmer/in in: LEHRKURS" in result.output
    assert not site.users[owned[reg_id]].get("suspended")


def _plan(programme: Path, env: dict[str, str]) -> list[dict[str, str]]:
    data = json.loads(lms(programme, "plan", KEY, "--json", env=env).output)
    return [a for a in data["actions"] if a["area"] == "user"]


def test_the_programmes_allowed_auths_decide_which_owned_accounts_may_be_suspended(
    site: FakeMoodle, tmp_path: Path
) -> None:
    """An owned account moved to LDAP by the site is refused by default and suspended only when the
    programme file expects that plugin (--programme)."""
    env, owned = provisioned(site, tmp_path)
    reg_id = sorted(owned)[0]
    site.users[owned[reg_id]]["auth"] = "ldap"
    refused = erase(tmp_path, "--reg-id", reg_id, "--moodle", "--yes", env=env)
    assert "ldap" in refused.output and not site.users[owned[reg_id]].get("suspended")
    programme = tmp_path / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("moodle:\n", "moodle:\n  allowed_auths: [manual, ldap]\n", 1), "utf-8")
    other = sorted(owned)[1]
    site.users[owned[other]]["auth"] = "ldap"
    result = erase(tmp_path, "--reg-id", other, "--moodle", "--programme", str(programme), "--yes", env=env)
    assert result.exit_code == 0, result.output
    assert site.users[owned[other]]["suspended"]
