"""Debian Chromium for tests: launch arguments, the npm tools' paths and an axe-core check.

The `browser`, `context` and `page` fixtures in tests/conftest.py use this, so every test module of a run
shares one browser (Playwright's sync API allows one running instance per process).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

REPO = Path(__file__).resolve().parents[1]
NPM = REPO / "tools" / "npm" / "node_modules"
SCORM_AGAIN = NPM / "scorm-again" / "dist" / "scorm-again.js"
AXE = NPM / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def axe_violations(target: Page | Frame, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """WCAG 2.1 A/AA violations of the document in `target` (minus `exclude` selectors), as plain data."""
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return list(
        target.evaluate(
            """async ([tags, exclude]) => (await axe.run(exclude.length ? {exclude: exclude} : document,
            {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})).violations.map(v =>
            ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))""",
            [AXE_TAGS, list(exclude)],
        )
    )
