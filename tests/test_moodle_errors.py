"""Every recorded Moodle error maps to the right typed error, and no error or log ever shows the token."""

from __future__ import annotations

import json
import logging
import pickle
from typing import Any

import pytest
import requests
import responses

from scm_lms.moodle import (
    AccessDenied,
    BadResponse,
    DuplicateKey,
    FunctionNotAvailable,
    InvalidParameter,
    InvalidToken,
    MoodleClient,
    MoodleError,
    MoodleUnavailable,
    NotFound,
    OtherMoodleError,
    Secret,
)
from scm_lms.moodle.errors import classify, is_error_reply
from scm_lms.moodle.transport import decode
from testkit.moodle_replay import RECORDINGS, SITE, TOKEN, TOKEN_VALUE, client, load, replaying

EXPECTED: dict[str, type[MoodleError]] = {
    "core_calendar_delete_calendar_events--already-deleted": NotFound,  # deleting twice is "gone"
    "core_calendar_get_calendar_event_by_id--deleted": AccessDenied,  # Moodle answers nopermissions
    "core_completion_get_course_completion_status--no-criteria": OtherMoodleError,
    "core_cohort_create_cohorts--duplicate-idnumber": InvalidParameter,
    "core_cohort_create_cohorts--duplicate-idnumber--debug": DuplicateKey,
    "core_course_create_categories--duplicate-idnumber": DuplicateKey,
    "core_course_create_courses--duplicate-idnumber": DuplicateKey,
    "core_course_create_courses--duplicate-shortname": DuplicateKey,
    "core_course_create_courses--empty-lang": InvalidParameter,
    "core_course_create_courses--missing-required-field": InvalidParameter,
    "core_course_create_courses--nonexistent-category": OtherMoodleError,
    "core_course_delete_courses--not-in-service": FunctionNotAvailable,
    "core_course_delete_courses--not-in-service--debug": FunctionNotAvailable,
    "core_course_duplicate_course--duplicate-shortname": DuplicateKey,
    "core_course_get_categories--bool-as-true-string": InvalidParameter,
    "core_course_get_contents--invalid-int": InvalidParameter,
    "core_course_get_contents--nonexistent-course": NotFound,
    "core_course_get_courses_by_field--invalid-field": InvalidParameter,
    "core_course_get_courses_by_field--unexpected-parameter": InvalidParameter,
    "core_files_upload--private-area": OtherMoodleError,
    "core_group_add_group_members--user-not-enrolled": InvalidParameter,
    "core_group_add_group_members--user-not-enrolled--debug": InvalidParameter,
    "core_group_create_groups--duplicate-name": InvalidParameter,
    "core_role_assign_roles--nonexistent-course": InvalidParameter,
    "core_role_assign_roles--nonexistent-role": InvalidParameter,
    "core_user_create_users--batch-with-one-duplicate": InvalidParameter,
    "core_user_create_users--duplicate-email": InvalidParameter,
    "core_user_create_users--duplicate-username": InvalidParameter,
    "core_user_create_users--duplicate-username--debug": DuplicateKey,
    "core_user_create_users--invalid-email": InvalidParameter,
    "core_user_create_users--invalid-email--debug": InvalidParameter,
    "core_user_create_users--lang-not-installed": InvalidParameter,
    "core_user_create_users--lang-not-installed--debug": InvalidParameter,
    "core_user_create_users--learner-no-capability": AccessDenied,
    "core_user_create_users--missing-required-field": InvalidParameter,
    "core_user_create_users--missing-required-field--debug": InvalidParameter,
    "core_user_create_users--username-uppercase": InvalidParameter,
    "core_user_create_users--username-with-umlaut": InvalidParameter,
    "core_user_create_users--weak-password": InvalidParameter,
    "core_user_get_users_by_field--scalar-instead-of-array": InvalidParameter,
    "core_webservice_get_site_info--invalid-token": InvalidToken,
    "core_webservice_get_site_info--invalid-token--debug": InvalidToken,
    "core_webservice_get_site_info--missing-token": InvalidToken,
    "enrol_manual_enrol_users--learner-no-capability": AccessDenied,
    "enrol_manual_enrol_users--nonexistent-course": InvalidParameter,
    "enrol_manual_enrol_users--nonexistent-course--debug": InvalidParameter,
    "enrol_manual_enrol_users--nonexistent-role": OtherMoodleError,
    "enrol_manual_enrol_users--nonexistent-user": OtherMoodleError,
    "enrol_manual_unenrol_users--nonexistent-course": NotFound,
    "local_scm_does_not_exist--unknown-function": FunctionNotAvailable,
    "login_token--unknown-service": AccessDenied,
    "login_token--wrong-password": AccessDenied,
    "mod_scorm_insert_scorm_tracks--invalid-sco": OtherMoodleError,
    "webservice_upload--invalid-token": InvalidToken,
}


def _error_recordings() -> list[str]:
    names = []
    for path in sorted(RECORDINGS.glob("*.json")):
        if is_error_reply(json.loads(path.read_text(encoding="utf-8"))["response"]):
            names.append(path.stem)
    return names


def test_every_recorded_error_is_classified() -> None:
    assert set(_error_recordings()) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_error_maps_to_its_type(name: str) -> None:
    recording = load(name)
    with pytest.raises(MoodleError) as caught:
        decode(recording["function"], 200, json.dumps(recording["response"]))
    error = caught.value
    assert type(error) is EXPECTED[name]
    assert error.function == recording["function"]
    assert error.errorcode == (recording["response"].get("errorcode") or "")
    assert error.debuginfo == (recording["response"].get("debuginfo") or "")


def test_debuginfo_names_the_refused_value() -> None:
    recording = load("core_user_create_users--duplicate-username--debug")
    with pytest.raises(DuplicateKey) as caught:
        decode("core_user_create_users", 200, json.dumps(recording["response"]))
    assert caught.value.detail == "Username already exists: juergen.weiss"


def test_php_type_error_without_errorcode_is_caught() -> None:
    recording = load("enrol_manual_enrol_users--nonexistent-user")
    with pytest.raises(OtherMoodleError) as caught:
        decode("enrol_manual_enrol_users", 200, json.dumps(recording["response"]))
    assert caught.value.errorcode == ""
    assert caught.value.exception == "TypeError"
    assert "get_name_placeholders" in str(caught.value)


def test_html_in_password_policy_error_becomes_text() -> None:
    recording = load("core_user_create_users--weak-password")
    with pytest.raises(InvalidParameter) as caught:
        decode("core_user_create_users", 200, json.dumps(recording["response"]))
    assert caught.value.code == "InvalidParameter"
    text = str(caught.value)
    assert "<div>" not in text
    assert "Passwords must be at least 8 characters long." in text


@pytest.mark.parametrize(
    "name",
    ["core_webservice_get_site_info--invalid-token-xml", "core_course_get_courses_by_field--no-format-xml"],
)
def test_xml_instead_of_json_is_a_clear_error(name: str) -> None:
    recording = load(name)
    with pytest.raises(BadResponse, match="statt JSON"):
        decode(recording["function"], 200, recording["response"])


def test_xml_error_keeps_its_errorcode() -> None:
    recording = load("core_webservice_get_site_info--invalid-token-xml")
    with pytest.raises(BadResponse) as caught:
        decode(recording["function"], 200, recording["response"])
    assert caught.value.errorcode == "invalidtoken"


def test_html_page_is_a_clear_error() -> None:
    with pytest.raises(BadResponse, match="HTML-Seite"):
        decode("core_webservice_get_site_info", 200, "<!DOCTYPE html><html><body>Login</body></html>")


# -- the token never leaks -------------------------------------------------------------------------


def _assert_no_token(*texts: object) -> None:
    for text in texts:
        assert TOKEN_VALUE not in str(text)
        assert TOKEN_VALUE not in repr(text)


def test_secret_hides_its_value() -> None:
    secret = Secret("geheim-123")
    assert "geheim" not in f"{secret} {secret!r} {secret!s} {[secret]}"
    assert secret.reveal() == "geheim-123"
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_client_repr_hides_token() -> None:
    moodle = client()
    _assert_no_token(moodle, moodle.__dict__)


@pytest.mark.parametrize(
    "name",
    ["core_webservice_get_site_info--invalid-token", "core_course_delete_courses--not-in-service--debug"],
)
def test_token_not_in_errors_or_logs(name: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    recording = load(name)
    with replaying(name) as moodle, pytest.raises(MoodleError) as caught:
        moodle.read(recording["function"], {"courseids": [999]} if "delete" in name else {})
    error = caught.value
    _assert_no_token(error, error.args, error.__dict__, error.__cause__, error.__context__)
    _assert_no_token(*(record.getMessage() for record in caplog.records), *(r.args for r in caplog.records))
    assert caplog.records, "the call should have been logged"


def test_token_not_in_transport_failures(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.POST,
            SITE + "/webservice/rest/server.php",
            body=requests.ConnectionError(f"connection reset while sending wstoken={TOKEN_VALUE}"),
        )
        with client() as moodle, pytest.raises(MoodleUnavailable) as caught:
            moodle.read("core_webservice_get_site_info")
    _assert_no_token(caught.value, caught.value.args, caught.value.__cause__, caught.value.__context__)
    _assert_no_token(*(record.getMessage() for record in caplog.records))


def test_token_echoed_by_server_is_redacted() -> None:
    with responses.RequestsMock() as rsps:
        rsps.add(
            responses.POST,
            SITE + "/webservice/rest/server.php",
            json={"exception": "moodle_exception", "errorcode": "x", "message": f"bad {TOKEN_VALUE}"},
        )
        with client() as moodle, pytest.raises(OtherMoodleError) as caught:
            moodle.read("core_webservice_get_site_info")
    _assert_no_token(caught.value, caught.value.args, caught.value.message)


def test_token_only_in_body_never_in_url() -> None:
    with responses.RequestsMock() as rsps:
        reply = load("core_badges_get_user_badges")["response"]
        rsps.add(responses.POST, SITE + "/webservice/rest/server.php", json=reply)
        with client() as moodle:
            moodle.read("core_badges_get_user_badges", {"userid": 3})
        sent = rsps.calls[0].request
    assert TOKEN_VALUE not in (sent.url or "")
    assert TOKEN.reveal() in str(sent.body)


def test_client_requires_secret_token() -> None:
    with pytest.raises(TypeError):
        MoodleClient(SITE, TOKEN_VALUE, allow_http=True)  # type: ignore[arg-type]  # a plain str is the test


def _lang_refusal(name: str) -> MoodleError:
    return classify(
        "core_user_create_users", json.loads((RECORDINGS / f"{name}.json").read_text())["response"]
    )


def test_whole_batch_refused_alike_names_the_site_wide_cause() -> None:
    from scm_lms.moodle.batching import ItemFailure
    from scm_lms.moodle.errors import SiteWideRefusal
    from scm_lms.moodle.errors import advice as hint
    from scm_lms.moodle.results import WriteResult, name_site_wide_refusal

    error = _lang_refusal("core_user_create_users--lang-not-installed--debug")
    failures = [ItemFailure(i, f"u{i}", error) for i in range(3)]
    result: WriteResult[Any] = name_site_wide_refusal(WriteResult([], failures), 3)
    assert all(isinstance(f.error, SiteWideRefusal) for f in result.failures)
    text = hint(result.failures[0].error)
    assert "alle 3 Zeilen" in text and "Sprache „fr“ ist auf der Website nicht installiert" in text
    assert 'the value is "fr"' in result.failures[0].error.detail  # debuginfo quoted
    plain = _lang_refusal("core_user_create_users--lang-not-installed")
    listed = hint(
        name_site_wide_refusal(WriteResult([], [ItemFailure(i, "x", plain) for i in range(2)]), 2)
        .failures[0]
        .error
    )
    for cause in ("Sprache", "Authentifizierungs-Plugin", "Kennwortregeln", "Pflichtfeld"):
        assert cause in listed
    one_of_two: WriteResult[Any] = name_site_wide_refusal(WriteResult([], failures[:1]), 2)
    assert not isinstance(one_of_two.failures[0].error, SiteWideRefusal)
