"""A State Council holiday notice (国务院办公厅关于XXXX年部分节假日安排的通知), read from its published Chinese text.

The notice is read as staff copy it from the government website into a text file: the title gives the year, the
文号 follows it, and each numbered item (「一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。」)
gives the days off (放假, 补休, 连休) and the weekend days that become working days (上班). The wording has changed
over the years — 星期 or 周, 农历 notes in brackets, ranges across months or years, combined items such as
「国庆节、中秋节」, a sentence that only encourages a day off (鼓励……休息) — and every form seen since 2017 is read.

Nothing is guessed: a line with a date that cannot be read, a weekday or a 「共N天」 that contradicts the dates, a
make-up workday that is not a weekend, a festival without its item, each is a problem at the notice's line, and
nothing is written. A line broken in two by copying (a PDF, a narrow page) is joined to its item again: an item
ends with 「。」.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ..errors import PROBLEM_ORDER, Location, Problem, display_path
from ..statute import STATUTORY_HOLIDAYS
from .holidays import ListedDays, YearArrangement, year_block
from .source import read_text

# The festivals every notice places, in the notice's order, and the other names they go by.
FESTIVALS = tuple(holiday.name for holiday in STATUTORY_HOLIDAYS)
_ALIASES = {"新年": "元旦", "清明": "清明节", "五一": "劳动节", "国际劳动节": "劳动节", "端午": "端午节",
            "中秋": "中秋节", "国庆": "国庆节"}

# Patterns run on text normalized by NFKC (full-width digits, brackets and colons become ASCII) without spaces.
_TITLE = re.compile(r"关于(?P<year>\d{4})年部分节假日安排的通知")
_NUMBER = re.compile(r"(?P<prefix>国办发明电|国办发)[〔\[(【](?P<year>\d{4})[〕\])】](?P<serial>\d+)号")
_ITEM = re.compile(r"(?P<number>[一二三四五六七八九十]+)、(?P<names>[^:。,]{1,20}?):(?P<body>.*)")
_DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\((?P<note>[^()]*)\))?")
_COUNT = re.compile(r"(?:共|放假)(?P<n>\d+|[一二三四五六七八九十]+)天")
_WEEKDAY = re.compile(r"(?:星期|周)(?P<day>[一二三四五六日天])")
_MONTH_DAY = re.compile(r"\d{1,2}月\d{1,2}日")
_DIGIT = re.compile(r"\d")

_RANGE = ("至", "到", "-", "~", "—", "–")  # 「10月1日至8日」
_APART = ("", "、", "和", "及")               # 「9月27日（星期日）、10月10日（星期六）上班」
_OFF_WORDS = ("放假", "补休", "连休", "公休")    # 公休: notices before 2012
_WORK_WORD = "上班"
_ADVICE = "鼓励"  # 「鼓励各单位……安排职工在除夕（2月9日）休息」 (2024) advises; it makes no day off
_WEEKDAYS = "一二三四五六日"
_NUMERALS = "一二三四五六七八九十"


@dataclasses.dataclass(frozen=True)
class NoticeItem:
    """One numbered item: the festivals it names, its line, its days off and its make-up workdays."""

    festivals: tuple[str, ...]
    line: int
    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]


@dataclasses.dataclass(frozen=True)
class HolidayNotice:
    year: int
    number: str  # 文号, as 国办发明电〔2024〕12号
    title: str
    items: tuple[NoticeItem, ...]

    @property
    def holidays(self) -> frozenset[dt.date]:
        return frozenset(day for item in self.items for day in item.holidays)

    @property
    def workdays(self) -> frozenset[dt.date]:
        return frozenset(day for item in self.items for day in item.workdays)

    def arrangement(self) -> YearArrangement:
        return YearArrangement(self.year, self.holidays, self.workdays, self.number)

    def yaml_block(self) -> str:
        """The year as ``holidays.yaml`` writes it: consecutive days as one range, each line naming its festival."""
        holidays, workdays = [], []
        for item in self.items:
            note = "、".join(item.festivals)
            holidays += [ListedDays(run, note) for run in _runs(item.holidays)]
            workdays += [ListedDays((day,), note) for day in item.workdays]
        return year_block(self.year, self.number, self.title, holidays, workdays)


def read_notice(path: Path) -> tuple[HolidayNotice | None, list[Problem]]:
    """The notice in a text file (UTF-8), or the problems that stop it from being read."""
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    return parse_notice(text, shown)


def parse_notice(text: str, shown: str) -> tuple[HolidayNotice | None, list[Problem]]:
    """Read a notice's text; ``shown`` is the file name problems carry. None with problems when anything is unclear."""
    lines = [(number, _normalize(raw)) for number, raw in enumerate(text.splitlines(), start=1)]
    problems: list[Problem] = []
    title_line, year, title = _title(lines)
    number = _number(lines)
    if number is None:
        problems.append(Location(shown, title_line or 1).problem("E-NOTICE-NUMBER"))
    if year is None:  # without the year no date can be read
        first = next((n for n, line in lines if line), 1)
        return None, [Location(shown, first).problem("E-NOTICE-TITLE"), *problems]
    texts, problems_outside = _item_texts(lines, title_line, shown)
    problems += problems_outside
    items, named = [], []
    for item in texts:
        read, festivals, item_problems = _read_item(item, year, shown)
        problems += item_problems
        named.append((item.line, festivals))
        if read:
            items.append(read)
    problems += _check_festivals(named, shown, title_line or 1)
    problems += _check_conflicts(items, shown)
    if any(p.is_error for p in problems):
        return None, sorted(problems, key=PROBLEM_ORDER)
    return HolidayNotice(year, number or "", title, tuple(items)), problems


def _normalize(line: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


def _title(lines) -> tuple[int | None, int | None, str]:
    for index, (number, line) in enumerate(lines):
        # A printed title breaks over two lines (「国务院办公厅关于2027年」「部分节假日安排的通知」): read with the next.
        following = lines[index + 1][1] if index + 1 < len(lines) else ""
        match = _TITLE.search(line + following)
        if match and match.start() < len(line):
            return number, int(match["year"]), f"国务院办公厅关于{match['year']}年部分节假日安排的通知"
    return None, None, ""


def _number(lines) -> str | None:
    for _, line in lines:
        if match := _NUMBER.search(line):
            return f"{match['prefix']}〔{match['year']}〕{match['serial']}号"
    return None


@dataclasses.dataclass
class _ItemText:
    """An item's text, joined again when copying broke it over lines, and the line of each character."""

    names: str
    line: int
    text: str = ""
    lines: list[int] = dataclasses.field(default_factory=list)

    def add(self, line: int, text: str) -> None:
        self.text += text
        self.lines += [line] * len(text)

    def line_at(self, offset: int) -> int:
        return self.lines[min(offset, len(self.lines) - 1)] if self.lines else self.line


def _item_texts(lines, title_line: int | None, shown: str) -> tuple[list[_ItemText], list[Problem]]:
    """The numbered items, and a problem for each line after the first item and outside them that places days off
    or workdays. Lines before the first item are the notice's preamble, which since 2025 restates the rules the
    items follow (「国庆节自10月1日起放假调休7天」): a festival whose item could not be read is missing from the
    items, and said (``_check_festivals``)."""
    items: list[_ItemText] = []
    problems = []
    current = None
    for number, line in lines:
        if not line:
            current = None
        elif match := _ITEM.fullmatch(line):
            current = _ItemText(match["names"], number)
            current.add(number, match["body"])
            items.append(current)
        elif current and (not current.text.endswith("。") or _places_workdays_only(line)):
            # The rest of an item broken over lines: mid-sentence, or, from a PDF whose line ended with a sentence,
            # its make-up workdays (「1月31日（周日）、2月20日（周六）上班。」), which every item places after its days
            # off. Days off on a line of their own are not taken into the item above: they are said.
            current.add(number, line)
        else:
            current = None
            if items and number != title_line and _places_days(line):
                problems.append(Location(shown, number).problem(
                    "E-NOTICE-UNREAD", detail="这一行有放假或上班的日期，但不在编号的事项中（应为“一、元旦：……”的形式）",
                    detail_en="days off or workdays outside a numbered item"))
    return items, problems


def _places_days(line: str) -> bool:
    """Whether a line gives a date as days off or as a workday."""
    return bool(_MONTH_DAY.search(line)) and any(word in line for word in (*_OFF_WORDS, _WORK_WORD))


def _places_workdays_only(line: str) -> bool:
    return bool(_MONTH_DAY.search(line)) and _WORK_WORD in line and not any(word in line for word in _OFF_WORDS)


def _read_item(item: _ItemText, year: int, shown: str) -> tuple[NoticeItem | None, tuple[str, ...], list[Problem]]:
    """The item, the festivals it names (also when its dates cannot be read), and problems."""
    problems = []
    festivals = []
    for name in re.split(r"[、和及]", item.names):
        festival = _ALIASES.get(name, name)
        if festival not in FESTIVALS:
            problems.append(Location(shown, item.line).problem(
                "E-NOTICE-UNREAD", detail=f"无法识别节日名称“{name}”（应为{'、'.join(FESTIVALS)}之一）",
                detail_en=f"unknown festival {name!r}"))
        festivals.append(festival)
    holidays: dict[dt.date, int] = {}
    workdays: dict[dt.date, int] = {}
    counts = []
    previous = None
    for sentence_at, sentence in _split(item.text, "。"):
        if _ADVICE in sentence:
            continue
        counts += [_count(match["n"]) for match in _COUNT.finditer(sentence)]
        for clause_at, clause in _split(sentence, ",;"):
            where = Location(shown, item.line_at(sentence_at + clause_at))
            days, previous, clause_problems = _read_clause(clause, year, previous, where)
            problems += clause_problems
            if not days:
                continue
            is_work = _WORK_WORD in clause
            if is_work == any(word in clause for word in _OFF_WORDS):
                problems.append(where.problem(
                    "E-NOTICE-UNREAD", detail=f"“{clause}”没有写明是放假还是上班",
                    detail_en="neither days off nor workdays"))
                continue
            for day in days:
                (workdays if is_work else holidays).setdefault(day, where.line)
    for day, line in workdays.items():
        if day.weekday() < 5:
            problems.append(Location(shown, line).problem(
                "E-NOTICE-CHECK", detail=f"调休上班日 {day.isoformat()} 是{_weekday(day)}，不是周末",
                detail_en=f"make-up workday {day} is not a weekend day"))
    for day, line in {**holidays, **workdays}.items():
        if day.year != year and not (day.year == year - 1 and day.month == 12):
            problems.append(Location(shown, line).problem(
                "E-NOTICE-CHECK", detail=f"{day.isoformat()} 不属于 {year} 年（只有元旦前的 12 月可以属于上一年）",
                detail_en=f"{day} is outside {year}"))
    if not holidays and not problems:
        problems.append(Location(shown, item.line).problem(
            "E-NOTICE-UNREAD", detail=f"“{item.names}”一项中没有放假日期", detail_en="an item without days off"))
    for count in counts:
        if holidays and count != len(holidays):
            problems.append(Location(shown, item.line).problem(
                "E-NOTICE-CHECK", detail=f"“{item.names}”写“共{count}天”，但所列放假日期共 {len(holidays)} 天",
                detail_en=f"the item says {count} days but lists {len(holidays)}"))
    if problems:
        return None, tuple(festivals), problems
    return NoticeItem(tuple(festivals), item.line, tuple(sorted(holidays)), tuple(sorted(workdays))), tuple(festivals), []


def _read_clause(clause: str, year: int, previous: dt.date | None, where: Location):
    """The days a clause names (ranges expanded), the last date read, and problems."""
    matches = list(_DATE.finditer(clause))
    problems = []
    rest = _COUNT.sub("", _DATE.sub("", clause))
    if _DIGIT.search(rest):
        problems.append(where.problem(
            "E-NOTICE-UNREAD", detail=f"“{clause}”中有无法识别的日期或数字", detail_en="a date or number not understood"))
        return [], previous, problems
    dates = []
    for match in matches:
        day, problem = _resolve(match, year, previous, where)
        if problem:
            return [], previous, [problem]
        if (stated := _WEEKDAY.search(match["note"] or "")) and _weekday(day)[-1] != stated["day"].replace("天", "日"):
            problems.append(where.problem(
                "E-NOTICE-CHECK", detail=f"{day.isoformat()} 是{_weekday(day)}，通知写的是“{stated[0]}”",
                detail_en=f"{day} is not the weekday the notice gives"))
        dates.append(day)
        previous = day
    def between(i: int) -> str:  # the text between date i and date i + 1
        return clause[matches[i].end():matches[i + 1].start()]

    days = []
    index = 0
    while index < len(matches):
        if index + 1 < len(matches) and between(index) in _RANGE:
            first, last = dates[index], dates[index + 1]
            if not first <= last <= first + dt.timedelta(days=31):
                problems.append(where.problem(
                    "E-NOTICE-DATE", found=f"{matches[index][0]}{between(index)}{matches[index + 1][0]}",
                    detail="（区间的结束日应在开始日之后，且不超过一个月）", detail_en=" (a range of up to a month)"))
                return [], previous, problems
            days += [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
            following = index + 2
        else:
            days.append(dates[index])
            following = index + 1
        if following < len(matches) and between(following - 1) not in _APART:
            problems.append(where.problem(
                "E-NOTICE-UNREAD", detail=f"日期之间的“{between(following - 1)}”无法识别（区间写“至”，并列写“、”）",
                detail_en=f"{between(following - 1)!r} between two dates"))
            return [], previous, problems
        index = following
    return days, previous, problems


def _resolve(match: re.Match, year: int, previous: dt.date | None, where: Location):
    """A date of the notice: a date without a year is in the notice's year (the notices write 2018年12月29日 in full);
    one without a month too (「至3日」) takes both from the date before it."""
    if match["m"] is None:
        if match["y"] or previous is None:
            return None, where.problem("E-NOTICE-DATE", found=match[0], detail="（缺少月份）", detail_en=" (no month)")
        y, m = previous.year, previous.month
    else:
        y, m = (int(match["y"]) if match["y"] else year), int(match["m"])
    try:
        return dt.date(y, m, int(match["d"])), None
    except ValueError:
        return None, where.problem("E-NOTICE-DATE", found=match[0], detail="", detail_en="")


def _check_festivals(items: list[tuple[int, tuple[str, ...]]], shown: str, line: int) -> list[Problem]:
    """Every festival has exactly one item; ``items`` are (line, festivals named)."""
    named = [festival for _, festivals in items for festival in festivals]
    missing = [festival for festival in FESTIVALS if festival not in named]
    problems = []
    if missing:
        last = items[-1][0] if items else line
        problems.append(Location(shown, last).problem("E-NOTICE-MISSING", festivals="、".join(missing)))
    seen = set()
    for item_line, festivals in items:
        for festival in festivals:
            if festival in seen and festival in FESTIVALS:
                problems.append(Location(shown, item_line).problem(
                    "E-NOTICE-CHECK", detail=f"“{festival}”在通知中出现了不止一项", detail_en=f"{festival} has two items"))
            seen.add(festival)
    return problems


def _check_conflicts(items: list[NoticeItem], shown: str) -> list[Problem]:
    off = {day for item in items for day in item.holidays}
    return [Location(shown, item.line).problem(
                "E-NOTICE-CHECK", detail=f"{day.isoformat()} 既是放假日又是上班日", detail_en=f"{day} is both off and a workday")
            for item in items for day in item.workdays if day in off]


def _split(text: str, separators: str) -> Iterator[tuple[int, str]]:
    """Pieces of ``text`` between separators outside brackets (「1月28日（农历除夕、周二）」 stays whole), with offsets."""
    depth, start = 0, 0
    for at, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            if at > start:
                yield start, text[start:at]
            start = at + 1
    if start < len(text):
        yield start, text[start:]


def _count(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    tens, _, ones = text.rpartition("十")
    return (_NUMERALS.index(tens) + 1 if tens else 1 if "十" in text else 0) * 10 + (
        _NUMERALS.index(ones) + 1 if ones else 0)


def _weekday(day: dt.date) -> str:
    return "星期" + _WEEKDAYS[day.weekday()]


def _runs(days: tuple[dt.date, ...]) -> list[tuple[dt.date, ...]]:
    runs: list[list[dt.date]] = []
    for day in sorted(days):
        if runs and day - runs[-1][-1] == dt.timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return [tuple(run) for run in runs]
