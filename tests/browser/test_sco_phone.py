"""The module on a phone inside a frame sized like Moodle's SCORM player (current window, width 100 %).

Moodle 4.x gives the player frame the window height, at least 680 px (mod/scorm/module.js); the template
stores the same 680 px (scorm/moodle_backup/player.py). At 375 px width every view must fit without sideways
scrolling, and the module's own controls must be on screen once scrolled to, since Moodle shows no buttons.
"""

from __future__ import annotations

from playwright.sync_api import Frame, Page, ViewportSize

from course_package.model import Module
from scorm.moodle_backup.player import HEIGHT_PX
from tests.browser.conftest import LmsServer
from tests.browser.learner import Learner

PHONE: ViewportSize = {"width": 375, "height": 667}

FITS = """(selector) => {
    const root = document.documentElement;
    const result = {overflow: root.scrollWidth - root.clientWidth, controls: {}};
    for (const el of document.querySelectorAll(selector)) {
        if (el.closest('[hidden]') || el.offsetParent === null) { continue; }
        el.scrollIntoView({block: 'nearest', inline: 'nearest'});
        const r = el.getBoundingClientRect();
        const label = el.id || el.textContent.trim();
        // 1 px slack: scrollIntoView aligns to fractional pixels.
        result.controls[label] = r.left >= -1 && r.right <= root.clientWidth + 1
            && r.top >= -1 && r.bottom <= window.innerHeight + 1 && r.width > 0 && r.height > 0;
    }
    return result;
}"""
CONTROLS = (
    "#scm-prev, #scm-next, #scm-retry, #scm-finish, button[type=submit], #scm-quiz select, #scm-quiz input, "
    "#scm-toc-toggle"
)


def check(frame: Frame, name: str, found: dict[str, object], must_have: tuple[str, ...]) -> None:
    result = frame.evaluate(FITS, CONTROLS)
    if result["overflow"] > 0:
        found[f"{name}: {result['overflow']} px sideways scrolling"] = result["overflow"]
    off_screen = sorted(label for label, ok in result["controls"].items() if not ok)
    if off_screen:
        found[f"{name}: controls not fully on screen"] = off_screen
    missing = [label for label in must_have if label not in result["controls"]]
    if missing:
        found[f"{name}: controls not visible"] = missing


def test_module_plays_at_375_px_in_a_frame_like_moodles_player(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    page.set_viewport_size(PHONE)
    learner = Learner(page, lms_server.base, module, "scorm12")
    frame = learner.launch(frame_height=HEIGHT_PX)
    # Like Moodle's page, the harness keeps a small margin, so the frame is a little narrower than the phone.
    width, height = page.evaluate(
        "() => { const r = sco.getBoundingClientRect(); return [r.width, r.height]; }"
    )
    assert 340 <= width <= PHONE["width"] and height == HEIGHT_PX
    assert frame.evaluate("() => [innerWidth, innerHeight]") == [width, HEIGHT_PX]

    found: dict[str, object] = {}
    check(frame, "start", found, ("scm-next", "scm-toc-toggle"))
    for lesson in module.lessons:
        frame.locator("#scm-next").click()
        check(frame, f"lesson {lesson.id}", found, ("scm-prev", "scm-next"))
    frame.locator("#scm-next").click()
    check(frame, "glossary", found, ("scm-prev", "scm-next"))
    frame.locator("#scm-next").click()
    assert learner.visible_view(frame) == "view-quiz"
    learner.answer(frame, True)
    check(frame, "quiz answered", found, ("scm-prev",))
    learner.submit(frame)
    check(frame, "result", found, ("scm-retry", "scm-finish"))
    assert found == {}

    learner.finish(frame)
    cmi = learner.cmi()
    assert cmi["core"]["lesson_status"] == "passed"
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
