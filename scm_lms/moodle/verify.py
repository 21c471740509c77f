"""Re-read helpers that decide whether an unclear write may be resent (see `MoodleClient.write`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scm_lms.moodle.errors import MoodleError


def resend_is_safe(rows: Sequence[Any]) -> None:
    """For idempotent writes (enrol, add members, updates with the full state): resending changes nothing."""
    return None


def all_or_none(function: str, found: Sequence[Any | None]) -> list[Any] | None:
    """Moodle applies these batches in one transaction, so after a lost reply either every row exists
    (use what was found as the reply) or none does (resend). Anything else needs a human."""
    if all(item is None for item in found):
        return None
    if all(item is not None for item in found):
        return list(found)
    raise MoodleError(
        function,
        "die Anfrage ging unterwegs verloren und nur ein Teil ihrer Datensätze existiert jetzt; "
        "„scm-lms lms plan“ erneut ausführen, um abzugleichen",
    )
