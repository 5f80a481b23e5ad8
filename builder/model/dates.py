"""Dates as real catalogs write them: a date, a quoted date, or a date with its time of day.

``2024-04-06``, ``"2024-04-06"`` and ``2024-04-06 16:40`` (a 发布日期 with its time, as portals export it) are
read; the time is kept on the date (``DateWithTime``) for ordering and for the page's publication time. Anything
else is explained precisely: which part is wrong, or how to write the form that was used (2017年7月14日,
2017/07/14, 2017.07.14).
"""

from __future__ import annotations

import datetime as dt
import re

CHINA = dt.timezone(dt.timedelta(hours=8))  # China Standard Time: the statutory days are Beijing's


class DateWithTime(dt.date):
    """A date given with its time of day. It is a date wherever dates are compared, counted or shown; ``time``
    says when on that day (None for dates computed from it)."""

    __slots__ = ("time",)

    def __new__(cls, year: int, month: int, day: int, time: dt.time | None = None) -> "DateWithTime":
        # date arithmetic on a subclass calls cls(year, month, day): the time is then unknown
        self = super().__new__(cls, year, month, day)
        self.time = time
        return self

    def __reduce__(self):
        return DateWithTime, (self.year, self.month, self.day, self.time)

    def __repr__(self) -> str:
        # With its time: content keys are made of reprs (a report's, an item read from no file), and a page showing
        # 09:30 must not be kept when it says 10:45 (date's own repr names the day alone).
        return f"DateWithTime({self.year}, {self.month}, {self.day}, {self.time!r})"


def time_of(day: dt.date) -> dt.time | None:
    """The time of day given with ``day``, if any."""
    return getattr(day, "time", None)


def comes_before(first: dt.date, second: dt.date) -> bool:
    """Whether ``first`` is earlier than ``second``: by day, and on one day by the times of day where both state one
    (a 12345 case answered at 09:00 of the day it came in at 10:00)."""
    if first != second:
        return first < second
    first_time, second_time = time_of(first), time_of(second)
    return first_time is not None and second_time is not None and first_time < second_time


def published_by(published: dt.date | None, day: dt.date) -> bool:
    """Whether a stated publication date puts the entry on the site by ``day``: a later date is a plan."""
    return published is not None and published <= day


def official_date(day: dt.date | None) -> str:
    """A date as official documents write it: 2026年11月2日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def as_stated(day: dt.date) -> str:
    """The date as the catalog states it: with its time of day where one is given."""
    moment = time_of(day)
    return f"{day.isoformat()} {moment:%H:%M}" if moment else day.isoformat()


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_DATE_TIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?")
_OTHER_FORMS = re.compile(r"(\d{4})\s*(?:年|/|\.)\s*(\d{1,2})\s*(?:月|/|\.)\s*(\d{1,2})\s*日?")


def read_date(value) -> tuple[dt.date | None, str, str]:
    """(the date, "", "") or (None, what is wrong in Chinese, in English) for a value written as a date."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # 2026-11-02T20:00:00Z is 04:00 of the 3rd in Beijing, where every clock runs
            value = value.astimezone(CHINA)
        return DateWithTime(value.year, value.month, value.day, value.time().replace(tzinfo=None)), "", ""
    if isinstance(value, dt.date):
        return value, "", ""
    if not isinstance(value, str):
        return None, "", ""
    text = value.strip()
    if match := _ISO_DATE.fullmatch(text):
        return _day(*map(int, match.groups()))
    if match := _ISO_DATE_TIME.fullmatch(text):
        year, month, day, hour, minute = map(int, match.groups()[:5])
        second = int(match.group(6) or 0)
        found, detail, detail_en = _day(year, month, day)
        if found is None:
            return found, detail, detail_en
        if hour > 23 or minute > 59 or second > 59:
            return None, f"（时间 {hour}:{minute:02d} 不存在）", f" (no time {hour}:{minute:02d})"
        return DateWithTime(year, month, day, dt.time(hour, minute, second)), "", ""
    if match := _OTHER_FORMS.fullmatch(text):
        year, month, day = map(int, match.groups())
        return None, f"（应写成 {year:04d}-{month:02d}-{day:02d}）", f" (write {year:04d}-{month:02d}-{day:02d})"
    return None, "", ""


def _day(year: int, month: int, day: int) -> tuple[dt.date | None, str, str]:
    if not 1 <= month <= 12:
        return None, f"（没有 {month} 月）", f" (no month {month})"
    try:
        return dt.date(year, month, day), "", ""
    except ValueError:
        return None, f"（{month} 月没有 {day} 日）", f" (month {month} has no day {day})"
