"""What the toolkit learned about each Moodle site and keeps between runs: so far its field budget.

Sites are told apart by the identity the journal uses (`journal.site_identity` of the wwwroot Moodle reports),
so the same site reached by another address shares its entry. The file is `sites.json` beside the Moodle
configuration (`~/.config/scm-lms/`, `XDG_CONFIG_HOME` honoured), owner-only, replaced atomically, and holds
no token. An entry older than `MAX_AGE` is probed again: an admin may lower `max_input_vars`, and `lms check`
always probes afresh. A file that cannot be read counts as empty; it is rewritten on the next probe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scm_base.atomic import write_atomic
from scm_lms.moodle import MoodleClient
from scm_lms.moodle.budget import FieldBudget, from_verified, probe
from scm_lms.moodle.config import default_config_path
from scm_lms.provision.journal import site_identity

FILE_NAME = "sites.json"
MAX_AGE = dt.timedelta(days=7)


def default_path(env: Mapping[str, str] = os.environ) -> Path:
    return default_config_path(env).parent / FILE_NAME


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    sites = data.get("sites") if isinstance(data, dict) else None
    return sites if isinstance(sites, dict) else {}


def known_budget(siteurl: str, path: Path, now: dt.datetime | None = None) -> FieldBudget | None:
    """The budget probed for this site within `MAX_AGE`, if any."""
    entry = _load(path).get(site_identity(siteurl), {}).get("field_budget")
    if not isinstance(entry, dict):
        return None
    try:
        verified = int(entry["verified"])
        refused = None if entry.get("refused") is None else int(entry["refused"])
        probed_at = dt.datetime.fromisoformat(str(entry["probed_at"]))
    except (KeyError, TypeError, ValueError):
        return None
    if verified <= 0 or (now or dt.datetime.now(dt.UTC)) - probed_at > MAX_AGE:
        return None
    return from_verified(verified, refused)  # the margin is applied again, never read from the file


def remember_budget(siteurl: str, budget: FieldBudget, path: Path, now: dt.datetime | None = None) -> None:
    """Keep a probed budget; a fallback (nothing verified) is never kept, so the next run probes again."""
    if not budget.probed:
        return
    sites = _load(path)
    entry = sites.setdefault(site_identity(siteurl), {})
    entry["field_budget"] = {
        "verified": budget.verified,
        "refused": budget.refused,
        "probed_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": 1, "sites": sites}, ensure_ascii=False, indent=2, sort_keys=True)
    write_atomic(path, (text + "\n").encode("utf-8"), mode=0o600)


def site_budget(
    client: MoodleClient, siteurl: str, *, path: Path | None = None, refresh: bool = False
) -> FieldBudget:
    """The site's field budget: kept from an earlier probe, else probed now (and kept if it verified)."""
    where = path or default_path()
    kept = None if refresh else known_budget(siteurl, where)
    if kept is not None:
        return kept
    found = probe(client)
    with contextlib.suppress(OSError):  # not kept: the next run probes again
        remember_budget(siteurl, found, where)
    return found
