"""Render one course module as the learner sees it: a single-document SCO, or static Common Cartridge pages.

Packagers in `scorm/` call `render_module` and wrap the returned files; nothing here knows about manifests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from course_package.model import Course, Module
from course_package.render.cc import render_cc
from course_package.render.quiz import RenderError, check_suspend_budget
from course_package.render.sco import render_sco

Flavour = Literal["scorm12", "scorm2004", "cc"]


@dataclass(frozen=True)
class Site:
    files: Mapping[str, bytes]
    """Relative ASCII POSIX paths -> content; the same input always gives the same bytes."""
    launch: str


def render_module(course: Course, module: Module, flavour: Flavour) -> Site:
    if flavour == "scorm12":
        files = render_sco(course, module, "1.2")
    elif flavour == "scorm2004":
        files = render_sco(course, module, "2004")
    elif flavour == "cc":
        files = render_cc(course, module)
    else:
        raise ValueError(f"unknown flavour {flavour!r}; use one of scorm12, scorm2004, cc")
    return Site(files=MappingProxyType(dict(sorted(files.items()))), launch="index.html")


__all__ = ["Flavour", "RenderError", "Site", "check_suspend_budget", "render_module"]
