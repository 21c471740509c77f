"""The recipe for the template course backup: describe → file pool → XML files → archive.

Every step works on plain data; only `write_mbz` touches the disk (temp file + rename).
"""

from __future__ import annotations

from pathlib import Path

from scm_base.atomic import write_atomic
from scorm.moodle_backup import ids
from scorm.moodle_backup.archive import mbz_bytes
from scorm.moodle_backup.course import TemplateCourse
from scorm.moodle_backup.files import FileStore
from scorm.moodle_backup.xml_activity import RESOURCE_COMPONENT, forum_files, resource_files, scorm_files
from scorm.moodle_backup.xml_course import course_files

COMPONENT = "mod_scorm"


def backup_files(course: TemplateCourse) -> dict[str, bytes]:
    """Every file of the backup by archive path (blobs included, `.ARCHIVE_INDEX` not)."""
    store = FileStore(course.epoch)
    files = course_files(course)
    files.update(forum_files(course.epoch))
    weight = 1 / len(course.activities)
    for activity in course.activities:
        package = activity.package
        first = ids.first_file(activity.number)
        context = ids.context(activity.number)
        records = store.add_area(first, context, COMPONENT, "package", {package.filename: package.data})
        records += store.add_area(first + len(records), context, COMPONENT, "content", package.files)
        files.update(scorm_files(activity, records, course.epoch, weight))
    for resource in course.resources:
        context = ids.resource_context(resource.number)
        first = ids.resource_first_file(resource.number)
        records = store.add_area(
            first, context, RESOURCE_COMPONENT, "content", {resource.filename: resource.data}
        )
        files.update(resource_files(resource, records, course.epoch))
    files["files.xml"] = store.files_xml()
    files.update(store.blob_files())
    return files


def build_mbz(course: TemplateCourse) -> bytes:
    return mbz_bytes(backup_files(course), course.epoch)


def write_mbz(course: TemplateCourse, out_dir: Path) -> Path:
    path = out_dir / course.filename
    write_atomic(path, build_mbz(course))
    return path
