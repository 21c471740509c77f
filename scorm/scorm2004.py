"""SCORM 2004 4th Edition package builder for LMSs other than Moodle.

Recipe: content files → manifest (one SCO item; the only sequencing is the primary objective that carries the
pass mark, delivery controls saying the content sets status itself, and the organization's control mode) →
official control files at the root. Moodle's 2004 sequencing is incomplete, so nothing else is declared.
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
    schema_metadata,
    sco_item,
    sco_resource,
    scorm_files,
    sub,
)

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
NSMAP = {None: IMSCP, "adlcp": ADLCP, "adlseq": ADLSEQ, "adlnav": ADLNAV, "imsss": IMSSS, "xsi": xsd.XSI_NS}

SCHEMA = "ADL SCORM"
SCHEMA_VERSION = "2004 4th Edition"


def build(course: Course, module: Module, site: Site) -> PackageFiles:
    return scorm_files(module, site, xsd.SCORM2004_4TH, manifest(course, module, site))


def manifest(course: Course, module: Module, site: Site) -> etree._Element:
    ids = PackageIds.of(module)
    root = manifest_root(IMSCP, NSMAP, course, ids)
    schema_metadata(root, IMSCP, SCHEMA, SCHEMA_VERSION)
    _organizations(root, module, ids)
    sco_resource(root, IMSCP, f"{{{ADLCP}}}scormType", site, ids)
    return root


def mastery_measure(pass_mark: int) -> str:
    """The pass mark as `minNormalizedMeasure` (0..1), written without exponent or trailing zeros."""
    return f"{pass_mark / 100:.2f}".rstrip("0").rstrip(".") if pass_mark else "0"


def _organizations(root: etree._Element, module: Module, ids: PackageIds) -> None:
    organization, item = sco_item(root, IMSCP, module, ids)
    sequencing = sub(item, f"{{{IMSSS}}}sequencing")
    objectives = sub(sequencing, f"{{{IMSSS}}}objectives")
    primary = sub(
        objectives, f"{{{IMSSS}}}primaryObjective", objectiveID=ids.objective, satisfiedByMeasure="true"
    )
    sub(primary, f"{{{IMSSS}}}minNormalizedMeasure", mastery_measure(module.pass_mark))
    sub(
        sequencing,
        f"{{{IMSSS}}}deliveryControls",
        completionSetByContent="true",
        objectiveSetByContent="true",
    )
    org_sequencing = sub(organization, f"{{{IMSSS}}}sequencing")
    sub(org_sequencing, f"{{{IMSSS}}}controlMode", choice="true", flow="true")
