"""Broken course sources: each mistake is reported with the exact file, line, field and message."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from course_package.model import Course
from course_package.source import Problem, SourceError, load_course, load_module

M1 = "modules/01-grundlagen"
M2 = "modules/02-umsetzung"


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{rel}: test expects exactly one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[Problem]:
    with pytest.raises(SourceError) as caught:
        load_course(root)
    return list(caught.value.problems)


Breakage = Callable[[Path], object]

_CHOICE_B = """      - id: b
        text: Die Technik war zu teuer.
        feedback: Davon berichtet das Fallbeispiel nichts; das Problem lag in der Gestaltung.
"""

_BODY_02 = """
## Formate der Beteiligung

Eine **Umfrage** erreicht viele Menschen schnell. Eine **Werkstatt** braucht mehr Zeit, bringt aber
Ideen hervor, an die vorher niemand gedacht hat. Ein **Nutzertest** zeigt, wo ein Dienst noch hakt.
"""


CASES: list[tuple[str, Breakage, Problem | list[Problem]]] = [
    (
        "yaml-syntax",
        lambda r: edit(r, f"{M1}/quiz.yaml", "    prompt: Wer sollte von", "    prompt: [Wer sollte von"),
        Problem(
            f"{M1}/quiz.yaml",
            15,
            None,
            "YAML-Syntaxfehler in einer Liste in [ ]: erwartet ',' oder ']', gefunden: ein Schlüssel",
        ),
    ),
    (
        "tab-indent",
        lambda r: edit(r, f"{M2}/module.yaml", "hours: 4", "hours:\n\t4"),
        Problem(
            f"{M2}/module.yaml",
            11,
            None,
            "YAML-Syntaxfehler: Tabulator gefunden; rücken Sie mit Leerzeichen ein, nicht mit Tabulatoren",
        ),
    ),
    (
        "missing-file",
        lambda r: (r / M2 / "quiz.yaml").unlink(),
        Problem(f"{M2}/quiz.yaml", None, None, "Datei fehlt"),
    ),
    (
        "missing-modules-folder",
        lambda r: shutil.rmtree(r / "modules"),
        Problem("modules", None, None, "Ordner fehlt; legen Sie jedes Modul als modules/NN-name/ an"),
    ),
    (
        "front-matter-missing",
        lambda r: edit(r, f"{M1}/lessons/02-beteiligte.md", "---\nid: beteiligte", "id: beteiligte"),
        Problem(
            f"{M1}/lessons/02-beteiligte.md",
            1,
            None,
            "Vorspann (Front Matter) fehlt: beginnen Sie mit einer Zeile '---', dann id, title und minutes, "
            "dann wieder '---'",
        ),
    ),
    (
        "front-matter-unclosed",
        lambda r: edit(r, f"{M1}/lessons/02-beteiligte.md", "---\n\n## Fachamt", "\n## Fachamt"),
        Problem(
            f"{M1}/lessons/02-beteiligte.md",
            1,
            None,
            "Vorspann ist nicht abgeschlossen: fügen Sie danach eine Zeile '---' ein",
        ),
    ),
    (
        "wrong-type",
        lambda r: edit(r, f"{M2}/module.yaml", "hours: 4", "hours: vier"),
        Problem(f"{M2}/module.yaml", 10, "hours", "erwartet wird eine Zahl, gefunden: der Text 'vier'"),
    ),
    (
        "number-above-maximum",
        lambda r: edit(r, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 120"),
        Problem(f"{M2}/module.yaml", 12, "pass_mark", "darf höchstens 100 sein, ist aber die Zahl 120"),
    ),
    (
        "number-below-minimum",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "minutes: 25\n", "minutes: 0\n"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md", 4, "minutes", "muss mindestens 1 sein, ist aber die Zahl 0"
        ),
    ),
    (
        "space-in-moodle-idnumber",
        lambda r: edit(r, "course.yaml", "provider:", "moodle:\n  idnumber: SCM VORLAGE\nprovider:"),
        Problem(
            "course.yaml",
            8,
            "moodle.idnumber",
            "'SCM VORLAGE' hat die falsche Form; Leerzeichen sind hier nicht erlaubt",
        ),
    ),
    (
        "number-for-text",
        lambda r: edit(r, "course.yaml", 'version: "1.0"', "version: 1.0"),
        Problem(
            "course.yaml",
            8,
            "version",
            "erwartet wird Text, gefunden: die Zahl 1.0 – setzen Sie den Wert in Anführungszeichen",
        ),
    ),
    (
        "required-field-missing",
        lambda r: edit(r, f"{M2}/module.yaml", "title: Digitale Bürgerdienste planen und umsetzen\n", ""),
        Problem(f"{M2}/module.yaml", 1, "title", "Pflichtschlüssel 'title' fehlt"),
    ),
    (
        "empty-value",
        lambda r: edit(r, f"{M2}/module.yaml", "short_title: Umsetzung", "short_title:"),
        Problem(
            f"{M2}/module.yaml",
            4,
            "short_title",
            "hat keinen Wert; schreiben Sie ihn hinter den Doppelpunkt (oder löschen Sie den Schlüssel, "
            "wenn er optional ist)",
        ),
    ),
    (
        "duplicate-question-id",
        lambda r: edit(r, f"{M1}/quiz.yaml", "id: q-papier", "id: q-guter-dienst"),
        Problem(f"{M1}/quiz.yaml", 28, "questions[2].id", "Frage-ID 'q-guter-dienst' ist doppelt vergeben"),
    ),
    (
        "duplicate-choice-id",
        lambda r: edit(r, f"{M1}/quiz.yaml", "      - id: it\n", "      - id: fachamt\n"),
        Problem(
            f"{M1}/quiz.yaml",
            21,
            "questions[1].choices[1].id",
            "Frage 'q-beteiligte': Antwort-ID 'fachamt' ist doppelt vergeben",
        ),
    ),
    (
        "no-correct-answer",
        lambda r: edit(
            r,
            f"{M1}/quiz.yaml",
            "        correct: true\n        feedback: Richtig. Der",
            "        feedback: Richtig. Der",
        ),
        Problem(
            f"{M1}/quiz.yaml", 5, "questions[0].choices", "Frage 'q-guter-dienst' hat keine richtige Antwort"
        ),
    ),
    (
        "too-few-choices",
        lambda r: edit(r, f"{M2}/quiz.yaml", _CHOICE_B, ""),
        Problem(f"{M2}/quiz.yaml", 24, "questions[2].choices", "braucht mindestens 2 Einträge, hat 1"),
    ),
    (
        "misspelt-key",
        lambda r: edit(r, f"{M1}/quiz.yaml", "        feedback: Nicht ganz.", "        feedbak: Nicht ganz."),
        [
            Problem(
                f"{M1}/quiz.yaml",
                10,
                "questions[0].choices[1].feedback",
                "Pflichtschlüssel 'feedback' fehlt",
            ),
            Problem(
                f"{M1}/quiz.yaml",
                12,
                "questions[0].choices[1].feedbak",
                "unbekannter Schlüssel 'feedbak' – meinten Sie 'feedback'? Erlaubt sind hier: id, text, "
                "correct, feedback",
            ),
        ],
    ),
    (
        "unknown-question-type",
        lambda r: edit(r, f"{M1}/quiz.yaml", "type: true-false", "type: yes-no"),
        Problem(
            f"{M1}/quiz.yaml",
            29,
            "questions[2].type",
            "unbekannter Fragetyp 'yes-no' – erlaubt sind: 'single', 'multiple', 'true-false', 'ordering', "
            "'matching'",
        ),
    ),
    (
        "question-type-missing",
        lambda r: edit(
            r, f"{M1}/quiz.yaml", "    type: true-false              # eine Aussage beurteilen\n", ""
        ),
        Problem(
            f"{M1}/quiz.yaml",
            28,
            "questions[2]",
            "Schlüssel 'type' fehlt; er nennt die Art der Frage: single, multiple, true-false, ordering, "
            "matching",
        ),
    ),
    (
        "unknown-activity-kind",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "  kind: discussion", "  kind: debate"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            6,
            "activity.kind",
            "'debate' ist hier nicht erlaubt; erlaubt sind 'reflection', 'world-cafe', 'exercise', "
            "'discussion' oder 'case-study'",
        ),
    ),
    (
        "bad-slug",
        lambda r: edit(r, f"{M2}/quiz.yaml", "id: q-schritte", "id: Q_Schritte"),
        Problem(
            f"{M2}/quiz.yaml",
            2,
            "questions[0].id",
            "'Q_Schritte' ist keine gültige ID: erlaubt sind a-z, 0-9 und '-'; am Anfang ein Buchstabe, am "
            "Ende ein Buchstabe oder eine Ziffer, höchstens 64 Zeichen",
        ),
    ),
    (
        "module-number-out-of-order",
        lambda r: edit(r, f"{M2}/module.yaml", "number: 2", "number: 3"),
        Problem(
            f"{M2}/module.yaml",
            1,
            "number",
            "Module müssen in Ordnerreihenfolge lückenlos mit 1..2 nummeriert sein, gefunden: [1, 3]; dies "
            "ist Modulordner 2, also muss seine Nummer 2 sein",
        ),
    ),
    (
        "session-not-defined",
        lambda r: edit(r, f"{M2}/module.yaml", "sessions: [2]", "sessions: [2, 5]"),
        Problem(
            f"{M2}/module.yaml",
            11,
            "sessions",
            "Modul 2 nennt Sitzungen [5], die course.yaml nicht festlegt",
        ),
    ),
    (
        "hours-do-not-add-up",
        lambda r: edit(r, "course.yaml", "hours: 8 ", "hours: 10"),
        Problem(
            "course.yaml", 9, "hours", "die Stunden der Module ergeben zusammen 8, der Kurs nennt aber 10"
        ),
    ),
    (
        "empty-body",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", _BODY_02, "\n"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            12,
            "body",
            "die Lektion hat keinen Text nach ihrem Vorspann (Front Matter)",
        ),
    ),
    (
        "non-ascii-file-name",
        lambda r: (r / M2 / "lessons/03-fallbeispiel.md").rename(r / M2 / "lessons/03-Fallbeispiel Übung.md"),
        Problem(
            f"{M2}/lessons/03-Fallbeispiel Übung.md",
            None,
            None,
            "Name darf nur a-z, 0-9, '-', '_' und '.' enthalten; umbenennen, z. B. in "
            "'03-fallbeispiel-uebung.md'",
        ),
    ),
    (
        "duplicate-yaml-key",
        lambda r: edit(r, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 80\nhours: 4"),
        Problem(f"{M2}/module.yaml", 13, "hours", "Schlüssel 'hours' kommt doppelt vor (zuerst in Zeile 10)"),
    ),
    (
        "duplicate-nested-yaml-key",
        lambda r: edit(
            r,
            f"{M1}/quiz.yaml",
            "        correct: true\n        feedback: Richtig. Der",
            "        correct: true\n        correct: true\n        feedback: Richtig. Der",
        ),
        Problem(
            f"{M1}/quiz.yaml",
            9,
            "questions[0].choices[0].correct",
            "Schlüssel 'correct' kommt doppelt vor (zuerst in Zeile 8)",
        ),
    ),
    (
        "not-utf8",
        lambda r: (r / M1 / "module.yaml").write_bytes(
            (r / M1 / "module.yaml").read_bytes().replace("Bürger".encode(), "Bürger".encode("latin-1"))
        ),
        Problem(f"{M1}/module.yaml", 3, None, "kein gültiger UTF-8-Text; speichern Sie die Datei als UTF-8"),
    ),
    (
        "top-level-list",
        lambda r: (r / M2 / "quiz.yaml").write_text("- id: q1\n", encoding="utf-8"),
        Problem(
            f"{M2}/quiz.yaml", 1, None, "erwartet werden Zeilen 'schlüssel: wert', aber gefunden: eine Liste"
        ),
    ),
    (
        "empty-file",
        lambda r: (r / M2 / "quiz.yaml").write_text("# noch leer\n", encoding="utf-8"),
        Problem(
            f"{M2}/quiz.yaml", 1, None, "erwartet werden Zeilen 'schlüssel: wert', aber die Datei ist leer"
        ),
    ),
    (
        "lessons-key-in-module-yaml",
        lambda r: edit(r, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 80\nlessons: []"),
        Problem(
            f"{M2}/module.yaml",
            13,
            "lessons",
            "Schlüssel 'lessons' ist hier nicht erlaubt: Lektionen kommen aus dem Ordner lessons/",
        ),
    ),
    (
        "misnamed-quiz-file",
        lambda r: (r / M2 / "quiz.yaml").rename(r / M2 / "quiz.yml"),
        [
            Problem(f"{M2}/quiz.yaml", None, None, "Datei fehlt"),
            Problem(
                f"{M2}/quiz.yml",
                None,
                None,
                "unerwarteter Eintrag; ein Modulordner enthält nur module.yaml, quiz.yaml, lessons/, "
                "mornings/ und figures/",
            ),
        ],
    ),
    (
        "stray-file-in-modules",
        lambda r: (r / "modules/liesmich.txt").write_text("x", encoding="utf-8"),
        Problem("modules/liesmich.txt", None, None, "unerwartete Datei; in modules/ gehören nur Modulordner"),
    ),
    (
        "body-key-in-front-matter",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "minutes: 25\n", "minutes: 25\nbody: Text\n"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            5,
            "body",
            "Schlüssel 'body' ist hier nicht erlaubt: der Lektionstext ist der Text nach dem schließenden "
            "'---'",
        ),
    ),
    (
        "non-markdown-lesson",
        lambda r: (r / M2 / "lessons/notizen.txt").write_text("x", encoding="utf-8"),
        Problem(
            f"{M2}/lessons/notizen.txt", None, None, "keine Lektion: in lessons/ gehören nur .md-Dateien"
        ),
    ),
    (
        "h1-in-body",
        lambda r: edit(
            r, f"{M2}/lessons/02-beteiligung.md", "## Formate der Beteiligung", "# Formate der Beteiligung"
        ),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            13,
            "body",
            "der Lektionstitel ist schon die Hauptüberschrift (h1) der Seite; Überschriften im Text beginnen "
            "mit ##",
        ),
    ),
    (
        "raw-html-in-body",
        lambda r: edit(r, f"{M2}/lessons/02-beteiligung.md", "Eine **Umfrage**", "Eine <b>Umfrage</b>"),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            15,
            "body",
            "HTML '<b>' ist in Lektionen nicht erlaubt; schreiben Sie Markdown",
        ),
    ),
    (
        "external-image",
        lambda r: edit(
            r,
            f"{M2}/lessons/02-beteiligung.md",
            "## Formate der Beteiligung\n",
            "## Formate der Beteiligung\n\n![Bild](https://example.org/b.png)\n",
        ),
        Problem(
            f"{M2}/lessons/02-beteiligung.md",
            15,
            "body",
            "externes Bild 'https://example.org/b.png' ist nicht erlaubt; Lernende sind evtl. offline",
        ),
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_mistake_is_reported_exactly(
    course_source: Path, breakage: Breakage, expected: Problem | list[Problem]
) -> None:
    breakage(course_source)
    assert problems(course_source) == (expected if isinstance(expected, list) else [expected])


def test_starter_course_is_valid() -> None:
    course = load_course(Path(__file__).parents[1] / "course_package" / "starter")
    assert isinstance(course, Course)
    assert [module.short_title for module in course.modules] == ["Grundlagen", "Umsetzung"]
    assert [len(module.lessons) for module in course.modules] == [2, 3]


def test_starter_course_shows_every_feature() -> None:
    course = load_course(Path(__file__).parents[1] / "course_package" / "starter")
    lessons = [lesson for module in course.modules for lesson in module.lessons]
    kinds = {lesson.activity.kind for lesson in lessons if lesson.activity}
    assert kinds == {"reflection", "world-cafe", "exercise", "discussion", "case-study"}
    types = {question.type for module in course.modules for question in module.quiz.questions}
    assert types == {"single", "multiple", "true-false", "ordering", "matching"}
    assert any("\n|---" in lesson.body or "\n|--" in lesson.body for lesson in lessons), "a Markdown table"
    assert course.sessions and all(module.sessions for module in course.modules)
    assert course.glossary.for_module(2) and course.modules[1].figures, "a glossary and a figure"


def test_all_problems_across_files_are_reported_in_one_run(course_source: Path) -> None:
    edit(course_source, f"{M1}/quiz.yaml", "    prompt: Wer sollte von", "    prompt: [Wer sollte von")
    edit(course_source, f"{M1}/lessons/01-was-sind-buergerdienste.md", "kind: reflection", "kind: reflektion")
    edit(course_source, f"{M2}/module.yaml", "title: Digitale Bürgerdienste planen und umsetzen\n", "")
    edit(course_source, f"{M2}/module.yaml", "sessions: [2]", "sessions: [2, 7]")
    edit(course_source, f"{M2}/quiz.yaml", "id: q-formate", "id: q-schritte")
    edit(course_source, f"{M2}/lessons/02-beteiligung.md", _BODY_02, "\n")
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")
    (course_source / M2 / "lessons/03-fallbeispiel.md").rename(course_source / M2 / "lessons/03-Fall.md")

    assert [str(problem) for problem in problems(course_source)] == [
        "course.yaml:9: hours: die Stunden der Module ergeben zusammen 8, der Kurs nennt aber 9",
        "modules/01-grundlagen/lessons/01-was-sind-buergerdienste.md:6: activity.kind: 'reflektion' ist hier "
        "nicht erlaubt; erlaubt sind 'reflection', 'world-cafe', 'exercise', 'discussion' oder 'case-study'",
        "modules/01-grundlagen/quiz.yaml:15: YAML-Syntaxfehler in einer Liste in [ ]: erwartet ',' oder ']', "
        "gefunden: ein Schlüssel",
        "modules/02-umsetzung/lessons/02-beteiligung.md:12: body: die Lektion hat keinen Text nach ihrem "
        "Vorspann (Front Matter)",
        "modules/02-umsetzung/lessons/03-Fall.md: Name darf nur a-z, 0-9, '-', '_' und '.' enthalten; "
        "umbenennen, z. B. in '03-fall.md'",
        "modules/02-umsetzung/module.yaml:1: title: Pflichtschlüssel 'title' fehlt",
        "modules/02-umsetzung/module.yaml:10: sessions: Modul 2 nennt Sitzungen [7], die course.yaml nicht "
        "festlegt",
        "modules/02-umsetzung/quiz.yaml:12: questions[1].id: Frage-ID 'q-schritte' ist doppelt vergeben",
    ]


def test_source_error_message_lists_every_problem(course_source: Path) -> None:
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")
    (course_source / M2 / "quiz.yaml").unlink()
    with pytest.raises(SourceError) as caught:
        load_course(course_source)
    assert str(caught.value) == (
        "2 Probleme in der Kursquelle:\n"
        "course.yaml:9: hours: die Stunden der Module ergeben zusammen 8, der Kurs nennt aber 9\n"
        "modules/02-umsetzung/quiz.yaml: Datei fehlt"
    )


def test_missing_source_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "fehlt") == [
        Problem(
            ".", None, None, f"Kursquellordner '{tmp_path / 'fehlt'}' existiert nicht oder ist kein Ordner"
        )
    ]


def test_no_module_folders(course_source: Path) -> None:
    shutil.rmtree(course_source / M1)
    shutil.rmtree(course_source / M2)
    assert problems(course_source) == [
        Problem(
            "modules", None, None, "noch keine Modulordner; legen Sie modules/01-name/ mit module.yaml an"
        )
    ]


def test_without_source_the_built_in_curriculum_is_loaded(
    course_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("course_package.source.CURRICULUM_DIR", course_source)
    assert load_course().id == "beispielkurs"


def test_loaded_course_keeps_source_order_and_content(course_source: Path) -> None:
    course = load_course(course_source)
    module = course.module(2)
    assert [lesson.id for lesson in module.lessons] == ["vorhaben-planen", "beteiligung", "fallbeispiel"]
    assert module.lessons[1].body.startswith("## Formate der Beteiligung")
    assert module.lessons[1].activity is not None and module.lessons[1].activity.kind == "discussion"
    assert [question.type for question in module.quiz.questions] == ["ordering", "matching", "single"]


def test_strict_reports_curriculum_minimums(course_source: Path) -> None:
    with pytest.raises(SourceError) as caught:
        load_course(course_source, strict=True)
    need = "der Lehrplan verlangt mindestens"
    kits = [
        problem
        for problem in caught.value.problems
        if "mornings" in problem.file or problem.field in {"activity.worksheet", "activity.debrief"}
    ]
    # Session kits (#12) are strict-only while the content is written: two per activity, per module the
    # missing mornings, and module 2's World Café (test_mornings_source.py checks the wording).
    assert len(kits) == 2 * 5 + 2 + 1
    per_lesson = [p for p in caught.value.problems if p.file.endswith(".md") and p not in kits]
    # The starter's five lessons carry no "Stand" and no sources (test_lesson_sources.py checks the wording).
    assert sorted((problem.file.rsplit("/", 1)[1], problem.field) for problem in per_lesson) == sorted(
        (name, field)
        for name in (
            "01-was-sind-buergerdienste.md",
            "02-beteiligte.md",
            "01-vorhaben-planen.md",
            "02-beteiligung.md",
            "03-fallbeispiel.md",
        )
        for field in ("sources", "updated")
    )
    glossary = [str(problem) for problem in caught.value.problems if problem.file == "glossary.yaml"]
    wanted = "glossary.yaml:2: Modul {n} hat {k} Glossarbegriffe; {need} 8 (Einträge mit 'modules: [{n}]')"
    assert glossary == [wanted.format(n=n, k=k, need=need) for n, k in ((1, 1), (2, 2))]
    others = [problem for problem in caught.value.problems if problem.file != "glossary.yaml"]
    assert [str(problem) for problem in others if problem not in per_lesson + kits] == [
        f"{M1}/lessons: hat 0 Praxisbeispiele (> **Praxisbeispiel: …**); {need} 2",
        f"{M1}/lessons: hat 125 Wörter Lektionstext; {need} 5000",
        f"{M1}/lessons: hat 2 Lektionen; {need} 5",
        f"{M1}/module.yaml:7: objectives: hat 2 Lernziele; {need} 4",
        f"{M1}/quiz.yaml:1: questions: hat 3 Fragen; {need} 10",
        f"{M2}/lessons: hat 0 Praxisbeispiele (> **Praxisbeispiel: …**); {need} 2",
        f"{M2}/lessons: hat 111 Wörter Lektionstext; {need} 5000",
        f"{M2}/lessons: hat 3 Lektionen; {need} 5",
        f"{M2}/module.yaml:7: objectives: hat 2 Lernziele; {need} 4",
        f"{M2}/quiz.yaml:1: questions: hat 3 Fragen; {need} 10",
    ]


def test_strict_flags_a_different_pass_mark(course_source: Path) -> None:
    edit(course_source, f"{M2}/module.yaml", "pass_mark: 80", "pass_mark: 70")
    with pytest.raises(SourceError) as caught:
        load_course(course_source, strict=True)
    message = "Bestehensgrenze ist 70; der Lehrplan verlangt 80"
    assert Problem(f"{M2}/module.yaml", 12, "pass_mark", message) in caught.value.problems


def test_load_module_checks_one_module_alone(course_source: Path) -> None:
    edit(course_source, "course.yaml", "hours: 8 ", "hours: 9")  # a course-wide problem is not its concern
    assert load_module(course_source / M2).id == "umsetzung"
    edit(course_source, f"{M2}/quiz.yaml", "id: q-formate", "id: q-schritte")
    with pytest.raises(SourceError) as caught:
        load_module(course_source / M2)
    assert caught.value.problems == (
        Problem(f"{M2}/quiz.yaml", 12, "questions[1].id", "Frage-ID 'q-schritte' ist doppelt vergeben"),
    )
