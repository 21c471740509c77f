"""Figures in lesson bodies: a fenced `figure` block names an SVG of the module's `figures/` folder.

The block is YAML (`file`, `alt`, optional `description` and `caption`), so an author writes the text
alternative right where the figure stands and the loader can point at the exact line of what is missing.
The SVG itself must be self-contained (no scripts, no external references): learners may be offline and the
SCO must never load anything from outside its package.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from markdown_it import MarkdownIt

from scm_base.yaml_lines import YamlSyntaxError, parse_yaml

FIGURE_INFO = "figure"
"""The info string of a figure block: three backticks, then `figure`."""
FIGURE_KEYS = ("file", "alt", "description", "caption")
FIGURE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.svg$")
ALT_LIMIT = 250
"""A text alternative is read out in one go; anything longer belongs in `description`."""
MAX_SVG_BYTES = 200_000
SVG_NS = "http://www.w3.org/2000/svg"
_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "audio", "video"}
_MARKDOWN = MarkdownIt("commonmark").enable("table")


def figure_blocks(body: str) -> list[tuple[int, str]]:
    """(line offset of the opening fence inside body, block text) of every figure block."""
    return [
        (token.map[0] if token.map else 0, token.content)
        for token in _MARKDOWN.parse(body)
        if token.type == "fence" and token.info.strip() == FIGURE_INFO
    ]


def parse_figure(text: str) -> dict[str, object] | str:
    """The block's fields, or a German message saying why it is not a mapping of known keys."""
    try:
        data = parse_yaml(text).data
    except YamlSyntaxError as error:
        return f"Abbildungsblock ist kein gültiges YAML: {error.message}"
    if not isinstance(data, dict):
        return "Abbildungsblock braucht Zeilen 'file: name.svg' und 'alt: Textalternative'"
    unknown = sorted(str(key) for key in data if key not in FIGURE_KEYS)
    if unknown:
        return f"unbekannte Angabe {unknown[0]!r} im Abbildungsblock; erlaubt sind {', '.join(FIGURE_KEYS)}"
    return data


def figure_findings(
    body: str, first_line: int, folder: Path, rel: str
) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Problems (file line, message) of the body's figure blocks, and the SVGs they use (name -> text).

    `folder` is the module's `figures/` folder, `rel` its path as the author sees it.
    """
    findings: list[tuple[int, str]] = []
    used: dict[str, str] = {}
    for offset, text in figure_blocks(body):
        line = first_line + offset
        fields = parse_figure(text)
        if isinstance(fields, str):
            findings.append((line, fields))
            continue
        alt = fields.get("alt")
        if not isinstance(alt, str) or not alt.strip():
            message = (
                "Textalternative fehlt: ergänzen Sie 'alt:' mit einem Satz, der sagt, was die Abbildung zeigt"
            )
            findings.append((line, message))
        elif len(alt) > ALT_LIMIT:
            message = (
                f"Textalternative hat {len(alt)} Zeichen, höchstens {ALT_LIMIT}; "
                "Details gehören in 'description:'"
            )
            findings.append((line, message))
        for key in ("description", "caption"):
            if key in fields and (not isinstance(fields[key], str) or not str(fields[key]).strip()):
                message = f"'{key}:' ist leer; schreiben Sie einen Text oder lassen Sie die Zeile weg"
                findings.append((line, message))
        name = fields.get("file")
        if not isinstance(name, str) or not FIGURE_NAME.match(name):
            message = (
                "'file:' muss eine SVG-Datei aus figures/ nennen, z. B. 'file: strategiezyklus.svg'"
            )
            findings.append((line, message))
            continue
        path = folder / name
        if not path.is_file():
            findings.append((line, f"Abbildung fehlt: legen Sie {rel}/{name} an"))
            continue
        svg, problem = read_svg(path)
        if problem:
            findings.append((line, f"{rel}/{name}: {problem}"))
        else:
            used[name] = svg
    return findings, used


def read_svg(path: Path) -> tuple[str, str]:
    """(SVG text, "") when the file is a self-contained, scalable SVG; otherwise ("", what to change)."""
    raw = path.read_bytes()
    if len(raw) > MAX_SVG_BYTES:
        return "", f"Datei ist größer als {MAX_SVG_BYTES // 1000} kB; vereinfachen Sie die Zeichnung"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        return "", f"kein gültiges SVG (XML-Fehler in Zeile {error.lineno}: {error.msg})"
    if root.tag != f"{{{SVG_NS}}}svg":
        return "", "die Datei muss mit <svg xmlns=\"http://www.w3.org/2000/svg\" …> beginnen"
    if not root.get("viewBox"):
        return "", "viewBox fehlt; ohne sie passt sich die Abbildung schmalen Bildschirmen nicht an"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local == "style" and re.search(r"@import|url\((?!#)", element.text or ""):
            return "", f"Verweis nach außen im <style> ist nicht erlaubt (Zeile {element.sourceline})"
        if local in _FORBIDDEN:
            return "", f"<{local}> ist in Abbildungen nicht erlaubt (Zeile {element.sourceline})"
        for attribute, value in element.attrib.items():
            name = etree.QName(attribute).localname
            if name.lower().startswith("on"):
                return "", f"Skript-Attribut {name!r} ist nicht erlaubt (Zeile {element.sourceline})"
            if name == "href" and not value.startswith("#"):
                return "", f"Verweis {value!r} nach außen ist nicht erlaubt (Zeile {element.sourceline})"
            if "url(" in value and "url(#" not in value:
                return "", f"Verweis {value!r} nach außen ist nicht erlaubt (Zeile {element.sourceline})"
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        return "", "kein UTF-8-Text; speichern Sie die Datei als UTF-8"
