"""Requests never exceed the field budget; refused rows are isolated while the rest succeed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from scm_lms.moodle import DuplicateKey, InvalidParameter, Limits, NewUser, users
from scm_lms.moodle.batching import BatchTooLarge, plan_chunks, run_isolating
from scm_lms.moodle.forms import Param
from testkit.moodle_replay import Pairs, client, load, recorded_params, respond_with, unflatten

REST = "/webservice/rest/server.php"


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=40), max_size=200),
    base=st.integers(min_value=0, max_value=20),
    budget=st.integers(min_value=60, max_value=400),
    max_items=st.integers(min_value=1, max_value=60),
)
def test_chunks_respect_budget_and_keep_every_item_once_in_order(
    sizes: list[int], base: int, budget: int, max_items: int
) -> None:
    chunks = plan_chunks(sizes, base, Limits(max_fields=budget, max_items=max_items))
    assert [index for chunk in chunks for index in chunk] == list(range(len(sizes)))
    for chunk in chunks:
        assert chunk
        assert len(chunk) <= max_items
        assert base + sum(sizes[i] for i in chunk) <= budget


@given(st.lists(st.integers(min_value=0, max_value=99), max_size=100, unique=True))
def test_isolation_finds_exactly_the_refused_rows(bad: list[int]) -> None:
    bad_set = set(bad)
    chunks = plan_chunks([10] * 100, 4, Limits(max_fields=1000, max_items=50))

    def send(indices: Sequence[int]) -> list[int]:
        if bad_set & set(indices):
            raise InvalidParameter("core_user_create_users", "Invalid parameter value detected")
        return list(indices)

    outcome = run_isolating(chunks, send, describe=str)
    assert sorted(failure.index for failure in outcome.failures) == sorted(bad_set)
    assert outcome.succeeded == [i for i in range(100) if i not in bad_set]
    assert [i for reply in outcome.replies for i in reply] == outcome.succeeded


def test_an_item_larger_than_the_budget_is_refused_up_front() -> None:
    with pytest.raises(BatchTooLarge, match="Eintrag 1 braucht 30 Formularfelder"):
        plan_chunks([5, 30], 4, Limits(max_fields=30, max_items=10))


def _learner(n: int) -> NewUser:
    return NewUser(
        username=f"tn.{n:04d}",
        password=SecretStr("Lernen!2024"),
        firstname="Änne",
        lastname="Weiß",
        email=f"tn.{n:04d}@kommune.example.de",
        idnumber=f"SCM-2026-1-{n:04d}",
        customfields={"scm_certificate": "offen"},
    )


def _recorded_user(row: dict[str, Any]) -> NewUser:
    """A NewUser from a recorded request row (custom fields come as [{type, value}] there)."""
    fields = {field["type"]: field["value"] for field in row.get("customfields", [])}
    return NewUser.model_validate({**row, "customfields": fields or None})


def _created(sent: Pairs, first_id: int = 100) -> list[dict[str, Any]]:
    """The recorded success shape of core_user_create_users: [{id, username}] per row sent."""
    rows = unflatten(sent)["users"]
    return [{"id": first_id + n, "username": row["username"]} for n, row in enumerate(rows)]


def test_bisection_isolates_one_bad_user_in_a_batch_of_100() -> None:
    refusal = load("core_user_create_users--duplicate-username--debug")["response"]
    bad = "tn.0042"

    def reply(sent: Pairs) -> Any:
        usernames = {value for key, value in sent if key.endswith("[username]")}
        if bad in usernames:
            return {**refusal, "debuginfo": f"Username already exists: {bad}"}
        return _created(sent)

    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, reply)
        with client(limits=Limits(max_fields=5000, max_items=100)) as moodle:
            result = users.create_users(moodle, [_learner(n) for n in range(100)])
    assert len(calls[0]) == 4 + 100 * 8, "the first request carries the whole batch"
    assert [failure.label for failure in result.failures] == [bad]
    failure = result.failures[0]
    assert isinstance(failure.error, DuplicateKey)
    assert str(failure) == f"{bad}: invalidparameter – Username already exists: {bad}"
    assert [user.username for user in result.records] == [f"tn.{n:04d}" for n in range(100) if n != 42]
    assert len(calls) <= 1 + 2 * 7, "bisection needs about two requests per halving"


def test_recorded_batch_with_one_duplicate_creates_the_other_user() -> None:
    recording = load("core_user_create_users--batch-with-one-duplicate")
    rows = recorded_params("core_user_create_users--batch-with-one-duplicate")["users"]
    new_users = [_recorded_user(row) for row in rows]

    def reply(sent: Pairs) -> Any:
        if "aenne.mueller" in {value for key, value in sent if key.endswith("[username]")}:
            return recording["response"]
        return [{"id": 9, "username": "gudrun.koehler"}]

    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, reply)
        with client() as moodle:
            result = users.create_users(moodle, new_users)
    first = [pair for pair in calls[0] if pair[0].startswith("users[")]
    assert first == [tuple(pair) for pair in recording["request"] if pair[0].startswith("users[")]
    assert [u.username for u in result.records] == ["gudrun.koehler"]
    assert [f.label for f in result.failures] == ["aenne.mueller"]
    assert type(result.failures[0].error) is InvalidParameter


@pytest.mark.parametrize("budget", [1000, 5000])
def test_truncated_max_input_vars_batch_is_split_below_the_budget(budget: int) -> None:
    """The recording sent 5043 fields to a site with max_input_vars=5000 and Moodle silently created only
    417 of 420 users. Our client must never send more fields than its budget, and must send every row once."""
    recording = load("core_user_create_users--max-input-vars-truncated")
    assert len(recording["request"]) == 5043 and len(recording["response"]) == 417
    rows = recorded_params("core_user_create_users--max-input-vars-truncated")["users"]
    assert len(rows) == 420

    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, _created)
        with client(limits=Limits(max_fields=budget, max_items=1000)) as moodle:
            result = users.create_users(moodle, [_recorded_user(row) for row in rows])
    assert all(len(call) <= budget for call in calls)
    sent = [value for call in calls for key, value in call if key.endswith("[username]")]
    assert sent == [row["username"] for row in rows]
    assert len(result.records) == 420 and not result.failures
    if budget == 5000:
        assert len(calls) == 2


def test_reads_are_split_and_merged_in_order() -> None:
    recording = load("core_user_get_users_by_field--not-found")

    def reply(sent: Pairs) -> Any:
        values = [value for key, value in sent if key.startswith("values[")]
        return [{"id": int(v.split("-")[-1]), "username": v} for v in values] or recording["response"]

    wanted = [f"user-{n}" for n in range(250)]
    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, reply)
        with client(limits=Limits(max_fields=100, max_items=1000)) as moodle:
            found = users.get_users(moodle, "username", wanted)
    assert all(len(call) <= 100 for call in calls)
    assert all(("field", "username") in call for call in calls)
    assert [user.username for user in found] == wanted


def test_password_policy_refusal_is_isolated_to_its_row() -> None:
    recording = load("core_user_create_users--weak-password")
    weak = NewUser.model_validate(recorded_params("core_user_create_users--weak-password")["users"][0])
    strong = [_learner(1), _learner(2)]

    def reply(sent: Pairs) -> Any:
        if any(value == "12345" for _, value in sent):
            return recording["response"]
        return _created(sent)

    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, reply)
        with client() as moodle:
            result = users.create_users(moodle, [strong[0], weak, strong[1]])
    assert [pair for pair in calls[0] if pair[0].startswith("users[1]")] == [
        (key.replace("users[0]", "users[1]"), value)
        for key, value in recording["request"]
        if key.startswith("users[0]")
    ]
    assert [u.username for u in result.records] == ["tn.0001", "tn.0002"]
    [failure] = result.failures
    assert failure.label == "schwach.pw"
    assert str(failure).startswith("schwach.pw: InvalidParameter – Passwords must be at least 8 characters")


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=60),
    budget=st.integers(min_value=20, max_value=120),
    max_items=st.integers(min_value=1, max_value=30),
)
def test_client_requests_stay_within_budget(rows: list[int], budget: int, max_items: int) -> None:
    items: list[Param] = [
        {"groupid": n, "tags": [f"t{k}" for k in range(width)]} for n, width in enumerate(rows)
    ]
    with responses.RequestsMock() as rsps:
        calls = respond_with(rsps, REST, lambda sent: None)
        with client(limits=Limits(max_fields=budget, max_items=max_items)) as moodle:
            outcome = moodle.write_many("core_group_add_group_members", "members", items, {"courseid": 3})
    assert all(len(call) <= budget for call in calls)
    assert all(sum(key.endswith("[groupid]") for key, _ in call) <= max_items for call in calls)
    sent = [unflatten(call)["members"] for call in calls]
    assert [int(row["groupid"]) for rows_sent in sent for row in rows_sent] == list(range(len(rows)))
    assert outcome.succeeded == list(range(len(rows))) and not outcome.failures
