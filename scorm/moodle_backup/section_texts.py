"""The German texts of the course page: section 0 explains the programme, each module section its goals.

Written for the template course, so nothing here names a Durchgang or a date: dates come with the invitation,
the contact from `moodle.contact` in course.yaml (or a placeholder the programme office replaces once in the
template, which every Durchgang copies).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from course_package.model import Course, Module
from course_package.mornings import Morning

CONTACT_PLACEHOLDER = "[Name, E-Mail-Adresse und Telefonnummer des Programmbüros hier eintragen]"
MAX_OBJECTIVES = 3
"""The course page shows at most this many goals per module; the module itself lists all of them."""


def welcome_html(course: Course) -> str:
    """Section 0: greeting, how self-study and live mornings fit together, completion, whom to ask."""
    modules = len(course.modules)
    parts = [
        f"<h3>Willkommen zur Qualifizierung „{_escape(course.title)}“</h3>",
        _paragraph(
            "Schön, dass Sie dabei sind. Auf dieser Kursseite finden Sie alles, was Sie für die "
            f"{_count(modules)} Module der Qualifizierung brauchen."
        ),
        "<h4>So läuft die Qualifizierung</h4>",
        "<ul>",
        _item(
            f"Jedes Modul verbindet {_mornings_phrase(course)} mit einem Selbstlernmodul hier im Kurs. "
            "Bearbeiten Sie das Selbstlernmodul vor dem ersten Vormittag des Moduls, damit Sie gut "
            "vorbereitet sind, und danach noch einmal, um das Gelernte zu festigen."
        ),
    ]
    if course.sessions:
        parts.append(
            _item(
                f"Insgesamt umfasst die Qualifizierung {course.hours:g} Stunden an "
                f"{_count(len(course.sessions))} Vormittagen, jeweils {course.moodle.session_time}. "
                "Die Termine Ihres Durchgangs erhalten Sie mit der Einladung."
            )
        )
    parts += [
        _item(
            "Am Ende jedes Selbstlernmoduls steht eine kurze Wissensüberprüfung. Sie können sie so oft "
            "wiederholen, wie Sie möchten; es zählt Ihr bestes Ergebnis. Sind alle Module bestanden, "
            "ist der Kurs abgeschlossen – den Stand sehen Sie jeweils neben dem Modul."
        ),
        "</ul>",
        "<h4>Fragen?</h4>",
        _paragraph(
            f"Wenden Sie sich an {course.moodle.contact.strip() or CONTACT_PLACEHOLDER}. Neuigkeiten zum "
            "Durchgang erscheinen im Forum „Ankündigungen“."
        ),
    ]
    return "".join(parts)


def module_summary_html(course: Course, module: Module) -> str:
    """A module's section: up to three goals, its live mornings, when to work through it, the pass mark."""
    goals = module.objectives[:MAX_OBJECTIVES]
    heading = "Ziele (Auswahl)" if len(module.objectives) > MAX_OBJECTIVES else "Ziele"
    titles = {session.number: session.title for session in course.sessions}
    mornings = [
        f"{number} ({titles[number]})" if number in titles else str(number) for number in module.sessions
    ]
    label = "Live-Vormittag" if len(mornings) == 1 else "Live-Vormittage"
    when = (
        "vor und nach dem Vormittag"
        if len(mornings) == 1
        else "vor dem ersten und nach dem letzten Vormittag"
    )
    return "".join(
        [
            f"<p><strong>{heading}</strong></p>",
            "<ul>",
            *(_item(goal) for goal in goals),
            "</ul>",
            _paragraph(
                f"{label} {_join(mornings)}. Bearbeiten Sie das Selbstlernmodul {when}; "
                f"bestanden ab {module.pass_mark} von 100 Punkten."
            ),
            *(_agenda(morning) for morning in module.mornings),
        ]
    )


def _agenda(morning: Morning) -> str:
    """One morning's agenda as participants see it on the course page: times, parts, methods."""
    items = [
        f"{block.start}–{block.end} {block.title}" + (f" ({block.method})" if block.method else "")
        for block in morning.blocks
    ]
    return "".join(
        [
            f"<p><strong>{_escape(f'Ablauf Vormittag {morning.number}: {morning.title}')}</strong></p>",
            "<ul>",
            *(_item(item) for item in items),
            "</ul>",
        ]
    )


def _mornings_phrase(course: Course) -> str:
    counts = {len(module.sessions) for module in course.modules}
    if counts == {1}:
        return "einen Live-Vormittag"
    if len(counts) == 1:
        return f"{_count(counts.pop())} Live-Vormittage"
    return "seine Live-Vormittage"


def _escape(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=False)


def _paragraph(text: str) -> str:
    return f"<p>{_escape(text)}</p>"


def _item(text: str) -> str:
    return f"<li>{_escape(text)}</li>"


def _count(number: int) -> str:
    """Counts of two to twelve as words, as German prose writes them ("fünf Module", "zehn Vormittage")."""
    return _NUMBER_WORDS.get(number, str(number))


_NUMBER_WORDS = dict(
    enumerate(
        ("zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"), start=2
    )
)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]
