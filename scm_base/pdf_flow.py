"""Flowing, tagged text on the A4 pages of `scm_base.pdf`: headings, paragraphs, lists, tables, writing lines.

Guides and worksheets are long documents read on screen as often as on paper, so every heading is also a
bookmark (the PDF outline) and text goes into the structure tree in reading order: `/H1`–`/H3` for headings,
`/P` for paragraphs, list items and each table cell (row by row, left to right). fpdf2 2.8 builds only a flat
structure tree, so tables carry no `/Table`/`/TR`/`/TD` nesting; drawn lines and page numbers are untagged.
Marked content may not cross a page, so every piece is measured first and starts a new page when it would
not fit (a paragraph longer than a page is split into its lines).

Lines are broken here, word by word with the font's additive character widths, and each is drawn as one
cell: fpdf2's `multi_cell` re-measures the whole line for every character it adds (quadratic in the line
length), and measuring first then drawing did that twice per paragraph – most of a build's time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from scm_base.pdf import FONT

_HEADING_SIZES = {1: 17.0, 2: 14.0, 3: 11.5}
BODY_SIZE = 10.0
LINE = 5.0
"""Line height of body text in mm."""


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    """Share of the text width (the shares of a table add up to 1)."""


class Flow:
    """Writes top to bottom on `pdf`, adding pages as needed; call `finish` once at the end."""

    def __init__(self, pdf: FPDF, footer: str) -> None:
        self.pdf = pdf
        self.footer = footer
        self.bottom = pdf.h - 20
        self._lines: dict[tuple[str, float, float, str], list[str]] = {}
        self._widths: dict[tuple[str, float, str], float] = {}
        pdf.set_auto_page_break(auto=False)
        pdf.set_y(pdf.t_margin)

    # -- primitives -------------------------------------------------------------------------------------

    @contextmanager
    def tagged(self, struct_type: str) -> Iterator[None]:
        """Marks what is drawn inside as one structure element of `struct_type` (e.g. `/P`) on this page."""
        pdf = self.pdf
        mcid = pdf.struct_builder.next_mcid_for_page(pdf.page)
        _, parents = pdf.struct_builder.add_marked_content(
            page_number=pdf.page, struct_type=struct_type, mcid=mcid
        )
        pdf.pages[pdf.page].struct_parents = parents
        pdf._out(f"{struct_type} <</MCID {mcid}>> BDC")
        yield
        pdf._out("EMC")

    def room(self) -> float:
        return self.bottom - self.pdf.get_y()

    def need(self, height: float) -> None:
        """Starts a new page unless `height` mm still fit on this one."""
        if height > self.room():
            self.new_page()

    def new_page(self) -> None:
        self._footer()
        self.pdf.add_page()
        self.pdf.set_y(self.pdf.t_margin)

    def lines_of(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        """`text` broken into lines that fit a cell `width` mm wide (inside the cell margins): at spaces,
        inside a word only when the word alone is too long; a newline always breaks."""
        key = (text, width, size, style)
        if key not in self._lines:
            self.pdf.set_font(FONT, style, size)
            room = width - 2 * self.pdf.c_margin
            self._lines[key] = [line for hard in text.split("\n") for line in self._wrap(hard, room)] or [""]
        return self._lines[key]

    def _width(self, word: str) -> float:
        key = (word, self.pdf.font_size_pt, self.pdf.font_style)
        if key not in self._widths:
            self._widths[key] = self.pdf.get_string_width(word)
        return self._widths[key]

    def _wrap(self, text: str, room: float) -> list[str]:
        lines: list[str] = []
        line, used = "", 0.0
        space = self._width(" ")
        for word in text.split(" "):
            size = self._width(word)
            if line and used + space + size > room:
                lines.append(line)
                line, used = "", 0.0
            if line or used:
                line, used = f"{line} {word}", used + space + size
            else:
                line, used = word, size
            while used > room and len(line) > 1:  # a word longer than the line: cut it where it fits
                cut = len(line) - 1
                while cut > 1 and self.pdf.get_string_width(line[:cut]) > room:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
                used = self.pdf.get_string_width(line)
        lines.append(line)
        return lines

    def _draw(self, lines: Sequence[str], width: float, height: float) -> None:
        """The lines one below the other from the current position, each as one left-aligned cell."""
        x = self.pdf.get_x()
        for line in lines:
            self.pdf.set_x(x)
            self.pdf.cell(width, height, line, new_x=XPos.LEFT, new_y=YPos.NEXT, align="L")

    def space(self, mm: float) -> None:
        if mm < self.room():
            self.pdf.set_y(self.pdf.get_y() + mm)

    # -- blocks -----------------------------------------------------------------------------------------

    def heading(self, text: str, level: int, *, keep: float = 25) -> None:
        """A heading and bookmark; `keep` mm of what follows must fit below it on the same page."""
        size = _HEADING_SIZES[level]
        height = len(self.lines_of(text, self.pdf.epw, size, "B")) * size * 0.5 + 4
        if level == 1 and self.pdf.get_y() > self.pdf.t_margin + 1:
            self.new_page()
        self.need(height + keep)
        self.space(2 if level > 1 else 0)
        self.pdf.start_section(text, level - 1, strict=False)
        lines = self.lines_of(text, self.pdf.epw, size, "B")
        self.pdf.set_font(FONT, "B", size)
        self.pdf.set_x(self.pdf.l_margin)
        with self.tagged(f"/H{level}"):
            self._draw(lines, self.pdf.epw, size * 0.5)
        self.pdf.set_x(self.pdf.l_margin)
        self.space(2)

    def paragraph(self, text: str, *, size: float = BODY_SIZE, style: str = "", indent: float = 0) -> None:
        width = self.pdf.epw - indent
        lines = self.lines_of(text, width, size, style)
        if len(lines) * LINE > self.bottom - self.pdf.t_margin:  # longer than a page: line by line
            for line in lines:
                self.paragraph(line, size=size, style=style, indent=indent)
            return
        self.need(len(lines) * LINE)
        self.pdf.set_x(self.pdf.l_margin + indent)
        self.pdf.set_font(FONT, style, size)
        with self.tagged("/P"):
            self._draw(lines, width, LINE)
        self.pdf.set_x(self.pdf.l_margin)
        self.space(1.5)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            self.paragraph(f"• {item}", indent=4)

    def table(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], *, min_row: float = 0) -> None:
        """A ruled table; the header row repeats on every page the table continues on."""
        widths = [column.width * self.pdf.epw for column in columns]
        headers = [column.header for column in columns]
        first = self._row_height(rows[0], widths, min_row) if rows else 0
        self.need(self._row_height(headers, widths, 0, bold=True) + first)  # no header alone at a page end
        self._row(headers, widths, bold=True)
        for row in rows:
            height = self._row_height(row, widths, min_row)
            if height > self.room():
                self.new_page()
                self._row(headers, widths, bold=True)
            self._row(row, widths, min_row=min_row)
        self.space(3)

    def _row_height(
        self, cells: Sequence[str], widths: Sequence[float], min_row: float, bold: bool = False
    ) -> float:
        style = "B" if bold else ""
        tallest = max(
            len(self.lines_of(cell, width - 2, 9, style)) for cell, width in zip(cells, widths, strict=True)
        )
        return max(tallest * 4.5 + 2, min_row)

    def _row(
        self, cells: Sequence[str], widths: Sequence[float], *, bold: bool = False, min_row: float = 0
    ) -> None:
        pdf = self.pdf
        height = self._row_height(cells, widths, min_row, bold)
        self.need(height)
        top, x = pdf.get_y(), pdf.l_margin
        pdf.set_font(FONT, "B" if bold else "", 9)
        for cell, width in zip(cells, widths, strict=True):
            pdf.rect(x, top, width, height)
            if cell:
                lines = self.lines_of(cell, width - 2, 9, "B" if bold else "")
                pdf.set_font(FONT, "B" if bold else "", 9)
                pdf.set_xy(x + 1, top + 1)
                with self.tagged("/TH" if bold else "/P"):
                    self._draw(lines, width - 2, 4.5)
            x += width
        pdf.set_xy(pdf.l_margin, top + height)

    def writing_lines(self, count: int) -> None:
        """Ruled lines to write on (8 mm apart), kept together on one page."""
        self.need(count * 8 + 2)
        pdf = self.pdf
        for _ in range(count):
            pdf.set_y(pdf.get_y() + 8)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        self.space(4)

    def finish(self) -> None:
        """Ends the last page; fpdf2 fills in the page total of every footer when the file is written."""
        self._footer()

    def _footer(self) -> None:
        """The document's short name and "Seite n von N" (untagged, an artifact), drawn as a page is left."""
        pdf = self.pdf
        pdf.set_font(FONT, "", 8)
        pdf.set_xy(pdf.l_margin, pdf.h - 14)
        pdf.cell(pdf.epw / 2, 5, self.footer, align="L")
        pdf.cell(pdf.epw / 2, 5, f"Seite {pdf.page} von {{nb}}", align="R")
