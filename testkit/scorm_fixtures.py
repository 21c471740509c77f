"""A small but complete course and a stand-in renderer for the packaging tests.

The real renderer and curriculum are written by teammates; these fixtures follow the same contracts
(`course_package.model.Course`, `Site(files, launch)`) so the packagers can be tested on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from course_package.model import Course, Module
from course_package.source import SourceError, load_course


@dataclass(frozen=True)
class StubSite:
    files: Mapping[str, bytes]
    launch: str = "index.html"


def _questions(number: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"q{number}-single",
            "type": "single",
            "prompt": "Was beschreibt eine Smart City am besten?",
            "choices": [
                {
                    "id": "ja",
                    "text": "Eine gemeinwohlorientierte Stadtentwicklung",
                    "correct": True,
                    "feedback": "Richtig: Technik ist Mittel, nicht Zweck.",
                },
                {
                    "id": "nein",
                    "text": "Möglichst viele Sensoren",
                    "feedback": "Nicht ganz: Sensoren allein reichen nicht.",
                },
                {
                    "id": "app",
                    "text": "Eine App der Stadtverwaltung",
                    "feedback": "Zu eng: Eine App ist nur ein Baustein.",
                },
            ],
        },
        {
            "id": f"q{number}-multi",
            "type": "multiple",
            "prompt": "Welche Akteure gehören zum Netzwerk?",
            "choices": [
                {"id": "ja", "text": "Verwaltung", "correct": True, "feedback": "Ja."},
                {"id": "nein", "text": "Zivilgesellschaft", "correct": True, "feedback": "Ja."},
                {"id": "niemand", "text": "Niemand", "feedback": "Nein."},
            ],
        },
        {
            "id": f"q{number}-tf",
            "type": "true-false",
            "prompt": "Daten sind ein Gemeingut der Kommune.",
            "answer": True,
            "feedback_true": "Richtig.",
            "feedback_false": "Leider falsch.",
        },
        {
            "id": f"q{number}-order",
            "type": "ordering",
            "prompt": "Bringen Sie die Schritte in die richtige Reihenfolge.",
            "items": [
                {"id": "analyse", "text": "Analyse"},
                {"id": "strategie", "text": "Strategie"},
                {"id": "umsetzung", "text": "Umsetzung"},
            ],
            "feedback_correct": "Genau so.",
            "feedback_incorrect": "Die Analyse kommt zuerst.",
        },
        {
            "id": f"q{number}-match",
            "type": "matching",
            "prompt": "Ordnen Sie die Begriffe zu.",
            "pairs": [
                {"id": "p1", "prompt": "OZG", "match": "Onlinezugangsgesetz"},
                {"id": "p2", "prompt": "DSGVO", "match": "Datenschutz-Grundverordnung"},
                {"id": "p3", "prompt": "OZG-Reifegrad", "match": "Stufenmodell der Online-Verfügbarkeit"},
            ],
            "feedback_correct": "Alles richtig zugeordnet.",
            "feedback_incorrect": "Prüfen Sie die Abkürzungen noch einmal.",
        },
    ]


_MODULE_IDS = ("grundlagen", "querschnitt", "technik", "strategie", "umsetzung")


def sample_course(pass_mark: int = 80) -> Course:
    modules = [
        {
            "number": number,
            "id": slug,
            "title": f"Testmodul {number} – Ä, Ö, Ü und ß",
            "short_title": f"Modul {number}",
            "summary": f"Zusammenfassung von Modul {number} mit <Sonderzeichen> & Umlauten.",
            "objectives": ["Ziele verstehen"],
            "hours": 8,
            "sessions": [2 * number - 1, 2 * number],
            "pass_mark": pass_mark,
            "lessons": [{"id": "einstieg", "title": "Einstieg", "minutes": 30, "body": "Text"}],
            "quiz": {"questions": _questions(number)},
        }
        for number, slug in enumerate(_MODULE_IDS, start=1)
    ]
    return Course.model_validate(
        {
            "id": "smart-city-manager",
            "title": "Smart City Manager",
            "provider": "Testanbieter",
            "hours": 40,
            "description": "Testkurs",
            "modules": modules,
        }
    )


def stub_render(course: Course, module: Module, flavour: str) -> StubSite:
    """Deterministic pages that mimic the renderer's output shape for every flavour."""
    css = b"body { font-family: sans-serif; }\n"
    pages = {
        "index.html": _page(f"Modul {module.number} – Start", flavour),
        "lektion-einstieg.html": _page("Einstieg", flavour),
        "assets/style.css": css,
    }
    if flavour != "cc":
        pages["assets/runtime.js"] = b"/* runtime */\n"
    return StubSite(files=pages)


def _page(title: str, flavour: str) -> bytes:
    script = '<script src="assets/runtime.js"></script>' if flavour != "cc" else ""
    return (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="assets/style.css">{script}</head>'
        f"<body><main><h1>{title}</h1><p>Inhalt</p></main></body></html>"
    ).encode()


def course_under_test() -> Course:
    """The built-in curriculum, or the test course while the curriculum is still incomplete."""
    try:
        return load_course(None)
    except SourceError:
        return sample_course()
