"""``holidays.yaml``: the official holiday arrangement of the years an office lists, as the State Council
notices give them (holidays, make-up workdays and the notice's 文号). Counting with them is ``rules.workdays``.

A year's block may also list days of the December before it: a notice places 元旦, and its days off or make-up
workdays sometimes fall in the last days of the year before (国办发明电〔2018〕15号: 2018-12-29 上班,
2018-12-30..2019-01-01 放假). Writing a year into the file (``gongkai holidays import``) changes that year's block
only, as text, so the other years and every comment stay as staff wrote them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import Location, Problem, display_path
from .source import InvalidDate, LocatedDict, LocatedList, parse_yaml, read_text


@dataclasses.dataclass(frozen=True)
class YearArrangement:
    """One year's holidays and make-up workdays, as the State Council notice lists them."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date]
    notice: str = ""
    line: int = dataclasses.field(default=0, compare=False)  # of the year's key in holidays.yaml
    # Of each listed day's entry (a range's days all on its line), for messages about one day.
    lines: dict[dt.date, int] = dataclasses.field(default_factory=dict, compare=False, repr=False)


def load_holidays(path: Path) -> tuple[dict[int, YearArrangement], list[Problem]]:
    """Read ``holidays.yaml``: per year, the notice's 文号, holidays and make-up workdays.

    ```yaml
    2027:
      notice: 国办发明电〔2026〕N号
      holidays: [2027-01-01, 2027-02-06..2027-02-13]
      workdays: [2027-02-14]
    ```
    """
    if not os.path.lexists(path):  # a link that leads nowhere, or to itself, is read and said to be unreadable
        return {}, []
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return {}, problems
    return parse_holidays(text, shown)[1:]


def parse_holidays(text: str, shown: str) -> tuple[object, dict[int, YearArrangement], list[Problem]]:
    """The text of ``holidays.yaml``: its YAML data (for the lines of its keys), the years, and problems."""
    data, problems = parse_yaml(text, shown)
    if data is None:
        return data, {}, problems
    if not isinstance(data, LocatedDict):
        return data, {}, problems + [Location(shown, 1).problem(
            "E-TYPE", field="holidays.yaml", key="holidays.yaml", expected="按年份列出的映射", expected_en="a mapping of years",
            found=_short(data))]
    arrangements = {}
    for year, entry in data.items():
        where = Location(shown, data.line_of(year))
        if not isinstance(year, int) or not 1949 < year < 2200:
            problems.append(where.problem("E-TYPE", field="年份", key="year", expected="四位年份，不加引号，例如 2027:",
                                          expected_en="a four-digit year, unquoted", found=year))
            continue
        arrangement, year_problems = _read_year(year, entry, where)
        problems += year_problems
        if arrangement:
            arrangements[year] = arrangement
    return data, arrangements, problems


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
                problems.append(where.at(value_line).problem("E-HOLIDAY-DATE", field=key, key=key, found=value))
                continue
            for day in expanded:
                if day.year != year and not (day.year == year - 1 and day.month == 12):
                    problems.append(where.at(value_line).problem("E-HOLIDAY-YEAR", found=day.isoformat(), year=year))
                days.add(day)
                lines[day] = value_line
        sets[key] = frozenset(days)
    for day in sorted(sets["holidays"] & sets["workdays"]):
        problems.append(where.at(lines[day]).problem("E-HOLIDAY-CONFLICT", found=day.isoformat()))
    if any(problem.is_error for problem in problems):
        # A year with a day that cannot be read, or read twice, is not counted with at all: its deadlines wait, as for
        # a year nobody supplied, rather than being counted on the days that could be read.
        return None, problems
    notice = entry.get("notice") or ""
    return YearArrangement(year, sets["holidays"], sets["workdays"], str(notice), where.line, lines), problems


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


# ------------------------------------------------------------ writing a year


@dataclasses.dataclass(frozen=True)
class ListedDays:
    """Consecutive days written as one line of a year's block, with what they are for (a comment)."""

    days: tuple[dt.date, ...]
    note: str


NEW_FILE_HEADER = (
    "# 节假日和调休安排：chinesecalendar 软件包未包含的年份，或需要更正的年份（见 docs/deadlines.md）。\n"
    "# 国务院办公厅的放假通知发布后，用 gongkai holidays import 通知.txt 导入；也可按同样的格式手工填写。\n"
)


def year_block(year: int, notice: str, title: str, holidays: Sequence[ListedDays],
               workdays: Sequence[ListedDays]) -> str:
    """One year as ``holidays.yaml`` writes it, a range per line, each line naming its festival."""
    lines = [f"{year}:", f"  # {title}（由 gongkai holidays import 导入）", f"  notice: {notice}", "  holidays:"]
    lines += [f"    - {_span(entry.days)}  # {entry.note}" for entry in holidays]
    if workdays:
        lines += ["  workdays:"] + [f"    - {_span(entry.days)}  # {entry.note}" for entry in workdays]
    else:
        lines.append("  workdays: []")
    return "\n".join(lines) + "\n"


def with_year(path: Path, year: int, block: str, replace: bool = False) -> tuple[str | None, list[Problem]]:
    """The text of ``holidays.yaml`` with ``block`` (from ``year_block``) added, or put in place of the year's block
    when ``replace``: every other line stays as written. None, with problems, when the file has errors of its own,
    already has the year (without ``replace``) or is not written year by year, so the change cannot be made safely."""
    shown = display_path(path)
    if not path.parent.is_dir():
        return None, [Location(shown, 0).problem("E-FILE-MISSING", what=f"目录文件夹 {display_path(path.parent)}",
                                                                 what_en=f"catalog folder {display_path(path.parent)}")]
    text, problems = read_text(path, shown) if os.path.lexists(path) else (NEW_FILE_HEADER, [])
    if text is None:
        return None, problems
    data, before, problems = parse_holidays(text, shown)
    lines = text.splitlines(keepends=True)
    # The year's block, as lines [start, end): what --replace puts the notice in place of, its own errors with it (a
    # hand-typed block that validate rejects is what an office imports the notice to correct).
    start, end = _block(lines, data.line_of(year)) if isinstance(data, LocatedDict) and year in data else (0, 0)
    if any(p.is_error and not (replace and start < p.line <= end) for p in problems):
        return None, problems
    newline = "\r\n" if "\r\n" in text else "\n"
    block = block.replace("\n", newline)
    if end:
        if not replace:
            return None, [Location(shown, start + 1).problem("E-HOLIDAY-EXISTS", year=year,
                                                              notice=before[year].notice or "未写文号")]
        lines[start:end] = [block]
    elif empty := [i for i, text_line in enumerate(lines) if re.fullmatch(r"\{\s*\}\s*(#.*)?", text_line.strip())]:
        at = empty[0]  # `{}`: the shipped file lists no year yet
        lines[at] = (newline if at and lines[at - 1].strip() else "") + block
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        if lines and lines[-1].strip():
            lines.append(newline)
        lines.append(block)
    new_text = "".join(lines)
    return (new_text, []) if _only_year_changed(new_text, shown, year, block, before) else (None, [
        Location(shown, 1).problem("E-HOLIDAY-WRITE", year=year)])


def _block(lines: list[str], line: int) -> tuple[int, int]:
    """The lines of the year whose key is on ``line`` (counted from 1), as [start, end) from 0: its key and the lines
    indented below it, without the blank lines that separate it from the next year."""
    start = line - 1
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t"):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return start, end


def _only_year_changed(text: str, shown: str, year: int, block: str, before: dict[int, YearArrangement]) -> bool:
    """Read the new text back: every other year exactly as before, the year exactly as the block has it."""
    _, after, problems = parse_holidays(text, shown)
    _, wanted, block_problems = parse_holidays(block, shown)
    return not problems and not block_problems and after == {**before, **wanted} and year in after


def _span(days: tuple[dt.date, ...]) -> str:
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()}..{days[-1].isoformat()}"
