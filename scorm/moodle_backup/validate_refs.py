"""Cross references inside a backup, and the SCORM packages it carries.

Moodle's restore trusts these links: an activity listed in moodle_backup.xml but missing its folder, a
section sequence naming a course module that does not exist, a completion criterion or grade item pointing at
the wrong activity all restore "successfully" into a broken course. Each stage here checks one kind of link.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from lxml import etree

from scorm.moodle_backup.files import DIRECTORY, blob_path
from scorm.moodle_backup.validate_base import Backup, Stage, text
from scorm.moodle_backup.xmlnode import NULL
from scorm.validate.package import validate_zip

MANIFEST = "moodle_backup.xml"
CRITERIA_ACTIVITY = "4"


@dataclass(frozen=True)
class Listed:
    """An activity as moodle_backup.xml lists it."""

    moduleid: str
    sectionid: str
    modulename: str
    directory: str

    @property
    def module_xml(self) -> str:
        return f"{self.directory}/module.xml"

    @property
    def instance_xml(self) -> str:
        return f"{self.directory}/{self.modulename}.xml"


def listed_activities(backup: Backup) -> list[Listed]:
    root = backup.xml.get(MANIFEST)
    if root is None:
        return []
    return [
        Listed(text(a, "moduleid"), text(a, "sectionid"), text(a, "modulename"), text(a, "directory"))
        for a in root.iterfind("information/contents/activities/activity")
    ]


def listed_sections(backup: Backup) -> dict[str, str]:
    """sectionid -> directory."""
    root = backup.xml.get(MANIFEST)
    if root is None:
        return {}
    return {
        text(s, "sectionid"): text(s, "directory")
        for s in root.iterfind("information/contents/sections/section")
    }


def check_manifest(backup: Backup) -> None:
    detail = "information/details/detail/"
    kind, fmt = backup.find(MANIFEST, detail + "type"), backup.find(MANIFEST, detail + "format")
    if (kind, fmt) != ("course", "moodle2"):
        backup.report.error(
            "backup.type",
            f"Sicherungstyp {kind or '?'}/{fmt or '?'}; erwartet wird eine Kurssicherung course/moodle2.",
            MANIFEST,
        )
    root = backup.xml.get(MANIFEST)
    settings = (
        {text(s, "name"): text(s, "value") for s in root.iterfind(".//settings/setting")}
        if root is not None
        else {}
    )
    if settings.get("users") != "0":
        backup.report.warning(
            "backup.users",
            "Die Sicherung enthält Nutzerdaten (Einstellung users ≠ 0); eine Kursvorlage sollte keine haben.",
            MANIFEST,
        )


def check_activities(backup: Backup) -> None:
    listed = listed_activities(backup)
    sections = listed_sections(backup)
    report = backup.report
    for activity in listed:
        where = f"Aktivität {activity.moduleid} ({activity.modulename})"
        expected = f"activities/{activity.modulename}_{activity.moduleid}"
        if activity.directory != expected:
            report.error(
                "ref.activity-dir", f"{where}: Ordner {activity.directory!r} statt {expected!r}.", MANIFEST
            )
        module = backup.xml.get(activity.module_xml)
        if module is None or activity.instance_xml not in backup.xml:
            report.error(
                "ref.activity-missing",
                f"{where} ist gelistet, aber {activity.module_xml} oder {activity.instance_xml} fehlt.",
                activity.directory,
            )
            continue
        if module.get("id") != activity.moduleid or text(module, "sectionid") != activity.sectionid:
            report.error(
                "ref.module",
                f"{where}: module.xml nennt Kursmodul {module.get('id')} in Abschnitt "
                f"{text(module, 'sectionid')}, {MANIFEST} aber {activity.moduleid} in {activity.sectionid}.",
                activity.module_xml,
            )
        if activity.sectionid not in sections:
            report.error(
                "ref.section-unknown",
                f"{where}: Abschnitt {activity.sectionid} ist nicht gelistet.",
                MANIFEST,
            )
        if backup.xml[activity.instance_xml].get("moduleid") != activity.moduleid:
            report.error(
                "ref.instance",
                f"{where}: {activity.modulename}.xml gehört zu Kursmodul "
                f"{backup.xml[activity.instance_xml].get('moduleid')}.",
                activity.instance_xml,
            )
    known = {activity.directory for activity in listed}
    present = {"/".join(name.split("/")[:2]) for name in backup.files if name.startswith("activities/")}
    for directory in sorted(present - known):
        report.error("ref.activity-unlisted", f"Ordner {directory} steht nicht in {MANIFEST}.", directory)


def check_sections(backup: Backup) -> None:
    listed = listed_activities(backup)
    for sectionid, directory in listed_sections(backup).items():
        path = f"{directory}/section.xml"
        section = backup.xml.get(path)
        if section is None or section.get("id") != sectionid:
            backup.report.error(
                "ref.section-missing", f"Abschnitt {sectionid}: {path} fehlt oder passt nicht.", path
            )
            continue
        sequence = [cm for cm in text(section, "sequence").split(",") if cm]
        expected = [a.moduleid for a in listed if a.sectionid == sectionid]
        if sorted(sequence) != sorted(expected):
            backup.report.error(
                "ref.sequence",
                f"Abschnitt {sectionid}: sequence {','.join(sequence) or '(leer)'} passt nicht zu den "
                f"Aktivitäten des Abschnitts ({','.join(expected) or 'keine'}).",
                path,
            )


def check_completion(backup: Backup) -> None:
    root = backup.xml.get("completion.xml")
    if root is None:
        return
    modules = {a.moduleid: a.modulename for a in listed_activities(backup)}
    for criterion in root.iter("course_completion_criteria"):
        if text(criterion, "criteriatype") != CRITERIA_ACTIVITY:
            continue
        cmid, modname = text(criterion, "moduleinstance"), text(criterion, "module")
        if modules.get(cmid) != modname:
            backup.report.error(
                "ref.completion",
                f"Abschlusskriterium {criterion.get('id')}: Aktivität {modname} {cmid} gibt es nicht.",
                "completion.xml",
            )


def check_grades(backup: Backup) -> None:
    """Each activity's grade items belong to it and to a known category; inforef names only existing ids."""
    file_ids = _ids(backup, "files.xml", "file")
    categories = _ids(backup, "gradebook.xml", "grade_category")
    for activity in listed_activities(backup):
        path = f"{activity.directory}/grades.xml"
        grades, instance = backup.xml.get(path), backup.xml.get(activity.instance_xml)
        if grades is None or instance is None:
            continue
        idnumber = text(backup.xml.get(activity.module_xml), "idnumber")
        for item in grades.iter("grade_item"):
            problem = _grade_item_problem(item, activity.modulename, instance.get("id"), categories, idnumber)
            if problem:
                backup.report.error("ref.grade-item", f"Bewertungsaspekt {item.get('id')} {problem}.", path)
        inforef = backup.xml.get(f"{activity.directory}/inforef.xml")
        if inforef is None:
            continue
        for kind, known in (("file", file_ids), ("grade_item", _ids(backup, path, "grade_item"))):
            for ref in inforef.iterfind(f"{kind}ref/{kind}"):
                if text(ref, "id") not in known:
                    backup.report.error(
                        "ref.inforef",
                        f"inforef nennt {kind} {text(ref, 'id')}, den es nicht gibt.",
                        f"{activity.directory}/inforef.xml",
                    )


def _grade_item_problem(
    item: etree._Element, modulename: str, instance: str | None, categories: set[str | None], idnumber: str
) -> str | None:
    if text(item, "itemmodule") != modulename or text(item, "iteminstance") != instance:
        return f"gehört zu {text(item, 'itemmodule')} {text(item, 'iteminstance')}"
    if text(item, "categoryid") not in categories:
        return f"verweist auf unbekannte Bewertungskategorie {text(item, 'categoryid')}"
    if text(item, "itemnumber") == "0" and text(item, "idnumber") not in ("", NULL, idnumber):
        return f"idnumber {text(item, 'idnumber')!r} weicht von der Kursmodul-ID {idnumber!r} ab"
    return None


def _ids(backup: Backup, path: str, tag: str) -> set[str | None]:
    root = backup.xml.get(path)
    return {element.get("id") for element in root.iter(tag)} if root is not None else set()


def check_scorm(backup: Backup) -> None:
    """Each SCORM activity: launch SCO exists, its package is in the pool with the stated SHA-1, the package
    passes the SCORM validator, and the content area holds exactly the unpacked package."""
    pool = backup.xml.get("files.xml")
    records = list(pool.iter("file")) if pool is not None else []
    for activity in listed_activities(backup):
        if activity.modulename == "scorm" and activity.instance_xml in backup.xml:
            _check_scorm_activity(backup, activity, records)


def _check_scorm_activity(backup: Backup, activity: Listed, records: list[etree._Element]) -> None:
    root = backup.xml[activity.instance_xml]
    path = activity.instance_xml
    scorm = root.find("scorm")
    if text(scorm, "launch") not in {sco.get("id") for sco in root.iterfind("scorm/scoes/sco")}:
        backup.report.error(
            "scorm.launch", f"launch {text(scorm, 'launch')!r} ist kein SCO dieser Aktivität.", path
        )
    if text(scorm, "scormtype") != "local":
        return
    mine = [
        r
        for r in records
        if text(r, "contextid") == root.get("contextid")
        and text(r, "component") == "mod_scorm"
        and text(r, "filename") != DIRECTORY
    ]
    packages = [r for r in mine if text(r, "filearea") == "package"]
    if len(packages) != 1 or text(packages[0], "contenthash") != text(scorm, "sha1hash"):
        backup.report.error(
            "scorm.package",
            f"Das hochgeladene Paket (sha1hash {text(scorm, 'sha1hash')}) fehlt im Dateibereich "
            "'package' oder ist mehrdeutig.",
            path,
        )
        return
    data = backup.files.get(blob_path(text(packages[0], "contenthash")))
    if data is None or not _check_package(backup, activity, text(packages[0], "filename"), data):
        return
    content = {
        text(r, "filepath")[1:] + text(r, "filename"): text(r, "contenthash")
        for r in mine
        if text(r, "filearea") == "content"
    }
    _check_content(backup, path, data, content)


def _check_content(backup: Backup, path: str, package: bytes, content: dict[str, str]) -> None:
    """Only called for packages the SCORM validator accepted, so the zip is readable and within its limits."""
    with zipfile.ZipFile(BytesIO(package)) as archive:
        unpacked = {
            info.filename: hashlib.sha1(archive.read(info)).hexdigest()
            for info in archive.infolist()
            if not info.is_dir()
        }
    if unpacked != content:
        differing = sorted(set(unpacked.items()) ^ set(content.items()))
        backup.report.error(
            "scorm.content",
            f"Der Dateibereich 'content' entspricht nicht dem entpackten Paket (z. B. {differing[0][0]}); "
            "Moodle würde andere Dateien ausliefern, als das Paket enthält.",
            path,
        )


def _check_package(backup: Backup, activity: Listed, filename: str, data: bytes) -> bool:
    """Runs the SCORM validator; its findings appear under the package path. True if the package is valid."""
    with tempfile.TemporaryDirectory(prefix="scm-mbz-") as folder:
        package_path = Path(folder) / (Path(filename).name or "package.zip")
        package_path.write_bytes(data)
        report = validate_zip(package_path)
    for finding in report.findings:
        location = f"{activity.directory}/{filename}" + (
            f"!{finding.location()}" if finding.location() else ""
        )
        backup.report.add(finding.level, f"package.{finding.code}", finding.message, location)
    return report.valid


REFERENCE_STAGES: tuple[Stage, ...] = (
    check_manifest,
    check_activities,
    check_sections,
    check_completion,
    check_grades,
    check_scorm,
)
