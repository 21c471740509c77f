"""Turns pydantic's validation errors into problems an author can fix: file, line, field and a plain message.

Pydantic speaks in model terms ("Extra inputs are not permitted" at `('modules', 2, 'quiz', 'questions', 6,
'single')`); authors think in files and keys. This module strips the union tags from locations, adds a
validator's own sub-path (`RuleError.path`) and rewrites the messages that would otherwise puzzle a designer.
"""

from __future__ import annotations

import difflib
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from course_package.model import SLUG_PATTERN, FieldPath, Quiz, RuleError
from course_package.source_problems import Locations, Problem

SLUG_HINT = (
    "erlaubt sind a-z, 0-9 und '-'; am Anfang ein Buchstabe, am Ende ein Buchstabe oder eine Ziffer, "
    "höchstens 64 Zeichen"
)


def validation_problems(
    error: ValidationError, data: object, where: Locations, model: type[BaseModel], prefix: FieldPath = ()
) -> list[Problem]:
    """`data` is what was validated against `model`; it sits at `prefix` in the assembled course."""
    problems = []
    for detail in error.errors():
        path = _data_path(detail["loc"], data)
        rule = detail.get("ctx", {}).get("error")
        if isinstance(rule, RuleError):
            path = (*path, *rule.path)
        elif detail["type"] == "union_tag_invalid":
            path = (*path, "type")
        if where.is_broken((*prefix, *path)):
            continue
        problems.append(where.problem((*prefix, *path), _message(detail, path, data, model)))
    return problems


def _data_path(loc: tuple[int | str, ...], data: object) -> FieldPath:
    """Drops the discriminator tags pydantic inserts into locations (`questions.6.single.choices`)."""
    node: object = data
    path: list[str | int] = []
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            node = node[part]  # type: ignore[index]
        elif isinstance(node, dict) and node.get("type") == part:
            continue
        else:
            node = None
        path.append(part)
    return tuple(path)


def _message(detail: ErrorDetails, path: FieldPath, data: object, model: type[BaseModel]) -> str:
    """The one place where pydantic's English messages become German ones, chosen by error type."""
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx", {}))
    given = detail.get("input")
    name = path[-1] if path else ""
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "missing":
        return f"Pflichtschlüssel '{name}' fehlt"
    if kind == "extra_forbidden":
        return _unknown_key(str(name), _model_at(model, path[:-1], data))
    if kind == "union_tag_invalid":
        return f"unbekannter Fragetyp '{ctx['tag']}' – erlaubt sind: {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"Schlüssel 'type' fehlt; er nennt die Art der Frage: {', '.join(_question_types())}"
    if kind == "too_short":
        return f"braucht mindestens {ctx['min_length']} Einträge, hat {ctx['actual_length']}"
    if kind == "too_long":
        return f"erlaubt höchstens {ctx['max_length']} Einträge, hat {ctx['actual_length']}"
    if given is None:
        return (
            "hat keinen Wert; schreiben Sie ihn hinter den Doppelpunkt "
            "(oder löschen Sie den Schlüssel, wenn er optional ist)"
        )
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG_PATTERN:
            return f"'{given}' ist keine gültige ID: {SLUG_HINT}"
        if name == "version":
            return f"'{given}' hat die falsche Form; schreiben Sie sie wie \"1.0\" (mit Anführungszeichen)"
        if ctx.get("pattern") == r"^\S+$":
            return f"'{given}' hat die falsche Form; Leerzeichen sind hier nicht erlaubt"
        return f"'{given}' hat nicht die verlangte Form (Muster {ctx.get('pattern')})"
    if kind == "string_too_short":
        if name == "body":
            return "die Lektion hat keinen Text nach ihrem Vorspann (Front Matter)"
        return "ist leer; schreiben Sie einen Text"
    if kind == "string_too_long":
        return f"ist zu lang; erlaubt sind höchstens {ctx['max_length']} Zeichen"
    if kind in _BOUNDS:
        bound, phrase = _BOUNDS[kind]
        limit = ctx[bound]
        shown = f"{limit:g}" if isinstance(limit, int | float) else str(limit)
        return f"{phrase} {shown} sein, ist aber {describe(given)}"
    if kind == "literal_error":
        return f"'{given}' ist hier nicht erlaubt; erlaubt sind {_german_or(str(ctx['expected']))}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"erwartet werden Zeilen 'schlüssel: wert', gefunden: {describe(given)}"
    if kind == "list_type":
        return f"erwartet wird eine Liste (Zeilen mit '- ' oder [a, b]), gefunden: {describe(given)}"
    if kind in _EXPECTED:
        return f"erwartet wird {_EXPECTED[kind]}, gefunden: {describe(given)}"
    if kind == "string_type":
        quote = " – setzen Sie den Wert in Anführungszeichen" if isinstance(given, int | float) else ""
        return f"erwartet wird Text, gefunden: {describe(given)}{quote}"
    return f"ungültiger Wert: {describe(given)} (Prüfung '{kind}'); sehen Sie in docs/source-format.md nach"


_EXPECTED = {
    "int_parsing": "eine ganze Zahl",
    "int_type": "eine ganze Zahl",
    "int_from_float": "eine ganze Zahl",
    "float_parsing": "eine Zahl",
    "float_type": "eine Zahl",
    "bool_parsing": "true oder false",
    "bool_type": "true oder false",
}

_BOUNDS = {  # error type: (ctx key of the bound, German phrase)
    "greater_than": ("gt", "muss größer als"),
    "greater_than_equal": ("ge", "muss mindestens"),
    "less_than": ("lt", "muss kleiner als"),
    "less_than_equal": ("le", "darf höchstens"),
}


def _german_or(expected: str) -> str:
    """Pydantic lists literals as "'a', 'b' or 'c'"; the last joiner is the only English word in it."""
    head, joiner, last = expected.rpartition(" or ")
    return f"{head} oder {last}" if joiner else expected


def describe(value: object) -> str:
    """What the author wrote, in words, for "gefunden: …" (also used by the loader for whole files)."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (ein Ja/Nein-Wert)"
    if isinstance(value, int | float):
        return f"die Zahl {value}"
    if isinstance(value, str):
        return f"der Text '{value}'" if len(value) <= 40 else "ein Text"
    if isinstance(value, list):
        return "eine Liste"
    if isinstance(value, dict):
        return "Schlüssel mit Werten"
    return f"ein Wert vom Typ {type(value).__name__}"


def _unknown_key(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unbekannter Schlüssel '{key}'"
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"meinten Sie '{close[0]}'? Erlaubt" if close else "erlaubt"
    return f"unbekannter Schlüssel '{key}' – {hint} sind hier: {', '.join(allowed)}"


def _model_at(model: type[BaseModel], path: FieldPath, data: object) -> type[BaseModel] | None:
    """The model that validates the mapping at `path`, so an unknown key is answered with the allowed ones."""
    annotation: object = model
    node = data
    for part in path:
        current = _as_model(annotation, node)
        if isinstance(part, int):
            annotation = _list_item(annotation)
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        elif current is not None and part in current.model_fields:
            annotation = current.model_fields[part].annotation
            node = node.get(part) if isinstance(node, dict) else None
        else:
            return None
    return _as_model(annotation, node)


def _unwrap(annotation: object) -> list[object]:
    """The alternatives of an annotation, with Annotated and Optional peeled off."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in {Union, types.UnionType}:
        return [alt for arg in get_args(annotation) for alt in _unwrap(arg) if alt is not type(None)]
    return [annotation]


def _as_model(annotation: object, node: object) -> type[BaseModel] | None:
    models = [alt for alt in _unwrap(annotation) if isinstance(alt, type) and issubclass(alt, BaseModel)]
    tag = node.get("type") if isinstance(node, dict) else None
    for candidate in models:
        field = candidate.model_fields.get("type")
        if len(models) == 1 or (field is not None and tag in get_args(field.annotation)):
            return candidate
    return None


def _list_item(annotation: object) -> object:
    for alt in _unwrap(annotation):
        if get_origin(alt) is list:
            return get_args(alt)[0]
    return None


def _question_types() -> list[str]:
    question = _list_item(Quiz.model_fields["questions"].annotation)
    tags: list[str] = []
    for alt in _unwrap(question):
        if isinstance(alt, type) and issubclass(alt, BaseModel):
            literal = alt.model_fields["type"].annotation
            tags += [str(arg) for arg in get_args(literal)] if get_origin(literal) is Literal else []
    return tags
