"""Nested parameters to PHP form notation, the only structure Moodle's REST server accepts.

`{"users": [{"customfields": [{"type": "x"}]}]}` becomes `users[0][customfields][0][type]=x`. Booleans are
sent as 1/0 (Moodle rejects "true"), `None` is left out so Moodle applies its own default, and every leaf is
one PHP input variable, which is what `max_input_vars` counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TypeAlias

from pydantic import SecretStr

from scm_lms.moodle.secret import Secret

Scalar: TypeAlias = str | int | float | bool | Decimal | Secret | SecretStr | None
Param: TypeAlias = Scalar | Sequence["Param"] | Mapping[str, "Param"]
Params: TypeAlias = Mapping[str, Param]
Field: TypeAlias = tuple[str, str]


def _scalar(value: Scalar) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("Moodle cannot take NaN or infinite numbers")
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _check_key(key: str) -> str:
    if not key or "[" in key or "]" in key:
        raise ValueError(f"parameter name {key!r} must be non-empty and contain no brackets")
    return key


def _walk(prefix: str, value: Param, out: list[Field]) -> None:
    if value is None:
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            _walk(f"{prefix}[{_check_key(key)}]", item, out)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for index, item in enumerate(value):
            _walk(f"{prefix}[{index}]", item, out)
    elif isinstance(value, bytes):
        raise TypeError(f"{prefix}: bytes cannot be form-encoded; base64-encode file content first")
    else:
        out.append((prefix, _scalar(value)))


def flatten(params: Params) -> list[Field]:
    """Form fields in PHP notation, in the order given (lists keep their order as indexes 0..n-1)."""
    out: list[Field] = []
    for key, value in params.items():
        _walk(_check_key(key), value, out)
    return out


def count_fields(params: Params) -> int:
    """How many PHP input variables `params` turns into."""
    return len(flatten(params))
