"""A concurrent apply follows the plan's dependencies: on a fake site whose calls overtake each other at
random, nothing is sent before the record it needs exists, nothing is sent twice, the journal is complete,
and the next plan is empty – whatever the order and the concurrency bound."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from hypothesis import given, settings
from hypothesis import strategies as st

from scm_lms.moodle import Limits
from scm_lms.provision.actions import AREAS, Action, Area
from scm_lms.provision.apply import apply_plan, step_order
from scm_lms.provision.journal import Journal, SiteRef
from scm_lms.provision.load import Inputs, load_inputs
from scm_lms.provision.plan import make_plan
from scm_lms.provision.state import read_state
from testkit.fake_moodle import FakeMoodle, fake_client, lms, office, site_env

KEY = "2024-D2"


class Watchful(FakeMoodle):
    """The fake site, noting every call that arrives before what it needs, and every item sent twice."""

    def __init__(self, rsps: responses.RequestsMock) -> None:
        super().__init__(rsps)
        self.early: list[str] = []
        self.sent: Counter[tuple[Any, ...]] = Counter()

    def core_course_duplicate_course(self, params: dict[str, Any]) -> Any:
        self.sent[("copy", params["shortname"])] += 1
        return super().core_course_duplicate_course(params)

    def core_cohort_create_cohorts(self, params: dict[str, Any]) -> Any:
        for row in params["cohorts"]:
            self.sent[("cohort", row["idnumber"])] += 1
        return super().core_cohort_create_cohorts(params)

    def core_user_create_users(self, params: dict[str, Any]) -> Any:
        for row in params["users"]:
            self.sent[("account", row["username"])] += 1
        return super().core_user_create_users(params)

    def core_cohort_add_cohort_members(self, params: dict[str, Any]) -> Any:
        for row in params["members"]:
            userid, cohort = int(row["usertype"]["value"]), row["cohorttype"]["value"]
            self.sent[("member", cohort, userid)] += 1
            if userid not in self.users:
                self.early.append(f"Mitglied {userid} vor seinem Konto")
            if self.cohort(cohort) is None:
                self.early.append(f"Mitglied {userid} vor der globalen Gruppe")
        return super().core_cohort_add_cohort_members(params)

    def enrol_manual_enrol_users(self, params: dict[str, Any]) -> Any:
        for row in params["enrolments"]:
            userid, courseid = int(row["userid"]), int(row["courseid"])
            self.sent[("enrolment", courseid, userid)] += 1
            if userid not in self.users:
                self.early.append(f"Einschreibung {userid} vor dem Konto")
            if courseid not in self.courses:
                self.early.append(f"Einschreibung {userid} vor dem Kurs")
        return super().enrol_manual_enrol_users(params)

    def core_calendar_create_calendar_events(self, params: dict[str, Any]) -> Any:
        for row in params["events"]:
            self.sent[("event", row["courseid"], row["name"])] += 1
            if int(row["courseid"]) not in self.courses:
                self.early.append(f"Termin {row['name']} vor dem Kurs")
        return super().core_calendar_create_calendar_events(params)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Inputs]:
    programme = office(tmp_path_factory.mktemp("office"), [KEY] * 7)
    yield load_inputs(programme, None, KEY)


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    bound=st.integers(2, 6),
    existing=st.sets(st.integers(0, 6), max_size=4),
    batch=st.sampled_from([2, 3, 50]),
)
def test_a_concurrent_apply_never_sends_a_call_before_its_prerequisite_nor_an_item_twice(
    inputs: Inputs,
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    bound: int,
    existing: set[int],
    batch: int,
) -> None:
    desired = inputs.desired
    people = [user for user in desired.users if not user.trainer]
    journal = Journal(tmp_path_factory.mktemp("journal") / f"{KEY}.jsonl")
    delays = random.Random(seed)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = Watchful(rsps)
        site.delay_of = lambda function: delays.uniform(0, 0.004)
        for number in sorted(existing):  # some people already have this ledger's account
            person = people[number]
            site.add_user(person.username, person.email, person.idnumber)
        with fake_client(limits=Limits(max_items=batch)) as client:
            plan = make_plan(desired, read_state(client, desired), known=inputs.known)
            report = apply_plan(client, plan, journal, concurrency=bound)
            where = SiteRef(client.url, plan.current.site_id or "")
            recorded = journal.recorded(where, desired.course.idnumber)
            again = make_plan(desired, read_state(client, desired, recorded), known=inputs.known)

    assert site.early == []
    assert [item for item, count in site.sent.items() if count > 1] == []
    assert not report.failed, [(r.action.key, r.detail) for r in report.failed]
    entries = [entry for entry in journal.entries() if "area" in entry]
    assert Counter((e["area"], e["key"]) for e in entries) == Counter(a.ref for a in plan.pending)
    assert again.empty, [(a.area, a.op, a.key) for a in again.pending]


def test_the_steps_wait_for_what_their_actions_need(inputs: Inputs) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        FakeMoodle(rsps)
        with fake_client() as client:
            plan = make_plan(inputs.desired, read_state(client, inputs.desired), known=inputs.known)
    work: dict[Area, list[Action]] = {area: [a for a in plan.pending if a.area == area] for area in AREAS}
    waits = step_order(work)
    assert waits["course"] == waits["cohort"] == waits["user"] == frozenset()
    assert waits["member"] == {"user", "cohort"}
    assert waits["enrolment"] == {"user", "course"}
    assert waits["event"] == {"course"}


def test_several_durchgaenge_are_read_at_the_same_time_with_the_same_plans_and_calls(tmp_path: Path) -> None:
    keys = ("2024-D1", "2024-D2", "2024-D3")
    programme = office(tmp_path, [key for key in keys for _ in range(3)])
    env = site_env(tmp_path)
    seen = []
    for bound in ("1", "4"):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            site = FakeMoodle(rsps)
            site.delay_of = lambda function: 0.002
            result = lms(programme, "plan", *keys, "--json", "--concurrency", bound, env=env)
            seen.append((json.loads(result.output), dict(site.calls)))
    (one, one_calls), (four, four_calls) = seen
    assert [plan["durchgang"] for plan in four] == list(keys)
    assert four == one and four_calls == one_calls
    assert four_calls["core_course_get_categories"] == 1  # shared lookups are still read once


def test_the_state_read_in_parallel_chains_is_the_state_read_one_call_after_another(
    inputs: Inputs, tmp_path: Path
) -> None:
    desired = inputs.desired
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        site = FakeMoodle(rsps)
        with fake_client() as client:
            plan = make_plan(desired, read_state(client, desired), known=inputs.known)
            assert not apply_plan(client, plan, Journal(tmp_path / "j.jsonl")).failed
            site.delay_of = lambda function: 0.003
            states, calls = [], []
            for bound in (1, 4):
                before = Counter(site.calls)
                states.append(read_state(client, desired, concurrency=bound))
                calls.append(Counter(site.calls) - before)
    assert states[0] == states[1]
    assert states[0].course is not None and states[0].members and states[0].events
    assert calls[0] == calls[1]
