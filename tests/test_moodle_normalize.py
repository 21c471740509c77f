"""Moodle's reply quirks are smoothed in one place: numbers in strings, German decimals, HTML in grades."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scm_lms.moodle.models import CourseGradeItem, GradeItem
from scm_lms.moodle.normalize import parse_number, plain_text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("85.00", 85.0),
        ("85,00", 85.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("92.00 %", 92.0),
        ("92,50 %", 92.5),
        ('<i class="icon fa fa-check" title="Pass"></i>85.00', 85.0),
        ("-", None),
        ("", None),
        (None, None),
        (7, 7.0),
        ("-3,5", -3.5),
    ],
)
def test_parse_number(text: object, value: float | None) -> None:
    assert parse_number(text) == value


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_german_and_english_notation_agree(number: object) -> None:
    english = f"{number:,.2f}"
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert parse_number(english) == parse_number(german) == pytest.approx(float(str(number)))


def test_plain_text_drops_tags_and_entities() -> None:
    assert plain_text("0&ndash;100") == "0–100"
    assert plain_text("<div>Zu kurz.</div><div>Zu  einfach.</div>") == "Zu kurz. Zu einfach."


def test_models_use_the_normalisation() -> None:
    item = GradeItem.model_validate(
        {
            "id": "4",
            "itemtype": "mod",
            "graderaw": "85,5",
            "grademax": "100,00",
            "percentageformatted": "85,50 %",
            "gradeformatted": "<i></i>85,50",
        }
    )
    assert (item.id, item.graderaw, item.grademax, item.percentage, item.gradeformatted) == (
        4,
        85.5,
        100.0,
        85.5,
        "85,50",
    )
    assert CourseGradeItem.model_validate({"id": "12", "itemname": "x"}).id == 12
