"""The preview page in headless Chromium: a learner clicks through the real SCO in scorm-again while the page
shows status, score and every API call; reset, resume, checklist warnings, rebuild on change, accessibility.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page

from course_package import CURRICULUM_DIR
from course_package.model import Module
from course_package.source import load_course
from scm_lms.preview import LiveSite, PreviewServer, load_source, load_zip
from scm_lms.preview.site import Flavour
from testkit.chromium import axe_violations
from testkit.sources import third_party_zip
from tests.browser.learner import Learner

pytestmark = pytest.mark.browser
FINISH = {"scorm12": "LMSFinish", "scorm2004": "Terminate"}


@pytest.fixture(scope="module")
def module() -> Module:
    return load_course().module(1)


@pytest.fixture(params=["scorm12", "scorm2004"])
def flavour(request: pytest.FixtureRequest) -> Flavour:
    value: Flavour = request.param
    return value


@pytest.fixture
def preview(flavour: Flavour) -> Iterator[PreviewServer]:
    with PreviewServer(LiveSite(partial(load_source, CURRICULUM_DIR, 1, flavour))) as server:
        yield server


def open_preview(page: Page, server: PreviewServer, module: Module, flavour: str) -> tuple[Learner, Frame]:
    """Opens the page and waits until the SCO has initialised and shows its first view."""
    page.goto(server.url)
    learner = Learner(page, server.url.rstrip("/"), module, flavour)
    frame = learner.frame
    frame.locator(".view:not([hidden]) h1").wait_for()
    frame.wait_for_function("() => document.getElementById('scm-progress').textContent !== ''")
    return learner, frame


def quiz_submitted(
    page: Page, server: PreviewServer, module: Module, flavour: str, right: bool
) -> tuple[Learner, Frame]:
    """Opens the preview and submits the quiz with every answer right or wrong."""
    learner, frame = open_preview(page, server, module, flavour)
    learner.go_to_quiz(frame)
    learner.answer(frame, right)
    learner.submit(frame)
    return learner, frame


def log_calls(page: Page) -> list[list[str]]:
    """Rows of the API log: [number, session, call, result, error code]."""
    script = "rows => rows.map(row => Array.from(row.cells, cell => cell.textContent))"
    return list(page.eval_on_selector_all("#log tbody tr", script))


def warning_kinds(page: Page) -> set[str]:
    return set(page.eval_on_selector_all("#warnings li", "items => items.map(i => i.dataset.kind)"))


def test_click_through_shows_status_score_and_every_call(
    page: Page, preview: PreviewServer, module: Module, flavour: str
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    learner, frame = quiz_submitted(page, preview, module, flavour, True)
    learner.finish(frame)
    page.locator("#cmi-status", has_text="passed").wait_for()
    assert page.locator("#cmi-score").inner_text().endswith("raw 100, min 0, max 100")
    if flavour == "scorm2004":
        assert (
            page.locator("#cmi-status").inner_text() == "completion_status: completed, success_status: passed"
        )
        assert page.locator("#cmi-score").inner_text().startswith("scaled 1,")
    assert page.locator("#interactions tbody tr").count() == len(module.quiz.questions)
    calls = log_calls(page)
    made = [row[2] for row in calls if row[0]]
    assert made[0] in ('LMSInitialize("")', 'Initialize("")')
    assert made[-1] == f'{FINISH[flavour]}("")' and made.count(made[-1]) == 1
    assert all(row[4] == "0" for row in calls if row[0]), "the SCO made no failing call"
    assert [row[3] for row in calls if row[2] == f'{FINISH[flavour]}("")'] == ['"true"']
    assert page.locator("#warning-count").inner_text() == "0", page.locator("#warnings").inner_text()
    outside = [url for url in requests if not url.startswith((preview.url, "about:", "data:"))]
    assert outside == [], "the preview works offline: nothing is fetched from elsewhere"
    queries = page.locator("#log tbody tr", has_text="GetLastError()")
    assert queries.count() > 0 and queries.first.is_visible()
    page.get_by_label("Fehlerabfragen (GetLastError, GetErrorString, GetDiagnostic) ausblenden").check()
    assert (
        not queries.first.is_visible()
        and page.locator("#log tbody tr", has_text="SetValue").first.is_visible()
    )


def test_resume_restores_the_saved_attempt_and_reset_starts_afresh(
    page: Page, preview: PreviewServer, module: Module, flavour: str
) -> None:
    learner, frame = open_preview(page, preview, module, flavour)
    learner.go_to_quiz(frame)
    learner.answer_some(frame, [True, False, True])
    left_behind = learner.controls(frame)

    page.get_by_role("button", name="Fortsetzen (entry=resume)").click()
    page.locator("#session-label", has_text="Sitzung 2, fortgesetzt").wait_for()
    frame = learner.frame
    frame.locator("#view-quiz:not([hidden]) h1").wait_for()
    assert learner.controls(frame) == left_behind
    assert page.locator("#cmi-entry-exit").inner_text().startswith("resume /")
    sessions = {row[1] for row in log_calls(page)}
    assert sessions == {"1", "2"}, "the first session's own Terminate is logged before the relaunch"
    assert f'{FINISH[flavour]}("")' in [row[2] for row in log_calls(page) if row[1] == "1"]

    page.get_by_role("button", name="Versuch zurücksetzen").click()
    page.locator("#session-label", has_text="Sitzung 3, Erststart").wait_for()
    frame = learner.frame
    frame.locator("#view-start:not([hidden]) h1").wait_for()
    page.locator("#cmi-status", has_text="incomplete").wait_for()
    assert {row[1] for row in log_calls(page)} == {"3"}, "reset clears the log"
    assert page.locator("#cmi-entry-exit").inner_text().startswith("ab-initio /")
    fresh = page.locator("#cmi-suspend").inner_text().split(": ", 1)[1]
    assert fresh.startswith("v2|0|0||"), "a fresh attempt: no tries, no flags, nothing read yet"
    assert page.locator("#cmi-suspend").inner_text().startswith(f"{len(fresh)} von ")
    assert page.locator("#warning-count").inner_text() == "0", page.locator("#warnings").inner_text()


@pytest.mark.parametrize("flavour", ["scorm2004"])
def test_resume_in_2004_keeps_the_interactions_and_appends_to_them(
    page: Page, preview: PreviewServer, module: Module, flavour: str
) -> None:
    learner, frame = quiz_submitted(page, preview, module, flavour, False)
    count = len(module.quiz.questions)
    page.get_by_role("button", name="Fortsetzen (entry=resume)").click()
    page.locator("#session-label", has_text="Sitzung 2, fortgesetzt").wait_for()
    frame = learner.frame
    frame.locator("#view-result:not([hidden]) h1").wait_for()
    assert page.locator("#interactions tbody tr").count() == count
    assert warning_kinds(page) == {"no-suspend"}, "a completed attempt ends with exit=normal, not suspend"
    frame.get_by_role("button", name="Test wiederholen").click()
    learner.answer(frame, True)
    learner.submit(frame)
    page.locator("#interactions tbody tr").nth(2 * count - 1).wait_for()
    assert page.locator("#cmi-status").inner_text().endswith("success_status: passed")


@pytest.mark.parametrize("flavour", ["scorm12"])
def test_checklist_violations_become_warnings(
    page: Page, preview: PreviewServer, module: Module, flavour: str
) -> None:
    _, frame = open_preview(page, preview, module, flavour)
    frame.evaluate("""() => {
        const api = window.parent.API;
        api.LMSInitialize("");
        api.LMSSetValue("cmi.core.score.raw", "1e2");
        api.LMSSetValue("cmi.suspend_data", "x".repeat(5000));
        api.LMSSetValue("cmi.core.session_time", "0:01:00");
        api.LMSFinish("");
        api.LMSSetValue("cmi.core.lesson_location", "danach");
    }""")
    page.locator("#warnings li[data-kind='after-terminate']").wait_for()
    assert {"init-twice", "moodle-regex", "suspend-size", "error-code", "after-terminate"} <= warning_kinds(
        page
    )
    texts = page.locator("#warnings").inner_text()
    assert "suspend_data ist 5000 Zeichen lang, erlaubt sind 4096" in texts
    assert 'cmi.core.session_time = "0:01:00" besteht Moodles Prüfung nicht' in texts
    assert "LMSSetValue nach LMSFinish aufgerufen" in texts
    assert page.locator("#cmi-suspend.over").count() == 1
    failed = [row for row in log_calls(page) if row[4] not in ("", "0")]
    assert failed[0][2:4] == ['LMSInitialize("")', '"false"'] and failed[0][4].startswith("101 ")


def test_third_party_package_shows_findings_and_its_checklist_slips(page: Page, tmp_path: Path) -> None:
    """Someone else's SCO (accepted by a real Moodle) writes session_time on every commit, not once."""
    with PreviewServer(LiveSite(partial(load_zip, third_party_zip(tmp_path)))) as server:
        page.goto(server.url)
        page.locator(
            "#log tbody tr", has_text='LMSSetValue("cmi.core.lesson_status", "incomplete")'
        ).wait_for()
        assert "control.missing" in page.locator(".findings").inner_text(), "validator findings are shown"
        assert page.locator("#warning-count").inner_text() == "0"
        page.get_by_role("button", name="Fortsetzen (entry=resume)").click()
        entry = page.locator("#log tbody tr", has_text='LMSGetValue("cmi.core.entry")')
        entry.filter(has_text='"resume"').wait_for()
        assert warning_kinds(page) == {"session-time"}
        assert "cmi.core.session_time wurde 2-mal gesetzt" in page.locator("#warnings").inner_text()
        assert page.locator("#cmi-location").inner_text() == "seite-1"


def test_sco_that_never_marks_the_attempt_incomplete_is_flagged(page: Page, tmp_path: Path) -> None:
    with zipfile.ZipFile(third_party_zip(tmp_path)) as original:
        files = {name: original.read(name) for name in original.namelist()}
    files["index.html"] = (
        b'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Ohne Status</title></head>'
        b'<body><script>const api = window.parent.API; api.LMSInitialize("");'
        b'api.LMSSetValue("cmi.core.lesson_location", "s1"); api.LMSCommit("");</script></body></html>'
    )
    package = tmp_path / "ohne-status.zip"
    with zipfile.ZipFile(package, "w") as changed:
        for name, data in files.items():
            changed.writestr(name, data)
    with PreviewServer(LiveSite(partial(load_zip, package))) as server:
        page.goto(server.url)
        page.locator("#warnings li[data-kind='no-incomplete']").wait_for()
        assert "Erststart: Der Status wurde vor dem ersten LMSCommit nicht auf incomplete gesetzt" in (
            page.locator("#warnings").inner_text()
        )
        assert page.locator("#cmi-status").inner_text() == "not attempted"


def test_rebuild_on_change_reloads_the_page_and_shows_broken_edits(page: Page, course_source: Path) -> None:
    module_yaml = course_source / "modules" / "01-grundlagen" / "module.yaml"
    text = module_yaml.read_text(encoding="utf-8")
    live = LiveSite(partial(load_source, course_source, 1, "scorm12"), watched=course_source)
    with PreviewServer(live) as server:
        page.goto(server.url)
        first = page.locator("h1").inner_text()
        page.locator("#log tbody tr", has_text="LMSInitialize").wait_for()
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        module_yaml.write_text(text.replace(title, "title: Frisch umbenannt"), encoding="utf-8")
        page.locator("h1", has_text="Vorschau: Modul 1: Frisch umbenannt").wait_for(timeout=15000)
        assert first != page.locator("h1").inner_text()
        frame = page.frame_locator("#sco")
        frame.locator("title").wait_for(state="attached")
        page.locator("#log tbody tr", has_text="LMSInitialize").wait_for()

        module_yaml.write_text("title: [kaputt\n", encoding="utf-8")
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=15000)
        assert "Neubau fehlgeschlagen" in alert.inner_text()
        assert "modules/01-grundlagen/module.yaml" in alert.inner_text()
        assert page.locator("h1").inner_text() == "Vorschau: Modul 1: Frisch umbenannt"


def test_preview_page_has_no_axe_violations(
    page: Page, preview: PreviewServer, module: Module, flavour: str
) -> None:
    _, frame = quiz_submitted(page, preview, module, flavour, False)
    page.locator("#interactions tbody tr").first.wait_for()
    frame.evaluate(
        "() => window.parent.%s"
        % ("API.LMSInitialize('')" if flavour == "scorm12" else "API_1484_11.Initialize('')")
    )
    page.locator("#warnings li").first.wait_for()
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 400, "height": 800})
    assert axe_violations(page) == []
