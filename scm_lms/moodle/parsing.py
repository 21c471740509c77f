"""Validating replies against the models, turning a shape Moodle did not promise into a clear `BadResponse`.

Pydantic's own error would quote the offending input; the message built here names only the location and
the problem, so no reply content (user data, private keys) ends up in logs or tracebacks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from scm_lms.moodle.errors import BadResponse
from scm_lms.moodle.forms import Param, Params
from scm_lms.moodle.transport import MoodleClient

T = TypeVar("T", bound=BaseModel)


def _fail(function: str, error: ValidationError) -> BadResponse:
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "Antwort"
    return BadResponse(
        function,
        f"unerwarteter Aufbau der Antwort bei {where}: Prüfung '{first['type']}' schlug fehl "
        f"({error.error_count()} Problem(e)); ist das eine unterstützte Moodle-Version (4.1–4.5)?",
    )


def parse(model: type[T], data: Any, function: str) -> T:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _fail(function, error) from None


def parse_list(model: type[T], data: Any, function: str) -> list[T]:
    try:
        return TypeAdapter(list[model]).validate_python(data or [])  # type: ignore[valid-type]
    except ValidationError as error:
        raise _fail(function, error) from None


def read_one(client: MoodleClient, model: type[T], function: str, params: Params | None = None) -> T:
    """`client.read` validated as `model`."""
    return parse(model, client.read(function, params), function)


def read_list(client: MoodleClient, model: type[T], function: str, params: Params | None = None) -> list[T]:
    """`client.read` of a list reply, validated item by item as `model`."""
    return parse_list(model, client.read(function, params), function)


def read_many_list(
    client: MoodleClient,
    model: type[T],
    function: str,
    key: str,
    items: Sequence[Param],
    params: Params | None = None,
) -> list[T]:
    """`client.read_many` of list replies (one per budget-sized request), joined and validated as `model`."""
    replies = client.read_many(function, key, items, params)
    return [item for reply in replies for item in parse_list(model, reply, function)]
