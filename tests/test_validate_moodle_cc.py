"""`scm-lms validate` on cartridges whose quiz is valid QTI but breaks in Moodle's CC 1.1 converter: small
hostile assessments put into one of our cartridges (ours: errors) and into the same cartridge with a foreign
manifest identifier (someone else's: warnings), each finding naming the item and its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm.manifest import PackageFiles
from scorm.validate import Finding, validate_path
from testkit.package_edits import edit_manifest, files_cc, write

QUIZ = "SCM-M1-QTI/assessment.xml"
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2">
<assessment ident="T" title="Test">
<qtimetadata><qtimetadatafield><fieldlabel>cc_profile</fieldlabel><fieldentry>cc.exam.v0p1</fieldentry>
</qtimetadatafield></qtimetadata>
<section ident="S">
"""
ITEM_LINE = HEAD.count("\n") + 1
TAIL = "</section>\n</assessment>\n</questestinterop>\n"


def item(ident: str, profile: str, labels: list[str], processing: str) -> str:
    cardinality = "Multiple" if profile == "cc.multiple_response.v0p1" else "Single"
    choices = "".join(
        f'<response_label ident="{label}"><material><mattext>{label}</mattext></material></response_label>'
        for label in labels
    )
    return (
        f'<item ident="{ident}" title="{ident}">\n'
        "<itemmetadata><qtimetadata><qtimetadatafield><fieldlabel>cc_profile</fieldlabel>"
        f"<fieldentry>{profile}</fieldentry></qtimetadatafield></qtimetadata></itemmetadata>\n"
        f'<presentation><material><mattext>Frage</mattext></material><response_lid ident="r" '
        f'rcardinality="{cardinality}"><render_choice>{choices}</render_choice></response_lid></presentation>\n'
        '<resprocessing><outcomes><decvar varname="SCORE" vartype="Decimal" minvalue="0" maxvalue="100"/>'
        f"</outcomes>\n{processing}</resprocessing>\n</item>\n"
    )


def condition(body: str, score: str | None = None, cont: str = "No") -> str:
    setvar = f'<setvar varname="SCORE" action="Set">{score}</setvar>' if score is not None else ""
    return f'<respcondition continue="{cont}"><conditionvar>{body}</conditionvar>{setvar}</respcondition>\n'


def eq(answer: str, case: bool = True) -> str:
    attribute = ' case="Yes"' if case else ""
    return f'<varequal respident="r"{attribute}>{answer}</varequal>'


def cartridge(tmp_path: Path, items: str, foreign: bool = False) -> Path:
    files: PackageFiles = {**files_cc(), QUIZ: (HEAD + items + TAIL).encode()}
    if foreign:
        files = edit_manifest(files, 'identifier="SCM-M1-MANIFEST"', 'identifier="fremder-verlag-kurs"')
    return write(tmp_path, files, "paket.imscc")


def moodle_findings(path: Path) -> list[Finding]:
    return [f for f in validate_path(path).findings if f.code.startswith("cc.moodle-")]


TF_WRONG_IDENTS = item("q-tf", "cc.true_false.v0p1", ["q-wahr", "q-falsch"], condition(eq("q-wahr"), "100"))
MR_NO_CASE = item(
    "q-mr",
    "cc.multiple_response.v0p1",
    ["a", "b", "c"],
    condition(f"<and>{eq('a', False)}{eq('b', False)}<not>{eq('c', False)}</not></and>", "100"),
)
MC_KEY_RESET = item(  # the right answer's later feedback-only condition resets its score in Moodle
    "q-mc",
    "cc.multiple_choice.v0p1",
    ["a", "b", "c"],
    condition(eq("a"), "100", cont="Yes") + condition(eq("a")) + condition(eq("b")) + condition(eq("c")),
)


@pytest.mark.parametrize("foreign", [False, True], ids=["ours", "fremd"])
def test_true_false_with_other_idents(tmp_path: Path, foreign: bool) -> None:
    path = cartridge(tmp_path, TF_WRONG_IDENTS, foreign)
    assert validate_path(path).valid is foreign, "a foreign cartridge may target another LMS"
    (finding,) = moodle_findings(path)
    assert finding.code == "cc.moodle-true-false" and finding.level == ("warning" if foreign else "error")
    assert finding.file == QUIZ and finding.line == ITEM_LINE
    assert "Frage q-tf" in finding.message and "'q-wahr', 'q-falsch'" in finding.message
    assert "'true' und 'false'" in finding.message


@pytest.mark.parametrize("foreign", [False, True], ids=["ours", "fremd"])
def test_multiple_response_right_answers_without_case(tmp_path: Path, foreign: bool) -> None:
    findings = moodle_findings(cartridge(tmp_path, MR_NO_CASE, foreign))
    level = "warning" if foreign else "error"
    case = [f for f in findings if f.code == "cc.moodle-mr-case"]
    assert [f.message.split(":")[0] for f in case] == ["Frage q-mr", "Frage q-mr"]
    assert {f.level for f in case} == {level} and all(f.line == ITEM_LINE + 4 for f in case)
    assert "'a' ohne case=\"Yes\"" in case[0].message and "'b'" in case[1].message
    (zero,) = [f for f in findings if f.code == "cc.moodle-zero"]
    assert zero.level == level and zero.line == ITEM_LINE and "'a', 'b'" in zero.message


def test_keyed_answer_reset_by_a_later_condition(tmp_path: Path) -> None:
    findings = moodle_findings(cartridge(tmp_path, MC_KEY_RESET))
    (zero,) = [f for f in findings if f.code == "cc.moodle-zero"]
    assert zero.level == "error" and "Frage q-mc" in zero.message and "'a'" in zero.message
    assert not [f for f in findings if f.code == "cc.moodle-general-feedback"], "no feedback to merge"


def test_feedback_in_continuing_conditions_is_named(tmp_path: Path) -> None:
    processing = (
        condition(eq("a"), "100")
        + '<respcondition continue="Yes"><conditionvar>'
        + eq("b")
        + '</conditionvar><displayfeedback feedbacktype="Response" linkrefid="fb"/></respcondition>\n'
    )
    feedback = (
        '<itemfeedback ident="fb"><flow_mat><material><mattext>x</mattext></material></flow_mat>'
        "</itemfeedback>"
    )
    body = item("q-fb", "cc.multiple_choice.v0p1", ["a", "b", "c"], processing).replace(
        "</item>", feedback + "</item>"
    )
    (finding,) = moodle_findings(cartridge(tmp_path, body))
    assert finding.code == "cc.moodle-general-feedback" and finding.level == "warning"
    assert "'fb'" in finding.message


def test_importable_items_give_no_finding(tmp_path: Path) -> None:
    true_false = condition(eq("true"), "100") + condition(eq("false"))
    multiple = condition(f"<and>{eq('a')}<not>{eq('b')}</not></and>", "100")
    single = condition(eq("b"), "100") + condition(eq("a"))
    good = (
        item("t", "cc.true_false.v0p1", ["true", "false"], true_false)
        + item("m", "cc.multiple_response.v0p1", ["a", "b"], multiple)
        + item("c", "cc.multiple_choice.v0p1", ["a", "b", "c"], single)
    )
    assert moodle_findings(cartridge(tmp_path, good)) == []


def test_our_built_cartridge_has_no_moodle_finding(tmp_path: Path) -> None:
    report = validate_path(write(tmp_path, files_cc(), "paket.imscc"))
    assert report.valid and report.findings == []
