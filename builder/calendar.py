"""Official working days of the People's Republic of China.

A working day is Monday to Friday that is not a statutory holiday, plus the
weekend days the annual 国务院办公厅 holiday notice declares working days
(调休上班) — rules.md §1. "Monday to Friday minus holidays" is wrong.

Counting (rules.md §1, 民法典 art. 201): the day of receipt or formation is
day 0; count forward day by day, counting working days only; the N-th
working day is the last day allowed. If day 0 is itself a rest day, counting
is unchanged: the first working day after it is day 1.

Data: the PyPI package ``chinesecalendar`` (2004–2026) plus
``catalog/holidays.yaml``, which wins for every year it lists. A year neither
covers raises ``CalendarYearMissing`` — never a silent guess — unless the
calendar is *provisional*, when it counts weekends only and remembers that
the year was estimated (shown as 预估).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import chinese_calendar

from .errors import CalendarYearMissing, Location, Problem
from .source import InvalidDate, LocatedDict, LocatedList, load_yaml_file

ONE_DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class YearArrangement:
    """One year's holidays and make-up workdays, as the State Council notice lists them."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    notice: str = ""


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
        self._years: dict[int, YearArrangement | None] = {}
        self._added: dict[tuple[dt.date, int], dt.date] = {}  # every item's deadline starts from a few dates

    def arrangement(self, year: int) -> YearArrangement | None:
        """The year's arrangement; None when estimated provisionally."""
        if year not in self._years:
            self._years[year] = self._find_arrangement(year)
        found = self._years[year]
        if found is None and not self.provisional:
            raise CalendarYearMissing(year, self.holidays_file)
        return found

    def _find_arrangement(self, year: int) -> YearArrangement | None:
        if year in self._arrangements:
            return self._arrangements[year]
        packaged = _packaged_arrangement(year)
        if packaged is None and self.provisional:
            self.estimated_years.add(year)
        return packaged

    def is_workday(self, day: dt.date) -> bool:
        arrangement = self.arrangement(day.year)
        if arrangement is not None:
            if day in arrangement.workdays:
                return True
            if day in arrangement.holidays:
                return False
        return day.weekday() < 5

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (day 0), counted day by day."""
        if (start, n) not in self._added:
            self._added[start, n] = self._count_workdays(start, n)
        return self._added[start, n]

    def _count_workdays(self, start: dt.date, n: int) -> dt.date:
        day = start
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return day

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

    def is_estimated(self, first: dt.date, last: dt.date) -> bool:
        """True when any year between the two dates was counted provisionally (预估)."""
        return any(y in self.estimated_years for y in range(first.year, last.year + 1))


def _packaged_arrangement(year: int) -> YearArrangement | None:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return None
    holidays = frozenset(d for d in chinese_calendar.constants.holidays if d.year == year)
    workdays = frozenset(d for d in chinese_calendar.constants.workdays if d.year == year)
    return YearArrangement(year, holidays, workdays, notice="chinesecalendar")


def load_holidays(path: Path) -> tuple[dict[int, YearArrangement], list[Problem]]:
    """Read ``holidays.yaml``: per year, the notice's 文号, holidays and make-up workdays.

    ```yaml
    2027:
      notice: 国办发明电〔2026〕N号
      holidays: [2027-01-01, 2027-02-06..2027-02-13]
      workdays: [2027-02-14]
    ```
    """
    if not path.exists():
        return {}, []
    shown, data, problems = load_yaml_file(path)
    if data is None:
        return {}, problems
    if not isinstance(data, LocatedDict):
        return {}, problems + [Location(shown, 1).problem(
            "E-TYPE", field="holidays.yaml", key="holidays.yaml", expected="按年份列出的映射", expected_en="a mapping of years",
            found=_short(data))]
    arrangements = {}
    for year, entry in data.items():
        where = Location(shown, data.line_of(year))
        if not isinstance(year, int) or not 1949 < year < 2200:
            problems.append(where.problem("E-TYPE", field="年份", key="year", expected="四位年份，例如 2027",
                                          expected_en="a four-digit year", found=year))
            continue
        arrangement, year_problems = _read_year(year, entry, where)
        problems += year_problems
        if arrangement:
            arrangements[year] = arrangement
    return arrangements, problems


def _read_year(year: int, entry, where: Location) -> tuple[YearArrangement | None, list[Problem]]:
    if not isinstance(entry, LocatedDict):
        return None, [where.problem("E-TYPE", field=f"{year} 年", key=str(year), expected="包含 notice、holidays、workdays 的映射",
                                    expected_en="a mapping with notice, holidays, workdays", found=_short(entry))]
    problems = []
    for key in entry:
        if key not in ("notice", "holidays", "workdays"):
            problems.append(where.at(entry.line_of(key)).problem("E-UNKNOWN-KEY", key=key, suggestion=""))
    sets, lines = {"holidays": frozenset(), "workdays": frozenset()}, {}
    for key in ("holidays", "workdays"):
        values = entry.get(key)
        line = entry.line_of(key)
        if values is None:
            continue
        if not isinstance(values, LocatedList):
            problems.append(where.at(line).problem("E-TYPE", field=key, key=key, expected="日期列表", expected_en="a list of dates",
                                                   found=_short(values)))
            continue
        days = set()
        for value, value_line in zip(values, values.item_lines):
            expanded = _expand(value)
            if expanded is None:
                problems.append(where.at(value_line).problem("E-DATE", field=key, key=key, found=value))
                continue
            for day in expanded:
                if day.year != year:
                    problems.append(where.at(value_line).problem("E-HOLIDAY-YEAR", found=day.isoformat(), year=year))
                days.add(day)
                lines[day] = value_line
        sets[key] = frozenset(days)
    for day in sorted(sets["holidays"] & sets["workdays"]):
        problems.append(where.at(lines[day]).problem("E-HOLIDAY-CONFLICT", found=day.isoformat()))
    notice = entry.get("notice") or ""
    return YearArrangement(year, sets["holidays"], sets["workdays"], str(notice)), problems


def _expand(value) -> list[dt.date] | None:
    """A date, or a range written ``2027-10-01..2027-10-07``."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return [value]
    if isinstance(value, str) and not isinstance(value, InvalidDate) and ".." in value:
        first, _, last = value.partition("..")
        try:
            start, end = dt.date.fromisoformat(first.strip()), dt.date.fromisoformat(last.strip())
        except ValueError:
            return None
        if end < start or (end - start).days > 366:
            return None
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return None


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"
