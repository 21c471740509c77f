"""The module count comes from the course: a course of three or six modules is graded, decided and reported
on exactly its modules; the built-in curriculum keeps its five."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import responses

from course_package.model import Course
from scm_lms.certify.collect import assess
from scm_lms.certify.grades import course_grades
from scm_lms.certify.rules import decide
from scm_lms.ledger import Ledger
from scm_lms.programme import Certification, load_programme
from scm_lms.programme.curriculum import curriculum, module_numbers
from scm_lms.report import gather, summarise
from testkit.certify_grades import RECORDING, report
from testkit.moodle_replay import client, replaying, respond_with
from testkit.report_site import DURCHGANG, NOW, Scenario, moodle, scenario
from testkit.scorm_fixtures import sample_course

__all__ = ["moodle", "scenario"]  # fixtures

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
RULES = Certification(require_completion=False)


def course_of(count: int) -> Course:
    """The test course cut down to, or extended to, `count` modules numbered 1…count."""
    course = sample_course()
    last = course.modules[-1]
    extra = [
        last.model_copy(update={"number": n, "id": f"modul-{n}"})
        for n in range(len(course.modules) + 1, count + 1)
    ]
    return course.model_copy(update={"modules": [*course.modules, *extra][:count]})


def decided(
    grades: Mapping[int, float | None], modules: Sequence[int]
) -> tuple[bool, tuple[str, ...], list[int]]:
    graded = course_grades(report({"R-0000000001": grades}), {}, modules=modules)
    decision = decide(graded.participants[0], RULES, modules=modules)
    return decision.passed, decision.reasons, sorted(decision.percents)


def test_the_built_in_curriculum_has_five_modules() -> None:
    assert module_numbers(curriculum()) == (1, 2, 3, 4, 5)
    assert curriculum() is curriculum(), "read once per process"


def test_a_three_module_course_needs_only_its_three() -> None:
    three = module_numbers(course_of(3))
    assert three == (1, 2, 3)
    assert decided({1: 90, 2: 90, 3: 90}, three) == (True, (), [1, 2, 3])
    passed, reasons, _ = decided({1: 90, 2: 90, 3: 90}, (1, 2, 3, 4, 5))
    assert not passed and reasons == ("Modul 4: kein Ergebnis", "Modul 5: kein Ergebnis")


def test_a_six_module_course_needs_the_sixth_and_grades_its_item() -> None:
    six = module_numbers(course_of(6))
    assert six == (1, 2, 3, 4, 5, 6)
    five_graded = {m: 90.0 for m in range(1, 6)}
    assert decided(five_graded, six) == (False, ("Modul 6: kein Ergebnis",), [1, 2, 3, 4, 5, 6])
    assert decided({**five_graded, 6: 90.0}, six) == (True, (), [1, 2, 3, 4, 5, 6])
    graded = course_grades(report({"R-1": five_graded}), {}, modules=six)
    assert any(w.startswith("Modul 6: kein Bewertungsaspekt gefunden") for w in graded.warnings)
    # an item SCM-M6 is a module of this course, but of none in the built-in curriculum's five
    assert 6 in course_grades(report({"R-1": {6: 90.0}}), {}, modules=six).item_of_module
    unmapped = course_grades(report({"R-1": {6: 90.0}}), {}, modules=(1, 2, 3, 4, 5))
    assert 6 not in unmapped.item_of_module
    assert any("gehört zu keinem Modul (ID-Nummer SCM-M1…SCM-M5 fehlt" in w for w in unmapped.warnings)


def test_assess_decides_on_the_given_course_and_keeps_five_by_default() -> None:
    programme = load_programme(EXAMPLE).model_copy(
        update={"certification": Certification(require_completion=False, grade_items={1: 4})}
    )
    names = ("core_course_get_courses_by_field", RECORDING)
    with replaying(*names) as moodle_client:
        three = assess(moodle_client, programme, "2024-D2", course=course_of(3))
    with replaying(*names) as moodle_client:
        default = assess(moodle_client, programme, "2024-D2")
    assert three.modules == (1, 2, 3) and default.modules == (1, 2, 3, 4, 5)
    first = {d.idnumber: d for d in three.decisions}["SCM-2024-D2-001"]
    assert first.percents == {1: "85 %", 2: "–", 3: "–"}
    assert {d.idnumber: d for d in default.decisions}["SCM-2024-D2-001"].percents == {
        1: "85 %",
        2: "–",
        3: "–",
        4: "–",
        5: "–",
    }


def test_the_report_follows_the_course_taught(scenario: Scenario, moodle: responses.RequestsMock) -> None:
    respond_with(moodle, "/webservice/rest/server.php", scenario.site.reply)
    with Ledger.open(scenario.ledger) as ledger:
        data = gather(client(), scenario.programme, ledger, DURCHGANG, now=NOW, taught=course_of(3))
    summary = summarise(data)
    assert [module.number for module in summary.modules] == [1, 2, 3]
    assert all(sorted(outcome.percents) == [1, 2, 3] for outcome in summary.outcomes)
    assert not any("Modul 5" in reason for outcome in summary.outcomes for reason in outcome.reasons)
