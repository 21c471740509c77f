"""Turning raw batched replies into typed results that keep refused rows and warnings visible."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from scm_lms.moodle.batching import BatchOutcome, ItemFailure
from scm_lms.moodle.errors import SiteWideRefusal, refused_alike
from scm_lms.moodle.inputs import Row
from scm_lms.moodle.models import MoodleWarning
from scm_lms.moodle.parsing import parse_list
from scm_lms.moodle.transport import MoodleClient

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R", bound=Row)


@dataclass(frozen=True)
class WriteResult(Generic[T]):
    """Records Moodle returned (in input order), rows it refused, and warnings for rows it skipped."""

    records: list[T] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)
    warnings: list[MoodleWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and not self.warnings


def collect(outcome: BatchOutcome, model: type[T] | None = None, key: str | None = None) -> WriteResult[T]:
    """Merge replies: list replies are the records; dict replies give `warnings` and the records at `key`."""
    records: list[Any] = []
    warnings: list[Any] = []
    for reply in outcome.replies:
        if isinstance(reply, list):
            records.extend(reply)
        elif isinstance(reply, dict):
            warnings.extend(reply.get("warnings") or [])
            if key is not None:
                records.extend(reply.get(key) or [])
    parsed = parse_list(model, records, outcome.function) if model is not None else []
    return WriteResult(parsed, list(outcome.failures), parse_list(MoodleWarning, warnings, outcome.function))


def write_rows(
    client: MoodleClient,
    function: str,
    key: str,
    rows: Sequence[R],
    *,
    describe: Callable[[R], str],
    verify: Callable[[Sequence[Any]], Any] | None = None,
    model: type[T] | None = None,
    records_key: str | None = None,
) -> WriteResult[T]:
    """`client.write_many` over input models, naming refused rows with `describe`, collected as `model`."""
    outcome = client.write_many(
        function, key, [row.to_param() for row in rows], describe=lambda i: describe(rows[i]), verify=verify
    )
    return collect(outcome, model, records_key)


def name_site_wide_refusal(result: WriteResult[T], rows: int) -> WriteResult[T]:
    """When Moodle refused every row alike, say so once per row with the site-wide causes instead of a per-row
    hint: the language, auth plugin, password policy or a required profile field, not the registrations."""
    errors = [failure.error for failure in result.failures]
    if not refused_alike(errors, rows):
        return result
    failures = [
        ItemFailure(failure.index, failure.label, SiteWideRefusal(failure.error, rows))
        for failure in result.failures
    ]
    return WriteResult(result.records, failures, result.warnings)
