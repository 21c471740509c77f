"""What every rule sees: the archive, the manifest in both parses, and a few derived look-ups."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from scorm.validate.archive import Archive, Limits
from scorm.validate.findings import Level, Report
from scorm.validate.parse import Node
from scorm.xsd import XML_NS, XSI_NS, sibling_references

MANIFEST = "imsmanifest.xml"
OWN_MANIFEST = re.compile(r"SCM-M[0-9]+-MANIFEST")
"""The manifest identifier every package of this toolkit carries (`scorm.manifest.PackageIds.manifest`)."""


@dataclass
class Package:
    archive: Archive
    raw: bytes
    root: etree._Element
    literal: Node
    kind: str
    report: Report
    limits: Limits

    @property
    def cp(self) -> str:
        """The content-packaging namespace of this manifest (differs between 1.2, 2004 and CC)."""
        return etree.QName(self.root).namespace or ""

    @functools.cached_property
    def own(self) -> bool:
        """Built by this toolkit: a requirement of Moodle only is an error for our builds (we can fix them)
        and a warning for anyone else's package (it may be meant for another LMS)."""
        return OWN_MANIFEST.fullmatch(self.root.get("identifier", "")) is not None

    def moodle(self, code: str, message: str, file: str | None = None, line: int | None = None) -> None:
        """Report what only Moodle's importer needs: error for our builds, warning for foreign ones."""
        level: Level = "error" if self.own else "warning"
        self.report.add(level, code, message, file, line)

    def q(self, local: str) -> str:
        return f"{{{self.cp}}}{local}"

    def elements(self, local: str) -> list[etree._Element]:
        return list(self.root.iter(self.q(local)))

    @functools.cached_property
    def resources(self) -> dict[str, etree._Element]:
        return {r.get("identifier", ""): r for r in self.elements("resource")}

    def resource_base(self, resource: etree._Element) -> str:
        return resource.get(f"{{{XML_NS}}}base", "")

    @functools.cached_property
    def listed_files(self) -> set[str]:
        listed: set[str] = set()
        for resource in self.elements("resource"):
            base = self.resource_base(resource)
            listed.update(base + file.get("href", "") for file in resource.iter(self.q("file")))
        return listed

    @functools.cached_property
    def schema_location_files(self) -> list[str]:
        value = self.root.get(f"{{{XSI_NS}}}schemaLocation", "")
        parts = value.split()
        return [location for location in parts[1::2] if "://" not in location]

    @functools.cached_property
    def control_files(self) -> set[str]:
        """Root control files: those in `xsi:schemaLocation` plus what the package's copies reference."""
        pending = [location.rsplit("/", 1)[-1] for location in self.schema_location_files]
        found: set[str] = set()
        while pending:
            name = pending.pop()
            if name in found:
                continue
            found.add(name)
            pending.extend(sibling_references(self.archive.entries.get(name, b"")))
        return found


Rule = Callable[[Package], None]


def line(element: etree._Element) -> int | None:
    return element.sourceline


def text_of(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""
