"""The names of the build formats, in a module that imports nothing heavy.

`scm-lms build --help` shows them as the default of `--format`; the builders themselves load lxml, Jinja and
the course model, which a help text must not wait for.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["scorm12", "scorm2004", "cc11"]
FORMATS: tuple[Format, ...] = ("scorm12", "scorm2004", "cc11")
"""The package formats, in build order."""
BACKUP_FORMAT = "moodle"
"""The Moodle template course backup (.mbz) made from the SCORM 1.2 packages."""
