"""The course/ and sections/ folders and the course-wide files: completion, gradebook, roles and the rest."""

from __future__ import annotations

from scorm.moodle_backup import ids
from scorm.moodle_backup.course import TemplateCourse
from scorm.moodle_backup.xml_grades import GradeItem, grade_item_node
from scorm.moodle_backup.xml_manifest import moodle_backup_xml
from scorm.moodle_backup.xmlnode import NULL, Node, Value, box, leaf, leaves, render

CATEGORY_NAME = "Smart City Manager"
CRITERIA_ACTIVITY = 4
AGGREGATION_ALL = 1
AGGREGATION_NATURAL = 13

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
    for number, name, summary in course.sections():
        folder = f"sections/section_{ids.section(number)}"
        sequence = [ids.cm(number)]
        sequence += [ids.resource_cm(number)] if course.resource(number) else []
        files[f"{folder}/section.xml"] = _section(number, name, summary, course.epoch, sequence)
        files[f"{folder}/inforef.xml"] = render(box("inforef"))
    return files


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


def _section(number: int, name: str | None, summary: str, epoch: int, cms: list[int]) -> bytes:
    sequence = ",".join(str(cm) for cm in cms)
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
    total = GradeItem(
        id=ids.COURSE_GRADE_ITEM,
        itemtype="course",
        iteminstance=ids.GRADE_CATEGORY,
        sortorder=1,
        grademax=100 * len(course.activities),
    )
    setting = box("grade_setting", leaf("name", "minmaxtouse"), leaf("value", 1), id="")
    return render(
        box(
            "gradebook",
            box("attributes"),
            box("grade_categories", box("grade_category", category, id=ids.GRADE_CATEGORY)),
            box("grade_items", grade_item_node(total, course.epoch)),
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
