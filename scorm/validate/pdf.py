"""Validating a PDF the build wrote (guides, worksheets) or anyone's: it parses, has pages, embeds its fonts.

A guide is printed and read on other machines; a font that is not embedded turns umlauts into boxes there,
and a missing title or language leaves a screen reader guessing (warnings, since a third-party file may
still be usable).
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

from scorm.validate.archive import Limits
from scorm.validate.findings import Report

KIND = "PDF"
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def validate_pdf(path: Path, limits: Limits | None = None) -> Report:
    report = Report(path, kind=KIND)
    try:
        reader = PdfReader(path, strict=False)
        pages = list(reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError) as error:
        report.error("pdf.parse", f"Die Datei ist kein lesbares PDF: {error}")
        return report
    report.checks_run += 1
    if not pages:
        report.error("pdf.pages", "Das PDF hat keine Seiten.")
    else:
        report.checks_passed += 1
    report.checks_run += 1
    missing = sorted({name for page in pages for name in _unembedded_fonts(page)})
    if missing:
        report.error(
            "pdf.fonts",
            f"Nicht eingebettete Schriften: {', '.join(missing)}; beim Erzeugen die Schriften einbetten.",
        )
    else:
        report.checks_passed += 1
    report.checks_run += 1
    root = reader.trailer["/Root"].get_object()
    title = reader.metadata.title if reader.metadata else None
    if not title or not isinstance(root, DictionaryObject) or "/Lang" not in root:
        report.warning(
            "pdf.accessibility",
            "Dem PDF fehlen Titel oder Sprache (/Lang); Bildschirmleser können das Dokument nicht ansagen.",
        )
    else:
        report.checks_passed += 1
    return report


def _unembedded_fonts(page: DictionaryObject) -> list[str]:
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    if fonts is None:
        return []
    missing = []
    for font in fonts.get_object().values():
        font = font.get_object()
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        if font.get("/Subtype") == "/Type3":
            continue  # glyphs are drawn in the file itself
        descendants = font.get("/DescendantFonts")
        target = descendants.get_object()[0].get_object() if descendants is not None else font
        descriptor = target.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor.get_object() for key in _FONT_FILES):
            missing.append(name)
    return missing
