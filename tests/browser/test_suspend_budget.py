"""The runtime's suspend_data for the worst learner state fits SCORM 1.2's 4096 characters and round-trips."""

from __future__ import annotations

from playwright.sync_api import Page

from course_package.model import Course
from course_package.render.quiz import SUSPEND_LIMIT_12, page_count_bound, worst_case_suspend_data
from tests.browser.conftest import LmsServer
from tests.browser.learner import Learner

WORST_STATE = """() => {
    const questions = SCM.player.questions;
    const answers = questions.map((q) => {
        if (q.type === 'single') return q.ids.length - 1;
        if (q.type === 'true-false') return true;
        if (q.type === 'multiple') return q.ids.map(() => true);
        return q.ids.map(() => q.ids.length);
    });
    const pages = SCM.player.pageCount;
    const read = Array.from({length: pages}, () => true);
    const state = {attempts: 100000, flags: 7, best: 100, answers: answers, read: read};
    const text = SCM.suspend.encode(state, questions);
    const back = SCM.suspend.decode(text, questions, pages);
    return {text: text, pages: pages, roundTrip: JSON.stringify(back.answers) === JSON.stringify(answers)
            && back.flags === 7 && back.best === 100 && back.attempts === 36 * 36 - 1
            && JSON.stringify(back.read) === JSON.stringify(read)};
}"""


def test_worst_case_suspend_data_fits_and_round_trips(page: Page, lms_server: LmsServer,
                                                      course: Course) -> None:
    for module in course.modules:
        frame = Learner(page, lms_server.base, module, "scorm12").launch_standalone()
        worst = frame.evaluate(WORST_STATE)
        assert worst["roundTrip"], module.id
        assert worst["text"].startswith("v2|")
        assert worst["pages"] == page_count_bound(module), "the bound assumes a glossary page"
        assert len(worst["text"]) == len(worst_case_suspend_data(module)) <= SUSPEND_LIMIT_12
