"""The apply journal: one JSON line per action and its result, appended and never rewritten.

It answers "what did the toolkit do to Moodle, when, and did it work" for an audit, and it is the only record
of the enrolment periods we sent: Moodle's web services do not report an enrolment's start, end or status, so
`plan` compares the desired period with the last one the journal shows as applied. People appear by their
pseudonymous registration id, never by name or e-mail, and no token or password ever reaches an entry.

The site is identified by what Moodle says about itself (`siteurl`, its wwwroot, from the site info), kept
in `site_id`, so the same site reached through a proxy, over https instead of http or by a second host name
is one site; the configured URL stays in `site` as information. Both flows that write here (provisioning's
apply, certificate write-back) put both keys in every line. Entries written before `site_id` existed are
matched by their configured URL.

Each entry is written with a single `write` on a file opened for appending, so a crash can at worst leave a
torn last line; readers skip it and the next entry starts on a fresh line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class SiteRef:
    """Which site an entry is about: the configured URL and, when the site info was read, its identity."""

    url: str
    identity: str = ""


@dataclass(frozen=True)
class Recorded:
    """The journal read back as state for one course on one site (see `Journal.recorded`)."""

    sent_enrolments: Mapping[str, SentEnrolment] = field(default_factory=dict)
    """Per person key, the last enrolment state applied (Moodle does not report it)."""
    owned_events: Mapping[str, OwnedEvent] = field(default_factory=dict)
    """Event key → the event this toolkit created for it and has not deleted since."""
    legacy_events: frozenset[str] = frozenset()
    """ "name @ start" of events created before event ids were journaled."""


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

    def of_site(self, site: SiteRef) -> Iterator[dict[str, Any]]:
        """Every entry about `site`, whichever flow wrote it (provisioning, certificate write-back): by the
        site's identity where the entry has one, else by its configured URL."""
        return (entry for entry in self.entries() if _same_site(entry, site.url, site.identity))

    def recorded(self, site: SiteRef, course: str) -> Recorded:
        """What this journal says the toolkit did to `course` on `site`, read in one pass.

        This is the one place where the journal is read back as state (for what Moodle does not report):
        the plan compares with it, so every reader of earlier runs goes through here."""
        sent: dict[str, SentEnrolment] = {}
        owned: dict[str, OwnedEvent] = {}
        legacy: set[str] = set()
        for entry in self.of_site(site):
            if entry.get("status") != "ok" or entry.get("course") != course:
                continue
            if entry.get("area") == "enrolment":
                _read_sent(entry, sent)
            elif entry.get("area") == "event":
                _read_event(entry, owned, legacy)
        return Recorded(sent, owned, frozenset(legacy))


def _read_sent(entry: Mapping[str, Any], sent: dict[str, SentEnrolment]) -> None:
    values = entry.get("sent")
    if not isinstance(values, dict):
        return
    try:
        sent[str(entry["key"])] = SentEnrolment(
            int(values["timestart"]), int(values["timeend"]), bool(values["suspend"])
        )
    except (KeyError, TypeError, ValueError):
        return


def _read_event(entry: Mapping[str, Any], owned: dict[str, OwnedEvent], legacy: set[str]) -> None:
    key, eventid, op = str(entry.get("key", "")), entry.get("event_id"), entry.get("op")
    if op == "create" and "event_id" not in entry:
        legacy.add(str(entry.get("key")))
    if op == "delete":
        owned.pop(key, None)
    elif op in ("create", "update") and isinstance(eventid, int):
        digest, room = str(entry.get("description_digest", "")), str(entry.get("room", ""))
        owned[key] = OwnedEvent(eventid, digest, room)


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
