"""Problems found in a course source, and the map from a place in the loaded data back to file and line.

The loader assembles all files into one plain dict before validating it, so every error is first a path in
that dict (`modules[2].quiz.questions[6].choices`); `Locations` turns it into what an author can act on
(`modules/03-technik/quiz.yaml:41`, field `questions[6].choices`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from course_package.model import FieldPath
from scm_base.errors import ToolkitError


@dataclass(frozen=True)
class Problem:
    file: str
    """FieldPath relative to the source folder, with '/' separators."""
    line: int | None
    field: str | None
    """Dotted path inside the file, e.g. `questions[6].choices`; None when the problem is the file itself."""
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def _sort_key(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


class SourceError(ToolkitError):
    """Every problem of a course source at once, sorted by file and line: one run shows all to fix."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems), key=_sort_key))
        count = len(self.problems)
        lines = "\n".join(str(problem) for problem in self.problems)
        super().__init__(f"{count} Problem{'e' if count != 1 else ''} in der Kursquelle:\n{lines}")


def format_field(path: FieldPath) -> str | None:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or None


class Locations:
    """Where each part of the assembled course data came from."""

    def __init__(self) -> None:
        self._lines: dict[FieldPath, tuple[str, int | None]] = {}
        self._roots: dict[FieldPath, str] = {}
        self._broken: set[FieldPath] = set()
        self._aliases: dict[FieldPath, FieldPath] = {}

    def add(
        self,
        root: FieldPath,
        file: str,
        lines: Mapping[FieldPath, int] | None = None,
        line: int | None = None,
    ) -> None:
        """Registers a file (or folder) whose content sits at `root`; `lines` are relative to root."""
        self._roots[root] = file
        self._lines[root] = (file, line)
        for path, path_line in (lines or {}).items():
            self._lines[(*root, *path)] = (file, path_line)

    def add_line(self, path: FieldPath, line: int) -> None:
        """Records the line of something that is not YAML, e.g. where a lesson's body starts."""
        file, _ = self._locate(path)
        self._lines[path] = (file, line)

    def alias(self, path: FieldPath, origin: FieldPath) -> None:
        """`path` was filled in from `origin` (a session title taken from its morning file): problems there
        are reported where the value was written."""
        self._aliases[path] = origin

    def mark_broken(self, root: FieldPath) -> None:
        """Data under root stands in for a file already reported as unreadable; validation noise there is
        dropped."""
        self._broken.add(root)

    def is_broken(self, path: FieldPath) -> bool:
        return any(path[: len(root)] == root for root in self._broken)

    def problem(self, path: FieldPath, message: str) -> Problem:
        for alias, origin in self._aliases.items():
            if path[: len(alias)] == alias:
                path = (*origin, *path[len(alias) :])
                break
        file, line = self._locate(path)
        root = next((path[:n] for n in range(len(path), -1, -1) if path[:n] in self._roots), ())
        return Problem(file, line, format_field(path[len(root) :]), message)

    def _locate(self, path: FieldPath) -> tuple[str, int | None]:
        for n in range(len(path), -1, -1):
            if path[:n] in self._lines:
                return self._lines[path[:n]]
        return (".", None)
