"""`scm-lms lms certify` against Moodle: exact replays of the recordings for every call shape we send, and
end-to-end runs on the provisioning tests' recording-based fake site (decide, dry run, issue, write back,
idempotent re-run, re-issue after a grade change)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import responses

from scm_lms.certify.collect import CertifyError, assess
from scm_lms.certify.register import Register
from scm_lms.certify.writeback import Step, WritebackPlan, apply_writeback
from scm_lms.ledger import DEFAULT_NAME
from scm_lms.moodle import UserUpdate
from scm_lms.programme import Certification, load_programme
from scm_lms.provision.journal import Journal, SiteRef, site_identity
from testkit.cert_site import CertSite, certify, setup, signing_key, userid_of
from testkit.certify_grades import RECORDING
from testkit.cli_run import run
from testkit.fake_moodle import recorded
from testkit.moodle_replay import SITE, replaying
from testkit.programme_text import set_certification

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
__all__ = ["setup"]  # the fixture


def _programme(require_completion: bool, grade_items: Mapping[int, int]) -> Any:
    loaded = load_programme(EXAMPLE)
    rules = Certification(require_completion=require_completion, grade_items=dict(grade_items))
    return loaded.model_copy(update={"certification": rules})


# --- exact replays ---------------------------------------------------------------------------------------


def test_assess_replays_course_lookup_and_one_grade_report_for_all_users() -> None:
    names = ("core_course_get_courses_by_field", RECORDING)
    with replaying(*names) as client:
        assessment = assess(client, _programme(False, {1: 4}), "2024-D2")
    by_id = {d.idnumber: d for d in assessment.decisions}
    assert sorted(by_id) == ["SCM-2024-D2-001", "SCM-2024-D2-002", "SCM-2024-D2-003"]
    assert by_id["SCM-2024-D2-001"].percents == {1: "85 %", 2: "–", 3: "–", 4: "–", 5: "–"}
    assert by_id["SCM-2024-D2-001"].reasons[0] == "Modul 2: kein Ergebnis"
    assert by_id["SCM-2024-D2-003"].reasons[0] == "Modul 1: kein Ergebnis"
    assert not assessment.passed


def test_completion_replayed_and_missing_criteria_explained() -> None:
    names = (
        "core_course_get_courses_by_field",
        RECORDING,
        "core_completion_get_course_completion_status--no-criteria",
    )
    with replaying(*names) as client, pytest.raises(CertifyError, match="keine Abschlusskriterien"):
        assess(client, _programme(True, {1: 4}), "2024-D2")


def test_field_update_sends_the_recorded_customfield_shape(tmp_path: Path) -> None:
    field_value = UserUpdate(id=3, customfields={"scm_certificate": "SCM-2024-D2-001-ZERT"})
    plan = WritebackPlan(
        "2024-D2",
        "2024-D2-zertifiziert",
        "scm_certificate",
        (
            Step(
                "field", "update", "SCM-2024-D2-001", "SCM-2024-D2-001", "", moodle_id=3, payload=field_value
            ),
        ),
    )
    journal = Journal(tmp_path / "journal.jsonl")
    with replaying("core_user_update_users", ignore=("users[0][department]",)) as client:
        applied = apply_writeback(client, plan, journal)
    assert [step.key for step in applied.done] == ["SCM-2024-D2-001"] and not applied.failed
    entries = list(journal.entries())
    assert entries[1]["area"] == "certificate-field" and entries[1]["status"] == "ok"
    assert entries[1]["sent"] == {"scm_certificate": "SCM-2024-D2-001-ZERT"}
    assert "wstoken" not in journal.path.read_text() and "f3c9a1d2" not in journal.path.read_text()


# --- end to end on the fake site -------------------------------------------------------------------------


def test_decide_only_prints_reasons_and_writes_nothing(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, ids = setup
    site.grades[userid_of(site, ids[1])][3] = 72
    site.completed.discard(userid_of(site, ids[2]))
    result = certify(programme)
    assert result.exit_code == 0, result.output
    assert "Modul 3: 72 % < 80 %" in result.output and "Kursabschluss fehlt" in result.output
    assert "1 von 3 bestanden." in result.output
    for person in ids:
        assert person in result.output
    assert site.calls["gradereport_user_get_grade_items"] == 1 and site.writes() == 0
    data = json.loads(certify(programme, "--json").output)
    reasons = {d["idnumber"]: d["reasons"] for d in data["decisions"]}
    assert reasons == {ids[0]: [], ids[1]: ["Modul 3: 72 % < 80 %"], ids[2]: ["Kursabschluss fehlt"]}
    assert not (programme.parent / "zertifikate").exists()


def test_issue_dry_run_then_issue_then_rerun_is_idempotent(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, ids = setup
    key = programme.parent / "keys" / "signatur.key"
    assert run("cert", "keygen", "--key", key)[0] == 0

    dry = certify(programme, "--issue", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Moodle: Globale Gruppe 2024-D2-zertifiziert anlegen fehlt noch" in dry.output
    assert f"Moodle: Profilfeld {ids[0]} setzen (leer) → (neue Nummer)" in dry.output
    assert "Probelauf: nichts ausgestellt" in dry.output
    assert site.writes() == 0 and site.cohort("2024-D2-zertifiziert") is None

    first = certify(programme, "--issue", "--key", key, "--date", "2024-10-31")
    assert first.exit_code == 0, first.output
    assert "Moodle: 7 Änderungen ausgeführt, 0 fehlgeschlagen." in first.output
    with Register.open(programme.parent / DEFAULT_NAME) as register:
        numbers = {c.reg_id: c.number for c in register.all("2024-D2")}
    assert sorted(numbers) == sorted(ids)
    cohort = site.cohort("2024-D2-zertifiziert")
    assert cohort is not None and sorted(site.members[cohort["id"]]) == sorted(
        userid_of(site, i) for i in ids
    )
    for reg_id, number in numbers.items():
        user = site.user(reg_id)
        assert user is not None and user["customfields"][0]["value"] == number
        pdf = programme.parent / "zertifikate" / "2024-D2" / f"{number}.pdf"
        assert pdf.exists()
    journal = (programme.parent / "journal" / "2024-D2.jsonl").read_text(encoding="utf-8")
    assert journal.count('"status": "ok"') == 7 and "Weiß" not in journal

    writes = site.writes()
    again = certify(programme, "--issue", "--key", key)
    assert again.exit_code == 0, again.output
    assert "Moodle: nichts zu ändern" in again.output
    assert site.writes() == writes
    for reg_id, number in numbers.items():
        assert f"{reg_id}: {number} vorhanden" in again.output


def test_grade_change_after_issue_needs_reissue(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, ids = setup
    key = signing_key(programme)
    assert certify(programme, "--issue", "--key", key).exit_code == 0
    with Register.open(programme.parent / DEFAULT_NAME) as register:
        old = register.current(ids[0], "2024-D2")
    assert old is not None
    site.grades[userid_of(site, ids[0])][2] = 99
    changed = certify(programme, "--issue", "--key", key)
    assert f"{ids[0]}: {old.number} geändert – Ergebnisse/Angaben geändert; mit --reissue neu ausstellen" in (
        changed.output
    )
    assert "Moodle: nichts zu ändern" in changed.output
    reissued = certify(programme, "--issue", "--reissue", "--key", key)
    assert reissued.exit_code == 0, reissued.output
    with Register.open(programme.parent / DEFAULT_NAME) as register:
        new = register.current(ids[0], "2024-D2")
        revoked = register.get(old.number)
    assert new is not None and new.number != old.number
    assert revoked is not None and revoked.revoked and revoked.replaced_by == new.number
    assert f"(ersetzt {old.number})" in reissued.output
    user = site.user(ids[0])
    assert user is not None and user["customfields"][0]["value"] == new.number


def test_issue_refuses_a_key_readable_by_others(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, _ = setup
    key = signing_key(programme)
    key.chmod(0o640)
    result = certify(programme, "--issue", "--key", key)
    assert result.exit_code == 1 and "für andere lesbar" in result.output
    assert site.total_calls == 0


def test_revoked_certificate_leaves_the_cohort_and_the_field(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, ids = setup
    key = signing_key(programme)
    assert certify(programme, "--issue", "--key", key).exit_code == 0
    db = programme.parent / DEFAULT_NAME
    with Register.open(db) as register:
        revoked = register.current(ids[1], "2024-D2")
    assert revoked is not None
    site.grades[userid_of(site, ids[1])][4] = 10  # no longer passes, so nothing is re-issued
    code, output = run("cert", "revoke", revoked.number, "--reason", "Täuschung", "--db", db)
    assert code == 0, output
    after = certify(programme, "--issue", "--key", key)
    assert after.exit_code == 0, after.output
    assert f"Moodle: Mitglied {ids[1]} entfernen kein gültiges Zertifikat mehr" in after.output
    assert f"Moodle: Profilfeld {ids[1]} setzen {revoked.number} → (leer)" in after.output
    cohort = site.cohort("2024-D2-zertifiziert")
    assert cohort is not None and userid_of(site, ids[1]) not in site.members[cohort["id"]]
    user = site.user(ids[1])
    assert user is not None and user["customfields"][0]["value"] == ""
    writes = site.writes() + site.calls["core_cohort_delete_cohort_members"]
    assert "Moodle: nichts zu ändern" in certify(programme, "--issue", "--key", key).output
    assert site.writes() + site.calls["core_cohort_delete_cohort_members"] == writes


def test_decide_only_without_ledger_creates_no_file(tmp_path: Path) -> None:
    programme = tmp_path / "programme.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")  # no ledger, so no attendance: the rule is switched off
    programme.write_text(
        set_certification(text, "  min_sessions: 0"),
        encoding="utf-8",
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = CertSite(rsps)
        site.add_course("SCM-2024-D2", "SCM-2024-D2", "Smart City Manager – Durchgang 2")
        userid = site.add_user("a.b", "a.b@example.de", "R-00000000A1", firstname="Ä", lastname="B")
        site.grades[userid] = {m: 80.0 for m in range(1, 6)}
        site.completed.add(userid)
        result = certify(programme)
    assert result.exit_code == 0, result.output
    assert "keine Zugelassenen für 2024-D2 im Ledger" in result.output
    assert "1 von 1 bestanden." in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programme.yaml"]


def test_failed_cohort_creation_skips_the_rest_and_a_rerun_finishes(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    from testkit.fake_moodle import Fault

    site, programme, ids = setup
    key = signing_key(programme)
    site.faults.append(Fault("core_cohort_create_cohorts", "503", times=10))
    failed = certify(programme, "--issue", "--key", key)
    assert failed.exit_code == 1
    assert "Fehler: Globale Gruppe 2024-D2-zertifiziert:" in failed.output
    assert f"Fehler: Mitglied {ids[0]}: übersprungen: die globale Gruppe konnte nicht angelegt werden" in (
        failed.output
    )
    assert "Moodle: 0 Änderungen ausgeführt, 7 fehlgeschlagen." in failed.output
    assert site.calls["core_user_update_users"] == 0
    site.faults.clear()
    done = certify(programme, "--issue", "--key", key)
    assert done.exit_code == 0, done.output
    assert "Moodle: 7 Änderungen ausgeführt, 0 fehlgeschlagen." in done.output
    for reg_id in ids:
        assert f"{reg_id}: SCM-2024-D2-" in done.output and "vorhanden" in done.output


def test_moodle_warnings_and_unmapped_items_are_shown(setup: tuple[CertSite, Path, list[str]]) -> None:
    site, programme, ids = setup
    warning = recorded("core_user_update_users--nonexistent-user")["warnings"][0]  # Moodle's warning shape
    site.report_warnings = [{**warning, "message": "Some grades are not visible"}]
    del site.grades[userid_of(site, ids[2])][5]
    result = certify(programme)
    assert "Warnung: Moodle meldet zur Notenübersicht: Some grades are not visible" in result.output
    assert "nicht bestanden: Modul 5: kein Ergebnis" in result.output


def test_a_hand_added_cohort_member_the_ledger_does_not_own_stays(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    """Write-back only removes accounts of this ledger from the certified cohort (#14)."""
    site, programme, _ids = setup
    key = signing_key(programme)
    assert certify(programme, "--issue", "--key", key).exit_code == 0
    cohort = site.cohort("2024-D2-zertifiziert")
    assert cohort is not None
    stranger = site.add_user("hr.chefin", "hr.chefin@example.de", "HR-4711", firstname="Helga", lastname="R")
    site.members[cohort["id"]].append(stranger)
    after = certify(programme, "--issue", "--key", key)
    assert after.exit_code == 0, after.output
    assert "Moodle: nichts zu ändern" in after.output and "entfernen" not in after.output
    assert stranger in site.members[cohort["id"]]
    assert site.calls["core_cohort_delete_cohort_members"] == 0


def test_write_back_lines_carry_the_site_identity_like_provisioning(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    _, programme, ids = setup
    key = signing_key(programme)
    assert certify(programme, "--issue", "--key", key).exit_code == 0
    journal = Journal(programme.parent / "journal" / "2024-D2.jsonl")
    identity = site_identity(recorded("core_webservice_get_site_info")["siteurl"])
    lines = list(journal.entries())
    assert lines and all(line["site_id"] == identity and line["site"] == SITE for line in lines)
    # read back by the site's identity, as provisioning's lines are: another address of the same site finds
    # them, another site with the configured URL does not
    alias = SiteRef("https://proxy.example.de", identity)
    assert list(journal.of_site(alias)) == lines
    assert not list(journal.of_site(SiteRef(SITE, "other.example.de")))
    # write-back lines are no provisioning state: nothing is read back as sent enrolments or owned events
    for course in ("2024-D2-zertifiziert", "SCM-2024-D2"):
        state = journal.recorded(alias, course)
        assert not state.sent_enrolments and not state.owned_events and not state.legacy_events
    assert sorted(line["key"] for line in lines if line.get("area") == "certificate-field") == sorted(ids)
