"""`lms certify` with the attendance rule (issue 11): too few mornings fail with a German reason, excused
mornings count only when configured, only admitted people pass, and the certificate signs the period and the
mornings. Runs on the fake site and fixtures of testkit.cert_site."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader

from scm_lms.certify.register import Register
from scm_lms.ledger import DEFAULT_NAME
from testkit.cert_site import CertSite, attend, certify, setup, signing_key
from testkit.cli_run import run
from testkit.programme_text import set_certification

__all__ = ["setup"]  # the fixture


def _with_rule(programme: Path, line: str) -> None:
    text = programme.read_text(encoding="utf-8")
    programme.write_text(set_certification(text, line), encoding="utf-8")


def test_too_few_mornings_fail_with_a_german_reason(setup: tuple[CertSite, Path, list[str]]) -> None:
    _, programme, ids = setup
    attend(programme.parent, [ids[1]], mornings=(8, 9, 10), status="absent")  # 7 of 10
    result = certify(programme)
    assert result.exit_code == 0, result.output
    assert "Vormittage: 7 von 10, mindestens 8 nötig" in result.output
    assert "2 von 3 bestanden." in result.output
    data = json.loads(certify(programme, "--json").output)
    by_id = {d["idnumber"]: d for d in data["decisions"]}
    assert by_id[ids[1]]["reasons"] == ["Vormittage: 7 von 10, mindestens 8 nötig"]
    assert by_id[ids[0]]["mornings"] == [10, 10] and by_id[ids[0]]["passed"]


def test_excused_mornings_count_only_when_the_programme_says_so(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    _, programme, ids = setup
    attend(programme.parent, [ids[2]], mornings=(7, 8), status="excused")
    attend(programme.parent, [ids[2]], mornings=(9, 10), status="absent")  # 6 present, 2 excused
    data = json.loads(certify(programme, "--json").output)
    by_id = {d["idnumber"]: d for d in data["decisions"]}
    assert by_id[ids[2]]["reasons"] == ["Vormittage: 6 von 10, mindestens 8 nötig"]
    _with_rule(programme, "  excused_counts: true\n")
    data = json.loads(certify(programme, "--json").output)
    assert {d["idnumber"]: d["passed"] for d in data["decisions"]}[ids[2]]


def test_a_graded_account_not_admitted_here_is_never_certified(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    site, programme, _ = setup
    trainer = site.add_user(
        "t.t", "tanja.trainer@hochschule.example.de", "T-TANJA", firstname="T", lastname="T"
    )
    site.grades[trainer] = {m: 100.0 for m in range(1, 6)}
    site.completed.add(trainer)
    data = json.loads(certify(programme, "--json").output)
    decision = next(d for d in data["decisions"] if d["idnumber"] == "T-TANJA")
    assert not decision["passed"]
    assert decision["reasons"][0].startswith(
        "nicht in diesem Durchgang zugelassen (z. B. Trainerin oder Trainer)"
    )


def test_the_certificate_signs_period_and_mornings_and_still_verifies(
    setup: tuple[CertSite, Path, list[str]],
) -> None:
    _, programme, ids = setup
    attend(programme.parent, [ids[0]], mornings=(4, 5), status="excused")  # 8 present
    key = signing_key(programme)
    result = certify(programme, "--issue", "--key", key, "--date", "2024-10-31")
    assert result.exit_code == 0, result.output
    with Register.open(programme.parent / DEFAULT_NAME) as register:
        issued = next(c for c in register.all("2024-D2") if c.reg_id == ids[0])
    assert issued.facts.period == ("2024-09-10", "2024-10-15")
    assert issued.facts.mornings == (8, 10)
    assert issued.inputs["mornings"] == [8, 10] and issued.rule_version == "2"
    pdf = programme.parent / "zertifikate" / "2024-D2" / f"{issued.number}.pdf"
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(pdf).pages).split())
    assert "Zeitraum: 10. September 2024 bis 15. Oktober 2024" in text
    assert "Teilgenommen an 8 von 10 Live-Vormittagen" in text
    public = key.with_name(key.name + ".pub")
    code, output = run("cert", "verify", pdf, "--public-key", public, "--db", programme.parent / DEFAULT_NAME)
    assert code == 0 and output.startswith("GÜLTIG"), output
    attend(programme.parent, [ids[0]], mornings=(4,))  # corrected after issue: 9 mornings
    again = certify(programme, "--issue", "--key", key)
    assert f"{ids[0]}: {issued.number} geändert" in again.output
    attend(programme.parent, [ids[0]], mornings=(6, 7), status="absent")  # 7 mornings
    again = certify(programme, "--issue", "--key", key)
    assert f"{ids[0]}: {issued.number} nicht mehr bestanden" in again.output
