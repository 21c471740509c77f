"""Grade reports for certification tests, built from the real all-users recording (helpers, no tests).

The recorded course has one SCORM activity; a Durchgang course has five. Each extra module item is a copy of
the recorded activity item with its own id, cmid and idnumber (as the toolkit's template course sets them)
and the grade the test needs, so every key and type is the one Moodle 4.5 sent.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from scm_lms.moodle.models import GradeReport
from testkit.moodle_replay import load

RECORDING = "gradereport_user_get_grade_items--all-users"

Grades = Mapping[int, float | None]

MODULES = (1, 2, 3, 4, 5)
"""The built-in curriculum's module numbers (`curriculum.module_numbers`), as the tests grade them."""


def module_item(
    template: dict[str, Any], module: int, graderaw: float | None, **changes: Any
) -> dict[str, Any]:
    item = copy.deepcopy(template)
    item.update(id=100 + module, cmid=200 + module, iteminstance=300 + module, idnumber=f"SCM-M{module}")
    item.update(graderaw=graderaw, itemname=f"Modul {module} (SCORM)")
    item.update(changes)
    return item


def report_body(people: Mapping[str, Grades]) -> dict[str, Any]:
    """A reply like the recording, one user per idnumber in `people` (reusing the recorded users in turn)."""
    recorded = load(RECORDING)["response"]
    users: list[dict[str, Any]] = []
    templates = recorded["usergrades"]
    for index, (idnumber, grades) in enumerate(people.items()):
        user = copy.deepcopy(templates[index % len(templates)])
        user["userid"] = 10 + index
        user["useridnumber"] = idnumber
        activity, course = user["gradeitems"]
        items = [module_item(activity, module, raw) for module, raw in grades.items()]
        course["graderaw"] = None
        user["gradeitems"] = [*items, course]
        users.append(user)
    return {"usergrades": users, "warnings": []}


def report(people: Mapping[str, Grades]) -> GradeReport:
    return GradeReport.model_validate(report_body(people))


def all_modules(grade: float | None) -> dict[int, float | None]:
    return {module: grade for module in MODULES}
