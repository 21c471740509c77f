"""A package, so the harness and learner import as `tests.browser.…`, the name pytest gives conftest too."""
