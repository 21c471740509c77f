"""The live mornings and the worksheets of lesson activities: the shape of `mornings/NN.yaml` and of an
activity's `worksheet:` (docs/source-format.md, "Vormittage").

The models check what one block or one worksheet can judge on its own; rules across a morning (times
contiguous from 09:00 to 13:00, breaks) and across a module (objective ids, activity references) live in
`course_package.morning_rules`, which works on the raw data so that every problem is reported at once.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from course_package.model_base import NonEmpty, RuleError, Slug, Strict

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
MORNING_START = "09:00"
MORNING_END = "13:00"
MIN_BREAK_MINUTES = 30
WORLD_CAFE_METHOD = "World Café"

BlockKind = Literal["input", "exercise", "plenary", "break", "check-in", "reflection"]
BLOCK_KINDS: tuple[str, ...] = ("input", "exercise", "plenary", "break", "check-in", "reflection")

Count = Annotated[int, Field(ge=1, le=20)]


def minutes_of(clock: str) -> int:
    """`"09:30"` → 570 (minutes after midnight); the caller has checked the pattern."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class WorldCafeRound(Strict):
    question: NonEmpty
    minutes: Annotated[int, Field(ge=1, le=120)]


class WorldCafe(Strict):
    """A complete World Café: tables (breakout rooms), what hosts do, the rounds and the harvest."""

    tables: Annotated[int, Field(ge=2, le=30)]
    table_hosts: NonEmpty
    rounds: Annotated[list[WorldCafeRound], Field(min_length=3, max_length=8)]
    harvest: NonEmpty

    @property
    def round_minutes(self) -> int:
        return sum(round_.minutes for round_ in self.rounds)


class Block(Strict):
    """One timed part of a morning; a break needs neither method nor notes."""

    start: Annotated[str, Field(pattern=TIME_PATTERN)]
    minutes: Annotated[int, Field(ge=5, le=240)]
    kind: BlockKind
    title: NonEmpty
    method: NonEmpty | None = None
    materials: list[NonEmpty] = Field(default_factory=list)
    notes: NonEmpty | None = None
    activity: Slug | None = None
    """Id of a lesson of the same module whose activity (and worksheet) this block works on."""
    world_cafe: WorldCafe | None = None

    @model_validator(mode="after")
    def _check_block(self) -> Block:
        if self.kind != "break":
            for key in ("method", "notes"):
                if getattr(self, key) is None:
                    message = (
                        f"Pflichtschlüssel '{key}' fehlt; nur eine Pause (kind: break) kommt ohne "
                        "Methode und Moderationshinweise aus"
                    )
                    raise RuleError(message, (key,))
        if self.world_cafe is not None:
            if self.method != WORLD_CAFE_METHOD:
                message = f'world_cafe gehört nur an einen Block mit method: "{WORLD_CAFE_METHOD}"'
                raise RuleError(message, ("world_cafe",))
            if self.world_cafe.round_minutes > self.minutes:
                message = (
                    f"die Runden dauern zusammen {self.world_cafe.round_minutes} Minuten, der Block hat nur "
                    f"{self.minutes}; kürzen Sie die Runden oder verlängern Sie den Block"
                )
                raise RuleError(message, ("world_cafe", "rounds"))
        return self

    @property
    def end(self) -> str:
        return clock_of(minutes_of(self.start) + self.minutes)


class Morning(Strict):
    """One live morning (09:00–13:00 in the video room) of a module."""

    number: Annotated[int, Field(ge=1, le=99)]
    title: NonEmpty
    objectives: Annotated[list[Annotated[int, Field(ge=1, le=50)]], Field(min_length=1)]
    """Module objectives by id: the 1-based position in module.yaml `objectives`."""
    summary: NonEmpty
    preparation: NonEmpty
    blocks: Annotated[list[Block], Field(min_length=1)]

    @property
    def break_minutes(self) -> int:
        return sum(block.minutes for block in self.blocks if block.kind == "break")

    @property
    def materials(self) -> list[str]:
        """Every material named in a block, once, in order of first use: the guide's checklist."""
        return list(dict.fromkeys(item for block in self.blocks for item in block.materials))

    @property
    def world_cafe(self) -> Block | None:
        return next((block for block in self.blocks if block.world_cafe is not None), None)


class WorksheetTable(Strict):
    caption: NonEmpty
    columns: Annotated[list[NonEmpty], Field(min_length=1, max_length=8)]
    rows: Count


class WorksheetField(Strict):
    """Either a labelled text field with writing lines or a table with empty rows."""

    label: NonEmpty | None = None
    lines: Count | None = None
    table: WorksheetTable | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> WorksheetField:
        if self.table is not None and (self.label is not None or self.lines is not None):
            raise RuleError("ein Eintrag ist entweder ein Textfeld (label, lines) oder eine Tabelle (table)")
        if self.table is None and (self.label is None or self.lines is None):
            missing = "label" if self.label is None else "lines"
            message = (
                f"Pflichtschlüssel '{missing}' fehlt; ein Textfeld braucht label und lines "
                "(oder schreiben Sie eine Tabelle unter table:)"
            )
            raise RuleError(message, (missing,))
        return self


class Worksheet(Strict):
    """What participants fill in for an activity; printed in the module's worksheets PDF."""

    intro: NonEmpty | None = None
    fields: Annotated[list[WorksheetField], Field(min_length=1, max_length=12)]
