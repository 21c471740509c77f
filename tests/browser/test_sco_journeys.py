"""Learner journeys through a rendered SCO in real Chromium against scorm-again, for SCORM 1.2 and 2004."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from course_package.model import Module
from tests.browser.conftest import FLAVOURS, LmsServer
from tests.browser.learner import Learner, wait_for_commits

INTERACTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]$")
TIME_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME_2004 = re.compile(r"^P(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,2})?S)?)?$")
NUMBER = re.compile(r"^-?\d{1,3}(\.\d{1,2})?$")


@pytest.fixture(params=FLAVOURS)
def learner(request: pytest.FixtureRequest, page: Page, lms_server: LmsServer, module: Module) -> Learner:
    return Learner(page, lms_server.base, module, request.param)


def status_of(learner: Learner, cmi: dict[str, Any]) -> dict[str, str]:
    if learner.flavour == "scorm12":
        core = cmi["core"]
        return {"status": core["lesson_status"], "raw": core["score"]["raw"], "min": core["score"]["min"],
                "max": core["score"]["max"], "location": core["lesson_location"], "exit": core["exit"],
                "suspend": cmi["suspend_data"]}
    return {"status": cmi["success_status"], "completion": cmi["completion_status"],
            "raw": cmi["score"]["raw"], "min": cmi["score"]["min"], "max": cmi["score"]["max"],
            "scaled": cmi["score"]["scaled"],
            "location": cmi["location"], "exit": cmi["exit"], "suspend": cmi["suspend_data"]}


def assert_clean_protocol(learner: Learner, terminated: bool) -> None:
    """Every call succeeded, Initialize once and first, nothing after Terminate, formats as required."""
    calls = learner.calls()
    is12 = learner.flavour == "scorm12"
    init, finish = ("LMSInitialize", "LMSFinish") if is12 else ("Initialize", "Terminate")
    failed = [c for c in calls if c["code"] != "0"]
    assert not failed, f"calls with an error code: {failed}"
    assert calls[0]["method"] == init
    assert [c["method"] for c in calls].count(init) == 1
    assert learner.page.evaluate("() => window.initCount") == 1
    finishes = [i for i, c in enumerate(calls) if c["method"] == finish]
    assert finishes == ([len(calls) - 1] if terminated else [])
    sets = learner.set_values()
    time_element = "cmi.core.session_time" if is12 else "cmi.session_time"
    times = [value for element, value in sets if element == time_element]
    assert len(times) == (1 if terminated else 0)
    assert all((TIME_12 if is12 else TIME_2004).match(value) for value in times), times
    assert not [e for e, _ in sets if e.endswith("total_time")]
    for element, value in sets:
        if ".score." in element:
            assert NUMBER.match(value), (element, value)
        if element.startswith("cmi.interactions.") and element.endswith(".id"):
            assert INTERACTION_ID.match(value), value
        if element.endswith(".result"):
            assert value in (("correct", "wrong") if is12 else ("correct", "incorrect"))
        if element.endswith(".description"):
            assert len(value) <= 250
    if is12:
        reads = [c["args"][0] for c in calls if c["method"] == "LMSGetValue"]
        assert not [r for r in reads if r.startswith("cmi.interactions")], "1.2 interactions are write-only"
    assert_moodle_formats(learner.flavour, sets)


MOODLE_12 = {  # mod/scorm/datamodels/scorm_12.js.php
    "cmi.core.lesson_status": r"^(passed|completed|failed|incomplete|browsed)$",
    "cmi.core.exit": r"^(time-out|suspend|logout|)$",
    "cmi.core.score.": r"^-?([0-9]{0,3})(\.[0-9]{1,2})?$",
    "cmi.core.lesson_location": r"^.{0,255}$",
    "cmi.suspend_data": r"^.{0,4096}$",
    "student_response": r"^.{0,255}$",
    "pattern": r"^.{0,255}$",
}
MOODLE_2004 = {  # mod/scorm/datamodels/scorm_13.js
    "cmi.completion_status": r"^(completed|incomplete|not attempted|unknown)$",
    "cmi.success_status": r"^(passed|failed|unknown)$",
    "cmi.exit": r"^(time-out|suspend|logout|normal|)$",
    "cmi.score.": r"^-?([0-9]{1,5})(\.[0-9]{1,18})?$",
    "cmi.location": r"^.{0,1000}$",
    ".id": r"^\S{1,250}[a-zA-Z0-9]$",
}
SHORT_IDENTIFIER = re.compile(r"^[\w.]{1,250}$", re.ASCII)


def assert_moodle_formats(flavour: str, sets: list[tuple[str, str]]) -> None:
    """Values a SCO writes must also pass Moodle's own player, which is stricter than scorm-again."""
    rules = MOODLE_12 if flavour == "scorm12" else MOODLE_2004
    for element, value in sets:
        for key, rule in rules.items():
            if key in element:
                assert re.match(rule, value), (element, value, rule)
        if flavour == "scorm2004" and element.endswith(("learner_response", "pattern")):
            tokens = [t for part in value.split("[,]") for t in part.split("[.]")]
            assert all(t in ("true", "false") or SHORT_IDENTIFIER.match(t) for t in tokens), (element, value)
        if flavour == "scorm2004" and element == "cmi.score.scaled":
            assert -1 <= float(value) <= 1


def test_pass_journey(learner: Learner, module: Module) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    learner.answer(frame, True)
    learner.submit(frame)
    count = len(module.quiz.questions)
    assert f"{count} von {count}" in frame.locator("#scm-score").inner_text()
    assert frame.locator("#scm-verdict").inner_text().startswith("Bestanden")
    frame.wait_for_function(
        "() => document.getElementById('scm-live').textContent === 'Test ausgewertet: 100 %, bestanden.'")
    assert frame.locator("#scm-live").get_attribute("aria-live") == "polite"
    learner.finish(frame)
    state = status_of(learner, learner.cmi())
    assert state["status"] == "passed" and state["raw"] == "100" and int(state["raw"]) >= module.pass_mark
    assert (state["min"], state["max"]) == ("0", "100")
    assert state["exit"] == ("" if learner.flavour == "scorm12" else "normal")
    if learner.flavour == "scorm2004":
        assert state["completion"] == "completed" and state["scaled"] == "1"
    assert_clean_protocol(learner, terminated=True)
    elements = [e for e, _ in learner.set_values()]
    status = "cmi.core.lesson_status" if learner.flavour == "scorm12" else "cmi.success_status"
    raw = "cmi.core.score.raw" if learner.flavour == "scorm12" else "cmi.score.raw"
    assert elements.index(raw) < len(elements) - 1 - elements[::-1].index(status), "score before final status"
    types = [v for e, v in learner.set_values() if re.match(r"cmi\.interactions\.\d+\.type$", e)]
    vocabulary = {"single": "choice", "multiple": "choice", "true-false": "true-false",
                  "ordering": "sequencing", "matching": "matching"}
    assert types == [vocabulary[q.type] for q in module.quiz.questions]


def test_fail_journey(learner: Learner, module: Module) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    count = len(module.quiz.questions)
    right = [index % 3 == 0 for index in range(count)]
    learner.answer(frame, right)
    learner.submit(frame)
    score = sum(right) * 100 // count
    assert 0 < score < module.pass_mark
    assert f"{sum(right)} von {count}" in frame.locator("#scm-score").inner_text()
    assert f"{score} %" in frame.locator("#scm-score").inner_text()
    assert frame.locator("#scm-verdict").inner_text().startswith("Noch nicht bestanden")
    learner.finish(frame)
    state = status_of(learner, learner.cmi())
    assert state["status"] == "failed" and state["raw"] == str(score)
    results = [v for e, v in learner.set_values() if e.endswith(".result")]
    wrong = "wrong" if learner.flavour == "scorm12" else "incorrect"
    assert results == ["correct" if r else wrong for r in right]
    assert_clean_protocol(learner, terminated=True)


def cmi_of_commit(learner: Learner, body: dict[str, Any]) -> dict[str, Any]:
    cmi: dict[str, Any] = body["cmi"]
    return cmi


def test_first_launch_commits_incomplete_before_any_action(learner: Learner, lms_server: LmsServer) -> None:
    learner.launch()
    calls = learner.calls()
    first_commit = next(i for i, c in enumerate(calls) if c["method"].endswith("Commit"))
    status = "cmi.core.lesson_status" if learner.flavour == "scorm12" else "cmi.completion_status"
    sets = [(c["args"][0], c["args"][1]) for c in calls[:first_commit] if c["method"].endswith("SetValue")]
    assert (status, "incomplete") in sets
    committed = status_of(learner, cmi_of_commit(learner, lms_server.commits_of(learner.run)[0]))
    assert (committed.get("completion") or committed["status"]) == "incomplete"
    assert committed["exit"] == "suspend"
    assert_clean_protocol(learner, terminated=False)


def test_closed_without_finish_has_everything_committed(learner: Learner, lms_server: LmsServer) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    learner.answer(frame, True)
    before = len(lms_server.commits_of(learner.run))
    frame.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    hidden = lms_server.commits_of(learner.run)
    assert len(hidden) == before + 1, "hiding the page commits"
    encoded = frame.evaluate("() => SCM.suspend.encode(SCM.player.state(), SCM.player.questions)")
    assert status_of(learner, cmi_of_commit(learner, hidden[-1]))["suspend"] == encoded
    assert "," in encoded and ",," not in encoded, "every answer is in the committed suspend_data"
    frame.evaluate("() => { delete document.visibilityState; }")
    learner.submit(frame)
    committed = status_of(learner, cmi_of_commit(learner, lms_server.commits_of(learner.run)[-1]))
    assert committed["status"] == "passed" and committed["raw"] == "100"
    assert committed["location"] == "view-result" and committed["suspend"].startswith("v2|")
    assert committed["exit"] == ("" if learner.flavour == "scorm12" else "normal")
    assert_clean_protocol(learner, terminated=False)
    learner.page.close()


def test_suspend_and_resume_restores_view_and_answers(learner: Learner, lms_server: LmsServer,
                                                      module: Module) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    right = [index % 2 == 0 for index in range(len(module.quiz.questions) - 1)]
    learner.answer_some(frame, right)
    left_behind = learner.controls(frame)
    learner.page.goto("about:blank")  # leaving the page fires pagehide: the SCO terminates itself
    commits = wait_for_commits(learner, lms_server, lambda body: body["terminate"])
    saved = status_of(learner, cmi_of_commit(learner, commits[-1]))
    assert saved["exit"] == "suspend" and saved["location"] == "view-quiz"

    again = Learner(learner.page, learner.base, learner.module, learner.flavour)
    if learner.flavour == "scorm12":
        preload: dict[str, Any] = {"core": {"entry": "resume", "lesson_location": saved["location"],
                                            "lesson_status": "incomplete"}, "suspend_data": saved["suspend"]}
    else:
        preload = {"entry": "resume", "location": saved["location"], "completion_status": "incomplete",
                   "suspend_data": saved["suspend"]}
    frame = again.launch(preload)
    assert again.visible_view(frame) == "view-quiz"
    assert again.controls(frame) == left_behind
    again.answer(frame, True)
    again.submit(frame)
    count = len(module.quiz.questions)
    assert f"{count} von {count}" in frame.locator("#scm-score").inner_text()
    assert_clean_protocol(again, terminated=False)


def test_sco_in_a_popup_finds_the_api_through_its_opener(page: Page, lms_server: LmsServer,
                                                         module: Module) -> None:
    """Moodle can open a SCO in a new window; the API then lives in the opener, not in a parent frame."""
    learner = Learner(page, lms_server.base, module, "scorm12")
    page.goto(f"{lms_server.base}/lms.html?std=12&run={learner.run}")
    with page.expect_popup() as popup_info:
        page.evaluate("(url) => { window.open(url, 'sco'); }", learner.site)
    popup = popup_info.value
    popup.locator("#scm-progress:not(:empty)").wait_for()
    assert not popup.locator("#scm-notice").is_visible(), "an LMS was found, so no offline notice"
    calls = learner.calls()
    assert calls[0]["method"] == "LMSInitialize" and calls[0]["result"] == "true"
    assert ("cmi.core.lesson_status", "incomplete") in learner.set_values()


def test_a_retry_after_a_passed_attempt_never_lowers_the_result(learner: Learner, module: Module) -> None:
    """A new session on a finished attempt (entry "") keeps the best score, even without suspend_data."""
    if learner.flavour == "scorm12":
        preload: dict[str, Any] = {"core": {"entry": "", "lesson_status": "passed",
                                            "score": {"raw": "100", "min": "0", "max": "100"}}}
    else:
        preload = {"entry": "", "completion_status": "completed", "success_status": "passed",
                   "score": {"raw": "100", "min": "0", "max": "100", "scaled": "1"}}
    frame = learner.launch(preload)
    assert learner.visible_view(frame) == "view-start"
    learner.go_to_quiz(frame)
    learner.answer(frame, False)
    learner.submit(frame)
    assert frame.locator("#scm-verdict").inner_text().startswith("Noch nicht bestanden")
    assert "100 %" in frame.locator("#scm-best").inner_text()
    learner.finish(frame)
    state = status_of(learner, learner.cmi())
    assert state["status"] == "passed" and state["raw"] == "100"
    assert_clean_protocol(learner, terminated=True)


def test_a_value_the_lms_refuses_is_reported_to_the_learner(learner: Learner) -> None:
    location = "cmi.core.lesson_location" if learner.flavour == "scorm12" else "cmi.location"
    frame = learner.launch(reject=location)  # the bookmark is first written as the start page opens
    notice = frame.locator("#scm-notice")
    assert notice.is_visible() and "nicht angenommen" in notice.inner_text()
    frame.get_by_role("button", name="Weiter", exact=True).click()
    assert learner.visible_view(frame).startswith("lesson-"), "the learner can carry on"
