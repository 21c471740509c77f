"""IMS Common Cartridge 1.1 builder: the "reading + quiz" edition for Moodle's course import and other LMSs.

CC has no SCO or runtime, so this edition carries the static pages (render flavour "cc", readable without
scripts because Moodle strips them) as webcontent and the knowledge check as a CC-profile QTI assessment.
Moodle only recognises a cartridge whose default namespace appears in the manifest's first 500 bytes, so the
namespace is declared on the root element right after the XML declaration.
"""

from __future__ import annotations

from lxml import etree

from course_package.model import Course, Module
from scorm import qti, xsd
from scorm.manifest import (
    MANIFEST,
    PackageFiles,
    PackageIds,
    Site,
    content_files,
    html_title,
    module_title,
    schema_metadata,
    serialize,
    sub,
)

CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
LOMIMSCC = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"
LOM = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/resource"
NSMAP = {None: CC, "lomimscc": LOMIMSCC, "lom": LOM, "xsi": xsd.XSI_NS}
SCHEMA_LOCATION = (
    f"{CC} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd "
    f"{LOMIMSCC} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd "
    f"{LOM} http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lomresource_v1p0.xsd"
)

SCHEMA = "IMS Common Cartridge"
SCHEMA_VERSION = "1.1.0"
WEBCONTENT = "webcontent"
ASSESSMENT = "imsqti_xmlv1p2/imscc_xmlv1p1/assessment"
QUIZ_TITLE = "Wissenscheck"
STRUCTURE = "rooted-hierarchy"
"""The CC 1.1 profile fixes `organization@structure` to this; Moodle validates against that schema."""


def build(course: Course, module: Module, site: Site) -> PackageFiles:
    ids = PackageIds.of(module)
    files = content_files(module, site)
    quiz_path = assessment_path(ids)
    files[quiz_path] = qti.assessment(
        ids.child("QTI", "test"), QUIZ_TITLE, qti.items(module.quiz, ids.prefix)
    )
    files[MANIFEST] = serialize(manifest(course, module, site, ids))
    return files


def assessment_path(ids: PackageIds) -> str:
    return f"{ids.prefix}-QTI/assessment.xml"


def pages(site: Site) -> list[str]:
    """HTML pages in reading order: the launch page first, the lessons by path, then other pages (the
    glossary) by path."""
    others = [path for path in site.files if path.endswith(".html") and path != site.launch]
    return [site.launch, *sorted(others, key=lambda path: (not path.startswith("lesson-"), path))]


def manifest(course: Course, module: Module, site: Site, ids: PackageIds) -> etree._Element:
    root = etree.Element(f"{{{CC}}}manifest", nsmap=NSMAP)
    root.set("identifier", ids.manifest)
    root.set(f"{{{xsd.XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    _metadata(root, course, module)
    _organizations(root, module, site, ids)
    _resources(root, site, ids)
    return root


def _metadata(root: etree._Element, course: Course, module: Module) -> None:
    metadata = schema_metadata(root, CC, SCHEMA, SCHEMA_VERSION)
    general = sub(sub(metadata, f"{{{LOMIMSCC}}}lom"), f"{{{LOMIMSCC}}}general")
    sub(
        sub(general, f"{{{LOMIMSCC}}}title"),
        f"{{{LOMIMSCC}}}string",
        module_title(module),
        language=course.language,
    )
    sub(general, f"{{{LOMIMSCC}}}language", course.language)
    description = sub(general, f"{{{LOMIMSCC}}}description")
    sub(description, f"{{{LOMIMSCC}}}string", module.summary, language=course.language)


def _page_id(ids: PackageIds, kind: str, path: str) -> str:
    return ids.child(kind, path.removesuffix(".html").replace("/", "_"))


def _organizations(root: etree._Element, module: Module, site: Site, ids: PackageIds) -> None:
    organizations = sub(root, f"{{{CC}}}organizations")
    organization = sub(
        organizations, f"{{{CC}}}organization", identifier=ids.organization, structure=STRUCTURE
    )
    top = sub(organization, f"{{{CC}}}item", identifier=f"{ids.prefix}-ROOT")
    module_item = sub(top, f"{{{CC}}}item", identifier=ids.item)
    sub(module_item, f"{{{CC}}}title", module_title(module))
    for path in pages(site):
        item = sub(
            module_item,
            f"{{{CC}}}item",
            identifier=_page_id(ids, "ITEM", path),
            identifierref=_page_id(ids, "PAGE", path),
        )
        sub(item, f"{{{CC}}}title", html_title(site.files[path], path))
    quiz = sub(
        module_item,
        f"{{{CC}}}item",
        identifier=ids.child("ITEM", "quiz"),
        identifierref=ids.child("QTI", "quiz"),
    )
    sub(quiz, f"{{{CC}}}title", QUIZ_TITLE)


def _resources(root: etree._Element, site: Site, ids: PackageIds) -> None:
    resources = sub(root, f"{{{CC}}}resources")
    html_pages = pages(site)
    shared = sorted(path for path in site.files if path not in html_pages)
    shared_id = ids.child("RES", "shared")
    for path in html_pages:
        resource = sub(
            resources, f"{{{CC}}}resource", identifier=_page_id(ids, "PAGE", path), type=WEBCONTENT, href=path
        )
        sub(resource, f"{{{CC}}}file", href=path)
        if shared:
            sub(resource, f"{{{CC}}}dependency", identifierref=shared_id)
    if shared:
        resource = sub(resources, f"{{{CC}}}resource", identifier=shared_id, type=WEBCONTENT)
        for path in shared:
            sub(resource, f"{{{CC}}}file", href=path)
    quiz = sub(resources, f"{{{CC}}}resource", identifier=ids.child("QTI", "quiz"), type=ASSESSMENT)
    sub(quiz, f"{{{CC}}}file", href=assessment_path(ids))
