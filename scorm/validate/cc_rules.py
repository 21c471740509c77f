"""IMS Common Cartridge 1.1 rules. The CC XSDs are not available offline, so the profile is checked
structurally: the CC 1.1 CP profile's constraints (rooted hierarchy, titles, single-file resources) and what
Moodle's importer needs (namespace sniffing in the first 500 bytes, known resource types, CC-profile QTI).
"""

from __future__ import annotations

import re

from lxml import etree

from scorm.validate.context import MANIFEST, Package, Rule, line, text_of
from scorm.validate.parse import IMSCC_11, moodle_sees_cc11
from scorm.validate.qti_rules import check_qti_file

RESOURCE_TYPES = {
    "webcontent",
    "imswl_xmlv1p1",
    "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
    "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
    "imsdt_xmlv1p1",
    "imsbasiclti_xmlv1p0",
    "associatedcontent/imscc_xmlv1p1/learning-application-resource",
}
STRUCTURE = "rooted-hierarchy"
SINGLE_FILE_TYPES = {
    "imswl_xmlv1p1",
    "imsqti_xmlv1p2/imscc_xmlv1p1/assessment",
    "imsqti_xmlv1p2/imscc_xmlv1p1/question-bank",
    "imsdt_xmlv1p1",
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
    """CC 1.1 profile of IMS CP: at most one organization, `structure` fixed to `rooted-hierarchy`, one
    untitled root item, titled child items; an item that points to a resource has no children."""
    orgs = pkg.elements("organization")
    if len(orgs) > 1:
        pkg.report.error(
            "cc.organization", f"{len(orgs)} Organisationen; CC erlaubt höchstens eine.", MANIFEST
        )
    roots: list[etree._Element] = []
    for org in orgs:
        if org.get("structure") != STRUCTURE:
            pkg.report.error(
                "cc.organization",
                f"organization@structure ist {org.get('structure')!r}, das CC-1.1-Schema verlangt "
                f"{STRUCTURE!r} (Moodle bricht den Import sonst ab).",
                MANIFEST,
                line(org),
            )
        roots += org.findall(pkg.q("item"))
        if len(org.findall(pkg.q("item"))) != 1:
            pkg.report.error(
                "cc.root-item", "Die Organisation braucht genau einen Wurzeleintrag.", MANIFEST, line(org)
            )
    for root in roots:
        if root.get("identifierref") or root.find(pkg.q("title")) is not None:
            pkg.report.error(
                "cc.root-item",
                "Der Wurzeleintrag darf weder identifierref noch Titel haben.",
                MANIFEST,
                line(root),
            )
    for item in pkg.elements("item"):
        reference = item.get("identifierref")
        where = line(item)
        if item not in roots and not text_of(item.find(pkg.q("title"))):
            pkg.report.error(
                "cc.item-title", f"Eintrag {item.get('identifier')} hat keinen Titel.", MANIFEST, where
            )
        if reference and item.find(pkg.q("item")) is not None:
            pkg.report.error(
                "cc.item-children",
                f"Eintrag {item.get('identifier')} verweist auf eine Ressource und darf keine "
                "Untereinträge haben.",
                MANIFEST,
                where,
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
        files = [file.get("href", "") for file in resource.iter(pkg.q("file"))]
        href = resource.get("href")
        if not files:
            pkg.report.error(
                "cc.resource-file", f"Ressource {identifier} nennt keine Datei.", MANIFEST, where
            )
        if kind in SINGLE_FILE_TYPES and (len(files) > 1 or href is not None):
            pkg.report.error(
                "cc.resource-file",
                f"Ressource {identifier} ({kind}) braucht genau ein <file> und kein href.",
                MANIFEST,
                where,
            )
        if href is not None and href not in files:
            pkg.report.error(
                "cc.resource-file",
                f"href {href!r} der Ressource {identifier} fehlt in ihren <file>-Angaben.",
                MANIFEST,
                where,
            )
        for dependency in resource.iter(pkg.q("dependency")):
            if dependency.get("identifierref") not in pkg.resources:
                pkg.report.error(
                    "cc.dependency",
                    f"Abhängigkeit {dependency.get('identifierref')!r} fehlt.",
                    MANIFEST,
                    line(dependency),
                )
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
                check_qti_file(pkg, name)


CC_RULES: tuple[Rule, ...] = (check_cc_header, check_cc_organization, check_cc_resources)
