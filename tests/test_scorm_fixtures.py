"""The sample course of testkit/scorm_fixtures.py covers what the package tests rely on."""

from __future__ import annotations

from testkit.scorm_fixtures import sample_course


def test_sample_course_covers_every_question_type() -> None:
    kinds = {question.type for question in sample_course().module(1).quiz.questions}
    assert kinds == {"single", "multiple", "true-false", "ordering", "matching"}
