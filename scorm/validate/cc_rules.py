"""IMS Common Cartridge 1.1 rules. No CC XSDs are obtainable offline, so the profile is checked structurally:
what Moodle's importer needs (namespace sniffing, root organization, known resource types, CC-profile QTI).
"""

from __future__ import annotations

import re

from lxml import etree

from scorm.validate.context import MANIFEST, Package, Rule, line, text_of
from scorm.validate.parse import IMSCC_11, ManifestError, moodle_sees_cc11, parse_safe

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
RESOURCE_TYPES = {
    "webcontent",
    "imswl_xmlv1p1",
    "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
    "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
    "imsdt_xmlv1p1",
    "imsbasiclti_xmlv1p0",
    "associatedcontent/imscc_xmlv1p1/learning-application-resource",
}
QTI_PROFILES = {
    "cc.multiple_choice.v0p1",
    "cc.multiple_response.v0p1",
    "cc.true_false.v0p1",
    "cc.fib.v0p1",
    "cc.pattern_match.v0p1",
    "cc.essay.v0p1",
}
_SCRIPT = re.compile(rb"<script\b|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def check_cc_header(pkg: Package) -> None:
    if pkg.kind != IMSCC_11:
        pkg.report.error(
            "cc.version",
            "Nur IMS Common Cartridge 1.1 wird von Moodle importiert "
            f"(Namensraum {etree.QName(pkg.root).namespace}).",
            MANIFEST,
            line(pkg.root),
        )
    elif not moodle_sees_cc11(pkg.raw):
        pkg.report.error(
            "cc.namespace",
            "Der CC-1.1-Namensraum muss als Default-Namensraum in den ersten 500 "
            "Bytes des Manifests stehen, sonst erkennt Moodle das Paket nicht.",
            MANIFEST,
            1,
        )
    metadata = pkg.root.find(pkg.q("metadata"))
    schema = text_of(metadata.find(pkg.q("schema")) if metadata is not None else None)
    version = text_of(metadata.find(pkg.q("schemaversion")) if metadata is not None else None)
    if schema != "IMS Common Cartridge" or version != "1.1.0":
        pkg.report.error(
            "cc.metadata",
            f"schema/schemaversion sind {schema!r}/{version!r}; erwartet 'IMS Common Cartridge'/'1.1.0'.",
            MANIFEST,
            line(metadata) if metadata is not None else None,
        )


def check_cc_organization(pkg: Package) -> None:
    orgs = pkg.elements("organization")
    if len(orgs) > 1:
        pkg.report.error(
            "cc.organization", f"{len(orgs)} Organisationen; CC erlaubt höchstens eine.", MANIFEST
        )
    for org in orgs:
        if org.get("structure") != "rootorganization":
            pkg.report.error(
                "cc.organization", "organization@structure muss 'rootorganization' sein.", MANIFEST, line(org)
            )
        roots = org.findall(pkg.q("item"))
        if len(roots) != 1 or roots[0].get("identifierref"):
            pkg.report.error(
                "cc.root-item",
                "Die Organisation braucht genau einen Wurzeleintrag ohne identifierref.",
                MANIFEST,
                line(org),
            )
    for item in pkg.elements("item"):
        reference = item.get("identifierref")
        if reference and reference not in pkg.resources:
            pkg.report.error(
                "item.identifierref",
                f"identifierref {reference!r} verweist auf keine Ressource.",
                MANIFEST,
                line(item),
            )


def check_cc_resources(pkg: Package) -> None:
    for identifier, resource in pkg.resources.items():
        kind = resource.get("type", "")
        where = line(resource)
        if kind not in RESOURCE_TYPES:
            pkg.report.error(
                "cc.resource-type",
                f"Ressource {identifier}: Typ {kind!r} gibt es in CC 1.1 nicht.",
                MANIFEST,
                where,
            )
        if resource.find(pkg.q("file")) is None:
            pkg.report.error(
                "cc.resource-file", f"Ressource {identifier} nennt keine Datei.", MANIFEST, where
            )
        for dependency in resource.iter(pkg.q("dependency")):
            if dependency.get("identifierref") not in pkg.resources:
                pkg.report.error(
                    "cc.dependency",
                    f"Abhängigkeit {dependency.get('identifierref')!r} fehlt.",
                    MANIFEST,
                    line(dependency),
                )
        files = [file.get("href", "") for file in resource.iter(pkg.q("file"))]
        if kind == "webcontent":
            for name in files:
                if name.endswith((".html", ".htm")) and _SCRIPT.search(pkg.archive.entries.get(name, b"")):
                    pkg.report.warning(
                        "cc.script",
                        "Seite enthält Skripte oder on*-Attribute; Moodle entfernt sie "
                        "beim Import (PARAM_CLEANHTML), der Inhalt muss ohne sie vollständig sein.",
                        name,
                    )
        elif kind.startswith("imsqti_xmlv1p2/"):
            for name in files:
                _check_qti(pkg, name)


def _check_qti(pkg: Package, name: str) -> None:
    data = pkg.archive.entries.get(name)
    if data is None:
        return
    try:
        root = parse_safe(data, "QTI-Datei")
    except ManifestError as error:
        pkg.report.error(error.code, str(error), name, error.line)
        return
    if root.tag != f"{{{QTI}}}questestinterop":
        pkg.report.error(
            "cc.qti", f"Wurzelelement muss questestinterop im Namensraum {QTI} sein.", name, line(root)
        )
        return
    for item in root.iter(f"{{{QTI}}}item"):
        fields = {
            text_of(field.find(f"{{{QTI}}}fieldlabel")): text_of(field.find(f"{{{QTI}}}fieldentry"))
            for field in item.iter(f"{{{QTI}}}qtimetadatafield")
        }
        profile = fields.get("cc_profile", "")
        if profile not in QTI_PROFILES:
            pkg.report.error(
                "cc.qti-profile",
                f"Frage {item.get('ident')}: cc_profile {profile!r} kann Moodle nicht importieren.",
                name,
                line(item),
            )
        feedback_ids = {fb.get("ident") for fb in item.iter(f"{{{QTI}}}itemfeedback")}
        for display in item.iter(f"{{{QTI}}}displayfeedback"):
            if display.get("linkrefid") not in feedback_ids:
                pkg.report.error(
                    "cc.qti-feedback",
                    f"Feedback {display.get('linkrefid')!r} ist nicht definiert.",
                    name,
                    line(display),
                )
        if profile in QTI_PROFILES - {"cc.essay.v0p1"} and item.find(f".//{{{QTI}}}setvar") is None:
            pkg.report.error(
                "cc.qti-scoring",
                f"Frage {item.get('ident')} vergibt nie Punkte (kein setvar).",
                name,
                line(item),
            )


CC_RULES: tuple[Rule, ...] = (check_cc_header, check_cc_organization, check_cc_resources)
