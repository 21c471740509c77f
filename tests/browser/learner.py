"""Drives a rendered SCO the way a learner does, and reads back what the LMS recorded."""

from __future__ import annotations

import itertools
import json
from typing import Any, Protocol

from playwright.sync_api import Frame, Page

from course_package.model import (
    ChoiceQuestion,
    MatchingQuestion,
    Module,
    OrderingQuestion,
    Question,
    TrueFalseQuestion,
)

STD = {"scorm12": "12", "scorm2004": "2004"}
_runs = itertools.count(1)


class Learner:
    def __init__(self, page: Page, base: str, module: Module, flavour: str) -> None:
        self.page = page
        self.base = base
        self.module = module
        self.flavour = flavour
        self.run = f"run{next(_runs)}"
        self.site = f"/sco/{flavour}-m{module.number}/index.html"

    # ---- launching ----

    def launch(
        self, preload: dict[str, Any] | None = None, reject: str = "", frame_height: int | None = None
    ) -> Frame:
        """Opens the LMS page with the SCO; `reject` names an element whose SetValue the LMS refuses,
        `frame_height` makes the SCO's frame that many pixels tall (default: 95 % of the window)."""
        if preload is not None:
            self.page.add_init_script(f"window.preloadCmi = {json.dumps(preload)};")
        query = f"std={STD[self.flavour]}&run={self.run}&sco={self.site}&reject={reject}"
        if frame_height is not None:
            query += f"&height={frame_height}"
        self.page.goto(f"{self.base}/lms.html?{query}")
        frame = self.frame
        frame.locator(".view:not([hidden]) h1").wait_for()
        frame.wait_for_function("() => document.getElementById('scm-progress').textContent !== ''")
        return frame

    def launch_standalone(self) -> Frame:
        self.page.goto(self.base + self.site)
        self.page.locator("#scm-progress:not(:empty)").wait_for()
        return self.page.main_frame

    @property
    def frame(self) -> Frame:
        handle = self.page.locator("#sco").element_handle()
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        return frame

    # ---- learner actions ----

    def visible_view(self, frame: Frame) -> str:
        return str(frame.evaluate("() => document.querySelector('.view:not([hidden])').id"))

    def go_to_quiz(self, frame: Frame) -> None:
        while self.visible_view(frame) != "view-quiz":
            frame.get_by_role("button", name="Weiter", exact=True).click()

    def answer(self, frame: Frame, right: bool | list[bool]) -> None:
        """Answers every question, right or wrong as asked (one flag for all, or one per question)."""
        flags = right if isinstance(right, list) else [right] * len(self.module.quiz.questions)
        self.answer_some(frame, flags)
        assert len(flags) == len(self.module.quiz.questions)

    def answer_some(self, frame: Frame, flags: list[bool]) -> None:
        """Answers the first len(flags) questions, a fresh choice each (earlier ticks are cleared first)."""
        for question, correct in zip(self.module.quiz.questions, flags, strict=False):
            box = frame.locator(f"#q-{question.id}")
            for checkbox in box.locator("input[type=checkbox]").all():
                checkbox.uncheck()
            for control, value in answer_plan(question, correct):
                target = box.get_by_label(control, exact=True)
                if value is None:
                    target.check()
                else:
                    target.select_option(label=value)

    def submit(self, frame: Frame) -> None:
        frame.get_by_role("button", name="Test auswerten").click()
        frame.locator("#view-result:not([hidden])").wait_for()

    def finish(self, frame: Frame) -> None:
        frame.get_by_role("button", name="Modul beenden").click()
        frame.locator("#scm-finished:not([hidden])").wait_for()

    # ---- what the LMS saw ----

    def calls(self) -> list[dict[str, str]]:
        return list(self.page.evaluate("() => window.lmsCalls"))

    def cmi(self) -> dict[str, Any]:
        """The LMS's current data model, write-only elements included (as a terminating commit renders it)."""
        api = "API_1484_11" if self.flavour == "scorm2004" else "API"
        script = f"() => JSON.parse(JSON.stringify({api}.renderCommitCMI(true)))"
        return dict(self.page.evaluate(script)["cmi"])

    def controls(self, frame: Frame) -> list[str]:
        """Every quiz control's state, to compare what the learner left with what a relaunch shows."""
        script = """() => Array.from(document.querySelectorAll('#scm-quiz input, #scm-quiz select'))
            .map(e => e.id + '=' + (e.tagName === 'SELECT' ? e.value : e.checked))"""
        return list(frame.evaluate(script))

    def set_values(self) -> list[tuple[str, str]]:
        return [(c["args"][0], c["args"][1]) for c in self.calls() if c["method"].endswith("SetValue")]


def answer_plan(question: Question, right: bool) -> list[tuple[str, str | None]]:
    """(label, option) pairs: None ticks the labelled input, otherwise that option of the select is picked."""
    if isinstance(question, ChoiceQuestion):
        if right:
            return [(c.text, None) for c in question.choices if c.correct]
        return [(next(c.text for c in question.choices if not c.correct), None)]
    if isinstance(question, TrueFalseQuestion):
        return [("Richtig" if question.answer == right else "Falsch", None)]
    if isinstance(question, OrderingQuestion):
        count = len(question.items)
        positions = list(range(1, count + 1)) if right else list(range(count, 0, -1))
        pairs = zip(question.items, positions, strict=True)
        return [(f"Position von „{item.text}“", str(p)) for item, p in pairs]
    assert isinstance(question, MatchingQuestion)
    matches = [pair.match for pair in question.pairs]
    if not right:
        matches = matches[1:] + matches[:1]
    return [(f"Zuordnung für „{pair.prompt}“", m) for pair, m in zip(question.pairs, matches, strict=True)]


class CommitLog(Protocol):
    """What `wait_for_commits` reads of the test LMS (conftest.LmsServer)."""

    def commits_of(self, run: str) -> list[dict[str, Any]]: ...


def wait_for_commits(learner: Learner, server: CommitLog, done: Any) -> list[dict[str, Any]]:
    """The terminating commit travels as a beacon, so it may land a moment after the page is gone."""
    for _ in range(100):
        commits = server.commits_of(learner.run)
        if commits and done(commits[-1]):
            return commits
        learner.page.wait_for_timeout(50)
    raise AssertionError(f"no terminating commit arrived; got {len(server.commits_of(learner.run))} commits")
