"""Browser helpers for test modules outside tests/browser (preview, report): Chromium fixtures that share the
team's browser, and an axe-core check for any page or frame.

Fixtures in tests/browser/conftest.py only reach tests in that folder, and Playwright's sync API allows one
running instance per process. So `browser` here reuses the team's session browser when tests/browser already
started it, and otherwise starts one for the importing module only (closed at its end, so the team's fixture
can start later in the same run). Import as `from browser.harness_util import browser, context, page`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from browser.conftest import AXE, CHROMIUM_ARGS, context, page
from playwright.sync_api import Browser, Frame, Page, sync_playwright

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

__all__ = ["AXE", "AXE_TAGS", "axe_violations", "browser", "context", "page"]


def _running_browser(request: pytest.FixtureRequest) -> Browser | None:
    """The Browser another `browser` fixture of this run is holding right now, if any (pytest 9's fixture
    registry; pytest is pinned, and an unknown layout only means starting a browser of our own)."""
    registry = getattr(request._fixturemanager, "_arg2node2fixturedefs", {})
    for definitions in registry.get("browser", {}).values():
        for definition in definitions:
            cached = definition.cached_result
            if cached is not None and isinstance(cached[0], Browser) and cached[0].is_connected():
                return cached[0]
    return None


@pytest.fixture(scope="module")
def browser(request: pytest.FixtureRequest) -> Iterator[Browser]:
    running = _running_browser(request)
    if running is not None:
        yield running
        return
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed; run `make install-test` (apt-get install chromium)")
    with sync_playwright() as playwright:
        own = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield own
        own.close()


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
