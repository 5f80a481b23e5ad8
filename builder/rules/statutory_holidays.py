"""The statutory holidays of a year, from 《全国年节及纪念日放假办法》 alone: what is certain before the notice.

The yearly State Council notice decides the rest — which weekend days become working days and which working days
are taken off in exchange (调休). Until it appears, a year counted with these dates is an estimate (预估): right on
the holidays themselves, unknown on the 调休. Lunar dates and the solar term 清明 come from ``lunar_python``
(computed in Beijing time, so valid far beyond 2100); no network, no tables of our own.
"""

from __future__ import annotations

import datetime as dt

from ..statute import STATUTORY_HOLIDAYS, HolidayDateKind, StatutoryHoliday

ONE_DAY = dt.timedelta(days=1)


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """Every statutory day off of the year, with its holiday's name: the days of 放假办法 art. 2, plus one working
    day for each of them that falls on a weekend (art. 6, 补假) — the first weekday after it that is not already off,
    which is where every notice since the rule has put it."""
    days: dict[dt.date, str] = {}
    for holiday in STATUTORY_HOLIDAYS:
        first = _anchor(holiday, year) + dt.timedelta(days=holiday.offset)
        for i in range(holiday.days):
            days.setdefault(first + dt.timedelta(days=i), holiday.name)
    for day, name in sorted(days.items()):
        if day.weekday() >= 5:
            makeup = day + ONE_DAY
            while makeup.weekday() >= 5 or makeup in days:
                makeup += ONE_DAY
            days[makeup] = f"{name}（补假）"
    return days


def _anchor(holiday: StatutoryHoliday, year: int) -> dt.date:
    # Imported when a year's dates are computed (~15 ms): for a year estimated, or one whose notice an office wrote
    # into holidays.yaml (checked against the law); a build whose years all come with chinesecalendar does without.
    from lunar_python import Lunar

    if holiday.kind is HolidayDateKind.SOLAR:
        return dt.date(year, holiday.month, holiday.day)
    if holiday.kind is HolidayDateKind.LUNAR:
        return _date(Lunar.fromYmd(year, holiday.month, holiday.day).getSolar())
    # Lunar year ``year`` runs from late January or February: its 清明 (early April) is the one of solar ``year``.
    return _date(Lunar.fromYmd(year, 1, 1).getJieQiTable()[holiday.term])


def _date(solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
