"""Loading mornings, worksheets and debriefs: every broken session source is a precise German problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_package.source import SourceError, check_course, load_course
from testkit.session_kits import DEBRIEF, add_session_kits

M1 = "modules/01-grundlagen/mornings/01.yaml"
M2 = "modules/02-umsetzung/mornings/02.yaml"
L1 = "modules/01-grundlagen/lessons/01-was-sind-buergerdienste.md"


@pytest.fixture
def kit_source(course_source: Path) -> Path:
    return add_session_kits(course_source)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root: Path, *, strict: bool = False) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_course(root, strict=strict)
    return [str(problem) for problem in caught.value.problems]


def test_complete_kits_load_with_titles_from_the_morning_files(kit_source: Path) -> None:
    checked = check_course(kit_source)
    assert checked.hints == ()
    course = checked.course
    assert [(s.number, s.title) for s in course.sessions] == [
        (1, "Digitale Bürgerdienste verstehen"),
        (2, "Beteiligung im World Café"),
    ]
    assert course.sessions[0].topics == ["Kennenlernen", "Was sind digitale Bürgerdienste?"]
    morning = course.modules[1].mornings[0]
    assert [block.start for block in morning.blocks][:3] == ["09:00", "09:15", "10:00"]
    assert morning.blocks[-1].end == "13:00" and morning.break_minutes == 30
    cafe = morning.world_cafe
    assert cafe is not None and cafe.world_cafe is not None and len(cafe.world_cafe.rounds) == 3
    activity = course.modules[0].lessons[0].activity
    assert activity is not None and activity.worksheet is not None and activity.debrief
    assert activity.worksheet.fields[0].lines == 4


def test_gap_and_overlap_between_blocks(kit_source: Path) -> None:
    edit(kit_source, M1, 'start: "09:20"\n    minutes: 40', 'start: "09:25"\n    minutes: 35')
    edit(kit_source, M1, 'start: "11:30"\n    minutes: 70', 'start: "11:20"\n    minutes: 80')
    assert problems(kit_source) == [
        f"{M1}:17: blocks[1].start: Lücke: der vorige Block endet um 09:20, dieser beginnt erst um 09:25; "
        "die Blöcke müssen lückenlos aufeinander folgen",
        f"{M1}:42: blocks[5].start: Überschneidung: der vorige Block endet erst um 11:30, dieser beginnt "
        "schon um 11:20",
    ]


def test_first_block_not_at_nine_and_last_not_ending_at_one(kit_source: Path) -> None:
    edit(kit_source, M1, 'start: "09:00"', 'start: "08:30"')
    edit(kit_source, M1, "minutes: 20\n    kind: reflection", "minutes: 30\n    kind: reflection")
    assert problems(kit_source) == [
        f"{M1}:9: blocks[0].start: der Vormittag beginnt um 09:00; der erste Block beginnt um 08:30",
        f"{M1}:17: blocks[1].start: Lücke: der vorige Block endet um 08:50, dieser beginnt erst um 09:20; "
        "die Blöcke müssen lückenlos aufeinander folgen",
        f"{M1}:51: blocks[6].minutes: der Vormittag endet um 13:00; der letzte Block endet um 13:10",
    ]


def test_breaks_under_thirty_minutes(kit_source: Path) -> None:
    edit(
        kit_source,
        M1,
        "minutes: 15\n    kind: break",
        "minutes: 15\n    kind: plenary\n    method: x\n    notes: y",
    )
    assert problems(kit_source) == [
        f"{M1}:8: blocks: die Pausen (kind: break) ergeben zusammen 15 Minuten; mindestens 30 (z. B. 15 + 15)"
    ]


def test_unknown_kind_and_missing_method(kit_source: Path) -> None:
    edit(kit_source, M1, "kind: input", "kind: vortrag")
    edit(kit_source, M1, '    method: "Daumenprobe"\n', "")
    found = problems(kit_source)
    assert found == [
        f"{M1}:19: blocks[1].kind: 'vortrag' ist hier nicht erlaubt; erlaubt sind 'input', 'exercise', "
        "'plenary', 'break', 'check-in' oder 'reflection'",
        f"{M1}:50: blocks[6].method: Pflichtschlüssel 'method' fehlt; nur eine Pause (kind: break) kommt "
        "ohne Methode und Moderationshinweise aus",
    ]


def test_unknown_objective_and_morning_of_another_module(kit_source: Path) -> None:
    edit(kit_source, M1, "objectives: [1, 2]", "objectives: [1, 7]")
    (kit_source / M2).rename(kit_source / "modules/02-umsetzung/mornings/01.yaml")
    edit(kit_source, "modules/02-umsetzung/mornings/01.yaml", "number: 2", "number: 1")
    assert problems(kit_source) == [
        "course.yaml:17: sessions[1].title: Titel fehlt: Sitzung 2 hat noch keine Vormittagsdatei "
        "mornings/NN.yaml mit title (bis dahin title: hier angeben)",
        f"{M1}:3: objectives[1]: Lernziel 7 gibt es nicht; module.yaml hat 2 Lernziele (IDs 1 bis 2, in der "
        "Reihenfolge von objectives)",
        "modules/02-umsetzung/mornings/01.yaml:1: number: Vormittag 1 gehört nicht zu diesem Modul; "
        "module.yaml nennt die Sitzungen [2]",
    ]


def test_file_name_must_match_the_number(kit_source: Path) -> None:
    edit(kit_source, M2, "number: 2", "number: 3")
    (kit_source / "modules/02-umsetzung/mornings/notizen.txt").write_text("x", encoding="utf-8")
    found = problems(kit_source)
    assert (
        f"{M2}:1: number: die Datei heißt 02.yaml, nennt aber Vormittag 3; Name und Nummer angleichen"
        in found
    )
    assert (
        "modules/02-umsetzung/mornings/notizen.txt: keine Vormittagsdatei: in mornings/ gehört je Vormittag "
        "eine Datei NN.yaml (zweistellige Nummer des Vormittags, z. B. 03.yaml)" in found
    )


def test_activity_references_unknown_lesson_lesson_without_activity_and_twice(kit_source: Path) -> None:
    edit(kit_source, M1, "activity: was-sind-buergerdienste", "activity: gibt-es-nicht")
    edit(
        kit_source,
        M1,
        '    title: "Ergebnisse sammeln"\n',
        '    title: "Ergebnisse sammeln"\n    activity: beteiligte\n',
    )
    edit(kit_source, M1, '    title: "Abschluss"\n', '    title: "Abschluss"\n    activity: beteiligte\n')
    found = problems(kit_source)
    assert found == [
        "modules/01-grundlagen/lessons/02-beteiligte.md:22: activity.self_study: die Aktivität wird in "
        "Vormittag 1, Block 6 aufgegriffen; löschen Sie self_study (oder den Verweis activity: im Vormittag)",
        f"{M1}:37: blocks[3].activity: keine Lektion dieses Moduls hat die ID 'gibt-es-nicht'; vorhanden: "
        "beteiligte, was-sind-buergerdienste",
        f"{M1}:55: blocks[6].activity: die Aktivität der Lektion 'beteiligte' greift schon Vormittag 1, "
        "Block 6 auf; jede Aktivität wird in genau einem Block aufgegriffen",
    ]


def test_reference_to_a_lesson_without_activity(kit_source: Path) -> None:
    lesson = kit_source / "modules/01-grundlagen/lessons/03-ohne.md"
    lesson.write_text("---\nid: ohne\ntitle: Ohne Aufgabe\nminutes: 5\n---\n\nText.\n", encoding="utf-8")
    edit(kit_source, M1, '    title: "Abschluss"\n', '    title: "Abschluss"\n    activity: ohne\n')
    assert problems(kit_source) == [
        f"{M1}:54: blocks[6].activity: Lektion 'ohne' hat keine Aktivität (activity:), die dieser Block "
        "aufgreifen könnte"
    ]


def test_world_cafe_rounds_longer_than_the_block(kit_source: Path) -> None:
    edit(
        kit_source,
        M2,
        'minutes: 20\n        - question: "Welcher',
        'minutes: 50\n        - question: "Welcher',
    )
    assert problems(kit_source) == [
        f"{M2}:42: blocks[3].world_cafe.rounds: die Runden dauern zusammen 90 Minuten, der Block hat nur 80; "
        "kürzen Sie die Runden oder verlängern Sie den Block"
    ]


def test_worksheet_without_fields_and_short_debrief(kit_source: Path) -> None:
    edit(kit_source, L1, '    fields:\n      - label: "Welche', '    felder:\n      - label: "Welche')
    text = (kit_source / L1).read_text(encoding="utf-8")
    start = text.index("  debrief: >-\n") + len("  debrief: >-\n")
    end = text.index("\n", start)
    (kit_source / L1).write_text(text[:start] + "    Nur kurz." + text[end:], encoding="utf-8")
    found = problems(kit_source)
    assert (
        f"{L1}:19: activity.debrief: die Nachbesprechung hat 2 Wörter; mindestens 40, damit Trainerinnen "
        "und Trainer eine Musterlösung oder klare Kriterien haben" in found
    )
    assert any(
        p.startswith(f"{L1}:14: activity.worksheet.felder: unbekannter Schlüssel 'felder'") for p in found
    )
    assert any(
        p.startswith(f"{L1}:12: activity.worksheet.fields: Pflichtschlüssel 'fields' fehlt") for p in found
    )


def test_missing_kits_are_hints_and_strict_problems(kit_source: Path) -> None:
    """Transition: a module without mornings/ or an activity without worksheet and debrief still loads."""
    edit(kit_source, L1, f"  debrief: >-\n    {DEBRIEF}\n", "")
    (kit_source / M2).unlink()
    (kit_source / "modules/02-umsetzung/mornings").rmdir()
    edit(kit_source, "course.yaml", "  - number: 2\n", "  - number: 2\n    title: Vom Vorhaben\n")
    hints = [
        f"{L1}:5: activity.debrief: Nachbesprechung fehlt: ergänzen Sie debrief: mit einer Musterlösung oder "
        "Bewertungskriterien für die Trainerinnen und Trainer",
        "modules/02-umsetzung/mornings: noch keine Vormittage: legen Sie mornings/NN.yaml für die Sitzungen "
        "[2] an",
    ]
    assert [str(hint) for hint in check_course(kit_source).hints] == hints
    strict = problems(kit_source, strict=True)
    assert set(hints) <= set(strict)
    assert "modules/02-umsetzung/mornings: noch keine Vormittage" in "\n".join(strict)
    assert (
        "modules/02-umsetzung/mornings: kein vollständiges World Café: ein Block mit kind: exercise, "
        'method: "World Café" und world_cafe: (tables, table_hosts, mindestens drei rounds, harvest) fehlt'
        in strict
    )


def test_unpicked_activity_is_a_hint_once_the_module_has_mornings(kit_source: Path) -> None:
    edit(kit_source, M1, "    activity: was-sind-buergerdienste\n", "")
    assert [str(hint) for hint in check_course(kit_source).hints] == [
        f"{L1}:5: activity: kein Vormittag greift diese Aktivität auf; verweisen Sie in einem Block mit "
        "activity: auf diese Lektion oder begründen Sie mit self_study:, warum sie im Selbststudium bleibt"
    ]


def test_course_yaml_title_beside_a_morning_is_a_hint(kit_source: Path) -> None:
    edit(kit_source, "course.yaml", "  - number: 2\n", "  - number: 2\n    title: Alter Titel\n")
    checked = check_course(kit_source)
    assert [str(hint) for hint in checked.hints] == [
        f"course.yaml:18: sessions[1].title: der Titel von Sitzung 2 steht in {M2}; löschen Sie ihn hier "
        "(der Vormittag ist die einzige Quelle)"
    ]
    assert checked.course.sessions[1].title == "Beteiligung im World Café"
    assert (
        f"course.yaml:18: sessions[1].title: der Titel von Sitzung 2 steht in {M2}; löschen Sie ihn hier "
        "(der Vormittag ist die einzige Quelle)" in problems(kit_source, strict=True)
    )


def test_a_broken_lesson_does_not_make_its_reference_a_second_problem(kit_source: Path) -> None:
    (kit_source / L1).write_text("kein Vorspann\n", encoding="utf-8")
    found = problems(kit_source)
    assert [problem.split(": ")[0] for problem in found] == [f"{L1}:1"]
