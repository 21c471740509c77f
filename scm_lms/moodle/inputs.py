"""What the toolkit sends: one model per row of a Moodle write, with Moodle's parameter names.

Optional fields default to None and are then not sent at all, so Moodle applies its own default. User
profile fields go out as `customfields[i][type]` (courses and cohorts would use `[shortname]` instead).
Passwords are `SecretStr`, hidden in reprs and logs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def to_param(self) -> dict[str, Any]:
        """The row as nested parameters for `forms.flatten` (None fields omitted)."""
        return {key: getattr(self, key) for key in type(self).model_fields if getattr(self, key) is not None}


def _pairs(values: dict[str, str] | None, key: str) -> list[dict[str, str]] | None:
    if values is None:
        return None
    return [{key: name, "value": value} for name, value in values.items()]


class _UserFields(Row):
    auth: str | None = None
    institution: str | None = None
    department: str | None = None
    city: str | None = None
    country: str | None = None  # ISO 3166 alpha-2
    timezone: str | None = None
    lang: str | None = None
    idnumber: str | None = None
    customfields: dict[str, str] | None = None  # profile field shortname -> value

    def to_param(self) -> dict[str, Any]:
        param = super().to_param()
        if self.customfields is not None:
            param["customfields"] = _pairs(self.customfields, "type")
        return param


class NewUser(_UserFields):
    """A row of `core_user_create_users`. `username` must be lowercase ASCII or Moodle fails the batch."""

    username: str
    createpassword: bool | None = None
    password: SecretStr | None = None
    firstname: str
    lastname: str
    email: str

    def to_param(self) -> dict[str, Any]:
        param = super().to_param()
        order = ("username", "createpassword", "password", "firstname", "lastname", "email")
        return {**{k: param.pop(k) for k in order if k in param}, **param}


class UserUpdate(_UserFields):
    """A row of `core_user_update_users`; only the fields set are changed."""

    id: int
    username: str | None = None
    suspended: bool | None = None
    password: SecretStr | None = None
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None

    def to_param(self) -> dict[str, Any]:
        param = super().to_param()
        return {"id": param.pop("id"), **param}


class NewCategory(Row):
    name: str
    parent: int | None = None
    idnumber: str | None = None
    description: str | None = None
    descriptionformat: int | None = None


class NewCourse(Row):
    fullname: str
    shortname: str
    idnumber: str | None = None
    categoryid: int
    summary: str | None = None
    summaryformat: int | None = None
    format: str | None = None
    numsections: int | None = None
    startdate: int | None = None
    enddate: int | None = None
    visible: bool | None = None
    enablecompletion: bool | None = None
    lang: str | None = None


class CourseUpdate(Row):
    id: int
    fullname: str | None = None
    shortname: str | None = None
    idnumber: str | None = None
    categoryid: int | None = None
    summary: str | None = None
    startdate: int | None = None
    enddate: int | None = None
    visible: bool | None = None


CategoryType = Literal["system", "id", "idnumber"]


class NewCohort(Row):
    """A row of `core_cohort_create_cohorts`; `category` is "" for a system cohort."""

    category_type: CategoryType = "system"
    category: str = ""
    name: str
    idnumber: str
    description: str | None = None
    descriptionformat: int | None = None
    visible: bool | None = None

    def to_param(self) -> dict[str, Any]:
        param = super().to_param()
        head = {"categorytype": {"type": param.pop("category_type"), "value": param.pop("category")}}
        return {**head, **param}


class CohortUpdate(NewCohort):
    """`core_cohort_update_cohorts` needs category, name and idnumber resent with every update."""

    id: int

    def to_param(self) -> dict[str, Any]:
        param = super().to_param()
        return {"id": param.pop("id"), **param}


class CohortMember(Row):
    """Users can be matched by id or username only; cohorts by id or idnumber."""

    cohort_type: Literal["id", "idnumber"]
    cohort: str
    user_type: Literal["id", "username"]
    user: str

    def to_param(self) -> dict[str, Any]:
        return {
            "cohorttype": {"type": self.cohort_type, "value": self.cohort},
            "usertype": {"type": self.user_type, "value": self.user},
        }


class CohortMemberRemoval(Row):
    cohortid: int
    userid: int


class Enrolment(Row):
    """Re-enrolling overwrites the enrolment: unsent timestart/timeend become 0, so send the full state."""

    roleid: int
    userid: int
    courseid: int
    timestart: int | None = None
    timeend: int | None = None
    suspend: bool | None = None


class Unenrolment(Row):
    userid: int
    courseid: int
    roleid: int | None = None


class NewGroup(Row):
    courseid: int
    name: str
    description: str = ""
    idnumber: str | None = None


class GroupMember(Row):
    groupid: int
    userid: int


class NewEvent(Row):
    """A row of `core_calendar_create_calendar_events`; `repeats` creates weekly copies."""

    name: str
    description: str | None = None
    format: int | None = None
    courseid: int | None = None
    groupid: int | None = None
    eventtype: Literal["user", "course", "group", "site", "category"] = "course"
    timestart: int
    timeduration: int | None = None
    repeats: int | None = None
    visible: bool | None = None
