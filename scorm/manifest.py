"""Pieces every package builder shares: the Site contract, stable identifiers, XML writing, file checks.

Builders are recipes of named steps over plain data; the helpers here keep each recipe short and make sure all
three formats name things the same way (Moodle maps old and new SCOs by identifier when a package is updated).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from lxml import etree

from course_package.model import Course, Module
from scm_base.errors import ToolkitError
from scorm import xsd
from scorm.formats import FORMATS as FORMATS
from scorm.formats import Format as Format

MANIFEST = "imsmanifest.xml"
MAX_TITLE = 200
MAX_HREF = 2000

PackageFiles = dict[str, bytes]
"""Relative ASCII path -> bytes: everything that goes into one zip."""

_SAFE_PATH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$")


class PackageError(ToolkitError, ValueError):
    """The rendered site or the course data cannot be packaged; the message names module and file."""


class Site(Protocol):
    """What the renderer hands over (see `course_package.render.Site`)."""

    @property
    def files(self) -> Mapping[str, bytes]: ...

    @property
    def launch(self) -> str: ...


@dataclass(frozen=True)
class PackageIds:
    """Identifiers derived only from the module number, so they survive rewording and rebuilds."""

    prefix: str

    @classmethod
    def of(cls, module: Module) -> PackageIds:
        return cls(module.scorm_id)

    @property
    def manifest(self) -> str:
        return f"{self.prefix}-MANIFEST"

    @property
    def organization(self) -> str:
        return f"{self.prefix}-ORG"

    @property
    def item(self) -> str:
        return f"{self.prefix}-ITEM"

    @property
    def sco(self) -> str:
        return f"{self.prefix}-SCO"

    @property
    def objective(self) -> str:
        return f"{self.prefix}-OBJ"

    def child(self, kind: str, slug: str) -> str:
        """An NCName for a per-page or per-question element, e.g. `SCM-M1-PAGE-index`."""
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", slug)
        return f"{self.prefix}-{kind}-{safe}"


def module_title(module: Module) -> str:
    title = f"Modul {module.number} – {module.title}"
    if len(title) > MAX_TITLE:
        raise PackageError(
            f"Modul {module.number} ({module.id}): Der Titel hat {len(title)} Zeichen, SCORM erlaubt "
            f"{MAX_TITLE}; `title` in der Modulquelle kürzen."
        )
    return title


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append a child; `tag` is a Clark name (`{ns}local`) or a plain name in no namespace."""
    child = etree.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = text
    return child


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def serialize(root: etree._Element) -> bytes:
    """UTF-8 with a declaration first, so the root element (and a CC default namespace) comes early."""
    return XML_DECLARATION + etree.tostring(root, encoding="utf-8", pretty_print=True)


def content_files(module: Module, site: Site, reserved: Mapping[str, bytes] | None = None) -> PackageFiles:
    """The site's files after checking every path is safe for zips, Moodle and the ADL test suite."""
    where = f"Modul {module.number} ({module.id})"
    if site.launch not in site.files:
        raise PackageError(f"{where}: Startseite {site.launch!r} fehlt unter den gerenderten Dateien.")
    seen: dict[str, str] = {}
    for path in site.files:
        if not _SAFE_PATH.match(path) or len(path) > MAX_HREF:
            raise PackageError(
                f"{where}: Dateiname {path!r} ist kein relativer ASCII-Pfad aus Buchstaben, Ziffern, "
                "'_', '-' und '.'."
            )
        if path == MANIFEST or (reserved and path in reserved):
            raise PackageError(f"{where}: Datei {path!r} würde eine Steuerdatei des Pakets überschreiben.")
        folded = path.lower()
        if folded in seen:
            raise PackageError(
                f"{where}: Dateien {seen[folded]!r} und {path!r} unterscheiden sich nur in "
                "Groß-/Kleinschreibung."
            )
        seen[folded] = path
    return dict(site.files)


_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def html_title(data: bytes, fallback: str) -> str:
    """The page's `<title>` text (used for Common Cartridge item names), clipped to the SCORM/CP limit."""
    match = _TITLE.search(data)
    text = html.unescape(match.group(1).decode("utf-8", "replace")) if match else ""
    text = " ".join(text.split()) or fallback
    return text[:MAX_TITLE]


def sco_resource(root: etree._Element, imscp: str, scormtype: str, site: Site, ids: PackageIds) -> None:
    """The single SCO resource listing every rendered file; `scormtype` is the Clark name of the version's
    attribute (`adlcp:scormtype` in 1.2, `adlcp:scormType` in 2004)."""
    resources = sub(root, f"{{{imscp}}}resources")
    attrib = {"identifier": ids.sco, "type": "webcontent", "href": site.launch, scormtype: "sco"}
    resource = sub(resources, f"{{{imscp}}}resource", **attrib)
    for path in sorted(site.files):
        sub(resource, f"{{{imscp}}}file", href=path)


def sco_item(
    root: etree._Element, imscp: str, module: Module, ids: PackageIds
) -> tuple[etree._Element, etree._Element]:
    """Organizations with one organization holding one SCO item; returns (organization, item) for extras."""
    organizations = sub(root, f"{{{imscp}}}organizations", default=ids.organization)
    organization = sub(organizations, f"{{{imscp}}}organization", identifier=ids.organization)
    sub(organization, f"{{{imscp}}}title", module_title(module))
    item = sub(organization, f"{{{imscp}}}item", identifier=ids.item, identifierref=ids.sco, isvisible="true")
    sub(item, f"{{{imscp}}}title", module_title(module))
    return organization, item


def schema_metadata(root: etree._Element, namespace: str, schema: str, version: str) -> etree._Element:
    """`<metadata>` naming the package's schema and version (how LMSs tell the formats apart); returned so a
    builder can append its LOM."""
    metadata = sub(root, f"{{{namespace}}}metadata")
    sub(metadata, f"{{{namespace}}}schema", schema)
    sub(metadata, f"{{{namespace}}}schemaversion", version)
    return metadata


def manifest_root(
    imscp: str, nsmap: Mapping[str | None, str], course: Course, ids: PackageIds
) -> etree._Element:
    """`<manifest>` with stable identifier, course version and no schema location yet."""
    root = etree.Element(f"{{{imscp}}}manifest", nsmap=dict(nsmap))
    root.set("identifier", ids.manifest)
    root.set("version", course.version)
    return root


def scorm_files(module: Module, site: Site, edition: xsd.Edition, manifest: etree._Element) -> PackageFiles:
    """The last step of every SCORM recipe: checked content, the manifest, and the edition's control files."""
    manifest.set(f"{{{xsd.XSI_NS}}}schemaLocation", edition.schema_location_value())
    controls = xsd.control_files(edition)
    files = content_files(module, site, reserved=controls)
    files[MANIFEST] = serialize(manifest)
    files.update(controls)
    return files
