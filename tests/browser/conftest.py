"""Real-runtime fixtures: Debian Chromium via Playwright, an http.server LMS page with scorm-again, axe-core.

One browser per session, one context per test. Missing tools fail loudly: `make test` installs all of them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from course_package.model import Course, Module
from course_package.render import Flavour, render_module
from course_package.source import load_course
from testkit.chromium import AXE, NPM, SCORM_AGAIN

HARNESS = Path(__file__).parent / "harness" / "lms.html"
FIXTURE_COURSE = Path(__file__).parent / "fixture-course.yaml"
FLAVOURS: tuple[Flavour, ...] = ("scorm12", "scorm2004")
"""The flavours with a runtime; the cc pages are served too, for axe."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


def site_key(flavour: str, module: Module) -> str:
    return f"{flavour}-m{module.number}"


def load_fixture_course() -> Course:
    return Course.model_validate(yaml.safe_load(FIXTURE_COURSE.read_text(encoding="utf-8")))


class LmsServer:
    """Serves the harness, the npm tools and rendered sites from memory; records every commit body per run."""

    def __init__(self) -> None:
        self.sites: dict[str, dict[str, bytes]] = {}
        self.commits: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def commits_of(self, run: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.commits.get(run, []))

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _lookup(self, path: str) -> tuple[bytes, str] | None:
        if path == "/lms.html":
            return HARNESS.read_bytes(), "text/html; charset=utf-8"
        if path.startswith("/npm/"):
            file = (NPM / path.removeprefix("/npm/")).resolve()
            if file.is_relative_to(NPM.resolve()) and file.is_file():
                return file.read_bytes(), "text/javascript; charset=utf-8"
            return None
        if path.startswith("/sco/"):
            _, _, key, name = path.split("/", 3)
            content = self.sites.get(key, {}).get(name)
            if content is None:
                return None
            types = {"html": "text/html", "css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}
            return content, f"{types[name.rsplit('.', 1)[1]]}; charset=utf-8"
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                found = server._lookup(urlsplit(self.path).path)
                if found is None:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                self._send(*found)

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))) or b"{}")
                body["terminate"] = query.get("terminate") == ["true"]
                with server._lock:
                    server.commits.setdefault(query.get("run", [""])[0], []).append(body)
                self._send(b'{"result": true, "errorCode": 0}', "application/json")

            def _send(self, body: bytes, kind: str) -> None:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture(scope="session")
def course() -> Course:
    """The built-in curriculum: the tests play the content learners will really get."""
    return load_course()


@pytest.fixture(scope="session")
def module(course: Course) -> Module:
    return course.modules[0]


@pytest.fixture(scope="session")
def lms_server(course: Course) -> Iterator[LmsServer]:
    missing = [str(path) for path in (SCORM_AGAIN, AXE) if not path.is_file()]
    if missing:
        pytest.fail(f"npm test tools are missing ({', '.join(missing)}); run `make install-test` first")
    server = LmsServer()
    for each in course.modules:
        for flavour in (*FLAVOURS, "cc"):
            server.sites[site_key(flavour, each)] = dict(render_module(course, each, flavour).files)
    yield server
    server.close()
