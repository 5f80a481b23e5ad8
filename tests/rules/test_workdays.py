"""Working days on the official calendar, with 调休, against the State Council's 2026 notice."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import make_catalog

from builder.errors import CalendarYearMissing
from builder.model.holidays import YearArrangement
from builder.rules.workdays import Interval, WorkCalendar

D = dt.date.fromisoformat

# 国务院办公厅关于2026年部分节假日安排的通知 (rules.md §1 check values [C2]).
HOLIDAYS_2026 = {
    "元旦": ("2026-01-01", "2026-01-03"),
    "春节": ("2026-02-15", "2026-02-23"),
    "清明节": ("2026-04-04", "2026-04-06"),
    "劳动节": ("2026-05-01", "2026-05-05"),
    "端午节": ("2026-06-19", "2026-06-21"),
    "中秋节": ("2026-09-25", "2026-09-27"),
    "国庆节": ("2026-10-01", "2026-10-07"),
}
MAKEUP_WORKDAYS_2026 = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]


def _days(first: str, last: str):
    day = D(first)
    while day <= D(last):
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("day", MAKEUP_WORKDAYS_2026)
def test_2026_makeup_weekend_is_a_workday(day):
    assert D(day).weekday() >= 5, "a make-up workday falls on a weekend"
    assert WorkCalendar().is_workday(D(day))


@pytest.mark.parametrize("festival", HOLIDAYS_2026)
def test_2026_holiday_days_are_rest_days(festival):
    calendar = WorkCalendar()
    assert [d for d in _days(*HOLIDAYS_2026[festival]) if calendar.is_workday(d)] == []


def test_2026_has_exactly_the_notice_rest_days_and_workdays():
    holidays = {d for first, last in HOLIDAYS_2026.values() for d in _days(first, last)}
    makeup = {D(d) for d in MAKEUP_WORKDAYS_2026}
    expected = [d for d in _days("2026-01-01", "2026-12-31")
                if d in makeup or (d.weekday() < 5 and d not in holidays)]
    # 2027's notice may still place 12-29..12-31 (NEXT_NOTICE_FROM); estimated, it places none of them.
    assert WorkCalendar(provisional=True).workdays(D("2026-01-01"), D("2026-12-31")) == expected
    assert len(expected) == 248  # 261 weekdays − 19 holidays on weekdays + 6 make-up days


def test_the_last_days_of_december_wait_for_the_next_years_notice():
    """The 2019 notice made 2018-12-29 a working day and 12-30, 12-31 days off (2008 and 2012 placed December
    Saturdays too): without 2027's notice, 2026-12-29..31 are not known; the days before are."""
    calendar = WorkCalendar()
    assert calendar.add_workdays(D("2026-11-27"), 20) == D("2026-12-25")
    with pytest.raises(CalendarYearMissing) as raised:
        calendar.add_workdays(D("2026-12-01"), 20)
    assert raised.value.year == 2027
    provisional = WorkCalendar(provisional=True)
    assert provisional.add_workdays(D("2026-12-01"), 20) == D("2026-12-29")
    assert provisional.is_estimated(D("2026-12-01"), D("2026-12-29"))
    assert not provisional.is_estimated(D("2026-12-01"), D("2026-12-28"))
    notice = YearArrangement(2027, frozenset({D("2026-12-31"), D("2027-01-01")}), frozenset({D("2026-12-26")}), "通知")
    placed = WorkCalendar({2027: notice})
    assert placed.is_workday(D("2026-12-26")) and not placed.is_workday(D("2026-12-31"))
    assert placed.is_workday(D("2026-12-29"))


def test_year_without_data_raises_naming_year_and_file():
    calendar = WorkCalendar(holidays_file="catalog/holidays.yaml")
    with pytest.raises(CalendarYearMissing) as raised:
        calendar.is_workday(D("2027-01-04"))
    assert raised.value.year == 2027
    assert "catalog/holidays.yaml" in str(raised.value) and "2027" in str(raised.value)


def test_provisional_year_counts_the_statutory_holidays_and_is_marked():
    calendar = WorkCalendar(provisional=True)
    assert not calendar.is_workday(D("2027-01-01"))  # 元旦 (放假办法 art. 2)
    assert [d.isoformat() for d in calendar.rest_days(D("2027-02-04"), D("2027-02-11"))] == [
        "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08",  # 除夕 to 初三
        "2027-02-09", "2027-02-10"]  # 初一 and 初二 fall on the weekend: made up on working days (art. 6)
    assert not calendar.is_workday(D("2027-01-02"))
    assert calendar.is_workday(D("2027-01-04"))
    assert calendar.is_estimated(D("2026-12-20"), D("2027-01-15"))
    assert not calendar.is_estimated(D("2026-01-01"), D("2026-12-28"))
    assert calendar.is_estimated(D("2026-01-01"), D("2026-12-31"))  # 2027's notice may place 12-29..12-31


def test_provisional_note_says_what_is_estimated():
    calendar = WorkCalendar(provisional=True)
    assert calendar.estimated_note() == ""
    calendar.add_workdays(D("2026-12-20"), 20)
    note = calendar.estimated_note()
    assert "2027" in note and "预估" in note and "全国年节及纪念日放假办法" in note and "调休" in note


def test_provisional_estimate_never_replaces_a_listed_year():
    arrangement = YearArrangement(2027, frozenset(), frozenset(), "测试通知")
    calendar = WorkCalendar({2027: arrangement}, provisional=True)
    assert calendar.is_workday(D("2027-01-01")) and not calendar.estimated_years


def test_next_years_notice_places_the_last_days_of_december():
    # 国办发明电〔2018〕15号 style: the 2019 notice gave 2018-12-31 off and 2018-12-29 (Saturday) as a workday.
    arrangement = YearArrangement(2027, frozenset({D("2026-12-31"), D("2027-01-01")}), frozenset({D("2026-12-26")}), "测试")
    calendar = WorkCalendar({2027: arrangement})
    assert not calendar.is_workday(D("2026-12-31"))
    assert calendar.is_workday(D("2026-12-26"))
    assert calendar.is_workday(D("2026-12-30"))
    assert calendar.add_workdays(D("2026-12-29"), 2) == D("2027-01-04")


def test_holidays_file_supplies_missing_year():
    arrangement = YearArrangement(2027, frozenset({D("2027-01-01")}), frozenset({D("2027-01-02")}), "测试通知")
    calendar = WorkCalendar({2027: arrangement})
    assert not calendar.is_workday(D("2027-01-01"))
    assert calendar.is_workday(D("2027-01-02"))
    assert calendar.is_workday(D("2027-01-04"))
    assert not calendar.estimated_years


def test_holidays_file_overrides_the_package_for_its_year():
    arrangement = YearArrangement(2026, frozenset({D("2026-03-02")}), frozenset(), "更正")
    calendar = WorkCalendar({2026: arrangement})
    assert not calendar.is_workday(D("2026-03-02"))
    assert calendar.is_workday(D("2026-10-01")), "the file's year replaces the package's data entirely"


def test_holidays_yaml_with_ranges_is_read(run, tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "holidays.yaml").write_text(
        "2027:\n  notice: 国办发明电〔2026〕N号\n  holidays: [2027-01-01, 2027-02-05..2027-02-11, 2027-04-05, 2027-05-01, 2027-05-02, 2027-06-09, 2027-09-15, 2027-10-01..2027-10-03]\n"
        "  workdays: [2027-02-14]\n", encoding="utf-8")
    result = run("workdays", "list", "--from", "2027-02-04", "--to", "2027-02-15")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["2027-02-04", "2027-02-12", "2027-02-14", "2027-02-15"]


@pytest.mark.parametrize("start, n, pause", [
    ("2026-09-22", 20, None),  # across 国庆 and the make-up Saturday 10-10
    ("2026-02-06", 7, None),  # across 春节 and its make-up Saturdays 02-14, 02-28
    ("2026-03-02", 20, ("2026-03-09", "2026-03-16")),  # days in (start, end] of a pause do not count
])
def test_a_day_is_within_n_working_days_exactly_when_it_is_no_later_than_the_nth(start, n, pause):
    calendar = WorkCalendar()
    pauses = (Interval(D(pause[0]), D(pause[1])),) if pause else ()
    due = calendar.add_workdays(D(start), n, pauses)
    for day in _days(start, (due + dt.timedelta(days=12)).isoformat()):
        assert calendar.within(D(start), n, day, pauses) is (day <= due), day


def test_within_needs_only_the_days_before_the_day_it_is_asked_about():
    """A reply 2 working days after 2026-12-01 is within its 20, though the 20th (12-29) waits for 2027's notice
    (NEXT_NOTICE_FROM); a reply on 12-31 is not yet decided."""
    calendar = WorkCalendar()
    with pytest.raises(CalendarYearMissing):
        calendar.add_workdays(D("2026-12-01"), 20)
    assert calendar.within(D("2026-12-01"), 20, D("2026-12-03"))
    assert calendar.within(D("2026-12-01"), 20, D("2026-12-29"))  # 12-02 … 12-28 are 19 working days
    assert not calendar.within(D("2026-11-20"), 20, D("2027-01-05"))  # the 20th, 12-18, came before it
    with pytest.raises(CalendarYearMissing):
        calendar.within(D("2026-12-01"), 20, D("2026-12-31"))
    # Received 12-28, answered 12-31: three days, fewer than 20 whatever 2027's notice makes of 12-29 … 12-31 (a
    # review found it 待定 in the report's chart).
    assert calendar.within(D("2026-12-28"), 20, D("2026-12-31"))
