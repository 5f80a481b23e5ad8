"""Checking a report's numbers (rules.md §4.4): blank and negative cells, totals, the request table's identity,
and agreement with last year's report. Every message names the row and column by the format's labels."""

from __future__ import annotations

import datetime as dt
import math

from .. import statute
from ..errors import Problem
from ..model.dates import as_stated, comes_before
from ..rules.deadlines import annual_report_due
from .datafile import ReportData
from .layout import (
    AMOUNT_CELL,
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    NEW_ROW,
    REQUEST_ROWS,
    RESULT_ROWS,
    REVIEW_PARTS,
    TOTAL_ROW,
)


def check_report(report: ReportData, previous: ReportData | None = None) -> list[Problem]:
    """Every problem found in one run: a cell that is blank, not a number or negative is reported, and each sum
    that needs it is left out (it would only repeat the same mistake); every other sum is checked, whatever the
    layout problems elsewhere in the file."""
    problems = list(_check_cells(report))
    problems += _check_request_table(report)
    problems += _check_review(report)
    problems += _check_published(report)
    if previous is not None and report.year and previous.year and previous.year != report.year - 1:
        problems.append(report.where().problem("E-REPORT-PREVIOUS-YEAR", year=report.year, found=previous.year,
                                               expected=report.year - 1, path=previous.path))
    elif previous is not None:
        problems += _check_against_previous(report, previous)
    return problems


def _check_published(report: ReportData):
    """条例 art. 49: published after the year it reports on (its preamble says 1 January to 31 December: a date before
    is a typo of the year, as validate says of a statistics file), by 31 January (a department) or 31 March (a
    government). A township's date is set locally, in a catalog's settings, which a report file does not carry."""
    if report.published and report.year and comes_before(report.published, year_end := dt.date(report.year, 12, 31)):
        yield report.where("published").problem(
            "E-DATE-ORDER", later_label="发布日期", later=as_stated(report.published), earlier_label="报告期末日",
            earlier=as_stated(year_end), later_en="publication date", earlier_en="end of the year reported on")
    kinds = {kind.value: kind for kind in statute.OrganKind}
    kind = kinds.get(report.organ_kind)
    if report.published and report.year and kind and kind is not statute.OrganKind.TOWNSHIP:
        due = annual_report_due(kind, report.year, None)
        if report.published > due:
            yield report.where("published").problem("W-REPORT-LATE", year=report.year, published=report.published,
                                                    due=due)


def _usable(*values) -> bool:
    """Whether every value is a count a sum can be made of (_check_cells reports the others)."""
    if set(map(type, values)) <= {int}:  # nearly always, and asked ~40 times a report (bool is a type of its own)
        return not values or min(values) >= 0
    return all(not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v) and v >= 0
               for v in values)


def _cells(report: ReportData):
    """Every cell: (its key, as ``ReportData.where`` and ``cell_position`` take it, its value, whether it is the amount
    rather than a count). Located and named only when a problem is found: a build checks every recorded report's
    ~200 cells (400 reports: 0.8 s when each was)."""
    for row, cells in report.active.items():
        for column, value in cells.items():
            yield ("active_disclosure", row, column), value, (row, column) == AMOUNT_CELL
    for key, cells in report.requests.items():
        for column, value in zip(COLUMNS, cells):
            yield ("requests", key, column), value, False
    for row, cells in report.review.items():
        for column, value in cells.items():
            yield ("review_litigation", row, column), value, False


def cell_position(key: tuple[str, str, str]) -> str:
    """A cell of the report's tables as messages name it: by the format's labels, a row of 三 as the data file writes
    it (a numbered row with its group: “（三）不予公开/1.属于国家秘密”, not one of several “1.”)."""
    section, row, column = key
    if section == "active_disclosure":
        return f"第二部分“{row}”行“{column}”列"
    if section == "requests":
        return f"第三部分“{row}”行“{column}”列"
    return f"第四部分“{row}”“{column}”"


def _check_cells(report: ReportData):
    for key, value, amount in _cells(report):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            continue  # nearly every cell
        where, position = report.where(*key), cell_position(key)
        if value is None:
            yield where.problem("E-REPORT-BLANK", position=position)
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            # NaN and infinity are floats YAML reads (.nan, .inf) but no count; JSON cannot even hold them. A list or a
            # mapping typed in a cell is named as text: a problem is hashed with its values (validation gathers a
            # recorded report's problems in a set), and a {} is not.
            yield where.problem("E-REPORT-NUMBER", position=position,
                                found=value if isinstance(value, str | int | float) else str(value))
        elif value < 0:
            yield where.problem("E-REPORT-NEGATIVE", position=position, found=value)
        elif not amount and value != int(value):
            yield where.problem("E-REPORT-COUNT", position=position, found=value)


def _check_request_table(report: ReportData):
    table = report.requests
    for row in REQUEST_ROWS:
        cells = table.get(row.key)
        if cells and _usable(*cells) and sum(cells[:-1]) != cells[-1]:
            yield report.where("requests", row.key, COLUMNS[-1]).problem(
                "E-REPORT-ROW-TOTAL", row=row.label, expected=sum(cells[:-1]), found=cells[-1])
    for index, column in enumerate(COLUMNS):
        results = [table[row.key][index] for row in RESULT_ROWS if row.key in table]
        total = table[TOTAL_ROW.key][index] if TOTAL_ROW.key in table else None
        if len(results) == len(RESULT_ROWS) and _usable(*results, total) and sum(results) != total:
            yield report.where("requests", TOTAL_ROW.key, column).problem(
                "E-REPORT-RESULT-TOTAL", column=column, expected=sum(results), found=total)
        identity = [table[row.key][index] if row.key in table else None
                    for row in (NEW_ROW, CARRIED_IN_ROW, TOTAL_ROW, CARRIED_OUT_ROW)]
        if _usable(*identity):
            new, carried, total, carried_out = identity
            if new + carried != total + carried_out:
                yield report.where("requests", CARRIED_OUT_ROW.key, column).problem(
                    "E-REPORT-IDENTITY", column=column, new=new, carried=carried, total=total, next=carried_out,
                    left=new + carried, right=total + carried_out)


def _check_review(report: ReportData):
    for row, cells in report.review.items():
        parts = [cells.get(c) for c in REVIEW_PARTS]
        if _usable(*parts, cells.get("总计")) and sum(parts) != cells["总计"]:
            yield report.where("review_litigation", row, "总计").problem(
                "E-REPORT-REVIEW-TOTAL", row=row, expected=sum(parts), found=cells["总计"])


def _check_against_previous(report: ReportData, previous: ReportData):
    carried_in = report.requests.get(CARRIED_IN_ROW.key)
    carried_out = previous.requests.get(CARRIED_OUT_ROW.key)
    if carried_in and carried_out and _usable(*carried_out):
        for column, this, last in zip(COLUMNS, carried_in, carried_out):
            if this != last:
                yield report.where("requests", CARRIED_IN_ROW.key, column).problem(
                    "W-REPORT-CARRYOVER", column=column, found=this, expected=last, previous_year=previous.year)
    for row in statute.NORMATIVE_DOC_TYPES:
        before = previous.active.get(row, {}).get("现行有效件数")
        cells = report.active.get(row, {})
        if _usable(before, cells.get("本年制发件数"), cells.get("本年废止件数"), cells.get("现行有效件数")):
            expected = before + cells["本年制发件数"] - cells["本年废止件数"]
            if expected != cells["现行有效件数"]:
                yield report.where("active_disclosure", row, "现行有效件数").problem(
                    "W-REPORT-IN-FORCE", row=row, found=cells["现行有效件数"], previous=before,
                    issued=cells["本年制发件数"], repealed=cells["本年废止件数"], expected=expected)
