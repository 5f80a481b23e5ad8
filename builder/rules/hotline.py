"""The 12345 hotline (rules.md §9): each case's reply deadline, the monthly figures the site publishes, and the
cases the 19号 inspection counts as 互动回应差.

A case is due a setting's number of working days after the day it was received (day 0, rules.md §1). A month's
按期办结率 is the share of its cases closed by their due date among those that can be judged on the day: closed
cases, and open ones already past their due date; an open case still within its time is not judged yet.
"""

from __future__ import annotations

import calendar as months
import dataclasses
import datetime as dt
from collections import Counter

from .. import statute
from ..errors import CalendarYearMissing
from ..model.participation import HotlineCase
from ..util import rounded
from .deadlines import ClockState, state_of
from .workdays import WorkCalendar


def day_of(value: dt.date) -> dt.date:
    """A date without the time a 受理时间 or 办结时间 carries: deadlines count days."""
    return dt.date(value.year, value.month, value.day)


def reply_due(calendar: WorkCalendar, case: HotlineCase, settings) -> dt.date:
    return calendar.add_workdays(day_of(case.received), settings.hotline_reply_workdays)


def case_state(calendar: WorkCalendar, case: HotlineCase, today: dt.date, settings) -> ClockState:
    replied = day_of(case.replied) if case.replied and day_of(case.replied) <= today else None
    return state_of(calendar, reply_due(calendar, case, settings), replied, today, settings.due_soon_workdays)


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclasses.dataclass(frozen=True)
class HotlineMonth:
    """The cases received in one month, as known on a day, and their figures."""

    key: str                         # 2026-11
    cases: tuple[HotlineCase, ...]   # every case of the month received by the day, in order of receipt
    by_type: tuple[tuple[str, int], ...]  # every type of statute.HOTLINE_TYPES, with its count
    closed: int
    on_time: int
    judged: int                      # closed, or open and past due: what the 按期办结率 is a share of
    average_workdays: float | None   # working days from receipt to closing, over the closed cases
    pending: int                     # cases whose due date needs a year without calendar data

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def month(self) -> int:
        return int(self.key[5:])

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def public_cases(self) -> tuple[HotlineCase, ...]:
        return tuple(case for case in self.cases if case.public)

    @property
    def open(self) -> int:
        return len(self.cases) - self.closed

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 in per cent, one decimal; None when no case can be judged yet."""
        return rounded(100 * self.on_time / self.judged) if self.judged else None


def hotline_months(calendar: WorkCalendar, cases: list[HotlineCase], today: dt.date, settings) -> list[HotlineMonth]:
    """Every month with a case received by ``today``, newest first."""
    by_month: dict[str, list[HotlineCase]] = {}
    for case in sorted(cases, key=lambda c: (c.received, _seconds(c.received), c.id)):
        if day_of(case.received) <= today:
            by_month.setdefault(month_key(case.received), []).append(case)
    return [_month(calendar, key, tuple(found), today, settings) for key, found in sorted(by_month.items(),
                                                                                         reverse=True)]


def _seconds(day: dt.date) -> int:
    time = getattr(day, "time", None)
    return time.hour * 3600 + time.minute * 60 + time.second if time else -1


def _month(calendar: WorkCalendar, key: str, cases: tuple[HotlineCase, ...], today: dt.date,
           settings) -> HotlineMonth:
    types = Counter(case.type for case in cases)
    closed = on_time = judged = pending = 0
    workdays = []
    for case in cases:
        replied = day_of(case.replied) if case.replied and day_of(case.replied) <= today else None
        try:
            state = case_state(calendar, case, today, settings)
            if replied:
                workdays.append(calendar.count_workdays_after(day_of(case.received), replied))
        except CalendarYearMissing:
            pending += 1
            closed += replied is not None
            continue
        closed += replied is not None
        on_time += state is ClockState.CLOSED
        judged += state in (ClockState.CLOSED, ClockState.CLOSED_LATE, ClockState.OVERDUE)
    average = rounded(sum(workdays) / len(workdays)) if workdays else None
    return HotlineMonth(key, cases, tuple((t, types[t]) for t in statute.HOTLINE_TYPES), closed, on_time, judged,
                        average, pending)


def add_months(day: dt.date, count: int) -> dt.date:
    """The same day ``count`` months later (earlier when negative), or the month's last day if it has none."""
    month = day.month - 1 + count
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, months.monthrange(year, month)[1]))


def unanswered(cases: list[HotlineCase], today: dt.date, months_allowed: int) -> list[HotlineCase]:
    """Cases left unanswered for more than ``months_allowed`` months within the past year: still open, or closed
    late within the year (国办秘函〔2019〕19号 单项否决 “互动回应差”, rules.md §8). A case received before the year
    and still open counts: it was unanswered the whole year."""
    since = add_months(today, -12)
    found = []
    for case in cases:
        received = day_of(case.received)
        if received > today:
            continue
        limit = add_months(received, months_allowed)
        answered = day_of(case.replied) if case.replied and day_of(case.replied) <= today else None
        if (answered or today) > max(limit, since):
            found.append(case)
    return sorted(found, key=lambda c: (c.received, c.id))
