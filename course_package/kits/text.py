"""Author Markdown as PDF paragraphs: the guides show notes and debriefs as plain text, not as HTML.

Paragraphs stay paragraphs, list items become bullets, emphasis markers are dropped and a link keeps its
address in brackets, so nothing the author wrote is lost on paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(.+?)\1")


@dataclass(frozen=True)
class Piece:
    text: str
    bullet: bool = False
    heading: bool = False


def plain(text: str) -> str:
    """Inline Markdown → text: `**fett**` → `fett`, `[Titel](https://…)` → `Titel (https://…)`."""
    text = _LINK.sub(lambda match: f"{match.group(1)} ({match.group(2)})", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def pieces(markdown: str) -> list[Piece]:
    """Block Markdown → paragraphs, bullets and (for `#` lines) run-in headings, in order."""
    result: list[Piece] = []
    current: list[str] = []
    bullet = False

    def flush() -> None:
        nonlocal current, bullet
        if current:
            result.append(Piece(plain(" ".join(current)), bullet=bullet))
        current, bullet = [], False

    for raw in markdown.splitlines():
        line = raw.strip()
        if not line or line.startswith("|---") or set(line) <= {"|", "-", ":", " "}:
            flush()
            continue
        if line.startswith("#"):
            flush()
            result.append(Piece(plain(line.lstrip("#").strip()), heading=True))
            continue
        if _LIST_ITEM.match(line):
            flush()
            current, bullet = [_LIST_ITEM.sub("", line)], True
            continue
        if line.startswith("|"):
            flush()
            result.append(Piece(plain(" – ".join(cell.strip() for cell in line.strip("|").split("|")))))
            continue
        current.append(line)
    flush()
    return result
