"""Case boxes ("Praxisbeispiel"): rendered as a labelled note, refused by the loader without their source."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from course_package.render.markdown import render_markdown
from course_package.source import SourceError, load_course

CASE = """Einleitung.

> **Praxisbeispiel: Ein Bürgerportal in Beispielstadt**
>
> Die Stadt hat ihr Portal gemeinsam mit Nutzenden getestet.
>
> Quelle: Bericht zum Bürgerportal, Stadt Beispielstadt, 2025

> Ein gewöhnliches Zitat bleibt ein Zitat.
"""


def test_case_box_becomes_a_note_and_other_quotes_stay_quotes() -> None:
    page = html.fromstring(f"<div>{render_markdown(CASE)}</div>")
    (box,) = page.xpath("//div[@class='case']")
    assert box.get("role") == "note", (
        "a note, not a landmark: several boxes fit one page without axe findings"
    )
    paragraphs = [p.text_content() for p in box.xpath("./p")]
    assert paragraphs[0] == "Praxisbeispiel: Ein Bürgerportal in Beispielstadt"
    assert paragraphs[-1].startswith("Quelle: Bericht zum Bürgerportal")
    assert [q.text_content().strip() for q in page.xpath("//blockquote")] == [
        "Ein gewöhnliches Zitat bleibt ein Zitat."
    ]


def test_case_box_without_source_is_reported_at_its_line(course_source: Path) -> None:
    lesson = course_source / "modules/02-umsetzung/lessons/03-fallbeispiel.md"
    text = lesson.read_text(encoding="utf-8")
    lines_before = text.count("\n")
    lesson.write_text(text + "\n> **Praxisbeispiel: Ohne Beleg**\n>\n> Eine Behauptung.\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_course(course_source)
    (problem,) = caught.value.problems
    assert problem.file == "modules/02-umsetzung/lessons/03-fallbeispiel.md"
    assert problem.line == lines_before + 2
    assert "Praxisbeispiel ohne Quelle" in problem.message and "Quelle:" in problem.message
