"""Editing the example programme file's text in tests: one setting changed, whether or not it is written."""

from __future__ import annotations

import re


def set_certification(text: str, lines: str) -> str:
    """Each `  key: value` line of `lines` replaces that key under `certification:`, or is added there."""
    for line in lines.splitlines():
        key = line.strip().split(":", 1)[0]
        pattern = re.compile(rf"^(certification:\n(?:  .*\n|\s*#.*\n)*?)  {re.escape(key)}:.*\n", re.M)
        if pattern.search(text):
            match = pattern.search(text)
            assert match is not None
            text = f"{text[: match.start()]}{match.group(1)}{line}\n{text[match.end() :]}"
        else:
            text = text.replace("certification:\n", f"certification:\n{line}\n", 1)
    return text
