"""A web-service token that cannot leak by accident.

Moodle tokens are bearer credentials: whoever reads one acts as the admin behind it. The value is only
reachable through `reveal()`, so printing, logging, formatting into an exception or pickling a `Secret`
never shows it.
"""

from __future__ import annotations

import hmac
from typing import NoReturn, final


@final
class Secret:
    """Holds a credential; `str`, `repr` and `format` show a placeholder."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("a secret must be a non-empty string")
        self._value = value.strip()

    def reveal(self) -> str:
        """The real value, for the one place that must send it (the request body)."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None  # type: ignore[assignment]  # equal secrets must not become dictionary keys in logs

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret cannot be pickled or written to a file")

    def redact(self, text: str) -> str:
        """`text` with every occurrence of the value replaced, for messages built from server replies."""
        return text.replace(self._value, "<TOKEN>")
