"""Session calendars: rules skip public holidays of the states listed, explicit dates are flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from scm_lms.programme.schedule import HolidayCalendar, Schedule, epoch, expand_rule, explicit

NINE, ONE = dt.time(9), dt.time(13)


def days(schedule: Schedule) -> list[str]:
    return [s.day.isoformat() for s in schedule.sessions]


def test_tag_der_deutschen_einheit_is_skipped_everywhere() -> None:
    plan = expand_rule(["tue", "thu"], NINE, ONE, dt.date(2024, 9, 10), 10, ["BE"])
    assert "2024-10-03" not in days(plan)
    assert days(plan)[-1] == "2024-10-15"
    (skipped,) = plan.skipped
    assert skipped.day == dt.date(2024, 10, 3) and skipped.name == "Tag der Deutschen Einheit"
    assert skipped.reason_de(plan.states) == (
        "03.10.2024: Tag der Deutschen Einheit (Feiertag in allen berücksichtigten Ländern)"
    )


def test_reformationstag_only_where_it_is_a_holiday() -> None:
    start = dt.date(2024, 10, 29)
    in_saxony = expand_rule(["thu"], NINE, ONE, start, 2, ["SN"])
    in_bavaria = expand_rule(["thu"], NINE, ONE, start, 2, ["BY"])
    assert days(in_saxony) == ["2024-11-07", "2024-11-14"]
    assert in_saxony.skipped[0].name == "Reformationstag"
    assert days(in_bavaria) == ["2024-10-31", "2024-11-07"]
    assert in_bavaria.skipped == ()


def test_buss_und_bettag_in_saxony_names_the_state() -> None:
    plan = expand_rule(["wed"], NINE, ONE, dt.date(2024, 11, 20), 1, ["SN", "BE"])
    assert days(plan) == ["2024-11-27"]
    assert plan.skipped[0].reason_de(plan.states) == "20.11.2024: Buß- und Bettag (Feiertag in SN)"


def test_pilot_in_may_skips_ascension_whit_monday_and_corpus_christi_in_nrw() -> None:
    plan = expand_rule(["mon", "thu"], NINE, ONE, dt.date(2024, 5, 6), 10, ["NW"])
    assert [s.name for s in plan.skipped] == ["Christi Himmelfahrt", "Pfingstmontag", "Fronleichnam"]
    assert [s.number for s in plan.sessions] == list(range(1, 11))


def test_explicit_dates_on_holidays_are_kept_but_reported() -> None:
    slots = [(dt.date(2024, 10, 31), NINE, ONE), (dt.date(2024, 11, 5), NINE, ONE)]
    plan = explicit(slots, ["SN", "BY"])
    assert days(plan) == ["2024-10-31", "2024-11-05"]
    (hit,) = plan.on_holidays
    assert (hit.name, hit.states) == ("Reformationstag", ("SN",))


def test_epoch_respects_daylight_saving() -> None:
    # 10 Sep 2024 09:00 CEST = 07:00 UTC; 5 Dec 2024 09:00 CET = 08:00 UTC
    assert epoch(dt.date(2024, 9, 10), NINE) == 1725951600
    assert epoch(dt.date(2024, 12, 5), NINE) == 1733385600
    plan = expand_rule(["thu"], NINE, ONE, dt.date(2024, 10, 24), 2, ["BE"])  # DST ends 27 Oct
    assert [s.duration for s in plan.sessions] == [4 * 3600, 4 * 3600]
    assert plan.sessions[1].timestart - plan.sessions[0].timestart == 7 * 86400 + 3600


def test_german_label() -> None:
    plan = expand_rule(["tue"], NINE, ONE, dt.date(2024, 9, 10), 1, ["BE"])
    assert plan.sessions[0].label_de() == "Dienstag, 10.09.2024, 09:00–13:00 Uhr"


def test_unknown_state_is_an_error() -> None:
    with pytest.raises(ValueError, match="unbekannte Bundesland-Kürzel"):
        HolidayCalendar(["XX"])


def test_a_morning_by_number_its_default_module_and_the_period() -> None:
    plan = expand_rule(["mon", "thu"], NINE, ONE, dt.date(2024, 5, 6), 10, ["NW"])
    assert plan.session(0) is None and plan.session(11) is None
    last = plan.session(10)
    assert last is not None and last.number == 10 and last.module == 5
    assert [s.module for s in plan.sessions] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert plan.period == (dt.date(2024, 5, 6), last.day)
