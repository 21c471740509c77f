"""The German text of a morning's calendar event: its name and its HTML description.

Participants see it in the course calendar and in Moodle's reminders, so it carries everything needed on the
morning itself: when, the join link, the agenda and who leads. Every value from the programme file is
escaped, so a title or name with < or & cannot break the page.
"""

from __future__ import annotations

from html import escape

from scm_lms.programme.model import SESSIONS_PER_DURCHGANG
from scm_lms.programme.session import Session


def event_name(session: Session) -> str:
    """E.g. "Vormittag 3 von 10 – Modul 2: Smart City als Querschnittsaufgabe"."""
    name = f"Vormittag {session.number} von {SESSIONS_PER_DURCHGANG} – Modul {session.module}"
    return f"{name}: {session.title}" if session.title else name


def event_description(session: Session) -> str:
    """Without the date, which the calendar shows anyway: moving a morning then changes only its start."""
    clock = f"{session.start:%H:%M}–{session.end:%H:%M} Uhr"
    parts = [f"<p>Virtueller Vormittag, {clock}, Modul {session.module}</p>"]
    if session.room:
        link = escape(session.room, quote=True)
        parts.append(f'<p>Videoraum: <a href="{link}">{link}</a></p>')
    else:
        parts.append("<p>Videoraum: Der Link wird rechtzeitig vor dem Termin hier eingetragen.</p>")
    if session.agenda:
        items = "".join(f"<li>{escape(line)}</li>" for line in session.agenda)
        parts.append(f"<p>Programm:</p><ul>{items}</ul>")
    if session.trainers:
        people = ", ".join(f"{escape(t.name)} ({escape(t.organisation)})" for t in session.trainers)
        label = "Leitung" if len(session.trainers) == 1 else "Leitung im Team"
        parts.append(f"<p>{label}: {people}</p>")
    return "".join(parts)
