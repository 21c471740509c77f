"""The field budget probe (issue #15): it finds how many form fields a site takes whole, never uses more
than it verified, falls back to PHP's default with a German note when it cannot tell, is kept per site, and
`apply` sizes its batches from it without ever sending a request PHP would cut."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import responses
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_lms.cli.lms_check import check
from scm_lms.moodle.budget import (
    CEILING,
    FLOOR,
    MARGIN,
    PHP_DEFAULT,
    FieldBudget,
    from_verified,
    probe,
    search,
)
from scm_lms.provision.sites import MAX_AGE, known_budget, remember_budget, site_budget
from testkit.fake_moodle import FakeMoodle, Fault, fake_client, lms, office, site_env
from testkit.moodle_replay import SITE, TOKEN_VALUE

SITEURL = "http://127.0.0.1:8085"


@pytest.fixture
def site() -> Iterator[FakeMoodle]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMoodle(rsps)


@settings(max_examples=300, deadline=None)
@given(
    limit=st.integers(min_value=1, max_value=3 * CEILING),
    flaky=st.sets(st.integers(min_value=FLOOR, max_value=CEILING), max_size=5),
)
def test_search_never_claims_more_than_came_through(limit: int, flaky: set[int]) -> None:
    """Sizes up to `limit` arrive whole, except a few that fail for other reasons (a proxy, a timeout)."""
    asked: list[tuple[int, bool]] = []

    def accepts(size: int) -> bool:
        ok = size <= limit and size not in flaky
        asked.append((size, ok))
        return ok

    good, bad = search(accepts)
    accepted = {size for size, ok in asked if ok}
    if good:
        assert good in accepted and good <= limit  # verified means sent and answered whole
        assert good == max(accepted)
        budget = from_verified(good, bad)
        assert budget.max_fields <= budget.verified and budget.max_fields >= int(good * MARGIN) - 1
    else:
        assert not accepted
    assert bad is None or bad > good
    assert len(asked) <= 12  # a handful of calls, once per site
    assert max(size for size, _ in asked) <= CEILING


def test_probe_on_the_recorded_site_finds_its_max_input_vars(site: FakeMoodle) -> None:
    with fake_client() as client:
        budget = probe(client)
    assert budget.probed and not budget.note
    assert 5000 / 1.25 < budget.verified <= 5000 < (budget.refused or 0)
    assert budget.max_fields == int(budget.verified * MARGIN)
    assert set(site.calls) == {"core_user_get_users_by_field"} and site.total_calls <= 6
    assert site.cut["core_user_get_users_by_field"] >= 1  # the refused sizes really were cut


def test_probe_stops_at_the_ceiling_on_a_site_without_a_limit() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, max_input_vars=None)
        with fake_client() as client:
            budget = probe(client)
    assert budget.verified == CEILING and budget.refused is None
    assert site.total_calls <= 5


def test_a_site_below_the_php_default_is_probed_downwards() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        FakeMoodle(rsps, max_input_vars=700)
        with fake_client() as client:
            budget = probe(client)
    assert 700 / 1.25 < budget.verified <= 700 and budget.max_fields < 700


@pytest.mark.parametrize("kind", ["503", "reset"])
def test_failing_probe_falls_back_to_the_php_default_with_a_note(site: FakeMoodle, kind: str) -> None:
    site.faults.append(Fault("core_user_get_users_by_field", kind, times=99))
    with fake_client() as client:
        budget = probe(client)
    assert not budget.probed and budget.max_fields == PHP_DEFAULT
    assert "Feldbudget der Website nicht ermittelt" in budget.note
    assert f"PHP-Standard von {PHP_DEFAULT} Formularfeldern" in budget.note
    assert "--max-fields" in budget.note


def test_a_refusal_after_a_verified_size_only_ends_the_search(site: FakeMoodle) -> None:
    """A proxy refusing big requests (here: 503 from 5000 fields on) leaves the 1000 that came through."""
    site.faults.append(
        Fault("core_user_get_users_by_field", "503", times=99, when=lambda p: len(p["values"]) > 4000)
    )
    with fake_client() as client:
        budget = probe(client)
    assert budget.probed and 1000 <= budget.verified <= 4005 and budget.max_fields <= budget.verified


def test_the_budget_is_kept_per_site_and_expires(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    now = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
    remember_budget(SITEURL, from_verified(5000, 6250), path, now)
    kept = known_budget("https://127.0.0.1:8085/", path, now)  # the same site by another address
    assert kept == from_verified(5000, 6250)
    assert known_budget("http://elsewhere.example", path, now) is None
    assert known_budget(SITEURL, path, now + MAX_AGE + dt.timedelta(seconds=1)) is None
    assert path.stat().st_mode & 0o777 == 0o600
    assert TOKEN_VALUE not in path.read_text(encoding="utf-8")


def test_a_fallback_is_not_kept_and_a_broken_file_counts_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    remember_budget(SITEURL, FieldBudget(0, PHP_DEFAULT, note="x"), path)
    assert not path.exists()
    path.write_text("{kaputt", encoding="utf-8")
    assert known_budget(SITEURL, path) is None
    remember_budget(SITEURL, from_verified(2000, 2400), path)
    assert known_budget(SITEURL, path) == from_verified(2000, 2400)


def test_site_budget_probes_once_then_uses_what_it_kept(site: FakeMoodle, tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    with fake_client() as client:
        first = site_budget(client, SITEURL, path=path)
        calls = site.total_calls
        again = site_budget(client, SITEURL, path=path)
    assert again == first and site.total_calls == calls
    data = json.loads(path.read_text(encoding="utf-8"))
    assert list(data["sites"]) == ["127.0.0.1:8085"]


def test_lms_check_shows_the_probe(site: FakeMoodle, tmp_path: Path) -> None:
    env = {"SCM_MOODLE_URL": SITE, "SCM_MOODLE_TOKEN": TOKEN_VALUE, "XDG_CONFIG_HOME": str(tmp_path)}
    result = CliRunner().invoke(check, ["--programme", str(tmp_path / "none.yaml")], env=env)
    line = next(line for line in result.output.splitlines() if line.startswith("Feldbudget:"))
    assert "Formularfelder je Anfrage kamen vollständig an (bei " in line and "Stapel nutzen" in line
    assert (tmp_path / "scm-lms" / "sites.json").exists()


def test_lms_check_names_the_fallback(site: FakeMoodle, tmp_path: Path) -> None:
    site.faults.append(Fault("core_user_get_users_by_field", "503", times=99))
    env = {"SCM_MOODLE_URL": SITE, "SCM_MOODLE_TOKEN": TOKEN_VALUE, "XDG_CONFIG_HOME": str(tmp_path)}
    result = CliRunner().invoke(check, ["--programme", str(tmp_path / "none.yaml")], env=env)
    assert "Feldbudget:     Feldbudget der Website nicht ermittelt" in result.output
    assert not (tmp_path / "scm-lms" / "sites.json").exists()


def test_apply_sizes_batches_from_the_probe_and_nothing_is_cut(site: FakeMoodle, tmp_path: Path) -> None:
    keys = ("2024-D2", "2024-D3")
    programme = office(tmp_path, [key for key in keys for _ in range(150)], seats=150)
    env = site_env(tmp_path)
    result = lms(programme, "apply", *keys, "--yes", env=env)
    assert result.exit_code == 0, result.output
    assert set(site.cut) == {"core_user_get_users_by_field"}  # only the probe's own oversized lookups
    assert site.calls["core_user_create_users"] == 2  # 150 accounts per request, not three of 50
    assert len(site.users) >= 300  # and the trainers of the example programme
    kept = json.loads((tmp_path / "config" / "scm-lms" / "sites.json").read_text(encoding="utf-8"))
    assert kept["sites"]["127.0.0.1:8085"]["field_budget"]["verified"] <= 5000


def test_max_fields_still_overrides_and_skips_the_probe(site: FakeMoodle, tmp_path: Path) -> None:
    programme = office(tmp_path, ["2024-D2"] * 40, seats=40)
    env = site_env(tmp_path)
    result = lms(programme, "apply", "2024-D2", "--yes", "--max-fields", "200", env=env)
    assert result.exit_code == 0, result.output
    assert not site.cut and site.calls["core_user_create_users"] > 1  # 200 fields hold few accounts
    assert not (tmp_path / "config" / "scm-lms" / "sites.json").exists()
