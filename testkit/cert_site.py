"""The certification tests' fake site and office (helpers, no tests): the provisioning tests' recording-based
fake Moodle plus a gradebook and course completion, an office of three admitted people who attended every
morning, and the `lms certify` command as the office runs it."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import responses
from click.testing import CliRunner, Result

from scm_lms.attendance.store import AttendanceLedger, Status
from scm_lms.cli import cli
from scm_lms.ledger import DEFAULT_NAME, Ledger
from testkit.certify_grades import RECORDING, module_item
from testkit.cli_run import run
from testkit.fake_moodle import FakeMoodle, office, recorded, site_env
from testkit.moodle_replay import load

WRITES = {
    "core_cohort_create_cohorts",
    "core_cohort_add_cohort_members",
    "core_user_update_users",
    "core_user_create_users",
}

ITEM = load(RECORDING)["response"]["usergrades"][1]["gradeitems"][0]  # graded SCORM item of Jürgen Weiß
COMPLETED = recorded("core_completion_get_course_completion_status")
NOT_COMPLETED = recorded("core_completion_get_course_completion_status--not-completed")
CUSTOM = recorded("core_user_get_users_by_field")[0]["customfields"][0]


class CertSite(FakeMoodle):
    """The fake site plus a gradebook (one SCORM item per module) and course completion."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        super().__init__(rsps)
        self.grades: dict[int, dict[int, float | None]] = {}
        self.completed: set[int] = set()
        self.report_warnings: list[dict[str, Any]] = []

    def gradereport_user_get_grade_items(self, params: dict[str, Any]) -> Any:
        assert set(params) == {"courseid", "moodlewsrestformat", "moodlewssettinglang"}  # all users, one call
        template = load(RECORDING)["response"]["usergrades"][1]
        users = []
        for userid, grades in self.grades.items():
            user = copy.deepcopy(template)
            account = self.users[userid]
            user.update(userid=userid, useridnumber=account["idnumber"], userfullname=account["fullname"])
            user["gradeitems"] = [module_item(ITEM, m, raw) for m, raw in grades.items()] + [
                user["gradeitems"][1]
            ]
            users.append(user)
        return {"usergrades": users, "warnings": self.report_warnings}

    def core_completion_get_course_completion_status(self, params: dict[str, Any]) -> Any:
        return COMPLETED if int(params["userid"]) in self.completed else NOT_COMPLETED

    def core_user_update_users(self, params: dict[str, Any]) -> Any:
        for row in params["users"]:
            user = self.users[int(row["id"])]
            for field in row.pop("customfields", []):
                kept = [f for f in user.get("customfields", []) if f["shortname"] != field["type"]]
                value = {"value": field["value"], "displayvalue": field["value"], "shortname": field["type"]}
                user["customfields"] = [*kept, {**CUSTOM, **value}]
        return super().core_user_update_users(params)

    def writes(self) -> int:
        return sum(self.calls[name] for name in WRITES)


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[tuple[CertSite, Path, list[str]]]:
    programme = office(tmp_path, ["2024-D2"] * 3)
    with Ledger.open(tmp_path / DEFAULT_NAME) as ledger:
        people = ledger.registrations()
    attend(tmp_path, [person.reg_id for person in people], mornings=range(1, 11))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = CertSite(rsps)
        site.add_course("SCM-2024-D2", "SCM-2024-D2", "Smart City Manager – Durchgang 2")
        ids = []
        for person in people:
            userid = site.add_user(
                person.email.split("@")[0],
                person.email,
                person.reg_id,
                firstname=person.first_name,
                lastname=person.last_name,
            )
            site.grades[userid] = {m: 90.0 for m in range(1, 6)}
            site.completed.add(userid)
            ids.append(person.reg_id)
        yield site, programme, ids


def attend(folder: Path, reg_ids: Sequence[str], mornings: Iterable[int], status: Status = "present") -> None:
    """The live mornings as `scm-lms attendance set` records them."""
    with AttendanceLedger.open(folder / DEFAULT_NAME) as ledger:
        for morning in mornings:
            for reg_id in reg_ids:
                ledger.set_mark("2024-D2", morning, reg_id, status, "")


def certify(programme: Path, *args: str | Path) -> Result:
    env = site_env(programme.parent)
    command = ["lms", "certify", "2024-D2", "--programme", str(programme), *map(str, args)]
    return CliRunner().invoke(cli, command, env=env, catch_exceptions=False)


def userid_of(site: CertSite, reg_id: str) -> int:
    user = site.user(reg_id)
    assert user is not None
    return int(user["id"])


def signing_key(programme: Path) -> Path:
    """A fresh signing key next to the programme file, as an office would make it once."""
    key = programme.parent / "signatur.key"
    assert run("cert", "keygen", "--key", key)[0] == 0
    return key
