"""Loads a course source folder (YAML + Markdown, see docs/source-format.md) into a validated `Course`.

One way only: files → plain dicts with line maps → one pydantic validation → `Course`. Nothing stops at the
first mistake: every file is read, every problem is collected, and `SourceError` carries them all with file,
line and field, because a designer fixing a course wants the whole list, not one error per run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from course_package import CURRICULUM_DIR
from course_package.model import Course, FieldPath, Module
from course_package.morning_rules import module_morning_findings
from course_package.source_errors import describe, validation_problems
from course_package.source_figures import figure_findings
from course_package.source_problems import Locations, Problem, SourceError, format_field
from course_package.source_rules import body_findings, cross_module_findings, strict_findings
from scm_base.yaml_lines import YamlSyntaxError, parse_yaml

__all__ = ["CheckedCourse", "Problem", "SourceError", "check_course", "load_course", "load_module"]

_Model = TypeVar("_Model", bound=BaseModel)

_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_MODULE_ENTRIES = {"module.yaml", "quiz.yaml", "lessons", "mornings", "figures"}
_MORNING_FILE = re.compile(r"^[0-9]{2}\.yaml$")
GLOSSARY_FILE = "glossary.yaml"
_FROM_FOLDERS = {
    "modules": "Module kommen aus dem Ordner modules/",
    "lessons": "Lektionen kommen aus dem Ordner lessons/",
    "quiz": "das Quiz kommt aus quiz.yaml",
    "mornings": "Vormittage kommen aus dem Ordner mornings/",
    "body": "der Lektionstext ist der Text nach dem schließenden '---'",
    "glossary": "das Glossar kommt aus glossary.yaml neben course.yaml",
    "figures": "Abbildungen kommen aus dem Ordner figures/ des Moduls und stehen im Lektionstext",
}


@dataclass(frozen=True)
class CheckedCourse:
    """A course that loaded, plus what is missing but does not stop loading (shown by `course check`)."""

    course: Course
    hints: tuple[Problem, ...]
    """Parts of the session kits not yet written (mornings, worksheets, debriefs, duplicated titles);
    `--strict` turns them into problems."""


def load_course(source: Path | None = None, *, strict: bool = False) -> Course:
    """Loads and validates a course; `strict` adds the built-in curriculum's minimums as problems."""
    return check_course(source, strict=strict).course


def check_course(source: Path | None = None, *, strict: bool = False) -> CheckedCourse:
    """`load_course` that also returns the hints; raises `SourceError` with every problem."""
    reader = _Reader(source or CURRICULUM_DIR)
    data = reader.course()
    course = reader.validate(Course, data, ())
    if course is None:
        reader.add_findings(cross_module_findings(data))
    for index, module in enumerate(_dicts(data.get("modules"))):
        reader.add_morning_findings(module, ("modules", index), strict=strict)
    if strict:
        reader.add_findings(strict_findings(data))
        reader.problems += reader.hints
    if reader.problems or course is None:
        raise SourceError(reader.problems)
    return CheckedCourse(course, () if strict else tuple(sorted(set(reader.hints), key=_hint_order)))


def load_module(folder: Path) -> Module:
    """Loads one module folder alone (course-wide rules unchecked), e.g. to test a module in progress.

    Problem files stay relative to the course source (the folder's grandparent).
    """
    reader = _Reader(folder.parent.parent)
    index = [entry.name for entry in reader.entries(folder.parent, "modules") if entry.is_dir()].index(
        folder.name
    )
    data = reader.module(folder, index)
    module = reader.validate(Module, data, ("modules", index))
    reader.add_morning_findings(data, ("modules", index), strict=False)
    if reader.problems or module is None:
        raise SourceError(reader.problems)
    return module


class _Reader:
    """Reads the files of one source folder into plain data, collecting problems instead of raising."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.where = Locations()
        self.problems: list[Problem] = []
        self.hints: list[Problem] = []

    def report(self, file: str, line: int | None, message: str, field: str | None = None) -> None:
        self.problems.append(Problem(file, line, field, message))

    def add_findings(self, findings: list[tuple[FieldPath, str]]) -> None:
        self.problems += [self.where.problem(path, message) for path, message in findings]

    def add_morning_findings(self, module: dict[str, object], at: FieldPath, *, strict: bool) -> None:
        found = module_morning_findings(module, at)
        self.add_findings(
            [(path, message) for path, message in found.errors if not self.where.is_broken(path)]
        )
        self.hints += [self.where.problem(path, message) for path, message in found.pending]

    def validate(self, model: type[_Model], data: dict[str, object], prefix: FieldPath) -> _Model | None:
        try:
            return model.model_validate(data)
        except ValidationError as error:
            self.problems += validation_problems(error, data, self.where, model, prefix)
            return None

    def course(self) -> dict[str, object]:
        if not self.root.is_dir():
            self.report(".", None, f"Kursquellordner '{self.root}' existiert nicht oder ist kein Ordner")
            self.where.mark_broken(())
            return {}
        data = self.yaml_file("course.yaml", ())
        self.where.add(("modules",), "modules")
        folders = []
        for entry in self.entries(self.root / "modules", "modules"):
            if entry.is_dir():
                folders.append(entry)
            else:
                self.report(
                    f"modules/{entry.name}", None, "unerwartete Datei; in modules/ gehören nur Modulordner"
                )
        if not (self.root / "modules").is_dir():
            self.report("modules", None, "Ordner fehlt; legen Sie jedes Modul als modules/NN-name/ an")
            self.where.mark_broken(("modules",))
        elif not folders:
            self.report(
                "modules", None, "noch keine Modulordner; legen Sie modules/01-name/ mit module.yaml an"
            )
            self.where.mark_broken(("modules",))
        data["modules"] = [self.module(folder, index) for index, folder in enumerate(folders)]
        self.session_titles(data)
        if (self.root / GLOSSARY_FILE).exists():
            data["glossary"] = self.yaml_file(GLOSSARY_FILE, ("glossary",))
        else:
            self.where.add(("glossary",), GLOSSARY_FILE)  # where `--strict` asks for the missing terms
        return data

    def session_titles(self, data: dict[str, object]) -> None:
        """The morning files are the one source of a session's title: they fill (or add) course.yaml's
        `sessions` entries, and a title still written in course.yaml is a hint to delete it there."""
        titles: dict[int, tuple[str, FieldPath]] = {}
        for index, module in enumerate(_dicts(data.get("modules"))):
            for number, morning in enumerate(_dicts(module.get("mornings"))):
                value, title = morning.get("number"), morning.get("title")
                if isinstance(value, int) and not isinstance(value, bool) and isinstance(title, str):
                    titles.setdefault(value, (title, ("modules", index, "mornings", number, "title")))
        listed = data.get("sessions", [])
        if not titles or not isinstance(listed, list):
            return
        merged: list[object] = []
        for index, session in enumerate(listed):
            key = session.get("number") if isinstance(session, dict) else None
            if isinstance(session, dict) and isinstance(key, int) and key in titles:
                title, origin = titles.pop(key)
                if "title" in session:
                    file = self.where.problem(origin, "").file
                    message = (
                        f"der Titel von Sitzung {key} steht in {file}; löschen Sie ihn hier "
                        "(der Vormittag ist die einzige Quelle)"
                    )
                    self.hints.append(self.where.problem(("sessions", index, "title"), message))
                session = {**session, "title": title}
                self.where.alias(("sessions", index, "title"), origin)
            elif isinstance(session, dict) and "title" not in session:
                message = (
                    f"Titel fehlt: Sitzung {key} hat noch keine Vormittagsdatei mornings/NN.yaml mit "
                    "title (bis dahin title: hier angeben)"
                )
                self.add_findings([(("sessions", index, "title"), message)])
                self.where.mark_broken(("sessions", index, "title"))
            merged.append(session)
        for number, (title, origin) in sorted(titles.items()):
            self.where.alias(("sessions", len(merged)), origin)
            merged.append({"number": number, "title": title})
        data["sessions"] = merged

    def module(self, folder: Path, index: int) -> dict[str, object]:
        rel = f"modules/{folder.name}"
        root: FieldPath = ("modules", index)
        data = self.yaml_file(f"{rel}/module.yaml", root)
        for entry in self.entries(folder, rel):
            if entry.name not in _MODULE_ENTRIES:
                message = (
                    "unerwarteter Eintrag; ein Modulordner enthält nur module.yaml, quiz.yaml, lessons/, "
                    "mornings/ und figures/"
                )
                self.report(f"{rel}/{entry.name}", None, message)
        lessons_dir = folder / "lessons"
        self.where.add((*root, "lessons"), f"{rel}/lessons")
        lessons: list[dict[str, object]] = []
        figures: dict[str, str] = {}
        for entry in self.entries(lessons_dir, f"{rel}/lessons"):
            if entry.is_file() and entry.suffix == ".md":
                at: FieldPath = (*root, "lessons", len(lessons))
                lessons.append(self.lesson(f"{rel}/lessons/{entry.name}", at, folder, figures))
            else:
                self.report(
                    f"{rel}/lessons/{entry.name}", None, "keine Lektion: in lessons/ gehören nur .md-Dateien"
                )
        if not lessons:
            missing = "fehlt" if not lessons_dir.is_dir() else "enthält keine Lektionen"
            self.report(f"{rel}/lessons", None, f"Ordner {missing}; legen Sie lessons/01-name.md an")
            self.where.mark_broken((*root, "lessons"))
        data["lessons"] = lessons
        data["figures"] = figures
        data["quiz"] = self.yaml_file(f"{rel}/quiz.yaml", (*root, "quiz"))
        data["mornings"] = self.mornings(folder / "mornings", f"{rel}/mornings", (*root, "mornings"))
        return data

    def mornings(self, folder: Path, rel: str, root: FieldPath) -> list[dict[str, object]]:
        """`mornings/NN.yaml`, one file per live morning, named by its number; absent while not written."""
        self.where.add(root, rel)
        mornings: list[dict[str, object]] = []
        for entry in self.entries(folder, rel):
            if not (entry.is_file() and _MORNING_FILE.match(entry.name)):
                message = (
                    "keine Vormittagsdatei: in mornings/ gehört je Vormittag eine Datei NN.yaml "
                    "(zweistellige Nummer des Vormittags, z. B. 03.yaml)"
                )
                self.report(f"{rel}/{entry.name}", None, message)
                continue
            at = (*root, len(mornings))
            data = self.yaml_file(f"{rel}/{entry.name}", at)
            number = data.get("number")
            if isinstance(number, int) and not isinstance(number, bool) and number != int(entry.stem):
                message = (
                    f"die Datei heißt {entry.name}, nennt aber Vormittag {number}; Name und Nummer angleichen"
                )
                self.add_findings([((*at, "number"), message)])
            mornings.append(data)
        return mornings

    def lesson(self, rel: str, root: FieldPath, folder: Path, figures: dict[str, str]) -> dict[str, object]:
        """Reads one lesson file of module `folder`, adding the SVGs its figure blocks use to `figures`."""
        self.where.add(root, rel, line=1)
        text = self.read(rel, root)
        if text is None:
            return {}
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].strip() != "---":
            message = (
                "Vorspann (Front Matter) fehlt: beginnen Sie mit einer Zeile '---', "
                "dann id, title und minutes, dann wieder '---'"
            )
            self.report(rel, 1, message)
            self.where.mark_broken(root)
            return {}
        end = next((n for n in range(1, len(lines)) if lines[n].rstrip() in {"---", "..."}), None)
        if end is None:
            self.report(rel, 1, "Vorspann ist nicht abgeschlossen: fügen Sie danach eine Zeile '---' ein")
            self.where.mark_broken(root)
            return {}
        data = self.yaml_text(rel, root, "".join(lines[1:end]), 2)
        body = "".join(lines[end + 1 :])
        data["body"] = body
        self.where.add_line((*root, "body"), end + 2)
        for line, message in body_findings(body, end + 2):
            self.report(rel, line, message, "body")
        figure_rel = f"modules/{folder.name}/figures"
        found, used = figure_findings(body, end + 2, folder / "figures", figure_rel)
        for line, message in found:
            self.report(rel, line, message, "body")
        figures.update(used)
        return data

    def yaml_file(self, rel: str, root: FieldPath) -> dict[str, object]:
        self.where.add(root, rel)
        text = self.read(rel, root)
        return {} if text is None else self.yaml_text(rel, root, text, 1)

    def yaml_text(self, rel: str, root: FieldPath, text: str, first_line: int) -> dict[str, object]:
        """Parses a mapping, reporting why not when it is none; the result may be a placeholder `{}`."""
        try:
            parsed = parse_yaml(text, first_line)
        except YamlSyntaxError as error:
            self.report(rel, error.line, error.message)
            self.where.mark_broken(root)
            return {}
        self.where.add(root, rel, parsed.lines, parsed.lines.get((), first_line))
        for issue in parsed.issues:
            self.report(rel, issue.line, issue.message, format_field(issue.path))
        if not isinstance(parsed.data, dict):
            found = "die Datei ist leer" if parsed.data is None else f"gefunden: {describe(parsed.data)}"
            self.report(rel, first_line, f"erwartet werden Zeilen 'schlüssel: wert', aber {found}")
            self.where.mark_broken(root)
            return {}
        data: dict[str, object] = parsed.data
        for key, why in _FROM_FOLDERS.items():
            if key in data:
                self.report(
                    rel, parsed.lines.get((key,)), f"Schlüssel '{key}' ist hier nicht erlaubt: {why}", key
                )
                del data[key]
        return data

    def read(self, rel: str, root: FieldPath) -> str | None:
        path = self.root / rel
        if not path.is_file():
            self.report(
                rel,
                None,
                "Datei fehlt" if not path.exists() else "erwartet wird eine Datei, gefunden: ein Ordner",
            )
            self.where.mark_broken(root)
            return None
        try:
            raw = path.read_bytes()
        except OSError as error:
            self.report(rel, None, f"Datei kann nicht gelesen werden: {error.strerror}")
            self.where.mark_broken(root)
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw.count(b"\n", 0, error.start) + 1
            self.report(rel, line, "kein gültiger UTF-8-Text; speichern Sie die Datei als UTF-8")
            self.where.mark_broken(root)
            return None

    def entries(self, folder: Path, rel: str) -> list[Path]:
        """A folder's entries in name order (hidden ones skipped); reports names that are not ASCII."""
        if not folder.is_dir():
            return []
        found = sorted(
            (entry for entry in folder.iterdir() if not entry.name.startswith(".")),
            key=lambda entry: entry.name,
        )
        for entry in found:
            if not _NAME.match(entry.name):
                suggestion = _suggest(entry.name)
                message = (
                    f"Name darf nur a-z, 0-9, '-', '_' und '.' enthalten; umbenennen, z. B. in '{suggestion}'"
                )
                self.report(f"{rel}/{entry.name}", None, message)
        return found


def _dicts(value: object) -> list[dict[str, object]]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def _hint_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


def _suggest(name: str) -> str:
    text = name.lower()
    for umlaut, ascii_form in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}.items():
        text = text.replace(umlaut, ascii_form)
    text = re.sub(r"[^a-z0-9_.-]+", "-", text).strip("-")
    return text or "name"
