"""Offline XSD validation against the official SCORM control files, and the set of files a package must carry.

The schemas are never fetched: a resolver refuses every non-file URL and the parser has network and
entity expansion switched off. A wrapper schema imports every namespace of an edition, because `imscp` alone
checks foreign elements only laxly and would let a bad `adlcp:scormType` through. Two SCORM 1.2 files do not
compile in libxml2 as shipped; they are patched in memory only, so the copies put into packages stay
byte-identical.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlparse

from lxml import etree

from scm_base.errors import ToolkitError

if TYPE_CHECKING:
    from lxml.etree._docloader import _InputDocument

XSD_DIR_ENV = "SCM_LMS_XSD_DIR"

XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


class XsdError(ToolkitError, RuntimeError):
    """The control files are missing or unusable; the message says how to get them."""


@dataclass(frozen=True)
class Edition:
    """One set of official control files and the namespaces a manifest of that edition uses."""

    key: str
    folder: str
    schema_location: tuple[tuple[str, str], ...]
    """(namespace, file) pairs written to `xsi:schemaLocation`, in order."""
    extra_imports: tuple[tuple[str, str], ...] = ()
    """Namespaces only the wrapper schema needs (they are imported by the files above anyway)."""
    patches: tuple[tuple[str, str, str], ...] = ()
    """(file, old, new) in-memory edits so libxml2 can compile the set."""

    def schema_location_value(self) -> str:
        return " ".join(f"{namespace} {name}" for namespace, name in self.schema_location)


SCORM12 = Edition(
    key="scorm12",
    folder="scorm12edition",
    schema_location=(
        ("http://www.imsproject.org/xsd/imscp_rootv1p1p2", "imscp_rootv1p1p2.xsd"),
        ("http://www.imsglobal.org/xsd/imsmd_rootv1p2p1", "imsmd_rootv1p2p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd"),
    ),
    extra_imports=((XML_NS, "ims_xml.xsd"),),
    patches=(
        ("ims_xml.xsd", 'xmlns="http://www.w3.org/XML/1998/namespace"', ""),
        ("imsmd_rootv1p2p1.xsd", '<xsd:any namespace="##any"', '<xsd:any namespace="##other"'),
    ),
)

_SCORM2004_NAMESPACES = (
    ("http://www.imsglobal.org/xsd/imscp_v1p1", "imscp_v1p1.xsd"),
    ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
    ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
    ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
)

SCORM2004_4TH = Edition(
    key="scorm2004-4th",
    folder="scorm20044thedition",
    schema_location=_SCORM2004_NAMESPACES,
    extra_imports=((XML_NS, "xml.xsd"),),
)

SCORM2004_3RD = Edition(
    key="scorm2004-3rd",
    folder="scorm20043rdedition",
    schema_location=_SCORM2004_NAMESPACES,
    extra_imports=((XML_NS, "xml.xsd"),),
)

EDITIONS: Mapping[str, Edition] = {e.key: e for e in (SCORM12, SCORM2004_4TH, SCORM2004_3RD)}

_REFERENCE = re.compile(r"""schemaLocation\s*=\s*["']([^"']+)["']|["']([\w.-]+\.dtd)["']""")


@functools.lru_cache(maxsize=256)
def sibling_references(data: bytes) -> tuple[str, ...]:
    """Local control files a schema or DTD pulls in (includes, imports, DOCTYPE and DTD entity references).

    Cached by content: every package carries the same few control files."""
    text = data.decode("utf-8", "replace")
    names = (match.group(1) or match.group(2) for match in _REFERENCE.finditer(text))
    return tuple(name for name in names if "://" not in name and "/" not in name)


def xsd_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the control files live: `$SCM_LMS_XSD_DIR`, else `<repo>/vendor/xsd` (`make install`)."""
    env = os.environ if environ is None else environ
    configured = env.get(XSD_DIR_ENV, "").strip()
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "vendor" / "xsd"


def edition_dir(edition: Edition, root: Path | None = None) -> Path:
    folder = (root or xsd_dir()) / edition.folder
    missing = [name for _, name in edition.schema_location if not (folder / name).is_file()]
    if missing:
        raise XsdError(
            f"SCORM-Steuerdateien fehlen in {folder} ({', '.join(missing)}); `make install` ausführen "
            f"oder {XSD_DIR_ENV} auf einen Ordner mit {edition.folder}/ setzen."
        )
    return folder


def control_file_names(edition: Edition, root: Path | None = None) -> tuple[str, ...]:
    """The files named in `xsi:schemaLocation` plus everything they include, import or reference as a DTD."""
    folder = edition_dir(edition, root)
    pending = [name for _, name in edition.schema_location]
    found: list[str] = []
    while pending:
        name = pending.pop(0)
        if name in found:
            continue
        path = folder / name
        if not path.is_file():
            raise XsdError(
                f"Steuerdatei {name} wird referenziert, fehlt aber in {folder}; "
                "`make install` erneut ausführen."
            )
        found.append(name)
        pending.extend(sibling_references(path.read_bytes()))
    return tuple(sorted(found))


def control_files(edition: Edition, root: Path | None = None) -> dict[str, bytes]:
    """Byte-exact copies for the package root (the ADL test suite's RequiredFiles rule)."""
    return dict(_read_control_files(edition, edition_dir(edition, root).resolve()))


@functools.lru_cache(maxsize=8)
def _read_control_files(edition: Edition, folder: Path) -> tuple[tuple[str, bytes], ...]:
    return tuple((name, (folder / name).read_bytes()) for name in control_file_names(edition, folder.parent))


class _LocalOnly(etree.Resolver):
    """Loads schema parts from disk only; applies the edition's in-memory patches."""

    def __init__(self, edition: Edition) -> None:
        super().__init__()
        self._edition = edition
        self.refused: list[str] = []

    def resolve(
        self, system_url: str | None, public_id: str | None, context: object
    ) -> _InputDocument | None:
        if system_url and "://" in system_url and not system_url.startswith("file:"):
            self.refused.append(system_url)
            raise XsdError(f"Schemateil wird nicht aus dem Netz geladen: {system_url}")
        for name, old, new in self._edition.patches:
            if system_url and system_url.endswith("/" + name):
                path = (
                    Path(_local_path(urlparse(system_url).path)) if "://" in system_url else Path(system_url)
                )
                text = path.read_text(encoding="utf-8").replace(old, new)
                return self.resolve_string(text, context, base_url=system_url)
        return None


def _local_path(path: str) -> str:
    """`urllib.request.url2pathname` without importing urllib.request (it loads http.client and ssl, a
    noticeable part of every build's start-up)."""
    if os.name == "nt":
        from nturl2path import url2pathname

        return url2pathname(path)
    return unquote(path)


def safe_parser() -> etree.XMLParser:
    """A parser that never touches the network, never expands entities and never loads a DTD."""
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False, remove_comments=False
    )
    return parser


@functools.lru_cache(maxsize=8)
def _compiled(edition: Edition, folder: Path) -> etree.XMLSchema:
    imports = (*edition.schema_location, *edition.extra_imports)
    wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{}</xs:schema>'.format(
        "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in imports)
    )
    parser = safe_parser()
    resolver = _LocalOnly(edition)
    parser.resolvers.add(resolver)
    document = etree.fromstring(wrapper.encode(), parser, base_url=folder.as_uri() + "/")
    try:
        return etree.XMLSchema(document)
    except etree.XMLSchemaParseError as error:
        if resolver.refused:
            raise XsdError(f"Schemateil wird nicht aus dem Netz geladen: {resolver.refused[0]}") from error
        raise XsdError(
            f"Die Steuerdateien in {folder} lassen sich nicht übersetzen ({error}); "
            "`make clean install` ausführen."
        ) from error


def schema_errors(
    document: etree._ElementTree, edition: Edition, root: Path | None = None
) -> list[tuple[int, str]]:
    """(line, message) for every XSD violation; empty when the manifest is schema-valid."""
    schema = _compiled(edition, edition_dir(edition, root).resolve())
    if schema.validate(document):
        return []
    return [(error.line, error.message) for error in schema.error_log]
