"""A report's numbers as a data file (rules.md §4.5): written as YAML, JSON or CSV for download, and read back
from a file gongkai produced or one typed by hand (layout problems are reported, not raised)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import yaml

from .. import statute
from ..errors import Location, Problem, display_path
from ..model.dates import read_date, time_of
from ..model.source import LocatedDict, LocatedList, load_yaml_file, read_text
from .layout import (
    ACTIVE_COLUMNS,
    COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    ROW_BY_KEY,
)


@dataclasses.dataclass
class ReportData:
    """The numbers of one report, keyed as in the report data file; cells may be None (blank) when read."""

    organ: str
    organ_kind: str
    year: int
    active: dict[str, dict[str, float | int | None]]
    requests: dict[str, list[int | None]]
    review: dict[str, dict[str, int | None]]
    published: dt.date | None = None
    fee_collected: float | None = 0     # 信息处理费 actually collected, 元 (reported in 六); None: not in the file read
    items_published: int | None = 0     # items proactively published in the year (for 一); None: not in the file read
    corrected: tuple[dt.date, ...] = ()  # the days corrections of the published figures were made (`report record`)
    path: str = ""
    lines: dict[tuple, int] = dataclasses.field(default_factory=dict)

    def where(self, *key) -> Location:
        """Where ``key`` (a section, a row, a cell, or nothing for the file) was written, or the nearest thing
        around it that was: its row, its section, the file. A cell is named by its section, row and column as in
        the report data file (a column of ``requests`` by its label in COLUMNS), and has its own line where a CSV,
        JSON or block YAML list gives it: every check of a cell says where it is through this."""
        for depth in range(len(key), 0, -1):
            if key[:depth] in self.lines:
                return Location(self.path, self.lines[key[:depth]])
        return Location(self.path, self.lines.get((), 0))

    def as_document(self, recorded: bool = False) -> dict:
        """The report data file (rules.md §4.5) as plain data, in the format's order; ``recorded``: with the two
        numbers the report's text states beside its tables (一 and 六), as the figures it was published with are
        recorded (report/published.py)."""
        document = {"organ": self.organ, "organ_kind": self.organ_kind, "year": self.year}
        if self.published:
            # As stated, with its time of day when one was given: YAML and JSON know datetimes, not a date carrying one.
            time = time_of(self.published)
            document["published"] = (dt.datetime.combine(self.published, time) if time else
                                     dt.date(self.published.year, self.published.month, self.published.day))
        if self.corrected:
            document["corrected"] = [dt.date(d.year, d.month, d.day) for d in self.corrected]
        if recorded:
            document["items_published"] = self.items_published
            document["fee_collected"] = self.fee_collected
        document["active_disclosure"] = {row: dict(self.active[row]) for row in ACTIVE_COLUMNS}
        document["requests"] = {row.key: list(self.requests[row.key]) for row in REQUEST_ROWS}
        document["review_litigation"] = {row: dict(self.review[row]) for row in REVIEW_ROWS}
        return document


YAML_HEADER = ("# 政府信息公开工作年度报告数据（国办公开办函〔2021〕30号格式）\n"
               "# requests 每行：[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]\n")


def to_yaml(report: ReportData, header: str = YAML_HEADER, recorded: bool = False) -> str:

    class _Dumper(yaml.SafeDumper):
        pass

    def _flow_lists(dumper, data):
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    _Dumper.add_representer(list, _flow_lists)
    return header + yaml.dump(report.as_document(recorded), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              width=200)


def to_json(report: ReportData) -> str:
    return json.dumps(report.as_document(), ensure_ascii=False, indent=2, default=str, allow_nan=False) + "\n"


def to_csv(report: ReportData) -> str:
    """One line per cell: 部分, 行, 列, 数值 — what a spreadsheet or a journalist's script wants."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["部分", "行", "列", "数值"])
    for row, cells in report.active.items():
        for column, value in cells.items():
            writer.writerow(["二", row, column, value])
    for row in REQUEST_ROWS:
        for column, value in zip(COLUMNS, report.requests[row.key]):
            writer.writerow(["三", row.key, column, value])
    for row, cells in report.review.items():
        for column, value in cells.items():
            writer.writerow(["四", row, column, value])
    return out.getvalue()


# The formats a report's data is offered in, on its page and by `gongkai report build`.
FORMATS: dict[str, Callable[[ReportData], str]] = {"yaml": to_yaml, "json": to_json, "csv": to_csv}
# A CSV file starts with a byte-order mark: Excel on Chinese Windows reads one without it as GBK (garbled). Read back,
# the mark is skipped (``read_text``).
FILE_ENCODINGS = {"csv": "utf-8-sig"}


def report_file(kind: str, report: ReportData) -> bytes:
    """The report's data as a file of format ``kind``, for download or for `gongkai report build --out`."""
    return FORMATS[kind](report).encode(FILE_ENCODINGS.get(kind, "utf-8"))


def read_report_file(path: Path, read: tuple | None = None) -> tuple[ReportData | None, list[Problem]]:
    """A report data file as typed by hand or produced by gongkai (YAML, JSON, or CSV, which states neither organ
    nor year); layout problems are reported, not raised. ``read``: what reading the YAML file gave, when the
    catalog's loader has read it (``load_yaml_file``)."""
    written_as_csv = path.suffix.lower() == ".csv"
    shown, data, problems = _read_csv(path) if written_as_csv else read or load_yaml_file(path)
    problems = list(problems)  # ``read``'s are the loader's
    if data is None and problems:
        return None, problems
    top = Location(shown, getattr(data, "line", 1))
    if not isinstance(data, LocatedDict):
        found = "文件是空的" if data is None else "文件应为年报数据映射"
        return None, problems + [top.problem("E-REPORT-LAYOUT", detail=found, detail_en="not a mapping")]
    year = data.get("year")
    first, last = statute.REPORT_YEARS
    is_year = isinstance(year, int) and not isinstance(year, bool) and first <= year <= last
    report = ReportData(organ=str(data.get("organ", "")), organ_kind=str(data.get("organ_kind", "")),
                        year=year if is_year else 0,
                        active={}, requests={}, review={}, path=shown, lines={(): data.line})
    if not written_as_csv and not is_year:
        problems.append(top.at(data.line_of("year")).problem(
            "E-REPORT-LAYOUT", detail=f"“year”应为 {first} 至 {last} 年之间的报告年度，如 2025，实际为“{'' if year is None else year}”",
            detail_en=f"year must be the report's year, {first}..{last}"))
    kind = data.get("organ_kind")
    if kind is not None and kind not in [k.value for k in statute.OrganKind]:  # a list or mapping may be written
        problems.append(top.at(data.line_of("organ_kind")).problem(
            "E-REPORT-LAYOUT", detail=f"“organ_kind”应为 {'、'.join(k.value for k in statute.OrganKind)} 之一，实际为“{kind}”",
            detail_en="organ_kind must be government, department or township"))
    if data.get("published") is not None:
        report.lines[("published",)] = data.line_of("published")
        # a date, or a date with its time (as written out; JSON writes either as text)
        report.published, detail, detail_en = read_date(data["published"])
        if report.published is None:
            problems.append(top.at(data.line_of("published")).problem(
                "E-REPORT-LAYOUT", detail=f"“published”应为发布日期，如 2026-01-20，实际为“{data['published']}”{detail}",
                detail_en=f"published must be a date, e.g. 2026-01-20{detail_en}"))
    problems += _read_recorded(report, data, top)
    known = {"organ", "organ_kind", "year", "published", "corrected", "items_published", "fee_collected",
             "active_disclosure", "requests", "review_litigation"}
    for key in data:
        if key not in known:
            problems.append(top.at(data.line_of(key)).problem("E-UNKNOWN-KEY", key=key, suggestion=""))
    problems += _read_table(report, data, "active_disclosure", ACTIVE_COLUMNS, report.active)
    problems += _read_requests(report, data)
    problems += _read_table(report, data, "review_litigation", {r: REVIEW_COLUMNS for r in REVIEW_ROWS}, report.review)
    return report, problems


def _read_recorded(report: ReportData, data: LocatedDict, top: Location) -> list[Problem]:
    """What a file of recorded figures states beyond §4.5 (report/published.py): the days of its corrections and the
    numbers of 一 and 六; in any other file they are absent (None: unknown)."""
    problems = []
    corrected = data.get("corrected")
    if corrected is not None:
        report.lines[("corrected",)] = data.line_of("corrected")
        days = [read_date(day)[0] for day in corrected] if isinstance(corrected, list) else [None]
        if None in days:
            problems.append(top.at(data.line_of("corrected")).problem(
                "E-REPORT-LAYOUT", detail=f"“corrected”应为更正日期的列表，如 [2026-11-23]，实际为“{corrected}”",
                detail_en="corrected must be a list of dates"))
        else:
            report.corrected = tuple(days)
    for key, kind, example in (("items_published", int, "120"), ("fee_collected", (int, float), "1100.0")):
        value = data.get(key)
        report.lines[(key,)] = data.line_of(key) if key in data else data.line
        if value is None:
            setattr(report, key, None)
        elif isinstance(value, bool) or not isinstance(value, kind) or not math.isfinite(value) or value < 0:
            setattr(report, key, None)
            problems.append(top.at(data.line_of(key)).problem(
                "E-REPORT-LAYOUT", detail=f"“{key}”应为不小于 0 的数，如 {example}，实际为“{value}”",
                detail_en=f"{key} must be a number, at least 0"))
        else:
            setattr(report, key, value)
    return problems


# The CSV's 部分 column: the section of the report each line's cell is in (to_csv).
CSV_SECTIONS = {"二": "active_disclosure", "三": "requests", "四": "review_litigation"}


def _read_csv(path: Path) -> tuple[str, LocatedDict | None, list[Problem]]:
    """The CSV form (to_csv) as the data file's mapping would hold it, each cell with its line: read back through
    the same layout checks as YAML and JSON."""
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return shown, None, problems
    lines = list(csv.reader(io.StringIO(text, newline="")))
    if not lines or lines[0] != ["部分", "行", "列", "数值"]:
        return shown, None, [Location(shown, 1).problem(
            "E-REPORT-LAYOUT", detail="CSV 的第一行应为“部分,行,列,数值”", detail_en="the CSV's header is not 部分,行,列,数值")]
    document = _located(LocatedDict(), 1)
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cells):
            continue
        where = Location(shown, number)
        if len(cells) != 4 or cells[0] not in CSV_SECTIONS:
            problems.append(where.problem("E-REPORT-LAYOUT", detail="每行应为“部分,行,列,数值”，部分为二、三或四",
                                          detail_en="each line is section,row,column,value"))
            continue
        part, row, column, value = cells
        section = document.setdefault(CSV_SECTIONS[part], _located(LocatedDict(), number))
        document.key_lines.setdefault(CSV_SECTIONS[part], number)
        if part == "三":  # a row of seven cells, one per column, as YAML holds it
            if column not in COLUMNS:
                problems.append(where.problem("E-REPORT-LAYOUT", detail=f"多余的列“{column}”",
                                              detail_en=f"unknown column {column}"))
                continue
            cells_of_row = section.setdefault(row, _located(LocatedList(), number))
            cells_of_row.append((COLUMNS.index(column), number, _csv_number(value)))
        else:
            section.setdefault(row, _located(LocatedDict(), number))[column] = _csv_number(value)
            section[row].key_lines[column] = number
        section.key_lines.setdefault(row, number)
    for row, cells_of_row in document.get("requests", {}).items():
        ordered = _located(LocatedList(), cells_of_row.line)
        if sorted(index for index, _, _ in cells_of_row) == list(range(len(COLUMNS))):
            # each cell with its own line, in the columns' order, as a block list in YAML holds them
            for _, line, value in sorted(cells_of_row):
                ordered.append(value)
                ordered.item_lines.append(line)
        # else a column missing or given twice: the row is not the report's
        document["requests"][row] = ordered
    return shown, document, problems


def _located(container, line: int):
    container.line = line
    if isinstance(container, LocatedDict):
        container.key_lines = {}
    else:
        container.item_lines = []
    return container


def _csv_number(text: str) -> int | float | str | None:
    """A cell as YAML would hold it: blank is None, a number is one, anything else is kept for the check to name."""
    if not text.strip():
        return None
    for kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            continue
        return number if math.isfinite(number) else text
    return text


def _section(data: LocatedDict, key: str, report: ReportData) -> tuple[LocatedDict | None, list[Problem]]:
    where = Location(report.path, data.line_of(key))
    section = data.get(key)
    if not isinstance(section, LocatedDict):
        return None, [where.problem("E-REPORT-LAYOUT", detail=f"缺少“{key}”部分", detail_en=f"missing section {key}")]
    report.lines[(key,)] = section.line
    return section, []


def _read_table(report: ReportData, data: LocatedDict, key: str, layout: dict, target: dict) -> list[Problem]:
    section, problems = _section(data, key, report)
    if section is None:
        return problems
    for row, columns in layout.items():
        cells = section.get(row)
        line = section.line_of(row)
        if not isinstance(cells, LocatedDict):
            problems.append(Location(report.path, line).problem(
                "E-REPORT-LAYOUT", detail=f"缺少“{row}”行", detail_en=f"missing row {row}"))
            continue
        report.lines[(key, row)] = cells.line
        target[row] = {}
        for column in columns:
            if column not in cells:
                problems.append(Location(report.path, cells.line).problem(
                    "E-REPORT-LAYOUT", detail=f"“{row}”行缺少“{column}”列", detail_en=f"row {row} lacks {column}"))
                continue
            report.lines[(key, row, column)] = cells.line_of(column)
            target[row][column] = cells[column]
    for row in section:
        if row not in layout:
            problems.append(Location(report.path, section.line_of(row)).problem(
                "E-REPORT-LAYOUT", detail=f"多余的行“{row}”", detail_en=f"unknown row {row}"))
    return problems


def _read_requests(report: ReportData, data: LocatedDict) -> list[Problem]:
    section, problems = _section(data, "requests", report)
    if section is None:
        return problems
    # The 2019 trial format had one （六） row; the 2021 format splits it in three. Said once; the rest of the file
    # is still read and checked.
    layout_2019 = "（六）其他处理" in section and not any(k.startswith("（六）其他处理/") for k in section)
    if layout_2019:
        problems.append(Location(report.path, section.line_of("（六）其他处理")).problem("E-REPORT-LAYOUT-2019"))
    for row in REQUEST_ROWS:
        cells = section.get(row.key)
        line = section.line_of(row.key)
        if layout_2019 and row.key.startswith("（六）其他处理/"):
            continue
        if not isinstance(cells, LocatedList) or len(cells) != len(COLUMNS):
            detail = f"缺少“{row.key}”行" if cells is None else f"“{row.key}”行应有 7 个数（六类申请人和总计）"
            problems.append(Location(report.path, line).problem("E-REPORT-LAYOUT", detail=detail,
                                                                detail_en=f"row {row.key} needs 7 cells"))
            continue
        report.lines[("requests", row.key)] = line
        for column, cell_line in zip(COLUMNS, cells.item_lines):
            report.lines[("requests", row.key, column)] = cell_line
        report.requests[row.key] = list(cells)
    for key in section:
        if key not in ROW_BY_KEY and not (layout_2019 and key == "（六）其他处理"):
            problems.append(Location(report.path, section.line_of(key)).problem(
                "E-REPORT-LAYOUT", detail=f"多余的行“{key}”", detail_en=f"unknown row {key}"))
    return problems
