"""Site information and the list of web-service functions the toolkit relies on."""

from __future__ import annotations

from scm_lms.moodle.errors import InvalidParameter
from scm_lms.moodle.models import SiteInfo
from scm_lms.moodle.parsing import read_one
from scm_lms.moodle.transport import MoodleClient

# Every function the toolkit calls, and no other: `scm-lms lms check` verifies each is in the token's external
# service. tests/test_moodle_required_functions.py derives the list from the code's calls and compares; the
# client functions nothing uses yet (create_courses, unenrol, groups, uploads, …) are
# not asked for. core_calendar_submit_create_update_form has no recording: its use (changing a morning's time
# of day, duration, title or description in place) is modelled on Moodle 4.5's calendar/externallib.php and
# the event edit form (calendar/classes/local/event/forms/update.php); see scm_lms/moodle/calendar.py.
REQUIRED_FUNCTIONS: tuple[str, ...] = (
    "core_webservice_get_site_info",
    "core_course_get_categories",
    "core_course_create_categories",
    "core_course_get_courses_by_field",
    "core_course_duplicate_course",
    "core_course_update_courses",
    "core_cohort_search_cohorts",
    "core_cohort_create_cohorts",
    "core_cohort_update_cohorts",
    "core_cohort_get_cohort_members",
    "core_cohort_add_cohort_members",
    "core_cohort_delete_cohort_members",
    "core_user_get_users_by_field",
    "core_user_create_users",
    "core_user_update_users",
    "core_user_get_course_user_profiles",
    "enrol_manual_enrol_users",
    "core_enrol_get_enrolled_users",
    "core_calendar_get_calendar_events",
    "core_calendar_create_calendar_events",
    "core_calendar_get_calendar_event_by_id",
    "core_calendar_update_event_start_day",
    "core_calendar_submit_create_update_form",
    "core_calendar_delete_calendar_events",
    "gradereport_user_get_grade_items",
    "core_completion_get_activities_completion_status",
    "core_completion_get_course_completion_status",
    "mod_scorm_get_scorms_by_courses",
    "mod_scorm_get_scorm_attempt_count",
)


def get_site_info(client: MoodleClient) -> SiteInfo:
    return read_one(client, SiteInfo, "core_webservice_get_site_info")


def missing_functions(info: SiteInfo, required: tuple[str, ...] = REQUIRED_FUNCTIONS) -> list[str]:
    """Required functions the token's service does not offer, in `required` order."""
    available = info.function_names
    return [name for name in required if name not in available]


LANGUAGE_PROBE = "core_get_string"
"""Read-only and validates its `lang` as PARAM_LANG, the very check core_user_create_users applies to `lang`
(lib/external/externallib.php `get_string_parameters`): an uninstalled language is refused the same way."""


def language_installed(client: MoodleClient, info: SiteInfo, lang: str) -> bool | None:
    """Whether the site accepts `lang` for new accounts; None when the service lacks the probe function."""
    if lang == "en":  # ships with Moodle and cannot be uninstalled
        return True
    if LANGUAGE_PROBE not in info.function_names:
        return True if lang == info.lang else None  # the token user's own language was installed once
    try:
        client.read(LANGUAGE_PROBE, {"stringid": "thislanguage", "component": "langconfig", "lang": lang})
    except InvalidParameter:
        return False
    return True


def language_problem(installed: bool | None, lang: str) -> str:
    """What to tell the admin about `lang` (from `language_installed`); empty when the site accepts it."""
    if installed:
        return ""
    if installed is None:
        return (
            f"Ob die Sprache „{lang}“ (moodle.lang) installiert ist, lässt sich nicht prüfen: Funktion "
            f"{LANGUAGE_PROBE} dem Dienst hinzufügen (Website-Administration › Server › Webservices › "
            "Externe Webservices)."
        )
    return (
        f"Die Sprache „{lang}“ (moodle.lang in programme.yaml) ist auf der Website nicht installiert; Moodle "
        "würde jedes neue Konto ablehnen. Sprachpaket installieren unter Website-Administration › Sprache › "
        "Sprachpakete oder moodle.lang ändern."
    )


def language_refusal(client: MoodleClient, lang: str) -> str:
    """Before any write: the German reason the site would refuse every account in `lang`, else empty."""
    info = get_site_info(client)
    installed = language_installed(client, info, lang)
    return language_problem(installed, lang) if installed is False else ""
