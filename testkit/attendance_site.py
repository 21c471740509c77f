"""A Durchgang with admitted people and a trainer in a real ledger, for the attendance tests.

2024-D2 of the example programme (morning 1: Tuesday 10.09.2024, 09:00–13:00) with Tanja Trainer as its
trainer; Dora is admitted to 2024-D1, so her address is "someone else's" in a 2024-D2 list.
"""

from __future__ import annotations

from pathlib import Path

from scm_lms.ledger import Ledger
from testkit.cli_run import run
from testkit.programme_text import set_certification

EXAMPLE = Path(__file__).parents[1] / "examples" / "programme-2024.yaml"
TRAINER_EMAIL = "tanja.trainer@hochschule.example.de"
HEADER = (
    "Vorname;Nachname;E-Mail;Kommune;Gewünschte Durchgänge;Alternativer Durchgang möglich;Anmeldezeitpunkt"
)
PEOPLE = (
    "Annegret;Albershausen;annegret@a.example.de;Annaburg;2024-D2;nein;01.07.2024 08:00",
    "Bernhard;Brandtner;bernhard@b.example.de;Stadt B;2024-D2;nein;01.07.2024 09:00",
    "Jürgen;Müßig;juergen@m.example.de;Stadt M;2024-D2;nein;01.07.2024 09:30",
    "Jan;Schmidt;jan.schmidt@x.example.de;Stadt X;2024-D2;nein;01.07.2024 10:00",
    "Jan;Schmidt;jan.schmidt@y.example.de;Stadt Y;2024-D2;nein;01.07.2024 10:30",
    "Dora;Dietrichsen;dora@d.example.de;Stadt D;2024-D1;nein;01.04.2024 11:00",
)


def make_site(folder: Path, *, programme_extra: str = "") -> Path:
    """programme.yaml, the admitted people and the ledger in `folder`; returns the programme file."""
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    title: Durchgang 2 (Sep/Okt 2024)\n",
        "    title: Durchgang 2 (Sep/Okt 2024)\n    trainers:\n"
        f"      - {{name: Tanja Trainer, email: {TRAINER_EMAIL}, organisation: Hochschule Beispiel}}\n",
        1,
    )
    if programme_extra:
        text = set_certification(text, programme_extra)
    programme = folder / "programme.yaml"
    programme.write_text(text, encoding="utf-8")
    registrations = folder / "anmeldungen.csv"
    registrations.write_text("\n".join([HEADER, *PEOPLE]) + "\n", encoding="utf-8")
    code, output = run("admit", programme, registrations)
    assert code == 0, output
    return programme


def ids(folder: Path) -> dict[str, str]:
    """E-mail → registration id."""
    with Ledger.open(folder / "scm-lms.db") as ledger:
        return {r.email: r.reg_id for r in ledger.registrations()}
