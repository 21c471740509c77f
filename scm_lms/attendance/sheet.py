"""The printable attendance list of one morning (German A4 PDF) for a trainer who ticks by hand.

Layout comes from scm_base.pdf (DejaVu Sans, language and title set); the table repeats its heading on every
page. It names people, so the command writes it readable by its owner only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fpdf.enums import XPos, YPos

from scm_base.pdf import FONT, a4_document, text_line
from scm_lms.intake.registrations import Registration
from scm_lms.programme.model import Durchgang
from scm_lms.programme.session import Session

TITLE = "Anwesenheitsliste"


def render(
    durchgang: Durchgang,
    session: Session,
    sessions: int,
    people: Sequence[Registration],
    issuer: str,
    created: dt.datetime,
    min_presence: float = 0.75,
) -> bytes:
    """One row per person with three boxes; `min_presence` is said in the instructions."""
    pdf = a4_document(
        title=f"{TITLE} {durchgang.key}, Vormittag {session.number}",
        author=issuer,
        subject=f"{TITLE} {durchgang.title}",
        keywords=[durchgang.key, f"Vormittag {session.number}"],
        created=created,
        margin=18,
    )
    pdf.set_auto_page_break(True, margin=18)
    text_line(pdf, issuer, 10, align="L", height=5)
    pdf.start_section(TITLE)
    text_line(pdf, TITLE, 20, "B", 10, align="L")
    text_line(pdf, f"{durchgang.title} ({durchgang.key})", 12, height=6, align="L")
    text_line(pdf, f"Vormittag {session.number} von {sessions}: {session.label_de()}", 12, "B", 7, align="L")
    trainers = ", ".join(f"{t.name} ({t.organisation})" for t in session.trainers)  # this morning's
    if trainers:
        text_line(pdf, f"Trainerinnen und Trainer: {trainers}", 10, height=5, align="L")
    pdf.ln(2)
    text_line(
        pdf,
        f"Bitte je Person ankreuzen: anwesend (mindestens {round(min_presence * 100)} % des Vormittags), "
        "abwesend oder entschuldigt. Spätes Kommen oder frühes Gehen mit Uhrzeit unter „Bemerkung“ "
        "eintragen.",
        9,
        height=4.5,
        align="L",
    )
    pdf.ln(3)
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(8, 50, 26, 19, 19, 22, 30),
        text_align=("RIGHT", "LEFT", "LEFT", "CENTER", "CENTER", "CENTER", "LEFT"),
        line_height=7,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        table.row(("Nr.", "Name", "Anmelde-Nr.", "anwesend", "abwesend", "entschuldigt", "Bemerkung"))
        for number, person in enumerate(people, 1):
            name = f"{person.last_name}, {person.first_name}"
            table.row((str(number), name, person.reg_id, "☐", "☐", "☐", ""))
    pdf.ln(8)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, "Geführt von (Name): ______________________________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.cell(0, 6, "Datum, Unterschrift: ______________________________", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    text_line(
        pdf,
        f"Nachtrag ins Ledger: scm-lms attendance set {durchgang.key} ANMELDENUMMER {session.number} "
        "present|absent|excused",
        8,
        height=4,
        align="L",
    )
    return bytes(pdf.output())
