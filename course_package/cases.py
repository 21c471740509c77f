"""Case boxes ("Praxisbeispiel"): a blockquote that opens with **Praxisbeispiel: …** and ends with its source.

Authors write them in plain Markdown so every editor shows them sensibly; the renderer turns them into a
labelled note box and the loader insists on the "Quelle:" line, because a real case without its source is a
claim nobody can check.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markdown_it.token import Token

LEAD = "Praxisbeispiel:"
SOURCE = "Quelle:"


@dataclass(frozen=True)
class CaseBox:
    open_index: int
    close_index: int
    has_source: bool


def case_boxes(tokens: Sequence[Token]) -> Iterator[CaseBox]:
    """Top-level blockquotes whose first paragraph starts in bold with the lead word."""
    depth = 0
    start = -1
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            if depth == 0 and _starts_case(tokens, index):
                start = index
            depth += 1
        elif token.type == "blockquote_close":
            depth -= 1
            if depth == 0 and start >= 0:
                yield CaseBox(start, index, _has_source(tokens[start:index]))
                start = -1


def _starts_case(tokens: Sequence[Token], index: int) -> bool:
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return False
    children = [child for child in tokens[index + 2].children or [] if child.type != "text" or child.content]
    return (
        len(children) >= 2
        and children[0].type == "strong_open"
        and children[1].type == "text"
        and children[1].content.startswith(LEAD)
    )


def _has_source(tokens: Sequence[Token]) -> bool:
    return any(token.type == "inline" and token.content.startswith(SOURCE) for token in tokens)


def mark_case_boxes(tokens: Sequence[Token]) -> None:
    """Case boxes become `<div class="case" role="note">`: a note, not a landmark, so several fit a page."""
    for box in case_boxes(tokens):
        for token in (tokens[box.open_index], tokens[box.close_index]):
            token.tag = "div"
        tokens[box.open_index].attrSet("class", "case")
        tokens[box.open_index].attrSet("role", "note")
