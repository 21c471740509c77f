"""Which column of a registration export holds which field, matched the forgiving way offices name them.

Exports from form tools and spreadsheets name the same field many ways ("Wunschdurchgang", "Wunschtermin",
"Bevorzugter Durchgang"; "E-Mail-Adresse", "Mail (dienstlich)"). Headers are compared after normalising
case, spaces, hyphens, underscores, punctuation and umlaut spellings (ä/ae/a, ß/ss), with and without a
bracketed note, against a table of synonyms. Two columns for one field are an error, never a guess; a missing
column is reported with the most similar header of the file and the mapping-file way out.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence

FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("Vorname", "Vornamen", "Rufname", "First name", "Given name", "Forename"),
    "last_name": ("Nachname", "Familienname", "Zuname", "Last name", "Surname", "Family name"),
    "email": (
        "Dienstliche E-Mail",
        "E-Mail",
        "E-Mail-Adresse",
        "Dienstliche E-Mail-Adresse",
        "E-Mail dienstlich",
        "Mail",
        "Mailadresse",
        "Work email",
        "Email address",
    ),
    "municipality": (
        "Kommune",
        "Organisation",
        "Organization",
        "Municipality",
        "Behörde",
        "Dienststelle",
        "Verwaltung",
        "Gemeinde",
        "Stadt/Gemeinde",
        "Kommune/Landkreis",
        "Kommune/Organisation",
        "Gebietskörperschaft",
        "Arbeitgeber",
        "Institution",
        "Employer",
    ),
    "state": ("Bundesland", "Federal state", "State"),
    "preferences": (
        "Gewünschter Durchgang",
        "Gewünschte Durchgänge",
        "Wunschdurchgang",
        "Wunschdurchgänge",
        "Wunschtermin",
        "Wunschtermine",
        "Gewünschter Termin",
        "Gewünschte Termine",
        "Bevorzugter Durchgang",
        "Bevorzugte Durchgänge",
        "Bevorzugter Termin",
        "Durchgang",
        "Durchgänge",
        "Termin",
        "Termine",
        "Kurstermin",
        "Preferred Durchgang",
        "Preferred cohort",
        "Preferred date",
        "Cohort",
    ),
    "alternatives": (
        "Alternativer Durchgang möglich",
        "Alternative möglich",
        "Alternativer Termin möglich",
        "Anderer Durchgang möglich",
        "Anderer Termin möglich",
        "Alternative",
        "Alternative allowed",
        "Flexible",
    ),
    "registered_at": (
        "Anmeldezeitpunkt",
        "Anmeldedatum",
        "Anmeldung am",
        "Datum der Anmeldung",
        "Eingang der Anmeldung",
        "Eingangsdatum",
        "Zeitstempel",
        "Registered at",
        "Registration time",
        "Registration date",
        "Timestamp",
        "Submitted at",
    ),
    "status": ("Status", "Anmeldestatus", "Registration status"),
}
"""Accepted headers per field; the first is the name used in messages."""

REQUIRED = ("first_name", "last_name", "email", "municipality", "preferences", "registered_at")
LABELS = {field: names[0] for field, names in FIELDS.items()}
MAPPING_HINT = (
    "Zuordnungsdatei (YAML, je Zeile „Feld: Spaltenüberschrift“, Vorlage examples/column-mapping.yaml) mit "
    "--mapping DATEI angeben"
)

_SPELLINGS = (("ß", "ss"), ("ä", "ae"), ("ö", "oe"), ("ü", "ue"))
_FOLDS = (("ae", "a"), ("oe", "o"), ("ue", "u"), ("ss", "s"))
_NOTE = re.compile(r"\([^)]*\)|\[[^]]*\]")


def header_key(header: str) -> str:
    """ "Gewünschte Durchgänge", "gewuenschte_durchgaenge" and "Gewunschte-Durchgange" give one key."""
    text = unicodedata.normalize("NFC", header).casefold()
    for letter, spelling in _SPELLINGS:
        text = text.replace(letter, spelling)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\W_]+", "", text)
    for pair, letter in _FOLDS:
        text = text.replace(pair, letter)
    return text


def header_keys(header: str) -> set[str]:
    """The header's key, and the key without a bracketed note ("Mail (dienstlich)" is also "Mail")."""
    keys = {header_key(header), header_key(_NOTE.sub("", header))}
    return {key for key in keys if key}


_SYNONYMS = {header_key(name): field for field, names in FIELDS.items() for name in names}


def match_columns(header: Sequence[str], mapping: Mapping[str, str]) -> tuple[dict[str, int], list[str]]:
    """Field → column index, and the German problems (ambiguous or missing columns, without the file name).

    A field named in `mapping` is looked up by that header only; the others by the synonym table.
    """
    found: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        keys = header_keys(name)
        fields = {field for field, wanted in mapping.items() if keys & header_keys(wanted)}
        fields |= {_SYNONYMS[key] for key in keys if key in _SYNONYMS and _SYNONYMS[key] not in mapping}
        for field in fields:
            found.setdefault(field, []).append(index)
    problems: list[str] = []
    columns: dict[str, int] = {}
    for field in FIELDS:
        indexes = found.get(field, [])
        if len(indexes) > 1:
            names = " und ".join(f"„{header[index]}“" for index in indexes)
            problems.append(
                f"Spalten {names} passen beide zu „{LABELS[field]}“ ({field}); eine umbenennen oder in "
                f"einer {MAPPING_HINT} (z. B. {field}: {header[indexes[0]]})"
            )
        elif indexes:
            columns[field] = indexes[0]
    missing = [f for f in REQUIRED if f not in columns and f not in {p for p in found if len(found[p]) > 1}]
    if missing:
        problems.append(_missing(header, missing, mapping, set(columns.values())))
    return columns, problems


def _missing(header: Sequence[str], missing: list[str], mapping: Mapping[str, str], used: set[int]) -> str:
    """One line naming every missing column, what the file has, and for each the closest unused header."""
    shown = ", ".join(mapping.get(field, LABELS[field]) for field in missing)
    found = ", ".join(f"„{name}“" for name in header if name) or "(keine)"
    hints = []
    for field in missing:
        closest = closest_header(header, (mapping[field],) if field in mapping else FIELDS[field], used)
        if closest:
            label = mapping.get(field, LABELS[field])
            hints.append(f"für „{label}“ am ähnlichsten: „{closest}“ ({field}: {closest})")
    hint = f" Vielleicht gemeint – {'; '.join(hints)}." if hints else ""
    return (
        f"Spalte(n) fehlen: {shown}. Gefunden: {found}.{hint} Bitte die Spalten umbenennen oder eine "
        f"{MAPPING_HINT} (--mapping)."
    )


def closest_header(header: Sequence[str], names: Sequence[str], used: Collection[int] = ()) -> str:
    """The unused header most similar to any of `names` (difflib ratio ≥ 0.6), else ""."""
    best, score = "", 0.6
    for index, text in enumerate(header):
        if not text or index in used:
            continue
        for name in names:
            ratio = difflib.SequenceMatcher(None, header_key(text), header_key(name)).ratio()
            if ratio >= score:
                best, score = text, ratio
    return best
