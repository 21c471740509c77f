"""Course calendar events for the ten virtual mornings (`core_calendar_*`).

Reading, creating, moving and deleting follow recorded replies (tests/data/moodle-ws). Changing an event's
name, description or time of day has no dedicated web service: `core_calendar_submit_create_update_form`
takes the event edit form's fields as one URL-encoded string. No recording shows it; `update_event` is
modelled on calendar/externallib.php (submit_create_update_form), calendar/classes/local/event/forms/
create.php and update.php of Moodle 4.5, and its reply is checked (name and start) before it counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from scm_lms.moodle.errors import AccessDenied, FunctionNotAvailable, NotFound
from scm_lms.moodle.inputs import NewEvent
from scm_lms.moodle.models import CalendarEvent, EventsReply, Reply
from scm_lms.moodle.normalize import Id
from scm_lms.moodle.parsing import parse, read_one
from scm_lms.moodle.results import WriteResult, write_rows
from scm_lms.moodle.transport import MoodleClient

BERLIN = ZoneInfo("Europe/Berlin")
UPDATE_FORM = "_qf__core_calendar_local_event_forms_update"
"""moodleform's marker that the update form was submitted (`_qf__` + the form class, backslashes as _)."""


class EventCourse(Reply):
    id: Id


class ExportedEvent(Reply):
    """An event as Moodle's event exporter shows it (get by id, move, form submit)."""

    id: Id
    name: str
    description: str = ""
    eventtype: str = ""
    timestart: int
    timeduration: int = 0
    course: EventCourse | None = None

    @property
    def courseid(self) -> int | None:
        return self.course.id if self.course is not None else None


class _EventReply(Reply):
    event: ExportedEvent


class _FormReply(Reply):
    event: ExportedEvent | None = None
    validationerror: bool = False


def get_course_events(
    client: MoodleClient, courseids: Sequence[int], *, timestart: int, timeend: int
) -> EventsReply:
    """Course events in [timestart, timeend]. Events have no idnumber: the toolkit knows its own by id."""
    params: dict[str, Any] = {
        "events": {"courseids": list(courseids)},
        "options": {"siteevents": False, "userevents": False, "timestart": timestart, "timeend": timeend},
    }
    return read_one(client, EventsReply, "core_calendar_get_calendar_events", params)


def get_event(client: MoodleClient, eventid: int) -> ExportedEvent | None:
    """The event, or None when it is gone: Moodle answers a deleted id with nopermissions (recorded) and an
    unknown one with invalidrecord."""
    try:
        reply = read_one(client, _EventReply, "core_calendar_get_calendar_event_by_id", {"eventid": eventid})
    except FunctionNotAvailable:
        raise  # a service without the function must not read as "every event is gone"
    except (AccessDenied, NotFound):
        return None
    return reply.event


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


def noon(day: dt.date) -> int:
    """12:00 Berlin time on `day`: the same calendar day in every time zone from UTC−11 to UTC+11."""
    return int(dt.datetime.combine(day, dt.time(12), tzinfo=BERLIN).timestamp())


def move_event_to_day(client: MoodleClient, eventid: int, day: dt.date) -> ExportedEvent:
    """Move an event to `day`, keeping its time of day as the token user's time zone sees it (recorded).

    Moodle takes the day of `daytimestamp` in the token user's time zone, so noon is sent; across a change
    of daylight-saving time a user in another zone than Berlin would see the hour shift, hence callers
    compare the reply's `timestart` with what they wanted.
    """
    params = {"eventid": eventid, "daytimestamp": noon(day)}
    reply = client.write("core_calendar_update_event_start_day", params)
    return parse(_EventReply, reply, "core_calendar_update_event_start_day").event


def update_event(
    client: MoodleClient,
    eventid: int,
    *,
    courseid: int,
    name: str,
    description: str,
    timestart: int,
    timeduration: int,
    shift: int = 0,
) -> ExportedEvent | None:
    """Set name, description, start and duration of a course event in place; None if Moodle's form
    validation refused the data.

    The form reads the date and time fields in the token user's time zone; they are sent as Berlin wall
    clock, moved by `shift` seconds when a first answer showed that the zones differ.
    """
    start = dt.datetime.fromtimestamp(timestart + shift, BERLIN)
    fields: list[tuple[str, str | int]] = [
        ("id", eventid),
        ("modulename", ""),
        ("instance", 0),
        ("visible", 1),
        ("repeatid", 0),
        ("repeateditall", 0),
        ("name", name),
        ("timestart[day]", start.day),
        ("timestart[month]", start.month),
        ("timestart[year]", start.year),
        ("timestart[hour]", start.hour),
        ("timestart[minute]", start.minute),
        ("eventtype", "course"),
        ("courseid", courseid),
        ("description[text]", description),
        ("description[format]", 1),
        ("description[itemid]", 0),
        ("location", ""),
        ("duration", 2),
        ("timedurationminutes", timeduration // 60),
        (UPDATE_FORM, 1),
    ]
    reply = client.write("core_calendar_submit_create_update_form", {"formdata": urlencode(fields)})
    result = parse(_FormReply, reply, "core_calendar_submit_create_update_form")
    return None if result.validationerror else result.event


def delete_event(client: MoodleClient, eventid: int) -> bool:
    """Delete one event (not its repeats); False when it was already gone (recorded: invalidrecord)."""
    try:
        rows = [{"eventid": eventid, "repeat": False}]
        client.write("core_calendar_delete_calendar_events", {"events": rows})
    except NotFound:
        return False
    return True
