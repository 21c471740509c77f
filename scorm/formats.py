"""The names of the build outputs, in a module that imports nothing heavy.

`scm-lms build --help` shows them as the default of `--format`; the builders themselves (`scorm.builds`) load
lxml, Jinja, fpdf2 and the course model, which a help text must not wait for. A test keeps `KINDS` equal to
the registry's order.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["scorm12", "scorm2004", "cc11"]
FORMATS: tuple[Format, ...] = ("scorm12", "scorm2004", "cc11")
"""The package formats, in build order."""
GUIDE = "leitfaden"
WORKSHEETS = "arbeitsblaetter"
BACKUP = "moodle"
KINDS: tuple[str, ...] = (*FORMATS, GUIDE, WORKSHEETS, BACKUP)
"""Every output of `scorm.builds.BUILDERS`, in build order."""
