"""`attendance import`: a participant list → one status per admitted person for one morning.

Steps, in order: read and check every row (all-or-nothing unless skip_invalid), find the morning (given, or
the one date all join times fall on), place every row's time on it, match rows to admitted people of this
Durchgang, merge and clip each person's intervals, and compare the share with `min_presence`. Admitted people
not in the list were absent. Trainers are ignored; unmatched and ambiguous rows are listed, never guessed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from scm_lms.attendance import cells, intervals
from scm_lms.attendance.listing import AttendanceError, Entry, Listing
from scm_lms.attendance.matching import Matcher
from scm_lms.attendance.store import ImportRecord, Status
from scm_lms.intake.registrations import Registration, RowProblem
from scm_lms.programme import Programme
from scm_lms.programme.schedule import BERLIN, german_date
from scm_lms.programme.session import Session

NO_DATE_HINT = "mit --session NUMMER den Vormittag angeben"


@dataclass(frozen=True)
class Unmatched:
    rows: tuple[str, ...]
    """Row numbers, with the file name in front when several lists were read."""
    shown: str
    """The name or address as written, made safe to print (cells.shown)."""
    reason: str


@dataclass(frozen=True)
class Result:
    """A person's morning: present seconds and the status they give."""

    reg_id: str
    status: Status
    minutes: int
    by: str
    """"E-Mail", "Name", or "" for someone not in the list."""


@dataclass(frozen=True)
class Plan:
    session: Session
    results: tuple[Result, ...]
    unmatched: tuple[Unmatched, ...]
    trainers: int
    """Rows of trainers, ignored."""
    skipped: tuple[str, ...]
    record: ImportRecord
    notes: tuple[str, ...] = field(default=())


def choose_session(
    programme: Programme, durchgang: str, listings: Sequence[Listing], number: int | None
) -> Session:
    """The morning given, or the one all join dates of all lists fall on."""
    sessions = programme.schedule(durchgang).sessions
    if number is not None:
        chosen = programme.schedule(durchgang).session(number)
        if chosen is None:
            raise AttendanceError(
                [f"--session {number}: {durchgang} hat die Vormittage 1 bis {len(sessions)}"]
            )
        return chosen
    days = sorted(
        {
            entry.join.value.date()
            for listing in listings
            for entry in listing.entries
            if entry.join and entry.join.day_given
        }
    )
    source = ", ".join(listing.source for listing in listings)
    if not days:
        raise AttendanceError([f"{source}: die Beitrittszeiten haben kein Datum; {NO_DATE_HINT}"])
    by_day = {session.day: session for session in sessions}
    matching = [by_day[day] for day in days if day in by_day]
    if len(matching) == 1 and len(days) == 1:
        return matching[0]
    if not matching:
        listed = ", ".join(german_date(day) for day in days)
        raise AttendanceError(
            [
                f"{source}: die Beitrittszeiten ({listed}) liegen an keinem Vormittag von "
                f"{durchgang}; richtige Datei oder richtiger Durchgang? Sonst {NO_DATE_HINT}"
            ]
        )
    listed = ", ".join(german_date(day) for day in days)
    raise AttendanceError(
        [
            f"{source}: die Beitrittszeiten liegen an mehreren Tagen ({listed}); nicht eindeutig, "
            f"welcher Vormittag gemeint ist – {NO_DATE_HINT} (Zeilen anderer Tage gelten dann als Fehler)"
        ]
    )


def _placed(moment: cells.Moment | None, day: dt.date) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.day_given:
        return moment.value
    return dt.datetime.combine(day, moment.value.time(), tzinfo=BERLIN)


def _wrong_day(listing: Listing, entries: Sequence[Entry], session: Session) -> list[RowProblem]:
    problems = []
    for entry in entries:
        for field_name, moment in (("join", entry.join), ("leave", entry.leave)):
            if moment is None or not moment.day_given:
                continue
            day = moment.value.date()
            if day != session.day:
                problems.append(
                    RowProblem(
                        entry.row,
                        listing.label(field_name),
                        f"{german_date(day)} liegt nicht am Vormittag {session.number} "
                        f"({german_date(session.day)})",
                    )
                )
    return problems


def _span(entry: Entry, session: Session) -> intervals.Span | None:
    start = _placed(entry.join, session.day)
    if start is None:
        return None
    end = _placed(entry.leave, session.day)
    stated = dt.timedelta(minutes=entry.minutes) if entry.minutes is not None else None
    if end is None and stated is not None:
        end = start + stated
    if end is not None and stated is not None and stated < end - start - dt.timedelta(minutes=1):
        end = start + stated  # a first-join/last-leave summary: never more than the stated duration
    return None if end is None else (start, end)


def plan_import(
    programme: Programme,
    durchgang: str,
    listings: Sequence[Listing],
    people: Sequence[Registration],
    known_emails: Sequence[str],
    *,
    session_number: int | None = None,
    skip_invalid: bool = False,
) -> Plan:
    """Decide every admitted person's status for the morning from one or more lists of it (a meeting
    restarted, a second room); raises AttendanceError and imports nothing when a list has problems and
    `skip_invalid` is not given."""
    try:
        session = choose_session(programme, durchgang, listings, session_number)
    except AttendanceError:
        early = [p.text(listing.source) for listing in listings for p in listing.problems]
        if not early or skip_invalid:
            raise
        _refuse(early)  # the rows come first
    problems = [
        (listing, problem)
        for listing in listings
        for problem in sorted(
            [*listing.problems, *_wrong_day(listing, listing.entries, session)], key=lambda p: p.row
        )
    ]
    bad = {(listing.source, problem.row) for listing, problem in problems}
    messages = [problem.text(listing.source) for listing, problem in problems]
    if messages and not skip_invalid:
        _refuse(messages)
    entries = [
        (listing, entry)
        for listing in listings
        for entry in listing.entries
        if (listing.source, entry.row) not in bad
    ]
    matcher = Matcher(people, programme.durchgang(durchgang).trainers, known_emails)
    window = (
        dt.datetime.combine(session.day, session.start, tzinfo=BERLIN),
        dt.datetime.combine(session.day, session.end, tzinfo=BERLIN),
    )
    spans: dict[str, list[intervals.Span]] = {}
    actions: dict[tuple[str, str], list[tuple[dt.datetime, bool]]] = {}
    found_by: dict[str, str] = {}
    unmatched: dict[tuple[str, str], list[str]] = {}
    several = len(listings) > 1
    trainers = 0
    for listing, entry in entries:
        match = matcher.match(entry.name, entry.email)
        if match.kind == "trainer":
            trainers += 1
            continue
        if match.kind != "person":
            where = f"{_file_name(listing.source)} Zeile {entry.row}" if several else str(entry.row)
            unmatched.setdefault((match.kind, entry.email or entry.name), []).append(where)
            continue
        found_by.setdefault(match.reg_id, match.by)
        if entry.joined is not None:
            moment = _placed(entry.join, session.day)
            if moment is not None:  # join/leave rows pair within their own list
                actions.setdefault((listing.source, match.reg_id), []).append((moment, entry.joined))
        elif (span := _span(entry, session)) is not None:
            spans.setdefault(match.reg_id, []).append(span)
    for (_, reg_id), events in actions.items():
        spans.setdefault(reg_id, []).extend(intervals.pair_actions(events, window))
    length = (window[1] - window[0]).total_seconds()
    minimum = programme.certification.min_presence
    results = []
    for person in people:
        seconds = intervals.present_seconds(spans.get(person.reg_id, []), window)
        status: Status = "present" if seconds > 0 and seconds >= minimum * length else "absent"
        results.append(Result(person.reg_id, status, int(seconds // 60), found_by.get(person.reg_id, "")))
    listed = tuple(
        Unmatched(tuple(rows), cells.shown(text), _REASONS[kind].format(durchgang=durchgang))
        for (kind, text), rows in unmatched.items()
    )
    record = ImportRecord(
        durchgang,
        session.number,
        ", ".join(_file_name(listing.source) for listing in listings)[:200],
        listings[0].sha256 if not several else _combined(listings),
        sum(len(listing.entries) + len({p.row for p in listing.problems}) for listing in listings),
        len(found_by),
        len(listed),
        len(bad),
    )
    skipped = tuple(f"übersprungen: {message}" for message in messages)
    return Plan(session, tuple(results), listed, trainers, skipped, record)


def _combined(listings: Sequence[Listing]) -> str:
    """One checksum for several lists: over their own checksums, in the order given."""
    return hashlib.sha256(" ".join(listing.sha256 for listing in listings).encode()).hexdigest()


_REASONS = {
    "unknown": "niemand unter den Zugelassenen von {durchgang} mit dieser E-Mail-Adresse oder diesem Namen",
    "foreign": "E-Mail-Adresse gehört zu niemandem, der in {durchgang} zugelassen ist",
    "ambiguous": "Name passt auf mehrere Zugelassene von {durchgang}; in der Liste fehlt die E-Mail-Adresse",
}


def _refuse(messages: Sequence[str]) -> NoReturn:
    raise AttendanceError(
        [
            *messages,
            f"Nichts importiert: {len(messages)} Fehler. Datei korrigieren oder --skip-invalid nutzen.",
        ]
    )


def _file_name(source: str) -> str:
    return source.replace("\\", "/").rsplit("/", 1)[-1][:200]
