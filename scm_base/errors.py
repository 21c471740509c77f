"""The one base of every failure the toolkit reports to a person.

Each package raises its own subclass (a course source problem, a refused programme file, a Moodle error), but
all of them carry German text, the problems it consists of and what to do, so a command catches one class
instead of keeping lists of what might go wrong below it.
"""

from __future__ import annotations

from collections.abc import Sequence


class ToolkitError(Exception):
    """A failure with a German message for the admin or author; never holds a token or password."""

    hint: str = ""
    """What to do about it, in German; empty when the message already says so."""

    problems: Sequence[object] = ()
    """The single problems when there are several (one line each in the message); empty otherwise."""
