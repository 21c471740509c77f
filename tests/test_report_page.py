"""The written report in headless Chromium: no axe violations, every chart really drawn, A4 print fits."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import responses
from PIL import Image, ImageStat
from playwright.sync_api import Page
from pypdf import PdfReader

from scm_lms.report import render_report, summarise, write_report
from testkit.chromium import axe_violations
from testkit.report_site import Scenario, gathered, moodle, scenario

__all__ = ["moodle", "scenario"]  # fixtures re-used from test_report

pytestmark = pytest.mark.browser
A4_CONTENT_WIDTH = 680
"""CSS pixels between the 15 mm margins of an A4 page (210 mm at 96 dpi)."""


@pytest.fixture
def report_page(page: Page, scenario: Scenario, moodle: responses.RequestsMock, tmp_path: Path) -> Page:
    data = gathered(scenario, moodle)
    path = tmp_path / "bericht.html"
    write_report(path, render_report(data, summarise(data)))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    assert requests == [path.as_uri()], "the page loads nothing besides itself"
    return page


def test_report_has_no_axe_violations(report_page: Page) -> None:
    assert axe_violations(report_page) == []
    report_page.set_viewport_size({"width": 400, "height": 900})
    assert axe_violations(report_page) == []


def test_every_chart_is_drawn_and_has_a_data_table(report_page: Page) -> None:
    charts = report_page.locator("svg.chart")
    assert charts.count() == 7  # funnel, five modules, attendance per morning
    for index in range(charts.count()):
        chart = charts.nth(index)
        caption = report_page.locator(f"#{chart.get_attribute('aria-labelledby')}")
        expected = ("Fortschritt je Modul", f"Modul {index}:", "Anwesenheit je Live-Vormittag")
        assert caption.inner_text().startswith(expected)
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        image = Image.open(io.BytesIO(chart.screenshot())).convert("L")
        assert ImageStat.Stat(image).var[0] > 200, f"chart {index} looks empty"
        table = chart.locator("xpath=ancestor::figure/following-sibling::table[1]")
        assert table.locator("tbody tr").count() == (5 if index == 0 else 10)


def test_prints_on_a4_without_cutting_content(report_page: Page) -> None:
    report_page.emulate_media(media="print")
    report_page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 1000})
    overflow = report_page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    pdf = report_page.pdf(
        format="A4", margin={"top": "15mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
    )
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert 2 <= len(pages) <= 12
    sizes = {(float(p.mediabox.width), float(p.mediabox.height)) for p in pages}
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes), sizes  # A4 in points
    text = "".join(page.extract_text() for page in pages)
    assert "Fortschrittsbericht Durchgang 2024-D2" in text and "Unterstützungsbedarf" in text
