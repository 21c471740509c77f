"""Which Moodle grade item is which module, and each participant's raw result per module.

Items are matched by a stable key only: the activity idnumber `SCM-M<n>` (n one of the course's module
numbers, `curriculum.module_numbers`) that the toolkit's template course sets, or else a course-module id
(cmid) listed in programme.yaml. Display names are never used, because a trainer may rename an activity at
any time. Grades are exact fractions of `graderaw` within `grademin`…`grademax`, never Moodle's
locale-formatted strings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from scm_base.errors import ToolkitError
from scm_lms.moodle.models import GradeItem, GradeReport, UserGrades

MODULE_IDNUMBER = re.compile(r"^SCM-M([1-9])$")


class MappingError(ToolkitError, ValueError):
    """The course's grade items cannot be mapped to modules unambiguously; the message says how to fix it."""


@dataclass(frozen=True)
class ModuleResult:
    """One participant's grade in one module; `score` is a fraction 0…1, None when there is no grade."""

    module: int
    score: Fraction | None
    hidden: bool = False


@dataclass(frozen=True)
class Participant:
    userid: int
    idnumber: str
    """Moodle idnumber = pseudonymous registration id; the only key certification uses."""
    fullname: str
    results: Mapping[int, ModuleResult]
    in_course: bool = True


@dataclass(frozen=True)
class CourseGrades:
    participants: tuple[Participant, ...]
    item_of_module: Mapping[int, int]
    """Module → grade item id, for explanations."""
    warnings: tuple[str, ...] = field(default=())
    modules: tuple[int, ...] = ()
    """The course's module numbers the grades were matched to (what a decision requires)."""


def module_of(item: GradeItem, cmids: Mapping[int, int], modules: Sequence[int]) -> int | None:
    """The module (one of the course's `modules`) an activity item belongs to: idnumber first, then the
    configured cmid."""
    match = MODULE_IDNUMBER.match((item.idnumber or "").strip())
    if match and int(match.group(1)) in modules:
        return int(match.group(1))
    for module, cmid in cmids.items():
        if item.cmid is not None and item.cmid == cmid:
            return module
    return None


def _exact(value: float | None) -> Fraction | None:
    """Moodle sends decimals as JSON numbers; going through their shortest repr keeps 79.99 exactly 79.99."""
    return None if value is None else Fraction(Decimal(repr(value)))


def score(item: GradeItem) -> Fraction | None:
    raw, low, high = _exact(item.graderaw), _exact(item.grademin) or Fraction(0), _exact(item.grademax)
    if raw is None or high is None or high <= low:
        return None
    return (raw - low) / (high - low)


def map_items(
    report: GradeReport, cmids: Mapping[int, int], modules: Sequence[int]
) -> tuple[dict[int, int], list[str]]:
    """Module → grade item id, and warnings for activity items that belong to none of the course's `modules`
    and for modules without an item."""
    found: dict[int, set[int]] = {}
    unmapped: dict[int, str] = {}
    for user in report.usergrades:
        for item in user.gradeitems:
            if item.itemtype in ("course", "category"):
                continue
            module = module_of(item, cmids, modules)
            if module is None:
                unmapped[item.id] = item.itemname or f"Bewertungsaspekt {item.id}"
            else:
                found.setdefault(module, set()).add(item.id)
    doubles = [
        f"Modul {m}: Bewertungsaspekte {sorted(ids)}" for m, ids in sorted(found.items()) if len(ids) > 1
    ]
    if doubles:
        raise MappingError(
            "mehrere Bewertungsaspekte gehören zum selben Modul ("
            + "; ".join(doubles)
            + "). Die ID-Nummer SCM-M<n> darf je Modul nur einmal vergeben sein; bitte in Moodle korrigieren."
        )
    span = f"SCM-M{modules[0]}…SCM-M{modules[-1]}" if modules else "SCM-M<n>"
    warnings = [
        f"Bewertungsaspekt {item_id} „{name}“ gehört zu keinem Modul (ID-Nummer {span} fehlt, "
        "cmid nicht in certification.grade_items) und wird ignoriert"
        for item_id, name in sorted(unmapped.items())
    ]
    for module in modules:
        if module not in found:
            warnings.append(
                f"Modul {module}: kein Bewertungsaspekt gefunden – ID-Nummer SCM-M{module} in Moodle setzen "
                f"oder certification.grade_items.{module} (cmid) in programme.yaml eintragen"
            )
    return {module: next(iter(ids)) for module, ids in found.items()}, warnings


def _participant(user: UserGrades, item_of_module: Mapping[int, int]) -> Participant:
    by_id = {item.id: item for item in user.gradeitems}
    results: dict[int, ModuleResult] = {}
    for module, item_id in item_of_module.items():
        item = by_id.get(item_id)
        if item is not None:
            results[module] = ModuleResult(module, score(item), hidden=item.gradeishidden)
    return Participant(user.userid, user.useridnumber.strip(), user.userfullname, results)


def course_grades(
    report: GradeReport, cmids: Mapping[int, int], expected: Sequence[str] = (), *, modules: Sequence[int]
) -> CourseGrades:
    """Everyone in the report, plus `expected` idnumbers (admitted people) that Moodle did not list, graded
    in the course's `modules`."""
    item_of_module, warnings = map_items(report, cmids, modules)
    participants: list[Participant] = []
    for user in report.usergrades:
        if not user.useridnumber.strip():
            warnings.append(
                f"Moodle-Nutzer {user.userid} hat keine ID-Nummer (Registrierungs-ID) und wird übergangen"
            )
            continue
        participants.append(_participant(user, item_of_module))
    listed = {participant.idnumber for participant in participants}
    for idnumber in expected:
        if idnumber not in listed:
            participants.append(Participant(0, idnumber, "", {}, in_course=False))
    participants.sort(key=lambda p: p.idnumber)
    return CourseGrades(tuple(participants), item_of_module, tuple(warnings), tuple(modules))
