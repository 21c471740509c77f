"""Fixtures shared across test modules; keep them generic (area-specific helpers live in their test files)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from course_package.scaffold import STARTER_DIR
from testkit.chromium import CHROMIUM_ARGS


@pytest.fixture
def course_source(tmp_path: Path) -> Path:
    """A writable copy of the valid two-module starter course, to break or build on in a test."""
    target = tmp_path / "kurs"
    shutil.copytree(STARTER_DIR, target)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Debian Chromium for the whole run; missing tools fail loudly, since `make test` installs them."""
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed; run `make install-test` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A tab that fails the test on any uncaught script error in the page or a frame."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"script errors in the page: {errors}"
