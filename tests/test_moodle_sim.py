"""The port of Moodle's SCORM evaluation, case by case as traced through moodle/moodle's code.

Each test names the Moodle function whose branch it pins down, so a disagreement with a real Moodle can be
traced back to one rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from scorm.moodle_backup.scoes import Sco
from scorm.moodle_sim import (
    Activity,
    Attempt,
    Completion,
    GradeMethod,
    WhatGrade,
    attempt_grade,
    completion,
    final_grade,
    finish,
    grade_max,
    score_raw,
    store_commit,
    user_grade,
)
from scorm.validate.parse import SCORM_12, SCORM_13
from testkit.moodle_replay import load

ORGANIZATION = Sco("MANIFEST", "", "/", "ORG", "", "", "Organisation")


def sco(identifier: str = "SCO", **data: str) -> Sco:
    """A launchable SCO row; `data` are its scorm_scoes_data values (masteryscore, threshold)."""
    rows = (("isvisible", "true"), ("parameters", ""), *data.items())
    return Sco("MANIFEST", "ORG", "ORG", identifier, "index.html", "sco", "Modul", rows)


def activity(version: str = SCORM_12, scoes: tuple[Sco, ...] = (sco(),), **settings: Any) -> Activity:
    return Activity(version, (ORGANIZATION, *scoes), **settings)


def one(tracks: dict[str, str], identifier: str = "SCO") -> Attempt:
    return {identifier: tracks}


# ---- scorm_12.js StoreData on LMSFinish ----


@pytest.mark.parametrize("status", ["", "not attempted"])
def test_12_finish_turns_not_attempted_into_completed(status: str) -> None:
    tracks = {"cmi.core.lesson_status": status} if status else {}
    assert finish(activity(), "SCO", tracks)["cmi.core.lesson_status"] == "completed"


def test_12_finish_keeps_the_scos_status_without_a_mastery_score() -> None:
    tracks = {"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "95"}
    assert finish(activity(), "SCO", tracks)["cmi.core.lesson_status"] == "incomplete"


@pytest.mark.parametrize(
    ("said", "raw", "stored"),
    [
        ("incomplete", "85", "passed"),
        ("passed", "70", "failed"),  # the override beats what the SCO said
        ("failed", "80", "passed"),  # >=: the mastery score itself passes
        ("incomplete", "100", "passed"),  # parseFloat, not a string comparison ("100" < "80")
        ("passed", "kaputt", "failed"),  # NaN >= 80 is false
    ],
)
def test_12_mastery_override_with_credit(said: str, raw: str, stored: str) -> None:
    tracks = {"cmi.core.lesson_status": said, "cmi.core.score.raw": raw}
    mastered = activity(scoes=(sco(masteryscore="80"),))
    assert finish(mastered, "SCO", tracks)["cmi.core.lesson_status"] == stored


def test_12_mastery_override_needs_the_setting_credit_and_a_raw_score() -> None:
    scored = {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "50"}
    mastered = (sco(masteryscore="80"),)
    without = activity(scoes=mastered, masteryoverride=False)
    assert finish(without, "SCO", scored)["cmi.core.lesson_status"] == "passed"
    for mode in ("browse", "review"):  # only normal mode gives credit
        assert finish(activity(scoes=mastered), "SCO", scored, mode)["cmi.core.lesson_status"] == "passed"
    unscored = {"cmi.core.lesson_status": "not attempted"}
    assert finish(activity(scoes=mastered), "SCO", unscored)["cmi.core.lesson_status"] == "completed"


# ---- scorm_13.js StoreData on Terminate ----


def test_2004_terminate_marks_completed_when_neither_threshold_nor_progress_is_set() -> None:
    """'' != null and '' >= '' are both true in JavaScript: an unfinished 2004 SCO is stored as completed."""
    tracks = {"cmi.completion_status": "incomplete", "cmi.exit": "suspend"}
    assert finish(activity(SCORM_13), "SCO", tracks)["cmi.completion_status"] == "completed"
    assert finish(activity(SCORM_13), "SCO", tracks, "review")["cmi.completion_status"] == "incomplete"


@pytest.mark.parametrize(
    ("threshold", "progress", "stored"),
    [
        ("0.8", "0.5", "incomplete"),
        ("0.8", "0.9", "completed"),
        ("0.8", "", "incomplete"),  # '' >= '0.8' is false
        ("1.0", "1", "incomplete"),  # compared as strings: "1" < "1.0", though equal as numbers
    ],
)
def test_2004_completion_threshold_is_a_string_comparison(threshold: str, progress: str, stored: str) -> None:
    tracks = {"cmi.completion_status": "completed", "cmi.progress_measure": progress}
    result = finish(activity(SCORM_13, (sco(threshold=threshold),)), "SCO", tracks)
    assert result["cmi.completion_status"] == stored


def test_2004_terminate_never_sets_success_status() -> None:
    """The player reads cmi.scaled_passed_score, which does not exist, so scaled_passing_score is unused."""
    tracks = {
        "cmi.completion_status": "completed",
        "cmi.success_status": "unknown",
        "cmi.score.scaled": "0.9",
    }
    assert finish(activity(SCORM_13), "SCO", tracks)["cmi.success_status"] == "unknown"
    assert "cmi.success_status" not in finish(activity(SCORM_13), "SCO", {"cmi.score.scaled": "0.9"})


def test_commits_store_only_changes_so_rows_keep_their_first_position() -> None:
    """CollectData sends what differs from Moodle's copy; success_status 'unknown' is the 2004 default."""
    first = store_commit(
        SCORM_13,
        {},
        {"cmi.completion_status": "incomplete", "cmi.success_status": "unknown", "cmi.mode": "normal"},
    )
    assert first == {"cmi.completion_status": "incomplete"}
    later = store_commit(
        SCORM_13, first, {"cmi.success_status": "passed", "cmi.completion_status": "completed"}
    )
    assert list(later.items()) == [("cmi.completion_status", "completed"), ("cmi.success_status", "passed")]
    assert (
        store_commit(SCORM_12, {}, {"cmi.core.credit": "credit", "cmi.core.session_time": "00:01:00"}) == {}
    )


# ---- locallib.php: scorm_grade_user_attempt ----


def test_score_raw_is_read_with_two_decimals_and_missing_is_none() -> None:
    assert score_raw({"cmi.core.score.raw": "85.556"}) == 85.56
    assert score_raw({"cmi.core.score.raw": "0"}) == 0.0
    assert score_raw({"cmi.core.lesson_status": "passed"}) is None


def two_scoes(raw_a: str, raw_b: str, **settings: Any) -> float:
    scoes = (sco("A"), sco("B"))
    attempt = {"A": {"cmi.core.score.raw": raw_a}, "B": {"cmi.core.score.raw": raw_b}}
    return attempt_grade(activity(SCORM_12, scoes, **settings), attempt)


def test_raw_zero_is_not_counted_in_average_or_sum() -> None:
    assert two_scoes("0", "80", grademethod=GradeMethod.AVERAGE) == 80  # not 40
    assert two_scoes("60", "80", grademethod=GradeMethod.AVERAGE) == 70
    assert two_scoes("0", "80", grademethod=GradeMethod.SUM) == 80
    assert two_scoes("0", "0", grademethod=GradeMethod.AVERAGE) == 0
    assert two_scoes("0", "80", grademethod=GradeMethod.HIGHEST) == 80


def test_learning_objects_counts_completed_and_passed_scos() -> None:
    scoes = (sco("A"), sco("B"), sco("C"), sco("D"))
    attempt = {
        "A": {"cmi.core.lesson_status": "passed"},
        "B": {"cmi.core.lesson_status": "completed"},
        "C": {"cmi.core.lesson_status": "failed"},
        "D": {"cmi.core.lesson_status": "incomplete"},
    }
    lo = activity(SCORM_12, scoes, grademethod=GradeMethod.LEARNING_OBJECTS)
    assert attempt_grade(lo, attempt) == 2
    assert grade_max(lo) == 4  # launchable rows only, the organization does not count


def test_2004_status_for_grading_is_completion_status_not_success_status() -> None:
    lo = activity(SCORM_13, grademethod=GradeMethod.LEARNING_OBJECTS)
    passed_only = one({"cmi.completion_status": "incomplete", "cmi.success_status": "passed"})
    assert attempt_grade(lo, passed_only) == 0


# ---- locallib.php: scorm_grade_user ----


def attempts_of(*raws: str) -> list[Attempt]:
    unscored = {"cmi.core.lesson_status": "incomplete"}
    return [one({"cmi.core.score.raw": raw} if raw else unscored) for raw in raws]


def test_highest_attempt_respects_the_attempt_limit() -> None:
    attempts = attempts_of("40", "90", "60")
    assert user_grade(activity(), attempts) == 90
    assert user_grade(activity(maxattempt=1), attempts) == 40


def test_first_and_last_completed_attempt() -> None:
    attempts = [
        one({"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "40"}),
        one({"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "90"}),
        one({"cmi.core.lesson_status": "incomplete", "cmi.core.score.raw": "10"}),
    ]
    assert user_grade(activity(whatgrade=WhatGrade.FIRST_ATTEMPT), attempts) == 40
    assert user_grade(activity(whatgrade=WhatGrade.LAST_COMPLETED_ATTEMPT), attempts) == 90
    nothing_done = [one({"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "30"}), *attempts[2:]]
    assert user_grade(activity(whatgrade=WhatGrade.LAST_COMPLETED_ATTEMPT), nothing_done) == 30  # attempt 1


def test_average_of_attempts_counts_only_attempts_that_stored_a_score() -> None:
    average = activity(whatgrade=WhatGrade.AVERAGE_ATTEMPTS)
    assert user_grade(average, attempts_of("40", "90", "")) == 65  # (40 + 90 + 0) / 2
    assert user_grade(average, attempts_of("0", "90")) == 45  # a stored 0 is an attempt, graded 0
    assert user_grade(average, attempts_of("40", "91")) == 66  # PHP rounds halves up
    assert user_grade(average, attempts_of("")) == 0


def test_no_tracks_means_no_grade_and_the_gradebook_bounds_the_raw_grade() -> None:
    assert user_grade(activity(), []) is None
    assert final_grade(activity(), [one({})]) is None
    assert final_grade(activity(SCORM_13), [one({"cmi.score.raw": "150"})]) == 100


# ---- classes/completion/custom_completion.php ----


def state(attempts: Sequence[Attempt], **settings: Any) -> tuple[dict[str, Completion], Completion]:
    version = settings.pop("version", SCORM_12)
    result = completion(activity(version, settings.pop("scoes", (sco(),)), **settings), attempts)
    return dict(result.rules), result.state


def test_either_ticked_status_completes_the_rule() -> None:
    """Moodle 4.5: 6 means passed OR completed (see `_status_rule` and the recordings below)."""
    passed = [one({"cmi.core.lesson_status": "passed"})]
    assert state(passed, completionstatusrequired=6) == (
        {"completionstatusrequired": Completion.COMPLETE},
        Completion.COMPLETE,
    )
    assert state([one({"cmi.core.lesson_status": "completed"})], completionstatusrequired=6)[1] == (
        Completion.COMPLETE
    )
    assert state(passed, completionstatusrequired=2)[1] == Completion.COMPLETE
    assert state(passed, completionstatusrequired=4)[1] == Completion.INCOMPLETE
    for status in ("failed", "incomplete", "browsed"):
        assert state([one({"cmi.core.lesson_status": status})], completionstatusrequired=6)[1] == (
            Completion.INCOMPLETE
        )


def test_2004_success_status_counts_for_passed_and_completion_status_for_completed() -> None:
    completed_failed = [one({"cmi.completion_status": "completed", "cmi.success_status": "failed"})]
    assert state(completed_failed, version=SCORM_13, completionstatusrequired=2)[1] == Completion.INCOMPLETE
    assert state(completed_failed, version=SCORM_13, completionstatusrequired=4)[1] == Completion.COMPLETE
    completed_passed = [one({"cmi.completion_status": "completed", "cmi.success_status": "passed"})]
    assert state(completed_passed, version=SCORM_13, completionstatusrequired=2)[1] == Completion.COMPLETE


def test_port_agrees_with_the_recorded_moodle_45_completion() -> None:
    """The recorded tracks and settings give exactly the rule states Moodle 4.5 reported."""
    settings = load("mod_scorm_get_scorms_by_courses")["response"]["scorms"][0]
    request = load("mod_scorm_insert_scorm_tracks")["request"]
    fields = dict(request)
    tracks = {
        fields[f"tracks[{i}][element]"]: fields[f"tracks[{i}][value]"]
        for i in range(sum(1 for key, _ in request if key.endswith("[element]")))
    }
    recorded = load("core_completion_get_activities_completion_status")["response"]["statuses"][0]
    rules, overall = state(
        [one(tracks)],
        completionstatusrequired=settings["completionstatusrequired"],
        completionscorerequired=settings["completionscorerequired"],
    )
    assert {rule: int(value) for rule, value in rules.items()} == {
        detail["rulename"]: detail["rulevalue"]["status"] for detail in recorded["details"]
    }
    assert int(overall) == recorded["state"] == 1


def test_minimum_score_compares_raw_scores_of_every_attempt() -> None:
    assert state(attempts_of("85", "40"), completionscorerequired=80)[1] == Completion.COMPLETE
    assert state(attempts_of("79.99"), completionscorerequired=80)[1] == Completion.INCOMPLETE
    assert state(attempts_of("80"), completionscorerequired=80)[1] == Completion.COMPLETE
    assert state(attempts_of("0"), completionscorerequired=0) == ({}, Completion.COMPLETE)  # 0 = rule off


def test_all_scos_need_a_completed_or_passed_row() -> None:
    scoes = (sco("A"), sco("B"))
    half = [{"A": {"cmi.core.lesson_status": "passed"}, "B": {"cmi.core.lesson_status": "incomplete"}}]
    full = [{"A": {"cmi.core.lesson_status": "passed"}, "B": {"cmi.core.lesson_status": "completed"}}]
    assert state(half, scoes=scoes, completionstatusallscos=True)[1] == Completion.INCOMPLETE
    assert state(full, scoes=scoes, completionstatusallscos=True)[1] == Completion.COMPLETE


def test_every_rule_must_hold_and_running_out_of_attempts_fails_a_rule() -> None:
    failed = [one({"cmi.core.lesson_status": "failed", "cmi.core.score.raw": "50"})]
    rules, overall = state(failed, completionstatusrequired=2, completionscorerequired=80)
    assert overall == Completion.INCOMPLETE and set(rules.values()) == {Completion.INCOMPLETE}
    rules, overall = state(failed, completionstatusrequired=2, completionscorerequired=80, maxattempt=1)
    assert set(rules.values()) == {Completion.COMPLETE_FAIL}
    # get_overall_completion_state only stops at INCOMPLETE, so failed rules leave the activity "complete".
    assert overall == Completion.COMPLETE


def test_bad_input_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="attempt 1: SCO 'FREMD' is not in this activity"):
        completion(activity(), [one({"cmi.core.lesson_status": "passed"}, "FREMD")])
    with pytest.raises(ValueError, match="only the bits 2"):
        activity(completionstatusrequired=1)
    with pytest.raises(ValueError, match=r"expected 'SCORM_1\.2'"):
        activity("SCORM_2004")
