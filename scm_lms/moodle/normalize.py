"""The one place that smooths over Moodle's reply quirks before data reaches the models.

Ids sometimes arrive as strings (`core_grades_get_gradeitems`, upload.php `userid`), numbers inside strings,
"formatted" grades carry HTML icons and entities, and they follow the user's locale, so a German account
sees `85,00` and `1.234,50`. The annotated types below are what the models use, so the rest of the toolkit
only ever sees ints, floats and plain text.
"""

from __future__ import annotations

import html
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"[-+]?[\d.,\s\u202f\u00a0]*\d[\d.,]*")


def plain_text(value: Any) -> str:
    """Text without tags and entities, whitespace collapsed (`<i …></i>85.00` → `85.00`)."""
    if value is None:
        return ""
    return " ".join(html.unescape(_TAG.sub(" ", str(value))).split())


def parse_number(value: Any) -> float | None:
    """A float from a number, or a string in English or German notation; None for empty, '-' and the like.

    With both separators the last one is the decimal mark (`1.234,5`, `1,234.5`). A lone comma is a decimal
    comma; a lone dot a decimal point; several dots (`1.234.567`) are thousands separators.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _NUMBER.search(plain_text(value))
    if match is None:
        return None
    text = re.sub(r"[\s\u202f\u00a0]", "", match.group(0))
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        text = text.replace(".", "").replace(",", ".") if text.count(",") == 1 else text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        return float(text)
    except ValueError:
        return None


def _to_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


def _to_optional_int(value: Any) -> Any:
    return None if value in ("", None) else _to_int(value)


def _to_text(value: Any) -> Any:
    return "" if value is None else str(value) if isinstance(value, int | float) else value


Id = Annotated[int, BeforeValidator(_to_int)]
OptionalId = Annotated[int | None, BeforeValidator(_to_optional_int)]
Number = Annotated[float | None, BeforeValidator(parse_number)]
PlainText = Annotated[str, BeforeValidator(plain_text)]
Text = Annotated[str, BeforeValidator(_to_text)]
