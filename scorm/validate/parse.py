"""Parsing a manifest twice: namespace-aware (the spec's view) and prefix-literal (Moodle's view).

Moodle reads manifests with PHP's case-folding, namespace-unaware `xml_parser_create` and matches literal
names such as `ADLCP:SCORMTYPE`; a package that is valid XML with other prefixes is silently mis-tracked.
The literal parser here mimics that with expat in non-namespace mode, and version detection is a port of
Moodle's rules (schemaversion, and for cartridges a string match in the first 500 bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from lxml import etree

from scm_base.errors import ToolkitError
from scorm.validate.libxml_de import syntax_message
from scorm.xsd import safe_parser

SCORM_12 = "SCORM_1.2"
SCORM_13 = "SCORM_1.3"
IMSCC_11 = "IMSCC_1.1"
IMSCC_OTHER = "IMSCC"

CC11_NAMESPACE = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
_SCORM13_VERSIONS = {"1.3", "cam 1.3", "2004 3rd edition", "2004 4th edition"}
_HOSTILE_MARKUP = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class ManifestError(ToolkitError, ValueError):
    """The manifest cannot be read safely; `code` and `line` go into the report."""

    def __init__(self, code: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.line = line


@dataclass
class Node:
    """An element as Moodle sees it: upper-cased literal name and attribute names."""

    name: str
    attrs: dict[str, str]
    line: int
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def iter(self, name: str) -> list[Node]:
        found = [self] if self.name == name else []
        for child in self.children:
            found.extend(child.iter(name))
        return found


def parse_safe(raw: bytes, what: str = "Manifest") -> etree._Element:
    """Namespace-aware parse that refuses DTDs and entities outright (no XXE, no billion laughs)."""
    hostile = _HOSTILE_MARKUP.search(raw)
    if hostile:
        line = raw.count(b"\n", 0, hostile.start()) + 1
        raise ManifestError(
            "xml.dtd",
            f"{what} enthält eine DTD- oder ENTITY-Deklaration; sie wird aus Sicherheitsgründen "
            "nicht gelesen (XXE/Entity-Expansion). Deklaration entfernen.",
            line,
        )
    try:
        return etree.fromstring(raw, safe_parser())
    except etree.XMLSyntaxError as error:
        raise ManifestError(
            "xml.malformed", f"{what} ist kein wohlgeformtes XML: {syntax_message(error.msg)}", error.lineno
        ) from None


def parse_literal(raw: bytes) -> Node:
    """Moodle-style parse; call only after `parse_safe` accepted the bytes."""
    parser = expat.ParserCreate()
    stack: list[Node] = []
    roots: list[Node] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        node = Node(
            name.upper(), {key.upper(): value for key, value in attrs.items()}, parser.CurrentLineNumber
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as error:
        raise ManifestError(
            "xml.malformed", f"Manifest ist kein wohlgeformtes XML: {error}", error.lineno
        ) from None
    return roots[0]


def schemaversion(literal: Node) -> str | None:
    """The manifest's own `metadata/schemaversion`, read the way Moodle does (literal names)."""
    for metadata in literal.children:
        if metadata.name == "METADATA":
            for child in metadata.children:
                if child.name == "SCHEMAVERSION":
                    return child.text.strip()
    return None


def moodle_scorm_version(version: str | None) -> str:
    """Port of Moodle's detection: 1.3-family values give SCORM_1.3; anything else (or none) SCORM_1.2."""
    return SCORM_13 if version is not None and version.strip().lower() in _SCORM13_VERSIONS else SCORM_12


def moodle_sees_cc11(raw: bytes) -> bool:
    """Port of Moodle's cartridge sniffing: lower-case, strip whitespace and quotes in the first 500 bytes."""
    snippet = raw[:500].decode("utf-8", "replace").lower()
    snippet = re.sub(r"\s", "", snippet).replace('"', "").replace("'", "")
    return f"xmlns={CC11_NAMESPACE}" in snippet


def detect_kind(raw: bytes, root: etree._Element, literal: Node) -> str:
    namespace = etree.QName(root).namespace or ""
    if "/imscc" in namespace:
        return IMSCC_11 if namespace == CC11_NAMESPACE else IMSCC_OTHER
    return moodle_scorm_version(schemaversion(literal))
