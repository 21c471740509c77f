"""What every .mbz validation stage sees: the unpacked members and the parsed XML files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scorm.validate.findings import Report


@dataclass
class Backup:
    names: list[str]
    """Every member name, in archive order (folders included)."""
    files: dict[str, bytes]
    xml: dict[str, etree._Element] = field(default_factory=dict)
    report: Report = field(default_factory=lambda: Report(Path()))

    def find(self, path: str, child: str) -> str:
        """Text of `child` (an XPath relative to the root) in parsed file `path`, or "" if absent."""
        return text(self.xml.get(path), child)


Stage = Callable[[Backup], None]


def text(element: etree._Element | None, child: str) -> str:
    """Stripped text of `child` (a path relative to `element`), "" if either is missing."""
    found = element.find(child) if element is not None else None
    return (found.text or "").strip() if found is not None else ""
