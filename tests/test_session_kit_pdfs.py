"""Guides and worksheets as a trainer and a participant read them: text read back with pypdf."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from course_package.kits.guide import render_guide
from course_package.kits.worksheets import render_worksheets
from course_package.model import Course
from course_package.source import load_course
from scorm.validate import validate_path
from testkit.session_kits import add_session_kits

EPOCH = 1_735_689_600


@pytest.fixture
def course(course_source: Path) -> Course:
    return load_course(add_session_kits(course_source))


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def outline_titles(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    titles: list[str] = []

    def walk(items: Sequence[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(getattr(item, "title", "")))

    walk(reader.outline)
    return titles


def test_guide_has_agenda_times_methods_world_cafe_and_every_debrief(course: Course) -> None:
    module = course.modules[1]
    data = render_guide(course, module, EPOCH)
    text = text_of(data)
    for block in module.mornings[0].blocks:
        assert f"{block.start}–{block.end}" in text
        assert block.method is None or block.method in text
    assert "Pausen zusammen: 30 Minuten." in text
    assert "World Café: 4 Tische, 3 Runden" in text
    assert "Wen erreichen wir mit einer Online-Umfrage nicht?" in text
    assert "• Pinnwand je Tisch" in text
    assert text.count("Musterlösung und Kriterien") == 3
    assert "Bearbeitet im Selbststudium." in text
    assert outline_titles(data) == [
        "Leitfaden Modul 2: Digitale Bürgerdienste planen und umsetzen",
        "Vormittag 2: Beteiligung im World Café",
        "Lernziele",
        "Vorbereitung",
        "Ablauf",
        "Materialliste",
        "Moderationshinweise",
        "World Café: 4 Tische, 3 Runden",
        "Nachbesprechungen der Aktivitäten",
        "Aktivität 2.1: Ihr eigener Projektplan",
        "Aktivität 2.2: Welche Beteiligung passt?",
        "Aktivität 2.3: Was würden Sie anders machen?",
    ]


def test_every_activity_has_its_worksheet_with_labels_and_table_headers(course: Course) -> None:
    for module in course.modules:
        data = render_worksheets(course, module, EPOCH)
        titles = outline_titles(data)
        text = text_of(data)
        for lesson in module.lessons:
            activity = lesson.activity
            assert activity is not None and activity.worksheet is not None
            assert any(title.endswith(f": {activity.title}") for title in titles)
            for entry in activity.worksheet.fields:
                if entry.table is not None:
                    assert " ".join(entry.table.columns) in text
                else:
                    assert entry.label is not None and entry.label in text
    first = text_of(render_worksheets(course, course.modules[0], EPOCH))
    assert "bearbeitet am Vormittag 1, 10:15–11:15 Uhr (Der letzte Behördengang)" in first


def test_pdfs_are_tagged_titled_german_and_valid(course: Course, tmp_path: Path) -> None:
    data = render_worksheets(course, course.modules[0], EPOCH)
    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "de-DE" and root["/MarkInfo"]["/Marked"]
    assert (
        reader.metadata is not None
        and reader.metadata.title == "Arbeitsblätter Modul 1: Grundlagen digitaler Bürgerdienste"
    )
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    assert document["/S"] == "/Document"
    kinds = [kid.get_object()["/S"] for kid in document["/K"]]
    assert kinds[:3] == ["/H1", "/P", "/H2"] and "/TH" in kinds
    path = tmp_path / "blatt.pdf"
    path.write_bytes(data)
    report = validate_path(path)
    assert report.valid and report.kind == "PDF" and report.checks_passed == report.checks_run == 3


def test_rebuild_is_byte_identical_and_follows_the_epoch(course: Course) -> None:
    module = course.modules[1]
    assert render_guide(course, module, EPOCH) == render_guide(course, module, EPOCH)
    assert render_worksheets(course, module, EPOCH) == render_worksheets(course, module, EPOCH)
    assert render_guide(course, module, EPOCH) != render_guide(course, module, EPOCH + 86_400)


def test_module_without_mornings_still_gets_a_guide(course_source: Path) -> None:
    course = load_course(course_source)
    text = text_of(render_guide(course, course.modules[0], EPOCH))
    assert "Für dieses Modul sind die Vormittage noch nicht beschrieben." in text
    assert "Die Nachbesprechung zu dieser Aktivität ist noch nicht geschrieben." in text


def test_validate_rejects_unembedded_fonts_and_broken_files(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(text="Nicht eingebettet")
    plain = tmp_path / "helvetica.pdf"
    plain.write_bytes(bytes(pdf.output()))
    report = validate_path(plain)
    assert not report.valid and report.codes() == {"pdf.fonts", "pdf.accessibility"}
    broken = tmp_path / "kaputt.pdf"
    broken.write_bytes(b"%PDF-1.7\nnichts")
    assert "pdf.parse" in validate_path(broken).codes() or "pdf.pages" in validate_path(broken).codes()


def text_positions(data: bytes) -> list[list[tuple[float, float]]]:
    """(x, y) in points of every text run, per page."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[float, float]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: object,
            found: list[tuple[float, float]] = found,
        ) -> None:
            if text.strip():
                found.append((tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def test_long_worksheets_flow_over_pages_inside_the_margins(course_source: Path) -> None:
    source = add_session_kits(course_source)
    lesson = source / "modules/01-grundlagen/lessons/01-was-sind-buergerdienste.md"
    text = lesson.read_text(encoding="utf-8")
    long_table = (
        '      - table:\n          caption: "Lange Tabelle"\n'
        '          columns: ["A", "B", "C", "D", "E", "F"]\n          rows: 20\n'
    )
    text = text.replace("    fields:\n", "    fields:\n" + long_table * 3, 1)
    lesson.write_text(text, encoding="utf-8")
    course = load_course(source)
    data = render_worksheets(course, course.modules[0], EPOCH)
    pages = text_positions(data)
    assert len(pages) >= 4
    width, height = 595.28, 841.89  # A4 in points
    for number, found in enumerate(pages, 1):
        assert found, f"page {number} is empty"
        assert all(50 <= x <= width - 50 and 25 <= y <= height - 50 for x, y in found), number
        page_text = PdfReader(io.BytesIO(data)).pages[number - 1].extract_text()
        assert f"Seite {number} von {len(pages)}" in page_text
    continued = [PdfReader(io.BytesIO(data)).pages[n].extract_text() for n in range(1, len(pages))]
    assert sum("A B C D E F" in page for page in continued) >= 2  # header row repeated on continued pages
