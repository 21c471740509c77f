"""The certificate as a German A4 PDF with its signed facts embedded.

Page, fonts and text lines come from scm_base.pdf (embedded DejaVu Sans, title and language for screen
readers); text is written top to bottom in reading order. The facts and their signature travel
inside the PDF as the attachment `zertifikat.json`, so the file can be verified offline on its own.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from scm_base.errors import ToolkitError
from scm_base.pdf import FONT, a4_document, text_line
from scm_lms.certify.facts import Facts
from scm_lms.certify.signing import Signature

ATTACHMENT = "zertifikat.json"
FORMAT = "scm-lms-zertifikat/1"
_MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)


def german_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def attachment(facts: Facts, signature: Signature) -> bytes:
    """The embedded record: canonical facts stay byte-identical, so they are stored as a string."""
    record = {
        "format": FORMAT,
        "facts": facts.canonical().decode("utf-8"),
        "key_id": signature.key_id,
        "signature": signature.value,
    }
    return json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")


def verify_target(number: str, verify_url: str) -> str:
    """What the QR code holds: the verification page with the code, or the bare code without a page."""
    if not verify_url:
        return number
    separator = "&" if "?" in verify_url else "?"
    return f"{verify_url}{separator}code={number}"


def _qr_png(text: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=8, border=2)
    buffer.seek(0)
    return buffer


def _signatures(pdf: FPDF, signatories: Sequence[tuple[str, str]]) -> None:
    """Up to two signature lines side by side: a rule to sign on, the name, the function."""
    if not signatories:
        return
    column = pdf.epw / 2
    top = pdf.get_y() + 10
    for index, (name, function) in enumerate(signatories[:2]):
        x = pdf.l_margin + index * column
        pdf.line(x, top, x + column - 10, top)
        pdf.set_xy(x, top + 1)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(column - 10, 5, name, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)
        pdf.multi_cell(column - 10, 5, function, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_xy(pdf.l_margin, top + 12)


def period_text(period: tuple[dt.date, dt.date]) -> str:
    first, last = period
    return f"Zeitraum: {german_date(first.isoformat())} bis {german_date(last.isoformat())}"


def mornings_text(mornings: tuple[int, int]) -> str:
    attended, total = mornings
    return f"Teilgenommen an {attended} von {total} Live-Vormittagen"


def render(
    facts: Facts,
    signature: Signature,
    *,
    durchgang_title: str,
    verify_url: str,
    period: tuple[dt.date, dt.date] | None = None,
    logo: Path | None = None,
    signatories: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The A4 certificate; `period` (first to last morning), `logo` and `signatories` come from the
    programme file and are layout only: the signature covers the facts."""
    pdf = a4_document(
        title=f"Zertifikat {facts.programme} – {facts.name}",
        author=facts.issuer,
        subject=f"Zertifikat Nr. {facts.number}",
        keywords=[facts.number, facts.programme, facts.durchgang],
        created=dt.datetime.fromisoformat(facts.date).replace(tzinfo=dt.UTC),
    )
    width = pdf.epw

    def line(text: str, size: float, style: str = "", height: float = 8, align: str = "C") -> None:
        text_line(pdf, text, size, style, height, align)

    tight = logo is not None or bool(signatories)
    # logo and signature lines take room: the rest moves closer, so the page stays one A4 page
    if logo is not None:
        pdf.set_y(pdf.t_margin - 10)
        pdf.image(str(logo), x=Align.C, h=16, alt_text=f"Logo: {facts.issuer}")
        pdf.ln(2)
    line(facts.issuer, 11)
    pdf.ln(4 if tight else 14)
    pdf.start_section("Zertifikat")
    line("Zertifikat", 30, "B", 14)
    pdf.ln(4 if tight else 8)
    line("Hiermit wird bestätigt, dass", 12)
    pdf.ln(2)
    line(facts.name, 22, "B", 12)
    pdf.ln(2)
    line(
        f"die Qualifizierung „{facts.programme}“ im {durchgang_title} ({facts.durchgang}) mit "
        f"{facts.hours} Stunden erfolgreich abgeschlossen hat.",
        12,
        height=7,
    )
    if facts.period is not None:  # signed; `period` is the layout-only fallback of older certificates
        period = (dt.date.fromisoformat(facts.period[0]), dt.date.fromisoformat(facts.period[1]))
    if period is not None:
        pdf.ln(1)
        line(period_text(period), 11, height=6)
    if facts.mornings is not None:
        line(mornings_text(facts.mornings), 11, height=6)
    pdf.ln(6)
    line("Inhalte", 13, "B", 8, align="L")
    pdf.set_font(FONT, "", 11)
    with pdf.table(
        col_widths=(20, 110, 30),
        text_align=("LEFT", "LEFT", "RIGHT"),
        line_height=5.5 if tight else 7,
        first_row_as_headings=True,
    ) as table:
        table.row(("Modul", "Titel", "Stunden"))
        for module in facts.modules:
            table.row((str(module.number), module.title, str(module.hours)))
        table.row(("", "Gesamt", str(facts.hours)))
    pdf.ln(6 if tight else 10)
    line(f"Ausgestellt am {german_date(facts.date)} von {facts.issuer}.", 11, height=6, align="L")
    _signatures(pdf, signatories)
    pdf.ln(2 if tight else 4)
    qr_size = 28 if tight else 32
    top = pdf.get_y()
    pdf.image(
        _qr_png(verify_target(facts.number, _url(verify_url))),
        x=pdf.l_margin,
        y=top,
        w=qr_size,
        h=qr_size,
        alt_text=f"QR-Code zur Prüfung des Zertifikats {facts.number}",
    )
    pdf.set_xy(pdf.l_margin + qr_size + 6, top + 2)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, f"Zertifikatsnummer: {facts.number}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + qr_size + 6)
    pdf.set_font(FONT, "", 9)
    check = _url(verify_url) or "scm-lms cert verify <Datei oder Nummer>"
    pdf.multi_cell(
        width - qr_size - 6,
        5,
        f"Echtheit prüfen: {check}\nDigital signiert (Ed25519, Schlüssel {signature.key_id}); "
        f"die signierten Angaben sind als „{ATTACHMENT}“ eingebettet.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.embed_file(
        bytes=attachment(facts, signature),
        basename=ATTACHMENT,
        desc="Signierte Zertifikatsangaben (JSON)",
        mime_type="application/json",
        modification_date=dt.datetime.fromisoformat(facts.date).replace(tzinfo=dt.UTC),
        creation_date=dt.datetime.fromisoformat(facts.date).replace(tzinfo=dt.UTC),
    )
    if pdf.page_no() != 1 or pdf.get_y() > pdf.h - 15:
        raise CertificateLayoutError(
            "Zertifikat passt nicht auf eine A4-Seite (Modultitel oder Unterzeichner kürzen)"
        )
    return bytes(pdf.output())


def _url(verify_url: str) -> str:
    return verify_url.strip()


class CertificateLayoutError(ToolkitError, ValueError):
    """The programme file's texts (titles, signatories, logo) overflow the one A4 page a certificate is."""

    hint = "Kürzen Sie in der Programmdatei die Angaben der Unterzeichner oder lassen Sie das Logo weg."
