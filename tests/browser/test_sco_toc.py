"""The SCO's table of contents, glossary and figures in real Chromium: keyboard, page states, resume, axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Frame, Page

from course_package.model import Course, MatchingQuestion, Module, OrderingQuestion, Question
from testkit.sco_pages import check_state, press_tab_until
from tests.browser.conftest import FLAVOURS, LmsServer
from tests.browser.learner import Learner, wait_for_commits

STATES = """() => Array.from(document.querySelectorAll('#scm-toc a[data-page]')).map(a => [
    a.getAttribute('href').slice(1), a.querySelector('.toc-state').textContent,
    a.getAttribute('aria-current')])"""


def toc_states(frame: Frame) -> dict[str, str]:
    return {view: state for view, state, _ in frame.evaluate(STATES)}


def current_links(frame: Frame) -> list[str]:
    return [view for view, _, current in frame.evaluate(STATES) if current == "page"]


def lesson_views(module: Module) -> list[str]:
    return [f"lesson-{lesson.id}" for lesson in module.lessons]


def progress(frame: Frame) -> str:
    return " ".join(frame.locator(".site-header .progress").inner_text().split())


def test_toc_lists_every_page_in_order_with_its_state(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    frame = Learner(page, lms_server.base, module, "scorm12").launch()
    pages = ["view-start", *lesson_views(module), "view-glossary", "view-quiz"]
    assert list(toc_states(frame)) == pages
    nav = frame.locator("nav#scm-toc")
    assert nav.get_attribute("aria-label") == "Inhalt" and nav.is_hidden()
    toggle = frame.get_by_role("button", name="Inhalt")
    assert toggle.get_attribute("aria-expanded") == "false"
    total = len(pages) + 1
    lessons = len(module.lessons)
    assert progress(frame) == f"Seite 1 von {total} · 0 von {lessons} Lektionen abgeschlossen"
    assert toc_states(frame)["view-start"] == "(aktuell)" and current_links(frame) == ["view-start"]

    frame.get_by_role("button", name="Weiter", exact=True).click()
    frame.get_by_role("button", name="Weiter", exact=True).click()
    states = toc_states(frame)
    first, second, *rest = lesson_views(module)
    assert states["view-start"] == "(gelesen)" and states[first] == "(gelesen)"
    assert states[second] == "(aktuell)" and current_links(frame) == [second]
    assert {states[view] for view in [*rest, "view-glossary", "view-quiz"]} == {"(nicht begonnen)"}
    assert progress(frame) == f"Seite 3 von {total} · 1 von {lessons} Lektionen abgeschlossen"


def test_keyboard_only_reaches_a_page_through_the_toc(
    page: Page, lms_server: LmsServer, module: Module
) -> None:
    frame = Learner(page, lms_server.base, module, "scorm2004").launch()
    keyboard = page.keyboard
    press_tab_until(frame, "#scm-toc-toggle")
    keyboard.press("Enter")
    assert frame.locator("#scm-toc-toggle").get_attribute("aria-expanded") == "true"
    assert frame.locator("#scm-toc").is_visible()
    press_tab_until(frame, "#scm-toc a[data-page='1']")
    keyboard.press("Escape")
    assert frame.locator("#scm-toc").is_hidden(), "Escape closes the panel"
    focused = frame.evaluate("() => document.activeElement.id")
    assert focused == "scm-toc-toggle", "focus returns to the button"

    keyboard.press("Enter")
    target = lesson_views(module)[3]
    press_tab_until(frame, f"#scm-toc a[href='#{target}']")
    keyboard.press("Enter")
    assert Learner(page, lms_server.base, module, "scorm2004").visible_view(frame) == target
    assert frame.evaluate("() => document.activeElement.id") == f"{target}-title", "focus on the page heading"
    assert frame.locator("#scm-toc").is_hidden()
    assert frame.locator("#scm-toc-toggle").get_attribute("aria-expanded") == "false"
    assert current_links(frame) == [target]
    assert toc_states(frame)["view-start"] == "(gelesen)"
    assert toc_states(frame)[lesson_views(module)[0]] == "(nicht begonnen)", "skipped pages stay unread"


def resume_preload(learner: Learner, saved: dict[str, str]) -> dict[str, Any]:
    if learner.flavour == "scorm12":
        core = {"entry": "resume", "lesson_location": saved["location"], "lesson_status": "incomplete"}
        return {"core": core, "suspend_data": saved["suspend"]}
    return {"entry": "resume", "location": saved["location"], "completion_status": "incomplete",
            "suspend_data": saved["suspend"]}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_resume_restores_the_page_states(
    page: Page, lms_server: LmsServer, module: Module, flavour: str
) -> None:
    learner = Learner(page, lms_server.base, module, flavour)
    frame = learner.launch()
    for _ in range(3):
        frame.get_by_role("button", name="Weiter", exact=True).click()
    frame.get_by_role("button", name="Inhalt").click()
    frame.locator("#scm-toc a[href='#view-glossary']").click()
    before = toc_states(frame)
    page.goto("about:blank")
    cmi = wait_for_commits(learner, lms_server, lambda body: body["terminate"])[-1]["cmi"]
    saved = {"location": cmi["core"]["lesson_location"] if flavour == "scorm12" else cmi["location"],
             "suspend": cmi["suspend_data"]}
    assert saved["location"] == "view-glossary" and saved["suspend"].startswith("v2|")

    again = Learner(page, lms_server.base, module, flavour)
    frame = again.launch(resume_preload(again, saved))
    assert again.visible_view(frame) == "view-glossary"
    assert toc_states(frame) == before
    lessons = len(module.lessons)
    assert progress(frame).endswith(f"· 3 von {lessons} Lektionen abgeschlossen")


@pytest.mark.parametrize("pages", ["", "|f", "|fffffffff"], ids=["v1", "fewer-pages", "more-pages"])
def test_suspend_data_for_other_pages_keeps_the_answers(
    page: Page, lms_server: LmsServer, module: Module, pages: str
) -> None:
    """An attempt begun with the v1 format, or before lessons were added or removed, keeps its answers;
    its pages simply start unread."""
    answers = ",".join(unanswered(question) for question in module.quiz.questions)
    saved = f"v1|1|0||{answers}" if not pages else f"v2|1|0||{answers}{pages}"
    learner = Learner(page, lms_server.base, module, "scorm12")
    frame = learner.launch(resume_preload(learner, {"location": "view-quiz", "suspend": saved}))
    assert learner.visible_view(frame) == "view-quiz"
    assert frame.evaluate("() => SCM.player.state().attempts") == 1
    assert set(toc_states(frame).values()) == {"(nicht begonnen)", "(aktuell)"}


def test_glossary_page_is_a_definition_list(page: Page, lms_server: LmsServer, course: Course) -> None:
    module = course.modules[2]
    frame = Learner(page, lms_server.base, module, "scorm12").launch()
    frame.get_by_role("button", name="Inhalt").click()
    frame.get_by_role("link", name="Glossar").click()
    terms = frame.locator("#view-glossary dl.glossary dt").all_inner_texts()
    assert terms == [term.term for term in course.glossary.for_module(module.number)]
    assert frame.locator("#view-glossary dl.glossary dd").count() == len(terms)


def unanswered(question: Question) -> str:
    """A question's token in suspend_data while nothing is chosen: selects store a 0 per item."""
    if isinstance(question, OrderingQuestion):
        return "0" * len(question.items)
    if isinstance(question, MatchingQuestion):
        return "0" * len(question.pairs)
    return ""


def figure_lesson(module: Module) -> str:
    return next(f"lesson-{lesson.id}" for lesson in module.lessons if "```figure" in lesson.body)


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_figure_and_glossary_pages_pass_axe_at_1280_and_320_px(
    page: Page, lms_server: LmsServer, course: Course, number: int
) -> None:
    module = course.module(number)
    frame = Learner(page, lms_server.base, module, "scorm2004").launch()
    found: dict[str, Any] = {}
    for view in (figure_lesson(module), "view-glossary"):
        frame.get_by_role("button", name="Inhalt").click()
        frame.locator(f"#scm-toc a[href='#{view}']").click()
        figure = frame.locator(f"#{view} figure img")
        if view.startswith("lesson-"):
            assert figure.count() >= 1 and figure.first.get_attribute("alt")
            image = figure.first.element_handle()
            assert frame.evaluate("(img) => img.complete && img.naturalWidth > 0", image), "SVG is packaged"
            frame.locator(f"#{view} figure summary").first.click()
        check_state(frame, view, found)
        page.set_viewport_size({"width": 320, "height": 800})
        if view.startswith("lesson-"):
            width = frame.evaluate("(img) => img.getBoundingClientRect().width", image)
            assert 250 <= width <= 320, "the figure scales down to the phone width"
        frame.get_by_role("button", name="Inhalt").click()
        check_state(frame, f"{view} with the contents open", found, widths=(320, 1280))
        frame.get_by_role("button", name="Inhalt").click()
        page.set_viewport_size({"width": 1280, "height": 800})
    assert not found, found
