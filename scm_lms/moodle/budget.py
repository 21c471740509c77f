"""Learning a site's field budget: how many form fields one request may carry before PHP drops the rest.

PHP keeps the first `max_input_vars` fields of a request and silently drops the others (the recorded site:
5000; PHP's default: 1000). The probe is one read-only lookup, `core_user_get_users_by_field`, sent with a
growing list of values and its required `field` parameter as the *last* form field: PHP cuts from the end,
so if any field was dropped, `field` is missing and Moodle refuses the call with `invalidparameter`
("Missing required key in single structure"), as in the recordings of a missing required field. A reply
means every field arrived. Only sizes that came through whole count as verified; batches then use a margin
below the largest of them.

Assumed, no recording shows it: Moodle treats a missing top-level required parameter of this function like the
recorded missing required keys of core_user_create_users and core_course_create_courses (invalidparameter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scm_lms.moodle.batching import Limits
from scm_lms.moodle.errors import BadResponse, InvalidParameter, MoodleError
from scm_lms.moodle.transport import FIXED_FIELDS, MoodleClient

PHP_DEFAULT = 1000
"""PHP's default `max_input_vars`, the budget when the probe cannot tell."""
START = PHP_DEFAULT
CEILING = 20_000
"""Largest size probed; no batch of this toolkit needs more, and bigger requests only cost time."""
FLOOR = 50
MARGIN = 0.9
"""Batches use 90 % of the verified size: room for a proxy or plugin that adds fields of its own."""
PRECISION = 1.25
"""The search stops once the first refused size is within 25 % of the verified one (the margin is 10 %)."""


@dataclass(frozen=True)
class FieldBudget:
    """What the probe found: `verified` fields arrived whole (0: none); batches use `max_fields`."""

    verified: int
    max_fields: int
    note: str = ""
    """German note for the admin when the probe could not decide (then `max_fields` is PHP's default)."""
    refused: int | None = None
    """The smallest size seen cut off, if any (None: accepted up to the ceiling)."""

    @property
    def probed(self) -> bool:
        return self.verified > 0


def fallback(reason: str) -> FieldBudget:
    """PHP's default budget, with the note saying why and what to do."""
    note = (
        f"Feldbudget der Website nicht ermittelt ({reason}); es gilt der PHP-Standard von {PHP_DEFAULT} "
        "Formularfeldern je Anfrage. Ist max_input_vars der Website höher, mit --max-fields angeben."
    )
    return FieldBudget(verified=0, max_fields=PHP_DEFAULT, note=note)


def from_verified(verified: int, refused: int | None) -> FieldBudget:
    """The budget batches use: the margin below what arrived whole, never more than that."""
    return FieldBudget(verified, max(10, min(verified, int(verified * MARGIN))), refused=refused)


def search(
    accepts: Callable[[int], bool], start: int = START, ceiling: int = CEILING
) -> tuple[int, int | None]:
    """(largest size `accepts` confirmed, smallest size it refused or None); (0, FLOOR) if even that fails.

    Grows from `start` (×5, then ×2 up to `ceiling`), then halves the gap between the last accepted and the
    first refused size until they are within `PRECISION`. Below `start` it halves downwards. Every size
    returned as accepted was sent and came back whole; nothing is inferred.
    """
    good, bad = 0, None
    size = start
    while bad is None and size <= ceiling:
        if accepts(size):
            good = size
            if size == ceiling:
                break
            size = min(ceiling, size * 5 if size == start else size * 2)
        else:
            bad = size
    if good == 0:  # refused at the start: the site allows fewer than PHP's default
        low, high = FLOOR, start
        if not accepts(low):
            return 0, low
        good, bad = low, high
    while bad is not None and bad > good * PRECISION:
        middle = (good + bad) // 2
        if accepts(middle):
            good = middle
        else:
            bad = middle
    return good, bad


def probe(client: MoodleClient, *, start: int = START, ceiling: int = CEILING) -> FieldBudget:
    """The site's field budget, found read-only. An error at the first size (token, rights, network) means
    PHP's default with a note; after a size came through, any refusal of a bigger one only ends the search."""
    verified: list[int] = []

    def accepts(size: int) -> bool:
        values = ["0"] * (size - FIXED_FIELDS - 1)  # id 0 exists nowhere: an empty, cheap reply
        saved = client.limits
        client.limits = Limits(max_fields=size, max_items=saved.max_items)
        try:
            reply = client.read("core_user_get_users_by_field", {"values": values, "field": "id"})
        except InvalidParameter:
            return False
        except MoodleError:
            if not verified:
                raise
            return False  # e.g. a proxy refusing the request size: bigger requests are out, too
        finally:
            client.limits = saved
        if not isinstance(reply, list):
            raise BadResponse("core_user_get_users_by_field", "Antwort ist keine Liste von Konten")
        verified.append(size)
        return True

    try:
        good, bad = search(accepts, start, ceiling)
    except MoodleError as error:
        return fallback(f"{error.code}: {error.detail}")
    if good == 0:
        return fallback(f"schon {bad} Felder wurden abgeschnitten")
    return from_verified(good, bad)
