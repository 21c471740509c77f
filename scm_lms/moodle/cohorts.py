"""Cohorts, one per Durchgang (`core_cohort_*`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from scm_lms.moodle.inputs import CohortMember, CohortMemberRemoval, CohortUpdate, NewCohort
from scm_lms.moodle.models import Cohort, CohortMembers, CohortsReply, Reply
from scm_lms.moodle.parsing import read_many_list, read_one
from scm_lms.moodle.results import WriteResult, write_rows
from scm_lms.moodle.transport import MoodleClient
from scm_lms.moodle.verify import all_or_none, resend_is_safe

SYSTEM_CONTEXT: dict[str, Any] = {"contextlevel": "system", "instanceid": 0}


def search_cohorts(
    client: MoodleClient,
    query: str,
    *,
    context: dict[str, Any] | None = None,
    includes: Literal["parents", "self", "all"] = "all",
    limitfrom: int | None = None,
    limitnum: int | None = None,
) -> list[Cohort]:
    """Cohorts whose name or idnumber contains `query` (substring match; see `find_cohort` for exact)."""
    params: dict[str, Any] = {
        "query": query,
        "context": context or SYSTEM_CONTEXT,
        "includes": includes,
        "limitfrom": limitfrom,
        "limitnum": limitnum,
    }
    return read_one(client, CohortsReply, "core_cohort_search_cohorts", params).cohorts


def find_cohort(client: MoodleClient, idnumber: str) -> Cohort | None:
    """The cohort with exactly this idnumber, if any."""
    return next((c for c in search_cohorts(client, idnumber) if c.idnumber == idnumber), None)


def get_cohorts(client: MoodleClient, cohortids: Sequence[int]) -> list[Cohort]:
    return read_many_list(client, Cohort, "core_cohort_get_cohorts", "cohortids", list(cohortids))


def create_cohorts(client: MoodleClient, cohorts: Sequence[NewCohort]) -> WriteResult[Cohort]:
    def verify(rows: Sequence[Any]) -> Any:
        found = [find_cohort(client, row["idnumber"]) for row in rows]
        return all_or_none("core_cohort_create_cohorts", [c.model_dump() if c else None for c in found])

    return write_rows(
        client,
        "core_cohort_create_cohorts",
        "cohorts",
        cohorts,
        describe=lambda c: c.idnumber,
        verify=verify,
        model=Cohort,
    )


def update_cohorts(client: MoodleClient, updates: Sequence[CohortUpdate]) -> WriteResult[Reply]:
    return write_rows(
        client,
        "core_cohort_update_cohorts",
        "cohorts",
        updates,
        describe=lambda c: c.idnumber,
        verify=resend_is_safe,
    )


def get_cohort_members(client: MoodleClient, cohortids: Sequence[int]) -> list[CohortMembers]:
    return read_many_list(
        client, CohortMembers, "core_cohort_get_cohort_members", "cohortids", list(cohortids)
    )


def add_cohort_members(client: MoodleClient, members: Sequence[CohortMember]) -> WriteResult[Reply]:
    """Add members; unknown users/cohorts (code "2") and existing members (code "3") come back as warnings."""
    return write_rows(
        client,
        "core_cohort_add_cohort_members",
        "members",
        members,
        describe=lambda m: f"{m.user} → {m.cohort}",
        verify=resend_is_safe,
    )


def delete_cohort_members(client: MoodleClient, members: Sequence[CohortMemberRemoval]) -> WriteResult[Reply]:
    """Remove members; removing a non-member is silently accepted by Moodle."""
    return write_rows(
        client,
        "core_cohort_delete_cohort_members",
        "members",
        members,
        describe=lambda m: f"user {m.userid} → cohort {m.cohortid}",
        verify=resend_is_safe,
    )
