"""YAML to plain data plus the line of every mapping key and sequence item.

`yaml.safe_load` forgets where values came from; validation errors are only useful to an author with a line
number, so we compose PyYAML nodes ourselves and remember each node's line while building the same plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from course_package.model import FieldPath

_MAX_DEPTH = 50
"""Deeper than any course file; guards against recursive anchors (`&a [*a]`)."""


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


class YamlSyntaxError(Exception):
    """The text is not YAML at all; carries the 1-based line where the parser gave up."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_yaml(text: str, first_line: int = 1) -> ParsedYaml:
    """Parses one YAML document; `first_line` is the file line of the text's first line (for front matter)."""
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, offset) from None
    except yaml.YAMLError as error:  # unmarked: e.g. a reader error for control characters
        raise YamlSyntaxError(None, f"YAML-Syntaxfehler: {error}") from None
    parsed = ParsedYaml(data=None)
    if node is None:
        return parsed
    builder = _Builder(parsed, offset)
    try:
        parsed.data = builder.build(node, (), 0)
    except yaml.MarkedYAMLError as error:  # e.g. an unknown !tag or a bad timestamp
        raise _syntax_error(error, offset) from None
    parsed.lines.setdefault((), node.start_mark.line + 1 + offset)
    return parsed


def _syntax_error(error: yaml.MarkedYAMLError, offset: int) -> YamlSyntaxError:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 + offset if mark is not None else None
    parts = [part for part in (error.context, error.problem) if part]
    hint = "; rücken Sie mit Leerzeichen ein, nicht mit Tabulatoren" if "'\\t'" in str(error.problem) else ""
    return YamlSyntaxError(line, "YAML-Syntaxfehler: " + ", ".join(parts) + hint)


class _Builder:
    def __init__(self, parsed: ParsedYaml, offset: int) -> None:
        self.parsed = parsed
        self.offset = offset
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

    def mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[str, object]:
        self.constructor.flatten_mapping(node)  # resolves `<<: *anchor` merge keys
        result: dict[str, object] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = self.line(key_node)
            scalar = isinstance(key_node, ScalarNode)
            key = self.constructor.construct_object(key_node, deep=True) if scalar else None
            if not isinstance(key, str):
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
