"""Loading the programme file with line numbers: every problem becomes "file:line: field: message" in German,
because the admin who edits the file reads them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from scm_base.yaml_lines import YamlSyntaxError, line_of, parse_yaml
from scm_lms.programme.model import Programme, ProgrammeError
from scm_lms.programme.mornings import trainer_problems

_MESSAGES_DE = {
    "missing": "Pflichtfeld fehlt",
    "extra_forbidden": "unbekanntes Feld (Tippfehler?)",
    "int_parsing": "keine ganze Zahl",
    "bool_parsing": "erwartet true oder false",
    "date_from_datetime_parsing": "kein Datum (JJJJ-MM-TT)",
    "date_parsing": "kein Datum (JJJJ-MM-TT)",
    "time_parsing": "keine Uhrzeit (HH:MM)",
    "string_pattern_mismatch": "ungültiges Format",
    "literal_error": "ungültiger Wert",
    "list_type": "erwartet eine Liste ([A, B] oder eine Zeile „- A“ je Eintrag)",
}

_FIELD_MESSAGES_DE = {
    ("adopt", "string_pattern_mismatch"): (
        "keine Registrierungs-ID; erwartet R- und zehn Ziffern/Großbuchstaben A–F wie im Ledger "
        "(z. B. R-0A1B2C3D4E, siehe „lms plan“; für Trainer/innen T- und zehn Zeichen)"
    ),
    ("allowed_auths", "string_pattern_mismatch"): (
        "kein Name eines Moodle-Anmeldeplugins (klein geschrieben, z. B. manual, ldap, oauth2)"
    ),
    ("allowed_auths", "too_short"): "mindestens ein Anmeldeplugin angeben (Standard: [manual])",
}
"""Messages for fields whose generic message would not tell the admin what is expected."""

Model = TypeVar("Model", bound=BaseModel)
Check = Callable[[Model], list[tuple[tuple[str | int, ...], str]]]


def load_yaml_model(path: Path, model: type[Model], check: Check[Model] | None = None) -> Model:
    """Parse YAML and validate it; every problem becomes "file:line: field: message" in one ProgrammeError.
    `check` finds problems across fields (location, message) once the model is valid."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ProgrammeError([f"{path}: kann nicht gelesen werden: {error}"]) from error
    try:
        parsed = parse_yaml(text, text_keys=False)
    except YamlSyntaxError as error:
        line = f":{error.line}" if error.line is not None else ""
        raise ProgrammeError([f"{path}{line}: kein gültiges YAML – {error.message}"]) from error
    node, data = parsed.node, parsed.data
    if parsed.issues:
        raise ProgrammeError(
            [f"{path}:{issue.line}: {_field(issue.path)}: {issue.message}" for issue in parsed.issues]
        )
    if not isinstance(data, dict):
        raise ProgrammeError([f"{path}:1: erwartet eine Zuordnung (key: value) auf oberster Ebene"])
    try:
        validated = model.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            message = _MESSAGES_DE.get(item["type"], str(item["msg"]).removeprefix("Value error, "))
            named = [part for part in loc if isinstance(part, str)]
            message = _FIELD_MESSAGES_DE.get((named[-1] if named else "", item["type"]), message)
            problems.append(f"{path}:{line_of(node, loc)}: {_field(loc)}: {message}")
        raise ProgrammeError(problems) from error
    found = check(validated) if check is not None else []
    if found:
        raise ProgrammeError(
            [f"{path}:{line_of(node, loc)}: {_field(loc)}: {message}" for loc, message in found]
        )
    return validated


def load_programme(path: Path) -> Programme:
    return _with_logo(load_yaml_model(path, Programme, trainer_problems), path).from_file(path)


def _with_logo(programme: Programme, path: Path) -> Programme:
    """The logo is resolved against the programme file and must be a readable PNG or JPEG."""
    logo = programme.certification.logo
    if not logo:
        return programme
    target = (path.parent / logo).resolve()
    where = f"{path}: certification.logo"
    try:
        head = target.read_bytes()[:8]
        size = target.stat().st_size
    except OSError:
        raise ProgrammeError([f"{where}: Datei {target} fehlt oder ist nicht lesbar"]) from None
    if not (head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff")):
        raise ProgrammeError([f"{where}: {target} ist kein PNG- oder JPEG-Bild"])
    if size > 2_000_000:
        raise ProgrammeError([f"{where}: {target} ist größer als 2 MB; bitte verkleinern"])
    certification = programme.certification.model_copy(update={"logo": str(target)})
    return programme.model_copy(update={"certification": certification})


def _field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(Datei)"
