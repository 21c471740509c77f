"""The template course's names come from course.yaml's `moodle:` block; provisioning finds it by idnumber."""

from __future__ import annotations

from course_package.model import MoodleTemplate
from scorm.moodle_backup.from_build import template_course
from testkit.moodle_backup import EPOCH, five_module_course


def test_defaults_name_the_template_scm_template() -> None:
    template = template_course(five_module_course(), epoch=EPOCH)
    assert (template.shortname, template.idnumber) == ("SCM-TEMPLATE", "SCM-TEMPLATE")
    assert template.filename == "SCM-TEMPLATE.mbz"
    assert template.fullname == "Testkurs Smart City – Qualifizierung für Kommunen"


def test_names_from_the_course_source_reach_the_backup() -> None:
    course = five_module_course().model_copy(
        update={
            "moodle": MoodleTemplate(
                fullname="SCM Vorlage 2025", shortname="SCM-VORLAGE-25", idnumber="SCM-V25"
            )
        }
    )
    template = template_course(course, epoch=EPOCH)
    assert (template.fullname, template.shortname, template.idnumber) == (
        "SCM Vorlage 2025",
        "SCM-VORLAGE-25",
        "SCM-V25",
    )
    assert template.filename == "SCM-VORLAGE-25.mbz"
