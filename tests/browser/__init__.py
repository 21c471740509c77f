"""A package, so the harness and learner import as `tests.browser.…` (pytest registers conftest under that name too)."""
