"""The preview web server: the preview page, the scorm-again runtime and the SCO's files, on 127.0.0.1 only.

Everything is served from memory or from the npm tools folder; nothing is fetched from the network, so the
preview works offline. SCO files live under `/sco/<generation>/`, which makes every rebuild a new URL and
keeps the browser from mixing stale and fresh files.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from course_package.render.env import json_script
from scm_base.npm import NPM_DIR_ENV, npm_dir
from scm_lms.preview.site import PreviewError
from scm_lms.preview.watch import LiveSite

SCORM_AGAIN = ("scorm-again", "dist", "scorm-again.js")
ASSETS = {"preview.js": "text/javascript", "preview.css": "text/css"}
SUSPEND_LIMITS = {"1.2": 4096, "2004": 64000}
"""CMIString4096 and CMIString64000: what the specification guarantees, whatever Moodle happens to allow."""


def scorm_again_path(folder: Path | None = None) -> Path:
    path = (folder or npm_dir()).joinpath(*SCORM_AGAIN)
    if not path.is_file():
        raise PreviewError(
            f"Die SCORM-Laufzeit scorm-again fehlt ({path}). Einmal „make install“ ausführen "
            f"(npm ci in tools/npm) oder {NPM_DIR_ENV} auf einen node_modules-Ordner mit scorm-again setzen."
        )
    return path


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("scm_lms.preview", "assets"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _asset(name: str) -> bytes:
    return resources.files("scm_lms.preview").joinpath("assets", name).read_bytes()


class PreviewServer:
    """Use as a context manager; `url` is the page to open. Port 0 picks a free port."""

    def __init__(self, live: LiveSite, port: int = 0, runtime: Path | None = None) -> None:
        self.live = live
        self.runtime = runtime or scorm_again_path()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.httpd.daemon_threads = True
        bound = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{bound}/"
        self.hosts = {f"127.0.0.1:{bound}", f"localhost:{bound}"}
        """Host headers answered; any other name is a page elsewhere reaching in via DNS rebinding."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="preview-http", daemon=True)

    def __enter__(self) -> PreviewServer:
        self._thread.start()
        self.live.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.live.stop()
        self.httpd.shutdown()
        self.httpd.server_close()

    def state(self) -> dict[str, Any]:
        generation, site, error = self.live.current()
        return {
            "generation": generation,
            "title": site.title,
            "version": site.version,
            "launch": f"/sco/{generation}/{site.launch}",
            "suspendLimit": SUSPEND_LIMITS[site.version],
            "error": error,
            "findings": [
                {"level": f.level, "code": f.code, "message": f.message, "where": f.location()}
                for f in site.findings
            ],
        }

    def page(self) -> bytes:
        template = _environment().get_template("preview.html.j2")
        state = self.state()
        return template.render(state=state, config=json_script(state)).encode("utf-8")

    def lookup(self, path: str) -> tuple[bytes, str] | None:
        """(body, content type) for a GET path, or None for 404."""
        if path == "/":
            return self.page(), "text/html; charset=utf-8"
        if path == "/state":
            return json.dumps(self.state()).encode("utf-8"), "application/json"
        if path == "/runtime/scorm-again.js":
            return self.runtime.read_bytes(), "text/javascript; charset=utf-8"
        if path.startswith("/assets/") and path.removeprefix("/assets/") in ASSETS:
            name = path.removeprefix("/assets/")
            return _asset(name), f"{ASSETS[name]}; charset=utf-8"
        if path.startswith("/sco/"):
            parts = path.split("/", 3)
            if len(parts) < 4:
                return None
            _, site, _ = self.live.current()
            # exact entry names only: nothing outside the package is reachable
            body = site.files.get(parts[3])
            if body is None:
                return None
            kind = mimetypes.guess_type(parts[3])[0] or "application/octet-stream"
            return body, kind + (
                "; charset=utf-8" if kind.startswith("text/") or kind.endswith("script") else ""
            )
        return None


def _handler(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.headers.get("Host", "") not in server.hosts:
                self.send_error(HTTPStatus.FORBIDDEN)
                return
            found = server.lookup(unquote(urlsplit(self.path).path))
            if found is None:
                self.send_error(HTTPStatus.NOT_FOUND)
                return
            body, kind = found
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the page shows what matters; request lines would drown the console

    return Handler
