"""From gathered data to the report's figures: per-module funnel and score distribution, certification
outcomes and who is stuck. Pure functions over plain data, so every number is testable without Moodle.

Certification outcomes come from the certification rule itself (`certify.rules.decide`), so the report and
`lms certify` can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from scm_lms.certify.rules import Attendance, decide
from scm_lms.report.gather import Learner, ReportData

BAND = 10
"""Width of a score band in percent; the last band includes 100 %."""
BANDS = 100 // BAND


@dataclass(frozen=True)
class ModuleSummary:
    number: int
    name: str
    pass_mark: int
    enrolled: int
    started: int
    completed: int
    passed: int
    bands: tuple[int, ...]
    """Learners per score band 0–9 %, 10–19 %, …, 90–100 %."""
    graded: int

    @property
    def heading(self) -> str:
        """'Modul 1: …', without doubling the prefix the template's activity names already carry."""
        prefix = f"Modul {self.number}"
        if re.match(rf"{prefix}(?!\d)", self.name):
            return self.name
        return f"{prefix}: {self.name}"

    @staticmethod
    def band_label(index: int) -> str:
        high = 100 if index == BANDS - 1 else (index + 1) * BAND - 1
        return f"{index * BAND}–{high} %"


@dataclass(frozen=True)
class Outcome:
    idnumber: str
    name: str
    certified: bool
    reasons: tuple[str, ...]
    percents: Mapping[int, str]
    mornings: int = 0
    """Live mornings that count towards the certificate."""


@dataclass(frozen=True)
class Morning:
    """One live morning: how many admitted participants were marked how."""

    number: int
    label: str
    present: int
    excused: int
    absent: int
    open: int
    """Nobody recorded anything for them yet (e.g. a morning still to come)."""


@dataclass(frozen=True)
class Stuck:
    idnumber: str
    name: str
    reason: str


@dataclass(frozen=True)
class Summary:
    modules: tuple[ModuleSummary, ...]
    outcomes: tuple[Outcome, ...]
    stuck: tuple[Stuck, ...]
    mornings: tuple[Morning, ...] = ()

    @property
    def certified(self) -> int:
        return sum(outcome.certified for outcome in self.outcomes)


def band_of(score: Fraction) -> int:
    return min(int(score * 100) // BAND, BANDS - 1)


def score(learner: Learner, module: int) -> Fraction | None:
    result = learner.participant.results.get(module)
    return None if result is None else result.score


def started(learner: Learner, module: int) -> bool:
    return learner.attempts.get(module, 0) > 0 or score(learner, module) is not None


def module_summary(data: ReportData, module: int) -> ModuleSummary:
    mark = Fraction(data.rules.pass_mark(module), 100)
    present = [learner for learner in data.learners if learner.participant.in_course]
    scores = [value for value in (score(learner, module) for learner in present) if value is not None]
    bands = [0] * BANDS
    for value in scores:
        bands[band_of(value)] += 1
    activity = data.activities.get(module)
    return ModuleSummary(
        number=module,
        name=activity.name if activity else f"Modul {module}",
        pass_mark=data.rules.pass_mark(module),
        enrolled=len(present),
        started=sum(started(learner, module) for learner in present),
        completed=sum(module in learner.completed for learner in present),
        passed=sum(value >= mark for value in scores),
        bands=tuple(bands),
        graded=len(scores),
    )


def outcome(learner: Learner, data: ReportData) -> Outcome:
    """As `lms certify` decides: only admitted participants (they have an attendance tally) can pass."""
    attendance = learner.attendance or Attendance(0, 0, len(data.sessions))
    decision = decide(
        learner.participant,
        data.rules,
        learner.course_completed,
        attendance,
        modules=data.modules,
        certifiable=learner.attendance is not None,
    )
    mornings = decision.mornings[0] if decision.mornings else 0
    return Outcome(
        learner.idnumber, learner.name, decision.passed, decision.reasons, decision.percents, mornings
    )


def stuck(data: ReportData) -> list[Stuck]:
    """Who needs a nudge: admitted but not in Moodle, nothing started, or a module failed at least twice."""
    found: list[Stuck] = []
    for learner in data.learners:
        if not learner.participant.in_course:
            found.append(Stuck(learner.idnumber, learner.name, "zugelassen, aber nicht im Moodle-Kurs"))
            continue
        if not any(started(learner, module) for module in data.modules):
            found.append(Stuck(learner.idnumber, learner.name, "noch kein Modul begonnen"))
        for module, attempts in sorted(learner.attempts.items()):
            value = score(learner, module)
            if attempts >= 2 and (value is None or value < Fraction(data.rules.pass_mark(module), 100)):
                reason = f"Modul {module}: {attempts} Versuche, nicht bestanden"
                found.append(Stuck(learner.idnumber, learner.name, reason))
    return found


def mornings(data: ReportData) -> tuple[Morning, ...]:
    admitted = [learner.idnumber for learner in data.learners if learner.attendance is not None]
    result = []
    for session in data.sessions:
        statuses = [data.marks.get((session.number, reg_id)) for reg_id in admitted]
        result.append(
            Morning(
                session.number,
                session.label_de(),
                statuses.count("present"),
                statuses.count("excused"),
                statuses.count("absent"),
                statuses.count(None),
            )
        )
    return tuple(result)


def summarise(data: ReportData) -> Summary:
    return Summary(
        modules=tuple(module_summary(data, module) for module in data.modules),
        outcomes=tuple(outcome(learner, data) for learner in data.learners),
        stuck=tuple(stuck(data)),
        mornings=mornings(data),
    )
