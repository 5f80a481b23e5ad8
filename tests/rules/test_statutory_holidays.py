"""The statutory holidays of 《全国年节及纪念日放假办法》 (as amended in 2024) as dates: checked against the years
chinesecalendar has, where the notices placed them."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from builder.rules.statutory_holidays import statutory_holidays

D = dt.date.fromisoformat
OFF = set(chinese_calendar.constants.holidays)
WORK = set(chinese_calendar.constants.workdays)


def _year(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def test_2027_before_its_notice():
    assert {d.isoformat(): name for d, name in statutory_holidays(2027).items()} == {
        "2027-01-01": "元旦",
        "2027-02-05": "春节", "2027-02-06": "春节", "2027-02-07": "春节", "2027-02-08": "春节",  # 除夕 to 初三
        "2027-02-09": "春节（补假）", "2027-02-10": "春节（补假）",
        "2027-04-05": "清明节",
        "2027-05-01": "劳动节", "2027-05-02": "劳动节", "2027-05-03": "劳动节（补假）", "2027-05-04": "劳动节（补假）",
        "2027-06-09": "端午节",
        "2027-09-15": "中秋节",
        "2027-10-01": "国庆节", "2027-10-02": "国庆节", "2027-10-03": "国庆节",
        "2027-10-04": "国庆节（补假）", "2027-10-05": "国庆节（补假）",
    }


@pytest.mark.parametrize("year", [2025, 2026])
def test_years_under_the_2024_rules_differ_from_the_notice_only_by_tiaoxiu(year):
    estimate = statutory_holidays(year)
    assert sorted(d for d in estimate if d not in OFF) == [], "every estimated day off is a real one"
    # 调休 swaps a weekend day for a weekday, so the year has as many working days as the estimate gives it.
    real = [d for d in _year(year) if d in WORK or (d.weekday() < 5 and d not in OFF)]
    estimated = [d for d in _year(year) if d.weekday() < 5 and d not in estimate]
    assert len(estimated) == len(real)


@pytest.mark.parametrize("year", range(2008, 2027))
def test_lunar_dates_and_qingming_fell_on_the_notices_days_off(year):
    """Since 2008 清明, 端午 and 中秋 are holidays and 春节 covers 初一 to 初三: the library's dates are days off in every
    notice (chinesecalendar leaves out some weekend days of a holiday, which are rest days anyway)."""
    days = [d for d, name in statutory_holidays(year).items()
            if name in ("清明节", "端午节", "中秋节") or (name == "春节" and d != min(
                day for day, other in statutory_holidays(year).items() if other == "春节"))]
    assert [d for d in days if d not in OFF and d.weekday() < 5] == []


def test_far_years_are_computed():
    days = statutory_holidays(2100)
    assert days[D("2100-02-08")] == "春节"  # 除夕: 正月初一 is 2100-02-09
    assert len([name for name in days.values() if "补假" not in name]) == 13
