"""`scm-lms build` and `scm-lms validate` end to end: exit codes, table, --json, reproducible output."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from testkit.cli_run import run
from testkit.sources import STARTER


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    code, output = run("build", str(STARTER), "--out", str(out))
    assert code == 0, output
    return out


def test_build_writes_every_format_and_prints_table(dist: Path) -> None:
    names = sorted(path.name for path in dist.iterdir())
    assert names == [
        "SCM-TEMPLATE.mbz",
        "scm-m1-grundlagen-arbeitsblaetter.pdf",
        "scm-m1-grundlagen-cc11.zip",
        "scm-m1-grundlagen-leitfaden.pdf",
        "scm-m1-grundlagen-scorm12.zip",
        "scm-m1-grundlagen-scorm2004.zip",
        "scm-m2-umsetzung-arbeitsblaetter.pdf",
        "scm-m2-umsetzung-cc11.zip",
        "scm-m2-umsetzung-leitfaden.pdf",
        "scm-m2-umsetzung-scorm12.zip",
        "scm-m2-umsetzung-scorm2004.zip",
    ]


def test_build_table_and_summary(tmp_path: Path) -> None:
    code, output = run("build", str(STARTER), "--format", "scorm12", "--out", str(tmp_path))
    assert code == 0
    assert "scm-m1-grundlagen-scorm12.zip" in output
    assert re.search(r"\b(\d+)/\1 ok\b", output) and "FEHLER" not in output
    assert "2 von 2 Paketen gültig" in output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [], "no temp files left"


def test_build_is_byte_identical_and_honours_source_date_epoch(dist: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run("build", str(STARTER), "--out", str(again))[0] == 0
    for path in dist.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name
    later = tmp_path / "later"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1800000000"}
    assert run("build", str(STARTER), "--format", "cc11", "--out", str(later), env=env)[0] == 0
    first = "scm-m1-grundlagen-cc11.zip"
    assert (later / first).read_bytes() != (dist / first).read_bytes()


def test_bad_source_date_epoch_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "gestern"}
    code, output = run("build", str(STARTER), "--out", str(tmp_path), env=env)
    assert code == 1 and "SOURCE_DATE_EPOCH='gestern' ist kein Unix-Zeitstempel" in output


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("build", str(STARTER), "--format", "scorm12,xapi", "--out", str(tmp_path))
    assert code == 2 and "Format(e) xapi" in output and "cc11" in output


def test_broken_source_exits_1_and_builds_nothing(tmp_path: Path) -> None:
    source = tmp_path / "kurs"
    source.mkdir()
    (source / "course.yaml").write_text("id: x\n", encoding="utf-8")
    code, output = run("build", str(source), "--out", str(tmp_path / "out"))
    assert code == 1 and "Kursquelle fehlerhaft, nichts gebaut" in output
    assert not (tmp_path / "out").exists()


def test_missing_control_files_name_make_install(tmp_path: Path) -> None:
    env = {**os.environ, "SCM_LMS_XSD_DIR": str(tmp_path / "leer")}
    code, output = run("build", str(STARTER), "--format", "scorm12", "--out", str(tmp_path / "o"), env=env)
    assert code == 1 and "`make install` ausführen" in output and "imscp_rootv1p1p2.xsd" in output


def test_validate_exit_codes_and_text(dist: Path, tmp_path: Path) -> None:
    good = sorted(str(path) for path in dist.iterdir())
    code, output = run("validate", *good)
    assert code == 0 and output.count(": gültig") == 11
    assert "Typ PDF, 3/3 Prüfungen bestanden" in output
    assert "Typ SCORM_1.2, schemaversion '1.2', Start index.html" in output
    bad = tmp_path / "kaputt.zip"
    bad.write_bytes(b"kein zip")
    code, output = run("validate", good[0], str(bad))
    assert code == 1 and f"{bad}: UNGÜLTIG" in output and "FEHLER [zip.unreadable]" in output


def test_validate_json(dist: Path, tmp_path: Path) -> None:
    bad = tmp_path / "leer.zip"
    bad.write_bytes(b"")
    package = dist / "scm-m2-umsetzung-scorm2004.zip"
    code, output = run("validate", "--json", str(package), str(bad))
    assert code == 1
    reports = json.loads(output)
    assert [r["valid"] for r in reports] == [True, False]
    assert reports[0]["kind"] == "SCORM_1.3" and reports[0]["schemaversion"] == "2004 4th Edition"
    assert reports[0]["checks_run"] == reports[0]["checks_passed"] > 0
    (finding,) = reports[1]["findings"]
    assert set(finding) == {"level", "code", "message", "file", "line"} and finding["level"] == "error"


def test_validate_upload_limit(dist: Path) -> None:
    package = str(dist / "scm-m1-grundlagen-scorm12.zip")
    code, output = run("validate", "--max-size-mb", "0.001", package)
    assert code == 1 and "FEHLER [package.size]" in output and "Upload-Grenze liegt bei 1048 Bytes" in output
    assert run("validate", "--max-size-mb", "1", package)[0] == 0


def test_validate_requires_a_package() -> None:
    code, output = run("validate")
    assert code == 2 and "PACKAGES" in output
