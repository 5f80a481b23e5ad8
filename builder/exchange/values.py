"""Reading one cell as the value its column's field declares: text, a date, a whole number, a list, records.

Cells come as staff typed them: dates as real dates, Excel serial numbers (42930), 2017年7月14日, 2017.07.14,
二〇一七年七月十四日 or with full-width digits; limits as 20 or 20个工作日; lists a line or a ； each. A value is
converted only when it means exactly one thing; anything else is ``Unreadable`` and reported, never guessed (a
month without a day is not the first of that month, 20日 is not 20 working days). A blank cell is None: absent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata

from ..model.fields import BOOL, DATE, INT, NUMBER, Field, Schema
from ..rules.identifiers import identifier_form, is_invisible
from .headers import LIST_SEPARATORS, Column
from .sheet import UncalculatedFormula

RECORD_SEPARATOR = "|"  # between the fields of one record in a list-of-records cell: 文件 | 附件名称

# Serial numbers read as dates only in this range (1950-01-01 to 2100-12-31): a year typed alone (2017) is a
# number too, and as a serial it would be 1905-07-09.
_SERIALS = (18264, 73415)


@dataclasses.dataclass(frozen=True)
class Unreadable:
    """A cell that does not say a value of its field's kind."""

    found: str
    expected: str
    expected_en: str


def read_cell(column: Column, value, epoch: dt.datetime):
    """The value of ``column`` that the cell holds: None when blank, an ``Unreadable`` when it holds no such value.
    Lists are lists ([] when the cell says the list is empty, 不收费); records are dicts of their fields."""
    if isinstance(value, UncalculatedFormula) and value.error:
        return Unreadable(value.error, "正确的值（单元格显示 Excel 的错误值，是公式出错，如查找不到：请改正公式或填入值）",
                          "a value, not one of Excel's errors; correct the formula")
    if isinstance(value, UncalculatedFormula):
        return Unreadable(value.formula, "公式的计算结果（文件没有保存公式的结果：请在 Excel 中打开并保存该文件）",
                          "the formula's result; open and save the file in Excel")
    if _blank(value):
        return None
    field = column.field
    if column.records is not None:
        return _read_records(column.records, value, epoch)
    if field.many:
        text = cell_text(value)
        if text.strip() in column.none_words:
            return []
        parts = [p.strip() for p in re.split("[" + re.escape(_separators(column, text)) + "]", text)] \
            if isinstance(value, str) else [text]
        values = [_read_scalar(column, field, part, epoch) for part in parts if part]
        bad = next((v for v in values if isinstance(v, Unreadable)), None)
        return bad or values
    return _read_scalar(column, field, value, epoch)


def _separators(column: Column, text: str) -> str:
    """A line or a ； separates a list's entries; in a loose list (主题词) a 、, a comma or a space does too, when
    the cell uses none of the first."""
    if any(separator in text for separator in LIST_SEPARATORS):
        return LIST_SEPARATORS
    return column.separators


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_scalar(column: Column, field: Field, value, epoch: dt.datetime):
    kind = field.kind
    if kind == DATE:
        return read_date(value, epoch)
    if kind == INT:
        return _read_int(column, field, value)
    if kind == NUMBER:
        return _read_number(value)
    if kind == BOOL:
        return _read_bool(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) >= EXCEL_DIGITS_LOST:
        # A credit code or an ID number typed into a number cell: Excel kept its first 15 digits.
        return _digits_lost(cell_text(value), "超过 15 位的数字，Excel 只保留前 15 位，后面的已变成 0",
                            "Excel keeps only 15 digits of a number")
    text = cell_text(value).strip()
    if column.identifier:
        text = identifier_form(visible(text)).strip()
    if isinstance(value, str) and _SCIENTIFIC.fullmatch(text):
        # The same number in a CSV file: Excel saves a number cell as it shows it, and shows a long one as 1.12200E+17.
        return _digits_lost(text, "这是 Excel 以科学计数法显示的数字，另存为 CSV 文件时只保存了显示的几位，其余数字已丢失",
                            "Excel saved a number in scientific notation, its other digits lost")
    if column.one_line:
        text = one_line(text, column.several_names)
    if field.choices:
        text = _choice(column, field, text)
    return text


# ------------------------------------------------------------ text

EXCEL_DIGITS_LOST = 10 ** 15  # from 16 digits on, Excel stores a number's first 15 digits and zeros
# How Excel shows a number too long for its cell, and saves it in a CSV file: 1.12200E+17, 1.1E-05 (the exponent's
# sign is always written; a code such as 12E3 is not taken for one).
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[Ee][+-]\d+")


def _digits_lost(found: str, why: str, why_en: str) -> Unreadable:
    """A text column's cell that holds what Excel made of a number typed into it, not the digits typed."""
    return Unreadable(found, f"文本：{why}。请把该列设为“文本”格式后重新输入", f"text; {why_en}: format the column as text")


_LINE_BREAK = re.compile(r"\s*[\n\u2028\u2029]\s*")


def one_line(text: str, names: bool) -> str:
    """The text of a one-line field as one line. A line break (and the spaces around it) where staff wrapped a long
    value is dropped beside a Chinese character or punctuation mark (关于印发⏎吉林省…, 〔2025〕⏎3号), as Chinese is
    written without spaces, and is a space between other characters (Notice on⏎the …); between ``names`` (two
    organs of a joint document) it is the space that parts them. A title wrapped in its cell was found by no phrase
    across the break. ``text`` is stripped already."""
    if "\n" not in text and "\u2028" not in text and "\u2029" not in text:
        return text  # most cells: 0.16 µs a cell, where the substitution took 0.8 µs

    def joined(found: re.Match) -> str:
        return "" if not names and (_wide(text[found.start() - 1]) or _wide(text[found.end()])) else " "

    return _LINE_BREAK.sub(joined, text)


def visible(text: str) -> str:
    """``text`` without the characters that show nothing (Unicode's format characters, Cf: the zero-width space
    U+200B, the byte order mark U+FEFF, direction marks) that text copied from a web page brings along. They are no
    part of any identifier: one ending a 索引号 made a second entry of a document already in the catalog."""
    return text if text.isascii() else "".join(c for c in text if not is_invisible(c))


def _wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F")


def cell_text(value) -> str:
    """A cell as text: numbers as typed (80, not 80.0), dates as YYYY-MM-DD."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


_ORDINAL = re.compile(r"^(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]?\d+[)）、.．])\s*")


def _choice(column: Column, field: Field, text: str) -> str:
    """A choice as the model spells it: as typed, half-width, or by its label without its ordinal
    （一）行政法规、规章和规范性文件 → 20-1. Anything else stays as typed, for the schema to report."""
    if text in field.choices:
        return text
    half = unicodedata.normalize("NFKC", text)
    for choice in field.choices:
        if unicodedata.normalize("NFKC", str(choice)) == half:
            return choice
    if _UNIT_WORDS.get(half.strip()) in field.choices:  # a unit column as a limit's own cell may say it: 天, 个工作日
        return _UNIT_WORDS[half.strip()]
    labels = column.labels
    return labels.get(text) or labels.get(_ORDINAL.sub("", text)) or text


# ------------------------------------------------------------ dates

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:\s*(?:T|\s)\s*(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_CN_DIGITS = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")

_EXPECTED_DATE = ("日期（例如 2017-07-14、2017年7月14日 或 2017.07.14）", "a date")


def read_date(value, epoch: dt.datetime) -> dt.date | dt.datetime | Unreadable:
    """A date; a datetime when the cell gives a time of day too (a 发布日期 of 2024-05-27 09:30), which the
    model keeps. Excel stores every date as a datetime: at midnight it is a date."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # 20250305 typed into a cell of the General format is a number: the date it says as text, not a serial.
        compact = _COMPACT_DATE.fullmatch(cell_text(value))
        found = _date(*map(int, compact.groups())) if compact else _serial(value, epoch)
        return found or Unreadable(cell_text(value), *_EXPECTED_DATE)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = None
    if match := _DATE.fullmatch(text):
        found = _date(*map(int, match.groups()[:3]))
        if found and match["hour"] is not None:
            found = _at(found, int(match["hour"]), int(match["minute"]), int(match["second"] or 0))
    elif match := _COMPACT_DATE.fullmatch(text):
        found = _date(*map(int, match.groups()))
    elif _SERIAL.fullmatch(text):
        found = _serial(float(text), epoch)
    elif match := _CN_DATE.fullmatch(re.sub(r"\s", "", str(value))):
        year = int("".join(str(_CN_DIGITS[c]) for c in match[1]))
        found = _date(year, _cn_number(match[2]), _cn_number(match[3]))
    return found or Unreadable(str(value).strip(), *_EXPECTED_DATE)


def _date(year: int, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month, day) if month and day else None
    except ValueError:
        return None


def _at(day: dt.date, hour: int, minute: int, second: int) -> dt.date | dt.datetime | None:
    if hour > 23 or minute > 59 or second > 59:
        return None
    time = dt.time(hour, minute, second)
    return day if time == dt.time() else dt.datetime.combine(day, time)


def _serial(number: float, epoch: dt.datetime) -> dt.date | dt.datetime | None:
    """An Excel serial day number: whole days after the workbook's epoch, and a fraction the time of day, to the
    second, as a date-time cell gives it (45722.5 is what a cell of 2025-03-06 12:00 shows once its format is reset
    to General; its 12:00 was dropped)."""
    if not math.isfinite(number) or not _SERIALS[0] <= number <= _SERIALS[1]:
        return None
    moment = epoch + dt.timedelta(seconds=round(number * 86_400))
    return moment.date() if moment.time() == dt.time() else moment


def _cn_number(text: str) -> int | None:
    """一 … 九十九 (months, days, working days)."""
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS) or len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


# ------------------------------------------------------------ numbers

_NUMBER_AND_UNIT = re.compile(r"(\d+|[一二三四五六七八九十]{1,3})\s*(\S*)")
# How a unit is written after a number → the unit as the model spells it (rules.md §7: 工作日, 日 = calendar days,
# 个月). A unit is never assumed: 20 stays 20, its unit absent.
_UNIT_WORDS = {"工作日": "工作日", "个工作日": "工作日", "日": "日", "天": "日", "自然日": "日", "个自然日": "日",
               "月": "个月", "个月": "个月"}


_HEADER_NOTE = re.compile(r"[(\[【]([^)\]】]*)[)\]】]")


def header_unit(header: str, unit: Field) -> str | None:
    """The unit a column's header gives its numbers in a note (法定时限（天）, 办理时限（单位：工作日）), as the model
    spells it, if it is one of ``unit``'s choices; None when the header gives none, or two that differ."""
    found = {_UNIT_WORDS.get(note.replace("单位", "").strip(" :："))
             for note in _HEADER_NOTE.findall(unicodedata.normalize("NFKC", header))}
    found.discard(None)
    return found.pop() if len(found) == 1 and next(iter(found)) in unit.choices else None


@dataclasses.dataclass(frozen=True)
class WithUnit:
    """A number with the unit the same cell gave it (20个工作日), for a column whose field has a unit field."""

    number: int
    unit: str


# What a list's 承诺时限 says of a 即办件: done on the spot, 0 days (a limit that may be 0).
_IMMEDIATE = frozenset({"即办", "即办件", "即时办结", "立即办结", "当场办结", "当场办理", "即来即办"})


def _read_int(column: Column, field: Field, value) -> int | WithUnit | Unreadable:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if text in _IMMEDIATE and field.minimum == 0:
        return 0
    match = _NUMBER_AND_UNIT.fullmatch(text)
    number = None
    if match:
        number = int(match[1]) if match[1].isdigit() else _cn_number(match[1])
    if number is not None and not match[2] and (match[1].isdigit() or column.unit is not None):
        return number
    if number is not None and column.unit is not None and _UNIT_WORDS.get(match[2]) in column.unit.choices:
        return WithUnit(number, _UNIT_WORDS[match[2]])
    if number is not None and column.unit is None and match[2] in ("工作日", "个工作日") \
            and "工作日" in field.title + field.description:
        return number
    if column.unit is not None:
        units = "、".join(column.unit.choices)
        return Unreadable(cell_text(value).strip(), f"数字，可带单位（{units}），例如 20 或 20{column.unit.choices[0]}",
                          "a number, with its unit if any")
    return Unreadable(cell_text(value).strip(), "整数", "a whole number")


def _read_number(value) -> float | int | Unreadable:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().replace(",", "")
    try:
        number = float(text)
    except ValueError:
        return Unreadable(cell_text(value).strip(), "数字", "a number")
    if not math.isfinite(number):
        return Unreadable(cell_text(value).strip(), "数字", "a number")
    return int(number) if number.is_integer() and re.fullmatch(r"-?\d+", text) else number


_TRUE, _FALSE = ("是", "true", "yes", "y", "1"), ("否", "false", "no", "n", "0")


def _read_bool(value) -> bool | Unreadable:
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", cell_text(value)).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    return Unreadable(cell_text(value).strip(), "是或否", "yes or no")


# ------------------------------------------------------------ records (附件, 变更记录, 收费子项)


def split_record(line: str) -> list[str]:
    """The fields of one record line: split at | (a | inside a field is written \\|)."""
    parts = re.split(r"(?<!\\)\|", line)
    return [part.replace("\\|", "|").strip() for part in parts]


def join_record(values: list[str]) -> str:
    """One record line, as ``split_record`` reads it: fields joined by " | ", trailing blank fields left out."""
    while values and not values[-1]:
        values = values[:-1]
    return " | ".join(value.replace("|", "\\|") for value in values)


def record_layout(schema: Schema) -> str:
    """How a list-of-records cell is written, for messages and the docs: 文件路径 | 附件名称."""
    return " | ".join(field.title for field in schema.fields)


def _read_records(schema: Schema, value, epoch: dt.datetime) -> list[dict] | Unreadable:
    expected = (f"{schema.title}（每行一条，各项依次为：{record_layout(schema)}）",
                f"one {schema.name} a line: {' | '.join(f.key for f in schema.fields)}")
    records = []
    for line in cell_text(value).splitlines():
        if not line.strip():
            continue
        parts = split_record(line)
        if len(parts) > len(schema.fields):
            return Unreadable(line.strip(), *expected)
        record = {}
        for field, part in zip(schema.fields, parts):
            if not part:
                continue
            if isinstance(field.kind, Schema):
                return Unreadable(line.strip(), *expected)  # no nesting within a line
            column = Column("", field.key, field.title, field=field)
            converted = _read_scalar(column, field, part, epoch)
            if isinstance(converted, Unreadable):
                return Unreadable(line.strip(), *expected)
            record[field.key] = converted
        records.append(record)
    return records
