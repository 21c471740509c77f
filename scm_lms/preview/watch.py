"""Keeps the previewed site current: a course source is rebuilt whenever one of its files changes.

Polling modification times is enough for a designer's editor and needs no platform-specific watcher. A broken
edit never takes the preview down: the last good build stays served and the problem is shown beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from course_package.source import SourceError
from scm_lms.preview.site import PreviewError, PreviewSite, source_problems

Snapshot = dict[str, tuple[int, int]]


def snapshot(folder: Path) -> Snapshot:
    """(mtime, size) of every file under `folder`, skipping hidden files and editor swap files."""
    files: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.name.endswith(("~", ".swp")):
            continue
        try:
            if path.is_file():
                stat = path.stat()
                files[relative.as_posix()] = (stat.st_mtime_ns, stat.st_size)
        except OSError:  # deleted between listing and stat: the next poll sees the new state
            continue
    return files


class LiveSite:
    """The site being served, its generation (bumped on every successful rebuild) and the last build error."""

    def __init__(self, load: Callable[[], PreviewSite], watched: Path | None = None) -> None:
        self._load = load
        self._watched = watched
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen = snapshot(watched) if watched else {}
        self._site = load()
        self._generation = 1
        self._error: str | None = None

    def current(self) -> tuple[int, PreviewSite, str | None]:
        with self._lock:
            return self._generation, self._site, self._error

    def poll(self) -> bool:
        """Rebuilds if a watched file changed since the last poll; True when a new site is being served."""
        if self._watched is None:
            return False
        seen = snapshot(self._watched)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            site = self._load()
        except SourceError as error:
            self._set_error(source_problems(error))
            return False
        except (PreviewError, OSError) as error:
            self._set_error(str(error))
            return False
        with self._lock:
            self._site, self._error = site, None
            self._generation += 1
        return True

    def _set_error(self, message: str) -> None:
        with self._lock:
            self._error = message

    def start(self, interval: float = 0.5) -> None:
        if self._watched is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, args=(interval,), name="preview-watch", daemon=True)
        self._thread.start()

    def _run(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.poll()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
