"""Typed errors for everything Moodle answers with instead of data.

Moodle reports failures with HTTP 200 and a JSON body `{exception, errorcode, message[, debuginfo]}`
(`login/token.php` and `webservice/upload.php` use
`{error, errorcode, stacktrace, debuginfo, reproductionlink}`).
Callers branch on the class, never on the (localised) message. No error ever holds the request, so the token
and passwords sent in it cannot end up in a traceback or a log.
"""

from __future__ import annotations

import html
import re
from typing import Any

from scm_base.errors import ToolkitError

_TAG = re.compile(r"<[^>]+>")


def _plain(text: str) -> str:
    """Moodle sometimes puts HTML into codes and messages, prefixed "error/" when a language string is
    missing (password policy); readers want the text."""
    return " ".join(html.unescape(_TAG.sub(" ", text.removeprefix("error/"))).split())


class MoodleError(ToolkitError):
    """Base of every failure reported by or while talking to Moodle.

    `hint` (part of the message) says how to fix the site or token; `advice` is the next step an admin
    takes, shown after the message by every journal and command (`describe`).
    """

    hint = ""
    advice = "Meldung prüfen, dann erneut ausführen"

    def __init__(
        self,
        function: str,
        message: str,
        *,
        errorcode: str = "",
        debuginfo: str = "",
        exception: str = "",
    ) -> None:
        self.function = function
        self.errorcode = errorcode
        self.message = message
        self.debuginfo = debuginfo
        self.exception = exception
        super().__init__(self._describe())

    def _describe(self) -> str:
        code = f" [{self.errorcode}]" if self.errorcode.isidentifier() else ""
        text = f"{self.function}: {_plain(self.message)}{code}"
        if self.debuginfo:
            text += f" – {_plain(self.debuginfo)}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    @property
    def code(self) -> str:
        """The errorcode if it is an identifier, else the class name (some codes are whole HTML texts)."""
        return self.errorcode if self.errorcode.isidentifier() else type(self).__name__

    @property
    def detail(self) -> str:
        """The most specific explanation Moodle gave (debuginfo only exists with site debugging on)."""
        return _plain(self.debuginfo or self.message)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(function={self.function!r}, errorcode={self.errorcode!r}, message={self.message!r})"


class InvalidToken(MoodleError):
    hint = (
        "neues Token anlegen unter Website-Administration › Server › Webservices › Tokens verwalten "
        "(Manage tokens)"
    )


class AccessDenied(MoodleError):
    hint = "dem Nutzer des Tokens fehlt ein Recht, oder der Dienst schränkt Nutzer, IP-Adressen oder Zeit ein"
    advice = "dem Token fehlen Rechte oder Funktionen; „scm-lms lms check“ ausführen"


class FunctionNotAvailable(AccessDenied):
    hint = (
        "Funktion dem Dienst hinzufügen unter Website-Administration › Server › Webservices › Externe "
        "Webservices (External services) oder die Nutzer-, IP- und Zeitbeschränkungen des Dienstes prüfen"
    )


class InvalidParameter(MoodleError):
    """Moodle refused a value; in a batch, the whole request was rolled back."""

    advice = "Moodle lehnt die Daten ab (z. B. ungültige oder schon vergebene E-Mail); Anmeldung prüfen"


class DuplicateKey(InvalidParameter):
    """A username, e-mail, shortname or idnumber already exists."""


class NotFound(MoodleError):
    """A referenced record (course, user, category) does not exist."""


class OtherMoodleError(MoodleError):
    """Any other reply Moodle marked as an exception, including PHP errors leaking without an errorcode."""


class MoodleUnavailable(MoodleError):
    """The site could not be reached or kept failing (connection errors, 502/503/504)."""

    advice = "Moodle war nicht erreichbar; später erneut ausführen"


class BadResponse(MoodleError):
    """The reply was not the JSON Moodle's REST server sends (HTML page, XML, proxy error, wrong URL)."""

    advice = "Moodle antwortete mit einer Fehlerseite; Moodle-Protokoll prüfen, dann erneut ausführen"


_ACCESS = {"nopermissions", "invalidlogin", "requireloginerror", "forbidden", "servicenotavailable"}
_DUPLICATE_CODES = {"shortnametaken", "courseidnumbertaken", "categoryidnumbertaken", "idnumbertaken"}
_INVALID_CODES = {"invalidparameter", "errorinvalidparam"}


def _is_policy_message(reply: dict[str, Any]) -> bool:
    """Password-policy refusals come as a moodle_exception whose errorcode is the HTML list of broken rules
    and whose message is "error/<that HTML>": a refused value like any other invalid parameter."""
    errorcode = str(reply.get("errorcode") or "")
    return errorcode.startswith("<") and str(reply.get("message") or "").startswith("error/")


def classify(function: str, reply: dict[str, Any]) -> MoodleError:
    """The typed error for a Moodle error reply (either shape)."""
    errorcode = str(reply.get("errorcode") or "")
    exception = str(reply.get("exception") or "")
    message = str(reply.get("message") or reply.get("error") or exception or "unbekannter Fehler")
    debuginfo = str(reply.get("debuginfo") or "")
    kind = exception.rsplit("\\", 1)[-1]
    fields = {"errorcode": errorcode, "debuginfo": debuginfo, "exception": exception}
    error_type: type[MoodleError]
    if errorcode == "invalidtoken":
        error_type = InvalidToken
    elif errorcode == "accessexception" or kind == "webservice_access_exception":
        error_type = FunctionNotAvailable
    elif kind == "dml_missing_record_exception" and "external_functions" in message:
        error_type = FunctionNotAvailable  # the function does not exist on this Moodle at all
    elif errorcode in _ACCESS or kind == "required_capability_exception":
        error_type = AccessDenied
    elif errorcode in _DUPLICATE_CODES or (errorcode in _INVALID_CODES and "already exists" in debuginfo):
        error_type = DuplicateKey
    elif errorcode in _INVALID_CODES or kind == "invalid_parameter_exception" or _is_policy_message(reply):
        error_type = InvalidParameter
    elif errorcode == "invalidrecord" or kind == "dml_missing_record_exception":
        error_type = NotFound
    else:
        error_type = OtherMoodleError
    return error_type(function, message, **fields)


def advice(error: MoodleError) -> str:
    """What the admin should do about an error, in German."""
    return error.advice


def describe(error: MoodleError) -> str:
    """The error and what to do about it, as recorded for a failed step."""
    return f"{error} – {error.advice}"


def is_error_reply(reply: Any) -> bool:
    """Whether a decoded body is one of Moodle's two error shapes rather than data."""
    if not isinstance(reply, dict):
        return False
    if "exception" in reply and ("message" in reply or "errorcode" in reply):
        return True
    return "errorcode" in reply and "error" in reply


_LANGUAGE_PATH = (
    "Website-Administration › Sprache › Sprachpakete (Site administration › Language › Language packs)"
)
_SITE_WIDE_CAUSES = (
    f"die Sprache der Konten ist nicht installiert ({_LANGUAGE_PATH}; oder moodle.lang in programme.yaml "
    "ändern)",
    "das Authentifizierungs-Plugin der Konten ist abgeschaltet (Website-Administration › Plugins › "
    "Authentifizierung)",
    "die Kennwortregeln der Website verbieten die gesendeten Kennwörter",
    "ein Pflichtfeld im Nutzerprofil (eigenes Profilfeld) wird nicht mitgesendet",
)
_LANG_VALUE = re.compile(r'lang => .*the value is "([^"]*)"')


class SiteWideRefusal(InvalidParameter):
    """Moodle refused every row of a batch alike: the cause is a site setting, not one registration."""

    def __init__(self, original: MoodleError, rows: int) -> None:
        self.hint = site_wide_hint(original, rows)
        self.advice = self.hint
        super().__init__(
            original.function,
            original.message,
            errorcode=original.errorcode,
            debuginfo=original.debuginfo,
            exception=original.exception,
        )


def site_wide_hint(error: MoodleError, rows: int) -> str:
    """Name the site setting behind a refusal of all `rows`, as precisely as the reply allows (debuginfo only
    exists with site debugging on; without it all four usual causes are listed)."""
    lead = f"Moodle lehnt alle {rows} Zeilen gleich ab – das liegt an der Website, nicht an einzelnen "
    lead += "Anmeldungen"
    found = _LANG_VALUE.search(error.debuginfo)
    if found:
        return (
            f"{lead}: die Sprache „{found.group(1)}“ ist auf der Website nicht installiert; Sprachpaket "
            f"unter {_LANGUAGE_PATH} installieren oder moodle.lang in programme.yaml ändern"
        )
    if _is_policy_message({"errorcode": error.errorcode, "message": error.message}):
        return f"{lead}: die Kennwortregeln der Website verbieten die gesendeten Kennwörter"
    if not error.debuginfo:
        lead += "; Website-Debugging einschalten zeigt den genauen Grund"
    return f"{lead}. Wahrscheinliche Ursachen: " + "; ".join(_SITE_WIDE_CAUSES)


def refused_alike(errors: list[MoodleError], rows: int) -> bool:
    """True when all `rows` (at least two) were refused as invalid with the same explanation."""
    if rows < 2 or len(errors) != rows:
        return False
    if not all(isinstance(error, InvalidParameter) for error in errors):
        return False
    return len({(error.errorcode, error.detail) for error in errors}) == 1
