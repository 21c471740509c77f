"""The report as one self-contained HTML page: inline CSS and inline SVG, no script, no external resource,
so it can be mailed, archived and printed on A4 as it is."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from scm_base.atomic import write_atomic
from scm_lms.programme.schedule import BERLIN
from scm_lms.report.charts import attendance, distribution, funnel
from scm_lms.report.gather import ReportData
from scm_lms.report.summary import Summary


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("scm_lms.report", "assets"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_report(data: ReportData, summary: Summary, names: bool = False) -> str:
    """Names appear only with `names`; otherwise they are not even handed to the template."""
    if not names:
        summary = _without_names(summary)
    admitted = sum(1 for learner in data.learners if learner.attendance is not None)
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            data=data,
            summary=summary,
            names=names,
            generated=data.generated.astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M Uhr"),
            funnel=funnel(summary.modules),
            distributions=[(module, distribution(module)) for module in summary.modules],
            attendance=attendance(summary.mornings, admitted),
            min_sessions=data.rules.min_sessions,
            admitted_ids={learner.idnumber for learner in data.learners if learner.attendance is not None},
            symbols={"present": "✓", "excused": "E", "absent": "–", None: "·"},
        )
    )


def _without_names(summary: Summary) -> Summary:
    return replace(
        summary,
        outcomes=tuple(replace(outcome, name="") for outcome in summary.outcomes),
        stuck=tuple(replace(item, name="") for item in summary.stuck),
    )


def write_report(path: Path, html: str) -> None:
    """Atomic, so a browser tab or mail attachment never sees half a report; owner-only, since with `--names`
    it holds personal data."""
    write_atomic(path, html.encode("utf-8"), mode=0o600)
