"""What the Moodle site holds for one Durchgang right now, read through the typed client.

Everything is found by stable identifiers: the course by idnumber (and, for a copy whose idnumber was never
set because an earlier apply died, by shortname), the cohort by idnumber, accounts by idnumber (the
pseudonymous registration id) and by e-mail (an account the person may already have). Reads that only matter
for an existing record are skipped when the record is missing, so a fresh Durchgang costs few calls.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from scm_lms.moodle import MoodleClient, calendar, cohorts, courses, enrolments, site, users
from scm_lms.moodle.models import CalendarEvent, Category, Cohort, Course, EnrolledUser, SiteInfo, User
from scm_lms.provision.desired import Course as DesiredCourse
from scm_lms.provision.desired import DesiredState
from scm_lms.provision.journal import OwnedEvent, Recorded, SentEnrolment, site_identity
from scm_lms.provision.roles import foreign_roles

T = TypeVar("T")


@dataclass(frozen=True)
class CurrentState:
    """The site's records relevant to one Durchgang. `site` is None when no site is configured."""

    site: str | None
    site_id: str | None = None
    """The site's identity (journal.site_identity of the siteurl it reports); `site` is the configured URL."""
    course: Course | None = None
    template: Course | None = None
    """Only read when the course is missing (it is what would be copied)."""
    category: Category | None = None
    cohort: Cohort | None = None
    by_idnumber: Mapping[str, User] = field(default_factory=dict)
    by_email: Mapping[str, User] = field(default_factory=dict)
    """Keyed by lower-case address."""
    by_username: Mapping[str, User] = field(default_factory=dict)
    """Accounts holding the derived username of someone with no account yet (create would collide)."""
    members: frozenset[int] = frozenset()
    enrolled: tuple[EnrolledUser, ...] = ()
    events: tuple[CalendarEvent, ...] = ()
    sent_enrolments: Mapping[str, SentEnrolment] = field(default_factory=dict)
    """From the journal: the last enrolment state applied per person (Moodle does not report it)."""
    admin_ids: frozenset[int] = frozenset()
    """Accounts known to be site administrators: the token's own user when the site info says so."""
    foreign_roles: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    """Accounts found by e-mail only → courses where they hold a role other than the learner role."""
    owned_events: Mapping[str, OwnedEvent] = field(default_factory=dict)
    """From the journal: event key → the event this toolkit created for it (only those are ever changed)."""
    legacy_events: frozenset[str] = frozenset()
    """From the journal: "name @ start" of events created before event ids were journaled."""


def empty_state() -> CurrentState:
    """A site with nothing on it, for planning without a Moodle connection."""
    return CurrentState(site=None)


class SiteLookups:
    """Records every Durchgang of one run shares (template course, category), read at most once per run."""

    def __init__(self) -> None:
        self._templates: dict[str, Course | None] = {}
        self._categories: dict[str, Category | None] = {}
        self._info: SiteInfo | None = None
        self._lock = threading.Lock()  # Durchgänge may be read in parallel: each record still once

    def info(self, client: MoodleClient) -> SiteInfo:
        with self._lock:
            if self._info is None:
                self._info = site.get_site_info(client)
            return self._info

    def template(self, client: MoodleClient, idnumber: str) -> Course | None:
        with self._lock:
            if idnumber not in self._templates:
                self._templates[idnumber] = _one(courses.get_courses(client, "idnumber", idnumber).courses)
            return self._templates[idnumber]

    def category(self, client: MoodleClient, idnumber: str) -> Category | None:
        with self._lock:
            if idnumber not in self._categories:
                self._categories[idnumber] = _one(courses.get_categories(client, "idnumber", idnumber))
            return self._categories[idnumber]


def read_state(
    client: MoodleClient,
    desired: DesiredState,
    recorded: Recorded | None = None,
    lookups: SiteLookups | None = None,
    *,
    concurrency: int = 1,
) -> CurrentState:
    """`recorded` is what the journal says about this course on this site (`Journal.recorded`).

    Course, cohort and people are three independent chains of reads (each read only when the one before
    found something); with `concurrency` above 1 they run at the same time, at most three calls at once."""
    shared = lookups or SiteLookups()
    records = recorded or Recorded()
    chains: list[Callable[[], Any]] = [
        lambda: _course_records(client, desired, shared, records),
        lambda: _cohort_records(client, desired),
        lambda: _people_records(client, desired, shared),
    ]
    if concurrency > 1:
        with ThreadPoolExecutor(max_workers=min(concurrency, len(chains)), thread_name_prefix="read") as pool:
            futures = [pool.submit(chain) for chain in chains]
            found = [future.result() for future in futures]
    else:
        found = [chain() for chain in chains]
    course_part: _CourseRecords = found[0]
    cohort_part: tuple[Cohort | None, frozenset[int]] = found[1]
    people: _People = found[2]
    cohort, members = cohort_part
    return CurrentState(
        site=client.url,
        site_id=site_identity(people.info.siteurl),
        course=course_part.course,
        template=course_part.template,
        category=course_part.category,
        cohort=cohort,
        by_idnumber=people.by_idnumber,
        by_email=people.by_email,
        by_username=people.by_username,
        members=members,
        enrolled=course_part.enrolled,
        events=course_part.events,
        sent_enrolments=dict(records.sent_enrolments),
        admin_ids=people.admin_ids,
        foreign_roles=people.roles,
        owned_events=dict(records.owned_events),
        legacy_events=records.legacy_events,
    )


@dataclass(frozen=True)
class _CourseRecords:
    course: Course | None
    template: Course | None
    category: Category | None
    enrolled: tuple[EnrolledUser, ...]
    events: tuple[CalendarEvent, ...]


def _course_records(
    client: MoodleClient, desired: DesiredState, shared: SiteLookups, records: Recorded
) -> _CourseRecords:
    course = find_course(client, desired.course)
    if course is None:
        template = shared.template(client, desired.course.template_idnumber)
        category = shared.category(client, desired.course.category_idnumber)
        return _CourseRecords(None, template, category, (), ())
    enrolled = tuple(enrolments.get_enrolled_users(client, course.id))
    start, end = event_window(desired, course)
    reply = calendar.get_course_events(client, [course.id], timestart=start, timeend=end)
    events = tuple(event for event in reply.events if event.courseid == course.id)
    events += _moved_away(client, course.id, records.owned_events, {event.id for event in events})
    return _CourseRecords(course, None, None, enrolled, events)


def _cohort_records(client: MoodleClient, desired: DesiredState) -> tuple[Cohort | None, frozenset[int]]:
    cohort = cohorts.find_cohort(client, desired.cohort.idnumber)
    if cohort is None:
        return None, frozenset()
    found = cohorts.get_cohort_members(client, [cohort.id])
    return cohort, frozenset(user for entry in found for user in entry.userids)


@dataclass(frozen=True)
class _People:
    info: SiteInfo
    by_idnumber: dict[str, User]
    by_email: dict[str, User]
    by_username: dict[str, User]
    admin_ids: frozenset[int]
    roles: dict[int, tuple[str, ...]]


def _people_records(client: MoodleClient, desired: DesiredState, shared: SiteLookups) -> _People:
    by_idnumber, by_email = find_accounts(client, desired.users)
    fresh = [
        u.username for u in desired.users if u.idnumber not in by_idnumber and u.email.lower() not in by_email
    ]
    by_username = {u.username: u for u in users.get_users(client, "username", fresh)} if fresh else {}
    info = shared.info(client)  # cached: the CLI read it already for the journal and moodle.lang
    admin_ids: frozenset[int] = frozenset()
    roles: dict[int, tuple[str, ...]] = {}
    if by_idnumber or by_email:  # only an existing account can be the token's admin
        admin_ids = frozenset({info.userid}) if info.userissiteadmin else frozenset()
        owned = {account.id for account in by_idnumber.values()}
        candidates = {account.id for account in by_email.values()} - owned - admin_ids
        roles = foreign_roles(client, candidates, desired.student_role, info.siteid)
    return _People(info, by_idnumber, by_email, by_username, admin_ids, roles)


def _moved_away(
    client: MoodleClient, courseid: int, owned: Mapping[str, OwnedEvent], seen: set[int]
) -> tuple[CalendarEvent, ...]:
    """Our events outside the read window (moved by hand, or the programme moved a lot), read one by one."""
    found = []
    for record in owned.values():
        if record.id in seen:
            continue
        event = calendar.get_event(client, record.id)
        if event is not None and event.courseid == courseid:
            found.append(
                CalendarEvent(
                    id=event.id,
                    name=event.name,
                    courseid=courseid,
                    eventtype=event.eventtype,
                    timestart=event.timestart,
                    timeduration=event.timeduration,
                    description=event.description,
                )
            )
    return tuple(found)


def find_course(client: MoodleClient, course: DesiredCourse) -> Course | None:
    """By idnumber; failing that by shortname, which finds a copy whose idnumber was never set."""
    found = _one(courses.get_courses(client, "idnumber", course.idnumber).courses)
    if found is None:
        found = _one(courses.get_courses(client, "shortname", course.shortname).courses)
    return found


class Person(Protocol):
    """Someone looked up by registration id and e-mail (a desired user, or the row that creates them)."""

    @property
    def idnumber(self) -> str | None: ...

    @property
    def email(self) -> str: ...


def find_accounts(client: MoodleClient, wanted: Sequence[Person]) -> tuple[dict[str, User], dict[str, User]]:
    """Accounts by registration id and by e-mail; both, so two accounts for one person show up as such."""
    if not wanted:
        return {}, {}
    found_ids = users.get_users(client, "idnumber", [user.idnumber or "" for user in wanted])
    found_mails = users.get_users(client, "email", [user.email for user in wanted])
    return {user.idnumber: user for user in found_ids}, {user.email.lower(): user for user in found_mails}


def event_window(desired: DesiredState, course: Course | None) -> tuple[int, int]:
    """From the earliest to the latest moment any of the Durchgang's events could sit."""
    starts = [event.timestart for event in desired.events] + [desired.course.startdate]
    ends = [event.timestart + event.timeduration for event in desired.events] + [desired.course.enddate]
    if course is not None and course.startdate:
        starts.append(course.startdate)
    if course is not None and course.enddate:
        ends.append(course.enddate)
    return min(starts), max(ends)


def _one(found: Sequence[T]) -> T | None:
    return found[0] if found else None
