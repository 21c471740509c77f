"""A package, so test helpers import as `tests.…` alike under pytest, mypy and the benchmarks."""
