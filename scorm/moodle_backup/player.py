"""How Moodle's SCORM player shows a single-SCO module: the settings the writer sets and `validate` checks.

One table serves both, so the backup we write and the rule that checks any .mbz cannot drift apart. Values are
the constants of Moodle 4.5 (mod/scorm/lib.php: SCORM_TOC_*, SCORM_NAV_*, SCORM_DISPLAY_ATTEMPTSTATUS_*;
mod/scorm/locallib.php: SCORM_SKIPVIEW_*, GRADEHIGHEST, HIGHESTATTEMPT). docs/moodle-einrichtung.md says why
each value was chosen.
"""

from __future__ import annotations

from dataclasses import dataclass

SCORM_TOC_DISABLED = 3
"""hidetoc: 0 side, 1 hidden (a toggle still opens it), 2 drop-down above the content, 3 disabled."""
SCORM_NAV_DISABLED = 0
"""nav: 0 no buttons, 1 under the content, 2 floating; Moodle shows them only with hidetoc = 0."""
SCORM_SKIPVIEW_FIRST = 1
"""skipview: 0 never, 1 first access (no attempt yet), 2 always."""
SCORM_DISPLAY_ATTEMPTSTATUS_ALL = 1
"""displayattemptstatus: 0 no, 1 dashboard and entry page, 2 dashboard, 3 entry page."""
GRADEHIGHEST = 1
HIGHESTATTEMPT = 0
CURRENT_WINDOW = 0
"""popup: 0 current window (Moodle's player page), 1 new window."""
WIDTH_PERCENT = 100
HEIGHT_PX = 680
"""Moodle uses width/height only for a new window (the form disables them otherwise); in the current window
its player sizes the frame to the browser window, at least 680 px high. We store that same height."""


@dataclass(frozen=True)
class PlayerSetting:
    field: str
    """Element name in scorm.xml (column of Moodle's `scorm` table)."""
    value: int
    label: str
    """German form label, as Moodle's German language pack names it, and the meaning of the value."""


PLAYER_SETTINGS: tuple[PlayerSetting, ...] = (
    PlayerSetting("popup", CURRENT_WINDOW, "Anzeige: im aktuellen Fenster"),
    PlayerSetting("width", WIDTH_PERCENT, "Breite: 100 %"),
    PlayerSetting("height", HEIGHT_PX, "Höhe: 680 px"),
    PlayerSetting("skipview", SCORM_SKIPVIEW_FIRST, "Einstiegsseite überspringen: beim ersten Aufruf"),
    PlayerSetting("hidebrowse", 1, "Vorschaumodus ausblenden: Ja"),
    PlayerSetting("displaycoursestructure", 0, "Struktur auf der Einstiegsseite anzeigen: Nein"),
    PlayerSetting("hidetoc", SCORM_TOC_DISABLED, "Kursstruktur anzeigen: deaktiviert"),
    PlayerSetting("nav", SCORM_NAV_DISABLED, "Navigationsschaltflächen anzeigen: Nein"),
    PlayerSetting("auto", 0, "Automatisch fortsetzen: Nein"),
    PlayerSetting(
        "displayattemptstatus", SCORM_DISPLAY_ATTEMPTSTATUS_ALL, "Versuchsstatus anzeigen: überall"
    ),
    PlayerSetting("grademethod", GRADEHIGHEST, "Bewertungsmethode: Höchste Bewertung"),
    PlayerSetting("maxgrade", 100, "Maximale Bewertung: 100"),
    PlayerSetting("maxattempt", 0, "Anzahl der Versuche: unbegrenzt"),
    PlayerSetting("whatgrade", HIGHESTATTEMPT, "Bewertung der Versuche: bester Versuch"),
    PlayerSetting("forcenewattempt", 0, "Neuen Versuch erzwingen: Nein"),
    PlayerSetting("lastattemptlock", 0, "Nach dem letzten Versuch sperren: Nein"),
    PlayerSetting("forcecompleted", 0, "Abschluss erzwingen: Nein"),
    PlayerSetting("masteryoverride", 1, "Mastery Score überschreibt Status: Ja"),
)


def player_fields() -> dict[str, int]:
    """field → value, for the writer."""
    return {setting.field: setting.value for setting in PLAYER_SETTINGS}
