"""moodle_backup.xml: what the restore UI reads first.

Versions, the list of sections and activities with their folders, and the backup settings (no user data, no
logs, no grade history). The Moodle release and backup versions are those of the reference backup made with
Moodle 4.5, so any 4.5 or later site restores it.
"""

from __future__ import annotations

from scorm.moodle_backup import ids
from scorm.moodle_backup.course import NEWS_FORUM_NAME, TemplateCourse
from scorm.moodle_backup.xml_activity import forum_directory, resource_directory, scorm_directory
from scorm.moodle_backup.xmlnode import Node, Value, box, leaf, leaves, render

MOODLE_VERSION = 2024090300
MOODLE_RELEASE = "4.5dev+ (Build: 20240903)"
BACKUP_VERSION = 2024042200
BACKUP_RELEASE = "4.5"
ORIGINAL_WWWROOT = "https://scm-lms.invalid"
"""Not a real site: links and "same site" checks never match on restore, as a template wants."""
ORIGINAL_SITE_HASH = "5c3d0a1e8b7f4c2d9e6a1b0c7d3e2f41"
ROOT_SETTINGS: tuple[tuple[str, int], ...] = (
    ("imscc11", 0),
    ("users", 0),
    ("anonymize", 0),
    ("role_assignments", 1),
    ("activities", 1),
    ("blocks", 1),
    ("files", 1),
    ("filters", 1),
    ("comments", 1),
    ("badges", 1),
    ("calendarevents", 1),
    ("userscompletion", 1),
    ("logs", 0),
    ("grade_histories", 0),
    ("questionbank", 1),
    ("groups", 1),
    ("competencies", 1),
    ("customfield", 1),
    ("contentbankcontent", 1),
    ("xapistate", 1),
    ("legacyfiles", 1),
)


def moodle_backup_xml(course: TemplateCourse) -> bytes:
    activities = [
        box(
            "activity",
            leaves(
                {
                    "moduleid": ids.cm(0),
                    "sectionid": ids.section(0),
                    "modulename": "forum",
                    "title": NEWS_FORUM_NAME,
                    "directory": forum_directory(),
                    "insubsection": "",
                }
            ),
        )
    ]
    for a in course.activities:
        activities.append(_listed(ids.cm(a.number), a.number, "scorm", a.name, scorm_directory(a)))
        resource = course.resource(a.number)
        if resource is not None:
            directory = resource_directory(a.number)
            activities.append(
                _listed(ids.resource_cm(a.number), a.number, "resource", resource.name, directory)
            )
    sections = [
        box(
            "section",
            leaves(
                {
                    "sectionid": ids.section(number),
                    "title": name or str(number),
                    "directory": f"sections/section_{ids.section(number)}",
                    "parentcmid": "",
                    "modname": "",
                }
            ),
        )
        for number, name, _ in course.sections()
    ]
    information = leaves(
        {
            "name": course.filename,
            "moodle_version": MOODLE_VERSION,
            "moodle_release": MOODLE_RELEASE,
            "backup_version": BACKUP_VERSION,
            "backup_release": BACKUP_RELEASE,
            "backup_date": course.epoch,
            "mnet_remoteusers": 0,
            "include_files": 1,
            "include_file_references_to_external_content": 0,
            "original_wwwroot": ORIGINAL_WWWROOT,
            "original_site_identifier_hash": ORIGINAL_SITE_HASH,
            "original_course_id": ids.COURSE,
            "original_course_format": "topics",
            "original_course_fullname": course.fullname,
            "original_course_shortname": course.shortname,
            "original_course_startdate": 0,
            "original_course_enddate": 0,
            "original_course_contextid": ids.COURSE_CONTEXT,
            "original_system_contextid": ids.SYSTEM_CONTEXT,
        }
    )
    detail = box(
        "detail",
        leaves(
            {
                "type": "course",
                "format": "moodle2",
                "interactive": 1,
                "mode": 10,
                "execution": 1,
                "executiontime": 0,
            }
        ),
        backup_id=course.backup_id,
    )
    contents = box(
        "contents",
        box("activities", activities),
        box("sections", sections),
        box("course", leaves({"courseid": ids.COURSE, "title": course.shortname, "directory": "course"})),
    )
    settings = [_setting("root", None, "filename", course.filename)]
    settings.extend(_setting("root", None, name, value) for name, value in ROOT_SETTINGS)
    for number, _, _ in course.sections():
        section = f"section_{ids.section(number)}"
        settings.extend(_setting("section", section, f"{section}_{kind}", value) for kind, value in _INCLUDED)
        folders = [forum_directory()] if number == 0 else [scorm_directory(course.activities[number - 1])]
        folders += [resource_directory(number)] if number and course.resource(number) else []
        for folder in folders:
            key = folder.removeprefix("activities/")
            settings.extend(_setting("activity", key, f"{key}_{kind}", value) for kind, value in _INCLUDED)
    info = box("information", information, box("details", detail), contents, box("settings", settings))
    return render(box("moodle_backup", info))


_INCLUDED = (("included", 1), ("userinfo", 0))


def _listed(cmid: int, section: int, modulename: str, title: str, directory: str) -> Node:
    fields: dict[str, Value] = {
        "moduleid": cmid,
        "sectionid": ids.section(section),
        "modulename": modulename,
        "title": title,
        "directory": directory,
        "insubsection": "",
    }
    return box("activity", leaves(fields))


def _setting(level: str, owner: str | None, name: str, value: Value) -> Node:
    children = [leaf("level", level)]
    if owner is not None:
        children.append(leaf(level, owner))
    children += [leaf("name", name), leaf("value", value)]
    return box("setting", children)
