"""SCORM activities and learners' tracked data (`mod_scorm_*`)."""

from __future__ import annotations

from collections.abc import Sequence

from scm_lms.moodle.models import AttemptCount, ScormsReply, ScormUserData, ScoUserData
from scm_lms.moodle.parsing import read_one
from scm_lms.moodle.transport import MoodleClient


def get_scorms(client: MoodleClient, courseids: Sequence[int]) -> ScormsReply:
    return read_one(client, ScormsReply, "mod_scorm_get_scorms_by_courses", {"courseids": list(courseids)})


def get_attempt_count(client: MoodleClient, scormid: int, userid: int) -> int:
    params = {"scormid": scormid, "userid": userid}
    return read_one(client, AttemptCount, "mod_scorm_get_scorm_attempt_count", params).attemptscount


def get_user_data(client: MoodleClient, scormid: int, attempt: int) -> list[ScoUserData]:
    """The token user's tracked CMI data of one attempt, per SCO."""
    params = {"scormid": scormid, "attempt": attempt}
    return read_one(client, ScormUserData, "mod_scorm_get_scorm_user_data", params).data
