"""Sharing the parsed DejaVu between documents (scm_base.pdf_fonts) changes no byte and leaks no glyphs."""

from __future__ import annotations

import datetime as dt

import pytest

import scm_base.pdf_fonts as pdf_fonts
from scm_base.pdf import a4_document, text_line

CREATED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _pdf(text: str) -> bytes:
    pdf = a4_document(title="Probe", author="Test", subject="Schriften", keywords=["a"], created=CREATED)
    text_line(pdf, text, 12)
    text_line(pdf, text.upper(), 12, style="B")
    return bytes(pdf.output())


def test_shared_font_gives_the_bytes_of_add_font(monkeypatch: pytest.MonkeyPatch) -> None:
    shared = _pdf("Größe – Übung „Straße“")
    monkeypatch.setattr(pdf_fonts, "SUPPORTED_FPDF", "none")  # falls back to fpdf2's add_font
    assert _pdf("Größe – Übung „Straße“") == shared


def test_a_document_alone_equals_the_same_after_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_fonts, "_PARSED", {})
    alone = _pdf("Nur wenige Zeichen")
    for other in ("ÄÖÜ äöü ß 0123456789", "Ganz andere Glyphen: xyzqj €§%&", "Nur wenige Zeichen"):
        _pdf(other)
    assert _pdf("Nur wenige Zeichen") == alone
    assert len(pdf_fonts._PARSED) == 2  # regular and bold, parsed once each
