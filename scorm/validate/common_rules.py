"""Rules for every package kind: entry names, hrefs, listed files, media types and size."""

from __future__ import annotations

import mimetypes
import re

from lxml import etree

from scorm.validate.context import MANIFEST, Package, Rule, line

PLUGIN_MEDIA = {".swf", ".jar", ".class", ".xap", ".dcr", ".spl", ".flv"}
EXTRA_TYPES = {
    ".xsd": "application/xml",
    ".dtd": "application/xml-dtd",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".vtt": "text/vtt",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".webp": "image/webp",
    ".md": "text/markdown",
}
MAX_HREF = 2000
_NCNAME = re.compile(r"^[^\W\d][\w.\-]*$")


def check_identifiers(pkg: Package) -> None:
    """IMS CP identifiers are xs:ID: NCNames, unique across manifest, organizations, items and resources."""
    seen: set[str] = set()
    for element in pkg.root.iter():
        if not isinstance(element.tag, str) or etree.QName(element).namespace != pkg.cp:
            continue
        identifier = element.get("identifier")
        if identifier is None:
            continue
        if not _NCNAME.match(identifier):
            pkg.report.error(
                "id.ncname",
                f"identifier {identifier!r} ist kein NCName (Buchstabe oder '_' am Anfang, "
                "keine Leer- oder Doppelpunkte).",
                MANIFEST,
                line(element),
            )
        if identifier in seen:
            pkg.report.error(
                "id.duplicate", f"identifier {identifier!r} kommt mehrfach vor.", MANIFEST, line(element)
            )
        seen.add(identifier)


def check_item_references(pkg: Package) -> None:
    for item in pkg.elements("item"):
        reference = item.get("identifierref")
        if reference and reference not in pkg.resources:
            pkg.report.error(
                "item.identifierref",
                f"identifierref {reference!r} verweist auf keine Ressource.",
                MANIFEST,
                line(item),
            )


def check_entry_names(pkg: Package) -> None:
    folded: dict[str, str] = {}
    for name in sorted(pkg.archive.entries):
        if not name.isascii():
            pkg.report.warning(
                "zip.non-ascii", "Dateiname enthält Nicht-ASCII-Zeichen; manche LMS scheitern daran.", name
            )
        parts = name.split("/")
        if parts[0] == "__MACOSX" or any(part.startswith(".") for part in parts):
            pkg.report.warning(
                "zip.junk", "Versteckte Datei oder macOS-Metadaten im Paket; bitte entfernen.", name
            )
        other = folded.setdefault(name.lower(), name)
        if other != name:
            pkg.report.error(
                "zip.case-collision",
                f"Dateinamen {other!r} und {name!r} unterscheiden sich nur in Groß-/Kleinschreibung.",
                name,
            )


def _href_problem(href: str) -> tuple[str, str] | None:
    if not href:
        return "href.empty", "Leeres href."
    if "://" in href or href.lower().startswith(("mailto:", "javascript:", "data:")):
        return "href.external", f"href {href!r} verweist nach außen; Inhalte müssen im Paket liegen."
    if href.startswith("/"):
        return "href.absolute", f"href {href!r} beginnt mit '/'; nur relative Pfade sind erlaubt."
    if "\\" in href:
        return "href.backslash", f"href {href!r} enthält einen Backslash; '/' verwenden."
    if len(href) > MAX_HREF:
        return "href.length", f"href ist {len(href)} Zeichen lang (höchstens {MAX_HREF})."
    if ".." in href.split("/"):
        return "href.traversal", f"href {href!r} verlässt mit '..' das Paket."
    return None


def check_hrefs(pkg: Package) -> None:
    entries = pkg.archive.entries
    lower = {name.lower(): name for name in entries}
    for resource in pkg.elements("resource"):
        base = pkg.resource_base(resource)
        if base and (not base.endswith("/") or base.startswith("/")):
            pkg.report.error(
                "xmlbase", f"xml:base {base!r} muss relativ sein und auf '/' enden.", MANIFEST, line(resource)
            )
        targets = [(resource, resource.get("href"))] if resource.get("href") is not None else []
        targets += [(file, file.get("href", "")) for file in resource.iter(pkg.q("file"))]
        for element, raw in targets:
            href = (raw or "").split("#", 1)[0].split("?", 1)[0]
            problem = _href_problem(href)
            if problem:
                if problem[0] == "href.external" and element is resource:
                    pkg.report.warning(problem[0], problem[1], MANIFEST, line(element))
                else:
                    pkg.report.error(problem[0], problem[1], MANIFEST, line(element))
                continue
            path = base + href
            if path not in entries:
                near = lower.get(path.lower())
                if near:
                    pkg.report.error(
                        "href.case",
                        f"href {path!r} passt nur ohne Groß-/Kleinschreibung zu {near!r}.",
                        MANIFEST,
                        line(element),
                    )
                else:
                    pkg.report.error(
                        "href.missing",
                        f"href {path!r} verweist auf eine Datei, die im Paket fehlt.",
                        MANIFEST,
                        line(element),
                    )
    for element in pkg.root.iter():
        has_base = element.get("{http://www.w3.org/XML/1998/namespace}base") is not None
        if has_base and element is not pkg.root and element.tag != pkg.q("resource"):
            pkg.report.warning(
                "xmlbase",
                "Moodle beachtet xml:base nur an <resource>; bitte entfernen.",
                MANIFEST,
                line(element),
            )


def check_listed(pkg: Package) -> None:
    """The ADL ExcessBaggage check: files no manifest entry names are warned about."""
    known = pkg.listed_files | pkg.control_files | {MANIFEST}
    for name in sorted(pkg.archive.entries):
        if name not in known:
            pkg.report.warning(
                "files.unlisted", "Datei wird in keiner <file>-Angabe des Manifests genannt.", name
            )


def check_media(pkg: Package) -> None:
    for name in sorted(pkg.archive.entries):
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
        if suffix in PLUGIN_MEDIA:
            pkg.report.error(
                "media.plugin", f"Plugin-Medien ({suffix}) laufen in keinem aktuellen Browser.", name
            )
        elif suffix not in EXTRA_TYPES and mimetypes.guess_type("x" + suffix)[0] is None:
            pkg.report.warning(
                "media.mime", "Unbekannter Dateityp; der Webserver liefert ihn evtl. falsch aus.", name
            )


def check_size(pkg: Package) -> None:
    size = pkg.archive.path.stat().st_size
    limit = pkg.limits.max_package_bytes
    if size > limit:
        pkg.report.error(
            "package.size", f"Paket ist {size} Bytes groß; die Upload-Grenze liegt bei {limit} Bytes."
        )


COMMON_RULES: tuple[Rule, ...] = (
    check_identifiers,
    check_item_references,
    check_entry_names,
    check_hrefs,
    check_listed,
    check_media,
    check_size,
)
