"""A German A4 PDF with embedded DejaVu Sans: the page setup and text lines the certificate and, next, the
guides and attendance sheets share.

DejaVu covers umlauts and ß and keeps text extractable; title and language are set for screen readers.
Output is byte-stable for the same input and creation date (the certificate tests rely on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.prefs import ViewerPreferences

from scm_base.pdf_fonts import add_shared_font

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"


def a4_document(
    *,
    title: str,
    author: str,
    subject: str,
    keywords: Sequence[str],
    created: dt.datetime,
    margin: float = 25,
) -> FPDF:
    """A portrait A4 document, German, fonts registered, one empty page, no automatic page breaks."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_lang("de-DE")
    pdf.set_author(author)
    pdf.set_subject(subject)
    pdf.set_keywords(list(keywords))
    pdf.set_creator("scm-lms")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    add_shared_font(pdf, FONT, "", FONTS / "DejaVuSans.ttf")
    add_shared_font(pdf, FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    return pdf


def text_line(
    pdf: FPDF, text: str, size: float, style: str = "", height: float = 8, align: str = "C"
) -> None:
    """One paragraph across the text width, wrapped, then back to the left margin on the next line."""
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(pdf.epw, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
