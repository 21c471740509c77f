"""libxml2's schema and parser messages, reworded in German for the people who read validation reports.

lxml hands on libxml2's English texts. Findings are read by designers and Moodle admins, so the messages
that real manifests produce (unexpected or missing element, wrong enumeration value, missing or unknown
attribute, broken XML) are rewritten here; anything unknown is kept verbatim rather than guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME = re.compile(r"\{([^}]*)\}([\w.-]+|\*)")
_OTHER = re.compile(r"##other\{[^}]*\}\*")

_SUBJECT = re.compile(r"Element '([^']+)'(?:, attribute '([^']+)')?: (.*)", re.DOTALL)

_SCHEMA: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"This element is not expected\. Expected is one of \( (.+) \)\."),
        r"Element ist hier nicht erlaubt; erwartet wird eines von: \1.",
    ),
    (
        re.compile(r"This element is not expected\. Expected is \( (.+) \)\."),
        r"Element ist hier nicht erlaubt; erwartet wird: \1.",
    ),
    (re.compile(r"This element is not expected\."), "Element ist hier nicht erlaubt."),
    (
        re.compile(r"Missing child element\(s\)\. Expected is one of \( (.+) \)\."),
        r"Kindelement fehlt; erwartet wird eines von: \1.",
    ),
    (
        re.compile(r"Missing child element\(s\)\. Expected is \( (.+) \)\."),
        r"Kindelement fehlt; erwartet wird: \1.",
    ),
    (
        re.compile(r"\[facet 'enumeration'\] The value '(.*)' is not an element of the set \{(.*)\}\."),
        r"Wert '\1' ist nicht erlaubt; erlaubt sind: \2.",
    ),
    (
        re.compile(r"\[facet 'pattern'\] The value '(.*)' is not accepted by the pattern '(.*)'\."),
        r"Wert '\1' hat nicht die verlangte Form (Muster '\2').",
    ),
    (
        re.compile(
            r"\[facet 'maxLength'\] The value '(.*)' has a length of '(\d+)'; this exceeds the allowed "
            r"maximum length of '(\d+)'\."
        ),
        r"Wert '\1' ist \2 Zeichen lang; erlaubt sind höchstens \3.",
    ),
    (
        re.compile(r"'(.*)' is not a valid value of the (?:atomic|union|list) type '(.+)'\."),
        r"'\1' ist kein gültiger Wert vom Typ '\2'.",
    ),
    (
        re.compile(r"'(.*)' is not a valid value of the local (?:atomic|union|list) type\."),
        r"'\1' ist hier kein gültiger Wert.",
    ),
    (re.compile(r"The attribute '(.+)' is not allowed\."), r"Attribut '\1' ist hier nicht erlaubt."),
    (re.compile(r"The attribute '(.+)' is required but missing\."), r"Pflichtattribut '\1' fehlt."),
    (
        re.compile(
            r"Character content other than whitespace is not allowed because the content type is "
            r"'element-only'\."
        ),
        "Text ist hier nicht erlaubt, nur Kindelemente.",
    ),
    (
        re.compile(r"Element content is not allowed, because the content type is a simple type definition\."),
        "Kindelemente sind hier nicht erlaubt, nur Text.",
    ),
    (
        re.compile(r"Duplicate key-sequence \['(.*)'\] in (?:unique|key) identity-constraint '(.+)'\."),
        r"'\1' kommt mehrfach vor (Regel '\2').",
    ),
    (
        re.compile(r"No match found for key-sequence \['(.*)'\] of keyref '(.+)'\."),
        r"'\1' verweist auf nichts Vorhandenes (Regel '\2').",
    ),
]

_SYNTAX: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)"),
        r"<\1> aus Zeile \2 wird mit </\3> geschlossen",
    ),
    (
        re.compile(r"Premature end of data in tag (\S+) line (\d+)"),
        r"Datei endet, bevor <\1> aus Zeile \2 geschlossen ist",
    ),
    (re.compile(r"Extra content at the end of the document"), "weiterer Inhalt nach dem Wurzelelement"),
    (re.compile(r"Document is empty"), "Datei ist leer"),
    (re.compile(r"Start tag expected, '<' not found"), "kein XML: am Anfang fehlt '<'"),
    (re.compile(r"xmlParseEntityRef: no name"), "'&' ohne Namen; schreiben Sie &amp;"),
    (re.compile(r"AttValue: \" or ' expected"), "Attributwert ohne Anführungszeichen"),
]

_POSITION = re.compile(r"(.*?)(, line \d+, column \d+)?")


def schema_message(message: str, prefixes: Mapping[str, str]) -> str:
    """An XSD violation in German; `prefixes` maps namespace URIs to the prefix shown ("" for none)."""
    subject = _SUBJECT.fullmatch(message)
    if subject is None:
        return _names(_reword(message, _SCHEMA), prefixes)
    element, attribute, detail = subject.groups()
    where = f"Element <{_names(element, prefixes)}>"
    if attribute:
        where += f", Attribut {_names(attribute, prefixes)}"
    return f"{where}: {_names(_reword(detail, _SCHEMA), prefixes)}"


def syntax_message(message: str) -> str:
    """A well-formedness error in German, without libxml2's position (the finding carries the line)."""
    text = _POSITION.fullmatch(message)
    core = text.group(1) if text else message
    return _reword(core, _SYNTAX)


def _reword(text: str, table: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, german in table:
        if pattern.fullmatch(text):
            return pattern.sub(german, text)
    return text


def _names(text: str, prefixes: Mapping[str, str]) -> str:
    """`{uri}local` → `prefix:local` (or `local` for the manifest's own namespace); unknown URIs stay."""

    def short(match: re.Match[str]) -> str:
        uri, local = match.groups()
        if uri not in prefixes:
            return match.group(0)
        return f"{prefixes[uri]}:{local}" if prefixes[uri] else local

    return _NAME.sub(short, _OTHER.sub("Elemente anderer Namensräume", text))
