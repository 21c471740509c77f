"""The strict base of every programme-file entry, and the trainer entry.

Kept below `model` because the office's `Session` names its trainers too: both import from here, so the
session model does not have to import the whole programme file model (which builds sessions).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Unknown keys are typos in the admin's file, so they are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, populate_by_name=True)


EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Trainer(Strict):
    """Someone from a partner institution who leads mornings; gets a Moodle account, never a certificate."""

    name: Annotated[str, Field(min_length=1, max_length=120)]
    email: Annotated[str, Field(pattern=EMAIL, max_length=100)]
    organisation: Annotated[str, Field(min_length=1, max_length=200)]
    modules: list[Annotated[int, Field(ge=1, le=5)]] = []
    """Modules this trainer leads; empty means all five."""
