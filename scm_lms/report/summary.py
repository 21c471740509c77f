"""From gathered data to the report's figures: per-module funnel and score distribution, certification
outcomes and who is stuck. Pure functions over plain data, so every number is testable without Moodle.

Certification uses the certification code (`scm_lms.certify.rules.decide`) when it is installed, so the report
and `lms certify` can never disagree; otherwise the same rule is applied here: every module at or above its
pass mark (exact fractions) and, if the programme requires it, Moodle course completion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from scm_lms.programme import MODULES, Certification
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
    rule_source: str
    """Which code decided certification, said in the report."""

    @property
    def certified(self) -> int:
        return sum(outcome.certified for outcome in self.outcomes)


def percent_text(score: Fraction) -> str:
    """German percentage cut (never rounded up) to two decimals, so 79.999 % never shows as a passing 80 %."""
    value = (Decimal(score.numerator) * 100 / Decimal(score.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    return f"{value:f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def band_of(score: Fraction) -> int:
    return min(int(score * 100) // BAND, BANDS - 1)


def module_summary(data: ReportData, module: int) -> ModuleSummary:
    mark = Fraction(data.rules.pass_mark(module), 100)
    progress = [learner.modules[module] for learner in data.learners if module in learner.modules]
    bands = [0] * BANDS
    for item in progress:
        if item.score is not None:
            bands[band_of(item.score)] += 1
    activity = data.activities.get(module)
    return ModuleSummary(
        number=module,
        name=activity.name if activity else f"Modul {module}",
        pass_mark=data.rules.pass_mark(module),
        enrolled=sum(learner.in_moodle for learner in data.learners),
        started=sum(item.attempts > 0 or item.score is not None for item in progress),
        completed=sum(item.completed for item in progress),
        passed=sum(item.score is not None and item.score >= mark for item in progress),
        bands=tuple(bands),
        graded=sum(bands),
    )


Rule = Callable[[Learner, Certification], Outcome]


def own_rule(learner: Learner, rules: Certification) -> Outcome:
    """The programme's rule, for when the certification code is not installed."""
    reasons: list[str] = [] if learner.in_moodle else ["nicht im Moodle-Kurs gefunden (keine Bewertungen)"]
    percents: dict[int, str] = {}
    for module in MODULES:
        progress = learner.modules.get(module)
        if progress is None or progress.score is None:
            percents[module] = "–"
            if learner.in_moodle:
                reasons.append(f"Modul {module}: kein Ergebnis")
            continue
        percents[module] = percent_text(progress.score)
        if progress.score < Fraction(rules.pass_mark(module), 100):
            reasons.append(f"Modul {module}: {percents[module]} < {rules.pass_mark(module)} %")
    if rules.require_completion and learner.in_moodle and learner.course_completed is not True:
        reasons.append("Kursabschluss fehlt")
    return Outcome(learner.idnumber, learner.name, not reasons, tuple(reasons), percents)


def certify_rule() -> tuple[Rule, str]:
    """The certification code's rule when it is installed, else `own_rule`; with a note for the report."""
    try:
        from scm_lms.certify.grades import ModuleResult, Participant
        from scm_lms.certify.rules import decide
    except ImportError:
        return (
            own_rule,
            "aus Moodle-Noten und Bestehensgrenzen berechnet (Zertifizierungsmodul nicht installiert)",
        )

    def rule(learner: Learner, rules: Certification) -> Outcome:
        results = {m: ModuleResult(m, p.score) for m, p in learner.modules.items()}
        participant = Participant(0, learner.idnumber, learner.name, results, in_course=learner.in_moodle)
        decision = decide(participant, rules, learner.course_completed)
        return Outcome(learner.idnumber, learner.name, decision.passed, decision.reasons, decision.percents)

    return rule, "Regel von „scm-lms lms certify“"


def stuck(data: ReportData) -> list[Stuck]:
    """Who needs a nudge: admitted but not in Moodle, nothing started, or a module failed at least twice."""
    found: list[Stuck] = []
    for learner in data.learners:
        if not learner.in_moodle:
            found.append(Stuck(learner.idnumber, learner.name, "zugelassen, aber nicht im Moodle-Kurs"))
            continue
        if not any(p.attempts > 0 or p.score is not None for p in learner.modules.values()):
            found.append(Stuck(learner.idnumber, learner.name, "noch kein Modul begonnen"))
        for module, progress in sorted(learner.modules.items()):
            mark = Fraction(data.rules.pass_mark(module), 100)
            if progress.attempts >= 2 and (progress.score is None or progress.score < mark):
                reason = f"Modul {module}: {progress.attempts} Versuche, nicht bestanden"
                found.append(Stuck(learner.idnumber, learner.name, reason))
    return found


def summarise(data: ReportData, rule: tuple[Rule, str] | None = None) -> Summary:
    decide, source = rule or certify_rule()
    return Summary(
        modules=tuple(module_summary(data, module) for module in MODULES),
        outcomes=tuple(decide(learner, data.rules) for learner in data.learners),
        stuck=tuple(stuck(data)),
        rule_source=source,
    )
