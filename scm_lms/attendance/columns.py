"""Which column of a video platform's participant list holds what, in German or English.

BigBlueButton, OpenTalk, Jitsi (via its meeting-report tools), Webex, Zoom and Teams name the same things
differently ("Beitrittszeit", "Join Time", "Erster Beitritt", "First Join"); headers are compared with the
registration importer's normalisation (case, spaces, umlauts, bracketed notes), against the synonyms here.
"""

from __future__ import annotations

from collections.abc import Sequence

from scm_lms.intake.registration_headers import header_keys

FIELDS: dict[str, tuple[str, ...]] = {
    "name": (
        "Name",
        "Vollständiger Name",
        "Teilnehmername",
        "Teilnehmer",
        "Teilnehmende",
        "Anzeigename",
        "Name (ursprünglicher Name)",
        "Name (Originalname)",
        "Full Name",
        "Participant Name",
        "Participant",
        "Display Name",
        "Name (Original Name)",
        "User Name",
        "Attendee Name",
    ),
    "email": (
        "E-Mail",
        "E-Mail-Adresse",
        "E-Mail des Benutzers",
        "E-Mail-Adresse des Benutzers",
        "Benutzer-E-Mail",
        "Mail",
        "Email",
        "User Email",
        "Email Address",
        "Attendee Email",
        "Participant Email",
    ),
    "upn": ("Teilnehmer-ID (UPN)", "Participant ID (UPN)", "UPN"),
    "join": (
        "Beitrittszeit",
        "Beitritt",
        "Beigetreten",
        "Beigetreten um",
        "Erster Beitritt",
        "Zeitpunkt des Beitritts",
        "Join Time",
        "Joined",
        "Joined At",
        "Join",
        "First Join",
        "First Join Time",
        "Zeitstempel",
        "Timestamp",
    ),
    "leave": (
        "Zeit des Verlassens",
        "Uhrzeit des Verlassens",
        "Verlassen",
        "Verlassen um",
        "Letztes Verlassen",
        "Austrittszeit",
        "Austritt",
        "Leave Time",
        "Left",
        "Left At",
        "Leave",
        "Last Leave",
        "Last Leave Time",
    ),
    "minutes": (
        "Dauer (Minuten)",
        "Dauer in Minuten",
        "Dauer",
        "Dauer der Besprechung",
        "Anwesenheitsdauer",
        "Duration (Minutes)",
        "Duration (mins)",
        "Duration",
        "In-Meeting Duration",
        "Attendance Duration",
        "Time in Session (minutes)",
    ),
    "action": ("Benutzeraktion", "Aktion", "User Action", "Action"),
}
"""Accepted headers per field; the first is the name used in messages. `upn` (Teams' sign-in name, usually
the work address) is the e-mail when the list has no e-mail column or the cell is empty."""

LABELS = {field: names[0] for field, names in FIELDS.items()}
_SYNONYMS = {key: field for field, names in FIELDS.items() for name in names for key in header_keys(name)}


def field_of(header: str) -> str | None:
    for key in header_keys(header):
        if key in _SYNONYMS:
            return _SYNONYMS[key]
    return None


def match(header: Sequence[str]) -> tuple[dict[str, int], list[str]]:
    """Field → column index, and German problems (a field named by two columns, without the file name)."""
    found: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        field = field_of(name)
        if field is not None:
            found.setdefault(field, []).append(index)
    columns: dict[str, int] = {}
    problems: list[str] = []
    for field, indexes in found.items():
        if len(indexes) > 1:
            names = " und ".join(f"„{header[index]}“" for index in indexes)
            problems.append(f"Spalten {names} meinen beide „{LABELS[field]}“; eine davon entfernen")
        else:
            columns[field] = indexes[0]
    return columns, problems


SUMMARY_JOIN = frozenset(
    key for name in ("Erster Beitritt", "First Join", "First Join Time") for key in header_keys(name)
)
"""Teams' per-person summary (first join, last leave): counted only when the list has nothing finer."""


def is_header(cells: Sequence[str]) -> bool:
    """A row that names who (name or e-mail) and when (join time or a join/leave action)."""
    fields = {field_of(cell) for cell in cells if cell.strip()}
    return bool(fields & {"name", "email"}) and bool(fields & {"join", "action"})
