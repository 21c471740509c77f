"""The glossary file and figure blocks: loaded into the model, every mistake reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_package.model import Course, word_count
from course_package.source import Problem, SourceError, load_course
from course_package.source_figures import figure_blocks, parse_figure

M1 = "modules/01-grundlagen"
LESSON = f"{M1}/lessons/02-beteiligte.md"
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50">'
    '<rect x="1" y="1" width="98" height="48" fill="none" stroke="#000"/></svg>'
)
GLOSSARY = """terms:
  - term: Open Data
    definition: Daten, die jede und jeder frei nutzen darf.
    modules: [1, 2]
  - term: Kanban
    definition: Eine Methode, den Arbeitsfluss sichtbar zu machen.
    modules: [2]
"""


def problems(root: Path) -> list[Problem]:
    with pytest.raises(SourceError) as caught:
        load_course(root)
    return list(caught.value.problems)


def add_figure(root: Path, block: str, svg: str | None = SVG, name: str = "karte.svg") -> int:
    """Appends a figure block to the lesson; returns the file line of its opening fence."""
    path = root / LESSON
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = text.count("\n") + 1
    path.write_text(text + "```figure\n" + block + "```\n", encoding="utf-8")
    if svg is not None:
        (root / M1 / "figures").mkdir(exist_ok=True)
        (root / M1 / "figures" / name).write_text(svg, encoding="utf-8")
    return line


def test_glossary_is_loaded_and_sorted_per_module(course_source: Path) -> None:
    (course_source / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    course = load_course(course_source)
    assert [t.term for t in course.glossary.for_module(2)] == ["Kanban", "Open Data"]
    assert [t.term for t in course.glossary.for_module(1)] == ["Open Data"]


def test_a_course_without_glossary_file_has_an_empty_glossary(course_source: Path) -> None:
    (course_source / "glossary.yaml").unlink()
    assert load_course(course_source).glossary.terms == []


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        (
            "modules: [2]\n",
            "modules: [2, 7]\n",
            7,
            "terms[1].modules",
            "Glossarbegriff nennt Module [7], die es nicht gibt; der Kurs hat die Module 1 bis 2",
        ),
        (
            "    definition: Eine Methode, den Arbeitsfluss sichtbar zu machen.\n",
            "",
            5,
            "terms[1].definition",
            "Pflichtschlüssel 'definition' fehlt",
        ),
        (
            "  - term: Kanban\n",
            "  - term: Open Data\n",
            5,
            "terms[1].term",
            "Glossarbegriff 'Open Data' ist doppelt vergeben",
        ),
    ],
    ids=["unknown-module", "missing-definition", "duplicate-term"],
)
def test_glossary_mistakes_name_file_and_line(
    course_source: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    (course_source / "glossary.yaml").write_text(GLOSSARY.replace(old, new), encoding="utf-8")
    found = problems(course_source)
    assert [(p.file, p.line, p.field) for p in found] == [("glossary.yaml", line, field)]
    assert found[0].message.startswith(message), found[0].message


def test_glossary_key_in_course_yaml_is_refused(course_source: Path) -> None:
    path = course_source / "course.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "glossary: []\n", encoding="utf-8")
    found = problems(course_source)
    assert len(found) == 1 and found[0].file == "course.yaml" and "glossary.yaml" in found[0].message


def test_a_figure_is_loaded_with_its_svg(course_source: Path) -> None:
    add_figure(course_source, "file: karte.svg\nalt: Karte der Beteiligten\ndescription: Lang.\n")
    course = load_course(course_source)
    assert course.modules[0].figures == {"karte.svg": SVG}
    assert list(course.modules[1].figures) == ["vier-schritte.svg"], "the starter's own figure"


@pytest.mark.parametrize(
    ("block", "svg", "message"),
    [
        ("file: karte.svg\n", SVG, "Textalternative fehlt"),
        ("file: karte.svg\nalt: ''\n", SVG, "Textalternative fehlt"),
        ("file: karte.svg\nalt: " + "x" * 251 + "\n", SVG, "Textalternative hat 251 Zeichen"),
        ("file: fehlt.svg\nalt: Karte\n", SVG, f"Abbildung fehlt: legen Sie {M1}/figures/fehlt.svg an"),
        ("file: ../karte.svg\nalt: Karte\n", SVG, "'file:' muss eine SVG-Datei aus figures/ nennen"),
        ("file: karte.svg\nalt: Karte\nwidth: 3\n", SVG, "unbekannte Angabe 'width'"),
        ("file: karte.svg\nalt: [Karte\n", SVG, "Abbildungsblock ist kein gültiges YAML"),
        ("file: karte.svg\nalt: Karte\n", SVG.replace(' viewBox="0 0 100 50"', ""), "viewBox fehlt"),
        ("file: karte.svg\nalt: Karte\n", SVG.replace("<rect", "<script>x</script><rect"), "<script>"),
        (
            "file: karte.svg\nalt: Karte\n",
            SVG.replace("<rect", '<image href="https://example.org/a.png"/><rect'),
            "nach außen ist nicht erlaubt",
        ),
        ("file: karte.svg\nalt: Karte\n", SVG.replace("<rect", '<rect onclick="x()"'), "'onclick'"),
        ("file: karte.svg\nalt: Karte\n", "<svg", "kein gültiges SVG"),
    ],
    ids=[
        "no-alt", "empty-alt", "long-alt", "missing-file", "path-outside", "unknown-key", "bad-yaml",
        "no-viewbox", "script", "external-image", "event-handler", "not-xml",
    ],
)
def test_figure_mistakes_name_the_lesson_line(
    course_source: Path, block: str, svg: str, message: str
) -> None:
    line = add_figure(course_source, block, svg)
    found = problems(course_source)
    assert [(p.file, p.line, p.field) for p in found] == [(LESSON, line, "body")], found
    assert message in found[0].message, found[0].message


def test_figures_folder_is_allowed_in_a_module(course_source: Path) -> None:
    (course_source / M1 / "figures").mkdir()
    assert isinstance(load_course(course_source), Course)


# ---- the built-in curriculum ----


def test_every_curriculum_module_has_a_glossary_of_eight_terms_at_least() -> None:
    course = load_course()
    for module in course.modules:
        terms = course.glossary.for_module(module.number)
        assert len(terms) >= 8, (module.number, len(terms))
        assert all(len(t.definition.split()) >= 12 for t in terms), module.number


def test_every_curriculum_figure_has_a_text_alternative_and_a_packaged_svg() -> None:
    course = load_course()
    count = 0
    for module in course.modules:
        for lesson in module.lessons:
            for _, block in figure_blocks(lesson.body):
                fields = parse_figure(block)
                assert isinstance(fields, dict), (lesson.id, fields)
                assert str(fields.get("alt", "")).strip(), lesson.id
                assert str(fields.get("description", "")).strip(), f"{lesson.id}: figures carry information"
                assert fields["file"] in module.figures, (lesson.id, fields["file"])
                count += 1
    assert count >= 4


def test_figure_texts_do_not_count_as_lesson_words() -> None:
    figure = "```figure\nfile: a.svg\nalt: vier fünf\ndescription: sechs sieben\n```\n"
    body = f"Eins zwei drei.\n\n{figure}\nAcht.\n"
    assert word_count(body) == 4
