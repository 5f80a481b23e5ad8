"""Computing a report's numbers from the catalog: section 二 from the items (and the statistics file), section 三
from the request log, section 四 from the statistics file."""

from __future__ import annotations

import datetime as dt

from .. import statute
from ..errors import display_path
from ..model.catalog import Catalog, Organ, ReportSource, Request, statistics_path
from ..rules.validity import Validity, validity_on
from .datafile import ReportData
from .layout import (
    CARRIED_IN_ROW,
    CARRIED_OUT_ROW,
    COLUMNS,
    NEW_ROW,
    REQUEST_ROWS,
    REVIEW_PARTS,
    REVIEW_ROWS,
    ROW_BY_KEY,
    TOTAL_ROW,
    Row,
)


def _open_on(request: Request, day: dt.date) -> bool:
    """Received by ``day`` and not yet answered at its end."""
    return request.received <= day and request.replied_by(day) is None


def compute_report(catalog: Catalog, organ: Organ, year: int, source: ReportSource | None) -> ReportData:
    """The report on ``year`` for ``organ``: 二 from items (and the statistics file), 三 from the request log."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    requests = catalog.requests_of(organ.id)
    columns = {name: index for index, name in enumerate(statute.APPLICANT_TYPES)}
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
            count(ROW_BY_KEY[statute.OUTCOME_ROWS[request.outcome]], request)
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
        **_where_written(catalog, organ, year, source),
    )


# The cells the statistics file fills, by the key it writes them under (ReportSource's fields).
_STATISTICS = {("active_disclosure", "行政许可"): "licences", ("active_disclosure", "行政处罚"): "penalties",
               ("active_disclosure", "行政强制"): "enforcement", ("active_disclosure", "行政事业性收费"): "fee_income",
               **{("review_litigation", row): key for row, key in
                  zip(REVIEW_ROWS, ("review", "litigation_direct", "litigation_after_review"))}}
_REVIEW_KEYS = dict(zip(REVIEW_PARTS, ("upheld", "corrected", "other", "pending")))


def _where_written(catalog: Catalog, organ: Organ, year: int, source: ReportSource | None) -> dict:
    """The path and lines of a computed report: its problems point into the statistics file, cell by cell, for that
    is the file staff edit (every other number comes from the catalog); without one, at the file to create."""
    if source is None or source.record is None:
        return {"path": display_path(statistics_path(catalog.root, organ.id, year)), "lines": {(): 1}}
    record = source.record
    lines: dict[tuple, int] = {(): record.where.line, ("published",): record.at("published").line}
    for cell, key in _STATISTICS.items():
        lines[cell] = record.at(key).line
        nested = record.values.get(key)
        if cell[0] == "review_litigation" and hasattr(nested, "at"):
            lines.update({(*cell, column): nested.at(part).line for column, part in _REVIEW_KEYS.items()})
    return {"path": record.where.path, "lines": lines}


def _active_disclosure(catalog: Catalog, organ: Organ, year: int, source: ReportSource | None) -> dict:
    """Issued = published in the year; repealed = repealed in the year; in force = valid on 31 December."""
    last = dt.date(year, 12, 31)
    # One look at the organ's items for all the types: an organ's reports of many years each look at them all.
    by_type: dict[str, list] = {doc_type: [] for doc_type in statute.NORMATIVE_DOC_TYPES}
    for item in catalog.items_of(organ.id):
        if item.doc_type in by_type and item.is_public:
            by_type[item.doc_type].append(item)
    active = {}
    for doc_type, documents in by_type.items():
        active[doc_type] = {
            # A public document without a recorded date was issued in an unknown year: in force, not issued.
            "本年制发件数": sum(1 for i in documents if i.published and i.published.year == year),
            "本年废止件数": sum(1 for i in documents if i.repealed and i.repealed.date.year == year),
            "现行有效件数": sum(1 for i in documents if i.public_on(last) and i.written <= last
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


def overview_sentence(report: ReportData) -> str:
    """The numbers gongkai writes into section 一 itself."""
    cells = {row.key: report.requests[row.key][-1] for row in REQUEST_ROWS}
    documents = report.active["规章"]["本年制发件数"] + report.active["行政规范性文件"]["本年制发件数"]
    return (f"{report.year} 年，本机关主动公开政府信息 {report.items_published} 条，其中制发规章和行政规范性文件 "
            f"{documents} 件。全年新收政府信息公开申请 {cells[NEW_ROW.key]} 件，上年结转 {cells[CARRIED_IN_ROW.key]} 件，"
            f"办结 {cells[TOTAL_ROW.key]} 件，结转下年度继续办理 {cells[CARRIED_OUT_ROW.key]} 件。")


