"""Tables admins read stay readable in an 80-column terminal: one line per person, details with -v."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import responses
from click.testing import CliRunner
from rich.console import Console

from scm_lms.cli.admit import admission_table
from scm_lms.cli.admit import admit as admit_command
from scm_lms.intake.admission import Decision
from scm_lms.intake.registrations import Registration
from testkit.fake_moodle import FakeMoodle, lms, office, site_env

ROOT = Path(__file__).parents[1]
WHEN = dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC)


def _person(number: int, first: str, last: str, municipality: str) -> Registration:
    email = f"p{number}@example.de"
    return Registration(email, first, last, municipality, "SN", ("2024-D2",), False, WHEN, False, number)


def _render(width: int, *renderables: object) -> list[str]:
    console = Console(width=width, highlight=False)
    with console.capture() as captured:
        for item in renderables:
            console.print(item)
    return captured.get().splitlines()


def test_the_admission_table_is_one_line_per_person_in_80_columns() -> None:
    people = {
        "R-0A1B2C3D4E": _person(
            2, "Maximiliane-Josefine", "Müller-Lüdenscheidt", "Verbandsgemeinde Südliche Weinstraße"
        ),
        "R-5F6A7B8C9D": _person(3, "Jürgen", "Weiß", "Stadt Görlitz"),
        "R-0011223344": _person(
            4, "Änne", "Müller", "Landkreis Bautzen, Stabsstelle Digitalisierung und E-Government"
        ),
    }
    decisions = [
        Decision(
            "R-0A1B2C3D4E",
            "admitted",
            "2024-D2",
            1,
            None,
            "Platz 1 von 30 in 2024-D2 (Alternative zum Wunsch 2024-D1)",
        ),
        Decision("R-5F6A7B8C9D", "waitlisted", "2024-D2", None, 1, "Warteliste Position 1 für 2024-D2"),
        Decision("R-0011223344", "withdrawn", "2024-D2", None, None, "zurückgezogen"),
    ]
    lines = _render(
        80, admission_table("2024-D2 – Durchgang 2: 1 von 30 Plätzen belegt", decisions, people, 80)
    )
    assert max(map(len, lines)) <= 80
    for decision in decisions:
        (row,) = [line for line in lines if decision.reg_id in line]  # the full id, on exactly one line
        assert row.split()[0] in ("zugelassen", "Warteliste", "zurückgezogen")
    assert "Jürgen Weiß" in "\n".join(lines) and "…" in "\n".join(lines)
    wide = "\n".join(_render(200, admission_table("t", decisions, people, 200)))
    assert "Verbandsgemeinde Südliche Weinstraße" in wide and "…" not in wide


def test_admit_in_80_columns_and_the_full_reasons_with_verbose(tmp_path: Path) -> None:
    args = [
        str(ROOT / "examples" / "programme-2024.yaml"),
        str(ROOT / "examples" / "registrations-2024.csv"),
        "--db",
        str(tmp_path / "l.db"),
        "--out",
        str(tmp_path / "mail"),
    ]
    short = CliRunner().invoke(admit_command, args, env={"COLUMNS": "80"})
    assert short.exit_code == 0, short.output
    assert max(map(len, short.output.splitlines())) <= 80
    table_rows = [line for line in short.output.splitlines() if " R-" in line]
    assert len(table_rows) == 7  # seven people, one line each
    detailed = CliRunner().invoke(admit_command, [*args, "-v"], env={"COLUMNS": "80"})
    assert max(map(len, detailed.output.splitlines())) <= 80
    assert "Anmeldeschluss (18.10.2024)" in " ".join(detailed.output.split())


def test_the_plan_fits_80_columns(tmp_path: Path) -> None:
    programme = office(tmp_path, ["2024-D2"] * 3)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        FakeMoodle(rsps)
        result = lms(programme, "plan", "2024-D2", "-v", env={**site_env(tmp_path), "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert "Einschreibungen" in result.output
    assert max(map(len, result.output.splitlines())) <= 80
