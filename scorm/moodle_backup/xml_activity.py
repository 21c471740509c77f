"""The files of one activity folder (activities/<modname>_<cmid>/), shaped like Moodle 4.5 writes them.

Settings that make the programme work live here: uploaded package, the player and grading settings of
`player.PLAYER_SETTINGS` (shared with the validator), automatic completion on passed/completed plus minimum
score, and the course-module / grade-item ID numbers certification reads.
"""

from __future__ import annotations

from collections.abc import Callable

from scorm.moodle_backup import ids
from scorm.moodle_backup.course import NEWS_FORUM_INTRO, NEWS_FORUM_NAME, ResourceActivity, ScormActivity
from scorm.moodle_backup.files import FileRecord
from scorm.moodle_backup.player import player_fields
from scorm.moodle_backup.scoes import ScormPackage
from scorm.moodle_backup.xml_grades import GradeItem, grade_item_node
from scorm.moodle_backup.xmlnode import Node, box, leaf, leaves, render

SCORM_MODULE_VERSION = 2024042200
FORUM_MODULE_VERSION = 2024082100
RESOURCE_MODULE_VERSION = 2024042200
"""mod_resource of the Moodle 4.5dev build the reference backup came from (assumed: no recording shows a
resource; its version stayed at the 4.4 value until the 4.5 release, and restore accepts older versions)."""
RESOURCE_COMPONENT = "mod_resource"
RESOURCE_DISPLAY_OPEN = 5
"""resourcelib's RESOURCELIB_DISPLAY_OPEN: the link opens the PDF itself (the browser's viewer)."""
RESOURCE_DISPLAY_OPTIONS = 'a:3:{s:10:"printintro";i:1;s:8:"showsize";i:1;s:8:"showtype";i:1;}'
"""PHP-serialised options as mod_resource stores them: show the intro, the size and the type (PDF)."""
COMPLETION_AUTOMATIC = 2
STATUS_PASSED_OR_COMPLETED = 6
"""Bit mask of Moodle's completion statuses: 2 = passed, 4 = completed."""

Files = dict[str, bytes]


def scorm_directory(activity: ScormActivity) -> str:
    return f"activities/scorm_{ids.cm(activity.number)}"


def forum_directory() -> str:
    return f"activities/forum_{ids.cm(0)}"


def scorm_files(activity: ScormActivity, records: list[FileRecord], epoch: int, weight: float) -> Files:
    """One SCORM activity's files; `records`: its files.xml entries, `weight`: its share of the total."""
    number = activity.number
    files = _common_files()
    files.update(
        {
            "module.xml": _module(
                "scorm", number, SCORM_MODULE_VERSION, activity.idnumber, COMPLETION_AUTOMATIC, epoch
            ),
            "scorm.xml": _scorm(activity, epoch),
            "grades.xml": render(
                box(
                    "activity_gradebook",
                    box("grade_items", _grade_item(activity, epoch, weight)),
                    box("grade_letters"),
                )
            ),
            "inforef.xml": render(
                box(
                    "inforef",
                    box("fileref", (box("file", leaf("id", record.id)) for record in records)),
                    box("grade_itemref", box("grade_item", leaf("id", ids.grade_item(number)))),
                )
            ),
        }
    )
    return {f"{scorm_directory(activity)}/{name}": data for name, data in files.items()}


def resource_directory(number: int) -> str:
    return f"activities/resource_{ids.resource_cm(number)}"


def resource_files(resource: ResourceActivity, records: list[FileRecord], epoch: int) -> Files:
    """The worksheets file resource of one section: its file in the content area, no grade, no completion."""
    number = resource.number
    files = _common_files()
    fields = leaves(
        {
            "name": resource.name,
            "intro": resource.intro,
            "introformat": 1,
            "tobemigrated": 0,
            "legacyfiles": 0,
            "legacyfileslast": None,
            "display": RESOURCE_DISPLAY_OPEN,
            "displayoptions": RESOURCE_DISPLAY_OPTIONS,
            "filterfiles": 0,
            "revision": 1,
            "timemodified": epoch,
        }
    )
    activity = box(
        "activity",
        box("resource", fields, id=number),
        id=number,
        moduleid=ids.resource_cm(number),
        modulename="resource",
        contextid=ids.resource_context(number),
    )
    files.update(
        {
            "module.xml": _module(
                "resource", number, RESOURCE_MODULE_VERSION, None, 0, epoch, ids.resource_cm
            ),
            "resource.xml": render(activity),
            "grades.xml": render(box("activity_gradebook", box("grade_items"), box("grade_letters"))),
            "inforef.xml": render(
                box("inforef", box("fileref", (box("file", leaf("id", record.id)) for record in records)))
            ),
        }
    )
    return {f"{resource_directory(number)}/{name}": data for name, data in files.items()}


def forum_files(epoch: int) -> Files:
    """The news forum Moodle keeps in section 0 of every course, here with a German name."""
    files = _common_files()
    files.update(
        {
            "module.xml": _module("forum", 0, FORUM_MODULE_VERSION, None, 0, epoch),
            "forum.xml": _forum(epoch),
            "grades.xml": render(box("activity_gradebook", box("grade_items"), box("grade_letters"))),
            "grading.xml": render(box("areas")),
            "inforef.xml": render(box("inforef")),
        }
    )
    return {f"{forum_directory()}/{name}": data for name, data in files.items()}


def _common_files() -> Files:
    """The empty files every activity folder has (no user data, events, comments …)."""
    return {
        "calendar.xml": render(box("events")),
        "comments.xml": render(box("comments")),
        "competencies.xml": render(box("course_module_competencies", box("competencies"))),
        "completion.xml": render(box("completions", box("completionviews"))),
        "filters.xml": render(box("filters", box("filter_actives"), box("filter_configs"))),
        "grade_history.xml": render(box("grade_history", box("grade_grades"))),
        "roles.xml": render(box("roles", box("role_overrides"), box("role_assignments"))),
        "xapistate.xml": render(box("states")),
    }


def _module(
    modulename: str,
    number: int,
    version: int,
    idnumber: str | None,
    completion: int,
    epoch: int,
    cm: Callable[[int], int] = ids.cm,
) -> bytes:
    fields = leaves(
        {
            "modulename": modulename,
            "sectionid": ids.section(number),
            "sectionnumber": number,
            "idnumber": idnumber,
            "added": epoch,
            "score": 0,
            "indent": 0,
            "visible": 1,
            "visibleoncoursepage": 1,
            "visibleold": 1,
            "groupmode": 0,
            "groupingid": 0,
            "completion": completion,
            "completiongradeitemnumber": None,
            "completionpassgrade": 0,
            "completionview": 0,
            "completionexpected": 0,
            "availability": None,
            "showdescription": 0,
            "downloadcontent": 1,
            "lang": None,
        }
    )
    return render(box("module", fields, box("tags"), id=cm(number), version=version))


def _scorm(activity: ScormActivity, epoch: int) -> bytes:
    package = activity.package
    number = activity.number
    launch = package.launch_index
    player = player_fields()
    fields = leaves(
        {
            "name": activity.name,
            "scormtype": "local",
            "reference": package.filename,
            "intro": activity.intro,
            "introformat": 1,
            "version": package.version,
            "maxgrade": player["maxgrade"],
            "grademethod": player["grademethod"],
            "whatgrade": player["whatgrade"],
            "maxattempt": player["maxattempt"],
            "forcecompleted": player["forcecompleted"],
            "forcenewattempt": player["forcenewattempt"],
            "lastattemptlock": player["lastattemptlock"],
            "masteryoverride": player["masteryoverride"],
            "displayattemptstatus": player["displayattemptstatus"],
            "displaycoursestructure": player["displaycoursestructure"],
            "updatefreq": 0,
            "sha1hash": package.sha1,
            "md5hash": "",
            "revision": 1,
            "launch": "" if launch is None else ids.sco(number, launch),
            "skipview": player["skipview"],
            "hidebrowse": player["hidebrowse"],
            "hidetoc": player["hidetoc"],
            "nav": player["nav"],
            "navpositionleft": -100,
            "navpositiontop": -100,
            "auto": player["auto"],
            "popup": player["popup"],
            "options": "",
            "width": player["width"],
            "height": player["height"],
            "timeopen": 0,
            "timeclose": 0,
            "timemodified": epoch,
            "completionstatusrequired": STATUS_PASSED_OR_COMPLETED,
            "completionscorerequired": activity.pass_mark,
            "completionstatusallscos": 0,
            "autocommit": 0,
        }
    )
    scorm = box("scorm", fields, box("scoes", _scoes(number, package)), id=number)
    return render(
        box(
            "activity",
            scorm,
            id=number,
            moduleid=ids.cm(number),
            modulename="scorm",
            contextid=ids.context(number),
        )
    )


def _scoes(number: int, package: ScormPackage) -> list[Node]:
    nodes = []
    data_index = 0
    for index, sco in enumerate(package.scoes):
        datas = []
        for name, value in sco.data:
            datas.append(
                box("sco_data", leaf("name", name), leaf("value", value), id=ids.sco_data(number, data_index))
            )
            data_index += 1
        fields = leaves(
            {
                "manifest": sco.manifest,
                "organization": sco.organization,
                "parent": sco.parent,
                "identifier": sco.identifier,
                "launch": sco.launch,
                "scormtype": sco.scormtype,
                "title": sco.title,
                "sortorder": index + 1,
            }
        )
        empty = [box(tag) for tag in ("seq_ruleconds", "seq_rolluprules", "seq_objectives", "sco_tracks")]
        nodes.append(box("sco", fields, box("sco_datas", datas), empty, id=ids.sco(number, index)))
    return nodes


def _grade_item(activity: ScormActivity, epoch: int, weight: float) -> Node:
    item = GradeItem(
        id=ids.grade_item(activity.number),
        itemtype="mod",
        iteminstance=activity.number,
        sortorder=activity.number + 1,
        grademax=100,
        categoryid=ids.GRADE_CATEGORY,
        itemname=activity.name,
        itemmodule="scorm",
        itemnumber=0,
        idnumber=activity.idnumber,
        gradepass=activity.pass_mark,
        weight=weight,
    )
    return grade_item_node(item, epoch)


def _forum(epoch: int) -> bytes:
    fields = leaves(
        {
            "type": "news",
            "name": NEWS_FORUM_NAME,
            "intro": NEWS_FORUM_INTRO,
            "introformat": 1,
            "duedate": 0,
            "cutoffdate": 0,
            "assessed": 0,
            "assesstimestart": 0,
            "assesstimefinish": 0,
            "scale": 0,
            "maxbytes": 0,
            "maxattachments": 1,
            "forcesubscribe": 1,
            "trackingtype": 1,
            "rsstype": 0,
            "rssarticles": 0,
            "timemodified": epoch,
            "warnafter": 0,
            "blockafter": 0,
            "blockperiod": 0,
            "completiondiscussions": 0,
            "completionreplies": 0,
            "completionposts": 0,
            "displaywordcount": 0,
            "lockdiscussionafter": 0,
            "grade_forum": 0,
        }
    )
    empty = [
        box(tag)
        for tag in (
            "discussions",
            "subscriptions",
            "digests",
            "readposts",
            "trackedprefs",
            "poststags",
            "grades",
        )
    ]
    forum = box("forum", fields, empty, id=ids.NEWS_FORUM)
    return render(
        box(
            "activity",
            forum,
            id=ids.NEWS_FORUM,
            moduleid=ids.cm(0),
            modulename="forum",
            contextid=ids.context(0),
        )
    )
