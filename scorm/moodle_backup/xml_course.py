"""moodle_backup.xml, the course/ and sections/ folders and the course-wide files of the backup.

moodle_backup.xml is what the restore UI reads first: versions, the list of sections and activities with their
folders, and the backup settings (no user data, no logs, no grade history). The Moodle release and backup
versions are those of the reference backup made with Moodle 4.5, so any 4.5 or later site restores it.
"""

from __future__ import annotations

from scorm.moodle_backup import ids
from scorm.moodle_backup.course import NEWS_FORUM_NAME, TemplateCourse
from scorm.moodle_backup.xml_activity import forum_directory, scorm_directory
from scorm.moodle_backup.xmlnode import NULL, Node, Value, box, leaf, leaves, render

MOODLE_VERSION = 2024090300
MOODLE_RELEASE = "4.5dev+ (Build: 20240903)"
BACKUP_VERSION = 2024042200
BACKUP_RELEASE = "4.5"
ORIGINAL_WWWROOT = "https://scm-lms.invalid"
"""Not a real site: links and "same site" checks never match on restore, as a template wants."""
ORIGINAL_SITE_HASH = "5c3d0a1e8b7f4c2d9e6a1b0c7d3e2f41"
CATEGORY_NAME = "Smart City Manager"
CRITERIA_ACTIVITY = 4
AGGREGATION_ALL = 1
AGGREGATION_NATURAL = 13
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

Files = dict[str, bytes]


def course_files(course: TemplateCourse) -> Files:
    files = {
        "moodle_backup.xml": moodle_backup_xml(course),
        "moodle_backup.log": b"",
        "completion.xml": _completion(course),
        "gradebook.xml": _gradebook(course),
        "grade_history.xml": render(box("grade_history", box("grade_grades"))),
        "roles.xml": render(box("roles_definition", _student_role())),
        "groups.xml": render(
            box("groups", box("groupcustomfields"), box("groupings", box("groupingcustomfields")))
        ),
        "badges.xml": render(box("badges")),
        "questions.xml": render(box("question_categories")),
        "scales.xml": render(box("scales_definition")),
        "outcomes.xml": render(box("outcomes_definition")),
        "course/course.xml": _course(course),
        "course/enrolments.xml": _enrolments(course.epoch),
        "course/inforef.xml": render(
            box("inforef", box("roleref", box("role", leaf("id", ids.STUDENT_ROLE))))
        ),
        "course/roles.xml": render(box("roles", box("role_overrides"), box("role_assignments"))),
        "course/completiondefaults.xml": render(box("course_completion_defaults")),
        "course/calendar.xml": render(box("events")),
        "course/comments.xml": render(box("comments")),
        "course/competencies.xml": render(
            box("course_competencies", box("competencies"), box("user_competencies"))
        ),
        "course/contentbank.xml": render(box("contents")),
        "course/filters.xml": render(box("filters", box("filter_actives"), box("filter_configs"))),
    }
    for number, name, summary in _sections(course):
        folder = f"sections/section_{ids.section(number)}"
        files[f"{folder}/section.xml"] = _section(number, name, summary, course.epoch)
        files[f"{folder}/inforef.xml"] = render(box("inforef"))
    return files


def _sections(course: TemplateCourse) -> list[tuple[int, str | None, str]]:
    """(number, name, HTML summary); section 0 keeps Moodle's default name."""
    rows: list[tuple[int, str | None, str]] = [(0, None, course.welcome)]
    rows.extend((a.number, a.section_name, a.section_summary) for a in course.activities)
    return rows


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
    activities.extend(
        box(
            "activity",
            leaves(
                {
                    "moduleid": ids.cm(a.number),
                    "sectionid": ids.section(a.number),
                    "modulename": "scorm",
                    "title": a.name,
                    "directory": scorm_directory(a),
                    "insubsection": "",
                }
            ),
        )
        for a in course.activities
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
        for number, name, _ in _sections(course)
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
    for number, _, _ in _sections(course):
        section = f"section_{ids.section(number)}"
        settings.extend(_setting("section", section, f"{section}_{kind}", value) for kind, value in _INCLUDED)
        activity = forum_directory() if number == 0 else scorm_directory(course.activities[number - 1])
        key = activity.removeprefix("activities/")
        settings.extend(_setting("activity", key, f"{key}_{kind}", value) for kind, value in _INCLUDED)
    info = box("information", information, box("details", detail), contents, box("settings", settings))
    return render(box("moodle_backup", info))


_INCLUDED = (("included", 1), ("userinfo", 0))


def _setting(level: str, owner: str | None, name: str, value: Value) -> Node:
    children = [leaf("level", level)]
    if owner is not None:
        children.append(leaf(level, owner))
    children += [leaf("name", name), leaf("value", value)]
    return box("setting", children)


def _course(course: TemplateCourse) -> bytes:
    fields = leaves(
        {
            "shortname": course.shortname,
            "fullname": course.fullname,
            "idnumber": course.idnumber,
            "summary": course.summary,
            "summaryformat": 1,
            "format": "topics",
            "showgrades": 1,
            "newsitems": 5,
            "startdate": 0,
            "enddate": 0,
            "marker": 0,
            "maxbytes": 0,
            "legacyfiles": 0,
            "showreports": 0,
            "visible": 1,
            "groupmode": 0,
            "groupmodeforce": 0,
            "defaultgroupingid": 0,
            "lang": "",
            "theme": "",
            "timecreated": course.epoch,
            "timemodified": course.epoch,
            "requested": 0,
            "showactivitydates": 0,
            "showcompletionconditions": 1,
            "pdfexportfont": None,
            "enablecompletion": 1,
            "completionnotify": 0,
        }
    )
    category = box("category", leaf("name", CATEGORY_NAME), leaf("description", None), id=ids.CATEGORY)
    options = box(
        "courseformatoptions",
        (
            box(
                "courseformatoption",
                leaves({"format": "topics", "sectionid": 0, "name": name, "value": value}),
            )
            for name, value in (("hiddensections", 1), ("coursedisplay", 0))
        ),
    )
    return render(
        box(
            "course",
            fields,
            category,
            box("tags"),
            box("customfields"),
            options,
            id=ids.COURSE,
            contextid=ids.COURSE_CONTEXT,
        )
    )


def _section(number: int, name: str | None, summary: str, epoch: int) -> bytes:
    sequence = ids.cm(number)
    fields = leaves(
        {
            "number": number,
            "name": name,
            "summary": summary,
            "summaryformat": 1,
            "sequence": sequence,
            "visible": 1,
            "availabilityjson": None,
            "component": None,
            "itemid": None,
            "timemodified": epoch,
        }
    )
    return render(box("section", fields, id=ids.section(number)))


def _completion(course: TemplateCourse) -> bytes:
    """Course completion: every SCORM activity complete (criteria type 4), all aggregations "all"."""
    criteria = []
    for index, activity in enumerate(course.activities):
        fields = leaves(
            {
                "course": ids.COURSE,
                "criteriatype": CRITERIA_ACTIVITY,
                "module": "scorm",
                "moduleinstance": ids.cm(activity.number),
                "courseinstanceshortname": None,
                "enrolperiod": None,
                "timeend": None,
                "gradepass": None,
                "role": None,
                "roleshortname": None,
            }
        )
        criteria.append(
            box("course_completion_criteria", fields, box("course_completion_crit_completions"), id=index + 1)
        )
    methods = [
        box(
            "course_completion_aggr_methd",
            leaves({"course": ids.COURSE, "criteriatype": kind, "method": AGGREGATION_ALL, "value": None}),
            id=index + 1,
        )
        for index, kind in enumerate((None, CRITERIA_ACTIVITY, 8, 7))
    ]
    return render(box("course_completion", criteria, methods))


def _gradebook(course: TemplateCourse) -> bytes:
    category = leaves(
        {
            "parent": None,
            "depth": 1,
            "path": f"/{ids.GRADE_CATEGORY}/",
            "fullname": "?",
            "aggregation": AGGREGATION_NATURAL,
            "keephigh": 0,
            "droplow": 0,
            "aggregateonlygraded": 1,
            "aggregateoutcomes": 0,
            "timecreated": course.epoch,
            "timemodified": course.epoch,
            "hidden": 0,
        }
    )
    item = leaves(
        {
            "categoryid": None,
            "itemname": None,
            "itemtype": "course",
            "itemmodule": None,
            "iteminstance": ids.GRADE_CATEGORY,
            "itemnumber": None,
            "iteminfo": None,
            "idnumber": None,
            "calculation": None,
            "gradetype": 1,
            "grademax": f"{100 * len(course.activities):.5f}",
            "grademin": "0.00000",
            "scaleid": None,
            "outcomeid": None,
            "gradepass": "0.00000",
            "multfactor": "1.00000",
            "plusfactor": "0.00000",
            "aggregationcoef": "0.00000",
            "aggregationcoef2": "0.00000",
            "weightoverride": 0,
            "sortorder": 1,
            "display": 0,
            "decimals": None,
            "hidden": 0,
            "locked": 0,
            "locktime": 0,
            "needsupdate": 0,
            "timecreated": course.epoch,
            "timemodified": course.epoch,
        }
    )
    setting = box("grade_setting", leaf("name", "minmaxtouse"), leaf("value", 1), id="")
    return render(
        box(
            "gradebook",
            box("attributes"),
            box("grade_categories", box("grade_category", category, id=ids.GRADE_CATEGORY)),
            box("grade_items", box("grade_item", item, box("grade_grades"), id=ids.COURSE_GRADE_ITEM)),
            box("grade_letters"),
            box("grade_settings", setting),
        )
    )


def _student_role() -> Node:
    fields = leaves(
        {
            "name": "",
            "shortname": "student",
            "nameincourse": None,
            "description": "",
            "sortorder": 5,
            "archetype": "student",
        }
    )
    return box("role", fields, id=ids.STUDENT_ROLE)


def _enrolments(epoch: int) -> bytes:
    """Manual enrolment on (students), guest and self enrolment present but off, as in a new course."""
    instances = (
        (ids.ENROL_MANUAL, "manual", 0, 86400, NULL, ids.STUDENT_ROLE, (1, None, None, None, None, None)),
        (ids.ENROL_GUEST, "guest", 1, 0, "", 0, (None,) * 6),
        (ids.ENROL_SELF, "self", 1, 86400, NULL, ids.STUDENT_ROLE, (0, 0, 0, 1, 0, 1)),
    )
    enrols = []
    for enrol_id, plugin, status, threshold, password, role, ints in instances:
        values: dict[str, Value] = {
            "enrol": plugin,
            "status": status,
            "name": None,
            "enrolperiod": 0,
            "enrolstartdate": 0,
            "enrolenddate": 0,
            "expirynotify": 0,
            "expirythreshold": threshold,
            "notifyall": 0,
            "password": None if password == NULL else password,
            "cost": None,
            "currency": None,
            "roleid": role,
        }
        values.update({f"customint{n}": value for n, value in enumerate((*ints, None, None), start=1)})
        values.update({f"customchar{n}": None for n in range(1, 4)})
        values.update({f"customdec{n}": None for n in range(1, 3)})
        values.update({f"customtext{n}": None for n in range(1, 5)})
        values.update({"timecreated": epoch, "timemodified": epoch})
        enrols.append(box("enrol", leaves(values), box("user_enrolments"), id=enrol_id))
    return render(box("enrolments", box("enrols", enrols)))
