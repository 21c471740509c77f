"""Every built cartridge of the built-in curriculum, read with the selection rules of Moodle's CC 1.1
converter (tests/moodle_cc_facts.py): each question imports with the source's key as fractions, with its
per-answer feedback and no merged general feedback; the pages keep umlauts, tables and file links.
"""

from __future__ import annotations

import html
import math
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from course_package.model import ChoiceQuestion, Course, Module, OrderingQuestion, TrueFalseQuestion
from scorm.build import build_all
from testkit.scorm_fixtures import course_under_test
from tests import moodle_cc_facts as facts

Cartridge = tuple[Module, dict[str, bytes]]


@pytest.fixture(scope="module")
def course() -> Course:
    return course_under_test()


@pytest.fixture(scope="module")
def cartridges(course: Course, tmp_path_factory: pytest.TempPathFactory) -> list[Cartridge]:
    out = tmp_path_factory.mktemp("cc")
    built = []
    for result in build_all(course, out, epoch=1_700_000_000):
        if result.format == "cc11":
            with zipfile.ZipFile(Path(result.path)) as archive:
                built.append((result.module, {n: archive.read(n) for n in archive.namelist()}))
    assert [module.number for module, _ in built] == [m.number for m in course.modules]
    return built


def _assessment(files: dict[str, bytes]) -> bytes:
    (name,) = [n for n in files if n.endswith("assessment.xml")]
    return files[name]


def test_every_question_imports_with_the_source_key(cartridges: list[Cartridge]) -> None:
    seen_types: set[str] = set()
    for module, files in cartridges:
        imported = facts.imported(_assessment(files))
        assert len(imported) == len(module.quiz.questions), f"Modul {module.number}"
        for question, got in zip(module.quiz.questions, imported, strict=True):
            where = f"Modul {module.number}, {got.ident}"
            assert got.ident == f"{module.scorm_id}-{question.id}", where
            assert not got.true_false_error, where
            assert got.general_feedback == "", f"{where}: answer feedback merged into general feedback"
            fractions = {a.ident: a.fraction for a in got.answers}
            feedback = {a.ident: a.feedback for a in got.answers}
            seen_types.add(got.profile)
            if isinstance(question, ChoiceQuestion):
                right = [c for c in question.choices if c.correct]
                share = 1.0 if question.type == "single" else round(1 / len(right), 7)
                expected = {f"{got.ident}-{c.id}": share if c.correct else 0.0 for c in question.choices}
                assert fractions == expected, where
                assert feedback == {f"{got.ident}-{c.id}": c.feedback for c in question.choices}, where
                assert math.isclose(sum(fractions.values()), 1.0, abs_tol=1e-6), where
                assert got.moodle_type == "multichoice", where
            elif isinstance(question, TrueFalseQuestion):
                assert got.moodle_type == "truefalse", where
                assert fractions == {"true": float(question.answer), "false": float(not question.answer)}
                assert [a.text for a in got.answers] == ["Richtig", "Falsch"], where
                assert feedback == {"true": question.feedback_true, "false": question.feedback_false}
            else:
                # ordering/matching arrive as single-choice over whole sequences: one right option at 100 %
                assert got.moodle_type == "multichoice" and got.profile == "cc.multiple_choice.v0p1", where
                assert sorted(fractions.values()) == [0.0] * (len(fractions) - 1) + [1.0], where
                (right_answer,) = [a for a in got.answers if a.fraction == 1.0]
                if isinstance(question, OrderingQuestion):
                    assert right_answer.text == " → ".join(item.text for item in question.items), where
                assert right_answer.feedback == question.feedback_correct, where
    assert "cc.true_false.v0p1" in seen_types and "cc.multiple_response.v0p1" in seen_types


def test_question_texts_survive_the_latin1_html_reparse(cartridges: list[Cartridge]) -> None:
    """The converter re-parses question texts with loadHTML (ISO-8859-1 unless declared): only ASCII
    with character references reads the same either way."""
    for module, files in cartridges:
        root = etree.fromstring(_assessment(files))
        texts = root.xpath(
            "//xmlns:item/xmlns:presentation/xmlns:material/xmlns:mattext", namespaces=facts.NAMESPACES
        )
        assert len(texts) == len(module.quiz.questions)
        for question, node in zip(module.quiz.questions, texts, strict=True):
            assert node.get("texttype") == "text/html" and (node.text or "").isascii()
            assert html.unescape(node.text or "") == question.prompt


def test_pages_keep_umlauts_tables_and_worksheet_links(cartridges: list[Cartridge]) -> None:
    """Moodle keeps the <body> of each page (UTF-8 untouched), rewrites relative links to copied files and
    copies no html file, so the pages carry no links to each other (docs/inhalte-gestalten.md); everything a
    lesson's text links to locally is a file of the cartridge."""
    body = re.compile(facts.PAGE_BODY.encode(), re.IGNORECASE | re.DOTALL)
    link = re.compile(rb"""\b(?:href|src|background|archive|code)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
    umlauts = tables = 0
    for module, files in cartridges:
        pages = [n for n in files if n.endswith(".html")]
        assert pages, f"Modul {module.number}"
        for page in pages:
            raw = files[page]
            raw.decode("utf-8")  # valid UTF-8: prepare_content converts nothing
            match = body.search(raw)
            assert match and raw.count(b"<body") == 1, f"{page}: Moodle takes the page text from <body>"
            content = match.group(1)
            umlauts += bool(re.search("[äöüÄÖÜß]", content.decode("utf-8")))
            tables += b"<table" in content
            for target in link.findall(content):
                value = target.decode()
                if "://" in value or value.startswith(("#", "mailto:")):
                    continue
                assert not value.split("#")[0].lower().endswith(facts.PAGE_NOT_COPIED), (
                    f"{page}: link to {value!r} leads nowhere in Moodle"
                )
                assert "#" not in value and "?" not in value, f"{page}: {value!r} does not resolve"
                assert value in files, f"{page}: {value!r} is not in the cartridge"
    assert umlauts and tables, "the curriculum's pages carry German text and tables"


PROFILE_CHILDREN = {
    # respconditionType, conditionvarType, andType and notType of the CC 1.1 QTI profile
    # (ccv1p1_qtiasiv1p2p1_v1p0.xsd; the project carries no CC XSDs, so these content models are checked here)
    "respcondition": r"conditionvar( setvar)*( displayfeedback)*",
    "conditionvar": r"(and|other|varequal|varsubstring)( (and|other|varequal|varsubstring))*",
    "and": r"(not|varequal)( (not|varequal))*",
    "not": r"varequal( varequal)*",
}


def test_response_processing_stays_in_the_cc_qti_profile(cartridges: list[Cartridge]) -> None:
    for module, files in cartridges:
        root = etree.fromstring(_assessment(files))
        for local, model in PROFILE_CHILDREN.items():
            for node in root.iter(f"{{{facts.QTI}}}{local}"):
                children = " ".join(etree.QName(child).localname for child in node)
                assert re.fullmatch(model, children), f"Modul {module.number}: <{local}> has {children}"
        for condition in root.iter(f"{{{facts.QTI}}}respcondition"):
            assert condition.get("continue") in ("Yes", "No")
        for varequal in root.iter(f"{{{facts.QTI}}}varequal"):
            assert varequal.get("case") in ("Yes", "No") and varequal.get("respident")
