"""``holidays.yaml``: the official holiday arrangement of the years an office lists, as the State Council
notices give them (holidays, make-up workdays and the notice's 文号). Counting with them is ``rules.workdays``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from ..errors import Location, Problem
from .source import InvalidDate, LocatedDict, LocatedList, load_yaml_file


@dataclasses.dataclass(frozen=True)
class YearArrangement:
    """One year's holidays and make-up workdays, as the State Council notice lists them."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    notice: str = ""


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
