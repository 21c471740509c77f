"""The build registry: one builder per output, `--format` by its keys, and the template reusing packages."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from course_package.model import Course, Module
from course_package.render import render_module
from course_package.source import load_course
from scorm.build import Flavour
from scorm.builds import BUILDERS, KINDS, parse_kinds, planned, run_builds
from scorm.manifest import Site
from testkit.session_kits import add_session_kits

EPOCH = 1_735_689_600


@pytest.fixture
def course(course_source: Path) -> Course:
    return load_course(add_session_kits(course_source))


def test_registry_lists_every_output_with_scope_and_container() -> None:
    assert KINDS == ("scorm12", "scorm2004", "cc11", "leitfaden", "arbeitsblaetter", "moodle")
    assert {kind: (b.scope, b.container) for kind, b in BUILDERS.items()} == {
        "scorm12": ("module", "zip"),
        "scorm2004": ("module", "zip"),
        "cc11": ("module", "zip"),
        "leitfaden": ("module", "pdf"),
        "arbeitsblaetter": ("module", "pdf"),
        "moodle": ("course", "mbz"),
    }


def test_parse_kinds_keeps_registry_order_and_names_the_valid_ones() -> None:
    assert parse_kinds("moodle, leitfaden,scorm12") == ("scorm12", "leitfaden", "moodle")
    with pytest.raises(ValueError, match=r"Format\(e\) pdf; möglich: scorm12, .*arbeitsblaetter, moodle"):
        parse_kinds("pdf")


def test_pdf_kinds_alone_write_one_guide_and_worksheets_per_module(course: Course, tmp_path: Path) -> None:
    kinds = parse_kinds("leitfaden,arbeitsblaetter")
    assert planned(course, kinds) == 4
    results = run_builds(course, tmp_path / "dist", kinds, epoch=EPOCH)
    assert sorted(path.name for path in (tmp_path / "dist").iterdir()) == [
        "scm-m1-grundlagen-arbeitsblaetter.pdf",
        "scm-m1-grundlagen-leitfaden.pdf",
        "scm-m2-umsetzung-arbeitsblaetter.pdf",
        "scm-m2-umsetzung-leitfaden.pdf",
    ]
    assert all(result.report.valid and result.report.kind == "PDF" for result in results)


def test_whole_build_is_byte_identical_on_rebuild(course: Course, tmp_path: Path) -> None:
    first = run_builds(course, tmp_path / "a", epoch=EPOCH)
    second = run_builds(course, tmp_path / "b", epoch=EPOCH)
    assert [r.path.name for r in first] == [r.path.name for r in second]
    for one, two in zip(first, second, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes(), one.path.name
    assert all(result.report.valid for result in first), [r.report.findings for r in first]


def test_template_reuses_the_packages_of_the_same_run(course: Course, tmp_path: Path) -> None:
    calls: list[tuple[int, str]] = []

    def counting(course: Course, module: Module, flavour: Flavour) -> Site:
        calls.append((module.number, flavour))
        return render_module(course, module, flavour)

    results = run_builds(course, tmp_path / "dist", ("scorm12", "moodle"), render=counting, epoch=EPOCH)
    assert calls == [(1, "scorm12"), (2, "scorm12")]
    with tarfile.open(fileobj=io.BytesIO(results[-1].path.read_bytes()), mode="r:gz") as archive:
        blobs = [
            archive.extractfile(member).read()  # type: ignore[union-attr]
            for member in archive.getmembers()
            if member.name.startswith("files/") and member.isfile()
        ]
    for result in results[:-1]:
        assert result.path.read_bytes() in blobs, result.path.name
    calls.clear()
    run_builds(course, tmp_path / "alone", ("moodle",), render=counting, epoch=EPOCH)
    assert calls == [(1, "scorm12"), (2, "scorm12")]


def test_parallel_build_writes_the_bytes_of_a_sequential_one(course: Course, tmp_path: Path) -> None:
    sequential = run_builds(course, tmp_path / "one", epoch=EPOCH, jobs=1)
    parallel = run_builds(course, tmp_path / "two", epoch=EPOCH, jobs=2)
    assert [(r.kind, r.path.name) for r in parallel] == [(r.kind, r.path.name) for r in sequential]
    for one, two in zip(sequential, parallel, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes(), one.path.name
        assert two.report.valid and two.report.checks_run == one.report.checks_run, two.path.name


def test_a_failing_output_fails_as_without_workers(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from course_package.kits import guide
    from scm_base.errors import ToolkitError

    class GuideBroken(ToolkitError):
        pass

    def broken(course: Course, module: Module, epoch: int) -> bytes:
        if module.number == 2:
            raise GuideBroken("Leitfaden Modul 2 kaputt")
        return b"%PDF-1.4 stub"

    monkeypatch.setattr(guide, "render_guide", broken)
    failures = []
    for jobs in (1, 2):
        out = tmp_path / f"jobs{jobs}"
        with pytest.raises(GuideBroken, match="Leitfaden Modul 2 kaputt"):
            run_builds(course, out, ("scorm12", "leitfaden"), epoch=EPOCH, jobs=jobs)
        failures.append(sorted(path.name for path in out.iterdir()))
    assert failures[0] == failures[1]
    assert not any(name.endswith("-leitfaden.pdf") and "-m2-" in name for name in failures[0])
