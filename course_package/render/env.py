"""Shared rendering machinery: the Jinja environment, packaged assets and German number formatting."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from course_package.render.markdown import render_markdown
from course_package.render.strings import strings


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("course_package", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = strings()
    env.filters["markdown"] = render_markdown
    env.filters["de_number"] = german_number
    env.filters["de_month"] = german_month
    return env


def render_template(name: str, **context: Any) -> bytes:
    return environment().get_template(name).render(**context).encode("utf-8")


def german_number(value: float) -> str:
    """8.0 → "8", 7.5 → "7,5": how hours read in German text."""
    return f"{value:g}".replace(".", ",")


_MONTHS: tuple[str, ...] = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August")
_MONTHS += ("September", "Oktober", "November", "Dezember")


def german_month(updated: str) -> str:
    """"2026-11" → "November 2026": a lesson's "Stand" as a German reader writes it."""
    year, month = updated.split("-")
    return f"{_MONTHS[int(month) - 1]} {year}"


def json_script(data: Any) -> Markup:
    """JSON safe inside <script type="application/json">: no "</script>" or comment opener survives."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@cache
def package_file(package: str, *path: str) -> bytes:
    """A file shipped with the toolkit (runtime JS, CSS); read once per process, every package carries it."""
    return resources.files(package).joinpath(*path).read_bytes()
