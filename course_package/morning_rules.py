"""Rules across a morning and across a module's mornings and activities, judged on the raw source data.

Pydantic skips a model's validators once any field fails, and a validator raises one error; an author fixing
an agenda wants every gap and every dangling reference at once, so these rules read the plain dicts leniently
(whatever is not well-typed yet is left to the model's own messages).

Two kinds of finding: `errors` always fail loading; `pending` are parts of the session kits still to be
written (mornings, worksheets, debriefs, whether an activity is picked up). Until the content is complete
they are hints in `course check` and errors only under `--strict`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from course_package.model_base import FieldPath
from course_package.mornings import (
    MIN_BREAK_MINUTES,
    MORNING_END,
    MORNING_START,
    TIME_PATTERN,
    WORLD_CAFE_METHOD,
    clock_of,
    minutes_of,
)

Finding = tuple[FieldPath, str]

DEBRIEF_MIN_WORDS = 40


@dataclass
class MorningFindings:
    errors: list[Finding] = field(default_factory=list)
    pending: list[Finding] = field(default_factory=list)


def _dicts(value: object) -> list[dict[str, object]]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _words(text: str) -> int:
    return len(re.findall(r"[0-9A-Za-zÄÖÜäöüß][\w\-–]*", text))


def module_morning_findings(module: dict[str, object], at: FieldPath) -> MorningFindings:
    """Everything about one module's mornings and its lessons' activities; `at` is the module's path."""
    found = MorningFindings()
    mornings = _dicts(module.get("mornings"))
    sessions = module.get("sessions")
    session_numbers = [n for n in sessions if _int(n) is not None] if isinstance(sessions, list) else []
    objectives = module.get("objectives")
    objective_count = len(objectives) if isinstance(objectives, list) else None
    lessons = _dicts(module.get("lessons"))
    by_id = {str(lesson.get("id")): index for index, lesson in enumerate(lessons) if lesson.get("id")}
    picked: dict[str, tuple[int, int]] = {}
    seen_numbers: set[int] = set()
    for index, morning in enumerate(mornings):
        where: FieldPath = (*at, "mornings", index)
        number = _int(morning.get("number"))
        if number is not None:
            if number in seen_numbers:
                found.errors.append(((*where, "number"), f"Vormittag {number} ist doppelt beschrieben"))
            seen_numbers.add(number)
            if session_numbers and number not in session_numbers:
                message = (
                    f"Vormittag {number} gehört nicht zu diesem Modul; module.yaml nennt die Sitzungen "
                    f"{session_numbers}"
                )
                found.errors.append(((*where, "number"), message))
        found.errors += _objective_findings(morning.get("objectives"), objective_count, where)
        blocks = _dicts(morning.get("blocks"))
        found.errors += agenda_findings(blocks, (*where, "blocks"))
        for block_index, block in enumerate(blocks):
            ref = block.get("activity")
            if not isinstance(ref, str):
                continue
            block_at: FieldPath = (*where, "blocks", block_index, "activity")
            problem = _reference_problem(ref, lessons, by_id, picked, number)
            if problem:
                found.errors.append((block_at, problem))
            elif ref in by_id:
                picked[ref] = (number or 0, block_index + 1)
    if not mornings:
        wanted = f" für die Sitzungen {session_numbers}" if session_numbers else ""
        message = f"noch keine Vormittage: legen Sie mornings/NN.yaml{wanted} an"
        found.pending.append(((*at, "mornings"), message))
    else:
        for number in session_numbers:
            if number not in seen_numbers:
                message = f"Vormittag {number} fehlt: legen Sie mornings/{number:02d}.yaml an"
                found.pending.append(((*at, "mornings"), message))
    for index, lesson in enumerate(lessons):
        activity = lesson.get("activity")
        if isinstance(activity, dict):
            where = (*at, "lessons", index, "activity")
            _activity_findings(activity, picked.get(str(lesson.get("id"))), bool(mornings), where, found)
    return found


def _objective_findings(value: object, count: int | None, where: FieldPath) -> list[Finding]:
    if count is None or not isinstance(value, list):
        return []
    findings: list[Finding] = []
    for index, item in enumerate(value):
        ident = _int(item)
        if ident is not None and not 1 <= ident <= count:
            message = (
                f"Lernziel {ident} gibt es nicht; module.yaml hat {count} Lernziele "
                f"(IDs 1 bis {count}, in der Reihenfolge von objectives)"
            )
            findings.append(((*where, "objectives", index), message))
    return findings


def _reference_problem(
    ref: str,
    lessons: list[dict[str, object]],
    by_id: dict[str, int],
    picked: dict[str, tuple[int, int]],
    number: int | None,
) -> str | None:
    if ref not in by_id:
        if any("id" not in lesson for lesson in lessons):
            return None  # an unreadable lesson may be the one meant; its own problem is reported
        known = ", ".join(sorted(by_id)) or "(keine)"
        return f"keine Lektion dieses Moduls hat die ID '{ref}'; vorhanden: {known}"
    if not isinstance(lessons[by_id[ref]].get("activity"), dict):
        return f"Lektion '{ref}' hat keine Aktivität (activity:), die dieser Block aufgreifen könnte"
    if ref in picked:
        first_morning, first_block = picked[ref]
        return (
            f"die Aktivität der Lektion '{ref}' greift schon Vormittag {first_morning}, Block {first_block} "
            "auf; jede Aktivität wird in genau einem Block aufgegriffen"
        )
    return None


def _activity_findings(
    activity: dict[str, object],
    picked: tuple[int, int] | None,
    has_mornings: bool,
    where: FieldPath,
    found: MorningFindings,
) -> None:
    self_study = activity.get("self_study")
    if picked and self_study:
        message = (
            f"die Aktivität wird in Vormittag {picked[0]}, Block {picked[1]} aufgegriffen; löschen Sie "
            "self_study (oder den Verweis activity: im Vormittag)"
        )
        found.errors.append(((*where, "self_study"), message))
    elif has_mornings and not picked and not self_study:
        message = (
            "kein Vormittag greift diese Aktivität auf; verweisen Sie in einem Block mit activity: auf diese "
            "Lektion oder begründen Sie mit self_study:, warum sie im Selbststudium bleibt"
        )
        found.pending.append((where, message))
    if "worksheet" not in activity:
        message = "Arbeitsblatt fehlt: ergänzen Sie worksheet: mit mindestens einem Feld oder einer Tabelle"
        found.pending.append(((*where, "worksheet"), message))
    debrief = activity.get("debrief")
    if "debrief" not in activity:
        message = (
            "Nachbesprechung fehlt: ergänzen Sie debrief: mit einer Musterlösung oder Bewertungskriterien "
            "für die Trainerinnen und Trainer"
        )
        found.pending.append(((*where, "debrief"), message))
    elif isinstance(debrief, str) and debrief.strip() and _words(debrief) < DEBRIEF_MIN_WORDS:
        message = (
            f"die Nachbesprechung hat {_words(debrief)} Wörter; mindestens {DEBRIEF_MIN_WORDS}, damit "
            "Trainerinnen und Trainer eine Musterlösung oder klare Kriterien haben"
        )
        found.errors.append(((*where, "debrief"), message))


def agenda_findings(blocks: list[dict[str, object]], at: FieldPath) -> list[Finding]:
    """Blocks are contiguous from 09:00 to 13:00 and the breaks add up to at least 30 minutes."""
    findings: list[Finding] = []
    previous_end: int | None = None
    end: int | None = None
    breaks = 0
    for index, block in enumerate(blocks):
        start = block.get("start")
        minutes = _int(block.get("minutes"))
        if not isinstance(start, str) or not re.match(TIME_PATTERN, start) or minutes is None or minutes < 1:
            return findings  # the model reports the malformed block; later times cannot be judged
        begin = minutes_of(start)
        if index == 0 and begin != minutes_of(MORNING_START):
            message = f"der Vormittag beginnt um {MORNING_START}; der erste Block beginnt um {start}"
            findings.append(((*at, index, "start"), message))
        if previous_end is not None and begin > previous_end:
            message = (
                f"Lücke: der vorige Block endet um {clock_of(previous_end)}, dieser beginnt erst um {start}; "
                "die Blöcke müssen lückenlos aufeinander folgen"
            )
            findings.append(((*at, index, "start"), message))
        elif previous_end is not None and begin < previous_end:
            message = (
                f"Überschneidung: der vorige Block endet erst um {clock_of(previous_end)}, dieser beginnt "
                f"schon um {start}"
            )
            findings.append(((*at, index, "start"), message))
        end = begin + minutes
        previous_end = end
        breaks += minutes if block.get("kind") == "break" else 0
    if end is not None and end != minutes_of(MORNING_END):
        message = f"der Vormittag endet um {MORNING_END}; der letzte Block endet um {clock_of(end)}"
        findings.append(((*at, len(blocks) - 1, "minutes"), message))
    if blocks and breaks < MIN_BREAK_MINUTES:
        message = (
            f"die Pausen (kind: break) ergeben zusammen {breaks} Minuten; mindestens {MIN_BREAK_MINUTES} "
            "(z. B. 15 + 15)"
        )
        findings.append((at, message))
    return findings


def world_cafe_findings(module: dict[str, object], at: FieldPath) -> list[Finding]:
    """The curriculum's module 2 runs one complete World Café (a curriculum minimum, `--strict`)."""
    for morning in _dicts(module.get("mornings")):
        for block in _dicts(morning.get("blocks")):
            cafe = block.get("world_cafe")
            if block.get("method") == WORLD_CAFE_METHOD and isinstance(cafe, dict):
                if block.get("kind") != "exercise":
                    return [(at, "der World-Café-Block muss kind: exercise haben")]
                return []
    message = (
        f'kein vollständiges World Café: ein Block mit kind: exercise, method: "{WORLD_CAFE_METHOD}" und '
        "world_cafe: (tables, table_hosts, mindestens drei rounds, harvest) fehlt"
    )
    return [((*at, "mornings"), message)]
