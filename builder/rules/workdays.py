"""Official working days of the People's Republic of China.

A working day is Monday to Friday that is not a statutory holiday, plus the
weekend days the annual 国务院办公厅 holiday notice declares working days
(调休上班) — rules.md §1. "Monday to Friday minus holidays" is wrong.

Counting (rules.md §1, 民法典 art. 201): the day of receipt or formation is
day 0; count forward day by day, counting working days only; the N-th
working day is the last day allowed. If day 0 is itself a rest day, counting
is unchanged: the first working day after it is day 1.

Data: the PyPI package ``chinesecalendar`` (2004–2026) plus
``catalog/holidays.yaml``, which wins for every year it lists (its block may
also place days of the December before, as the notice's 元旦 item does). A
year neither covers raises ``CalendarYearMissing`` — never a silent guess —
unless the calendar is *provisional*: then the year has the statutory holidays
of 《全国年节及纪念日放假办法》 (``rules.statutory_holidays``), certain before
the notice, and no 调休, which only the notice decides; the calendar remembers
that the year was estimated (shown as 预估).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata

import chinese_calendar

from ..errors import CalendarYearMissing
from ..model.holidays import YearArrangement
from .statutory_holidays import statutory_holidays

ONE_DAY = dt.timedelta(days=1)
# The first day of December that the next year's notice has placed: its 元旦 item made 2007-12-29 and 2011-12-31
# (Saturdays) working days, and 2018-12-29 a working day and 12-30, 12-31 days off. Until that notice is known,
# these days are not (CalendarYearMissing for the next year, or, provisional, estimated as this year has them).
NEXT_NOTICE_FROM = (12, 29)


@dataclasses.dataclass(frozen=True)
class Interval:
    """Days in (start, end] do not count: the clock stops the day after ``start`` and runs again after ``end``."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start < day <= self.end


class WorkCalendar:
    def __init__(
        self,
        arrangements: dict[int, YearArrangement] | None = None,
        holidays_file: str = "catalog/holidays.yaml",
        provisional: bool = False,
    ):
        self._arrangements = dict(arrangements or {})
        self.holidays_file = holidays_file
        self.provisional = provisional
        self.estimated_years: set[int] = set()
        # How many counts have used an estimated year: what a caller compares before and after its own count.
        self.estimates_used = 0
        self._years: dict[int, YearArrangement | None] = {}
        # every item's deadline starts from a few dates: (start, n) → (the day, whether its count used an estimate)
        self._added: dict[tuple[dt.date, int], tuple[dt.date, bool]] = {}

    def fingerprint(self) -> str:
        """What the calendar knows, as text: equal for two calendars that count every day alike."""
        return repr((sorted(self._arrangements.items()), self.provisional, self.holidays_file,
                     importlib.metadata.version("chinesecalendar")))

    def strict(self) -> WorkCalendar:
        """This calendar without its estimates: a year without a notice is missing again. What the public site
        counts with: an estimate is advice to staff (marked 预估 where they read it), never a date published as
        the office's."""
        return WorkCalendar(self._arrangements, self.holidays_file) if self.provisional else self

    def arrangement(self, year: int) -> YearArrangement:
        """The year's arrangement: from holidays.yaml, else chinesecalendar, else (provisional) the estimate."""
        if year not in self._years:
            self._years[year] = self._find_arrangement(year)
        found = self._years[year]
        if found is None:
            raise CalendarYearMissing(year, self.holidays_file)
        if year in self.estimated_years:
            self.estimates_used += 1
        return found

    def _find_arrangement(self, year: int) -> YearArrangement | None:
        if year in self._arrangements:
            return self._arrangements[year]
        packaged = packaged_arrangement(year)
        if packaged is None and self.provisional:
            self.estimated_years.add(year)
            return YearArrangement(year, frozenset(statutory_holidays(year)), frozenset(), notice="预估")
        return packaged

    def is_workday(self, day: dt.date) -> bool:
        if day.month == 12:
            # The next year's notice may place the last days of this one (元旦). chinesecalendar files such days
            # under their own year: only holidays.yaml's block holds them; from NEXT_NOTICE_FROM the next year must
            # be known.
            following = (self.arrangement(day.year + 1) if (day.month, day.day) >= NEXT_NOTICE_FROM
                         else self._arrangements.get(day.year + 1))
            if following is not None:
                if day in following.workdays:
                    return True
                if day in following.holidays:
                    return False
        arrangement = self.arrangement(day.year)
        if day in arrangement.workdays:
            return True
        if day in arrangement.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, n: int, pauses: tuple[Interval, ...] = ()) -> dt.date:
        """The n-th working day after ``start`` (day 0), counted day by day; days inside ``pauses`` do not count."""
        if pauses:
            return self._count_workdays(start, n, pauses)
        if (start, n) not in self._added:
            used = self.estimates_used
            self._added[start, n] = self._count_workdays(start, n, ()), self.estimates_used > used
        day, estimated = self._added[start, n]
        self.estimates_used += estimated  # a count read from this cache used what it used when made
        return day

    def _count_workdays(self, start: dt.date, n: int, pauses: tuple[Interval, ...]) -> dt.date:
        day = start
        counted = 0
        while counted < n:
            day += ONE_DAY
            counted += self._counts(day, pauses)
        return day

    def within(self, start: dt.date, n: int, day: dt.date, pauses: tuple[Interval, ...] = ()) -> bool:
        """Whether ``day`` is no later than ``add_workdays(start, n, pauses)``: fewer than n days before it count.
        Decided from the days before ``day`` alone, never past the n-th: a reply made long before a clock's last
        day is seen in time although that day lies in a year without calendar data yet."""
        if n <= 0:
            return day <= start
        if (day - start).days <= n:  # fewer days before it than n, working or not: no calendar is asked
            return True
        counted = 0
        current = start + ONE_DAY
        while current < day:
            counted += self._counts(current, pauses)
            if counted == n:  # the last day allowed came before ``day``
                return False
            current += ONE_DAY
        return True

    def _counts(self, day: dt.date, pauses: tuple[Interval, ...]) -> bool:
        """Whether ``day`` counts on a clock: a working day outside every pause."""
        return self.is_workday(day) and not any(day in pause for pause in pauses)

    def workdays(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Every working day from ``first`` to ``last``, both included."""
        days = []
        day = first
        while day <= last:
            if self.is_workday(day):
                days.append(day)
            day += ONE_DAY
        return days

    def count_workdays_after(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many days of a clock have run from ``start`` to ``end``."""
        if end <= start:
            return -len(self.workdays(end + ONE_DAY, start)) if end < start else 0
        return len(self.workdays(start + ONE_DAY, end))

    def rest_days(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Rest days in the range — what a count skipped, for explanations."""
        days = []
        day = first
        while day <= last:
            if not self.is_workday(day):
                days.append(day)
            day += ONE_DAY
        return days

    def makeup_workdays(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Weekend days in the range that are working days (调休上班)."""
        return [d for d in self.workdays(first, last) if d.weekday() >= 5]

    def estimated_note(self) -> str:
        """What to tell users when a year was estimated (empty when none was)."""
        if not self.estimated_years:
            return ""
        years = "、".join(str(y) for y in sorted(self.estimated_years))
        return (f"注意：{years} 年尚无国务院办公厅放假通知，相关日期按《全国年节及纪念日放假办法》的法定节假日预估，"
                f"调休上班日未知，结果标注“预估” (estimated: no holiday notice for {years} yet; statutory holidays "
                f"only, make-up workdays unknown)")

    def is_estimated(self, first: dt.date, last: dt.date) -> bool:
        """True when any year between the two dates was counted provisionally (预估): the next year's too from
        NEXT_NOTICE_FROM, whose notice places those days."""
        until = last.year + 1 if (last.month, last.day) >= NEXT_NOTICE_FROM else last.year
        return any(y in self.estimated_years for y in range(first.year, until + 1))


def packaged_arrangement(year: int) -> YearArrangement | None:
    """The year as chinesecalendar holds the State Council's notice, or None for a year it does not hold."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    holidays = frozenset(d for d in chinese_calendar.constants.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.constants.workdays if d.year == year)
    return YearArrangement(year, holidays, workdays, notice="chinesecalendar")
