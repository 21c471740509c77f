"""A small benchmark registry: `python -m benchmarks` (run by `make bench`) runs every registered benchmark.

Speed and size goals live here, not in tests, so a slow CI machine never fails the suite. A benchmark
module is any `benchmarks/bench_*.py`; it registers functions with `@benchmark("name")`. Each returns
measurements with an aim, and the runner prints value/aim ratios (≤ 1.00 meets the aim).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measurement:
    label: str
    value: float
    aim: float
    unit: str

    @property
    def ratio(self) -> float:
        return self.value / self.aim if self.aim else float("inf")

    @property
    def met(self) -> bool:
        return self.value <= self.aim


BenchmarkFunction = Callable[[], list[Measurement]]
REGISTRY: dict[str, BenchmarkFunction] = {}


def benchmark(name: str) -> Callable[[BenchmarkFunction], BenchmarkFunction]:
    def register(function: BenchmarkFunction) -> BenchmarkFunction:
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = function
        return function

    return register
