"""`scm-lms lms setup`: category and template naming on the fake site, request shapes on the recordings."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import responses
from click.testing import Result

from course_package.source import load_course
from scm_lms.moodle import CourseUpdate, NewCategory, courses
from scm_lms.provision.setup import Template
from testkit.fake_moodle import FakeMoodle, lms, site_env
from testkit.moodle_replay import TOKEN_VALUE, load, replaying, respond_with

ROOT = Path(__file__).parents[1]
SOURCE = load_course()
TEMPLATE = Template.of(SOURCE, "SCM-TEMPLATE")
FULLNAME = TEMPLATE.fullname
WRITES = ("core_course_create_categories", "core_course_update_courses")


def _programme(tmp_path: Path) -> Path:
    path = tmp_path / "programme.yaml"
    shutil.copy(ROOT / "examples" / "programme-2024.yaml", path)
    return path


def _restored(site: FakeMoodle, shortname: str = "SCM-TEMPLATE_1", fullname: str = FULLNAME) -> int:
    """A course as Moodle restores SCM-TEMPLATE.mbz beside a taken short name: no idnumber, five SCORMs."""
    number = site.add_course("", shortname, fullname)
    for name in sorted(TEMPLATE.activities):
        site.add_scorm(number, name)
    return number


def _setup(tmp_path: Path, *args: str) -> Result:
    result = lms(_programme(tmp_path), "setup", *args, env=site_env(tmp_path))
    assert TOKEN_VALUE not in _text(result)
    return result


def _text(result: Result) -> str:
    """The output with line wrapping undone."""
    return " ".join(result.output.split())


def test_template_names_come_from_course_yaml() -> None:
    assert FULLNAME == "Smart City Manager – Kursvorlage"
    assert TEMPLATE.shortname == "SCM-TEMPLATE"
    assert len(TEMPLATE.activities) == 5
    assert all(name.startswith("Modul ") for name in TEMPLATE.activities)


def test_plan_is_read_only_then_apply_converges_and_a_rerun_has_nothing_to_do(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, template=False, category=False)
        number = _restored(site)
        planned = _setup(tmp_path)
        assert planned.exit_code == 0, planned.output
        assert "anlegen" in _text(planned) and "Kursbereich „Smart City Manager 2024“" in _text(planned)
        assert "ID-Nummer „“ → „SCM-TEMPLATE“" in _text(planned)
        assert "Kurzname „SCM-TEMPLATE_1“ → „SCM-TEMPLATE“" in _text(planned)
        assert "scm-lms lms setup --apply" in _text(planned)
        assert not any(site.calls[name] for name in WRITES)

        applied = _setup(tmp_path, "--apply", "--yes")
        assert applied.exit_code == 0, applied.output
        assert site.course("SCM-TEMPLATE") == site.courses[number]
        assert site.courses[number]["shortname"] == "SCM-TEMPLATE"
        assert [c["idnumber"] for c in site.categories.values()] == ["SCM-2024"]

        again = _setup(tmp_path, "--apply", "--yes")
        assert again.exit_code == 0, again.output
        assert "Nichts zu tun für das Toolkit" in _text(again)
        assert site.calls["core_course_create_categories"] == 1
        assert site.calls["core_course_update_courses"] == 1


def test_a_look_alike_course_with_the_same_name_is_never_modified(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, template=False)
        impostor = site.add_course("", "SCM-TEMPLATE", FULLNAME)  # same names, no SCORM activities
        site.add_scorm(impostor, "Modul 1 – etwas anderes")
        before = dict(site.courses[impostor])
        number = _restored(site)
        result = _setup(tmp_path, "--apply", "--yes")
        assert result.exit_code == 0, result.output
        assert site.courses[impostor] == before
        assert "ist aber nicht die Vorlage; wird nicht angefasst" in _text(result)
        assert site.courses[number]["idnumber"] == "SCM-TEMPLATE"
        assert site.courses[number]["shortname"] == "SCM-TEMPLATE_1"  # the short name belongs to the other
        assert "Kurzname bleibt „SCM-TEMPLATE_1“" in _text(result)


def test_several_restored_copies_are_refused_and_nothing_is_changed(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, template=False)
        _restored(site, "SCM-TEMPLATE_1")
        _restored(site, "SCM-TEMPLATE_2")
        result = _setup(tmp_path, "--apply", "--yes")
        assert result.exit_code == 1
        assert "blockiert" in _text(result) and "Mehrere Kurse sehen wie die Vorlage aus" in _text(result)
        assert not any(site.calls[name] for name in WRITES)


def test_the_idnumber_on_a_course_that_is_not_the_template_blocks(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)  # its SCM-TEMPLATE course has no SCORM activities
        _restored(site)
        result = _setup(tmp_path, "--apply", "--yes")
        assert result.exit_code == 1
        assert "trägt die ID-Nummer SCM-TEMPLATE, hat aber nicht die SCORM-Aktivitäten" in _text(result)
        assert not any(site.calls[name] for name in WRITES)


def test_a_missing_template_and_what_stays_manual_are_listed(tmp_path: Path) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps, template=False)
        result = _setup(tmp_path)
        assert result.exit_code == 0, result.output
        assert "Vorlagekurs „Smart City Manager – Kursvorlage“ (SCM-TEMPLATE) nicht gefunden" in _text(result)
        assert "Nur von Hand" in _text(result)
        assert "SCM-TEMPLATE.mbz" in _text(result) and "Kurs wiederherstellen" in _text(result)
        assert "Nutzerprofilfelder" in _text(result) and "scm_certificate" in _text(result)
        assert "Sprache" in _text(result)
        assert "Kursbereich „Durchgänge 2024“ (ID-Nummer SCM-2024" in _text(result)
        assert not any(site.calls[name] for name in WRITES)


# --- the requests setup sends, on the recordings ---------------------------------------------------------


def test_create_category_and_name_template_send_the_recorded_fields() -> None:
    ignore = ("categories[0][description]", "categories[0][descriptionformat]")
    with replaying("core_course_create_categories", ignore=ignore) as moodle:
        row = NewCategory(name="Smart City Manager", parent=0, idnumber="SCM")
        assert [c.id for c in courses.create_categories(moodle, [row]).records] == [2]
    dates = ("courses[0][summary]", "courses[0][startdate]", "courses[0][enddate]")
    with replaying("core_course_update_courses", ignore=dates) as moodle:
        assert not courses.update_courses(moodle, [CourseUpdate(id=3)]).warnings


def test_setup_on_recorded_replies_sends_the_recorded_shapes(tmp_path: Path) -> None:
    """Every reply is a recorded Moodle 4.5 body (names changed to the template's); requests are checked."""
    course = {**load("core_course_get_courses_by_field")["response"]["courses"][0]}
    course.update(fullname=FULLNAME, shortname="SCM-TEMPLATE_1", idnumber="")
    activity = load("mod_scorm_get_scorms_by_courses")["response"]["scorms"][0]
    scorms = [{**activity, "name": name, "course": course["id"]} for name in sorted(TEMPLATE.activities)]
    replies: dict[str, Any] = {
        "core_webservice_get_site_info": load("core_webservice_get_site_info")["response"],
        "core_course_get_categories": load("core_course_get_categories--not-found")["response"],
        "core_course_get_courses_by_field": {"courses": [course], "warnings": []},
        "mod_scorm_get_scorms_by_courses": {"scorms": scorms, "warnings": []},
        "core_user_get_users_by_field": load("core_user_get_users_by_field")["response"][:1],
        "core_course_create_categories": load("core_course_create_categories")["response"],
        "core_course_update_courses": load("core_course_update_courses")["response"],
    }
    with responses.RequestsMock() as rsps:
        calls = respond_with(
            rsps, "/webservice/rest/server.php", lambda sent: replies[dict(sent)["wsfunction"]]
        )
        result = _setup(tmp_path, "--apply", "--yes")
    assert result.exit_code == 0, result.output
    sent = {fields["wsfunction"]: fields for fields in (dict(call) for call in calls)}
    assert "field" not in sent["core_course_get_courses_by_field"]  # all courses (course/externallib.php)
    assert sent["mod_scorm_get_scorms_by_courses"]["courseids[0]"] == str(course["id"])
    created = {k: v for k, v in sent["core_course_create_categories"].items() if k.startswith("categories")}
    assert created == {
        "categories[0][name]": "Smart City Manager 2024",
        "categories[0][parent]": "0",
        "categories[0][idnumber]": "SCM-2024",
    }
    updated = {k: v for k, v in sent["core_course_update_courses"].items() if k.startswith("courses")}
    assert updated == {
        "courses[0][id]": str(course["id"]),
        "courses[0][shortname]": "SCM-TEMPLATE",
        "courses[0][idnumber]": "SCM-TEMPLATE",
    }
