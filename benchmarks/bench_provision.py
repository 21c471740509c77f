"""Provisioning three Durchgänge of 100 admitted people each against the recorded fake site (issue #15).

The same run twice, each from an empty site after `lms check` (which probes and keeps the site's field
budget, PHP max_input_vars 5000 as recorded): once with the default settings, once as one call per object
(`--batch-size 1`: one row per request, for reads as for writes). Every call waits a simulated round trip
(`ROUND_TRIP`), as a real site further away than loopback does. Printed: the calls of each `lms apply`, their
ratio, and the ratio of wall times; a re-plan afterwards must find nothing to do.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import responses

from benchmarks import Measurement, benchmark
from testkit.fake_moodle import FakeMoodle, lms, office, site_env

KEYS = ("2024-D1", "2024-D2", "2024-D3")
PER_DURCHGANG = 100
ROUND_TRIP = 0.030
"""Seconds each simulated call waits before the fake site answers."""
CALLS_AIM = 30
WALL_RATIO_AIM = 5.0
"""The default run must need at most a fifth of the wall time of one call per object."""
REPLAN_AIM = 7 * 3
"""Per Durchgang: course, cohort, accounts by id and by e-mail, members, enrolled users, events."""


@dataclass(frozen=True)
class Run:
    calls: int
    seconds: float
    objects: int
    replan_calls: int
    leftover: int
    people: int


def provision(extra: tuple[str, ...]) -> Run:
    """check, plan, apply (measured), re-plan of the three Durchgänge on a fresh fake site."""
    with tempfile.TemporaryDirectory() as name, responses.RequestsMock(False) as rsps:
        folder = Path(name)
        programme = office(folder, [key for key in KEYS for _ in range(PER_DURCHGANG)], seats=PER_DURCHGANG)
        site = FakeMoodle(rsps, delay=ROUND_TRIP)
        env = site_env(folder)
        lms(programme, "check", env=env)  # probes the field budget once, as the setup guide says
        planned = json.loads(lms(programme, "plan", *KEYS, "--json", *extra, env=env).output)
        objects = sum(plan["pending"] + 1 for plan in planned)  # + 1: a copy also needs idnumber and dates
        before = site.total_calls
        start = time.perf_counter()
        applied = lms(programme, "apply", *KEYS, "--yes", *extra, env=env)
        seconds = time.perf_counter() - start
        calls = site.total_calls - before
        if applied.exit_code != 0:
            print(applied.output, file=sys.stderr)
        before = site.total_calls
        replanned = json.loads(lms(programme, "plan", *KEYS, "--json", *extra, env=env).output)
        replan_calls = site.total_calls - before
        leftover = sum(plan["pending"] for plan in replanned)
        return Run(calls, seconds, objects, replan_calls, leftover, len(site.users))


@benchmark("provision")
def provision_three_durchgaenge() -> list[Measurement]:
    batched = provision(())
    single = provision(("--batch-size", "1"))
    for run in (batched, single):
        if run.leftover:
            print(f"  VERFEHLT: nach apply stehen noch {run.leftover} Änderungen an", file=sys.stderr)
    speedup = single.seconds / batched.seconds
    print(
        f"  {batched.people} Konten in {len(KEYS)} Durchgängen, simulierte Umlaufzeit "
        f"{ROUND_TRIP * 1000:.0f} ms je Aufruf: Standard {batched.calls} Aufrufe in {batched.seconds:.1f} s, "
        "ein Aufruf je Objekt "
        f"(--batch-size 1) {single.calls} Aufrufe in {single.seconds:.1f} s; {batched.objects} Objekte; "
        f"{single.calls / batched.calls:.1f}× weniger Aufrufe, {speedup:.1f}× weniger Zeit (Ziel ≥ "
        f"{WALL_RATIO_AIM:.0f}×); erneuter Plan: {batched.replan_calls} Aufrufe, {batched.leftover} offen"
    )
    return [
        Measurement(f"calls, apply of {batched.people} people (defaults)", batched.calls, CALLS_AIM, "calls"),
        Measurement("calls, defaults / one call per object", batched.calls / single.calls, 1.0, "ratio"),
        Measurement(
            f"wall time, defaults / one call per object ({ROUND_TRIP * 1000:.0f} ms)",
            batched.seconds / single.seconds,
            1 / WALL_RATIO_AIM,
            "ratio",
        ),
        Measurement(
            "calls of the re-plan that finds nothing to do", batched.replan_calls, REPLAN_AIM, "calls"
        ),
    ]
