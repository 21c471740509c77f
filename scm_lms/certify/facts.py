"""The signed content of a certificate and its number.

Only these facts are signed: name, programme, Durchgang, date, number, issuer, hours and modules, and since
the attendance rule the Durchgang's period (first to last morning) and the mornings attended. Certificates
issued before carry no period and mornings and stay valid as they are. Their
canonical form (sorted keys, no spaces, UTF-8) is what the signature covers, so the same facts always give
the same bytes, wherever they were stored (PDF attachment, register, badge).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from scm_base.errors import ToolkitError

T = TypeVar("T")

# Crockford's base32: no I, L, O, U, so a number read aloud or typed from paper is unambiguous.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARS = 7


class FactsError(ToolkitError, ValueError):
    """Stored facts are not a certificate's facts (missing or extra field, wrong type)."""


@dataclass(frozen=True)
class ModuleFact:
    number: int
    title: str
    hours: int


@dataclass(frozen=True)
class Facts:
    name: str
    programme: str
    durchgang: str
    date: str
    """ISO date of issue."""
    number: str
    issuer: str
    hours: int
    modules: tuple[ModuleFact, ...]
    period: tuple[str, str] | None = None
    """ISO dates of the first and the last live morning."""
    mornings: tuple[int, int] | None = None
    """(mornings attended, mornings of the Durchgang)."""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "programme": self.programme,
            "durchgang": self.durchgang,
            "date": self.date,
            "number": self.number,
            "issuer": self.issuer,
            "hours": self.hours,
            "modules": [{"number": m.number, "title": m.title, "hours": m.hours} for m in self.modules],
        }
        if self.period is not None:
            data["period"] = {"first": self.period[0], "last": self.period[1]}
        if self.mornings is not None:
            data["mornings"] = {"attended": self.mornings[0], "of": self.mornings[1]}
        return data

    def canonical(self) -> bytes:
        return canonical_json(self.as_dict())

    @classmethod
    def from_dict(cls, data: Any) -> Facts:
        keys = {"name", "programme", "durchgang", "date", "number", "issuer", "hours", "modules"}
        if not isinstance(data, dict) or not keys <= set(data) <= keys | OPTIONAL:
            raise FactsError(
                f"Zertifikatsdaten müssen genau die Felder {sorted(keys)} enthalten "
                f"(und höchstens {sorted(OPTIONAL)})"
            )
        try:
            modules = tuple(
                ModuleFact(_typed(m["number"], int), _typed(m["title"], str), _typed(m["hours"], int))
                for m in data["modules"]
            )
            return cls(
                name=_typed(data["name"], str),
                programme=_typed(data["programme"], str),
                durchgang=_typed(data["durchgang"], str),
                date=_typed(data["date"], str),
                number=_typed(data["number"], str),
                issuer=_typed(data["issuer"], str),
                hours=_typed(data["hours"], int),
                modules=modules,
                period=_period(data.get("period")),
                mornings=_mornings(data.get("mornings")),
            )
        except (KeyError, TypeError) as error:
            raise FactsError(f"Zertifikatsdaten unvollständig oder falsch typisiert: {error}") from None


OPTIONAL = frozenset({"period", "mornings"})
"""Facts signed since the attendance rule; older certificates have none of them."""


def _period(value: object) -> tuple[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"first", "last"}:
        raise TypeError("period braucht genau first und last")
    return _typed(value["first"], str), _typed(value["last"], str)


def _mornings(value: object) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"attended", "of"}:
        raise TypeError("mornings braucht genau attended und of")
    return _typed(value["attended"], int), _typed(value["of"], int)


def _typed(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(f"{value!r} ist kein {kind.__name__}")
    return value


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def check_char(text: str) -> str:
    """Luhn mod 32 over the base32 characters of `text`: catches any single typo and adjacent swaps."""
    chars = [c for c in text.upper() if c in ALPHABET]
    total, factor = 0, 2
    for char in reversed(chars):
        addend = factor * ALPHABET.index(char)
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def new_number(durchgang: str) -> str:
    """E.g. `SCM-2024-D2-7K3F-9QX2`: 7 random characters and a check character over the whole number."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    stem = f"SCM-{durchgang}-{body[:4]}-{body[4:]}"
    return stem + check_char(stem)


def number_is_well_formed(number: str) -> bool:
    """True when the check character matches (a mistyped code is caught before any lookup)."""
    number = number.strip().upper()
    return len(number) > 1 and number[-1] in ALPHABET and check_char(number[:-1]) == number[-1]
