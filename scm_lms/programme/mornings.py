"""The ten mornings of a Durchgang with what the course source says about them, and the trainer checks.

The programme's schedule gives each `Session` its date, module, video room and trainers (defaults keep the
file short: the module follows the morning's number, 1–2 → module 1 … 9–10 → module 5; the room is the
Durchgang's `video_room`; the trainers are those whose `modules` include the morning's module). `mornings`
adds the title and agenda from the course source. Trainer names in a session must match the Durchgang's
list, checked here so the loader can point at the very line.
"""

from __future__ import annotations

from dataclasses import replace

from course_package.model import Course
from scm_lms.programme.model import SESSIONS_PER_DURCHGANG, Programme
from scm_lms.programme.outline import course_module, session_outline
from scm_lms.programme.session import Session, default_module

__all__ = ["default_module", "mornings", "trainer_problems"]

Location = tuple[str | int, ...]


def mornings(programme: Programme, key: str, course: Course | None = None) -> tuple[Session, ...]:
    """The Durchgang's sessions in order; `course` supplies titles and agendas when given, and the module of
    each morning its `sessions` list (a `module:` in the programme file still wins)."""
    durchgang = programme.durchgang(key)
    result = []
    for session in programme.schedule(key).sessions:
        module = course_module(course, session.number)
        if module is not None and module != session.module:
            session = durchgang.furnished(replace(session, module=module))
        result.append(replace(session, outline=session_outline(course, session.number)))
    return tuple(result)


def trainer_problems(programme: Programme) -> list[tuple[Location, str]]:
    """Trainers listed twice, and trainers a session names that the Durchgang does not list."""
    problems: list[tuple[Location, str]] = []
    for index, durchgang in enumerate(programme.durchgaenge):
        emails = [trainer.email.casefold() for trainer in durchgang.trainers]
        names = [trainer.name.casefold() for trainer in durchgang.trainers]
        for position, email in enumerate(emails):
            if emails.index(email) != position:
                where = ("durchgaenge", index, "trainers", position, "email")
                problems.append((where, "diese E-Mail-Adresse steht schon weiter oben unter trainers"))
        for number in range(1, SESSIONS_PER_DURCHGANG + 1):
            details = durchgang.details(number)
            base: Location = (
                ("durchgaenge", index, "sessions", number - 1)
                if durchgang.sessions is not None
                else ("durchgaenge", index, "mornings", number)
            )
            for position, ref in enumerate(details.trainers or []):
                wanted = ref.strip().casefold()
                if names.count(wanted) > 1 and wanted not in emails:
                    message = (
                        f"„{ref}“ ist mehrdeutig (zwei Trainer/innen heißen so); die E-Mail-Adresse angeben"
                    )
                elif durchgang.find_trainer(ref) is None:
                    listed = ", ".join(trainer.email for trainer in durchgang.trainers) or "keine"
                    message = (
                        f"Trainer/in „{ref}“ steht nicht unter trainers des Durchgangs {durchgang.key}; "
                        f"E-Mail-Adresse oder Namen wie dort angeben (vorhanden: {listed})"
                    )
                else:
                    continue
                problems.append(((*base, "trainers", position), message))
    return problems
