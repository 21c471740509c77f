"""Checks for CC-profile QTI 1.2.1 assessments: what Moodle's importer maps to quiz questions, plus the
CC 1.1 QTI profile's structural rules for choice questions (cardinality, label counts, resolving references).
"""

from __future__ import annotations

from lxml import etree

from scorm.validate.context import Package, line, text_of
from scorm.validate.moodle_qti_rules import check_moodle_scoring
from scorm.validate.parse import ManifestError, parse_safe

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MULTIPLE_CHOICE = "cc.multiple_choice.v0p1"
MULTIPLE_RESPONSE = "cc.multiple_response.v0p1"
TRUE_FALSE = "cc.true_false.v0p1"
QTI_PROFILES = {
    MULTIPLE_CHOICE,
    MULTIPLE_RESPONSE,
    TRUE_FALSE,
    "cc.fib.v0p1",
    "cc.pattern_match.v0p1",
    "cc.essay.v0p1",
}
CHOICE_RULES = {
    # profile: (rcardinality, label counts allowed, profile rule wording)
    MULTIPLE_CHOICE: ("Single", range(3, 1000), "mindestens drei Antworten"),
    MULTIPLE_RESPONSE: ("Multiple", range(2, 1000), "mindestens zwei Antworten"),
    TRUE_FALSE: ("Single", range(2, 3), "genau zwei Antworten"),
}


def _q(local: str) -> str:
    return f"{{{QTI}}}{local}"


def check_qti_file(pkg: Package, name: str) -> None:
    data = pkg.archive.entries.get(name)
    if data is None:
        return
    try:
        root = parse_safe(data, "QTI-Datei")
    except ManifestError as error:
        pkg.report.error(error.code, str(error), name, error.line)
        return
    if root.tag != _q("questestinterop"):
        pkg.report.error(
            "cc.qti", f"Wurzelelement muss questestinterop im Namensraum {QTI} sein.", name, line(root)
        )
        return
    seen: set[str] = set()
    for item in root.iter(_q("item")):
        ident = item.get("ident", "")
        if ident in seen:
            pkg.report.error("cc.qti-ident", f"Frage-ident {ident!r} kommt mehrfach vor.", name, line(item))
        seen.add(ident)
        _check_item(pkg, name, item)


def _check_item(pkg: Package, name: str, item: etree._Element) -> None:
    ident = item.get("ident")
    where = line(item)
    profiles = [
        text_of(field.find(_q("fieldentry")))
        for field in item.iter(_q("qtimetadatafield"))
        if text_of(field.find(_q("fieldlabel"))) == "cc_profile"
    ]
    profile = profiles[0] if len(profiles) == 1 else ""
    if profile not in QTI_PROFILES:
        pkg.report.error(
            "cc.qti-profile",
            f"Frage {ident}: cc_profile {profile!r} kann Moodle nicht importieren.",
            name,
            where,
        )
    feedback_ids = {fb.get("ident") for fb in item.iter(_q("itemfeedback"))}
    for display in item.iter(_q("displayfeedback")):
        if display.get("linkrefid") not in feedback_ids:
            pkg.report.error(
                "cc.qti-feedback",
                f"Feedback {display.get('linkrefid')!r} ist nicht definiert.",
                name,
                line(display),
            )
    if profile in QTI_PROFILES - {"cc.essay.v0p1"} and item.find(f".//{_q('setvar')}") is None:
        pkg.report.error("cc.qti-scoring", f"Frage {ident} vergibt nie Punkte (kein setvar).", name, where)
    if profile in CHOICE_RULES:
        _check_choice(pkg, name, item, profile)
    check_moodle_scoring(pkg, name, item, profile)


def _check_choice(pkg: Package, name: str, item: etree._Element, profile: str) -> None:
    cardinality, counts, wording = CHOICE_RULES[profile]
    ident = item.get("ident")
    where = line(item)
    response = item.find(f".//{_q('response_lid')}")
    if response is None or response.get("rcardinality") != cardinality:
        pkg.report.error(
            "cc.qti-structure",
            f"Frage {ident}: {profile} braucht response_lid mit rcardinality={cardinality}.",
            name,
            where,
        )
        return
    labels = {label.get("ident") for label in response.iter(_q("response_label"))}
    if len(labels) not in counts:
        pkg.report.warning(
            "cc.qti-structure",
            f"Frage {ident}: das CC-QTI-Profil verlangt für {profile} {wording}, gefunden {len(labels)}.",
            name,
            where,
        )
    for condition in item.iter(_q("varequal")):
        if (
            condition.get("respident") != response.get("ident")
            or (condition.text or "").strip() not in labels
        ):
            pkg.report.error(
                "cc.qti-structure",
                f"Frage {ident}: Bedingung verweist auf unbekannte Antwort "
                f"{(condition.text or '').strip()!r}.",
                name,
                line(condition),
            )
