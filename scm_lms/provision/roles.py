"""Which existing accounts hold a role other than the learner role in any course, read for few accounts only.

An account found by e-mail that is a trainer or manager somewhere must never be adopted (#14). Moodle 4.5
has no read-only function that lists a user's role assignments everywhere; the fewest calls that see them
are core_user_get_course_user_profiles rounds (user/externallib.php): the first round, asked from the site's
front page, returns each candidate's actively enrolled courses; each further round asks, for every candidate
at once, about one more of those courses and returns the roles held in that course's own context. Moodle keys
one call's pairs by userid, so a round holds each user once: a candidate in k courses costs k + 1 calls in
all, shared by all candidates.

What these reads cannot see (docs/durchgang-betreuen.md says so): roles given at system or category level
(e.g. a category manager), roles held in a course without an active enrolment (suspended or expired
enrolment, a role assigned without enrolling), and roles in activity or block contexts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from scm_lms.moodle import MoodleClient, enrolments
from scm_lms.moodle.models import CourseProfile


def foreign_roles(
    client: MoodleClient, userids: Collection[int], learner_role: int, front_page: int
) -> dict[int, tuple[str, ...]]:
    """Per candidate with a non-learner role: the courses (shortnames) where it holds one."""
    if not userids:
        return {}
    first = enrolments.get_course_user_profiles(client, [(u, front_page) for u in sorted(userids)])
    courses = {p.id: [c for c in p.enrolledcourses if c.id != front_page] for p in first}
    found: dict[int, list[str]] = {}
    _note(found, first, learner_role, dict.fromkeys(userids, "Startseite"))
    rounds = max((len(listed) for listed in courses.values()), default=0)
    for index in range(rounds):
        asked = {u: listed[index] for u, listed in sorted(courses.items()) if index < len(listed)}
        profiles = enrolments.get_course_user_profiles(client, [(u, c.id) for u, c in asked.items()])
        _note(found, profiles, learner_role, {u: c.shortname or str(c.id) for u, c in asked.items()})
    return {userid: tuple(dict.fromkeys(where)) for userid, where in found.items()}


def _note(
    found: dict[int, list[str]], profiles: list[CourseProfile], learner_role: int, where: Mapping[int, str]
) -> None:
    """Adds the course `where` names for each profile that holds a role other than `learner_role` there."""
    for profile in profiles:
        if profile.id in where and any(role.roleid != learner_role for role in profile.roles):
            found.setdefault(profile.id, []).append(where[profile.id])
