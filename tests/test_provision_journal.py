"""The journal survives a crash mid-line and remembers the last enrolment state per site, course, person."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from scm_lms.moodle import Secret
from scm_lms.provision.journal import Journal, SentEnrolment, SiteRef, default_path, site_identity

SITE = "https://moodle.example.de"


def enrolled(
    key: str, start: int, *, suspend: bool = False, site: str = SITE, status: str = "ok"
) -> dict[str, object]:
    sent = {"timestart": start, "timeend": start + 100, "suspend": suspend, "userid": 7}
    return {
        "site": site,
        "course": "SCM-2024-D2",
        "area": "enrolment",
        "key": key,
        "status": status,
        "sent": sent,
    }


def sent(journal: Journal, url: str, identity: str = "") -> dict[str, SentEnrolment]:
    return dict(journal.recorded(SiteRef(url, identity), "SCM-2024-D2").sent_enrolments)


def test_a_torn_last_line_is_skipped_and_the_next_entry_starts_fresh(tmp_path: Path) -> None:
    journal = Journal(default_path(tmp_path / "scm-lms.db", "2024-D2"))
    journal.append(enrolled("R-1", 10))
    with journal.path.open("a", encoding="utf-8") as stream:
        stream.write('{"site": "' + SITE + '", "area": "enrol')  # the machine died here
    journal.append(enrolled("R-2", 20))

    assert journal.path == tmp_path / "journal" / "2024-D2.jsonl"
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert [entry["key"] for entry in journal.entries()] == ["R-1", "R-2"]
    assert all("at" in entry for entry in journal.entries())


def test_sent_enrolments_keep_the_last_success_for_this_site_and_course(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append(enrolled("R-1", 10))
    journal.append(enrolled("R-1", 30, suspend=True))
    journal.append(enrolled("R-1", 50, status="failed"))  # a failed call says nothing about Moodle
    journal.append(enrolled("R-2", 10, site="https://test.example.de"))
    journal.append({**enrolled("R-3", 10), "course": "SCM-2024-D3"})

    assert sent(journal, SITE) == {"R-1": SentEnrolment(30, 130, True)}
    assert sent(Journal(tmp_path / "missing.jsonl"), SITE) == {}


def test_a_secret_cannot_be_written(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    with pytest.raises(TypeError):
        journal.append({"token": Secret("f3c9a1d27be04e5d9c1a8e6b4d2f7a90")})
    assert "f3c9a1d27be04e5d9c1a8e6b4d2f7a90" not in (
        journal.path.read_text() if journal.path.exists() else ""
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://moodle.example.de",
        "http://Moodle.Example.de/",
        "https://moodle.example.de:443",
        "moodle.example.de",
    ],
)
def test_site_identity_ignores_scheme_default_port_case_and_trailing_slash(url: str) -> None:
    assert site_identity(url if "://" in url else "https://" + url) == "moodle.example.de"


def test_site_identity_keeps_a_path_and_another_port() -> None:
    assert site_identity("https://lms.example.de/moodle/") == "lms.example.de/moodle"
    assert site_identity("http://127.0.0.1:8085") == "127.0.0.1:8085"


def test_entries_match_the_sites_identity_and_older_entries_their_configured_url(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    identity = "moodle.example.de"
    journal.append(enrolled("R-1", 10))  # written before site_id existed, under the configured URL
    journal.append(enrolled("R-2", 10, site="https://proxy.example.de") | {"site_id": identity})
    journal.append(enrolled("R-3", 10) | {"site_id": "other.example.de"})  # same URL, another site
    journal.append(enrolled("R-4", 10, site="http://moodle.example.de/"))  # old entry, same wwwroot
    journal.append(enrolled("R-5", 10, site="https://proxy.example.de"))  # old entry, unknown site

    proxied = sent(journal, "https://proxy.example.de", identity)
    assert sorted(proxied) == ["R-1", "R-2", "R-4", "R-5"]  # the old key, the configured URL
    other = sent(journal, SITE, "other.example.de")
    assert sorted(other) == ["R-1", "R-3"]  # R-1 has no identity: as before, by its URL
    assert sorted(sent(journal, SITE)) == ["R-1", "R-3"]  # no site info: URLs
