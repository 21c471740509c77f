"""Typed client for the Moodle web services the Smart City Manager toolkit needs.

Public surface (everything else in this package is internal):

- Connection: `load_config()` → `MoodleConfig` (env `SCM_MOODLE_URL`/`SCM_MOODLE_TOKEN`, a mode-600
  `~/.config/scm-lms/moodle.toml`, or a prompt); `MoodleClient.from_config(config)`; `Secret` holds the token.
  `MoodleClient.read/write/read_many/write_many` are the raw calls; prefer the area functions below.
- Areas (each a module of small functions taking the client first):
  `site` (get_site_info, missing_functions, REQUIRED_FUNCTIONS), `courses` (get_categories,
  create_categories, get_courses, create_courses, duplicate_course, update_courses), `cohorts`
  (search_cohorts, find_cohort, get_cohorts, create_cohorts, update_cohorts, get_cohort_members,
  add_cohort_members, delete_cohort_members), `users` (get_users, create_users, update_users), `enrolments`
  (enrol, unenrol, get_enrolled_users, create_groups, add_group_members), `calendar` (get_course_events,
  get_event, create_events, move_event_to_day, update_event, delete_event), `grades` (get_grade_items,
  get_course_grade_items, get_activities_completion, get_course_completion), `scorm` (get_scorms,
  get_attempt_count, get_user_data), `files` (upload_draft, upload_file).
- Inputs are the `inputs` models (`NewUser`, `Enrolment`, …); replies the `models` models (`User`,
  `GradeItem`, …). List writes return `WriteResult` with `records`, refused rows in `failures`
  (isolated by bisection, named by username/idnumber) and Moodle's `warnings`.
- Errors: `MoodleError` and its subclasses `InvalidToken`, `AccessDenied` > `FunctionNotAvailable`,
  `InvalidParameter` > `DuplicateKey`, `NotFound`, `OtherMoodleError`, `MoodleUnavailable`, `BadResponse`;
  `ConfigError` for local settings. None of them ever contains the token.

Example::

    with MoodleClient.from_config(load_config()) as client:
        result = users.create_users(client, [NewUser(username="a.b", firstname="A", lastname="B", email=…)])
        for failure in result.failures:
            print(failure)  # "a.b: invalidparameter – Username already exists: a.b"
"""

from __future__ import annotations

from scm_lms.moodle import calendar, cohorts, courses, enrolments, files, grades, scorm, site, users
from scm_lms.moodle.batching import BatchTooLarge, ItemFailure, Limits
from scm_lms.moodle.config import ConfigError, MoodleConfig, load_config
from scm_lms.moodle.errors import (
    AccessDenied,
    BadResponse,
    DuplicateKey,
    FunctionNotAvailable,
    InvalidParameter,
    InvalidToken,
    MoodleError,
    MoodleUnavailable,
    NotFound,
    OtherMoodleError,
)
from scm_lms.moodle.inputs import (
    CohortMember,
    CohortMemberRemoval,
    CohortUpdate,
    CourseUpdate,
    Enrolment,
    GroupMember,
    NewCategory,
    NewCohort,
    NewCourse,
    NewEvent,
    NewGroup,
    NewUser,
    Unenrolment,
    UserUpdate,
)
from scm_lms.moodle.results import WriteResult
from scm_lms.moodle.secret import Secret
from scm_lms.moodle.site import REQUIRED_FUNCTIONS
from scm_lms.moodle.transport import MoodleClient, RetryPolicy, UploadFile, login_token

__all__ = [
    "REQUIRED_FUNCTIONS",
    "AccessDenied",
    "BadResponse",
    "BatchTooLarge",
    "CohortMember",
    "CohortMemberRemoval",
    "CohortUpdate",
    "ConfigError",
    "CourseUpdate",
    "DuplicateKey",
    "Enrolment",
    "FunctionNotAvailable",
    "GroupMember",
    "InvalidParameter",
    "InvalidToken",
    "ItemFailure",
    "Limits",
    "MoodleClient",
    "MoodleConfig",
    "MoodleError",
    "MoodleUnavailable",
    "NewCategory",
    "NewCohort",
    "NewCourse",
    "NewEvent",
    "NewGroup",
    "NewUser",
    "NotFound",
    "OtherMoodleError",
    "RetryPolicy",
    "Secret",
    "Unenrolment",
    "UploadFile",
    "UserUpdate",
    "WriteResult",
    "calendar",
    "cohorts",
    "courses",
    "enrolments",
    "files",
    "grades",
    "load_config",
    "login_token",
    "scorm",
    "site",
    "users",
]
