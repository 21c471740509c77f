"""Rendering without a browser: structure, accessibility markup, determinism, safety, the string catalog."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
import yaml
from lxml import html as lxml_html

from course_package.model import Course, MatchingQuestion, Module
from course_package.render import Flavour, Site, render_module
from course_package.render.markdown import render_markdown
from course_package.render.quiz import (
    SUSPEND_LIMIT_12,
    check_suspend_budget,
    interaction_id,
    short_identifier,
    shuffled,
    worst_case_suspend_data,
)
from course_package.render.sco import RUNTIME_STRINGS
from course_package.render.strings import strings
from course_package.source import load_course

FIXTURE = Path(__file__).parent / "browser" / "fixture-course.yaml"
TEMPLATES = Path(__file__).parents[1] / "course_package" / "templates"
SHORT_IDENTIFIER = re.compile(r"^[\w.]{1,250}$", re.ASCII)
"""Moodle scorm_13.js CMIShortIdentifier, the format of 2004 response and pattern tokens."""
INTERACTION_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,62}[A-Za-z0-9]$")


def fixture_course() -> Course:
    return Course.model_validate(yaml.safe_load(FIXTURE.read_text(encoding="utf-8")))


COURSES = {"fixture": fixture_course(), "curriculum": load_course()}
MODULES = [(name, module) for name, course in COURSES.items() for module in course.modules]
IDS = [f"{name}-m{module.number}" for name, module in MODULES]


def course_of(name: str) -> Course:
    return COURSES[name]


def page(site: Site, path: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(site.files[path])


def heading_levels(element: lxml_html.HtmlElement) -> list[int]:
    return [int(str(h.tag)[1]) for h in element.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def assert_heading_order(levels: list[int], where: str) -> None:
    assert levels and levels[0] == 1 and levels.count(1) == 1, (where, levels)
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, (where, levels)


def assert_page_frame(
    root: lxml_html.HtmlElement, where: str, landmarks: tuple[str, ...] = ("header", "nav", "footer")
) -> None:
    assert root.get("lang") == "de", where
    skip = root.cssselect("a.skip-link")
    assert skip and skip[0].get("href") == "#main", where
    assert root.cssselect("main#main"), where
    for landmark in landmarks:
        assert root.cssselect(landmark), (where, landmark)
    for element in root.iter("script", "link", "img"):
        target = element.get("src") or element.get("href") or ""
        assert not re.match(r"^(https?:)?//", target), (where, target)


@pytest.mark.parametrize("flavour", ["scorm12", "scorm2004", "cc"])
@pytest.mark.parametrize(("name", "module"), MODULES, ids=IDS)
def test_sites_are_deterministic_with_plain_relative_paths(
    name: str, module: Module, flavour: Flavour
) -> None:
    first = render_module(course_of(name), module, flavour)
    second = render_module(course_of(name), module, flavour)
    assert dict(first.files) == dict(second.files)
    assert first.launch == "index.html" and first.launch in first.files
    for path in first.files:
        assert path.isascii() and not path.startswith("/")
        assert "\\" not in path and ".." not in path.split("/")


@pytest.mark.parametrize("flavour", ["scorm12", "scorm2004"])
@pytest.mark.parametrize(("name", "module"), MODULES, ids=IDS)
def test_sco_is_one_accessible_document_with_all_views(name: str, module: Module, flavour: Flavour) -> None:
    site = render_module(course_of(name), module, flavour)
    root = page(site, "index.html")
    assert_page_frame(root, "index.html")
    views = root.cssselect("section.view")
    glossary = ["view-glossary"] if course_of(name).glossary.for_module(module.number) else []
    assert [v.get("id") for v in views] == [
        "view-start", *(f"lesson-{lesson.id}" for lesson in module.lessons), *glossary, "view-quiz",
        "view-result"]
    assert [v.get("hidden") is None for v in views].count(True) == 1
    for view in views:
        assert_heading_order(heading_levels(view), view.get("id", ""))
        assert view.cssselect("h1")[0].get("tabindex") == "-1", "navigation moves focus to the h1"
    buttons = [b.text_content().strip() for b in root.iter("button")]
    for name_ in ("Weiter", "Zurück", "Test auswerten", "Test wiederholen", "Modul beenden"):
        assert name_ in buttons
    for script in root.iter("script"):
        src = script.get("src")
        assert src is None or src in site.files
    for link in root.iter("link"):
        assert link.get("href") in site.files
    assert root.cssselect("[aria-live=polite]") and root.cssselect("#scm-quiz-error[role=alert]")
    assert "JavaScript" in root.cssselect("header noscript")[0].text_content()


@pytest.mark.parametrize(("name", "module"), MODULES, ids=IDS)
def test_quiz_uses_native_labelled_controls_and_hides_the_solution_order(name: str, module: Module) -> None:
    root = page(render_module(course_of(name), module, "scorm12"), "index.html")
    labels = {label.get("for"): label.text_content().strip() for label in root.iter("label")}
    fieldsets = root.cssselect("#scm-quiz fieldset")
    assert len(fieldsets) == len(module.quiz.questions)
    for fieldset, question in zip(fieldsets, module.quiz.questions, strict=True):
        assert fieldset.cssselect("legend")[0].text_content().strip() == question.prompt
        controls = fieldset.cssselect("input, select")
        assert controls and all(labels.get(c.get("id")) for c in controls), question.id
        shown = [labels[c.get("id")] for c in controls]
        if question.type in ("single", "multiple"):
            assert shown == [c.text for c in question.choices]
            kind = "radio" if question.type == "single" else "checkbox"
            assert {c.get("type") for c in controls} == {kind}
        elif question.type == "true-false":
            assert shown == ["Richtig", "Falsch"] and {c.get("type") for c in controls} == {"radio"}
        elif question.type == "ordering":
            texts = [re.sub(r"^Position von „(.*)“$", r"\1", label) for label in shown]
            assert sorted(texts) == sorted(item.text for item in question.items)
            assert texts != [item.text for item in question.items], "the solution order is not shown"
        else:
            assert isinstance(question, MatchingQuestion)
            options = [o.text_content() for o in controls[0].iter("option")][1:]
            assert sorted(options) == sorted(p.match for p in question.pairs)
            assert options != [p.match for p in question.pairs]


@pytest.mark.parametrize(("name", "module"), MODULES, ids=IDS)
def test_runtime_config_keys_match_the_model(name: str, module: Module) -> None:
    root = page(render_module(course_of(name), module, "scorm2004"), "index.html")
    config = json.loads(root.get_element_by_id("scm-config").text_content())
    assert config["version"] == "2004" and config["passMark"] == module.pass_mark
    assert set(config["strings"]) == set(RUNTIME_STRINGS)
    for entry, question in zip(config["questions"], module.quiz.questions, strict=True):
        assert INTERACTION_ID.match(entry["id"]) and len(entry["description"]) <= 250
        assert all(SHORT_IDENTIFIER.match(i) for i in entry.get("ids", []) + entry.get("options", []))
        if question.type in ("single", "multiple"):
            assert [question.choices[i].correct for i in entry["key"]] == [True] * len(entry["key"])
            assert len(entry["key"]) == sum(c.correct for c in question.choices)
        elif question.type == "true-false":
            assert entry["key"] is question.answer
        elif question.type == "ordering":
            by_position = sorted(zip(entry["key"], entry["ids"], strict=True))
            assert [item_id for _, item_id in by_position] == [short_identifier(i.id) for i in question.items]
        else:
            assert isinstance(question, MatchingQuestion)
            matched = [entry["options"][k - 1] for k in entry["key"]]
            assert matched == [short_identifier(p.id) for p in question.pairs]


@pytest.mark.parametrize(("name", "module"), MODULES, ids=IDS)
def test_cc_pages_are_complete_without_any_script(name: str, module: Module) -> None:
    site = render_module(course_of(name), module, "cc")
    every = sorted(p for p in site.files if p.endswith(".html"))
    pages = [p for p in every if p != "glossar.html"]
    assert len(pages) == len(module.lessons) + 1
    assert ("glossar.html" in site.files) == bool(course_of(name).glossary.for_module(module.number))
    overview = page(site, "index.html")
    listed = [li.text_content() for li in overview.cssselect("main ol.contents li")]
    assert [item.split(" (ca. ")[0] for item in listed] == [lesson.title for lesson in module.lessons]
    for path in every:
        # The organisation orders the pages; Moodle's importer copies no other page, so no page links to one.
        hrefs = [a.get("href", "") for a in page(site, path).cssselect("a")]
        assert not [href for href in hrefs if href.endswith(".html") and "://" not in href], path
    for path in every:
        text = site.files[path].decode("utf-8")
        assert "<script" not in text and "javascript:" not in text and not re.search(r"\son\w+=", text)
        root = page(site, path)
        assert_page_frame(root, path, ("header", "footer"))  # no page navigation: see below
        assert_heading_order(heading_levels(root.cssselect("main")[0]), path)
        assert not root.cssselect("fieldset"), "the quiz travels as QTI, not as HTML"
    for lesson, path in zip(module.lessons, pages[1:], strict=True):
        assert page(site, path).cssselect("main h1")[0].text_content() == lesson.title


def test_author_html_is_escaped_and_markdown_fits_the_page() -> None:
    rendered = str(render_markdown("# Titel\n\n#### Tief\n\n<script>x()</script>\n\n![Karte](https://x.de/k.png)"))
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "<h2>Titel</h2>" in rendered and "<h3>Tief</h3>" in rendered, "levels start at 2 and never skip"
    assert "<img" not in rendered and "Abbildung: Karte" in rendered
    table = str(render_markdown("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert '<div class="table-wrap" role="region" tabindex="0"' in table and "<table>" in table
    course = fixture_course()
    sco = render_module(course, course.modules[0], "scorm12").files["index.html"].decode()
    assert 'alert("nie")' not in sco and "&lt;script&gt;alert(&quot;nie&quot;)" in sco


def test_every_ui_text_comes_from_the_catalog() -> None:
    catalog = strings().keys()
    used = set()
    for template in TEMPLATES.glob("*.j2"):
        used |= set(re.findall(r"\bt\('([a-z_]+)'\s*[,)]", template.read_text(encoding="utf-8")))
    used |= {f"activity_kind_{kind}" for kind in ("reflection", "world-cafe", "exercise", "discussion",
                                                   "case-study")}
    used |= {f"hint_{kind}" for kind in ("single", "multiple", "true_false", "ordering", "matching")}
    used |= set(RUNTIME_STRINGS) | {"answer_true", "answer_false", "ordering_label", "matching_label",
                                    "image_placeholder", "table_label", "figure_description", "toc_start"}
    assert used == catalog, (used - catalog, catalog - used)
    with pytest.raises(KeyError, match=r"missing from course_package/strings_de\.yaml"):
        strings()("no_such_text")
    course = fixture_course()
    for flavour in ("scorm12", "cc"):
        for path, content in render_module(course, course.modules[0], flavour).files.items():
            if path.endswith(".html"):
                visible = re.sub(r"<script.*?</script>", "", content.decode(), flags=re.S)
                assert not re.search(r"\{[a-z_]+\}", visible), path


def test_suspend_budget_is_computed_and_enforced() -> None:
    for module in COURSES["curriculum"].modules:
        assert len(worst_case_suspend_data(module)) <= SUSPEND_LIMIT_12
    base = fixture_course().modules[0]
    ordering = base.quiz.questions[3]
    items = [{"id": f"i{k}", "text": f"Schritt {k}"} for k in range(8)]
    big = [ordering.model_copy(update={"id": f"q-{n}", "items": items}) for n in range(500)]
    oversized = base.model_copy(update={"quiz": base.quiz.model_copy(update={"questions": big})})
    assert len(worst_case_suspend_data(oversized)) > SUSPEND_LIMIT_12
    with pytest.raises(ValueError, match=r"Modul 1 \(grundlagen\).*suspend_data"):
        check_suspend_budget(oversized)


def test_ids_and_shuffles_are_stable() -> None:
    assert interaction_id("q-rolle", 3) == "q-rolle" and interaction_id("a", 3) == "q3-a"
    assert INTERACTION_ID.match(interaction_id("a", 3))
    for count in range(2, 9):
        order = shuffled("q-phasen", count)
        assert order == shuffled("q-phasen", count) and sorted(order) == list(range(count))
        assert order != list(range(count))


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_theme_colours_meet_wcag_contrast() -> None:
    css = (Path(__file__).parents[1] / "course_package" / "static" / "css" / "scm.css").read_text()
    tokens = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", css))
    text_pairs = [("text", "background"), ("muted", "background"), ("brand-text", "brand"),
                  ("brand-text", "accent"), ("accent", "background"), ("accent", "surface"),
                  ("ok", "background"), ("wrong", "background"), ("text", "notice"), ("text", "surface"),
                  ("muted", "surface")]
    for fore, back in text_pairs:
        assert contrast(tokens[fore], tokens[back]) >= 4.5, (fore, back)
    for ui in ("border", "accent", "text"):
        assert contrast(tokens[ui], tokens["background"]) >= 3, ui
    for rule in ("@media (prefers-reduced-motion: reduce)", ":focus-visible", "@media print"):
        assert rule in css
