"""Flattening nested parameters into PHP form notation (property-based)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from scm_lms.moodle import Secret
from scm_lms.moodle.forms import count_fields, flatten
from testkit.moodle_replay import load, unflatten

_NAME = st.text(alphabet="abz019_-. äßÖ€", min_size=1, max_size=6)
_TOP_NAME = st.from_regex(r"\A[a-z][a-z0-9_]{0,7}\Z")
_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.text(alphabet="aZ09 &=%[]+äß\n", max_size=8))
_PARAM = st.recursive(
    _SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_NAME, inner, max_size=4)),
    max_leaves=20,
)
_PARAMS = st.dictionaries(_TOP_NAME, _PARAM, max_size=5)
_KEY = re.compile(r"^[^\[\]]+(\[[^\[\]]+\])*$")


def _as_php_sees_it(value: Any) -> Any:
    """What PHP rebuilds from our fields: strings, 1/0 for booleans, nothing for None or empty containers."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict):
        kept = {key: _as_php_sees_it(item) for key, item in value.items()}
        kept = {key: item for key, item in kept.items() if item is not None}
        if not kept:
            return None
        if list(kept) == [str(i) for i in range(len(kept))]:
            return list(kept.values())
        return kept
    if isinstance(value, list):
        as_dict = {str(i): item for i, item in enumerate(value)}
        return _as_php_sees_it(as_dict)
    return None if value is None else str(value)


@given(_PARAMS)
def test_flatten_round_trips_through_php_parsing(params: dict[str, Any]) -> None:
    assert unflatten(flatten(params)) == (_as_php_sees_it(params) or {})


@given(_PARAMS)
def test_every_key_is_php_form_notation_and_unique(params: dict[str, Any]) -> None:
    fields = flatten(params)
    keys = [key for key, _ in fields]
    assert all(_KEY.match(key) for key in keys)
    assert len(set(keys)) == len(keys)
    assert count_fields(params) == len(fields)


def test_recorded_user_fields_are_reproduced_exactly() -> None:
    recording = load("core_user_create_users")
    pairs = [(k, v) for k, v in recording["request"] if k.startswith("users[")]
    assert flatten(unflatten(pairs)) == pairs


def test_scalars_are_encoded_as_moodle_expects() -> None:
    assert flatten({"a": True, "b": False, "c": None, "d": 3, "e": 2.5, "f": 4.0}) == [
        ("a", "1"),
        ("b", "0"),
        ("d", "3"),
        ("e", "2.5"),
        ("f", "4"),
    ]
    secret_row = {"users": [{"password": SecretStr("Lernen!2024")}]}
    assert flatten(secret_row) == [("users[0][password]", "Lernen!2024")]
    assert flatten({"t": Secret("x1")}) == [("t", "x1")]


@pytest.mark.parametrize("params", [{"a[b]": 1}, {"": 1}, {"a": {"x]": 1}}])
def test_bracket_or_empty_names_are_rejected(params: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="brackets"):
        flatten(params)


def test_bytes_and_nan_are_rejected() -> None:
    with pytest.raises(TypeError, match="base64"):
        flatten({"filecontent": b"x"})
    with pytest.raises(ValueError, match="NaN"):
        flatten({"grade": float("nan")})
