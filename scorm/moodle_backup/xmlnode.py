"""A tiny writer for Moodle's backup XML dialect: two-space indent, no self-closing tags, `$@NULL@$` for NULL.

lxml would serialise empty containers as `<tags/>`; Moodle's restore reads either, but writing exactly what
Moodle writes keeps our files diffable against a real backup and the structure tests meaningful.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

NULL = "$@NULL@$"
"""How Moodle's backup writes a database NULL."""

Value = str | int | None

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


@dataclass(frozen=True)
class Node:
    tag: str
    text: str | None = None
    """Set for leaves (even to ""); None marks a container, written open and closed on their own lines."""
    children: tuple[Node, ...] = ()
    attrs: tuple[tuple[str, str], ...] = field(default=())


def leaf(tag: str, value: Value) -> Node:
    return Node(tag, NULL if value is None else str(value))


def box(tag: str, *children: Node | Iterable[Node], **attrs: Value) -> Node:
    """A container; children may be nodes or iterables of nodes (flattened in order)."""
    flat: list[Node] = []
    for child in children:
        if isinstance(child, Node):
            flat.append(child)
        else:
            flat.extend(child)
    return Node(tag, None, tuple(flat), tuple((key, _attr(value)) for key, value in attrs.items()))


def leaves(values: Mapping[str, Value]) -> list[Node]:
    """One leaf per field, in the mapping's order (the order Moodle writes the table's columns)."""
    return [leaf(tag, value) for tag, value in values.items()]


def render(root: Node) -> bytes:
    """The whole file: declaration, tree, no trailing newline (as Moodle writes it)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    _render(root, 0, lines)
    return "\n".join(lines).encode("utf-8")


def _render(node: Node, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    attrs = "".join(f' {key}="{_escape(value)}"' for key, value in node.attrs)
    if node.text is not None:
        lines.append(f"{pad}<{node.tag}{attrs}>{_escape(node.text)}</{node.tag}>")
        return
    lines.append(f"{pad}<{node.tag}{attrs}>")
    for child in node.children:
        _render(child, depth + 1, lines)
    lines.append(f"{pad}</{node.tag}>")


def _attr(value: Value) -> str:
    return NULL if value is None else str(value)


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(char, char) for char in _CONTROL.sub("", text))
