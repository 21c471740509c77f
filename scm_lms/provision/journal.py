"""The apply journal: one JSON line per action and its result, appended and never rewritten.

It answers "what did the toolkit do to Moodle, when, and did it work" for an audit, and it is the only record
of the enrolment periods we sent: Moodle's web services do not report an enrolment's start, end or status, so
`plan` compares the desired period with the last one the journal shows as applied. People appear by their
pseudonymous registration id, never by name or e-mail, and no token or password ever reaches an entry.

The site is identified by what Moodle says about itself (`siteurl`, its wwwroot, from the site info), kept
in `site_id`, so the same site reached through a proxy, over https instead of http or by a second host name
is one site; the configured URL stays in `site` as information. Entries written before `site_id` existed
are matched by their configured URL.

Each entry is written with a single `write` on a file opened for appending, so a crash can at worst leave a
torn last line; readers skip it and the next entry starts on a fresh line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

JOURNAL_DIR = "journal"


@dataclass(frozen=True)
class OwnedEvent:
    """A calendar event this toolkit created, by its stable key: the id and what was last sent to it."""

    id: int
    description: str
    """Digest of the description last applied (Moodle may reformat the HTML it returns)."""
    room: str = ""
    """The join link last applied, as `room_label` shows it: a passcode in its query never lands here."""


@dataclass(frozen=True)
class SentEnrolment:
    """What the last successful enrolment call for one person in one course said."""

    timestart: int
    timeend: int
    suspend: bool


def site_identity(siteurl: str) -> str:
    """The site's wwwroot without scheme, default port and trailing slash, host in lower case: Moodle
    reports one wwwroot whatever address reached it; siteid is always 1 and sitename is editable text."""
    parts = urlsplit(siteurl.strip())
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = f":{parts.port}" if parts.port is not None and parts.port != default else ""
    return f"{host}{port}{parts.path.rstrip('/')}"


def default_path(db: Path, durchgang: str) -> Path:
    """`journal/<Durchgang>.jsonl` next to the ledger file."""
    return db.parent / JOURNAL_DIR / f"{durchgang}.jsonl"


class Journal:
    """Append-only JSONL file; created readable by its owner only (it names registration ids)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: Mapping[str, Any]) -> None:
        record = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **entry}
        line = json.dumps(record, ensure_ascii=False, sort_keys=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            if not _ends_with_newline(self.path):
                line = "\n" + line  # a torn line from a crash must not swallow this entry
            os.write(fd, line.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every complete entry in order; torn or foreign lines are skipped."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as stream:
            for line in stream:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict):
                    yield entry

    def sent_enrolments(self, site: str, course: str, identity: str = "") -> dict[str, SentEnrolment]:
        """Per person key, the last enrolment state applied successfully to `course` on the site with
        `identity` (see `site_identity`); without one, or for older entries without it, by the URL `site`."""
        sent: dict[str, SentEnrolment] = {}
        for entry in self.entries():
            values = entry.get("sent")
            if (
                entry.get("area") != "enrolment"
                or entry.get("status") != "ok"
                or not _same_site(entry, site, identity)
                or entry.get("course") != course
                or not isinstance(values, dict)
            ):
                continue
            try:
                sent[str(entry["key"])] = SentEnrolment(
                    int(values["timestart"]), int(values["timeend"]), bool(values["suspend"])
                )
            except (KeyError, TypeError, ValueError):
                continue
        return sent

    def owned_events(self, site: str, course: str, identity: str = "") -> dict[str, OwnedEvent]:
        """Event key → the event this toolkit created for it in `course` and has not deleted since.

        Only an id recorded here is ever updated or deleted: events someone else made stay untouched."""
        owned: dict[str, OwnedEvent] = {}
        for entry in self._ok(site, course, identity, "event"):
            key, eventid = str(entry.get("key", "")), entry.get("event_id")
            if entry.get("op") == "delete":
                owned.pop(key, None)
            elif entry.get("op") in ("create", "update") and isinstance(eventid, int):
                digest, room = str(entry.get("description_digest", "")), str(entry.get("room", ""))
                owned[key] = OwnedEvent(eventid, digest, room)
        return owned

    def legacy_events(self, site: str, course: str, identity: str = "") -> frozenset[str]:
        """ "name @ start" of events versions before #11 created (they journaled no id)."""
        return frozenset(
            str(entry.get("key"))
            for entry in self._ok(site, course, identity, "event")
            if entry.get("op") == "create" and "event_id" not in entry
        )

    def _ok(self, site: str, course: str, identity: str, area: str) -> Iterator[dict[str, Any]]:
        for entry in self.entries():
            if (
                entry.get("area") == area
                and entry.get("status") == "ok"
                and entry.get("course") == course
                and _same_site(entry, site, identity)
            ):
                yield entry


def _same_site(entry: Mapping[str, Any], site: str, identity: str) -> bool:
    recorded = entry.get("site_id")
    if identity and isinstance(recorded, str):
        return recorded == identity
    url = entry.get("site")
    if not isinstance(url, str):
        return False
    return url == site or (bool(identity) and site_identity(url) == identity)


def _ends_with_newline(path: Path) -> bool:
    size = path.stat().st_size
    if size == 0:
        return True
    with path.open("rb") as stream:
        stream.seek(size - 1)
        return stream.read(1) == b"\n"
