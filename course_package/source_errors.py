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

SLUG_HINT = "use a-z, 0-9 and '-', start with a letter, end with a letter or digit, at most 64 characters"


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
    kind = detail["type"]
    ctx: dict[str, Any] = dict(detail.get("ctx", {}))
    given = detail.get("input")
    name = path[-1] if path else ""
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "missing":
        return f"required key '{name}' is missing"
    if kind == "extra_forbidden":
        return _unknown_key(str(name), _model_at(model, path[:-1], data))
    if kind == "union_tag_invalid":
        return f"unknown question type '{ctx['tag']}'; use one of {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return f"key 'type' is missing; it names the kind of question: {', '.join(_question_types())}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} entries, has {ctx['actual_length']}"
    if kind == "too_long":
        return f"allows at most {ctx['max_length']} entries, has {ctx['actual_length']}"
    if given is None:
        return "has no value; write it after the colon (or delete the key if it is optional)"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == SLUG_PATTERN:
            return f"'{given}' is not a valid id: {SLUG_HINT}"
        return f"'{given}' has the wrong form; write it like \"1.0\" (in quotes)"
    if kind == "string_too_short":
        if name == "body":
            return "the lesson has no text after its front matter"
        return "is empty; write some text"
    if kind == "literal_error":
        return f"'{given}' is not allowed here; use one of {ctx['expected']}"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"expected keys with values (key: value lines), got {_describe(given)}"
    if kind == "list_type":
        return f"expected a list ('- ' lines or [a, b]), got {_describe(given)}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {_describe(given)}"
    if kind == "string_type":
        quote = "; put it in quotes" if isinstance(given, int | float) else ""
        return f"expected text, got {_describe(given)}{quote}"
    return f"{detail['msg']} (got {_describe(given)})"


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) <= 40 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "keys with values"
    return type(value).__name__


def _unknown_key(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unknown key '{key}'"
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}'; {hint}allowed here: {', '.join(allowed)}"


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
