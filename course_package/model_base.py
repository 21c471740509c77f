"""The building blocks every source model shares: strict models, slugs, and validator errors with a path.

They sit below `model` and `mornings` so both can use them without importing each other.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from scm_base.errors import ToolkitError
from scm_base.yaml_lines import FieldPath as FieldPath  # re-exported: models speak in paths

SLUG_PATTERN = r"^[a-z](?:[a-z0-9-]{0,62}[a-z0-9])?$"
"""Slugs are safe as XML NCNames, SCORM interaction ids, file names and CSS ids all at once; one letter is
enough (choice ids `a`, `b`, as in docs/source-format.md)."""

Slug = Annotated[str, Field(pattern=SLUG_PATTERN)]
NonEmpty = Annotated[str, Field(min_length=1)]


class RuleError(ToolkitError, ValueError):
    """A validator's complaint plus where inside the validated value it applies.

    Pydantic only knows the location of the model whose validator failed; `path` (relative to that location)
    lets the source loader point at the exact line, e.g. the second `id: q7` rather than the whole quiz.
    """

    def __init__(self, message: str, path: FieldPath = ()) -> None:
        super().__init__(message)
        self.path = path


class Strict(BaseModel):
    """Base for all source models: unknown keys are author mistakes, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
