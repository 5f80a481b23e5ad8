"""Consultation periods and stages (rules.md §9): real 2026 dates around 国庆, counted by hand from the notice."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from builder.model.dates import DateWithTime
from builder.model.participation import Consultation, Feedback, Hearing
from builder.model.settings import Settings
from builder.rules.consultation import (
    Stage,
    days_left,
    feedback_due,
    minimum_period,
    shortfall,
    stage,
)
from builder.rules.workdays import WorkCalendar

D = dt.date.fromisoformat
CAL = WorkCalendar()


def consultation(kind: str, start: str, end: str, feedback: str | None = None) -> Consultation:
    return Consultation(id="c", title="t", organ="o", kind=kind, start=D(start), end=D(end), record=None,
                        feedback=Feedback(published=D(feedback), received=0, record=None) if feedback else None)


@pytest.mark.parametrize("kind, start, end, short", [
    # 规章 and 重大行政决策: 30 calendar days, the start day being day 0.
    ("规章", "2026-11-01", "2026-12-01", False),
    ("规章", "2026-11-01", "2026-11-30", True),
    ("重大行政决策", "2026-09-01", "2026-10-01", False),
    ("重大行政决策", "2026-09-01", "2026-09-30", True),
    # 行政规范性文件: 7 working days; over 国庆 (10-01..07 off, 10-10 a make-up Saturday) the 7th is 10-13.
    ("行政规范性文件", "2026-09-28", "2026-10-13", False),
    ("行政规范性文件", "2026-09-28", "2026-10-12", True),
    # Hearings and other consultations have no minimum.
    ("听证", "2026-11-01", "2026-11-02", False),
    ("其他", "2026-11-01", "2026-11-01", False),
])
def test_a_consultation_shorter_than_its_kinds_minimum_falls_short(kind, start, end, short):
    assert (shortfall(CAL, consultation(kind, start, end), Settings()) is not None) is short


def test_a_shortfall_says_how_long_it_ran_and_the_first_end_that_would_do():
    found = shortfall(CAL, consultation("行政规范性文件", "2026-09-28", "2026-10-09"), Settings())
    assert (found.actual, found.actual_text, found.earliest_end) == (4, "4 个工作日", D("2026-10-13"))
    found = shortfall(CAL, consultation("规章", "2026-11-01", "2026-11-15"), Settings())
    assert (found.actual_text, found.minimum.text, found.earliest_end) == ("14 日", "30 日", D("2026-12-01"))


def test_a_province_that_asks_15_days_of_rule_drafts_sets_it():
    settings = Settings(consultation_days_rule=15)
    assert shortfall(CAL, consultation("规章", "2026-11-01", "2026-11-16"), settings) is None
    assert minimum_period("规章", settings).text == "15 日"
    assert shortfall(CAL, consultation("规章", "2026-11-01", "2026-11-15"), Settings(consultation_days_rule=0)) is None


def test_stages_on_a_day():
    c = consultation("规章", "2026-11-10", "2026-12-10")
    assert [stage(c, D(d)) for d in ("2026-11-09", "2026-11-10", "2026-12-10", "2026-12-11")] == [
        Stage.UPCOMING, Stage.OPEN, Stage.OPEN, Stage.CLOSED]
    answered = consultation("规章", "2026-09-01", "2026-10-01", feedback="2026-10-20")
    assert stage(answered, D("2026-10-19")) is Stage.CLOSED  # a feedback dated later is not published yet
    assert stage(answered, D("2026-10-20")) is Stage.ANSWERED
    assert not Stage.UPCOMING.public and Stage.CLOSED.public


def test_days_left_counts_calendar_days_after_the_day():
    c = consultation("规章", "2026-11-10", "2026-12-10")
    assert days_left(c, D("2026-11-23")) == 17
    assert days_left(c, D("2026-12-10")) == 0


def test_feedback_is_due_twenty_working_days_after_the_end_by_default():
    # 09-15 + 20 working days, over 国庆 (09-20 and 10-10 are make-up workdays).
    assert feedback_due(CAL, consultation("其他", "2026-09-01", "2026-09-15"), Settings()) == D("2026-10-19")
    ended_with_time = dataclasses.replace(consultation("其他", "2026-09-01", "2026-09-15"),
                                          end=DateWithTime(2026, 9, 15, dt.time(17, 0)))
    assert feedback_due(CAL, ended_with_time, Settings(consultation_feedback_workdays=1)) == D("2026-09-16")


def test_a_hearings_feedback_is_due_after_the_hearing_not_after_its_sign_up():
    """Its start and end are the sign-up's: the opinions to answer are those heard on the day."""
    signed_up = consultation("听证", "2026-10-01", "2026-10-09")
    hearing = dataclasses.replace(signed_up, hearing=Hearing(date=DateWithTime(2026, 11, 2, dt.time(9, 30)),
                                                             record=None))
    assert feedback_due(CAL, hearing, Settings()) == CAL.add_workdays(D("2026-11-02"), 20) == D("2026-11-30")
    held_before_the_end = dataclasses.replace(signed_up, hearing=Hearing(date=D("2026-10-08"), record=None))
    assert feedback_due(CAL, held_before_the_end, Settings()) == feedback_due(CAL, signed_up, Settings())
