"""Author Markdown to safe HTML: raw HTML off, tables on, headings fitted under the page's own heading.

A fenced `figure` block (see course_package/source_figures.py) becomes a <figure> with its text alternative;
the SCO shows the packaged SVG, the cartridge only the texts (Moodle's importer keeps page bodies, not files).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from course_package.cases import mark_case_boxes
from course_package.render.quiz import RenderError
from course_package.render.strings import strings
from course_package.source_figures import FIGURE_INFO, parse_figure

FIGURE_FOLDER = "figures"


class _LearnerRenderer(RendererHTML):
    """Keeps pages self-contained and reflowable: no remote images, wide tables scroll in a focusable box."""

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
        return f'<span class="image-alt">{escape(strings()("image_placeholder", alt=alt))}</span>'

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        label = escape(strings()("table_label"))
        return f'<div class="table-wrap" role="region" tabindex="0" aria-label="{label}">\n<table>\n'

    def table_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return "</table>\n</div>\n"

    def fence(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        if token.info.strip() != FIGURE_INFO:
            return super().fence(tokens, idx, options, env)
        return figure_html(token.content, env.get("figures"))


def figure_html(block: str, figures: Collection[str] | None) -> str:
    """The figure with its alternative; `figures` names the packaged SVGs, None for a text-only page."""
    fields = parse_figure(block)
    if isinstance(fields, str) or not str(fields.get("alt", "")).strip():
        raise RenderError(f"Abbildungsblock ohne Textalternative oder fehlerhaft: {block.strip()[:80]!r}")
    t = strings()
    name, alt = str(fields.get("file", "")), str(fields["alt"])
    parts = ['<figure class="figure">']
    if figures is None:
        parts.append(f'<p class="image-alt">{escape(t("image_placeholder", alt=alt))}</p>')
    elif name in figures:
        parts.append(f'<img src="{FIGURE_FOLDER}/{escape(name)}" alt="{escape(alt)}">')
    else:
        raise RenderError(f"Abbildung {name!r} gehört nicht zum Modul; legen Sie sie in figures/ ab")
    if fields.get("caption"):
        parts.append(f"<figcaption>{escape(str(fields['caption']))}</figcaption>")
    if fields.get("description"):
        paragraphs = [p.strip() for p in str(fields["description"]).split("\n\n") if p.strip()]
        text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        if figures is None:
            parts.append(f'<div class="figure-description">{text}</div>')
        else:
            summary = escape(t("figure_description"))
            parts.append(f'<details class="figure-description"><summary>{summary}</summary>{text}</details>')
    parts.append("</figure>\n")
    return "\n".join(parts)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}, renderer_cls=_LearnerRenderer).enable(
        "table"
    )


def render_markdown(text: str, top_level: int = 2, figures: Collection[str] | None = None) -> Markup:
    """Renders text whose first heading becomes `top_level`; deeper levels never skip one (WCAG 1.3.1).

    `figures` are the SVG names packaged beside the page; None renders figures as their texts only.
    """
    return _rendered(text, top_level, None if figures is None else frozenset(figures))


@lru_cache(maxsize=4096)
def _rendered(text: str, top_level: int, figures: frozenset[str] | None) -> Markup:
    """Kept per input: a build renders every lesson once per format (and SCORM 1.2 again for the Moodle
    backup), and the HTML depends on nothing but the text, the level and the packaged figures."""
    tokens = _parser().parse(text)
    _fit_headings(tokens, top_level)
    mark_case_boxes(tokens)
    return Markup(_parser().renderer.render(tokens, _parser().options, {"figures": figures}))


def _fit_headings(tokens: list[Token], top_level: int) -> None:
    previous = top_level - 1
    opened: list[Token] = []
    for token in tokens:
        if token.type == "heading_open":
            wanted = max(int(token.tag[1]), top_level)
            level = min(wanted, previous + 1, 6)
            token.tag = f"h{level}"
            previous = level
            opened.append(token)
        elif token.type == "heading_close":
            token.tag = opened.pop().tag
