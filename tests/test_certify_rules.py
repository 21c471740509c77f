"""Decisions from grades: mapping by idnumber/cmid, the pass mark at and around 80 %, missing and hidden
grades, people without grades, completion; grade items from the real recording shape."""

from __future__ import annotations

import pytest

from scm_lms.certify.grades import MappingError, course_grades, map_items
from scm_lms.certify.rules import Decision, decide, percent_text
from scm_lms.moodle.models import GradeReport
from scm_lms.programme import Certification
from testkit.certify_grades import MODULES, all_modules, module_item, report, report_body
from testkit.moodle_replay import load

RULES = Certification(require_completion=False)


def one(
    grades: dict[int, float | None], rules: Certification = RULES, completed: bool | None = None
) -> Decision:
    graded = course_grades(report({"R-0000000001": grades}), {}, modules=MODULES)
    return decide(graded.participants[0], rules, completed, modules=MODULES)


@pytest.mark.parametrize(
    ("raw", "passed"),
    [(80, True), (80.0, True), (79.99, False), (79.99999, False), (80.00001, True), (100, True), (0, False)],
)
def test_pass_mark_is_exact_at_80_percent(raw: float, passed: bool) -> None:
    decision = one(all_modules(raw))
    assert decision.passed is passed
    if not passed:
        assert decision.reasons[0].startswith("Modul 1: ")
        assert decision.reasons[0].endswith("< 80 %")


def test_reason_names_module_percent_and_mark() -> None:
    grades = all_modules(90.0)
    grades[3] = 72
    decision = one(grades)
    assert not decision.passed
    assert decision.reasons == ("Modul 3: 72 % < 80 %",)
    assert decision.percents[3] == "72 %" and decision.percents[1] == "90 %"


def test_shown_percentage_is_cut_not_rounded_up() -> None:
    decision = one({**all_modules(95), 2: 79.999})
    assert decision.reasons == ("Modul 2: 79,99 % < 80 %",)


def test_percent_uses_grade_range_not_formatted_strings() -> None:
    body = report_body({"R-0000000001": all_modules(None)})
    items = body["usergrades"][0]["gradeitems"]
    for item in items[:5]:
        item.update(graderaw=24, grademax=30, gradeformatted="99,00", percentageformatted="99,00 %")
    items[1].update(graderaw=23.99)
    graded = course_grades(GradeReport.model_validate(body), {}, modules=MODULES)
    decision = decide(graded.participants[0], RULES, modules=MODULES)
    assert decision.percents[1] == "80 %"
    assert decision.reasons == ("Modul 2: 79,96 % < 80 %",)


def test_per_module_pass_marks_from_programme() -> None:
    rules = Certification(pass_marks={4: 60}, require_completion=False)
    decision = one({**all_modules(85), 4: 60}, rules)
    assert decision.passed
    assert one({**all_modules(85), 4: 59.99}, rules).reasons == ("Modul 4: 59,99 % < 60 %",)


def test_missing_grade_is_no_result() -> None:
    decision = one({**all_modules(90), 5: None})
    assert decision.reasons == ("Modul 5: kein Ergebnis",)
    assert decision.percents[5] == "–"


def test_missing_item_for_a_user_is_no_result() -> None:
    grades: dict[int, float | None] = {1: 90, 2: 90, 3: 90, 4: 90}
    graded = course_grades(report({"R-1": all_modules(90), "R-2": grades}), {}, modules=MODULES)
    assert [decide(p, RULES, modules=MODULES).explanation for p in graded.participants] == [
        "bestanden",
        "Modul 5: kein Ergebnis",
    ]


def test_hidden_grade_does_not_count() -> None:
    body = report_body({"R-1": all_modules(90)})
    body["usergrades"][0]["gradeitems"][2]["gradeishidden"] = True
    graded = course_grades(GradeReport.model_validate(body), {}, modules=MODULES)
    decision = decide(graded.participants[0], RULES, modules=MODULES)
    assert decision.reasons == ("Modul 3: Bewertung ist in Moodle verborgen (noch nicht freigegeben)",)


def test_completion_required() -> None:
    rules = Certification(require_completion=True)
    assert one(all_modules(90), rules, completed=False).reasons == ("Kursabschluss fehlt",)
    assert one(all_modules(90), rules, completed=True).passed
    assert one({**all_modules(90), 1: 10}, rules, completed=False).reasons == (
        "Modul 1: 10 % < 80 %",
        "Kursabschluss fehlt",
    )


def test_recorded_course_maps_only_by_configured_cmid() -> None:
    """The recorded SCORM activity has no idnumber: its name must not map it; its cmid (4) can."""
    recorded = GradeReport.model_validate(load("gradereport_user_get_grade_items--all-users")["response"])
    unmapped, warnings = map_items(recorded, {}, MODULES)
    assert unmapped == {}
    assert any("„Smart City Grundlagen (SCORM)“ gehört zu keinem Modul" in w for w in warnings)
    mapped, warnings = map_items(recorded, {1: 4}, MODULES)
    assert mapped == {1: 4}
    assert not any("Smart City Grundlagen" in w for w in warnings)
    assert "Modul 2: kein Bewertungsaspekt gefunden" in warnings[0]
    graded = course_grades(recorded, {1: 4}, modules=MODULES)
    decisions = {p.idnumber: decide(p, RULES, modules=MODULES) for p in graded.participants}
    assert decisions["SCM-2024-D2-001"].percents[1] == "85 %"
    assert decisions["SCM-2024-D2-001"].reasons[0] == "Modul 2: kein Ergebnis"
    assert decisions["SCM-2024-D2-002"].reasons[0] == "Modul 1: kein Ergebnis"


def test_display_name_never_maps_and_unmapped_items_warn() -> None:
    body = report_body({"R-1": all_modules(90)})
    template = body["usergrades"][0]["gradeitems"][0]
    extra = module_item(template, 9, 50, idnumber="", itemname="Modul 1 (SCORM)", id=999, cmid=998)
    body["usergrades"][0]["gradeitems"].insert(0, extra)
    graded = course_grades(GradeReport.model_validate(body), {}, modules=MODULES)
    assert graded.warnings == (
        "Bewertungsaspekt 999 „Modul 1 (SCORM)“ gehört zu keinem Modul (ID-Nummer SCM-M1…SCM-M5 fehlt, "
        "cmid nicht in certification.grade_items) und wird ignoriert",
    )
    assert decide(graded.participants[0], RULES, modules=MODULES).passed


def test_two_items_for_one_module_is_an_error() -> None:
    body = report_body({"R-1": all_modules(90)})
    template = body["usergrades"][0]["gradeitems"][0]
    body["usergrades"][0]["gradeitems"].insert(0, module_item(template, 2, 10, id=555, idnumber="SCM-M2"))
    with pytest.raises(MappingError, match=r"Modul 2: Bewertungsaspekte \[102, 555\]"):
        course_grades(GradeReport.model_validate(body), {}, modules=MODULES)


def test_admitted_people_without_grades_and_users_without_idnumber() -> None:
    body = report_body({"R-1": all_modules(90), "": all_modules(90)})
    graded = course_grades(GradeReport.model_validate(body), {}, expected=["R-1", "R-9"], modules=MODULES)
    assert [p.idnumber for p in graded.participants] == ["R-1", "R-9"]
    assert "Moodle-Nutzer 11 hat keine ID-Nummer" in graded.warnings[-1]
    absent = decide(graded.participants[1], Certification(), modules=MODULES)
    assert not absent.passed
    assert absent.reasons == ("nicht im Moodle-Kurs gefunden (keine Bewertungen)",)


def test_participant_without_any_grade() -> None:
    decision = one(all_modules(None))
    assert decision.reasons == tuple(f"Modul {m}: kein Ergebnis" for m in range(1, 6))


def test_percent_text() -> None:
    from fractions import Fraction

    assert percent_text(Fraction(1)) == "100 %"
    assert percent_text(Fraction(7999, 10000)) == "79,99 %"
    assert percent_text(Fraction(2, 3)) == "66,66 %"
