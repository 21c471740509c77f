"""What Moodle's Common Cartridge 1.1 converter makes of a choice question's scoring, checked per QTI item.

The converter (moodle/moodle `backup/cc/entity11.quiz.class.php`) reads fractions its own way, not by QTI's
response processing: a true/false item must name its answers `true`/`false` or the import stops; a
multiple-response answer counts as right only as a `varequal case="Yes"` (not under `not`) in the condition
setting SCORE to 100; any other answer takes the setvar of the last condition whose first `varequal` names
it, as 0 % or 100 %. A package can therefore be valid QTI and still import with no way to score. Findings
are errors for our builds and warnings for foreign packages (`Package.moodle`).
"""

from __future__ import annotations

from lxml import etree

from scorm.validate.context import Package, line, text_of

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MULTIPLE_CHOICE = "cc.multiple_choice.v0p1"
MULTIPLE_RESPONSE = "cc.multiple_response.v0p1"
TRUE_FALSE = "cc.true_false.v0p1"
TRUE_FALSE_IDENTS = ("true", "false")


def _q(local: str) -> str:
    return f"{{{QTI}}}{local}"


def _is_score_100(setvar: etree._Element) -> bool:
    try:
        return setvar.get("varname") == "SCORE" and float(text_of(setvar)) == 100
    except ValueError:
        return False


def _negated(varequal: etree._Element) -> bool:
    parent = varequal.getparent()
    return parent is not None and parent.tag == _q("not")


def _first_key(condition: etree._Element) -> str:
    """The first `varequal` directly under `conditionvar`: the converter keys a condition by it alone."""
    found = condition.find(f"{_q('conditionvar')}/{_q('varequal')}")
    return (found.text or "") if found is not None else ""


def _single_fraction(conditions: list[etree._Element], answer: str) -> float:
    score = ""
    for condition in conditions:
        if _first_key(condition).lower() == answer.lower():
            setvar = condition.find(_q("setvar"))
            score = (setvar.text or "") if setvar is not None else ""
    return 0.0 if score in ("", "0") else 1.0


def _keyed(conditions: list[etree._Element]) -> set[str]:
    """The answers QTI's own processing rewards: named, not negated, in a condition that raises SCORE."""
    keyed: set[str] = set()
    for condition in conditions:
        setvars = condition.findall(_q("setvar"))
        try:
            positive = any(
                s.get("varname", "SCORE") == "SCORE" and float(text_of(s)) > 0 for s in setvars
            )
        except ValueError:
            positive = False
        if positive:
            keyed |= {
                (v.text or "") for v in condition.iter(_q("varequal")) if not _negated(v)
            }
    return keyed


def check_moodle_scoring(pkg: Package, name: str, item: etree._Element, profile: str) -> None:
    if profile not in (MULTIPLE_CHOICE, MULTIPLE_RESPONSE, TRUE_FALSE):
        return
    ident = item.get("ident", "")
    where = line(item)
    labels = [label.get("ident", "") for label in item.iter(_q("response_label"))]
    conditions = item.findall(f"{_q('resprocessing')}/{_q('respcondition')}")
    if profile == TRUE_FALSE and sorted(labels) != sorted(TRUE_FALSE_IDENTS):
        pkg.moodle(
            "cc.moodle-true-false",
            f"Frage {ident}: Moodle importiert Richtig/Falsch-Fragen nur mit den Antwort-idents 'true' und "
            f"'false' (gefunden: {', '.join(repr(label) for label in labels) or 'keine'}); der Import "
            "bricht sonst mit „Unknown answer identifier“ ab.",
            name,
            where,
        )
        return
    fractions = {label: _single_fraction(conditions, label) for label in labels}
    if profile == MULTIPLE_RESPONSE:
        scoring = [c for c in conditions if any(_is_score_100(s) for s in c.findall(_q("setvar")))]
        right = [v for c in scoring for v in c.iter(_q("varequal")) if not _negated(v)]
        for varequal in right:
            if varequal.get("case") != "Yes":
                pkg.moodle(
                    "cc.moodle-mr-case",
                    f"Frage {ident}: richtige Antwort {(varequal.text or '')!r} ohne case=\"Yes\"; Moodle "
                    "zählt sie nicht als richtig und vergibt 0 %.",
                    name,
                    line(varequal),
                )
        counted = [v.text or "" for v in right if v.get("case") == "Yes"]
        for answer in counted:
            if answer in fractions:
                fractions[answer] = 1.0 / len(counted)
    zero = sorted(answer for answer in _keyed(conditions) if fractions.get(answer, 0.0) == 0.0)
    if zero or not any(fractions.values()):
        names = ", ".join(map(repr, zero))
        detail = f"die richtigen Antworten {names} bekämen" if zero else "keine Antwort bekäme"
        pkg.moodle(
            "cc.moodle-zero",
            f"Frage {ident}: {detail} nach Moodles CC-Import 0 % – so kann niemand die Frage richtig "
            "beantworten.",
            name,
            where,
        )
    merged = [
        display.get("linkrefid", "")
        for condition in conditions
        if (condition.get("continue") or "").lower() == "yes"
        for display in condition.findall(_q("displayfeedback"))
    ]
    if merged:
        pkg.report.warning(
            "cc.moodle-general-feedback",
            f"Frage {ident}: Moodle übernimmt das Feedback {', '.join(map(repr, merged))} aus "
            "Bedingungen mit continue=\"Yes\" als allgemeines Feedback, das alle Lernenden sehen.",
            name,
            where,
        )
