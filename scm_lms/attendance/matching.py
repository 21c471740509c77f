"""Which admitted person of this Durchgang a row of a participant list is: by e-mail, else by exact name.

A list is untrusted input: a row can only ever point at someone admitted to the Durchgang being imported. An
address the ledger knows for someone else is never matched by name instead (the row contradicts itself); a
name two admitted people share is ambiguous; neither is guessed, both are listed for the admin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from scm_lms.intake.registrations import Registration
from scm_lms.programme.entries import Trainer

Kind = Literal["person", "trainer", "unknown", "foreign", "ambiguous"]
_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


@dataclass(frozen=True)
class Match:
    kind: Kind
    reg_id: str = ""
    by: str = ""
    """"E-Mail" or "Name" for a person."""


def name_key(name: str) -> str:
    """Case, spacing and Unicode form ignored; nothing else (no fuzzy matching)."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _keys_of(first: str, last: str) -> set[str]:
    return {name_key(f"{first} {last}"), name_key(f"{last}, {first}"), name_key(f"{last} {first}")}


class Matcher:
    def __init__(
        self, people: Sequence[Registration], trainers: Sequence[Trainer], known_emails: Collection[str]
    ) -> None:
        self._by_email = {person.email.lower(): person.reg_id for person in people}
        self._by_name: dict[str, set[str]] = {}
        for person in people:
            for key in _keys_of(person.first_name, person.last_name):
                self._by_name.setdefault(key, set()).add(person.reg_id)
        self._trainer_emails = {trainer.email.lower() for trainer in trainers}
        self._trainer_names = {name_key(trainer.name) for trainer in trainers}
        self._known = {email.lower() for email in known_emails}

    def match(self, name: str, email: str) -> Match:
        if email:
            if email in self._by_email:
                return Match("person", self._by_email[email], "E-Mail")
            if email in self._trainer_emails:
                return Match("trainer")
            if email in self._known:
                return Match("foreign")
        for candidate in dict.fromkeys([name_key(name), name_key(_NOTE.sub("", name))]):
            if not candidate:
                continue
            found = self._by_name.get(candidate, set())
            if len(found) == 1:
                return Match("person", next(iter(found)), "Name")
            if len(found) > 1:
                return Match("ambiguous")
            if candidate in self._trainer_names:
                return Match("trainer")
        return Match("unknown")
