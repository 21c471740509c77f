"""The German UI string catalog: one file, so reviewers see every learner-facing text at once."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

CATALOG = "strings_de.yaml"


class Strings:
    """Looks up catalog texts; a missing key is a programming error and fails the build, never shows a key."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self._texts = dict(texts)

    def __call__(self, key: str, **values: Any) -> str:
        try:
            text = self._texts[key]
        except KeyError:
            raise KeyError(f"UI text '{key}' is missing from course_package/{CATALOG}; add it") from None
        return text.format(**values) if values else text

    def raw(self, *keys: str) -> dict[str, str]:
        """Unformatted texts for the runtime, which fills the placeholders itself."""
        return {key: self(key) for key in keys}

    def keys(self) -> frozenset[str]:
        return frozenset(self._texts)


@cache
def strings() -> Strings:
    text = resources.files("course_package").joinpath(CATALOG).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"course_package/{CATALOG} must map text keys to strings")
    return Strings({str(key): value.strip() for key, value in data.items()})
