"""What an action sends: one typed payload per kind of action, fixed when the plan is made.

Apply executes these as they are – it never goes back to the desired state or reads values out of the
display text – so what the plan showed is what Moodle receives. Moodle ids that exist only once an earlier
action ran (a new course, a new account) are not in the payload; the action names them as `needs` and apply
fills them in (see `actions.Action.needs`). Where the row Moodle takes is fully known at plan time, the
payload is that row (the client's input models).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeVar

from scm_lms.moodle.inputs import CohortMemberRemoval, CohortUpdate, NewCohort, NewUser, UserUpdate
from scm_lms.provision.desired import Course as DesiredCourse
from scm_lms.provision.desired import Event as DesiredEvent
from scm_lms.provision.desired import User as DesiredUser

T = TypeVar("T")


@dataclass(frozen=True)
class CourseWork:
    """The course as it must be after the step (sent with core_course_update_courses); for a create, the
    template copied and the category the copy goes to (None when planned without a site)."""

    course: DesiredCourse
    template_id: int | None = None
    category_id: int | None = None


@dataclass(frozen=True)
class Membership:
    """Add the account the action needs to the cohort with this idnumber."""

    cohort: str


@dataclass(frozen=True)
class EnrolmentWork:
    """The full enrolment state (re-enrolling overwrites it); `userid` None means the account the action
    needs, known once it exists."""

    roleid: int
    timestart: int
    timeend: int
    suspend: bool
    userid: int | None = None


@dataclass(frozen=True)
class EventWork:
    """The morning's event as it must be; `day_move` says that only the day changed (same Berlin time of
    day, nothing else), so the recorded core_calendar_update_event_start_day suffices."""

    event: DesiredEvent
    day_move: bool = False


@dataclass(frozen=True)
class EventDeletion:
    """Delete the toolkit's event with the action's `moodle_id`."""


Payload = (
    CourseWork
    | NewCohort
    | CohortUpdate
    | NewUser
    | UserUpdate
    | Membership
    | CohortMemberRemoval
    | EnrolmentWork
    | EventWork
    | EventDeletion
)


def new_account(user: DesiredUser) -> NewUser:
    """The account row for someone with none yet; Moodle mails the password it creates."""
    return NewUser(
        username=user.username,
        createpassword=True,
        firstname=user.firstname,
        lastname=user.lastname,
        email=user.email,
        auth=user.auth,
        institution=user.institution,
        lang=user.lang,
        idnumber=user.idnumber,
    )


class PayloadMismatch(TypeError):
    """A programming error: an action reached a step that cannot send its payload."""


def payload(action: _HasPayload, kind: type[T]) -> T:
    """The action's payload as the type its step sends."""
    if not isinstance(action.payload, kind):
        raise PayloadMismatch(f"{action!r}: Nutzlast {type(action.payload).__name__} statt {kind.__name__}")
    return action.payload


class _HasPayload(Protocol):
    @property
    def payload(self) -> Payload | None: ...
