"""Every failure the toolkit reports to a person shares one base (#18 §5), so a command catches one class.

Walks all modules of the four packages and checks each public exception class defined there; private ones
(leading underscore) are internal signals that never reach a person, and a TypeError marks a programming error
that must not be caught as a report.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from scm_base.errors import ToolkitError

PACKAGES = ("scm_base", "course_package", "scorm", "scm_lms")


def public_exceptions() -> dict[str, type[BaseException]]:
    found: dict[str, type[BaseException]] = {}
    for name in PACKAGES:
        package = importlib.import_module(name)
        modules = [name] + [info.name for info in pkgutil.walk_packages(package.__path__, f"{name}.")]
        for module_name in modules:
            if module_name.endswith("__main__"):
                continue
            module = importlib.import_module(module_name)
            for attribute, value in vars(module).items():
                if (
                    inspect.isclass(value)
                    and issubclass(value, BaseException)
                    and value.__module__ == module_name
                    and not attribute.startswith("_")
                ):
                    found[f"{module_name}.{attribute}"] = value
    return found


def test_every_public_exception_is_a_toolkit_error() -> None:
    found = public_exceptions()
    assert len(found) > 10  # the walk reached the packages' error classes
    outside = sorted(name for name, kind in found.items() if not issubclass(kind, ToolkitError | TypeError))
    assert outside == []


def test_a_programming_error_is_not_caught_as_a_report() -> None:
    from scm_lms.provision.payloads import PayloadMismatch

    assert not issubclass(PayloadMismatch, ToolkitError)
