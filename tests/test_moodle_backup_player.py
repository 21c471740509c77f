"""What a participant meets in the template course: the player settings of each SCORM activity, the texts of
the course page, and the `validate` rule that catches a backup whose activities show Moodle's navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from course_package.model import Course
from scorm.moodle_backup.player import PLAYER_SETTINGS
from scorm.moodle_backup.section_texts import CONTACT_PLACEHOLDER, module_summary_html, welcome_html
from scorm.moodle_backup.validate import validate_mbz
from scorm.moodle_backup.validate_player import CODE
from testkit.moodle_backup import REFERENCE, five_module_course, template_files, write_files

Files = dict[str, bytes]
SCORM_XML = "activities/scorm_201/scorm.xml"


@pytest.fixture(scope="module")
def course() -> Course:
    return five_module_course()


@pytest.fixture(scope="module")
def files() -> Files:
    return template_files()


def scorm_fields(data: bytes) -> dict[str, str]:
    scorm = etree.fromstring(data).find("scorm")
    assert scorm is not None
    return {str(child.tag): child.text or "" for child in scorm if not len(child)}


def plain(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


# --- player settings ---------------------------------------------------------------------------------------


def test_every_scorm_activity_has_one_set_of_controls_and_no_entry_page_first(files: Files) -> None:
    folders = sorted({name.split("/")[1] for name in files if name.startswith("activities/scorm_")})
    assert len(folders) == 5
    for folder in folders:
        fields = scorm_fields(files[f"activities/{folder}/scorm.xml"])
        # Moodle 4.5 constants: SCORM_NAV_DISABLED 0, SCORM_TOC_DISABLED 3, SCORM_SKIPVIEW_FIRST 1.
        assert (fields["nav"], fields["hidetoc"], fields["skipview"]) == ("0", "3", "1"), folder
        assert (fields["popup"], fields["width"], fields["height"]) == ("0", "100", "680"), folder
        assert (fields["hidebrowse"], fields["displaycoursestructure"], fields["auto"]) == ("1", "0", "0")
        assert fields["displayattemptstatus"] == "1"
        # Attempts and grading unchanged: unlimited, best attempt, highest grade of 100, SCO status kept.
        assert {k: fields[k] for k in ("maxattempt", "whatgrade", "grademethod", "maxgrade")} == {
            "maxattempt": "0",
            "whatgrade": "0",
            "grademethod": "1",
            "maxgrade": "100",
        }
        kept = (fields["forcecompleted"], fields["forcenewattempt"], fields["masteryoverride"])
        assert kept == ("0", "0", "1")


def test_the_settings_table_names_every_field_once_with_a_german_label() -> None:
    names = [setting.field for setting in PLAYER_SETTINGS]
    assert len(names) == len(set(names))
    assert all(":" in setting.label for setting in PLAYER_SETTINGS)


# --- course page -------------------------------------------------------------------------------------------


def test_section_zero_explains_the_programme(course: Course) -> None:
    text = plain(welcome_html(course))
    assert "Willkommen zur Qualifizierung „Testkurs Smart City“" in text
    assert "zwei Live-Vormittage mit einem Selbstlernmodul" in text
    assert "vor dem ersten Vormittag" in text and "danach noch einmal" in text
    assert "40 Stunden an zehn Vormittagen, jeweils 09:00 bis 13:00 Uhr" in text
    assert CONTACT_PLACEHOLDER in text
    assert "Vormittag 1:" not in text  # no session plan: each module section names its own mornings


def test_the_contact_from_course_yaml_replaces_the_placeholder(course: Course) -> None:
    moodle = course.moodle.model_copy(update={"contact": "das Programmbüro (smartcity@example.de)"})
    text = plain(welcome_html(course.model_copy(update={"moodle": moodle})))
    assert "Wenden Sie sich an das Programmbüro (smartcity@example.de)." in text
    assert CONTACT_PLACEHOLDER not in text


def test_module_sections_show_up_to_three_goals_mornings_and_pass_mark(course: Course, files: Files) -> None:
    for module in course.modules:
        root = etree.fromstring(files[f"sections/section_{100 + module.number}/section.xml"])
        summary = root.findtext("summary") or ""
        assert summary == module_summary_html(course, module)
        items = re.findall(r"<li>(.*?)</li>", summary)
        assert items == module.objectives[:3]
        first, second = module.sessions
        assert f"Live-Vormittage {first} (Thema des {first}. Vormittags) und {second}" in summary
        assert f"bestanden ab {module.pass_mark} von 100 Punkten" in summary
        assert root.findtext("sequence") == str(200 + module.number)  # the SCORM activity sits right below


def test_more_than_three_goals_are_marked_as_a_selection(course: Course) -> None:
    module = course.modules[0].model_copy(update={"objectives": [f"Ziel {n}." for n in range(1, 6)]})
    summary = module_summary_html(course, module)
    assert "Ziele (Auswahl)" in summary
    assert re.findall(r"<li>(.*?)</li>", summary) == ["Ziel 1.", "Ziel 2.", "Ziel 3."]


def test_activity_completion_is_shown_and_automatic(files: Files) -> None:
    course_xml = etree.fromstring(files["course/course.xml"])
    assert course_xml.findtext("enablecompletion") == "1"
    assert course_xml.findtext("showcompletionconditions") == "1"
    module = etree.fromstring(files["activities/scorm_201/module.xml"])
    assert module.findtext("completion") == "2"


# --- validate rule -----------------------------------------------------------------------------------------


def test_the_built_template_has_no_player_findings(tmp_path: Path, files: Files) -> None:
    report = validate_mbz(write_files(tmp_path / "ok.mbz", files))
    assert report.valid and CODE not in report.codes()


def test_navigation_enabled_in_a_tampered_backup_is_named_with_the_expected_value(
    tmp_path: Path, files: Files
) -> None:
    tampered = dict(files)
    tampered[SCORM_XML] = files[SCORM_XML].replace(b"<nav>0</nav>", b"<nav>1</nav>")
    assert tampered[SCORM_XML] != files[SCORM_XML]
    report = validate_mbz(write_files(tmp_path / "nav.mbz", tampered))
    findings = [f for f in report.findings if f.code == CODE]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.level == "warning" and finding.file == SCORM_XML
    assert "nav = 1, erwartet 0 (Navigationsschaltflächen anzeigen: Nein)" in finding.message
    assert "Modul 1 – Grundlagen der Smart City" in finding.message


def test_moodles_defaults_in_the_reference_backup_are_reported_but_still_valid() -> None:
    report = validate_mbz(REFERENCE)
    fields = {re.findall(r"“: (\w+) = ", f.message)[0] for f in report.findings if f.code == CODE}
    assert fields == {"skipview", "hidebrowse", "hidetoc", "nav", "height"}
    assert all(f.level == "warning" for f in report.findings if f.code == CODE)
