"""SCORM 1.2 package builder: the primary Moodle format (Moodle passes the ADL 1.2 conformance suite).

Recipe: content files → manifest (inline LOM, one SCO item with the pass mark as `adlcp:masteryscore`) →
official control files at the root. Prefixes are literal (`adlcp`), because Moodle's manifest parser is not
namespace-aware and would treat an `ns0:scormtype` resource as an untracked asset.
"""

from __future__ import annotations

from lxml import etree

from course_package.model import Course, Module
from scorm import xsd
from scorm.manifest import (
    PackageFiles,
    PackageIds,
    Site,
    manifest_root,
    module_title,
    schema_metadata,
    sco_item,
    sco_resource,
    scorm_files,
    sub,
)

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
NSMAP = {None: IMSCP, "adlcp": ADLCP, "imsmd": IMSMD, "xsi": xsd.XSI_NS}

SCHEMA = "ADL SCORM"
SCHEMA_VERSION = "1.2"


def build(course: Course, module: Module, site: Site) -> PackageFiles:
    return scorm_files(module, site, xsd.SCORM12, manifest(course, module, site))


def manifest(course: Course, module: Module, site: Site) -> etree._Element:
    ids = PackageIds.of(module)
    root = manifest_root(IMSCP, NSMAP, course, ids)
    _metadata(root, course, module)
    _organizations(root, module, ids)
    sco_resource(root, IMSCP, f"{{{ADLCP}}}scormtype", site, ids)
    return root


def _metadata(root: etree._Element, course: Course, module: Module) -> None:
    metadata = schema_metadata(root, IMSCP, SCHEMA, SCHEMA_VERSION)
    general = sub(sub(metadata, f"{{{IMSMD}}}lom"), f"{{{IMSMD}}}general")
    _langstring(sub(general, f"{{{IMSMD}}}title"), module_title(module), course.language)
    sub(general, f"{{{IMSMD}}}language", course.language)
    _langstring(sub(general, f"{{{IMSMD}}}description"), module.summary, course.language)


def _langstring(parent: etree._Element, text: str, language: str) -> None:
    sub(parent, f"{{{IMSMD}}}langstring", text, **{f"{{{xsd.XML_NS}}}lang": language})


def _organizations(root: etree._Element, module: Module, ids: PackageIds) -> None:
    _, item = sco_item(root, IMSCP, module, ids)
    sub(item, f"{{{ADLCP}}}masteryscore", str(module.pass_mark))
