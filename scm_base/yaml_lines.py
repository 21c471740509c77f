"""YAML to plain data plus the line of every mapping key and sequence item: the one loader for course sources
and the programme file.

`yaml.safe_load` forgets where values came from; validation errors are only useful to an author with a line
number, so we compose PyYAML nodes ourselves and remember each node's line while building the same plain data.
Both kinds of file get the same rules: a duplicate key is an issue (never silently the last one), and integers
are decimal only – YAML 1.1's base-60, octal, hex and binary forms stay text, so an unquoted 13:00 is a time,
not 780.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from scm_base.errors import ToolkitError

FieldPath = tuple[str | int, ...]
"""Where in a document: mapping keys and list indexes from the root."""

_MAX_DEPTH = 50
"""Deeper than any course file; guards against recursive anchors (`&a [*a]`)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader whose integers are decimal only (no YAML 1.1 base-60, octal, hex or binary forms)."""


_FastLoader: type[yaml.SafeLoader | yaml.CSafeLoader] = _Loader
"""The same rules on libyaml's parser (about ten times faster) when PyYAML was built with it; the
pure-Python `_Loader` reads again every text libyaml refuses, so authors get its (translated) messages."""
if yaml.__with_libyaml__:

    class _CLoader(yaml.CSafeLoader):
        """`_Loader` on libyaml; composing only, the data is built by `_Builder` as before."""

    _FastLoader = _CLoader

for _loader in {_Loader, _FastLoader}:
    _loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:int"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789")
    )


@dataclass(frozen=True)
class YamlIssue:
    """Something wrong in a file that still parsed (e.g. a duplicate key); the data is usable but suspect."""

    line: int
    path: FieldPath
    message: str


@dataclass
class ParsedYaml:
    data: object
    lines: dict[FieldPath, int] = field(default_factory=dict)
    """Line (1-based, in the whole file) of every mapping key and sequence item, keyed by its path."""
    issues: list[YamlIssue] = field(default_factory=list)
    node: Node | None = None
    """The composed document, for callers that locate paths of their own (see `line_of`)."""


class YamlSyntaxError(ToolkitError):
    """The text is not YAML at all; carries the 1-based line where the parser gave up."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, first_line: int = 1, *, text_keys: bool = True) -> ParsedYaml:
    """Parses one YAML document; `first_line` is the file line of the text's first line (for front matter).

    With `text_keys` a key that is not text (`on:`, `1:`) is an issue and left out; without it scalar keys
    are kept as YAML reads them (the programme file keys pass marks by module number).
    """
    offset = first_line - 1
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, offset) from None
    except yaml.YAMLError as error:  # unmarked: e.g. a reader error for control characters
        raise YamlSyntaxError(None, f"YAML-Syntaxfehler: {_unmarked(error)}") from None
    parsed = ParsedYaml(data=None, node=node)
    if node is None:
        return parsed
    builder = _Builder(parsed, offset, text_keys)
    try:
        parsed.data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as error:  # e.g. an unknown !tag or a bad timestamp
        raise _syntax_error(error, offset) from None
    parsed.lines.setdefault((), node.start_mark.line + 1 + offset)
    return parsed


def _compose(text: str) -> Node | None:
    """The document's node tree: libyaml first; whatever it refuses is read again by PyYAML's own parser,
    whose errors (and their German translations below) stay the ones authors see."""
    if _FastLoader is not _Loader:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def _syntax_error(error: yaml.MarkedYAMLError, offset: int) -> YamlSyntaxError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 + offset if mark is not None else None
    context = _CONTEXTS.get(error.context or "", error.context)
    where = f" {context}" if context else ""
    return YamlSyntaxError(line, f"YAML-Syntaxfehler{where}: {_problem(error.problem or '')}")


# PyYAML's parser speaks English; authors get its common messages in German, the rare ones verbatim.
_CONTEXTS = {
    "while parsing a block mapping": "in einer Zuordnung (schlüssel: wert)",
    "while parsing a block collection": "in einer eingerückten Liste oder Zuordnung",
    "while parsing a flow sequence": "in einer Liste in [ ]",
    "while parsing a flow mapping": "in einer Zuordnung in { }",
    "while parsing a node": "in einem Wert",
    "while scanning a simple key": "in einem Schlüssel",
    "while scanning a quoted scalar": "in einem Text in Anführungszeichen",
    "while scanning a double-quoted scalar": "in einem Text in doppelten Anführungszeichen",
    "while scanning a single-quoted scalar": "in einem Text in einfachen Anführungszeichen",
    "while scanning a block scalar": "in einem mehrzeiligen Text (| oder >)",
    "while scanning for the next token": "",
    "expected a single document in the stream": "",
}
_TOKENS = {
    "<block end>": "das Ende der eingerückten Ebene",
    "'<block end>'": "das Ende der eingerückten Ebene",
    "'?'": "ein Schlüssel",
    "'<block mapping start>'": "der Beginn einer Zuordnung",
    "'<block sequence start>'": "der Beginn einer Liste",
    "'-'": "ein Listeneintrag '-'",
    "'<stream end>'": "das Dateiende",
    "'<scalar>'": "ein Wert",
    "','": "ein Komma",
    "':'": "ein Doppelpunkt",
    "']'": "eine schließende Klammer ']'",
    "'}'": "eine schließende Klammer '}'",
}
_PROBLEMS: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"mapping values are not allowed here"),
        "hier darf kein 'schlüssel: wert' stehen – steht ein Doppelpunkt im Text? Dann setzen Sie den Text "
        "in Anführungszeichen; sonst die Einrückung prüfen",
    ),
    (re.compile(r"mapping keys are not allowed here"), "hier darf kein Schlüssel stehen; Einrückung prüfen"),
    (re.compile(r"could not find expected ':'"), "der erwartete Doppelpunkt ':' fehlt"),
    (
        re.compile(r"found character '\\t' that cannot start any token"),
        "Tabulator gefunden; rücken Sie mit Leerzeichen ein, nicht mit Tabulatoren",
    ),
    (re.compile(r"found character (.+) that cannot start any token"), r"Zeichen \1 darf hier nicht stehen"),
    (
        re.compile(r"found unexpected end of stream"),
        "unerwartetes Dateiende – fehlt ein schließendes Anführungszeichen?",
    ),
    (re.compile(r"found undefined alias '(.+)'"), r"Verweis *\1 ohne passenden Anker &\1"),
    (
        re.compile(r"found unknown escape character '(.+)'"),
        r"unbekannte Escape-Folge \\\1; setzen Sie den Text in einfache Anführungszeichen",
    ),
    (re.compile(r"could not determine a constructor for the tag (.+)"), r"unbekanntes YAML-Tag \1"),
    (
        re.compile(r"but found another document"),
        "zweites Dokument nach '---'; eine Datei enthält nur ein Dokument",
    ),
]
_EXPECTED = re.compile(r"expected (.+?), but (?:found|got) (.+)")


def _unmarked(error: yaml.YAMLError) -> str:
    """Errors without a position; in practice the reader refusing a control character."""
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        return f"Steuerzeichen #x{error.character:04x} ist in YAML nicht erlaubt; entfernen Sie es"
    return str(error)


def _problem(text: str) -> str:
    for pattern, german in _PROBLEMS:
        if pattern.fullmatch(text):
            return pattern.sub(german, text)
    expected = _EXPECTED.fullmatch(text)
    if expected is None:
        return text
    wanted = expected.group(1).replace(" or ", " oder ")
    found = expected.group(2)
    hint = "; Einrückung prüfen" if wanted == "<block end>" else ""
    return f"erwartet {_TOKENS.get(wanted, wanted)}, gefunden: {_TOKENS.get(found, found)}{hint}"


class _Builder:
    def __init__(self, parsed: ParsedYaml, offset: int, text_keys: bool) -> None:
        self.parsed = parsed
        self.offset = offset
        self.text_keys = text_keys
        self.constructor = SafeConstructor()

    def line(self, node: Node) -> int:
        return int(node.start_mark.line) + 1 + self.offset

    def build(self, node: Node, path: FieldPath, depth: int) -> object:
        if depth > _MAX_DEPTH:
            raise YamlSyntaxError(self.line(node), "YAML ist zu tief verschachtelt (rekursiver Anker?)")
        if isinstance(node, MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.parsed.lines[(*path, index)] = self.line(item)
                items.append(self.build(item, (*path, index), depth + 1))
            return items
        assert isinstance(node, ScalarNode)
        return self.constructor.construct_object(node, deep=True)

    def mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[Any, object]:
        self.constructor.flatten_mapping(node)  # resolves `<<: *anchor` merge keys
        result: dict[Any, object] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            line = self.line(key_node)
            scalar = isinstance(key_node, ScalarNode)
            key: Any = self.constructor.construct_object(key_node, deep=True) if scalar else None
            if not scalar or (self.text_keys and not isinstance(key, str)):
                shown = repr(key_node.value) if scalar else "(Liste oder Zuordnung)"
                message = f"Schlüssel {shown} ist kein Text; schreiben Sie ihn als Wort in Anführungszeichen"
                self.parsed.issues.append(YamlIssue(line, path, message))
                continue
            if key in first_line:
                message = f"Schlüssel '{key}' kommt doppelt vor (zuerst in Zeile {first_line[key]})"
                self.parsed.issues.append(YamlIssue(line, (*path, key), message))
            first_line.setdefault(key, line)
            self.parsed.lines[(*path, key)] = line
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


def line_of(node: Node | None, loc: tuple[Any, ...], first_line: int = 1) -> int:
    """Line of the deepest node along `loc` that exists (a missing key points at its parent's value); for
    locations that are not data paths, such as pydantic's error locations."""
    offset = first_line - 1
    line = node.start_mark.line + 1 + offset if node is not None else first_line
    for part in loc:
        child: Node | None = None
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == str(part):
                    child = key_node if part == loc[-1] else value_node
                    break
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1 + offset
    return line
