"""Rendering a run's module-scoped outputs on every core before `run_builds` writes them (#15).

Each task is one module's outputs of one group – the guide alone, or the packages with the worksheets they
embed (so the worksheets PDF is laid out once per module, as in one process) – in a forked worker that
inherits the run. The bytes come back into `Run.built`; `run_builds` then writes, validates and reports in
registry order exactly as without workers. A task that fails leaves its outputs out: the main process
builds them again when it reaches them and raises the same error at the same point, after the same files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from scorm.formats import GUIDE

if TYPE_CHECKING:
    from scorm.builds import Run

JOBS_ENV = "SCM_LMS_BUILD_JOBS"
"""Overrides the number of processes (1: everything in the main process)."""

_RUN: Run | None = None
"""The run a forked worker inherits (set only while the pool runs)."""

Task = tuple[int, tuple[str, ...]]
"""A module number and the kinds to build for it."""


def usable_jobs(jobs: int | None) -> int:
    if jobs is None:
        raw = os.environ.get(JOBS_ENV, "").strip()
        jobs = int(raw) if raw.isdigit() else _cores()
    return max(1, jobs)


def _cores() -> int:
    """The cores this process may run on (affinity where the system has it, else all)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def prebuild(run: Run, kinds: Sequence[str], jobs: int | None) -> None:
    """Fills `run.built` with the module-scoped `kinds`, built in parallel; nothing when one job suffices."""
    global _RUN
    tasks = _tasks(run, kinds)
    workers = min(usable_jobs(jobs), len(tasks))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    _RUN = run
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            for number, built in zip((number for number, _ in tasks), pool.map(_build, tasks), strict=True):
                for kind, data in built.items():
                    run.built[(kind, number)] = data
    except BrokenProcessPool:  # a worker died: what is missing is built in the main process
        pass
    finally:
        _RUN = None


def _tasks(run: Run, kinds: Sequence[str]) -> list[Task]:
    """Per module: the guide on its own, everything else together; the longest first."""
    rest = tuple(kind for kind in kinds if kind != GUIDE)
    groups = [group for group in (rest, (GUIDE,) if GUIDE in kinds else ()) if group]
    return [(module.number, group) for group in groups for module in run.course.modules]


def _build(task: Task) -> dict[str, bytes]:
    """In a worker: the outputs that built; a failure ends the task (the main process builds it again)."""
    assert _RUN is not None, "worker without a run"
    number, kinds = task
    module = next(module for module in _RUN.course.modules if module.number == number)
    built: dict[str, bytes] = {}
    for kind in kinds:
        try:
            built[kind] = _RUN.output(kind, module)
        except Exception:  # the main process builds it again and raises it where a sequential run would
            break
    return built
