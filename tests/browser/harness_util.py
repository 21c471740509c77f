"""Browser helpers for test modules outside tests/browser (preview, report): the team's Chromium fixtures and
an axe-core check for any page or frame.

Fixtures in tests/browser/conftest.py only reach tests in this folder; other modules import them from here
(`from browser.harness_util import browser, context, page`), so there is still one way to start Chromium.
"""

from __future__ import annotations

from typing import Any

from browser.conftest import AXE, browser, context, page
from playwright.sync_api import Frame, Page

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

__all__ = ["AXE", "AXE_TAGS", "axe_violations", "browser", "context", "page"]


def axe_violations(target: Page | Frame) -> list[dict[str, Any]]:
    """WCAG 2.1 A/AA violations of the document in `target`, as plain data for a readable assert message."""
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return list(
        target.evaluate(
            """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations']})).violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' '))}))""",
            AXE_TAGS,
        )
    )
