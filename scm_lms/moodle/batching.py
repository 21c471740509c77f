"""Splitting list parameters into requests PHP will not truncate, and isolating rows Moodle refuses.

PHP silently drops form fields past `max_input_vars`; Moodle then sees fewer rows or a half row and either
creates fewer records than sent or fails. So every request is planned against a field budget. Most list
writes run in one database transaction: one bad row rolls back the whole request and Moodle names only the
first. Bisecting the failed request finds every bad row while the good ones still go through.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from scm_base.errors import ToolkitError
from scm_lms.moodle.errors import InvalidParameter, MoodleError


@dataclass(frozen=True)
class Limits:
    """Per-request caps. `max_fields` must stay below the site's PHP `max_input_vars` (1000 by default)."""

    max_fields: int = 1000
    max_items: int = 50

    def __post_init__(self) -> None:
        if self.max_fields < 10 or self.max_items < 1:
            raise ValueError("max_fields must be at least 10 and max_items at least 1")


class BatchTooLarge(ToolkitError, ValueError):
    """A single item needs more form fields than one request may carry."""


def plan_chunks(item_sizes: Sequence[int], base_fields: int, limits: Limits) -> list[list[int]]:
    """Consecutive index groups, each fitting `limits` with the `base_fields` every request carries."""
    chunks: list[list[int]] = []
    current: list[int] = []
    used = base_fields
    for index, size in enumerate(item_sizes):
        if base_fields + size > limits.max_fields:
            raise BatchTooLarge(
                f"Eintrag {index} braucht {size} Formularfelder (+{base_fields} je Anfrage), mehr als das "
                f"Budget von {limits.max_fields}; Budget (und PHP max_input_vars) erhöhen oder den Eintrag "
                "kürzen"
            )
        if current and (used + size > limits.max_fields or len(current) >= limits.max_items):
            chunks.append(current)
            current, used = [], base_fields
        current.append(index)
        used += size
    if current:
        chunks.append(current)
    return chunks


@dataclass(frozen=True)
class ItemFailure:
    """One row Moodle refused, named so an admin can find it in the input."""

    index: int
    label: str
    error: MoodleError

    def __str__(self) -> str:
        return f"{self.label}: {self.error.code} – {self.error.detail}"


@dataclass
class BatchOutcome:
    """What a batched write achieved: replies of the requests that succeeded (in item order), refused rows."""

    function: str = ""
    replies: list[Any] = field(default_factory=list)
    succeeded: list[int] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)


def run_isolating(
    chunks: Sequence[Sequence[int]],
    send: Callable[[Sequence[int]], Any],
    describe: Callable[[int], str],
    isolate: tuple[type[MoodleError], ...] = (InvalidParameter,),
    function: str = "",
) -> BatchOutcome:
    """Send each chunk; a chunk refused with an `isolate` error is halved until refused rows stand alone."""
    outcome = BatchOutcome(function)

    def attempt(indices: Sequence[int]) -> None:
        try:
            reply = send(indices)
        except isolate as error:
            if len(indices) == 1:
                outcome.failures.append(ItemFailure(indices[0], describe(indices[0]), error))
                return
            middle = len(indices) // 2
            attempt(indices[:middle])
            attempt(indices[middle:])
            return
        outcome.replies.append(reply)
        outcome.succeeded.extend(indices)

    for chunk in chunks:
        attempt(chunk)
    return outcome
