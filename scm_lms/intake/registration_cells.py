"""Cell parsers for registration files: each turns one cell into a value or raises ValueError in German.

Kept apart from the row and file logic so that the vocabulary of office exports (ja/nein, state names,
status words, date formats) can grow without touching how rows are collected and merged.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from scm_lms.intake.csvio import Cell
from scm_lms.programme.schedule import BERLIN, STATES


def header_key(header: str) -> str:
    """Headers match ignoring case, spaces and punctuation: "E-Mail", "e-mail " and "EMail" are one column."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", header).casefold())


_EMAIL = re.compile(
    r"^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$"
)
MOJIBAKE = re.compile(r"Ã[\x80-\xbf„–œŸ]|â€")
"""UTF-8 umlauts read as Windows-1252 ("JÃ¼rgen"): the file was converted with the wrong encoding once."""
_YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr"}
_NO = {"", "nein", "n", "no", "0", "false", "falsch"}
_ACTIVE = {"", "angemeldet", "aktiv", "bestätigt", "offen", "registered", "active", "confirmed"}
_WITHDRAWN = {"zurückgezogen", "storniert", "abgemeldet", "abgesagt", "withdrawn", "cancelled", "canceled"}
_DATE_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y, %H:%M", "%d.%m.%Y")

_STATE_NAMES = {
    **{header_key(name): code for code, name in STATES.items()},
    **{header_key(code): code for code in STATES},
    **{header_key(f"DE-{code}"): code for code in STATES},
    **{
        header_key(name): code
        for name, code in {
            "Baden-Wuerttemberg": "BW",
            "Bavaria": "BY",
            "Hesse": "HE",
            "Lower Saxony": "NI",
            "Mecklenburg-Western Pomerania": "MV",
            "North Rhine-Westphalia": "NW",
            "NRW": "NW",
            "Rhineland-Palatinate": "RP",
            "Saxony": "SN",
            "Saxony-Anhalt": "ST",
            "Thuringia": "TH",
            "Thueringen": "TH",
        }.items()
    },
}


def normalise_text(value: str) -> str:
    """Trim, NFC and single spaces: the same name typed twice compares equal."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()


def text(cell: Cell) -> str:
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    return normalise_text(cell or "")


def plain(value: str, required: bool = True) -> str:
    if not value and required:
        raise ValueError("leer; bitte ausfüllen")
    if value.startswith(("=", "+", "-", "@")):
        raise ValueError(f"„{value}“ sieht wie eine Tabellenformel aus; bitte den Klartext eintragen")
    if MOJIBAKE.search(value):
        raise ValueError(
            f"„{value}“ enthält verstümmelte Umlaute (falsche Zeichenkodierung); "
            "bitte die Datei in Excel als „CSV UTF-8“ neu speichern"
        )
    return value


def email_address(value: str) -> str:
    email = value.lower()
    if not email:
        raise ValueError("leer; bitte die dienstliche E-Mail-Adresse eintragen")
    if not _EMAIL.match(email) or ".." in email:
        raise ValueError(f"ungültige E-Mail-Adresse „{value}“")
    return email


def federal_state(value: str) -> str | None:
    if not value:
        return None
    code = _STATE_NAMES.get(header_key(value))
    if code is None:
        raise ValueError(
            f"unbekanntes Bundesland „{value}“; Name oder Kürzel wie „Sachsen“ oder „SN“ angeben"
        )
    return code


def preferences(value: str, known: Sequence[str]) -> tuple[str, ...]:
    parts = [part for part in re.split(r"[\s,;/|]+", value) if part]
    if not parts:
        raise ValueError("leer; mindestens einen Durchgang angeben, z. B. „" + known[0] + "“")
    by_upper = {key.upper(): key for key in known}
    result: list[str] = []
    for part in parts:
        key = by_upper.get(part.upper())
        if key is None:
            raise ValueError(f"unbekannter Durchgang „{part}“; bekannt: {', '.join(known)}")
        if key not in result:
            result.append(key)
    return tuple(result)


def _flag(value: str, true_words: set[str], false_words: set[str], complaint: str) -> bool:
    word = value.casefold()
    if word in true_words:
        return True
    if word in false_words:
        return False
    raise ValueError(complaint)


def yes_no(value: str) -> bool:
    return _flag(value, _YES, _NO, f"„{value}“ ist weder ja noch nein")


def withdrawn(value: str) -> bool:
    return _flag(
        value, _WITHDRAWN, _ACTIVE, f"unbekannter Status „{value}“; erlaubt: angemeldet, zurückgezogen"
    )


def timestamp(cell: Cell) -> dt.datetime:
    if isinstance(cell, dt.datetime):
        moment = cell
    else:
        value = normalise_text(cell or "")
        if not value:
            raise ValueError("leer; Format TT.MM.JJJJ HH:MM")
        moment = _parse_timestamp(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


def _parse_timestamp(value: str) -> dt.datetime:
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, pattern)
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"„{value}“ ist kein Zeitpunkt; Format TT.MM.JJJJ HH:MM oder JJJJ-MM-TT HH:MM"
        ) from None
