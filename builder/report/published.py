"""A published report's figures as they were published: recorded in the catalog beside its statistics file, shown
on the site, taken by `report check` for the report, and compared with what the catalog computes now.

A report's figures are derived from the catalog (二 from the items, 三 from the request log), which staff keep
correcting; a statutory document must not change after publication without a word. So `gongkai report record`
writes them into reports/<year>/<organ>.published.yaml (a report data file of rules.md §4.5, with the numbers of 一
and 六), which staff commit with the catalog; once the report is published the site shows them, whatever the catalog
computes later. Every validation compares them with it: a difference is a warning (W-REPORT-CHANGED), ended by a
correction (`report record --correct`, its day recorded and shown) or by a fix of the catalog. A published report
not yet recorded shows what is computed, with W-REPORT-UNRECORDED until it is. The build only reads the catalog."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from ..check.validate import outcome_problems
from ..errors import Location, Problem, display_path
from ..model.catalog import (
    REPORT_SOURCE,
    Catalog,
    RecordedFile,
    ReportSource,
    recorded_path,
)
from ..model.dates import published_by
from ..model.load import load_catalog
from ..model.source import LocatedDict, load_yaml_file
from .check import cell_position, check_report
from .compute import compute_report
from .datafile import YAML_HEADER, ReportData, read_report_file, to_yaml
from .layout import COLUMNS, REQUEST_ROWS

# How many of the cells that differ a warning names (the count says how many there are).
NAMED_CELLS = 8
# The numbers of 一 and 六 a record states beside the tables (the page shows them), as messages name them.
TEXT_NUMBERS = {"items_published": "一、总体情况中的主动公开信息条数", "fee_collected": "六、信息处理费金额（元）"}


@dataclasses.dataclass(frozen=True)
class Difference:
    """One number of a report, as recorded and as computed now."""

    key: tuple  # as ReportData.where takes it
    position: str  # 中文, by the format's labels
    recorded: object
    computed: object


def read_recorded(file: RecordedFile) -> tuple[ReportData | None, list[Problem]]:
    """The figures of ``file``, with the problems of reading them: a report data file's, and the numbers of 一 and 六
    it must state (the site shows them; an absent one would be shown as a default). No figures when any problem is
    an error: nothing is shown, compared or taken as published from a record that cannot be."""
    report, problems = read_report_file(file.path, file.read)
    if report is None:
        return None, problems
    # What the site shows as published must be whole and add up: a cell left blank or mistyped in a hand edit would
    # be published as None or as typed, where a data file of staff's own only warns (rules.md §4.4).
    problems += [p for p in check_report(report) if p.is_error]
    data, top = file.read[1], report.where()
    for key, label in TEXT_NUMBERS.items():
        if data.get(key) is None:  # absent or blank (a value that is not a number: read_report_file says so)
            problems.append(top.at(data.line_of(key) if key in data else top.line).problem(
                "E-REPORT-BLANK", position=f"{label}（{key}）"))
    if report.year and report.year != file.year:
        problems.append(top.at(data.line_of("year")).problem(
            "E-REPORT-LAYOUT", detail=f"“year”为 {report.year}，但文件在 reports/{file.year}/ 中",
            detail_en=f"year {report.year} in the folder of {file.year}"))
    return None if any(p.is_error for p in problems) else report, problems


def shown_report(catalog: Catalog, source: ReportSource, today: dt.date) -> tuple[ReportData, bool]:
    """The report the site shows on ``today``: its recorded figures once it is published and they are recorded (and
    readable: validation stops the build otherwise), else what the catalog computes; and whether the catalog
    computes the same now. Its publication date is the statistics file's, as its item's is (a date is a fact stated
    there, not a figure recorded)."""
    computed = compute_report(catalog, catalog.organs[source.organ], source.year, source)
    file = catalog.recorded_file(source.organ, source.year) if published_by(source.published, today) else None
    recorded = read_recorded(file)[0] if file else None
    if recorded is None:
        return computed, True
    return dataclasses.replace(recorded, published=source.published), not differences(recorded, computed)


def read_report(path: Path) -> tuple[ReportData | None, list[Problem]]:
    """A report's numbers from ``path``, which staff may give in either of its forms: a report data file (read as
    written, rules.md §4.5), or the catalog's statistics file reports/<year>/<organ>.yaml, which stands for the report
    as readers have it: its figures as recorded when it was published (a correction of the catalog since must not
    hide from `--previous` what readers compare), else computed with the rest of its catalog, as `gongkai report
    build` computes it."""
    shown, data, problems = load_yaml_file(path)
    sections = ("active_disclosure", "requests", "review_litigation")
    if not isinstance(data, LocatedDict) or any(key in data for key in sections) \
            or not any(field.key in data for field in REPORT_SOURCE.fields):
        return read_report_file(path)
    folder = path.absolute().parent  # not resolve(): problems name the file as the catalog's loader does
    root = folder.parent.parent
    catalog = None
    if folder.parent.name == "reports" and folder.name.isdigit() and (root / "organs" / f"{path.stem}.yaml").is_file():
        catalog, catalog_problems = load_catalog(root)
        # The report is made of this file and the request log: the rest of the catalog is not in question. A request
        # the log cannot give (its applicant type misspelt) would be missing from the tables without a word.
        log = f"{display_path(root / 'requests')}{os.sep}"
        problems = [p for p in catalog_problems if p.path == shown or p.path.startswith(log)]
        if catalog is not None:
            problems += outcome_problems(catalog.requests_of(path.stem))
    if catalog is None or path.stem not in catalog.organs:
        return None, problems + [Location(shown, data.line).problem(
            "E-REPORT-LAYOUT", detail="这是年度报告的统计数文件，不是年报数据文件；它不在目录的 reports/<年份>/ 文件夹中"
            "（或其机关有错误），无法从目录计算该年度的报告。请给出目录中的这个文件，或先用 gongkai report build 生成年报数据文件",
            detail_en="a statistics file outside a catalog's reports/<year>/ folder")]
    if any(p.is_error for p in problems):
        return None, problems
    year = int(folder.name)
    source = next((r for r in catalog.reports if r.organ == path.stem and r.year == year), None)
    if file := catalog.recorded_file(path.stem, year):
        recorded, recorded_problems = read_recorded(file)
        problems += recorded_problems
        if recorded is not None:
            return recorded, problems
    return compute_report(catalog, catalog.organs[path.stem], year, source), problems


def recorded_problems(catalog: Catalog, today: dt.date) -> list[Problem]:
    """Every file of recorded figures read, and every report published by ``today`` compared with its record: a
    report not recorded is W-REPORT-UNRECORDED at its publication date, a record the catalog now disagrees with
    W-REPORT-CHANGED at its first cell that differs. Warnings: neither must stop the site being published."""
    return list(_recorded_problems(catalog, today))


def _recorded_problems(catalog: Catalog, today: dt.date) -> Iterator[Problem]:
    sources = {(r.organ, r.year): r for r in catalog.reports}
    records = {}
    for file in catalog.recorded:
        report, problems = read_recorded(file)
        yield from problems
        if file.organ in catalog.unreadable_organs:
            continue  # its statistics are not read until the organ's file is mended, which its own problems ask for
        if (file.organ, file.year) not in sources:  # an organ renamed, a statistics file deleted: the history stays
            organ_note = "" if file.organ in catalog.organs else f"（机关 {file.organ} 也不在 organs/ 中）"
            yield Location(display_path(file.path), 0).problem(
                "W-REPORT-RECORD-ALONE", year=file.year, organ_note=organ_note,
                statistics=display_path(file.path.parent / f"{file.organ}.yaml"))
        elif report is not None:
            records[file.organ, file.year] = report
    for source in catalog.unrecorded_reports(today):
        yield source.record.at("published").problem(
            "W-REPORT-UNRECORDED", year=source.year, published=source.published, organ=source.organ,
            path=display_path(recorded_path(catalog.root, source.organ, source.year)))
    for key, source in sorted(sources.items()):
        recorded = records.get(key)
        # A report not yet published follows the catalog; a record that cannot be read says so itself.
        if recorded is None or not published_by(source.published, today) or source.organ not in catalog.organs:
            continue
        if outcome_problems(catalog.requests_of(source.organ)):
            continue  # requests that cannot be counted: validation names them, and nothing can be compared
        computed = compute_report(catalog, catalog.organs[source.organ], source.year, source)
        if found := differences(recorded, computed):
            yield recorded.where(*found[0].key).problem(
                "W-REPORT-CHANGED", year=source.year, organ=source.organ, count=len(found), cells=describe(found))


def differences(recorded: ReportData, computed: ReportData) -> list[Difference]:
    """Every number the site shows of a report (its three tables, and the numbers 一 and 六 state) that differs, in
    the report's order (each named only when it differs: a build compares every recorded report)."""
    found = []

    def compare(key, was, now, position=None):
        if was != now:
            found.append(Difference(key, position or cell_position(key), was, now))

    compare(("items_published",), recorded.items_published, computed.items_published, TEXT_NUMBERS["items_published"])
    for row, cells in computed.active.items():
        for column, now in cells.items():
            compare(("active_disclosure", row, column), recorded.active.get(row, {}).get(column), now)
    for row in REQUEST_ROWS:
        if recorded.requests[row.key] != computed.requests[row.key]:
            for index, column in enumerate(COLUMNS):
                compare(("requests", row.key, column), recorded.requests[row.key][index],
                        computed.requests[row.key][index])
    for row, cells in computed.review.items():
        for column, now in cells.items():
            compare(("review_litigation", row, column), recorded.review.get(row, {}).get(column), now)
    compare(("fee_collected",), recorded.fee_collected, computed.fee_collected, TEXT_NUMBERS["fee_collected"])
    return found


def describe(found: list[Difference]) -> str:
    named = "；".join(f"{d.position}公布为 {d.recorded}，现在计算为 {d.computed}" for d in found[:NAMED_CELLS])
    return named + (f"；等共 {len(found)} 处" if len(found) > NAMED_CELLS else "")


def recorded_text(report: ReportData, today: dt.date) -> str:
    """The file of recorded figures for ``report``, as `gongkai report record` writes it on ``today``."""
    header = (f"# {report.organ}{report.year}年政府信息公开工作年度报告公布时的数字：由 gongkai report record 于 {today} 记录。\n"
              "# 网站按这里的数字显示这份报告，不随目录的修改而变化；目录计算出的数字与这里不同时，gongkai 会提示（W-REPORT-CHANGED）。\n"
              "# 请不要直接修改：更正请用 gongkai report record --correct（corrected 记录更正日期）。\n"
              "# items_published：一、总体情况中的主动公开信息条数；fee_collected：六、信息处理费（元）。\n")
    return to_yaml(report, header + YAML_HEADER, recorded=True)


def corrected(report: ReportData, recorded: ReportData, today: dt.date) -> ReportData:
    """``report`` (as computed) to record on ``today`` as a correction of ``recorded``: the days of earlier
    corrections kept, today's added."""
    days = recorded.corrected
    return dataclasses.replace(report, corrected=(*days, today) if today not in days else days)
