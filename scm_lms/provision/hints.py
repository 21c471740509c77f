"""What an admin should do about a Moodle error, worded once for every journal and command reporting it."""

from __future__ import annotations

from scm_lms.moodle import AccessDenied, BadResponse, InvalidParameter, MoodleError, MoodleUnavailable
from scm_lms.moodle.errors import SiteWideRefusal


def hint(error: MoodleError) -> str:
    """What the admin should do about an error, in German."""
    if isinstance(error, MoodleUnavailable):
        return "Moodle war nicht erreichbar; später erneut ausführen"
    if isinstance(error, AccessDenied):
        return "dem Token fehlen Rechte oder Funktionen; „scm-lms lms check“ ausführen"
    if isinstance(error, SiteWideRefusal):
        return error.hint
    if isinstance(error, InvalidParameter):
        return "Moodle lehnt die Daten ab (z. B. ungültige oder schon vergebene E-Mail); Anmeldung prüfen"
    if isinstance(error, BadResponse):
        return "Moodle antwortete mit einer Fehlerseite; Moodle-Protokoll prüfen, dann erneut ausführen"
    return "Meldung prüfen, dann erneut ausführen"


def describe(error: MoodleError) -> str:
    """The error and what to do about it, as recorded for a failed step."""
    return f"{error} – {hint(error)}"
