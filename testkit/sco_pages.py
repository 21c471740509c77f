"""Checks on a rendered SCO page in Chromium (helpers, no tests): axe and 320 px reflow per state, and moving
focus with the keyboard only, shared by the accessibility and table-of-contents browser tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Frame

from testkit.chromium import axe_violations as chromium_axe

WIDTHS = (1280, 320)


def axe_violations(frame: Frame) -> list[dict[str, Any]]:
    """Hidden views are not what the learner sees; each is checked when it is shown."""
    return chromium_axe(frame, exclude=(".view[hidden]",))


def check_state(
    frame: Frame, name: str, found: dict[str, Any], widths: tuple[int, ...] = WIDTHS, views: bool = True
) -> None:
    """Runs axe at each width (resizing the same page keeps the state) and looks for sideways scrolling."""
    page = frame.page
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        violations = axe_violations(frame)
        if violations:
            found[f"{name} at {width} px"] = violations
        overflow = frame.evaluate("() => document.documentElement.scrollWidth - document.body.clientWidth")
        if width == 320 and overflow > 0:
            found[f"{name}: horizontal scroll at 320 px"] = overflow
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    visible_h1 = ".view:not([hidden]) h1" if views else "h1"
    assert frame.evaluate("(s) => document.querySelectorAll(s).length", visible_h1) == 1, name


def press_tab_until(frame: Frame, selector: str, backwards: bool = False) -> None:
    """Moves focus with Tab only (as a keyboard user does) until it lands on `selector`."""
    for _ in range(80):
        if frame.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        frame.page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"Tab never reached {selector}")
