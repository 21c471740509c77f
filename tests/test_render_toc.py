"""The SCO's table of contents, glossary page and figures as rendered (the browser tests play them)."""

from __future__ import annotations

from lxml import html as lxml_html

from course_package.model import Course
from course_package.render import render_module
from course_package.render.markdown import render_markdown
from course_package.source import load_course
from scorm.cc11 import pages

COURSE: Course = load_course()


def sco(number: int) -> lxml_html.HtmlElement:
    site = render_module(COURSE, COURSE.module(number), "scorm12")
    return lxml_html.fromstring(site.files["index.html"])


def test_toc_is_a_labelled_nav_behind_a_disclosure_button_listing_every_page() -> None:
    for module in COURSE.modules:
        root = sco(module.number)
        toggle = root.cssselect("#scm-toc-toggle")[0]
        assert toggle.text_content() == "Inhalt" and toggle.get("aria-expanded") == "false"
        assert toggle.get("aria-controls") == "scm-toc"
        nav = root.cssselect("nav#scm-toc")[0]
        assert nav.get("aria-label") == "Inhalt" and nav.get("hidden") is not None
        targets = [a.get("href") for a in nav.cssselect("a")]
        views = [f"#{v.get('id')}" for v in root.cssselect("section.view")]
        assert targets == views[:-1], "every page but the result, in reading order"
        assert [a.get("data-page") for a in nav.cssselect("a")] == [str(i) for i in range(len(targets))]
        states = {a.cssselect(".toc-state")[0].text_content() for a in nav.cssselect("a")}
        assert states == {"(nicht begonnen)"}, "the runtime fills in the states"


def test_glossary_page_is_a_sorted_definition_list() -> None:
    root = sco(4)
    view = root.cssselect("#view-glossary")[0]
    assert view.cssselect("h1")[0].text_content() == "Glossar"
    terms = [dt.text_content() for dt in view.cssselect("dl.glossary > dt")]
    assert terms == [t.term for t in COURSE.glossary.for_module(4)] and len(terms) >= 8
    assert "Programmmanagement" in terms and "Scrum" not in terms
    assert len(view.cssselect("dl.glossary > dd")) == len(terms)


def test_figures_are_packaged_images_with_alt_text_in_the_sco_and_texts_in_the_cartridge() -> None:
    for module in COURSE.modules:
        site = render_module(COURSE, module, "scorm2004")
        images = lxml_html.fromstring(site.files["index.html"]).cssselect("figure.figure img")
        assert images, module.number
        for image in images:
            assert image.get("alt"), module.number
            src = str(image.get("src"))
            assert src in site.files and src.startswith("figures/")
            assert site.files[src].startswith(b"<svg")
        cc = render_module(COURSE, module, "cc")
        assert not [name for name in cc.files if name.endswith(".svg")]
        texts = b"".join(body for name, body in cc.files.items() if name.endswith(".html"))
        assert b'<figure class="figure">' in texts and b"Abbildung: " in texts and b"<img" not in texts


def test_figure_block_renders_caption_and_an_expandable_description() -> None:
    block = "```figure\nfile: a.svg\nalt: Ein <Kreis>\ncaption: Abb. 1\ndescription: Lang & breit.\n```\n"
    html = str(render_markdown(block, figures={"a.svg"}))
    assert '<img src="figures/a.svg" alt="Ein &lt;Kreis&gt;">' in html
    assert "<figcaption>Abb. 1</figcaption>" in html
    assert "<summary>Beschreibung der Abbildung</summary><p>Lang &amp; breit.</p>" in html


def test_cartridge_has_the_glossary_as_its_last_page() -> None:
    site = render_module(COURSE, COURSE.module(3), "cc")
    order = pages(site)
    assert order[0] == "index.html" and order[-1] == "glossar.html"
    assert all(name.startswith("lesson-") for name in order[1:-1])
    root = lxml_html.fromstring(site.files["glossar.html"])
    assert root.cssselect("main h1")[0].text_content() == "Glossar"
    assert len(root.cssselect("main dl.glossary > dt")) == len(COURSE.glossary.for_module(3))
