"""Starting `scm-lms` as a user does, for the whole-process benchmarks (`bench_cli`, `bench_build`).

The command runs through the installed `scm-lms` script with this checkout first on the path, so the code
measured is the code next to the benchmark. Bytecode is allowed (in a temporary cache, nothing is written
into the tree) and one unmeasured start warms it: an installed package has its `.pyc` files, and a user
does not pay for compiling the sources on every start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
_CACHE = tempfile.mkdtemp(prefix="scm-lms-bench-pyc-")


def entry() -> list[str]:
    """What follows `python` to start the command line: the installed `scm-lms` script, else the module."""
    installed = Path(sys.executable).parent / "scm-lms"
    return [str(installed)] if installed.exists() else ["-m", "scm_lms"]


def environment() -> dict[str, str]:
    """This checkout before the installed copy; bytecode cached outside the tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = _CACHE
    return env


def whole_process(args: list[str], env: dict[str, str], runs: int = RUNS, cwd: Path | None = None) -> float:
    """Median wall time of `runs` whole processes of `python ARGS`, after one unmeasured warm-up start."""
    command = [sys.executable, *args]
    subprocess.run(command, env=env, cwd=cwd, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)
