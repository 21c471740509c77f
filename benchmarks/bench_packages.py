"""Build and validate all packages of the built-in curriculum (5 modules × 3 formats).

Aims: the whole run under 3 s, every package under 500 KB (small uploads, quick launches on slow links).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks import Measurement, benchmark
from course_package.source import SourceError, load_course
from scorm.build import build_all

TOTAL_SECONDS_AIM = 3.0
PACKAGE_KB_AIM = 500.0


@benchmark("packages")
def build_and_validate_all() -> list[Measurement]:
    try:
        course = load_course(None)
    except SourceError as error:
        print(f"built-in curriculum does not load, nothing measured:\n{error}", file=sys.stderr)
        return []
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        results = build_all(course, Path(out))
        seconds = time.perf_counter() - start
    invalid = [result.path.name for result in results if not result.report.valid]
    if invalid:
        print(f"invalid packages (see `scm-lms build`): {', '.join(invalid)}", file=sys.stderr)
    measurements = [Measurement(f"build + validate {len(results)} packages", seconds, TOTAL_SECONDS_AIM, "s")]
    measurements += [
        Measurement(result.path.name, result.size / 1024, PACKAGE_KB_AIM, "KB") for result in results
    ]
    return measurements
