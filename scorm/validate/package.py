"""Validating one zip (ours or anyone's): safe unpacking, manifest parsing, version detection, then the rule
sets for the detected kind. Fatal problems stop early with one clear finding instead of a cascade.
"""

from __future__ import annotations

from pathlib import Path

from scorm.validate.archive import Limits, read_archive
from scorm.validate.cc_rules import CC_RULES
from scorm.validate.common_rules import COMMON_RULES
from scorm.validate.context import MANIFEST, Package, Rule
from scorm.validate.findings import Report
from scorm.validate.parse import (
    ManifestError,
    detect_kind,
    parse_literal,
    parse_safe,
    schemaversion,
)
from scorm.validate.scorm_rules import SCORM_RULES


def validate_zip(path: Path, limits: Limits | None = None) -> Report:
    report = Report(path)
    limits = limits or Limits()
    archive = read_archive(path, report, limits)
    if archive is None:
        return report
    raw = archive.entries.get(MANIFEST)
    if raw is None:
        nested = sorted(name for name in archive.entries if name.endswith("/" + MANIFEST))
        if nested:
            report.error(
                "manifest.not-root",
                f"imsmanifest.xml liegt in {nested[0]!r} statt im Wurzelverzeichnis; "
                "das Paket aus dem Inhalt des Ordners heraus neu zippen.",
                nested[0],
            )
        else:
            report.error("manifest.missing", "Das Paket enthält kein imsmanifest.xml im Wurzelverzeichnis.")
        return report
    try:
        root = parse_safe(raw)
        literal = parse_literal(raw)
    except ManifestError as error:
        report.error(error.code, str(error), MANIFEST, error.line)
        return report
    if not raw.lstrip(b"\xef\xbb\xbf").startswith(b"<?xml"):
        report.warning(
            "xml.declaration", 'Dem Manifest fehlt die XML-Deklaration (<?xml version="1.0"?>).', MANIFEST, 1
        )
    pkg = Package(archive, raw, root, literal, detect_kind(raw, root, literal), report, limits)
    report.kind = pkg.kind
    report.schemaversion = schemaversion(literal)
    rules = (*CC_RULES, *COMMON_RULES) if pkg.kind.startswith("IMSCC") else (*SCORM_RULES, *COMMON_RULES)
    _run(pkg, rules)
    if not pkg.kind.startswith("IMSCC"):
        report.launch = _moodle_launch(pkg)
        if report.launch is None:
            report.error(
                "launch.none",
                "Moodle fände kein startbares SCO (Eintrag mit Ressource scormtype='sco' und href).",
                MANIFEST,
            )
    return report


def _run(pkg: Package, rules: tuple[Rule, ...]) -> None:
    for rule in rules:
        before = len(pkg.report.errors)
        rule(pkg)
        pkg.report.checks_run += 1
        pkg.report.checks_passed += len(pkg.report.errors) == before


def _moodle_launch(pkg: Package) -> str | None:
    """The first item, in document order, whose resource Moodle would treat as a launchable SCO."""
    resources = {node.attrs.get("IDENTIFIER"): node for node in pkg.literal.iter("RESOURCE")}
    for item in pkg.literal.iter("ITEM"):
        resource = resources.get(item.attrs.get("IDENTIFIERREF"))
        if (
            resource
            and resource.attrs.get("ADLCP:SCORMTYPE", "").lower() == "sco"
            and resource.attrs.get("HREF")
        ):
            return resource.attrs["HREF"]
    return None
