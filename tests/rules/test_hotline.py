"""The 12345 hotline (rules.md §9): reply deadlines over 国庆, a month's figures, and unanswered cases."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.model.dates import DateWithTime
from builder.model.participation import HotlineCase
from builder.model.settings import Settings
from builder.rules.deadlines import ClockState
from builder.rules.hotline import (
    add_months,
    case_state,
    hotline_months,
    reply_due,
    unanswered,
)
from builder.rules.workdays import WorkCalendar

D = dt.date.fromisoformat
CAL = WorkCalendar()


def case(id: str, received: str, replied: str | None = None, type: str = "咨询", withheld: str = "") -> HotlineCase:
    def moment(text):
        day = D(text[:10])
        return DateWithTime(day.year, day.month, day.day, dt.time.fromisoformat(text[11:])) if len(text) > 10 else day
    return HotlineCase(id=id, received=moment(received), type=type, question="q", unit="u",
                       replied=moment(replied) if replied else None, result="r" if replied else "",
                       withheld=withheld, record=None)


@pytest.mark.parametrize("received, days, due", [
    ("2026-11-02 09:00", 5, "2026-11-09"),
    # 国庆: 10-01..07 off, 10-10 (Saturday) a make-up workday.
    ("2026-09-30 16:00", 5, "2026-10-13"),
    ("2026-10-03", 1, "2026-10-08"),  # received on a holiday: the first working day after it is day 1
])
def test_reply_is_due_working_days_after_receipt(received, days, due):
    assert reply_due(CAL, case("x", received), Settings(hotline_reply_workdays=days)) == D(due)


def test_a_case_closed_on_its_due_day_is_on_time_and_an_open_one_past_it_overdue():
    settings = Settings()
    assert case_state(CAL, case("a", "2026-11-02 09:00", "2026-11-09 17:30"), D("2026-11-23"), settings) \
        is ClockState.CLOSED
    assert case_state(CAL, case("b", "2026-11-02", "2026-11-10"), D("2026-11-23"), settings) is ClockState.CLOSED_LATE
    assert case_state(CAL, case("c", "2026-11-02"), D("2026-11-10"), settings) is ClockState.OVERDUE
    # Closed after the day the site is built for: still open on that day.
    assert case_state(CAL, case("d", "2026-11-02", "2026-11-05"), D("2026-11-04"), settings) is ClockState.DUE_SOON


def test_a_months_figures():
    cases = [case("1", "2026-11-02 08:00", "2026-11-02 15:00"),           # 0 working days, on time
             case("2", "2026-11-02 09:00", "2026-11-12", type="投诉"),     # 8 working days, late
             case("3", "2026-11-03", "2026-11-06", type="举报", withheld="保护举报人"),  # 3, on time
             case("4", "2026-11-04", type="求助"),                          # open, due 11-11: overdue on 11-23
             case("5", "2026-11-20", type="建议"),                          # open, not yet due: not judged
             case("6", "2026-10-30", "2026-11-02"),                         # another month
             case("7", "2026-11-24")]                                        # after the day: not shown
    [november, october] = hotline_months(CAL, cases, D("2026-11-23"), Settings())
    assert (november.key, november.title, october.key) == ("2026-11", "2026年11月", "2026-10")
    assert [c.id for c in november.cases] == ["1", "2", "3", "4", "5"]
    assert [c.id for c in november.public_cases] == ["1", "2", "4", "5"]
    assert dict(november.by_type) == {"咨询": 1, "求助": 1, "投诉": 1, "建议": 1, "举报": 1}
    assert (november.closed, november.open, november.on_time, november.judged) == (3, 2, 2, 4)
    assert november.on_time_rate == 50.0
    assert november.average_workdays == round((0 + 8 + 3) / 3, 1)


def test_a_month_without_judged_cases_has_no_rate():
    [month] = hotline_months(CAL, [case("1", "2026-11-20")], D("2026-11-23"), Settings())
    assert month.on_time_rate is None and month.average_workdays is None


def test_cases_unanswered_for_more_than_three_months_within_the_past_year():
    cases = [case("open-long", "2026-07-01"),                  # open since more than 3 months
             case("late", "2026-03-01", "2026-06-15"),          # answered after 3 months and a half
             case("in-time", "2026-06-01", "2026-08-31"),       # answered just within 3 months
             case("recent", "2026-10-01"),                      # open, but not 3 months yet
             case("old-open", "2025-06-01"),                    # received before the year, unanswered all of it
             case("old-late", "2025-06-01", "2025-10-01"),      # late, but answered before the year began
             case("late-into-the-year", "2025-07-01", "2025-12-01")]  # late, answered within the year
    assert [c.id for c in unanswered(cases, D("2026-11-23"), 3)] == [
        "old-open", "late-into-the-year", "late", "open-long"]


@pytest.mark.parametrize("day, count, expected", [
    ("2026-11-30", 3, "2027-02-28"), ("2026-01-31", 1, "2026-02-28"), ("2026-11-23", -12, "2025-11-23"),
])
def test_months_are_added_with_the_days_clamped(day, count, expected):
    assert add_months(D(day), count) == D(expected)
