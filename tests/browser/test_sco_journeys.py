"""Learner journeys through a rendered SCO in real Chromium against scorm-again, for SCORM 1.2 and 2004."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import FLAVOURS, LmsServer
from learner import Learner
from playwright.sync_api import Page

from course_package.model import Module

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


def test_pass_journey(learner: Learner, module: Module) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    learner.answer(frame, True)
    learner.submit(frame)
    assert "5 von 5" in frame.locator("#scm-score").inner_text()
    assert frame.locator("#scm-verdict").inner_text().startswith("Bestanden")
    learner.finish(frame)
    state = status_of(learner, learner.cmi())
    assert state["status"] == "passed" and state["raw"] == "100" and int(state["raw"]) >= module.pass_mark
    assert (state["min"], state["max"]) == ("0", "100")
    assert state["exit"] == ("" if learner.flavour == "scorm12" else "normal")
    if learner.flavour == "scorm2004":
        assert state["completion"] == "completed" and state["scaled"] == "1"
    assert_clean_protocol(learner, terminated=True)
    types = [v for e, v in learner.set_values() if re.match(r"cmi\.interactions\.\d+\.type$", e)]
    expected = ["choice", "choice", "true-false", "sequencing", "matching"]
    assert types == expected


def test_fail_journey(learner: Learner) -> None:
    frame = learner.launch()
    learner.go_to_quiz(frame)
    learner.answer(frame, [True, False, True, False, False])
    learner.submit(frame)
    assert "2 von 5" in frame.locator("#scm-score").inner_text()
    assert "40 %" in frame.locator("#scm-score").inner_text()
    assert frame.locator("#scm-verdict").inner_text().startswith("Noch nicht bestanden")
    learner.finish(frame)
    state = status_of(learner, learner.cmi())
    assert state["status"] == "failed" and state["raw"] == "40"
    results = [v for e, v in learner.set_values() if e.endswith(".result")]
    wrong = "wrong" if learner.flavour == "scorm12" else "incorrect"
    assert results == ["correct", wrong, "correct", wrong, wrong]
    assert_clean_protocol(learner, terminated=True)
