"""The annual report (政府信息公开工作年度报告) in the national format of 国办公开办函〔2021〕30号.

Three things live here: the format's layout (labels printed verbatim, rules.md §4), computing a report's
numbers from the catalog, and checking a report data file (rules.md §4.4, §4.5) — one gongkai produced or
one typed by hand — with every message naming the row and column by their Chinese labels.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import yaml

from . import rules
from .calendar import WorkCalendar
from .catalog import Catalog, Organ, ReportSource, Request
from .deadlines import ClockState, request_deadlines, request_state
from .errors import Location, Problem
from .source import LocatedDict, LocatedList, load_yaml_file
from .validity import Validity, validity_on

# ------------------------------------------------------------ the layout (年报格式, rules.md §4)

SECTIONS = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项")

COLUMNS = (*rules.APPLICANT_TYPES, "总计")
TOP_LEFT_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


@dataclasses.dataclass(frozen=True)
class Row:
    key: str            # as in the report data file (rules.md §4.5)
    label: str          # as printed (rules.md §4.2)
    group: str = ""     # （三）…（六）: the group a numbered sub-row belongs to


def _sub_rows(group: str, labels: tuple[str, ...]) -> tuple[Row, ...]:
    return tuple(Row(f"{group}/{label}", label, group) for label in labels)


NEW_ROW = Row("一、本年新收政府信息公开申请数量", "一、本年新收政府信息公开申请数量")
CARRIED_IN_ROW = Row("二、上年结转政府信息公开申请数量", "二、上年结转政府信息公开申请数量")
TOTAL_ROW = Row("（七）总计", "（七）总计")
CARRIED_OUT_ROW = Row("四、结转下年度继续办理", "四、结转下年度继续办理")
RESULT_ROWS = (
    Row("（一）予以公开", "（一）予以公开"),
    Row("（二）部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    *_sub_rows("（三）不予公开", ("1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                              "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
                              "7.属于行政执法案卷", "8.属于行政查询事项")),
    *_sub_rows("（四）无法提供", ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")),
    *_sub_rows("（五）不予处理", ("1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                              "5.要求行政机关确认或重新出具已获取信息")),
    *_sub_rows("（六）其他处理", ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                              "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他")),
)
# The 22 rows under 三、本年度办理结果.
SECTION3_ROWS = (*RESULT_ROWS, TOTAL_ROW)
REQUEST_ROWS = (NEW_ROW, CARRIED_IN_ROW, *SECTION3_ROWS, CARRIED_OUT_ROW)
ROW_BY_KEY = {row.key: row for row in REQUEST_ROWS}

# Section 二: four blocks, each with its caption (the article of 条例 art. 20), columns and rows.
ACTIVE_BLOCKS = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)
ACTIVE_COLUMNS = {row: columns for _, columns, rows in ACTIVE_BLOCKS for row in rows}

# Section 四: 15 cells.
REVIEW_ROWS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
REVIEW_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
REVIEW_PARTS = REVIEW_COLUMNS[:4]


# ------------------------------------------------------------ report data


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
    fee_collected: float = 0        # 信息处理费 actually collected, 元 (reported in 六)
    items_published: int = 0        # items proactively published in the year (for 一)
    path: str = ""
    lines: dict[tuple, int] = dataclasses.field(default_factory=dict)

    def where(self, *key) -> Location:
        for depth in range(len(key), 0, -1):
            if key[:depth] in self.lines:
                return Location(self.path, self.lines[key[:depth]])
        return Location(self.path, self.lines.get((), 0))

    def as_document(self) -> dict:
        """The report data file (rules.md §4.5) as plain data, in the format's order."""
        document = {"organ": self.organ, "organ_kind": self.organ_kind, "year": self.year}
        if self.published:
            document["published"] = self.published
        document["active_disclosure"] = {row: dict(self.active[row]) for row in ACTIVE_COLUMNS}
        document["requests"] = {row.key: list(self.requests[row.key]) for row in REQUEST_ROWS}
        document["review_litigation"] = {row: dict(self.review[row]) for row in REVIEW_ROWS}
        return document


def to_yaml(report: ReportData) -> str:
    header = ("# 政府信息公开工作年度报告数据（国办公开办函〔2021〕30号格式）\n"
              "# requests 每行：[自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计]\n")

    class _Dumper(yaml.SafeDumper):
        pass

    def _flow_lists(dumper, data):
        return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)

    _Dumper.add_representer(list, _flow_lists)
    return header + yaml.dump(report.as_document(), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)


def to_json(report: ReportData) -> str:
    return json.dumps(report.as_document(), ensure_ascii=False, indent=2, default=str) + "\n"


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


# ------------------------------------------------------------ computing from the catalog


def _open_on(request: Request, day: dt.date) -> bool:
    """Received by ``day`` and not yet answered at its end."""
    return request.received <= day and (request.replied is None or request.replied > day)


def compute_report(catalog: Catalog, organ: Organ, year: int, source: ReportSource | None) -> ReportData:
    """The report on ``year`` for ``organ``: 二 from items (and the statistics file), 三 from the request log."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = [r for r in catalog.requests if r.organ == organ.id]
    columns = {name: index for index, name in enumerate(rules.APPLICANT_TYPES)}
    table = {row.key: [0] * len(COLUMNS) for row in REQUEST_ROWS}

    def count(row: Row, request: Request) -> None:
        cells = table[row.key]
        cells[columns[request.applicant_type]] += 1
        cells[-1] += 1

    for request in requests:
        if first <= request.received <= last:
            count(NEW_ROW, request)
        elif _open_on(request, first - dt.timedelta(days=1)):
            count(CARRIED_IN_ROW, request)  # open on 31 December last year
        else:
            continue
        if request.replied and request.replied <= last:
            count(ROW_BY_KEY[rules.OUTCOME_ROWS[request.outcome]], request)
            count(TOTAL_ROW, request)
        else:
            count(CARRIED_OUT_ROW, request)  # still open on 31 December

    return ReportData(
        organ=organ.name, organ_kind=organ.kind.value, year=year,
        active=_active_disclosure(catalog, organ, year, source),
        requests=table,
        review=_review(source),
        published=source.published if source else None,
        fee_collected=sum(r.fee.amount for r in requests if r.fee and r.fee.paid and r.fee.paid.year == year),
        items_published=sum(1 for i in catalog.items_of(organ.id)
                            if i.published and i.published.year == year and not i.annual_report),
    )


def _active_disclosure(catalog: Catalog, organ: Organ, year: int, source: ReportSource | None) -> dict:
    """Issued = published in the year; repealed = repealed in the year; in force = valid on 31 December."""
    last = dt.date(year, 12, 31)
    active = {}
    for doc_type in ("规章", "行政规范性文件"):
        documents = [i for i in catalog.items_of(organ.id) if i.doc_type == doc_type and i.published]
        active[doc_type] = {
            "本年制发件数": sum(1 for i in documents if i.published.year == year),
            "本年废止件数": sum(1 for i in documents if i.repealed and i.repealed.date.year == year),
            "现行有效件数": sum(1 for i in documents if i.published <= last
                          and validity_on(i, last, catalog.settings).validity is Validity.VALID),
        }
    stats = source or ReportSource.empty()
    active["行政许可"] = {"本年处理决定数量": stats.licences}
    active["行政处罚"] = {"本年处理决定数量": stats.penalties}
    active["行政强制"] = {"本年处理决定数量": stats.enforcement}
    active["行政事业性收费"] = {"本年收费金额（单位：万元）": stats.fee_income}
    return active


def _review(source: ReportSource | None) -> dict:
    stats = source or ReportSource.empty()
    review = {}
    for row, parts in zip(REVIEW_ROWS, (stats.review, stats.litigation_direct, stats.litigation_after_review)):
        cells = dict(zip(REVIEW_PARTS, parts))
        cells["总计"] = None if None in parts else sum(parts)
        review[row] = cells
    return review


@dataclasses.dataclass(frozen=True)
class RequestStats:
    """What the report page's charts show: applications by month, results by group, replies on time."""

    by_month: tuple[int, ...]
    by_group: tuple[tuple[str, int], ...]
    answered: int
    on_time: int


def request_stats(catalog: Catalog, calendar: WorkCalendar, organ: Organ, year: int) -> RequestStats:
    requests = [r for r in catalog.requests if r.organ == organ.id]
    months = Counter(r.received.month for r in requests if r.received.year == year)
    groups = Counter()
    answered = on_time = 0
    for request in requests:
        if request.replied and request.replied.year == year:
            row = ROW_BY_KEY[rules.OUTCOME_ROWS[request.outcome]]
            groups[row.group or row.key] += 1
            answered += 1
            deadlines = request_deadlines(calendar, request, catalog.settings)
            on_time += request_state(calendar, request, deadlines, request.replied, 0) is ClockState.CLOSED
    order = list(dict.fromkeys(row.group or row.key for row in RESULT_ROWS))
    return RequestStats(tuple(months.get(m, 0) for m in range(1, 13)),
                        tuple((g, groups.get(g, 0)) for g in order), answered, on_time)


def overview_sentence(report: ReportData) -> str:
    """The numbers gongkai writes into section 一 itself."""
    cells = {row.key: report.requests[row.key][-1] for row in REQUEST_ROWS}
    documents = report.active["规章"]["本年制发件数"] + report.active["行政规范性文件"]["本年制发件数"]
    return (f"{report.year} 年，本机关主动公开政府信息 {report.items_published} 条，其中制发规章和行政规范性文件 "
            f"{documents} 件。全年新收政府信息公开申请 {cells[NEW_ROW.key]} 件，上年结转 {cells[CARRIED_IN_ROW.key]} 件，"
            f"办结 {cells[TOTAL_ROW.key]} 件，结转下年度继续办理 {cells[CARRIED_OUT_ROW.key]} 件。")


# ------------------------------------------------------------ reading a report data file


def read_report_file(path: Path) -> tuple[ReportData | None, list[Problem]]:
    """A report data file as typed by hand or produced by gongkai; layout problems are reported, not raised."""
    shown, data, problems = load_yaml_file(path)
    if data is None:
        return None, problems
    top = Location(shown, getattr(data, "line", 1))
    if not isinstance(data, LocatedDict):
        return None, problems + [top.problem("E-REPORT-LAYOUT", detail="文件应为年报数据映射", detail_en="not a mapping")]
    report = ReportData(organ=str(data.get("organ", "")), organ_kind=str(data.get("organ_kind", "")),
                        year=data.get("year") if isinstance(data.get("year"), int) else 0,
                        active={}, requests={}, review={}, path=shown, lines={(): data.line})
    if isinstance(data.get("published"), dt.date):
        report.published = data["published"]
    known = {"organ", "organ_kind", "year", "published", "active_disclosure", "requests", "review_litigation"}
    for key in data:
        if key not in known:
            problems.append(top.at(data.line_of(key)).problem("E-UNKNOWN-KEY", key=key, suggestion=""))
    problems += _read_table(report, data, "active_disclosure", ACTIVE_COLUMNS, report.active)
    problems += _read_requests(report, data)
    problems += _read_table(report, data, "review_litigation", {r: REVIEW_COLUMNS for r in REVIEW_ROWS}, report.review)
    return report, problems


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
    if "（六）其他处理" in section and not any(k.startswith("（六）其他处理/") for k in section):
        # The 2019 trial format had one （六） row; the 2021 format splits it in three.
        return [Location(report.path, section.line_of("（六）其他处理")).problem("E-REPORT-LAYOUT-2019")]
    for row in REQUEST_ROWS:
        cells = section.get(row.key)
        line = section.line_of(row.key)
        if not isinstance(cells, LocatedList) or len(cells) != len(COLUMNS):
            detail = f"缺少“{row.key}”行" if cells is None else f"“{row.key}”行应有 7 个数（六类申请人和总计）"
            problems.append(Location(report.path, line).problem("E-REPORT-LAYOUT", detail=detail,
                                                                detail_en=f"row {row.key} needs 7 cells"))
            continue
        report.lines[("requests", row.key)] = line
        report.requests[row.key] = list(cells)
    for key in section:
        if key not in ROW_BY_KEY:
            problems.append(Location(report.path, section.line_of(key)).problem(
                "E-REPORT-LAYOUT", detail=f"多余的行“{key}”", detail_en=f"unknown row {key}"))
    return problems


# ------------------------------------------------------------ checking (rules.md §4.4)


def check_report(report: ReportData, previous: ReportData | None = None) -> list[Problem]:
    problems = list(_check_cells(report))
    if problems:
        return problems  # sums over blank or negative cells would only repeat the same mistake
    problems += _check_request_table(report)
    problems += _check_review(report)
    if previous is not None:
        problems += _check_against_previous(report, previous)
    return problems


def _cells(report: ReportData):
    """Every cell: (where, 中文 position, value)."""
    for row, cells in report.active.items():
        for column, value in cells.items():
            yield report.where("active_disclosure", row, column), f"第二部分“{row}”行“{column}”列", value
    for key, cells in report.requests.items():
        for column, value in zip(COLUMNS, cells):
            yield report.where("requests", key), f"第三部分“{ROW_BY_KEY[key].label}”行“{column}”列", value
    for row, cells in report.review.items():
        for column, value in cells.items():
            yield report.where("review_litigation", row, column), f"第四部分“{row}”“{column}”", value


def _check_cells(report: ReportData):
    for where, position, value in _cells(report):
        if value is None:
            yield where.problem("E-REPORT-BLANK", position=position)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            yield where.problem("E-REPORT-NUMBER", position=position, found=value)
        elif value < 0:
            yield where.problem("E-REPORT-NEGATIVE", position=position, found=value)


def _check_request_table(report: ReportData):
    table = report.requests
    for row in REQUEST_ROWS:
        cells = table[row.key]
        if sum(cells[:-1]) != cells[-1]:
            yield report.where("requests", row.key).problem(
                "E-REPORT-ROW-TOTAL", row=row.label, expected=sum(cells[:-1]), found=cells[-1])
    for index, column in enumerate(COLUMNS):
        results = sum(table[row.key][index] for row in RESULT_ROWS)
        if results != table[TOTAL_ROW.key][index]:
            yield report.where("requests", TOTAL_ROW.key).problem(
                "E-REPORT-RESULT-TOTAL", column=column, expected=results, found=table[TOTAL_ROW.key][index])
        left = table[NEW_ROW.key][index] + table[CARRIED_IN_ROW.key][index]
        right = table[TOTAL_ROW.key][index] + table[CARRIED_OUT_ROW.key][index]
        if left != right:
            yield report.where("requests", CARRIED_OUT_ROW.key).problem(
                "E-REPORT-IDENTITY", column=column, new=table[NEW_ROW.key][index],
                carried=table[CARRIED_IN_ROW.key][index], total=table[TOTAL_ROW.key][index],
                next=table[CARRIED_OUT_ROW.key][index], left=left, right=right)


def _check_review(report: ReportData):
    for row, cells in report.review.items():
        parts = sum(cells[c] for c in REVIEW_PARTS)
        if parts != cells["总计"]:
            yield report.where("review_litigation", row, "总计").problem(
                "E-REPORT-REVIEW-TOTAL", row=row, expected=parts, found=cells["总计"])


def _check_against_previous(report: ReportData, previous: ReportData):
    carried_in = report.requests[CARRIED_IN_ROW.key]
    carried_out = previous.requests.get(CARRIED_OUT_ROW.key)
    if carried_out and all(isinstance(v, int) for v in carried_out):
        for column, this, last in zip(COLUMNS, carried_in, carried_out):
            if this != last:
                yield report.where("requests", CARRIED_IN_ROW.key).problem(
                    "W-REPORT-CARRYOVER", column=column, found=this, expected=last, previous_year=previous.year)
    for row in ("规章", "行政规范性文件"):
        before = previous.active.get(row, {}).get("现行有效件数")
        cells = report.active[row]
        if isinstance(before, int):
            expected = before + cells["本年制发件数"] - cells["本年废止件数"]
            if expected != cells["现行有效件数"]:
                yield report.where("active_disclosure", row, "现行有效件数").problem(
                    "W-REPORT-IN-FORCE", row=row, found=cells["现行有效件数"], previous=before,
                    issued=cells["本年制发件数"], repealed=cells["本年废止件数"], expected=expected)

