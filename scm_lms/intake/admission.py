"""Admission: who gets a seat in which Durchgang, who waits, who is declined — a pure, deterministic function.

Seats go in registration order (time, then registration id). A registrant gets their first preference if it
has a free seat; if they allowed alternatives, their further preferences in order and then any other Durchgang
of the programme (in programme order). Whoever finds no seat waits on the list of their first preference that
was still open when they registered. A Durchgang whose deadline had passed at registration is never offered.

Earlier decisions are an input, because an admission is a promise: an admitted person keeps Durchgang and seat
number on every re-run, even if seats or preferences change later; only a withdrawal frees the seat, and the
next person on the waiting list moves up into it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scm_lms.intake.registrations import Registration
from scm_lms.programme import Programme
from scm_lms.programme.schedule import HolidayCalendar

Status = Literal["admitted", "waitlisted", "declined", "withdrawn"]

STATUS_DE: dict[str, str] = {
    "admitted": "zugelassen",
    "waitlisted": "Warteliste",
    "declined": "abgelehnt",
    "withdrawn": "zurückgezogen",
}


@dataclass(frozen=True)
class Offer:
    """What admission needs to know about one Durchgang."""

    key: str
    seats: int
    deadline: dt.datetime


@dataclass(frozen=True)
class Decision:
    reg_id: str
    status: Status
    durchgang: str
    """Admitted: the course; waitlisted: whose list; declined/withdrawn: the Durchgang it concerned."""
    seat: int | None
    position: int | None
    """Waiting-list position (1 = next to move up)."""
    explanation: str
    """German, for the admin's table and the ledger."""


def offers_of(programme: Programme) -> list[Offer]:
    return [Offer(item.key, item.seats, programme.deadline(item.key)) for item in programme.durchgaenge]


def decide(
    offers: Sequence[Offer],
    registrations: Sequence[Registration],
    previous: Mapping[str, Decision],
) -> dict[str, Decision]:
    """One decision per registration id; the same inputs always give the same decisions."""
    by_key = {offer.key: offer for offer in offers}
    order = sorted(registrations, key=lambda item: (item.registered_at, item.reg_id))
    taken: dict[str, set[int]] = {offer.key: set() for offer in offers}
    result: dict[str, Decision] = {}

    for registration in order:
        earlier = previous.get(registration.reg_id)
        if registration.withdrawn:
            result[registration.reg_id] = _withdrawn(registration, earlier)
        elif earlier is not None and earlier.status == "admitted":
            result[registration.reg_id] = earlier
            if earlier.seat is not None:
                taken.setdefault(earlier.durchgang, set()).add(earlier.seat)

    waiting: dict[str, list[str]] = {offer.key: [] for offer in offers}
    for registration in order:
        if registration.reg_id in result:
            continue
        open_keys = [
            key
            for key in _candidates(registration, offers)
            if registration.registered_at <= by_key[key].deadline
        ]
        if not open_keys:
            result[registration.reg_id] = _late(registration, by_key)
            continue
        for key in open_keys:
            seat = _free_seat(taken[key], by_key[key].seats)
            if seat is not None:
                taken[key].add(seat)
                result[registration.reg_id] = _admitted(registration, key, seat, by_key[key].seats, previous)
                break
        else:
            waiting[open_keys[0]].append(registration.reg_id)

    for key, reg_ids in waiting.items():
        for position, reg_id in enumerate(reg_ids, 1):
            result[reg_id] = Decision(
                reg_id, "waitlisted", key, None, position, f"Warteliste Position {position} für {key}"
            )
    return result


def _candidates(registration: Registration, offers: Sequence[Offer]) -> list[str]:
    known = [offer.key for offer in offers]
    wanted = [key for key in registration.preferences if key in known]
    if not registration.alternatives:
        return wanted[:1]
    return wanted + [key for key in known if key not in wanted]


def _free_seat(taken: set[int], seats: int) -> int | None:
    return next((seat for seat in range(1, seats + 1) if seat not in taken), None)


def _admitted(
    registration: Registration, key: str, seat: int, seats: int, previous: Mapping[str, Decision]
) -> Decision:
    text = f"Platz {seat} von {seats} in {key}"
    first = registration.preferences[0] if registration.preferences else key
    if key != first:
        text += f" (Alternative zum Wunsch {first})"
    earlier = previous.get(registration.reg_id)
    if earlier is not None and earlier.status == "waitlisted":
        text += ", von der Warteliste nachgerückt"
    return Decision(registration.reg_id, "admitted", key, seat, None, text)


def _late(registration: Registration, by_key: Mapping[str, Offer]) -> Decision:
    first = next((key for key in registration.preferences if key in by_key), None)
    if first is None:
        text = "abgelehnt: gewünschter Durchgang steht nicht (mehr) im Programm"
        return Decision(registration.reg_id, "declined", registration.preferences[0], None, None, text)
    text = f"abgelehnt: Anmeldung nach Anmeldeschluss ({by_key[first].deadline:%d.%m.%Y})"
    return Decision(registration.reg_id, "declined", first, None, None, text)


def _withdrawn(registration: Registration, earlier: Decision | None) -> Decision:
    if earlier is not None and earlier.status == "withdrawn":
        return earlier
    key = earlier.durchgang if earlier is not None else registration.preferences[0]
    text = "zurückgezogen"
    if earlier is not None and earlier.status == "admitted":
        text += f"; Platz {earlier.seat} in {key} freigegeben"
    return Decision(registration.reg_id, "withdrawn", key, None, None, text)


def overbooked(offers: Sequence[Offer], decisions: Mapping[str, Decision]) -> list[str]:
    """Durchgänge holding more admitted people than seats (seats were lowered after admitting)."""
    problems = []
    for offer in offers:
        admitted = sum(1 for d in decisions.values() if d.status == "admitted" and d.durchgang == offer.key)
        if admitted > offer.seats:
            problems.append(
                f"{offer.key}: {admitted} Zulassungen, aber nur {offer.seats} Plätze; "
                "die Zusagen bleiben bestehen"
            )
    return problems


def holiday_conflicts(
    programme: Programme, registrations: Sequence[Registration], decisions: Mapping[str, Decision]
) -> list[str]:
    """Sessions on a public holiday in the home state of someone admitted (explicit dates or narrow rules)."""
    warnings = []
    for durchgang in programme.durchgaenge:
        states = {
            r.state
            for r in registrations
            if r.state
            and (d := decisions.get(r.reg_id))
            and d.status == "admitted"
            and d.durchgang == durchgang.key
        }
        if not states:
            continue
        calendar = HolidayCalendar(states)
        for session in programme.schedule(durchgang.key).sessions:
            hit = calendar.hit(session.day)
            if hit is not None:
                warnings.append(f"{durchgang.key} Sitzung {session.number}: {hit.reason_de(calendar.states)}")
    return warnings
