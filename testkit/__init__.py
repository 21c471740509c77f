"""Helpers shared by the tests and the benchmarks: the fake Moodle, recordings replay, fixtures (no tests)."""
