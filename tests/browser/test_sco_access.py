"""Accessibility of the SCO in real Chromium: axe-core on every view and state, 320 px reflow, keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from course_package.model import Course, Module
from testkit.sco_pages import check_state, press_tab_until
from tests.browser.conftest import LmsServer, site_key
from tests.browser.learner import Learner, answer_plan


def test_every_view_and_state_has_no_axe_violations(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    learner = Learner(page, lms_server.base, module, "scorm12")
    frame = learner.launch()
    found: dict[str, Any] = {}
    check_state(frame, "start", found)
    while learner.visible_view(frame) != "view-quiz":
        frame.get_by_role("button", name="Weiter", exact=True).click()
        check_state(frame, learner.visible_view(frame), found)
    frame.get_by_role("button", name="Test auswerten").click()
    assert frame.locator("#scm-quiz-error").inner_text().startswith("Bitte beantworten")
    check_state(frame, "quiz with missing answers", found)
    learner.answer(frame, False)
    check_state(frame, "quiz answered", found)
    learner.submit(frame)
    check_state(frame, "result failed with feedback", found)
    frame.get_by_role("button", name="Test wiederholen").click()
    learner.answer(frame, True)
    learner.submit(frame)
    check_state(frame, "result passed", found)
    learner.finish(frame)
    check_state(frame, "finished", found)
    assert not found, found


def test_without_lms_the_module_works_and_says_progress_is_not_saved(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    learner = Learner(page, lms_server.base, module, "scorm2004")
    frame = learner.launch_standalone()
    notice = frame.locator("#scm-notice")
    assert notice.is_visible() and "nicht gespeichert" in notice.inner_text()
    found: dict[str, Any] = {}
    check_state(frame, "no-LMS notice", found)
    learner.go_to_quiz(frame)
    learner.answer(frame, True)
    learner.submit(frame)
    assert frame.locator("#scm-verdict").inner_text().startswith("Bestanden")
    learner.finish(frame)
    assert "Fenster jetzt schließen" in frame.locator("#scm-finished").inner_text()
    check_state(frame, "finished without LMS", found)
    assert not found, found


def test_keyboard_only_completes_the_module(page: Page, lms_server: LmsServer, module: Module) -> None:
    learner = Learner(page, lms_server.base, module, "scorm12")
    frame = learner.launch()
    keyboard = page.keyboard
    press_tab_until(frame, "#scm-next")
    outline = frame.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "keyboard focus must be visible"
    while learner.visible_view(frame) != "view-quiz":
        press_tab_until(frame, "#scm-next")
        keyboard.press("Enter")
        focused = frame.evaluate("() => document.activeElement.tagName")
        assert focused == "H1", "focus moves to the new view's h1"
    for question in module.quiz.questions:
        fields = frame.locator(f"#q-{question.id} input, #q-{question.id} select")
        ids = [fields.nth(i).get_attribute("id") for i in range(fields.count())]
        for label, option in answer_plan(question, True):
            target = frame.locator(f"#q-{question.id}").get_by_label(label, exact=True)
            wanted = target.get_attribute("id")
            kind = target.evaluate("(e) => e.type")
            if kind == "radio":
                press_tab_until(frame, f"#{ids[0]}")
                keyboard.press("Space")
                for _ in range(ids.index(wanted)):
                    keyboard.press("ArrowDown")
            elif kind == "checkbox":
                press_tab_until(frame, f"#{wanted}")
                keyboard.press("Space")
            else:
                press_tab_until(frame, f"#{wanted}")
                texts = target.evaluate("(s) => Array.from(s.options).map(o => o.textContent)")
                for _ in range(texts.index(option)):
                    keyboard.press("ArrowDown")
            assert target.evaluate("(e) => e.type === 'select-one' ? e.value !== '' : e.checked")
    press_tab_until(frame, "#scm-quiz button[type=submit]")
    press_tab_until(frame, "#scm-quiz select", backwards=True)  # Shift+Tab leaves no trap either way
    press_tab_until(frame, "#scm-quiz button[type=submit]")
    keyboard.press("Enter")
    frame.locator("#view-result:not([hidden])").wait_for()
    assert frame.locator("#scm-verdict").inner_text().startswith("Bestanden")
    press_tab_until(frame, "#scm-finish")
    keyboard.press("Enter")
    frame.locator("#scm-finished:not([hidden])").wait_for()
    assert page.evaluate("() => API.renderCMIToJSONObject().cmi.core.lesson_status") == "passed"


def test_print_shows_start_every_lesson_and_the_quiz(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    frame = Learner(page, lms_server.base, module, "scorm12").launch()
    page.emulate_media(media="print")
    shown = frame.evaluate("""() => Array.from(document.querySelectorAll('.view'))
        .filter(v => getComputedStyle(v).display !== 'none').map(v => v.id)""")
    lessons = [f"lesson-{lesson.id}" for lesson in module.lessons]
    assert shown == ["view-start", *lessons, "view-glossary", "view-quiz"]
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.toc-bar')).display") == "none"
    assert frame.evaluate("() => getComputedStyle(document.querySelector('.pager')).display") == "none"


@pytest.mark.parametrize("number", [2, 3, 4, 5])
def test_other_curriculum_modules_pass_axe_at_320_px(
    page: Page, lms_server: LmsServer, course: Course, number: int
) -> None:
    """Module 1 gets every state above; the others are checked view by view at the narrowest width."""
    module = course.module(number)
    learner = Learner(page, lms_server.base, module, "scorm2004")
    frame = learner.launch()
    found: dict[str, Any] = {}
    check_state(frame, "start", found, widths=(320,))
    while learner.visible_view(frame) != "view-quiz":
        frame.get_by_role("button", name="Weiter", exact=True).click()
        check_state(frame, learner.visible_view(frame), found, widths=(320,))
    assert not found, found


def test_cc_pages_pass_axe(page: Page, lms_server: LmsServer, course: Course) -> None:
    """The cc pages share their content macros with the SCO, so one module's pages stand for all."""
    found: dict[str, Any] = {}
    site = site_key("cc", course.modules[0])
    for name in sorted(lms_server.sites[site]):
        if name.endswith(".html"):
            page.goto(f"{lms_server.base}/sco/{site}/{name}")
            check_state(page.main_frame, f"{site}/{name}", found, views=False)
    assert not found, found
