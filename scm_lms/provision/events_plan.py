"""Planning the ten mornings' calendar events: create what is missing, correct what changed, delete what the
programme dropped – and never touch an event this toolkit did not make.

Moodle events have no idnumber. The toolkit's own are those whose id the journal records under the stable
key `SCM-<Durchgang>/V<n>`, in this course on this site; everything else in the course calendar is listed as
"bleibt". Name, start and duration are compared with what Moodle reports; the description with the digest
of what was last sent, because Moodle may reformat the HTML it returns. Events made by versions before #11
(journaled as "name @ start" without an id) are taken over once when name and start still match.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable

from scm_lms.moodle.models import CalendarEvent
from scm_lms.programme.schedule import BERLIN
from scm_lms.provision.actions import Action, Change, Op, Ref, legacy_event_key
from scm_lms.provision.desired import DesiredState, Event
from scm_lms.provision.journal import OwnedEvent
from scm_lms.provision.payloads import EventDeletion, EventWork
from scm_lms.provision.plan_text import minutes, room_label, when
from scm_lms.provision.state import CurrentState


def description_digest(description: str) -> str:
    return hashlib.sha256(description.encode("utf-8")).hexdigest()[:16]


def plan_events(desired: DesiredState, current: CurrentState) -> list[Action]:
    live = {event.id: event for event in current.events if event.courseid in (None, _course_id(current))}
    claimed: set[int] = set()
    actions: list[Action] = []
    needs: tuple[Ref, ...] = (("course", desired.course.idnumber),)
    for event in desired.events:
        label = f"Vormittag {event.number}, {when(event.timestart)}"
        owned = current.owned_events.get(event.key)
        have = live.get(owned.id) if owned is not None else None
        if have is not None and owned is not None:
            claimed.add(have.id)
            changes = _changes(event, have, owned)
            op: Op = "update" if changes else "keep"
            reason = "Termin weicht vom Programm ab – wird geändert" if changes else "Termin aktuell"
            work = EventWork(event, _day_move(changes, have, event)) if changes else None
            actions.append(Action("event", op, event.key, label, reason, changes, have.id, work, needs))
            continue
        legacy = _legacy(event, live.values(), current.legacy_events, claimed)
        if legacy is not None:
            claimed.add(legacy.id)
            reason = "Termin einer früheren Toolkit-Version – wird übernommen und angepasst"
            changes = _changes(event, legacy, None)
            work = EventWork(event, _day_move(changes, legacy, event))
            actions.append(
                Action("event", "update", event.key, label, reason, changes, legacy.id, work, needs)
            )
            continue
        reason = "Termin fehlt" if owned is None else "Termin wurde in Moodle gelöscht – wird neu angelegt"
        actions.append(
            Action("event", "create", event.key, label, reason, payload=EventWork(event), needs=needs)
        )
    wanted = {event.key for event in desired.events}
    for key, owned in sorted(current.owned_events.items()):
        gone = live.get(owned.id)
        if key in wanted or gone is None:
            continue
        claimed.add(gone.id)
        label = f"{when(gone.timestart)} {gone.name}"
        reason = "Vormittag steht nicht mehr im Programm – vom Toolkit angelegter Termin wird gelöscht"
        deletion = EventDeletion()
        actions.append(
            Action("event", "delete", key, label, reason, moodle_id=gone.id, payload=deletion, needs=needs)
        )
    for extra in sorted(live.values(), key=lambda e: (e.timestart, e.id)):
        if extra.id in claimed or extra.eventtype != "course":
            continue
        label = f"{when(extra.timestart)} {extra.name}"
        reason = "nicht vom Toolkit angelegt – bleibt unberührt"
        actions.append(Action("event", "leave", f"id:{extra.id}", label, reason, moodle_id=extra.id))
    return actions


def _day_move(changes: tuple[Change, ...], have: CalendarEvent, event: Event) -> bool:
    """Only the day differs (same Berlin time of day, nothing else changed): the recorded move suffices."""
    same_clock = _berlin_clock(have.timestart) == _berlin_clock(event.timestart)
    return {change.field for change in changes} == {"Beginn"} and same_clock


def _berlin_clock(timestart: int) -> dt.time:
    return dt.datetime.fromtimestamp(timestart, BERLIN).time()


def _course_id(current: CurrentState) -> int | None:
    return current.course.id if current.course is not None else None


def _changes(event: Event, have: CalendarEvent, sent: OwnedEvent | None) -> tuple[Change, ...]:
    found: list[Change] = []
    if have.timestart != event.timestart:
        found.append(Change("Beginn", when(have.timestart), when(event.timestart)))
    if have.timeduration != event.timeduration:
        found.append(Change("Dauer", minutes(have.timeduration), minutes(event.timeduration)))
    if have.name != event.name:
        found.append(Change("Titel", have.name, event.name))
    if sent is not None and sent.room != room_label(event.room):
        found.append(Change("Videoraum", sent.room or "(keiner)", room_label(event.room)))
    elif sent is None or sent.description != description_digest(event.description):
        found.append(Change("Beschreibung", "bisheriger Text", "Videoraum, Programm und Leitung neu gesetzt"))
    return tuple(found)


def _legacy(
    event: Event, live: Iterable[CalendarEvent], legacy: frozenset[str], claimed: set[int]
) -> CalendarEvent | None:
    if not legacy:
        return None
    pattern = re.compile(rf"– Sitzung {event.number}(:|$)")
    for have in live:
        if (
            have.id not in claimed
            and legacy_event_key(have.name, have.timestart) in legacy
            and pattern.search(have.name)
        ):
            return have
    return None
