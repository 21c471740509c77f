"""Course calendar events for the ten virtual mornings (`core_calendar_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scm_lms.moodle.inputs import NewEvent
from scm_lms.moodle.models import CalendarEvent, EventsReply
from scm_lms.moodle.parsing import read_one
from scm_lms.moodle.results import WriteResult, write_rows
from scm_lms.moodle.transport import MoodleClient


def get_course_events(
    client: MoodleClient, courseids: Sequence[int], *, timestart: int, timeend: int
) -> EventsReply:
    """Course events in [timestart, timeend]. Events have no idnumber: match (courseid, name, timestart)."""
    params: dict[str, Any] = {
        "events": {"courseids": list(courseids)},
        "options": {"siteevents": False, "userevents": False, "timestart": timestart, "timeend": timeend},
    }
    return read_one(client, EventsReply, "core_calendar_get_calendar_events", params)


def create_events(client: MoodleClient, events: Sequence[NewEvent]) -> WriteResult[CalendarEvent]:
    """Create events (not resent after a lost reply, to avoid doubles); `repeats` yields several records."""
    return write_rows(
        client,
        "core_calendar_create_calendar_events",
        "events",
        events,
        describe=lambda e: f"{e.name} ({e.timestart})",
        model=CalendarEvent,
        records_key="events",
    )
