"""The ten mornings of a Durchgang as the programme office runs them: date, module, video room, trainers.

The schedule gives the dates; this adds what belongs to each morning. Defaults keep the file short: the
module follows the morning's number (1–2 → module 1 … 9–10 → module 5), the room is the Durchgang's
`video_room`, and the trainers are those whose `modules` include the morning's module. Trainer names in a
session must match the Durchgang's list, checked here so the loader can point at the very line.
"""

from __future__ import annotations

from dataclasses import dataclass

from course_package.model import Course
from scm_lms.programme.model import SESSIONS_PER_DURCHGANG, Programme, Trainer
from scm_lms.programme.outline import SessionOutline, session_outline
from scm_lms.programme.schedule import Session

Location = tuple[str | int, ...]


def default_module(number: int) -> int:
    """Two mornings per module, in order."""
    return (number + 1) // 2


@dataclass(frozen=True)
class Morning:
    session: Session
    module: int
    room: str
    """The join link; "" when neither the session nor the Durchgang names one."""
    trainers: tuple[Trainer, ...]
    outline: SessionOutline

    @property
    def number(self) -> int:
        return self.session.number


def mornings(programme: Programme, key: str, course: Course | None = None) -> tuple[Morning, ...]:
    """The Durchgang's mornings in order; `course` supplies titles and agendas when given."""
    durchgang = programme.durchgang(key)
    result = []
    for session in programme.schedule(key).sessions:
        details = durchgang.details(session.number)
        module = details.module or default_module(session.number)
        if details.trainers is not None:
            found = [durchgang.find_trainer(ref) for ref in details.trainers]
            unique = {trainer.email.casefold(): trainer for trainer in found if trainer is not None}
            trainers = tuple(unique.values())
        else:
            trainers = tuple(t for t in durchgang.trainers if not t.modules or module in t.modules)
        room = details.room or durchgang.video_room or ""
        result.append(Morning(session, module, room, trainers, session_outline(course, session.number)))
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
