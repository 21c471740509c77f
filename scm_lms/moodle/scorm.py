"""SCORM activities and learners' tracked data (`mod_scorm_*`)."""

from __future__ import annotations

from collections.abc import Sequence

from scm_lms.moodle.models import ScormsReply, ScoUserData
from scm_lms.moodle.results import parse_list
from scm_lms.moodle.transport import MoodleClient


def get_scorms(client: MoodleClient, courseids: Sequence[int]) -> ScormsReply:
    return ScormsReply.model_validate(
        client.read("mod_scorm_get_scorms_by_courses", {"courseids": list(courseids)})
    )


def get_attempt_count(client: MoodleClient, scormid: int, userid: int) -> int:
    reply = client.read("mod_scorm_get_scorm_attempt_count", {"scormid": scormid, "userid": userid})
    return int(reply["attemptscount"])


def get_user_data(client: MoodleClient, scormid: int, attempt: int) -> list[ScoUserData]:
    """The token user's tracked CMI data of one attempt, per SCO."""
    reply = client.read("mod_scorm_get_scorm_user_data", {"scormid": scormid, "attempt": attempt})
    return parse_list(ScoUserData, reply.get("data"))
