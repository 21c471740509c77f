"""DejaVu parsed once per process and shared by every PDF of a run, each document with its own subset.

fpdf2's `add_font` reads the whole TrueType file with fontTools (cmap, glyph widths, glyph ids, the font
descriptor) for every document – about 40 ms per font, twice per document, ten documents in a build. None
of that depends on the document, so it is read once here and copied. What a document changes is its own:
the glyph subset it picks while writing, the widths cache (a defaultdict that grows), the missing-glyph
list, the font descriptor (which gets the PDF object id and the subset's name) and the fontTools font,
which fpdf2 subsets in place when the file is written – each document gets a fresh, lazily read one from
the file's bytes held here. The output is byte for byte what `add_font` gives (tests compare both).

This leans on fpdf2's `TTFFont` internals, so it is used only with the fpdf2 version it was written for
(pinned in pyproject.toml); with any other version documents fall back to `add_font`.
"""

from __future__ import annotations

import copy
from io import BytesIO
from pathlib import Path
from typing import Any

from fontTools import ttLib  # type: ignore[import-untyped]  # fpdf2's own font reader
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.fpdf import FPDF_VERSION

SUPPORTED_FPDF = "2.8.9"
"""The fpdf2 version whose `TTFFont` layout `add_shared_font` copies."""

_PARSED: dict[tuple[Path, str, str], tuple[Any, bytes]] = {}
"""(file, family, style) → the parsed font (never given to a document itself) and the file's bytes."""


def add_shared_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """`pdf.add_font(family, style, path)`, with the file parsed only the first time in this process."""
    if FPDF_VERSION != SUPPORTED_FPDF:
        pdf.add_font(family, style, str(path))
        return
    key = (path.resolve(), family, style)
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = _parse(family, style, path)
        _PARSED[key] = parsed
    template, data = parsed
    if template is None:  # a font this sharing does not cover (colour, CID-keyed CFF): fpdf2's own way
        pdf.add_font(family, style, str(path))
        return
    font = copy.copy(template)
    font.i = len(pdf.fonts) + 1
    font.ttfont = ttLib.TTFont(BytesIO(data), recalcTimestamp=False, lazy=True)
    font.cw = copy.copy(template.cw)
    font.desc = copy.deepcopy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font._hbfont = None
    font.subset = SubsetMap(font)
    pdf.fonts[template.fontkey] = font


def _parse(family: str, style: str, path: Path) -> tuple[Any, bytes]:
    """The font as `add_font` builds it, on a scratch document; None for kinds the copy does not cover."""
    scratch = FPDF()
    scratch.add_font(family, style, str(path))
    (font,) = scratch.fonts.values()
    data = path.read_bytes()
    if not isinstance(font, TTFFont):
        return None, data
    font.ttfont.close()
    shareable = (
        font.color_font is None
        and not font.is_compressed
        and not font.is_symbol
        and not (font.is_cff and font.is_cid_keyed)
    )
    return (font if shareable else None), data
