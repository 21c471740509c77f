"""Run all benchmarks (or those named on the command line) and print value/aim ratios.

Usage: `python -m benchmarks [NAME…] [--strict]`; `--strict` exits 1 when an aim is missed.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

from benchmarks import REGISTRY, Measurement


def discover() -> None:
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("bench_"):
            importlib.import_module(f"benchmarks.{info.name}")


def show(name: str, measurements: list[Measurement]) -> None:
    print(f"== {name}")
    for m in measurements:
        verdict = "ok" if m.met else "VERFEHLT"
        value, aim = f"{m.value:.3f} {m.unit}", f"{m.aim:.3f} {m.unit}"
        print(f"  {m.label:<48} {value:>14} Ziel {aim:>13}  Verhältnis {m.ratio:>5.2f}  {verdict}")


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    wanted = [arg for arg in argv if not arg.startswith("--")]
    discover()
    unknown = sorted(set(wanted) - set(REGISTRY))
    if unknown:
        print(
            f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(sorted(REGISTRY))}",
            file=sys.stderr,
        )
        return 2
    missed = 0
    for name in wanted or sorted(REGISTRY):
        measurements = REGISTRY[name]()
        show(name, measurements)
        missed += sum(not m.met for m in measurements)
    return 1 if strict and missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
