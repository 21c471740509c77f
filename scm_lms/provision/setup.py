"""What `lms setup` finds on a Moodle site and may change there; everything else it can only report.

Read-only first: the plan says what is in place, what the toolkit would create or set (the course category,
the restored template's idnumber and shortname) and what only an admin can do. A course is changed only when
it is the template both by name (course.yaml) and by structure (its SCORM activities are the template's), so a
look-alike course someone else owns is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from course_package.model import Course as CourseSource
from scm_lms.moodle import CourseUpdate, MoodleClient, NewCategory, courses, scorm, site, users
from scm_lms.moodle.models import Course, SiteInfo
from scm_lms.programme import Programme
from scorm.moodle_backup.course import activity_name, template_fullname

Status = Literal["ok", "create", "change", "manual", "blocked", "ignored"]

SERVICE_PATH = "Website-Administration › Server › Webservices › Externe Webservices › Funktionen"
RESTORE_PATH = (
    "Website-Administration › Kurse › Kurs wiederherstellen (Site administration › Courses › Restore course)"
)
LANGUAGE_PATH = (
    "Website-Administration › Sprache › Sprachpakete (Site administration › Language › Language packs)"
)
FIELD_PATH = (
    "Website-Administration › Nutzer/innen › Konten › Nutzerprofilfelder › Neues Profilfeld: Texteingabe "
    "(Site administration › Users › Accounts › User profile fields)"
)


@dataclass(frozen=True)
class Template:
    """How the restored template is recognised: course.yaml's names and the activities the .mbz carries."""

    fullname: str
    shortname: str
    idnumber: str
    """moodle.template_course of the programme file: what provisioning looks the template up by."""
    activities: frozenset[str]

    @classmethod
    def of(cls, source: CourseSource, idnumber: str) -> Template:
        names = frozenset(activity_name(module) for module in source.modules)
        return cls(template_fullname(source), source.moodle.shortname, idnumber, names)

    def named_like(self, course: Course) -> bool:
        """Same full name, short name (restoring beside a taken one appends _1, _2 …) or idnumber."""
        suffixed = re.fullmatch(re.escape(self.shortname) + r"(_\d+)?", course.shortname) is not None
        return course.fullname == self.fullname or suffixed or course.idnumber == self.idnumber


@dataclass(frozen=True)
class Finding:
    status: Status
    text: str


@dataclass
class SetupPlan:
    findings: list[Finding] = field(default_factory=list)
    manual: list[str] = field(default_factory=list)
    """What only an admin can do, each with the menu path."""
    category: NewCategory | None = None
    course: CourseUpdate | None = None

    def add(self, status: Status, text: str) -> None:
        self.findings.append(Finding(status, text))

    @property
    def changes(self) -> bool:
        return self.category is not None or self.course is not None

    @property
    def blocked(self) -> bool:
        return any(finding.status == "blocked" for finding in self.findings)


def read_setup(client: MoodleClient, programme: Programme, template: Template) -> SetupPlan:
    """Every check, read-only; the plan holds at most one category to create and one course update."""
    info = site.get_site_info(client)
    plan = SetupPlan()
    _functions(plan, info)
    _language(plan, client, info, programme.moodle.lang)
    _category(plan, client, info, programme)
    _template(plan, client, info, template)
    _profile_field(plan, client, info, programme.moodle.certificate_field)
    return plan


def _functions(plan: SetupPlan, info: SiteInfo) -> None:
    missing = site.missing_functions(info)
    if not missing:
        plan.add("ok", f"Webservice-Funktionen: alle {len(site.REQUIRED_FUNCTIONS)} benötigten freigegeben")
        return
    plan.add("manual", f"Webservice-Funktionen: {len(missing)} fehlen dem Dienst des Tokens")
    plan.manual.append(
        f"Dem Dienst des Tokens diese Funktionen hinzufügen ({SERVICE_PATH}): " + ", ".join(missing)
    )


def _language(plan: SetupPlan, client: MoodleClient, info: SiteInfo, lang: str) -> None:
    installed = site.language_installed(client, info, lang)
    if installed:
        plan.add("ok", f"Sprache „{lang}“ (moodle.lang) ist installiert")
        return
    plan.add("manual", site.language_problem(installed, lang))
    if installed is False:
        plan.manual.append(f"Sprachpaket „{lang}“ installieren ({LANGUAGE_PATH}) oder moodle.lang ändern")
    else:
        plan.manual.append(
            f"Prüfen, ob das Sprachpaket „{lang}“ installiert ist, sonst installieren ({LANGUAGE_PATH}); "
            f"mit {site.LANGUAGE_PROBE} im Dienst prüft „lms setup“ das selbst"
        )


def _unavailable(plan: SetupPlan, info: SiteInfo, what: str, *functions: str) -> bool:
    """True (and noted) when the service lacks a function this check needs."""
    lacking = [name for name in functions if name not in info.function_names]
    if lacking:
        plan.add("manual", f"{what}: nicht geprüft, dem Dienst fehlt {', '.join(lacking)}")
    return bool(lacking)


def _category(plan: SetupPlan, client: MoodleClient, info: SiteInfo, programme: Programme) -> None:
    idnumber = programme.moodle.category
    if _unavailable(plan, info, f"Kursbereich {idnumber}", "core_course_get_categories"):
        return
    found = courses.get_categories(client, "idnumber", idnumber)
    if found:
        plan.add(
            "ok", f"Kursbereich „{found[0].name}“ (ID-Nummer {idnumber}, ID {found[0].id}) ist vorhanden"
        )
        return
    name = f"Smart City Manager {programme.year}"
    if _unavailable(plan, info, f"Kursbereich {idnumber} fehlt und", "core_course_create_categories"):
        return
    plan.category = NewCategory(name=name, parent=0, idnumber=idnumber)
    plan.add("create", f"Kursbereich „{name}“ mit ID-Nummer {idnumber} anlegen (oberste Ebene)")


def _template(plan: SetupPlan, client: MoodleClient, info: SiteInfo, template: Template) -> None:
    needed = ("core_course_get_courses_by_field", "mod_scorm_get_scorms_by_courses")
    if _unavailable(plan, info, "Vorlagekurs", *needed):
        return
    every = courses.get_all_courses(client).courses
    named = [course for course in every if template.named_like(course)]
    activities: dict[int, set[str]] = {course.id: set() for course in named}
    if named:
        for activity in scorm.get_scorms(client, [course.id for course in named]).scorms:
            activities.setdefault(activity.course, set()).add(activity.name)
    matches = [course for course in named if activities[course.id] == template.activities]
    holder = next((course for course in every if course.idnumber == template.idnumber), None)
    others = [course for course in named if course not in matches]
    if holder is not None and holder not in matches:
        plan.add(
            "blocked",
            f"Kurs „{holder.fullname}“ (ID {holder.id}) trägt die ID-Nummer {template.idnumber}, hat aber "
            "nicht die SCORM-Aktivitäten der Vorlage; nichts geändert. Ist er nicht die Vorlage, dort die "
            "ID-Nummer entfernen; sonst die Vorlage neu wiederherstellen oder moodle.template_course ändern.",
        )
        return
    if holder is not None:
        plan.add(
            "ok", f"Vorlagekurs „{holder.fullname}“ (ID {holder.id}) hat die ID-Nummer {template.idnumber}"
        )
        _ignored(plan, [course for course in named if course.id != holder.id])
        return
    if not matches:
        plan.add("manual", f"Vorlagekurs „{template.fullname}“ ({template.shortname}) nicht gefunden")
        _ignored(plan, others)
        plan.manual.append(
            f"{template.shortname}.mbz (aus „scm-lms build --format moodle“) als neuen Kurs wiederherstellen "
            f"({RESTORE_PATH}), dann „scm-lms lms setup“ erneut ausführen"
        )
        return
    if len(matches) > 1:
        listed = ", ".join(f"„{course.fullname}“ (ID {course.id}, {course.shortname})" for course in matches)
        plan.add(
            "blocked",
            f"Mehrere Kurse sehen wie die Vorlage aus: {listed}; nichts geändert. Überzählige Kopien "
            f"löschen oder beim richtigen Kurs von Hand die ID-Nummer {template.idnumber} setzen.",
        )
        return
    _name_template(plan, info, template, matches[0], every)
    _ignored(plan, others)


def _name_template(
    plan: SetupPlan, info: SiteInfo, template: Template, course: Course, every: list[Course]
) -> None:
    """The one restored copy gets the programme's idnumber and, if free, the shortname of course.yaml."""
    changes = [f"ID-Nummer „{course.idnumber}“ → „{template.idnumber}“"]
    shortname: str | None = None
    if course.shortname != template.shortname:
        taker = next((other for other in every if other.shortname == template.shortname), None)
        if taker is None:
            shortname = template.shortname
            changes.append(f"Kurzname „{course.shortname}“ → „{template.shortname}“")
        else:
            changes.append(
                f"Kurzname bleibt „{course.shortname}“ ({template.shortname} hat Kurs ID {taker.id})"
            )
    what = f"Vorlagekurs „{course.fullname}“ (ID {course.id})"
    if _unavailable(plan, info, what + " ist zu benennen und", "core_course_update_courses"):
        return
    plan.course = CourseUpdate(id=course.id, idnumber=template.idnumber, shortname=shortname)
    plan.add("change", f"{what}: " + ", ".join(changes))


def _ignored(plan: SetupPlan, others: list[Course]) -> None:
    for course in others:
        plan.add(
            "ignored",
            f"Kurs „{course.fullname}“ (ID {course.id}, {course.shortname}) heißt ähnlich, ist aber "
            "nicht die Vorlage; wird nicht angefasst",
        )


def _profile_field(plan: SetupPlan, client: MoodleClient, info: SiteInfo, shortname: str) -> None:
    """Moodle reports only profile fields that hold a value (user/lib.php user_get_user_details skips empty
    ones), so an empty field cannot be told from a missing one: seen on the token user, else left to the
    admin."""
    if "core_user_get_users_by_field" in info.function_names:
        own = users.get_users(client, "id", [info.userid])
        if own and own[0].customfield(shortname) is not None:
            plan.add("ok", f"Profilfeld „{shortname}“ ist vorhanden")
            return
    plan.add(
        "manual",
        f"Profilfeld „{shortname}“ (moodle.certificate_field): per Webservice nicht prüfbar, Moodle meldet "
        "nur Felder mit Wert",
    )
    plan.manual.append(
        f"Falls noch nicht vorhanden: Profilfeld mit Kurzname „{shortname}“ anlegen ({FIELD_PATH}), "
        "gesperrt, nicht eindeutig, Sichtbarkeit „für Nutzer/in sichtbar“"
    )
