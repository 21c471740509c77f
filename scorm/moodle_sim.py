"""What Moodle's mod_scorm makes of the values a SCO committed: status after finishing, grade, completion.

A port of the rules in moodle/moodle 4.x: the players `mod/scorm/datamodels/scorm_12.js` and `scorm_13.js`
(`StoreData` on LMSFinish/Terminate, `CollectData` on every commit), `mod/scorm/locallib.php`
(`scorm_format_interactions`, `scorm_grade_user_attempt`, `scorm_grade_user`, `scorm_get_attempt_count`),
`mod/scorm/lib.php` (`scorm_grade_item_update`) and `mod/scorm/classes/completion/custom_completion.php`.
The point is to predict Moodle, not the specification, so Moodle's quirks are kept on purpose:

- a raw score of 0 counts as "no score" for Average and Sum (PHP `empty(0.0)`);
- the status rule completes on any stored status that is ticked (bit mask 2 passed, 4 completed, 6 either), as
  Moodle 4.5's recordings show (older code wanted both values for 6);
- in 1.2 mastery override only applies in normal mode (credit) with a manifest mastery score and a raw score;
- in 2004 the player compares `cmi.scaled_passed_score` (a typo), so success_status is never set by Moodle,
  and it compares completion_threshold with progress_measure as JavaScript strings, so with neither set a
  Terminate in normal mode always stores completion_status = completed.

Tracks are `element → value` mappings whose order is the order in which Moodle first stored each element: a
later commit updates the row in place, as Moodle does, and the completion rules read rows in that order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum

from scorm.moodle_backup.scoes import Sco
from scorm.validate.parse import SCORM_12, SCORM_13

Tracks = Mapping[str, str]
"""One SCO's stored values in one attempt, in Moodle's row order."""
Attempt = Mapping[str, Tracks]
"""SCO identifier → that SCO's tracks in this attempt."""


class GradeMethod(IntEnum):
    """`scorm.grademethod`: how one attempt's SCOs become one number."""

    LEARNING_OBJECTS = 0
    HIGHEST = 1
    AVERAGE = 2
    SUM = 3


class WhatGrade(IntEnum):
    """`scorm.whatgrade`: which attempt(s) the gradebook gets."""

    HIGHEST_ATTEMPT = 0
    AVERAGE_ATTEMPTS = 1
    FIRST_ATTEMPT = 2
    LAST_COMPLETED_ATTEMPT = 3


class Completion(IntEnum):
    """Moodle's COMPLETION_* constants."""

    INCOMPLETE = 0
    COMPLETE = 1
    COMPLETE_PASS = 2
    COMPLETE_FAIL = 3


STATUS_BITS = {"passed": 2, "completed": 4}
"""`scorm_status_options()`: the bits of `completionstatusrequired`."""
STATUS_ELEMENTS = ("cmi.core.lesson_status", "cmi.completion_status", "cmi.success_status")
SCORE_ELEMENTS = ("cmi.core.score.raw", "cmi.score.raw")
_PLAYER_DEFAULTS = {
    SCORM_12: {},
    SCORM_13: {"cmi.completion_status": "unknown", "cmi.success_status": "unknown"},
}
"""What the player starts with for an element Moodle has not stored yet (`get_scorm_default`)."""
_NEVER_SENT = {
    SCORM_12: (
        "cmi.core.student_",
        "cmi.core.credit",
        "cmi.core.entry",
        "cmi.core.total_time",
        "cmi.core.lesson_mode",
        "cmi.core.session_time",
        "cmi.launch_data",
        "cmi.student_data.",
        "cmi.comments_from_lms",
    ),
    SCORM_13: (
        "cmi.completion_threshold",
        "cmi.credit",
        "cmi.entry",
        "cmi.launch_data",
        "cmi.learner_id",
        "cmi.learner_name",
        "cmi.max_time_allowed",
        "cmi.mode",
        "cmi.scaled_passing_score",
        "cmi.time_limit_action",
        "cmi.total_time",
        "cmi.comments_from_lms.",
    ),
}
"""Read-only elements (and 1.2's session_time) that `CollectData` never sends to the server."""
_KEYWORDS = ("._children", "._count", "._version")
_PHP_NUMBER = re.compile(r"[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)")
_JS_NUMBER = re.compile(r"\s*([+-]?(?:Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))")


@dataclass(frozen=True)
class Activity:
    """The settings of one SCORM activity that change the outcome (names as in the `scorm` table)."""

    version: str
    """SCORM_1.2 or SCORM_1.3, as Moodle detected it from the manifest."""
    scoes: tuple[Sco, ...]
    """The `scorm_scoes` rows in sort order (organizations included, as Moodle stores them)."""
    maxgrade: float = 100
    grademethod: GradeMethod = GradeMethod.HIGHEST
    whatgrade: WhatGrade = WhatGrade.HIGHEST_ATTEMPT
    maxattempt: int = 0
    """0 = unlimited."""
    masteryoverride: bool = True
    completionstatusrequired: int = 0
    """Bit mask of STATUS_BITS; 0 = rule off."""
    completionscorerequired: float = 0
    """Minimum raw score; 0 = rule off (Moodle treats an empty rule value as not set)."""
    completionstatusallscos: bool = False

    def __post_init__(self) -> None:
        if self.version not in (SCORM_12, SCORM_13):
            raise ValueError(f"version {self.version!r}: expected {SCORM_12!r} or {SCORM_13!r}")
        if self.completionstatusrequired & ~6:
            raise ValueError(
                f"completionstatusrequired {self.completionstatusrequired}: only the bits 2 (passed) "
                "and 4 (completed) exist"
            )
        if self.maxgrade <= 0 or self.maxattempt < 0:
            raise ValueError(f"maxgrade {self.maxgrade} must be > 0 and maxattempt {self.maxattempt} >= 0")

    def sco(self, identifier: str) -> Sco:
        for sco in self.scoes:
            if sco.identifier == identifier:
                return sco
        known = ", ".join(sco.identifier for sco in self.scoes)
        raise ValueError(f"SCO {identifier!r} is not in this activity (known: {known})")

    def check(self, attempts: Sequence[Attempt]) -> None:
        """Tracks of a SCO the activity does not have would be silently ignored; refuse them instead."""
        for number, attempt in enumerate(attempts, 1):
            for identifier in attempt:
                try:
                    self.sco(identifier)
                except ValueError as error:
                    raise ValueError(f"attempt {number}: {error}") from None


@dataclass(frozen=True)
class CompletionResult:
    """Each enabled custom rule's state, and the activity state Moodle derives from them."""

    rules: Mapping[str, Completion]
    state: Completion


# ---- the player: what is stored on commit and on finish ----


def store_commit(version: str, tracks: Tracks, values: Mapping[str, str]) -> dict[str, str]:
    """The tracks after one commit: the player sends only elements that differ from what Moodle holds."""
    stored = dict(tracks)
    defaults = _PLAYER_DEFAULTS[version]
    for element, value in values.items():
        if element.startswith(_NEVER_SENT[version]) or element.endswith(_KEYWORDS):
            continue
        if value != stored.get(element, defaults.get(element, "")):
            stored[element] = value
    return stored


def finish(activity: Activity, sco_id: str, tracks: Tracks, mode: str = "normal") -> dict[str, str]:
    """The tracks after LMSFinish/Terminate: Moodle's player rewrites the status before its last commit.

    `tracks` must hold the SCO's values at the moment it finished; `mode` is the player's lesson mode (normal,
    browse or review), and only normal mode gives credit.
    """
    data = dict(activity.sco(sco_id).data)
    if activity.version == SCORM_12:
        status = _finish_status_12(
            tracks.get("cmi.core.lesson_status", ""),
            tracks.get("cmi.core.score.raw", ""),
            data.get("masteryscore", ""),
            activity.masteryoverride and mode == "normal",
        )
        return store_commit(activity.version, tracks, {"cmi.core.lesson_status": status})
    if mode != "normal":
        return dict(tracks)
    # Both sides are strings ('' when unset) and JavaScript compares strings by code unit.
    progress, threshold = tracks.get("cmi.progress_measure", ""), data.get("threshold", "")
    completion = "completed" if progress >= threshold else "incomplete"
    return store_commit(activity.version, tracks, {"cmi.completion_status": completion})


def _finish_status_12(status: str, raw: str, masteryscore: str, override: bool) -> str:
    status = status or "not attempted"
    if status == "not attempted":
        status = "completed"
    if override and masteryscore != "" and raw != "":
        # NaN compares false in JavaScript, so an unreadable score counts as failed.
        status = "passed" if _js_float(raw) >= _js_float(masteryscore) else "failed"
    return status


# ---- the server: grades ----


def score_raw(tracks: Tracks) -> float | None:
    """The raw score as `scorm_format_interactions` reads it (two decimals); None when there is none."""
    # Rows come sorted by element name, so cmi.score.raw would win over cmi.core.score.raw.
    value = next((tracks[e] for e in reversed(SCORE_ELEMENTS) if e in tracks), None)
    return None if value is None else float(f"{_php_float(value):.2f}")


def status_of(tracks: Tracks) -> str:
    """The status the grade code sees: lesson_status, else completion_status; success_status is ignored."""
    return tracks.get("cmi.core.lesson_status", tracks.get("cmi.completion_status", ""))


def attempt_grade(activity: Activity, attempt: Attempt) -> float:
    """`scorm_grade_user_attempt`: one attempt's grade under the activity's grade method."""
    activity.check([attempt])
    done = values = 0
    total = highest = 0.0
    for sco in activity.scoes:
        tracks = attempt.get(sco.identifier)
        if not tracks:
            continue
        done += status_of(tracks) in ("completed", "passed")
        raw = score_raw(tracks)
        if raw:  # PHP empty(): a raw score of 0 is no score here
            values += 1
            total += raw
            highest = max(highest, raw)
    if activity.grademethod == GradeMethod.LEARNING_OBJECTS:
        return float(done)
    if activity.grademethod == GradeMethod.AVERAGE:
        return total / values if values else 0.0
    if activity.grademethod == GradeMethod.SUM:
        return total
    return highest


def user_grade(activity: Activity, attempts: Sequence[Attempt]) -> float | None:
    """`scorm_grade_user`: the raw grade for the gradebook; None when the learner has no tracks at all.

    `attempts[0]` is attempt 1; an attempt without tracks stays in the list so numbering is kept.
    """
    if not any(any(tracks for tracks in attempt.values()) for attempt in attempts):
        return None
    last = len(attempts)
    if activity.maxattempt and last >= activity.maxattempt:
        last = activity.maxattempt
    if activity.whatgrade == WhatGrade.FIRST_ATTEMPT:
        return attempt_grade(activity, attempts[0])
    if activity.whatgrade == WhatGrade.LAST_COMPLETED_ATTEMPT:
        return attempt_grade(activity, attempts[_last_completed_attempt(attempts) - 1])
    grades = [attempt_grade(activity, attempt) for attempt in attempts]
    if activity.whatgrade == WhatGrade.AVERAGE_ATTEMPTS:
        counted = _graded_attempts(activity, attempts)
        return float(_php_round(sum(grades) / counted)) if counted else 0.0
    return max([0.0, *grades[:last]])


def grade_max(activity: Activity) -> float:
    """`scorm_grade_item_update`: maxgrade, or the number of launchable SCOs for "learning objects"."""
    if activity.grademethod == GradeMethod.LEARNING_OBJECTS:
        return float(sum(1 for sco in activity.scoes if sco.launch))
    return activity.maxgrade


def final_grade(activity: Activity, attempts: Sequence[Attempt]) -> float | None:
    """The gradebook's grade: the raw grade bounded to 0..grademax, as the grade item stores it."""
    raw = user_grade(activity, attempts)
    return None if raw is None else min(max(raw, 0.0), grade_max(activity))


def _last_completed_attempt(attempts: Sequence[Attempt]) -> int:
    """`scorm_get_last_completed_attempt`: any element valued completed or passed counts; else attempt 1."""
    for number in range(len(attempts), 0, -1):
        values = (value for tracks in attempts[number - 1].values() for value in tracks.values())
        if any(value in ("completed", "passed") for value in values):
            return number
    return 1


def _graded_attempts(activity: Activity, attempts: Sequence[Attempt]) -> int:
    """`scorm_get_attempt_count(…, ignoremissingcompletion)`: attempts that stored the grading element."""
    if activity.version == SCORM_13:
        element = "cmi.score.raw"
    elif activity.grademethod == GradeMethod.LEARNING_OBJECTS:
        element = "cmi.core.lesson_status"
    else:
        element = "cmi.core.score.raw"
    return sum(1 for attempt in attempts if any(element in tracks for tracks in attempt.values()))


# ---- the server: activity completion ----


def completion(activity: Activity, attempts: Sequence[Attempt]) -> CompletionResult:
    """`custom_completion::get_state` for each enabled rule, then `get_overall_completion_state`.

    Rows are read attempt by attempt, SCO by SCO, each SCO's elements in stored order.
    """
    activity.check(attempts)
    rows = [
        (sco.identifier, element, value)
        for attempt in attempts
        for sco in activity.scoes
        for element, value in attempt.get(sco.identifier, {}).items()
    ]
    statuses = [(sco, value) for sco, element, value in rows if element in STATUS_ELEMENTS]
    rules: dict[str, Completion] = {}
    if activity.completionstatusrequired:
        rules["completionstatusrequired"] = _status_rule(activity.completionstatusrequired, statuses)
    if activity.completionscorerequired:
        scores = [value for _, element, value in rows if element in SCORE_ELEMENTS]
        met = any(v != "" and _php_float(v) >= activity.completionscorerequired for v in scores)
        rules["completionscorerequired"] = Completion.COMPLETE if met else Completion.INCOMPLETE
    if activity.completionstatusallscos:
        done = {sco for sco, value in statuses if value in STATUS_BITS}
        every = all(sco.identifier in done for sco in activity.scoes if sco.scormtype == "sco")
        rules["completionstatusallscos"] = Completion.COMPLETE if every else Completion.INCOMPLETE
    used = sum(1 for attempt in attempts if any(attempt.values()))
    if activity.maxattempt and used >= activity.maxattempt:
        failed = Completion.COMPLETE_FAIL
        rules = {rule: failed if state == Completion.INCOMPLETE else state for rule, state in rules.items()}
    # Only INCOMPLETE stops the activity: a rule that failed for good still leaves it "complete".
    state = Completion.INCOMPLETE if Completion.INCOMPLETE in rules.values() else Completion.COMPLETE
    return CompletionResult(rules, state)


def _status_rule(required: int, statuses: list[tuple[str, str]]) -> Completion:
    """Any stored status among the ticked ones completes the rule ("Complete or pass the activity").

    Older Moodle code compared the OR of all statuses with the mask, so ticking both boxes needed both values.
    Moodle 4.5 does not. Its recordings show a single "passed" is enough: `mod_scorm_get_scorms_by_courses`
    (completionstatusrequired 6), `mod_scorm_insert_scorm_tracks` (lesson_status passed only) and
    `core_completion_get_activities_completion_status` (rule complete: "Complete or pass the activity").
    """
    if any(STATUS_BITS.get(value, 0) & required for _, value in statuses):
        return Completion.COMPLETE
    return Completion.INCOMPLETE


# ---- the languages' number conversions ----


def _php_float(value: str) -> float:
    """PHP's string-to-float: the leading number, 0 when there is none."""
    match = _PHP_NUMBER.match(value)
    return float(match.group(1)) if match else 0.0


def _js_float(value: str) -> float:
    """JavaScript's parseFloat: the leading number, NaN when there is none."""
    match = _JS_NUMBER.match(value)
    return float(match.group(1).replace("Infinity", "inf")) if match else float("nan")


def _php_round(value: float) -> int:
    """PHP's round(): halves go away from zero."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)
