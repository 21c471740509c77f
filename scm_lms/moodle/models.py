"""Pydantic models of what Moodle 4.5 returns, shaped after the recorded replies in tests/data/moodle-ws.

Only fields the toolkit uses are declared; everything else Moodle sends is ignored, so a newer Moodle adding
keys does not break us. Quirks are normalised by the types from `normalize`.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scm_lms.moodle.normalize import Id, Number, OptionalId, PlainText, Text


class Reply(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class MoodleWarning(Reply):
    """An item Moodle skipped or adjusted without failing the call; never dropped silently."""

    item: str = ""
    itemid: OptionalId = None
    warningcode: str = ""  # cohort member warnings use "1"/"2"/"3" as strings
    message: str = ""


class SiteFunction(Reply):
    name: str
    version: str = ""


class SiteInfo(Reply):
    sitename: str
    siteurl: str
    username: str
    fullname: str
    userid: Id
    lang: str = ""
    release: str = ""
    version: str = ""
    userissiteadmin: bool = False
    siteid: Id = 1
    """Id of the front-page course (SITEID), fixed at install."""
    uploadfiles: bool = False  # whether the token's service allows webservice/upload.php
    functions: list[SiteFunction] = []

    @property
    def function_names(self) -> frozenset[str]:
        return frozenset(function.name for function in self.functions)


class Category(Reply):
    id: Id
    name: str
    idnumber: str = ""
    parent: Id = 0
    path: str = ""
    depth: int = 0
    visible: bool = True
    description: str = ""


class CreatedCategory(Reply):
    id: Id
    name: str


class Course(Reply):
    id: Id
    shortname: str
    fullname: str
    idnumber: str = ""
    categoryid: Id = 0
    summary: str = ""
    format: str = ""
    startdate: int = 0
    enddate: int = 0
    visible: bool = True
    enablecompletion: bool = False
    enrollmentmethods: list[str] = []


class CoursesReply(Reply):
    courses: list[Course]
    warnings: list[MoodleWarning] = []


class CreatedCourse(Reply):
    id: Id
    shortname: str


class Cohort(Reply):
    id: Id
    name: str
    idnumber: str = ""
    description: str = ""
    descriptionformat: int = 1
    visible: bool = True
    theme: str = ""


class CohortsReply(Reply):
    cohorts: list[Cohort]


class CohortMembers(Reply):
    cohortid: Id
    userids: list[Id]


class CustomField(Reply):
    """A user profile field as returned: `type` is the field's data type, `shortname` its key."""

    shortname: str
    value: str = ""
    type: str = ""
    name: str = ""


class User(Reply):
    id: Id
    username: str = ""
    firstname: str = ""
    lastname: str = ""
    fullname: str = ""
    email: str = ""
    idnumber: str = ""
    institution: str = ""
    department: str = ""
    city: str = ""
    country: str = ""
    auth: str = ""
    suspended: bool = False
    lang: str = ""
    timezone: str = ""
    customfields: list[CustomField] = []

    def customfield(self, shortname: str) -> str | None:
        return next((f.value for f in self.customfields if f.shortname == shortname), None)


class CreatedUser(Reply):
    id: Id
    username: str


class Role(Reply):
    roleid: Id
    shortname: str = ""


class EnrolledUser(User):
    roles: list[Role] = []


class EnrolledCourse(Reply):
    id: Id
    shortname: str = ""
    fullname: str = ""


class CourseProfile(EnrolledUser):
    """core_user_get_course_user_profiles: one user seen from one course (roles in that course only) and
    the courses the user is actively enrolled in (user/lib.php user_get_user_details)."""

    enrolledcourses: list[EnrolledCourse] = []


class Group(Reply):
    id: Id
    courseid: Id
    name: str
    idnumber: str = ""
    description: str = ""


class CalendarEvent(Reply):
    id: Id
    name: str
    courseid: OptionalId = None
    groupid: OptionalId = None
    eventtype: str = ""
    timestart: int
    timeduration: int = 0
    repeatid: OptionalId = None
    description: str = ""


class EventsReply(Reply):
    events: list[CalendarEvent]
    warnings: list[MoodleWarning] = []


class GradeItem(Reply):
    """One gradebook item of one user (`gradereport_user_get_grade_items`). Use `graderaw`/`grademax`."""

    id: Id
    itemname: str | None = None
    itemtype: str  # course | mod | category | manual
    itemmodule: str | None = None
    iteminstance: OptionalId = None
    cmid: OptionalId = None
    idnumber: str | None = None
    graderaw: Number = None
    grademin: Number = None
    grademax: Number = None
    gradeformatted: PlainText = ""  # locale-formatted, HTML icon removed
    percentage: Number = Field(default=None, validation_alias="percentageformatted")
    gradedategraded: int | None = None
    gradeishidden: bool = False
    gradeisoverridden: bool = False


class UserGrades(Reply):
    courseid: Id
    userid: Id
    userfullname: str = ""
    useridnumber: str = ""
    gradeitems: list[GradeItem]

    @property
    def course_total(self) -> GradeItem | None:
        return next((item for item in self.gradeitems if item.itemtype == "course"), None)


class GradeReport(Reply):
    usergrades: list[UserGrades]
    warnings: list[MoodleWarning] = []


class CourseGradeItem(Reply):
    """An item from `core_grades_get_gradeitems` (its id arrives as a string)."""

    id: Id
    itemname: str = ""
    category: str = ""


class CourseGradeItems(Reply):
    items: list[CourseGradeItem] = Field(validation_alias="gradeItems")
    warnings: list[MoodleWarning] = []


class ActivityStatus(Reply):
    cmid: Id
    modname: str
    instance: Id
    state: int  # 0 incomplete, 1 complete, 2 complete pass, 3 complete fail
    timecompleted: int | None = None
    isoverallcomplete: bool = False


class ActivitiesCompletion(Reply):
    statuses: list[ActivityStatus]
    warnings: list[MoodleWarning] = []


class CompletionCriterion(Reply):
    type: int
    title: str = ""
    status: str = ""
    complete: bool = False
    timecompleted: int | None = None


class CourseCompletionStatus(Reply):
    completed: bool
    aggregation: int = 1
    completions: list[CompletionCriterion] = []


class CourseCompletion(Reply):
    completionstatus: CourseCompletionStatus
    warnings: list[MoodleWarning] = []


class Scorm(Reply):
    id: Id
    coursemodule: Id
    course: Id
    name: str
    version: str = ""
    maxgrade: Number = None
    grademethod: int = 0
    whatgrade: int = 0
    maxattempt: int = 0
    packageurl: str = ""
    sha1hash: str = ""
    completionscorerequired: Number = None
    completionstatusrequired: int | None = None


class ScormsReply(Reply):
    scorms: list[Scorm]
    warnings: list[MoodleWarning] = []


class ScormElement(Reply):
    element: str
    value: Text = ""  # score_raw comes as a number; kept as text like every other element


class ScoUserData(Reply):
    scoid: Id
    userdata: list[ScormElement] = []

    def value(self, element: str) -> str | None:
        return next((e.value for e in self.userdata if e.element == element), None)


class ScormUserData(Reply):
    data: list[ScoUserData]
    warnings: list[MoodleWarning] = []


class AttemptCount(Reply):
    attemptscount: int
    warnings: list[MoodleWarning] = []


class UploadedFile(Reply):
    itemid: Id
    filename: str
    filepath: str = "/"
    filearea: str = "draft"
    contextid: OptionalId = None
    component: str = ""
    filesize: int | None = None
    url: str = ""
