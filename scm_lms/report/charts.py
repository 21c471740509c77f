"""Charts for the report as inline SVG (matplotlib), each with a German text alternative.

Figures are built without pyplot (no global state, safe in threads) and saved with text kept as text, a fixed
hash salt and no date, so the same data gives the same bytes. Ids inside each SVG get a per-chart prefix,
because several SVGs share one HTML document. Bars below the pass mark differ in colour and hatching, so the
chart does not rely on colour alone; the data table beside each chart carries the exact numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from scm_lms.report.summary import BAND, BANDS, ModuleSummary, Morning

INK = "#1b1b1b"
PASS = "#1f4e79"
BELOW = "#a34700"
STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "scm-lms-report",
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}
_ID = re.compile(r'\bid="([^"]+)"')


@dataclass(frozen=True)
class Chart:
    key: str
    svg: str
    """Inline `<svg>` element with role="img", named by the caption with id `<key>-alt` that shows `alt`."""
    alt: str


def _svg(figure: Figure, key: str) -> str:
    buffer = io.StringIO()
    with rc_context(STYLE):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    for ident in set(_ID.findall(text)):
        text = text.replace(f'id="{ident}"', f'id="{key}-{ident}"').replace(f"#{ident})", f"#{key}-{ident})")
        text = text.replace(f'href="#{ident}"', f'href="#{key}-{ident}"')
    return text.replace("<svg ", f'<svg role="img" aria-labelledby="{key}-alt" class="chart" ', 1)


def _figure(width: float, height: float) -> Figure:
    with rc_context(STYLE):
        return Figure(figsize=(width, height), layout="constrained")


def distribution(module: ModuleSummary) -> Chart:
    """Learners per 10 % band, the bands below the pass mark marked, the pass mark as a labelled line."""
    key = f"m{module.number}-verteilung"
    alt = (
        f"Modul {module.number}: Verteilung der Ergebnisse von {module.graded} bewerteten Teilnehmenden in "
        f"Zehn-Prozent-Stufen; Bestehensgrenze {module.pass_mark} %. "
        f"{module.passed} erreichen sie, {module.graded - module.passed} nicht."
    )
    figure = _figure(6.4, 2.6)
    with rc_context(STYLE):
        axes = figure.add_subplot()
        labels = [ModuleSummary.band_label(index).removesuffix(" %") for index in range(BANDS)]
        colours = [BELOW if (index + 1) * BAND <= module.pass_mark else PASS for index in range(BANDS)]
        hatches = ["//" if colour == BELOW else "" for colour in colours]
        bars = axes.bar(labels, module.bands, color=colours, edgecolor="white")
        for bar, hatch in zip(bars, hatches, strict=True):
            bar.set_hatch(hatch)
        axes.axvline(module.pass_mark / BAND - 0.5, color=INK, linestyle="--", linewidth=1.2)
        axes.annotate(
            f"Bestehensgrenze {module.pass_mark} %",
            xy=(module.pass_mark / BAND - 0.5, 1),
            xycoords=("data", "axes fraction"),
            xytext=(-4, -2),
            textcoords="offset points",
            ha="right",
            va="top",
        )
        axes.set_xlabel("Ergebnis in %")
        axes.set_ylabel("Teilnehmende")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(max(module.bands), 1) * 1.25)
        axes.spines[["top", "right"]].set_visible(False)
    return Chart(key, _svg(figure, key), alt)


def funnel(modules: tuple[ModuleSummary, ...]) -> Chart:
    """Started, completed and passed per module, side by side."""
    key = "module-ueberblick"
    parts = "; ".join(
        f"Modul {m.number}: {m.started} begonnen, {m.completed} abgeschlossen, {m.passed} bestanden"
        for m in modules
    )
    enrolled = modules[0].enrolled if modules else 0
    alt = f"Fortschritt je Modul bei {enrolled} Teilnehmenden im Moodle-Kurs. {parts}."
    figure = _figure(6.4, 2.8)
    series = (
        ("begonnen", [m.started for m in modules], "#6b8fb3", ""),
        ("abgeschlossen", [m.completed for m in modules], "#3b6e9c", ".."),
        ("bestanden", [m.passed for m in modules], PASS, "xx"),
    )
    with rc_context(STYLE):
        axes = figure.add_subplot()
        width = 0.27
        for offset, (label, values, colour, hatch) in enumerate(series):
            positions = [index + (offset - 1) * width for index in range(len(modules))]
            axes.bar(positions, values, width, label=label, color=colour, hatch=hatch, edgecolor="white")
        axes.set_xticks(range(len(modules)), [f"Modul {m.number}" for m in modules])
        axes.set_ylabel("Teilnehmende")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(enrolled, 1) * 1.15)
        axes.legend(loc="upper center", ncols=3, frameon=False, bbox_to_anchor=(0.5, 1.18))
        axes.spines[["top", "right"]].set_visible(False)
    return Chart(key, _svg(figure, key), alt)


def attendance(mornings: tuple[Morning, ...], people: int) -> Chart:
    """Per live morning: present, excused, absent and not yet recorded, stacked; hatching tells them apart
    without colour."""
    key = "anwesenheit"
    parts = "; ".join(
        f"Vormittag {m.number}: {m.present} anwesend, {m.excused} entschuldigt, {m.absent} abwesend"
        + (f", {m.open} noch nicht erfasst" if m.open else "")
        for m in mornings
    )
    alt = f"Anwesenheit je Live-Vormittag bei {people} Zugelassenen. {parts}."
    figure = _figure(6.4, 2.8)
    series = (
        ("anwesend", [m.present for m in mornings], PASS, ""),
        ("entschuldigt", [m.excused for m in mornings], "#6b8fb3", ".."),
        ("abwesend", [m.absent for m in mornings], BELOW, "//"),
        ("nicht erfasst", [m.open for m in mornings], "#d9d9d9", ""),
    )
    with rc_context(STYLE):
        axes = figure.add_subplot()
        bottom = [0] * len(mornings)
        positions = list(range(len(mornings)))
        for label, values, colour, hatch in series:
            axes.bar(
                positions,
                values,
                0.6,
                bottom=bottom,
                label=label,
                color=colour,
                hatch=hatch,
                edgecolor="white",
            )
            bottom = [low + value for low, value in zip(bottom, values, strict=True)]
        axes.set_xticks(positions, [str(m.number) for m in mornings])
        axes.set_xlabel("Vormittag")
        axes.set_ylabel("Teilnehmende")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max(people, 1) * 1.2)
        axes.legend(loc="upper center", ncols=4, frameon=False, bbox_to_anchor=(0.5, 1.2))
        axes.spines[["top", "right"]].set_visible(False)
    return Chart(key, _svg(figure, key), alt)
