"""`scm-lms build` of the built-in curriculum as a user meets it: one whole process, median of 5 (#15).

Aim: 0.7 s. The in-process build and validation of the packages alone is `bench_packages`.
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
        seconds = whole_process([*entry(), "build", "--out", str(out)], environment())
    return [Measurement(f"scm-lms build, whole process (median of {RUNS})", seconds, BUILD_AIM, "s")]
