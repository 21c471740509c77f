"""`scm-lms build` of the built-in curriculum as a user meets it: one whole process, median of 5 (#15).

Aim: 0.7 s. The in-process build and validation of the packages alone is `bench_packages`. The headline is
the default build (module outputs rendered on every usable core); the same build in one process
(`SCM_LMS_BUILD_JOBS=1`) is printed beside it, so what the workers add is visible and a machine with one
core knows what to expect.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks import Measurement, benchmark
from benchmarks.processes import RUNS, entry, environment, whole_process

BUILD_AIM = 0.7


@benchmark("build")
def build_whole_process() -> list[Measurement]:
    with tempfile.TemporaryDirectory() as name:
        out = Path(name) / "dist"
        command = [*entry(), "build", "--out", str(out)]
        seconds = whole_process(command, environment())
        single = whole_process(command, {**environment(), "SCM_LMS_BUILD_JOBS": "1"})
    return [
        Measurement(f"scm-lms build, whole process (median of {RUNS})", seconds, BUILD_AIM, "s"),
        Measurement(f"scm-lms build, SCM_LMS_BUILD_JOBS=1 (median of {RUNS})", single, BUILD_AIM, "s"),
    ]
