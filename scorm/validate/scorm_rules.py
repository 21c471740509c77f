"""SCORM rules beyond the XSD: the ADL application profile (CTS Schematron), Moodle's parser and the
control-file requirement. Each rule is one function of the package; the runner counts them as checks.
"""

from __future__ import annotations

import re
from decimal import Decimal

from lxml import etree

from scorm import xsd
from scorm.validate.context import MANIFEST, Package, Rule, line, text_of
from scorm.validate.libxml_de import schema_message
from scorm.validate.parse import SCORM_12

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
ADLCP_13 = "http://www.adlnet.org/xsd/adlcp_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LITERAL_PREFIXES = {
    ADLCP_12: "adlcp",
    ADLCP_13: "adlcp",
    IMSSS: "imsss",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav",
}
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
IMSCP_13 = "http://www.imsglobal.org/xsd/imscp_v1p1"
_SCHEMA_PREFIXES = {IMSCP_12: "", IMSCP_13: "", **LITERAL_PREFIXES}
"""How schema findings name elements: the manifest's own namespace bare, the others by their usual prefix."""
GOOD_VERSIONS = {"1.2", "2004 4th Edition"}
OLD_VERSIONS = {"2004 3rd Edition", "CAM 1.3", "1.3"}
ALLOWED_SEQUENCING = {
    "controlMode",
    "deliveryControls",
    "objectives",
    "primaryObjective",
    "minNormalizedMeasure",
}
SCO_ONLY = ("completionThreshold", "dataFromLMS", "timeLimitAction", "datafromlms", "timelimitaction")
_DECIMAL = re.compile(r"^\d{1,3}(\.\d+)?$")


def _adlcp(pkg: Package) -> str:
    return ADLCP_12 if pkg.kind == SCORM_12 else ADLCP_13


def _scormtype_attr(pkg: Package, wrong_case: bool = False) -> str:
    """`adlcp:scormtype` in 1.2, `adlcp:scormType` in 2004; `wrong_case` gives the other spelling."""
    lower = (pkg.kind == SCORM_12) != wrong_case
    return f"{{{_adlcp(pkg)}}}" + ("scormtype" if lower else "scormType")


def check_metadata(pkg: Package) -> None:
    for local in ("metadata", "organizations", "resources"):
        count = len(pkg.root.findall(pkg.q(local)))
        if count != 1:
            pkg.report.error(
                "manifest.structure",
                f"Das Manifest braucht genau ein <{local}>, gefunden: {count}.",
                MANIFEST,
            )
    metadata = pkg.root.find(pkg.q("metadata"))
    children = [child for child in metadata if isinstance(child.tag, str)] if metadata is not None else []
    schema = children[0] if children else None
    version = children[1] if len(children) > 1 else None
    if schema is None or schema.tag != pkg.q("schema") or text_of(schema) != "ADL SCORM":
        pkg.report.error(
            "metadata.schema",
            "Erstes Kind von <metadata> muss <schema>ADL SCORM</schema> sein.",
            MANIFEST,
            line(metadata) if metadata is not None else None,
        )
    value = text_of(version)
    where = line(version) if version is not None else None
    if version is None or version.tag != pkg.q("schemaversion"):
        pkg.report.error(
            "metadata.schemaversion", "Zweites Kind von <metadata> muss <schemaversion> sein.", MANIFEST
        )
    elif value in OLD_VERSIONS:
        pkg.report.warning(
            "metadata.schemaversion",
            f"schemaversion {value!r} ist veraltet; empfohlen: '2004 4th Edition'.",
            MANIFEST,
            where,
        )
    elif value not in GOOD_VERSIONS:
        pkg.report.error(
            "metadata.schemaversion",
            f"schemaversion {value!r} ist ungültig; Moodle behandelt das Paket dann als SCORM 1.2. "
            "Erlaubt: '1.2' oder '2004 4th Edition'.",
            MANIFEST,
            where,
        )


def check_schema(pkg: Package) -> None:
    version = pkg.report.schemaversion
    edition = {"1.2": xsd.SCORM12, "2004 4th Edition": xsd.SCORM2004_4TH}.get(version or "")
    if edition is None and version in OLD_VERSIONS:
        edition = xsd.SCORM2004_3RD
    if edition is None:
        return
    try:
        errors = xsd.schema_errors(etree.ElementTree(pkg.root), edition)
    except xsd.XsdError as error:
        pkg.report.error("schema.unavailable", str(error), MANIFEST)
        return
    for number, message in errors:
        german = schema_message(message, _SCHEMA_PREFIXES)
        pkg.report.error("schema.invalid", f"XSD ({edition.folder}): {german}", MANIFEST, number)


def check_control_files(pkg: Package) -> None:
    if not pkg.schema_location_files:
        pkg.report.warning(
            "control.none",
            "xsi:schemaLocation nennt keine Schemadateien; der ADL-Test prüft dann nichts.",
            MANIFEST,
        )
    reference_folders = [xsd.xsd_dir() / edition.folder for edition in xsd.EDITIONS.values()]
    for name in sorted(pkg.control_files):
        data = pkg.archive.entries.get(name)
        if data is None:
            pkg.report.error(
                "control.missing",
                f"Steuerdatei {name} fehlt im Wurzelverzeichnis des Pakets (ADL RequiredFiles).",
                name,
            )
            continue
        references = [folder / name for folder in reference_folders if (folder / name).is_file()]
        if references and all(reference.read_bytes() != data for reference in references):
            pkg.report.warning(
                "control.differs", f"Steuerdatei {name} weicht von der offiziellen ADL/IMS-Fassung ab.", name
            )


def check_prefixes(pkg: Package) -> None:
    for element in pkg.root.iter():
        for prefix, uri in (element.nsmap or {}).items():
            expected = LITERAL_PREFIXES.get(uri)
            if expected and prefix != expected:
                pkg.report.error(
                    "prefix.literal",
                    f"Namensraum {uri} hat das Präfix {prefix!r}; "
                    f"Moodle erkennt nur das wörtliche {expected!r}.",
                    MANIFEST,
                    line(element),
                )
    literal = {node.attrs.get("IDENTIFIER", ""): node for node in pkg.literal.iter("RESOURCE")}
    attr = _scormtype_attr(pkg)
    for identifier, resource in pkg.resources.items():
        aware = (resource.get(attr) or "").lower()
        node = literal.get(identifier)
        moodle = (node.attrs.get("ADLCP:SCORMTYPE", "") if node else "").lower() or "asset"
        if (aware or "asset") != moodle:
            pkg.report.error(
                "prefix.mismatch",
                f"Ressource {identifier}: scormtype ist {aware or 'leer'!r}, Moodle liest {moodle!r} "
                "(Präfix nicht 'adlcp').",
                MANIFEST,
                line(resource),
            )


def check_organizations(pkg: Package) -> None:
    organizations = pkg.root.find(pkg.q("organizations"))
    if organizations is None:
        return
    orgs = organizations.findall(pkg.q("organization"))
    ids = {org.get("identifier") for org in orgs}
    default = organizations.get("default")
    if not default or default not in ids:
        pkg.report.error(
            "organization.default",
            f"organizations@default ({default or 'fehlt'}) verweist auf keine vorhandene <organization>.",
            MANIFEST,
            line(organizations),
        )
    if len(orgs) != 1:
        pkg.report.warning(
            "organization.count", f"{len(orgs)} Organisationen; empfohlen ist genau eine.", MANIFEST
        )
    for org in orgs:
        if len(org.findall(pkg.q("title"))) != 1 or not org.findall(pkg.q("item")):
            pkg.report.error(
                "organization.structure",
                "Eine <organization> braucht genau einen Titel und mindestens ein <item>.",
                MANIFEST,
                line(org),
            )
        top = org.findall(pkg.q("item"))
        if len(top) > 1:
            pkg.report.warning(
                "organization.flat",
                f"{len(top)} Einträge auf oberster Ebene; Moodles Navigation verlangt ein SCO "
                "oder einen Wurzeleintrag.",
                MANIFEST,
                line(org),
            )


def check_items(pkg: Package) -> None:
    for item in pkg.elements("item"):
        reference = item.get("identifierref")
        leaf = item.find(pkg.q("item")) is None
        where = line(item)
        if leaf and not reference:
            pkg.report.error(
                "item.identifierref",
                f"Blatt-Eintrag {item.get('identifier')} hat kein identifierref.",
                MANIFEST,
                where,
            )
        elif not leaf and reference:
            pkg.report.error(
                "item.identifierref",
                f"Eintrag {item.get('identifier')} hat Untereinträge und darf kein identifierref haben.",
                MANIFEST,
                where,
            )
        if reference in pkg.resources and not pkg.resources[reference].get("href"):
            pkg.report.error(
                "resource.href",
                f"Ressource {reference} wird von einem Eintrag genutzt, hat aber kein href.",
                MANIFEST,
                line(pkg.resources[reference]),
            )
        _check_item_extras(pkg, item, reference)


def _check_item_extras(pkg: Package, item: etree._Element, reference: str | None) -> None:
    adlcp = _adlcp(pkg)
    resource = pkg.resources.get(reference) if reference else None
    is_sco = resource is not None and resource.get(_scormtype_attr(pkg)) == "sco"
    limit = 255 if pkg.kind == SCORM_12 else 4000
    for local in ("datafromlms", "dataFromLMS"):
        for data in item.findall(f"{{{adlcp}}}{local}"):
            if len(text_of(data)) > limit:
                pkg.report.error(
                    "item.datafromlms", f"dataFromLMS ist länger als {limit} Zeichen.", MANIFEST, line(data)
                )
    if not is_sco:
        for local in SCO_ONLY:
            for element in item.findall(f"{{{adlcp}}}{local}"):
                pkg.report.error(
                    "item.sco-only",
                    f"adlcp:{local} ist nur an Einträgen erlaubt, die auf ein SCO zeigen.",
                    MANIFEST,
                    line(element),
                )
    for mastery in item.findall(f"{{{ADLCP_12}}}masteryscore"):
        value = text_of(mastery)
        if not (_DECIMAL.match(value) and Decimal(value) <= 100):
            pkg.report.error(
                "item.masteryscore",
                f"masteryscore {value!r} ist keine Zahl von 0 bis 100.",
                MANIFEST,
                line(mastery),
            )
        if not is_sco:
            pkg.report.error(
                "item.masteryscore",
                "masteryscore steht an einem Eintrag, der auf kein SCO zeigt.",
                MANIFEST,
                line(mastery),
            )


def check_resources(pkg: Package) -> None:
    attr = _scormtype_attr(pkg)
    wrong = _scormtype_attr(pkg, wrong_case=True)
    for identifier, resource in pkg.resources.items():
        where = line(resource)
        if resource.get("type") != "webcontent":
            pkg.report.error(
                "resource.type", f"Ressource {identifier}: type muss 'webcontent' sein.", MANIFEST, where
            )
        value = resource.get(attr)
        if resource.get(wrong) is not None:
            pkg.report.error(
                "resource.scormtype",
                f"Ressource {identifier}: falsche Schreibweise des Attributs "
                f"({etree.QName(wrong).localname}) für diese SCORM-Version.",
                MANIFEST,
                where,
            )
        if value not in ("sco", "asset"):
            pkg.report.error(
                "resource.scormtype",
                f"Ressource {identifier}: adlcp:scormtype muss 'sco' oder 'asset' sein, ist {value!r}.",
                MANIFEST,
                where,
            )


def check_titles(pkg: Package) -> None:
    for title in pkg.elements("title"):
        text = text_of(title)
        if not text:
            pkg.report.error("title.empty", "Leerer Titel.", MANIFEST, line(title))
        elif len(text) > 200:
            pkg.report.warning(
                "title.length", f"Titel hat {len(text)} Zeichen (höchstens 200).", MANIFEST, line(title)
            )


def check_scorm2004_profile(pkg: Package) -> None:
    if pkg.kind == SCORM_12:
        return
    for element in pkg.root.iter(f"{{{IMSSS}}}*"):
        local = etree.QName(element).localname
        if local != "sequencing" and local not in ALLOWED_SEQUENCING:
            pkg.report.warning(
                "sequencing.unsupported",
                f"imsss:{local}: Moodle unterstützt SCORM-2004-"
                "Sequencing nur teilweise; nur controlMode und deliveryControls verwenden.",
                MANIFEST,
                line(element),
            )
    for element in pkg.root.iter(f"{{{ADLCP_13}}}completionThreshold"):
        if text_of(element):
            pkg.report.error(
                "completion-threshold.text",
                "completionThreshold darf in der 4th Edition keinen "
                "Textwert haben; @minProgressMeasure verwenden.",
                MANIFEST,
                line(element),
            )
    for element in pkg.root.iter(f"{{{ADLCP_13}}}persistState", "{*}persistState"):
        pkg.report.error(
            "persist-state", "adlcp:persistState wurde aus SCORM 2004 entfernt.", MANIFEST, line(element)
        )
    for element in pkg.root.iter(pkg.q("manifest")):
        if element is not pkg.root:
            pkg.report.warning(
                "submanifest", "Sub-Manifeste werden von ADL nicht empfohlen.", MANIFEST, line(element)
            )


SCORM_RULES: tuple[Rule, ...] = (
    check_metadata,
    check_schema,
    check_control_files,
    check_prefixes,
    check_organizations,
    check_items,
    check_resources,
    check_titles,
    check_scorm2004_profile,
)
