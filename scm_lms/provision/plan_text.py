"""How plans word things for the admin: Berlin wall clock, German formats, the changes of a record."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from scm_lms.moodle.models import User
from scm_lms.programme.schedule import BERLIN
from scm_lms.provision.actions import Change
from scm_lms.provision.journal import SentEnrolment


def when(timestart: int) -> str:
    return dt.datetime.fromtimestamp(timestart, BERLIN).strftime("%d.%m.%Y %H:%M")


def room_label(url: str) -> str:
    """A join link without its query and fragment, which may hold a passcode (Zoom's ?pwd=, Webex …): what
    the plan shows and the journal keeps. The full link goes only to Moodle, where participants need it."""
    if not url:
        return "(keiner)"
    parts = urlsplit(url)
    hidden = "?…" if parts.query or parts.fragment else ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}{hidden}"


def minutes(seconds: int) -> str:
    return f"{seconds // 60} Minuten"


SECTION_NOTE = (
    "Die Abschnitte der Module nennen die Vormittage nur mit Nummer und Titel, wie die Vorlage: "
    "Moodle 4.5 kann die Beschreibung eines Abschnitts nicht per Webservice ändern "
    "(core_course_edit_section blendet nur ein/aus, core_update_inplace_editable ändert nur den Namen). "
    "Datum, Uhrzeit und Videoraum stehen in den Kalenderterminen."
)


def diff_fields(*triples: tuple[str, object, object]) -> tuple[Change, ...]:
    return tuple(Change(name, as_text(old), as_text(new)) for name, old, new in triples if old != new)


def as_text(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, int) and value > 100_000_000:
        return when(value)
    return str(value)


def period_text(timestart: int, timeend: int) -> str:
    return f"{when(timestart)} bis {when(timeend)}"


def enrolment_state(sent: SentEnrolment) -> str:
    return f"{period_text(sent.timestart, sent.timeend)}{', gesperrt' if sent.suspend else ', aktiv'}"


def person_key(person: User | None, userid: int) -> tuple[str, str]:
    """Key (registration id, else username, else the Moodle id) and label of someone not in the plan."""
    if person is None:
        return f"id:{userid}", f"Benutzer-ID {userid}"
    return person.idnumber or person.username or f"id:{userid}", person.username or f"Benutzer-ID {userid}"
