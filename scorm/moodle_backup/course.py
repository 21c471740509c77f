"""The plain-data description of the template course: all the XML writers need, nothing more.

`describe_course` turns the course model plus the built SCORM packages into this shape; the writers never see
the course model, so the backup can be tested (and reused) with any packages.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping
from dataclasses import dataclass

from course_package.model import Course, Module
from scorm.moodle_backup.scoes import ScormPackage
from scorm.moodle_backup.section_texts import module_summary_html, welcome_html

NEWS_FORUM_NAME = "Ankündigungen"
NEWS_FORUM_INTRO = "Neuigkeiten und Ankündigungen zum Durchgang"


@dataclass(frozen=True)
class ScormActivity:
    """One course section with its single SCORM activity."""

    number: int
    """Section number (1..n); module n sits in section n."""
    name: str
    section_name: str
    section_summary: str
    """HTML."""
    intro: str
    """HTML shown above the SCORM player."""
    idnumber: str
    """Course-module and grade-item ID number; certification maps grades by it."""
    pass_mark: int
    package: ScormPackage


@dataclass(frozen=True)
class ResourceActivity:
    """A file resource (mod_resource) beside a module's SCORM activity: the module's worksheets PDF."""

    number: int
    """Section number, as for the SCORM activity of the same module."""
    name: str
    intro: str
    """HTML."""
    filename: str
    data: bytes

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.data).hexdigest()


@dataclass(frozen=True)
class TemplateCourse:
    fullname: str
    shortname: str
    idnumber: str
    summary: str
    """HTML course summary."""
    welcome: str
    """HTML summary of section 0: welcome, how the programme works, whom to ask."""
    activities: tuple[ScormActivity, ...]
    epoch: int
    """Every time stamp in the backup; from SOURCE_DATE_EPOCH, so rebuilds are byte-identical."""
    resources: tuple[ResourceActivity, ...] = ()
    """Worksheets per module section; empty when the backup is made without them."""

    def resource(self, number: int) -> ResourceActivity | None:
        return next((resource for resource in self.resources if resource.number == number), None)

    def sections(self) -> list[tuple[int, str | None, str]]:
        """(number, name, HTML summary) of every section; section 0 keeps Moodle's default name."""
        rows: list[tuple[int, str | None, str]] = [(0, None, self.welcome)]
        rows.extend((a.number, a.section_name, a.section_summary) for a in self.activities)
        return rows

    @property
    def filename(self) -> str:
        return f"{self.shortname}.mbz"

    @property
    def backup_id(self) -> str:
        """Moodle wants a 32-hex backup id; ours is derived from the content, not random."""
        hashes = [*(a.package.sha1 for a in self.activities), *(r.sha1 for r in self.resources)]
        seed = "|".join([self.shortname, self.idnumber, *hashes])
        return hashlib.md5(seed.encode("utf-8"), usedforsecurity=False).hexdigest()


def describe_course(
    course: Course,
    packages: Mapping[int, ScormPackage],
    epoch: int,
    worksheets: Mapping[int, tuple[str, bytes]] | None = None,
) -> TemplateCourse:
    """The template for `course`; `packages` maps module number to its built SCORM 1.2 package,
    `worksheets` to the file name and bytes of its worksheets PDF (a file resource in its section)."""
    missing = [module.number for module in course.modules if module.number not in packages]
    if missing:
        raise ValueError(f"kein SCORM-1.2-Paket für Modul(e) {missing}; zuerst das Format scorm12 bauen")
    return TemplateCourse(
        fullname=template_fullname(course),
        shortname=course.moodle.shortname,
        idnumber=course.moodle.idnumber,
        summary=_paragraph(course.description),
        welcome=welcome_html(course),
        activities=tuple(_activity(course, module, packages[module.number]) for module in course.modules),
        epoch=epoch,
        resources=tuple(
            _worksheets(module, *worksheets[module.number])
            for module in course.modules
            if worksheets and module.number in worksheets
        ),
    )


def resource_name(module: Module) -> str:
    return f"Arbeitsblätter Modul {module.number} (PDF)"


def _worksheets(module: Module, filename: str, data: bytes) -> ResourceActivity:
    intro = (
        "Die Arbeitsblätter zu den Aufgaben der Lektionen dieses Moduls: zum Ausdrucken oder zum Notieren "
        "neben dem Bildschirm. Wir arbeiten an den Live-Vormittagen mit ihnen."
    )
    return ResourceActivity(module.number, resource_name(module), _paragraph(intro), filename, data)


def template_fullname(course: Course) -> str:
    """The template's full name; `lms setup` finds the restored course by it, so there is one rule."""
    default = f"{course.title} – {course.subtitle}" if course.subtitle else course.title
    return course.moodle.fullname or default


def activity_name(module: Module) -> str:
    """The SCORM activity's name; `lms setup` recognises the restored template by these names."""
    return f"Modul {module.number} – {module.title}"


def _activity(course: Course, module: Module, package: ScormPackage) -> ScormActivity:
    return ScormActivity(
        number=module.number,
        name=activity_name(module),
        section_name=f"Modul {module.number} – {module.short_title}",
        section_summary=module_summary_html(course, module),
        intro=_paragraph(module.summary),
        idnumber=module.scorm_id,
        pass_mark=module.pass_mark,
        package=package,
    )


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(' '.join(text.split()), quote=False)}</p>"
