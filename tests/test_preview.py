"""`scm-lms preview` without a browser: what is served from a zip or source, rebuilds, routes, CLI errors."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from course_package import CURRICULUM_DIR
from course_package.source import load_course
from scm_base.npm import NPM_DIR_ENV
from scm_lms.cli import cli
from scm_lms.preview import LiveSite, PreviewError, PreviewServer, load_source, load_zip
from scm_lms.preview.server import scorm_again_path
from scorm.build import default_renderer, package_bytes
from scorm.manifest import Format
from testkit.sources import third_party_zip


def built_zip(folder: Path, fmt: Format, module: int = 1) -> Path:
    course = load_course()
    path = folder / f"m{module}-{fmt}.zip"
    path.write_bytes(package_bytes(course, course.module(module), fmt, default_renderer(), 315532800))
    return path


def get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return reply.status, reply.read(), reply.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


@pytest.mark.parametrize(("fmt", "version"), [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_zip_version_and_launch_come_from_the_manifest(tmp_path: Path, fmt: Format, version: str) -> None:
    site = load_zip(built_zip(tmp_path, fmt))
    assert site.version == version
    assert site.launch == "index.html"
    assert {"index.html", "imsmanifest.xml", "js/scorm-api.js"} <= set(site.files)
    assert not [f for f in site.findings if f.level == "error"]


def test_third_party_zip_is_previewed_with_its_findings(tmp_path: Path) -> None:
    site = load_zip(third_party_zip(tmp_path))
    assert (site.version, site.launch) == ("1.2", "index.html")
    assert {"sco.js", "style.css"} <= set(site.files)
    assert {f.code for f in site.findings} == {"control.missing"}, "shown beside the SCO, not refused"


def test_cartridge_and_non_zip_are_refused_with_a_reason(tmp_path: Path) -> None:
    with pytest.raises(PreviewError, match=r"kein SCORM-Paket \(erkannt: IMSCC_1.1\)"):
        load_zip(built_zip(tmp_path, "cc11"))
    text = tmp_path / "notes.zip"
    text.write_text("kein Archiv", encoding="utf-8")
    with pytest.raises(PreviewError, match=r"notes.zip: keine ZIP-Datei"):
        load_zip(text)


def test_source_module_is_rendered_in_the_chosen_version(course_source: Path) -> None:
    site = load_source(course_source, 2, "scorm2004")
    assert site.version == "2004" and site.title.startswith("Modul 2: ")
    assert b'"version":"2004"' in site.files["index.html"]
    assert b"<schemaversion>2004 4th Edition</schemaversion>" in site.files["imsmanifest.xml"], (
        "the built zip"
    )
    assert not [f for f in site.findings if f.level == "error"]
    with pytest.raises(PreviewError, match="Modul 3 gibt es nicht; der Kurs hat die Module 1 bis 2"):
        load_source(course_source, 3, "scorm12")


def test_change_rebuilds_and_a_broken_edit_keeps_the_last_good_site(course_source: Path) -> None:
    live = LiveSite(partial(load_source, course_source, 1, "scorm12"), watched=course_source)
    assert live.poll() is False, "nothing changed yet"
    module_yaml = course_source / "modules" / "01-grundlagen" / "module.yaml"
    text = module_yaml.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    module_yaml.write_text(text.replace(title, "title: Neu betitelt und länger als vorher"), encoding="utf-8")
    assert live.poll() is True
    generation, site, error = live.current()
    assert (generation, error) == (2, None)
    assert site.title == "Modul 1: Neu betitelt und länger als vorher"

    module_yaml.write_text("title: [kaputt\n", encoding="utf-8")
    assert live.poll() is False
    generation, site, error = live.current()
    assert generation == 2 and site.title == "Modul 1: Neu betitelt und länger als vorher"
    assert error is not None and "modules/01-grundlagen/module.yaml" in error

    module_yaml.write_text(text, encoding="utf-8")
    assert live.poll() is True
    assert live.current()[0] == 3 and live.current()[2] is None


def test_hidden_and_swap_files_do_not_trigger_a_rebuild(course_source: Path) -> None:
    live = LiveSite(partial(load_source, course_source, 1, "scorm12"), watched=course_source)
    (course_source / ".module.yaml.swp").write_text("x", encoding="utf-8")
    (course_source / "modules" / "notes.md~").write_text("x", encoding="utf-8")
    assert live.poll() is False


def test_server_routes_serve_only_the_package_page_and_runtime(tmp_path: Path) -> None:
    live = LiveSite(partial(load_zip, built_zip(tmp_path, "scorm12")))
    with PreviewServer(live) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, body, kind = get(server.url)
        assert status == 200 and kind.startswith("text/html")
        page = body.decode("utf-8")
        assert '<html lang="de">' in page and "SCORM 1.2" in page
        config = json.loads(page.split('id="preview-config">', 1)[1].split("</script>", 1)[0])
        assert config["launch"] == "/sco/1/index.html" and config["suspendLimit"] == 4096
        status, body, kind = get(server.url + "sco/1/index.html")
        assert status == 200 and kind == "text/html; charset=utf-8" and b"js/scorm-api.js" in body
        status, body, _ = get(server.url + "runtime/scorm-again.js")
        assert status == 200 and b"Scorm2004API" in body
        assert get(server.url + "state")[0] == 200
        for path in (
            "sco/1/../../pyproject.toml",
            "sco/1/%2e%2e/imsmanifest.xml",
            "assets/../site.py",
            "sco/x",
        ):
            assert get(server.url + path)[0] == 404, path


def test_requests_for_other_host_names_are_refused(tmp_path: Path) -> None:
    """A web page elsewhere cannot read the preview through DNS rebinding: only our own host names answer."""
    with PreviewServer(LiveSite(partial(load_zip, built_zip(tmp_path, "scorm12")))) as server:
        port = server.url.rsplit(":", 1)[1].rstrip("/")
        for host, status in ((f"localhost:{port}", 200), (f"attacker.example:{port}", 403)):
            request = urllib.request.Request(server.url, headers={"Host": host})
            try:
                with urllib.request.urlopen(request, timeout=5) as reply:
                    assert reply.status == status
            except urllib.error.HTTPError as error:
                assert error.code == status


def test_missing_runtime_names_the_folder_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(PreviewError, match=r"scorm-again fehlt .*make install“"):
        scorm_again_path(tmp_path)
    result = CliRunner().invoke(cli, ["preview", str(CURRICULUM_DIR)], env={NPM_DIR_ENV: str(tmp_path)})
    assert result.exit_code == 1
    assert "scorm-again fehlt" in result.output and str(tmp_path) in result.output


def test_cli_reports_every_source_problem_and_exits(course_source: Path) -> None:
    (course_source / "modules" / "01-grundlagen" / "module.yaml").write_text(
        "title: [kaputt\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["preview", str(course_source)])
    assert result.exit_code == 1
    assert "modules/01-grundlagen/module.yaml" in result.output
    assert "Kursquelle fehlerhaft, keine Vorschau" in result.output


def test_cli_prints_the_url_and_serves_until_stopped(tmp_path: Path) -> None:
    package = built_zip(tmp_path, "scorm2004")
    command = [sys.executable, "-m", "scm_lms", "preview", str(package), "--port", "0", "--module", "2"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("Vorschau: http://127.0.0.1:"), line
        url = line.split()[1]
        status, body, _ = get(url)
        assert status == 200 and b"SCORM 2004" in body
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
    assert "Hinweis: --module gilt nur für Kursquellen" in errors
