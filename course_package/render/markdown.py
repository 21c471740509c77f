"""Author Markdown to safe HTML: raw HTML off, tables on, headings fitted under the page's own heading."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from course_package.render.strings import strings


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


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}, renderer_cls=_LearnerRenderer).enable(
        "table"
    )


@lru_cache(maxsize=4096)
def render_markdown(text: str, top_level: int = 2) -> Markup:
    """Renders text whose first heading becomes `top_level`; deeper levels never skip one (WCAG 1.3.1).

    Kept per text: a build renders every lesson once per format (and SCORM 1.2 again for the Moodle backup),
    and the HTML depends on nothing but the text and the level.
    """
    tokens = _parser().parse(text)
    _fit_headings(tokens, top_level)
    return Markup(_parser().renderer.render(tokens, _parser().options, {}))


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
