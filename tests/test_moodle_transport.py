"""Transport: retries and backoff, writes resent only after a re-read, timeouts, HTTPS, bad bodies."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import responses

from scm_lms.moodle import (
    BadResponse,
    ConfigError,
    MoodleClient,
    MoodleError,
    MoodleUnavailable,
    RetryPolicy,
    Secret,
    site,
)
from scm_lms.moodle.batching import Limits
from scm_lms.moodle.transport import Verify
from testkit.moodle_replay import SITE, TOKEN, client, load, replaying

REST = SITE + "/webservice/rest/server.php"
SITE_INFO = load("core_webservice_get_site_info")["response"]
ENROLLED = load("enrol_manual_enrol_users")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_503_then_success_is_retried_with_backoff() -> None:
    sleeps = Sleeps()
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, status=503, body="Service Unavailable")
        rsps.add(responses.POST, REST, status=502, body="Bad Gateway")
        rsps.add(responses.POST, REST, json=SITE_INFO)
        with client(sleep=sleeps, rand=lambda: 1.0, retry=RetryPolicy(attempts=4, base_delay=0.5)) as moodle:
            info = site.get_site_info(moodle)
        assert len(rsps.calls) == 3
    assert info.sitename == "SCM Reference Moodle"
    assert sleeps == [0.5, 1.0], "exponential: base·2^n, scaled by the jitter draw"


def test_jitter_scales_the_delay() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=4.0)
    assert policy.delay(0, lambda: 0.25) == 0.25
    assert policy.delay(5, lambda: 0.5) == 2.0, "capped at max_delay before jitter"


def test_connection_reset_on_a_read_is_retried() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body=requests.ConnectionError("Connection reset by peer"))
        rsps.add(responses.POST, REST, json=SITE_INFO)
        with client() as moodle:
            assert site.get_site_info(moodle).userid == 2


def test_reads_give_up_after_the_configured_attempts() -> None:
    sleeps = Sleeps()
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, status=504)
        with (
            client(sleep=sleeps, retry=RetryPolicy(attempts=3)) as moodle,
            pytest.raises(MoodleUnavailable, match=r"nach 3 Versuchen aufgegeben \(HTTP 504\)"),
        ):
            moodle.read("core_webservice_get_site_info")
        assert len(rsps.calls) == 3
    assert len(sleeps) == 2


def _enrol(moodle: MoodleClient, verify: Verify | None = None) -> Any:
    params = {"enrolments": [{"roleid": 5, "userid": 3, "courseid": 3}]}
    return moodle.write("enrol_manual_enrol_users", params, verify=verify)


def test_write_is_not_retried_without_verify() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body=requests.ConnectionError("Connection reset by peer"))
        with client() as moodle, pytest.raises(MoodleUnavailable, match="nicht erneut gesendet"):
            _enrol(moodle)
        assert len(rsps.calls) == 1


def test_write_is_resent_only_after_verify_shows_it_did_not_happen() -> None:
    checks: list[str] = []
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, status=503)
        rsps.add(responses.POST, REST, body=json.dumps(ENROLLED["response"]))
        with client() as moodle:
            reply = _enrol(moodle, verify=lambda: checks.append("checked"))
        assert len(rsps.calls) == 2
    assert checks == ["checked"]
    assert reply is None


def test_write_is_not_resent_when_verify_finds_it_applied() -> None:
    created = load("core_user_create_users")["response"]
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body=requests.ReadTimeout("read timed out"))
        with client() as moodle:
            params = {"users": [{"username": "x"}]}
            reply = moodle.write("core_user_create_users", params, verify=lambda: created)
        assert len(rsps.calls) == 1
    assert reply == created


def test_every_request_has_connect_and_read_timeouts() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, json=SITE_INFO)
        rsps.add(responses.POST, REST, body="null")
        with client(timeout=(3.0, 30.0)) as moodle:
            moodle.read("core_webservice_get_site_info")
            moodle.write("enrol_manual_enrol_users", {"enrolments": [{"userid": 3}]}, timeout=600.0)
        timeouts = [call.request.req_kwargs["timeout"] for call in rsps.calls]  # type: ignore[attr-defined]  # set by responses, not in its types
    assert timeouts == [(3.0, 30.0), (3.0, 600.0)]


@pytest.mark.parametrize("url", ["http://moodle.example.de", "ftp://moodle.example.de", "moodle.example.de"])
def test_non_https_sites_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        MoodleClient(url, TOKEN)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8085/", "http://localhost", "http://[::1]:8080"])
def test_plain_http_is_allowed_on_loopback(url: str) -> None:
    assert MoodleClient(url, TOKEN).url == url.rstrip("/")


def test_plain_http_elsewhere_needs_explicit_permission() -> None:
    assert MoodleClient("http://moodle.test", Secret("x"), allow_http=True).url == "http://moodle.test"


def test_html_page_instead_of_json() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, body="<!DOCTYPE html><html><title>Wartungsmodus</title></html>")
        with client() as moodle, pytest.raises(BadResponse, match="HTML-Seite statt JSON"):
            moodle.read("core_webservice_get_site_info")


def test_wrong_site_path_gives_status_hint() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, status=404, body="Not Found")
        with client() as moodle, pytest.raises(BadResponse, match=r"HTTP 404 .*Moodle-Adresse prüfen"):
            moodle.read("core_webservice_get_site_info")


def test_single_request_over_budget_is_refused_before_sending() -> None:
    with client(limits=Limits(max_fields=20)) as moodle, pytest.raises(MoodleError, match="Budget von 20"):
        moodle.read("core_user_get_users_by_field", {"field": "id", "values": list(range(30))})


def test_recorded_xml_reply_when_format_is_dropped() -> None:
    name = "core_course_get_courses_by_field--no-format-xml"
    with replaying(name, ignore=("moodlewsrestformat",)) as moodle, pytest.raises(BadResponse, match="XML"):
        moodle.read("core_course_get_courses_by_field", {"field": "idnumber", "value": "SCM-2024-D2"})


def test_redirects_are_not_followed() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.POST,
            REST,
            status=308,
            headers={"Location": "https://elsewhere.example.org/webservice/rest/server.php?x=1"},
        )
        with (
            client() as moodle,
            pytest.raises(BadResponse, match=r"leitet weiter auf https://elsewhere\.example\.org/"),
        ):
            moodle.read("core_webservice_get_site_info")
        assert len(rsps.calls) == 1


def test_unexpected_reply_shape_is_a_clear_error_without_content() -> None:
    reply = {**SITE_INFO, "userid": "nicht-numerisch", "userprivateaccesskey": "geheim-schluessel"}
    with responses.RequestsMock() as rsps:
        rsps.add(responses.POST, REST, json=reply)
        with (
            client() as moodle,
            pytest.raises(BadResponse, match="unerwarteter Aufbau der Antwort bei userid") as caught,
        ):
            site.get_site_info(moodle)
    assert "nicht-numerisch" not in str(caught.value)
