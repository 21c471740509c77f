"""Checklist items 7, 25, 26 and 29: what Moodle would make of real journeys through a built-in module.

A learner plays module 1 in Chromium against scorm-again (the conftest LMS). Every commit the LMS received is
stored the way Moodle's player stores it (only changed values, rows in first-stored order), LMSFinish or
Terminate is applied with Moodle's rules, and `scorm.moodle_sim` computes status, grade and activity
completion under the settings of the real template course backup. The manifest facts (version, launch SCO,
mastery score) come from the built packages, read by the port of Moodle's manifest parser.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from lxml import etree
from playwright.sync_api import Browser, Page

from course_package.model import Course, Module
from scorm.build import default_renderer, package_bytes, package_name
from scorm.manifest import Format
from scorm.moodle_backup.backup import backup_files
from scorm.moodle_backup.from_build import template_course
from scorm.moodle_backup.scoes import ScormPackage, read_package
from scorm.moodle_sim import (
    Activity,
    Completion,
    GradeMethod,
    WhatGrade,
    attempt_grade,
    completion,
    final_grade,
    finish,
    grade_max,
    score_raw,
    store_commit,
)
from scorm.validate.parse import SCORM_12, SCORM_13
from tests.browser.conftest import LmsServer
from tests.browser.learner import Learner

VERSION = {"scorm12": SCORM_12, "scorm2004": SCORM_13}
FORMATS: tuple[Format, ...] = ("scorm12", "scorm2004")
"""The formats with a runtime; `build` and the conftest LMS use the same names for them."""
EPOCH = 1735689600


@dataclass(frozen=True)
class Template:
    """The SCORM settings of one module's activity in the template backup, and its grade to pass."""

    settings: Mapping[str, str]
    gradepass: float

    def activity(self, package: ScormPackage) -> Activity:
        """The template's activity holding this package (the backup has 1.2; 2004 gets the same settings)."""
        value = self.settings
        return Activity(
            package.version,
            package.scoes,
            maxgrade=float(value["maxgrade"]),
            grademethod=GradeMethod(int(value["grademethod"])),
            whatgrade=WhatGrade(int(value["whatgrade"])),
            maxattempt=int(value["maxattempt"]),
            masteryoverride=value["masteryoverride"] == "1",
            completionstatusrequired=int(value["completionstatusrequired"]),
            completionscorerequired=float(value["completionscorerequired"]),
            completionstatusallscos=value["completionstatusallscos"] == "1",
        )


@dataclass(frozen=True)
class Journey:
    flavour: str
    passed: bool
    score: int
    """The percentage the learner earned, as the SCO shows it."""
    own: Mapping[str, str]
    """The SCO's own last value per element (its SetValue calls)."""
    tracks: Mapping[str, str]
    """What Moodle would have stored for this attempt after the SCO finished."""
    activity: Activity


@pytest.fixture(scope="module")
def packages(course: Course) -> dict[tuple[int, str], ScormPackage]:
    """Every built SCORM package of the curriculum, read by the port of Moodle's manifest parser."""
    render = default_renderer()
    return {
        (module.number, flavour): read_package(
            package_name(module, flavour), package_bytes(course, module, flavour, render, EPOCH)
        )
        for module in course.modules
        for flavour in FORMATS
    }


@pytest.fixture(scope="module")
def template(course: Course, module: Module) -> Template:
    files = backup_files(template_course(course, epoch=EPOCH))
    reference = package_name(module, "scorm12")
    for name, data in files.items():
        if name.endswith("/scorm.xml"):
            scorm = etree.fromstring(data).find("scorm")
            assert scorm is not None, name
            if scorm.findtext("reference") == reference:
                settings = {child.tag: child.text or "" for child in scorm if isinstance(child.tag, str)}
                grades = etree.fromstring(files[name.replace("scorm.xml", "grades.xml")])
                return Template(settings, float(grades.findtext("grade_items/grade_item/gradepass") or "nan"))
    raise AssertionError(f"the template backup has no activity for {reference}")


@pytest.fixture(scope="module")
def journeys(
    browser: Browser,
    lms_server: LmsServer,
    module: Module,
    packages: dict[tuple[int, str], ScormPackage],
    template: Template,
) -> Iterator[dict[str, Journey]]:
    """Pass and fail journeys for both versions, played once in one browser context and shared."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    played: dict[str, Journey] = {}
    try:
        for flavour in FORMATS:
            for passed in (True, False):
                activity = template.activity(packages[module.number, flavour])
                played[journey_id(flavour, passed)] = play(
                    context.new_page(), lms_server, module, activity, passed
                )
        yield played
    finally:
        context.close()


def journey_id(flavour: str, passed: bool) -> str:
    return f"{flavour}-{'pass' if passed else 'fail'}"


def play(page: Page, server: LmsServer, module: Module, activity: Activity, passed: bool) -> Journey:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    flavour = "scorm12" if activity.version == SCORM_12 else "scorm2004"
    learner = Learner(page, server.base, module, flavour)
    frame = learner.launch()
    learner.go_to_quiz(frame)
    count = len(module.quiz.questions)
    right = [True] * count if passed else [index % 3 == 0 for index in range(count)]
    learner.answer(frame, right)
    learner.submit(frame)
    learner.finish(frame)
    assert not errors, f"script errors in the page: {errors}"
    commits = server.commits_of(learner.run)
    assert commits and commits[-1]["terminate"], "the SCO finished with a terminating commit"
    assert not any(body["terminate"] for body in commits[:-1])
    tracks: dict[str, str] = {}
    for body in commits:
        tracks = store_commit(activity.version, tracks, flatten(body["cmi"]))
    tracks = finish(activity, launch_sco(activity), tracks)
    own = dict(learner.set_values())
    page.close()
    return Journey(flavour, passed, sum(right) * 100 // count, own, tracks, activity)


def flatten(node: Mapping[str, Any], prefix: str = "cmi") -> dict[str, str]:
    """scorm-again's nested commit body as Moodle element names (`cmi.interactions_0.id` style)."""
    elements: dict[str, str] = {}
    for key, value in node.items():
        name = f"{prefix}_{key}" if key.isdigit() else f"{prefix}.{key}"
        if isinstance(value, Mapping):
            elements.update(flatten(value, name))
        else:
            assert isinstance(value, str), (name, value)
            elements[name] = value
    return elements


def launch_sco(activity: Activity) -> str:
    return next(sco.identifier for sco in activity.scoes if sco.launch and sco.scormtype == "sco")


JOURNEYS = [journey_id(flavour, passed) for flavour in FORMATS for passed in (True, False)]


# ---- item 7: the manifest as Moodle reads it ----


def test_every_built_package_is_detected_as_its_version_with_a_launch_sco(
    packages: dict[tuple[int, str], ScormPackage], course: Course
) -> None:
    assert len(packages) == len(course.modules) * len(FORMATS)
    for (number, flavour), package in packages.items():
        assert package.version == VERSION[flavour], (number, flavour)
        assert package.launch_index is not None, (number, flavour)
        launch = package.scoes[package.launch_index]
        assert launch.launch and launch.scormtype == "sco", (number, flavour, launch)
        masteryscore = dict(launch.data).get("masteryscore")
        expected = str(course.module(number).pass_mark) if flavour == "scorm12" else None
        assert masteryscore == expected, (number, flavour)


def test_the_template_grades_and_completes_on_the_pass_mark(template: Template, module: Module) -> None:
    assert template.gradepass == module.pass_mark
    settings = template.settings
    assert float(settings["completionscorerequired"]) == module.pass_mark
    assert (settings["grademethod"], settings["whatgrade"], settings["masteryoverride"]) == ("1", "0", "1")
    assert (settings["maxgrade"], settings["completionstatusrequired"]) == ("100", "6")


# ---- item 25: the status Moodle stores is the SCO's own ----


@pytest.mark.parametrize("name", JOURNEYS)
def test_mastery_override_agrees_with_the_scos_own_status(journeys: dict[str, Journey], name: str) -> None:
    journey = journeys[name]
    verdict = "passed" if journey.passed else "failed"
    if journey.flavour == "scorm12":
        assert journey.own["cmi.core.lesson_status"] == verdict
        assert journey.tracks["cmi.core.lesson_status"] == journey.own["cmi.core.lesson_status"]
    else:
        assert (journey.own["cmi.completion_status"], journey.own["cmi.success_status"]) == (
            "completed",
            verdict,
        )
        assert journey.tracks["cmi.completion_status"] == "completed"
        assert journey.tracks["cmi.success_status"] == verdict


# ---- item 26: activity completion under the template's rules ----

COMPLETION_EXPECTED = [
    "scorm12-pass",
    "scorm12-fail",
    "scorm2004-pass",
    "scorm2004-fail",
]


@pytest.mark.parametrize("name", COMPLETION_EXPECTED)
def test_activity_completion_follows_the_result(journeys: dict[str, Journey], name: str) -> None:
    journey = journeys[name]
    result = completion(journey.activity, [{launch_sco(journey.activity): journey.tracks}])
    expected = Completion.COMPLETE if journey.passed else Completion.INCOMPLETE
    assert result.state == expected, dict(result.rules)


@pytest.mark.parametrize("passed", [True, False])
def test_requiring_passed_alone_completes_exactly_the_passed_12_journey(
    journeys: dict[str, Journey], passed: bool
) -> None:
    journey = journeys[journey_id("scorm12", passed)]
    activity = Activity(
        journey.activity.version,
        journey.activity.scoes,
        completionstatusrequired=2,
        completionscorerequired=journey.activity.completionscorerequired,
    )
    result = completion(activity, [{launch_sco(activity): journey.tracks}])
    assert result.state == (Completion.COMPLETE if passed else Completion.INCOMPLETE), dict(result.rules)


# ---- item 29: the gradebook gets the SCO's score ----


@pytest.mark.parametrize("name", JOURNEYS)
def test_highest_grade_is_the_scos_score(journeys: dict[str, Journey], template: Template, name: str) -> None:
    journey = journeys[name]
    raw = "cmi.core.score.raw" if journey.flavour == "scorm12" else "cmi.score.raw"
    assert journey.own[raw] == str(journey.score) != "0", "a raw 0 would count as no score in Moodle"
    grade = final_grade(journey.activity, [{launch_sco(journey.activity): journey.tracks}])
    assert grade is not None
    assert grade / grade_max(journey.activity) * 100 == journey.score
    assert (grade >= template.gradepass) == journey.passed
    counted = attempt_grade(
        Activity(journey.activity.version, journey.activity.scoes, grademethod=GradeMethod.AVERAGE),
        {launch_sco(journey.activity): journey.tracks},
    )
    assert counted == score_raw(journey.tracks) == journey.score, "the score counts under Average too"
