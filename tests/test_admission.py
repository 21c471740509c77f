"""Admission: seats in registration order, alternatives, waiting lists, withdrawals, promises kept."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from scm_lms.intake.admission import Decision, Offer, decide, holiday_conflicts, offers_of, overbooked
from scm_lms.intake.registrations import Registration
from scm_lms.programme import load_programme
from scm_lms.programme.schedule import BERLIN

DEADLINE = dt.datetime(2024, 8, 23, 23, 59, 59, tzinfo=BERLIN)
OFFERS = [Offer("2024-D2", 2, DEADLINE), Offer("2024-D3", 1, DEADLINE)]


def person(
    number: int,
    *preferences: str,
    alternatives: bool = False,
    withdrawn: bool = False,
    day: int = 1,
) -> Registration:
    return Registration(
        email=f"p{number}@example.de",
        first_name=f"P{number}",
        last_name="Test",
        municipality="Stadt Test",
        state="SN",
        preferences=preferences or ("2024-D2",),
        alternatives=alternatives,
        registered_at=dt.datetime(2024, 7, day, 8, number, tzinfo=BERLIN),
        withdrawn=withdrawn,
        row=number + 1,
        reg_id=f"R-{number:02d}",
    )


def summary(decisions: dict[str, Decision]) -> dict[str, str]:
    return {reg_id: decision.explanation for reg_id, decision in sorted(decisions.items())}


def test_seats_in_registration_order_then_waiting_list() -> None:
    people = [person(3), person(1), person(2), person(4)]
    assert summary(decide(OFFERS, people, {})) == {
        "R-01": "Platz 1 von 2 in 2024-D2",
        "R-02": "Platz 2 von 2 in 2024-D2",
        "R-03": "Warteliste Position 1 für 2024-D2",
        "R-04": "Warteliste Position 2 für 2024-D2",
    }


def test_alternatives_take_the_next_preference_with_seats() -> None:
    people = [
        person(1),
        person(2),
        person(3, "2024-D2", "2024-D3", alternatives=True),
        person(4, alternatives=True),
    ]
    result = decide(OFFERS, people, {})
    assert result["R-03"].explanation == "Platz 1 von 1 in 2024-D3 (Alternative zum Wunsch 2024-D2)"
    assert result["R-04"] == Decision(
        "R-04", "waitlisted", "2024-D2", None, 1, "Warteliste Position 1 für 2024-D2"
    )


def test_without_alternatives_a_second_preference_is_not_used() -> None:
    people = [person(1), person(2), person(3, "2024-D2", "2024-D3", alternatives=False)]
    assert decide(OFFERS, people, {})["R-03"].status == "waitlisted"


def test_alternatives_fall_back_to_any_durchgang_in_programme_order() -> None:
    people = [person(1), person(2), person(3, "2024-D2", alternatives=True)]
    assert decide(OFFERS, people, {})["R-03"].durchgang == "2024-D3"


def test_late_registration_is_declined_with_reason() -> None:
    late = person(1)
    late = Registration(**{**late.__dict__, "registered_at": DEADLINE + dt.timedelta(seconds=1)})
    decision = decide(OFFERS, [late], {})["R-01"]
    assert decision.status == "declined"
    assert decision.explanation == "abgelehnt: Anmeldung nach Anmeldeschluss (23.08.2024)"


def test_late_for_first_choice_but_in_time_for_an_alternative() -> None:
    offers = [Offer("2024-D2", 2, DEADLINE - dt.timedelta(days=60)), Offer("2024-D3", 1, DEADLINE)]
    decision = decide(offers, [person(1, "2024-D2", "2024-D3", alternatives=True)], {})["R-01"]
    assert decision.explanation == "Platz 1 von 1 in 2024-D3 (Alternative zum Wunsch 2024-D2)"


def test_withdrawal_frees_the_seat_and_promotes_the_first_waiting() -> None:
    people = [person(1), person(2), person(3), person(4)]
    first = decide(OFFERS, people, {})
    people[0] = person(1, withdrawn=True)
    second = decide(OFFERS, people, first)
    assert summary(second) == {
        "R-01": "zurückgezogen; Platz 1 in 2024-D2 freigegeben",
        "R-02": "Platz 2 von 2 in 2024-D2",
        "R-03": "Platz 1 von 2 in 2024-D2, von der Warteliste nachgerückt",
        "R-04": "Warteliste Position 1 für 2024-D2",
    }
    third = decide(OFFERS, people, second)
    assert third == second


def test_admitted_people_keep_their_seat_when_an_earlier_registration_appears() -> None:
    first = decide(OFFERS, [person(5), person(6)], {})
    earlier = person(1, day=1)  # registered before both, imported later
    second = decide(OFFERS, [person(5), person(6), earlier], first)
    assert second["R-05"] == first["R-05"] and second["R-06"] == first["R-06"]
    assert second["R-01"].explanation == "Warteliste Position 1 für 2024-D2"


def test_admitted_people_keep_their_seat_when_seats_are_reduced() -> None:
    first = decide(OFFERS, [person(1), person(2)], {})
    fewer = [Offer("2024-D2", 1, DEADLINE), OFFERS[1]]
    second = decide(fewer, [person(1), person(2)], first)
    assert second == first
    assert overbooked(fewer, second) == [
        "2024-D2: 2 Zulassungen, aber nur 1 Plätze; die Zusagen bleiben bestehen"
    ]


def test_durchgang_removed_from_the_programme() -> None:
    decision = decide(OFFERS, [person(1, "2024-D1")], {})["R-01"]
    assert decision.explanation == "abgelehnt: gewünschter Durchgang steht nicht (mehr) im Programm"


def test_withdrawn_before_any_decision() -> None:
    decision = decide(OFFERS, [person(1, withdrawn=True)], {})["R-01"]
    assert (decision.status, decision.durchgang, decision.explanation) == (
        "withdrawn",
        "2024-D2",
        "zurückgezogen",
    )


@given(st.lists(st.tuples(st.integers(0, 3), st.booleans(), st.booleans()), max_size=12), st.randoms())
def test_deterministic_whatever_the_input_order(
    specs: list[tuple[int, bool, bool]], shuffler: random.Random
) -> None:
    keys = ["2024-D2", "2024-D3"]
    people = [
        person(number, keys[choice % 2], keys[(choice + 1) % 2], alternatives=alt, withdrawn=gone)
        for number, (choice, alt, gone) in enumerate(specs)
    ]
    shuffled = list(people)
    shuffler.shuffle(shuffled)
    result = decide(OFFERS, people, {})
    assert decide(OFFERS, shuffled, {}) == result
    assert decide(OFFERS, people, result) == result  # a re-run changes nothing
    for offer in OFFERS:
        seats = [d.seat for d in result.values() if d.status == "admitted" and d.durchgang == offer.key]
        assert len(seats) == len(set(seats)) <= offer.seats
        positions = [
            d.position or 0 for d in result.values() if d.status == "waitlisted" and d.durchgang == offer.key
        ]
        assert sorted(positions) == list(range(1, len(positions) + 1))
        if positions:
            assert len(seats) == offer.seats  # nobody waits while a seat they could take is free


def test_holiday_conflicts_with_the_home_states_of_admitted_people(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "examples" / "programme-2024.yaml").read_text(encoding="utf-8")
    text = text.replace("{date: 2024-11-05,", "{date: 2024-10-31,").replace(
        "holiday_states: all", "holiday_states: [BY]"
    )
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    programme = load_programme(path)  # 31 Oct is no holiday in BY, so the file itself is fine
    assert programme.schedule("2024-D3").on_holidays == ()
    saxon = replace(person(1, "2024-D3"), state="SN")
    bavarian = replace(person(2, "2024-D3"), state="BY")
    decisions = decide(offers_of(programme), [saxon, bavarian], {})
    assert holiday_conflicts(programme, [bavarian], decisions) == []
    assert holiday_conflicts(programme, [saxon, bavarian], decisions) == [
        "2024-D3 Sitzung 1: 31.10.2024: Reformationstag (Feiertag in SN)"
    ]
