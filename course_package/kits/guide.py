"""The facilitator guide of a module (`…-leitfaden.pdf`): both mornings' agenda, methods, materials, notes,
the World Café, and a debrief for every activity.

Written for trainers from different institutions who lead a morning they did not design: everything needed
between 08:45 and 13:00 is in one document, in the order it is used.
"""

from __future__ import annotations

from course_package.kits.common import KIND_NAMES, activities, document, markdown, pdf_bytes, where_done
from course_package.model import Course, Module
from course_package.mornings import MORNING_END, MORNING_START, Block, Morning
from scm_base.pdf_flow import Column, Flow

AGENDA = (
    Column("Zeit", 0.16),
    Column("Min.", 0.08),
    Column("Art", 0.13),
    Column("Inhalt und Methode", 0.38),
    Column("Material", 0.25),
)


def guide_title(module: Module) -> str:
    return f"Leitfaden Modul {module.number}: {module.title}"


def render_guide(course: Course, module: Module, epoch: int) -> bytes:
    pdf = document(
        course,
        title=guide_title(module),
        subject=f"Leitfaden für Trainerinnen und Trainer – {course.title}, Modul {module.number}",
        keywords=[course.title, f"Modul {module.number}", "Leitfaden", "Vormittage"],
        epoch=epoch,
    )
    flow = Flow(pdf, f"{course.title} – Leitfaden Modul {module.number}")
    flow.heading(guide_title(module), 1)
    flow.paragraph(
        f"{course.title}: Leitfaden für Trainerinnen und Trainer der Live-Vormittage "
        f"{_numbers(module)}, jeweils {MORNING_START} bis {MORNING_END} Uhr im Videoraum."
    )
    flow.paragraph(module.summary)
    if not module.mornings:
        flow.paragraph("Für dieses Modul sind die Vormittage noch nicht beschrieben.", style="B")
    for morning in module.mornings:
        _morning(flow, module, morning)
    _debriefs(flow, module)
    flow.finish()
    return pdf_bytes(pdf)


def _numbers(module: Module) -> str:
    numbers = [str(number) for number in module.sessions]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} und {numbers[-1]}"


def _morning(flow: Flow, module: Module, morning: Morning) -> None:
    flow.heading(f"Vormittag {morning.number}: {morning.title}", 2, keep=40)
    flow.paragraph(morning.summary)
    flow.heading("Lernziele", 3)
    flow.bullets(
        [module.objectives[ident - 1] for ident in morning.objectives if ident <= len(module.objectives)]
    )
    flow.heading("Vorbereitung", 3)
    markdown(flow, morning.preparation)
    flow.heading("Ablauf", 3, keep=30)
    flow.table(AGENDA, [_agenda_row(block) for block in morning.blocks])
    flow.paragraph(f"Pausen zusammen: {morning.break_minutes} Minuten.")
    flow.heading("Materialliste", 3)
    flow.bullets(_materials(module, morning) or ["keine besonderen Materialien"])
    flow.heading("Moderationshinweise", 3)
    for block in morning.blocks:
        if block.kind == "break":
            continue
        flow.paragraph(f"{block.start}–{block.end} Uhr · {block.title} ({block.method})", style="B")
        if block.notes:
            markdown(flow, block.notes)
        if block.activity:
            lesson = module.lesson(block.activity)
            if lesson is not None and lesson.activity is not None:
                flow.paragraph(
                    f"Arbeitsblatt: „{lesson.activity.title}“ (Arbeitsblätter Modul {module.number})."
                )
        if block.world_cafe is not None:
            _world_cafe(flow, block)


def _agenda_row(block: Block) -> list[str]:
    content = block.title if block.method is None else f"{block.title}\nMethode: {block.method}"
    return [
        f"{block.start}–{block.end}",
        str(block.minutes),
        KIND_NAMES[block.kind],
        content,
        ", ".join(block.materials),
    ]


def _materials(module: Module, morning: Morning) -> list[str]:
    items = morning.materials
    for block in morning.blocks:
        lesson = module.lesson(block.activity) if block.activity else None
        if lesson is not None and lesson.activity is not None:
            items.append(f"Arbeitsblatt „{lesson.activity.title}“")
    return list(dict.fromkeys(items))


def _world_cafe(flow: Flow, block: Block) -> None:
    cafe = block.world_cafe
    assert cafe is not None
    flow.heading(f"World Café: {cafe.tables} Tische, {len(cafe.rounds)} Runden", 3)
    flow.paragraph("Tischgastgeberinnen und -gastgeber", style="B")
    markdown(flow, cafe.table_hosts)
    rounds = [
        [str(index), round_.question, str(round_.minutes)] for index, round_ in enumerate(cafe.rounds, 1)
    ]
    flow.table((Column("Runde", 0.12), Column("Frage", 0.73), Column("Min.", 0.15)), rounds)
    flow.paragraph("Ernte", style="B")
    markdown(flow, cafe.harvest)


def _debriefs(flow: Flow, module: Module) -> None:
    flow.heading("Nachbesprechungen der Aktivitäten", 2, keep=40)
    items = activities(module)
    if not items:
        flow.paragraph("Die Lektionen dieses Moduls haben keine Aktivitäten.")
    for item in items:
        flow.heading(f"Aktivität {item.number}: {item.activity.title}", 3)
        flow.paragraph(f"Lektion {item.lesson_number}: {item.lesson.title}. Bearbeitet {where_done(item)}.")
        if item.activity.self_study and item.picked_up is None:
            flow.paragraph(f"Warum im Selbststudium: {item.activity.self_study}")
        if item.activity.debrief:
            flow.paragraph("Musterlösung und Kriterien", style="B")
            markdown(flow, item.activity.debrief)
        else:
            flow.paragraph("Die Nachbesprechung zu dieser Aktivität ist noch nicht geschrieben.")
