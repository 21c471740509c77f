"""Carrying out the event actions of a plan: create, correct in place, delete – recording every event id.

The journal entry of each successful step names the event id and the digest of the description sent; that
record is what makes an event the toolkit's own (see events_plan). A move by whole days uses the recorded
core_calendar_update_event_start_day; any other change (time of day, duration, title, description) goes
through core_calendar_submit_create_update_form, modelled on Moodle's source (see moodle/calendar.py). Both
replies are checked against the wanted start, so a token user in another time zone than Berlin cannot shift a
morning unnoticed: one corrected second try, then the step fails with what to do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from scm_lms.moodle import MoodleClient, MoodleError, NewEvent, calendar
from scm_lms.moodle.calendar import BERLIN, ExportedEvent
from scm_lms.moodle.errors import describe
from scm_lms.moodle.models import CalendarEvent
from scm_lms.provision.actions import Action, Plan
from scm_lms.provision.desired import Event
from scm_lms.provision.events_plan import description_digest
from scm_lms.provision.payloads import EventWork, payload
from scm_lms.provision.plan_text import room_label


class StepRun(Protocol):
    """What an apply run offers this step (apply._Run): the client, the plan, and the journal writer."""

    client: MoodleClient
    plan: Plan

    def done(self, action: Action, status: Any, detail: str = "", **extra: Any) -> None: ...


ZONE_HINT = (
    "Moodle liest Datum und Uhrzeit in der Zeitzone des Webservice-Kontos: dort unter Profil bearbeiten › "
    "Zeitzone „Europa/Berlin“ einstellen, dann „lms apply“ erneut ausführen"
)


def apply_events(run: StepRun, courseid: int, actions: Sequence[Action]) -> None:
    creates = [a for a in actions if a.op == "create"]
    if creates:
        _create(run, courseid, creates)
    for action in actions:
        if action.op == "update":
            _update(run, courseid, action, payload(action, EventWork))
        elif action.op == "delete":
            _delete(run, action)


def _create(run: StepRun, courseid: int, actions: Sequence[Action]) -> None:
    events = [payload(action, EventWork).event for action in actions]
    rows = [
        NewEvent(
            name=e.name,
            description=e.description,
            format=1,
            courseid=courseid,
            eventtype="course",
            timestart=e.timestart,
            timeduration=e.timeduration,
            visible=True,
        )
        for e in events
    ]
    refused: dict[int, str] = {}
    try:
        result = calendar.create_events(run.client, rows)
        records = list(result.records)
        refused = {failure.index: describe(failure.error) for failure in result.failures}
    except MoodleError as error:  # a lost reply: the events may exist, find the new ones by name and start
        records = _created_anyway(run, courseid)
        refused = dict.fromkeys(range(len(actions)), describe(error))
    found = {(record.name, record.timestart): record.id for record in records}
    for index, (action, event) in enumerate(zip(actions, events, strict=True)):
        eventid = found.get((event.name, event.timestart))
        if eventid is None:
            run.done(action, "failed", refused.get(index, "Termin nach dem Anlegen nicht gefunden"))
        else:
            digest = description_digest(event.description)
            run.done(action, "ok", event_id=eventid, description_digest=digest, room=room_label(event.room))


def _created_anyway(run: StepRun, courseid: int) -> list[CalendarEvent]:
    """Course events that were not there when the plan was read: this run's, even if the reply was lost."""
    known = {event.id for event in run.plan.current.events}
    desired = run.plan.desired.events
    start = min(e.timestart for e in desired)
    end = max(e.timestart + e.timeduration for e in desired)
    try:
        reply = calendar.get_course_events(run.client, [courseid], timestart=start, timeend=end)
    except MoodleError:
        return []
    return [e for e in reply.events if e.courseid == courseid and e.id not in known]


def _update(run: StepRun, courseid: int, action: Action, work: EventWork) -> None:
    eventid, event = action.moodle_id, work.event
    assert eventid is not None
    try:
        reply: ExportedEvent | None = None
        if work.day_move:
            reply = calendar.move_event_to_day(run.client, eventid, _berlin_day(event.timestart))
        if reply is None or not _matches(reply, event):
            reply = _submit(run, courseid, eventid, event, shift=0)
            if reply is not None and reply.timestart != event.timestart:
                reply = _submit(run, courseid, eventid, event, shift=event.timestart - reply.timestart)
    except MoodleError as error:
        run.done(action, "failed", describe(error), event_id=eventid)
        return
    if reply is None:
        run.done(action, "failed", "Moodle hat die Termindaten nicht angenommen (Formularprüfung)")
    elif not _matches(reply, event):
        run.done(action, "failed", f"Termin liegt in Moodle nicht zur geplanten Zeit – {ZONE_HINT}")
    else:
        digest = description_digest(event.description)
        run.done(action, "ok", event_id=eventid, description_digest=digest, room=room_label(event.room))


def _submit(run: StepRun, courseid: int, eventid: int, event: Event, shift: int) -> ExportedEvent | None:
    return calendar.update_event(
        run.client,
        eventid,
        courseid=courseid,
        name=event.name,
        description=event.description,
        timestart=event.timestart,
        timeduration=event.timeduration,
        shift=shift,
    )


def _delete(run: StepRun, action: Action) -> None:
    assert action.moodle_id is not None
    try:
        existed = calendar.delete_event(run.client, action.moodle_id)
    except MoodleError as error:
        run.done(action, "failed", describe(error), event_id=action.moodle_id)
        return
    run.done(action, "ok", "" if existed else "war schon gelöscht", event_id=action.moodle_id)


def _matches(reply: ExportedEvent, event: Event) -> bool:
    wanted = (event.timestart, event.timeduration, event.name)
    return (reply.timestart, reply.timeduration, reply.name) == wanted


def _berlin_day(timestart: int) -> dt.date:
    return dt.datetime.fromtimestamp(timestart, BERLIN).date()
