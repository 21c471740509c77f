"""Read-only checks against a real Moodle site; they only run when a site and token are configured."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from scm_lms.moodle import (
    FunctionNotAvailable,
    InvalidToken,
    MoodleClient,
    Secret,
    cohorts,
    load_config,
    site,
    users,
)

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (os.environ.get("SCM_MOODLE_URL") and os.environ.get("SCM_MOODLE_TOKEN")),
        reason="set SCM_MOODLE_URL and SCM_MOODLE_TOKEN to run against a live Moodle",
    ),
]


@pytest.fixture
def moodle() -> Iterator[MoodleClient]:
    with MoodleClient.from_config(load_config()) as client:
        yield client


def test_site_info_and_service(moodle: MoodleClient) -> None:
    info = site.get_site_info(moodle)
    assert info.release and info.userid > 0
    assert "core_webservice_get_site_info" in info.function_names
    missing = site.missing_functions(info)
    assert isinstance(
        missing, list
    )  # reported by `scm-lms lms check`; a partial service is not a test failure


def test_token_user_can_be_looked_up(moodle: MoodleClient) -> None:
    info = site.get_site_info(moodle)
    if "core_user_get_users_by_field" not in info.function_names:
        pytest.skip("core_user_get_users_by_field is not in this token's service")
    [me] = users.get_users(moodle, "id", [info.userid])
    assert me.username == info.username


def test_cohort_search_is_readable(moodle: MoodleClient) -> None:
    info = site.get_site_info(moodle)
    if "core_cohort_search_cohorts" not in info.function_names:
        pytest.skip("core_cohort_search_cohorts is not in this token's service")
    assert all(cohort.id > 0 for cohort in cohorts.search_cohorts(moodle, "SCM"))


def test_unknown_function_and_bad_token_are_typed(moodle: MoodleClient) -> None:
    with pytest.raises(FunctionNotAvailable):
        moodle.read("local_scm_lms_does_not_exist")
    with MoodleClient(moodle.url, Secret("0" * 32)) as stranger, pytest.raises(InvalidToken):
        site.get_site_info(stranger)
