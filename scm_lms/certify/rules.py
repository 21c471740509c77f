"""Who is certified and why not: every module of the course at or above its pass mark, (optionally) course
completion, and at least `min_sessions` of the ten live mornings attended (excused ones only if
`excused_counts`).

Comparisons are exact (fractions), so 79.99 % fails an 80 % mark and 80 % passes it, whatever the grade
maximum. Percentages shown to people are cut, never rounded up, so a failing "80 %" cannot appear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

from scm_lms.certify.grades import Participant
from scm_lms.programme import Certification

RULE_VERSION = "2"
"""Bumped whenever the rule changes, and kept with each decision in the register. 2: the attendance rule."""


@dataclass(frozen=True)
class Attendance:
    """A person's live mornings as the ledger counts them (scm_lms.attendance.tally)."""

    present: int
    excused: int
    sessions: int

    def attended(self, excused_counts: bool) -> int:
        return self.present + (self.excused if excused_counts else 0)


@dataclass(frozen=True)
class Decision:
    idnumber: str
    userid: int
    fullname: str
    passed: bool
    reasons: tuple[str, ...]
    """German, one per unmet condition; empty when passed."""
    percents: Mapping[int, str]
    """Module → percentage as shown ("72 %"), "–" without a result."""
    completed: bool | None = None
    """Course completion; None when not required or not asked."""
    mornings: tuple[int, int] | None = None
    """(mornings that count, mornings of the Durchgang); None when attendance was not checked."""

    @property
    def explanation(self) -> str:
        return "bestanden" if self.passed else "; ".join(self.reasons)


def percent_text(score: Fraction) -> str:
    """German percentage with at most two decimals, cut towards zero: 0.79999 → "79,99 %"."""
    value = (Decimal(score.numerator) * 100 / Decimal(score.denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_DOWN
    )
    text = f"{value:f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',')} %"


def decide(
    participant: Participant,
    rules: Certification,
    completed: bool | None = None,
    attendance: Attendance | None = None,
    *,
    modules: Sequence[int],
    certifiable: bool = True,
) -> Decision:
    """Apply the programme's rule to one participant in every one of the course's `modules`
    (`curriculum.module_numbers`); `completed` is the Moodle course completion,
    `attendance` their mornings from the ledger (None: not checked, for callers without a ledger), and
    `certifiable` False for anyone not admitted to the Durchgang (a trainer's account), who never passes."""
    reasons: list[str] = []
    percents: dict[int, str] = {}
    if not participant.in_course:
        reasons.append("nicht im Moodle-Kurs gefunden (keine Bewertungen)")
    for module in modules:
        mark = rules.pass_mark(module)
        result = participant.results.get(module)
        if result is None or result.score is None:
            percents[module] = "–"
            if participant.in_course:
                reasons.append(f"Modul {module}: kein Ergebnis")
            continue
        shown = percent_text(result.score)
        percents[module] = shown
        if result.hidden:
            reasons.append(f"Modul {module}: Bewertung ist in Moodle verborgen (noch nicht freigegeben)")
        elif result.score < Fraction(mark, 100):
            reasons.append(f"Modul {module}: {shown} < {mark} %")
    if rules.require_completion and participant.in_course and completed is not True:
        reasons.append("Kursabschluss fehlt")
    mornings = None
    if attendance is not None:
        mornings = (attendance.attended(rules.excused_counts), attendance.sessions)
        if mornings[0] < rules.min_sessions:
            reasons.append(
                f"Vormittage: {mornings[0]} von {mornings[1]}, mindestens {rules.min_sessions} nötig"
            )
    if not certifiable:
        reasons.insert(
            0, "nicht in diesem Durchgang zugelassen (z. B. Trainerin oder Trainer): nie zertifiziert"
        )
    return Decision(
        idnumber=participant.idnumber,
        userid=participant.userid,
        fullname=participant.fullname,
        passed=not reasons,
        reasons=tuple(reasons),
        percents=percents,
        completed=completed,
        mornings=mornings,
    )
