"""Finding the header below title rows and over two rows, the kind it names, and the rows that hold entries."""

from __future__ import annotations

import openpyxl
from spreadsheets import powers_workbook

from builder.exchange.layout import (
    DataRow,
    NoHeader,
    SkippedRow,
    data_rows,
    find_layout,
)
from builder.exchange.sheet import Merge, Sheet, UncalculatedFormula
from builder.exchange.workbook import read_workbook


def sheet(rows, merges=()) -> Sheet:
    return Sheet("t.xlsx", "表", 0, tuple(tuple(r) for r in rows), tuple(merges))


def test_a_two_row_header_under_title_rows(tmp_path):
    [read], _, _ = read_workbook(powers_workbook(tmp_path / "p.xlsx"), "p.xlsx")
    layout = find_layout(read)
    assert (layout.kind, layout.first_row, layout.last_row) == ("powers", 3, 4)
    keys = {number: column.key for number, column in layout.columns}
    assert keys == {2: "id", 3: "name", 4: "type", 5: "organ", 6: "basis", 7: "legal_limit", 8: "promised_limit",
                    9: "fees", 10: "decided", 11: "published", 12: "note"}
    assert [(u.column, u.header, u.reason is not None) for u in layout.unplaced] == [(1, "序号", True)]


def test_rows_below_the_header_with_merged_cells_filled_down(tmp_path):
    [read], _, _ = read_workbook(powers_workbook(tmp_path / "p.xlsx"), "p.xlsx")
    rows = list(data_rows(read, find_layout(read)))
    assert [(type(r).__name__, r.number) for r in rows] == [
        ("SkippedRow", 5), ("DataRow", 6), ("DataRow", 7), ("DataRow", 8), ("SkippedRow", 10), ("DataRow", 11),
        ("DataRow", 12)]
    assert [r.cells[4] for r in rows if isinstance(r, DataRow)][:3] == ["示例市人民政府"] * 3
    assert rows[0].text == "一、行政许可"


def test_the_kind_is_the_one_the_headers_name_best():
    assert find_layout(sheet([["索引号", "标题", "成文日期"]])).kind == "items"
    assert find_layout(sheet([["收费项目", "收费标准", "资金管理方式"]])).kind == "fees"
    assert find_layout(sheet([["事项编码", "事项名称", "职权类型"]])).kind == "powers"


def test_no_header_or_one_that_fits_two_kinds_equally():
    assert find_layout(sheet([["联系人", "电话"], ["张三", "123"]])) == NoHeader()
    assert find_layout(sheet([["名称", "监督电话"]])) == NoHeader(("powers", "fees"))
    assert find_layout(sheet([["名称", "监督电话"]]), "fees").kind == "fees"


def test_two_columns_for_one_field_and_a_column_without_header():
    layout = find_layout(sheet([["标题", "名称", "成文日期", None], ["甲", "乙", "2026-03-02", "丙"]]))
    assert layout.twice == ((2, 1),)
    assert [(u.column, u.header) for u in layout.unplaced] == [(4, "")]


def test_two_header_rows_named_together():
    rows = [["标题", "废止", None], [None, "日期", "文号"], ["甲", "2026-03-02", "某文号"]]
    layout = find_layout(sheet(rows, [Merge(1, 2, 1, 3), Merge(1, 1, 2, 1)]))
    assert {n: c.key for n, c in layout.columns} == {1: "title", 2: "repealed.date", 3: "repealed.by"}
    assert layout.last_row == 2


def test_blank_rows_numbered_empty_rows_and_repeated_headers_are_left_out():
    rows = [["序号", "标题", "索引号", "成文日期"], [None, None, None, None], [1, "甲", "x/2026-1", "2026-03-02"],
            [2, None, None, None], ["序号", "标题", "索引号", "成文日期"], [3, "乙", "x/2026-2", "2026-03-02"]]
    found = list(data_rows(sheet(rows), find_layout(sheet(rows))))
    assert [(type(r), r.number) for r in found] == [(DataRow, 3), (SkippedRow, 5), (DataRow, 6)]
    assert found[1].repeated_header


def test_merged_blank_cells_beyond_the_values_are_ignored():
    rows = [["索引号", "标题", "成文日期"], ["x/2026-1", "甲", "2026-03-02"]]
    merges = [Merge(1, 5, 1, 9), Merge(20, 1, 30, 1), Merge(2, 4, 5, 4)]
    layout = find_layout(sheet(rows, merges))
    assert [r.number for r in data_rows(sheet(rows, merges), layout)] == [2]


def test_a_merged_cell_across_an_entrys_columns_fills_each_and_a_section_title_none():
    rows = [["事项编码", "事项名称", "职权类型", "法定时限", "承诺时限"],
            ["一、行政许可", None, None, None, None],
            ["SL-1", "示例审批", "行政许可", 20, None]]
    merges = [Merge(2, 1, 2, 5), Merge(3, 4, 3, 5)]
    found = list(data_rows(sheet(rows, merges), find_layout(sheet(rows, merges))))
    assert isinstance(found[0], SkippedRow) and found[0].text == "一、行政许可"
    assert found[1].cells == ("SL-1", "示例审批", "行政许可", 20, 20)


def test_a_name_merged_over_an_empty_sub_item_column_stays_a_name():
    rows = [["事项编码", "事项名称", "子项", "职权类型"], ["SL-1", "示例审批", None, "行政许可"]]
    merges = [Merge(2, 2, 2, 3)]
    [row] = list(data_rows(sheet(rows, merges), find_layout(sheet(rows, merges))))
    assert row.cells == ("SL-1", "示例审批", None, "行政许可")


def test_a_title_merged_over_the_empty_doc_no_beside_it_stays_a_title_and_the_doc_no_unknown(tmp_path):
    """Found by a review: every text column counted as one kind, so a long 标题 let run over the blank 文号 cell
    (merged B3:C3) became the 文号, and the site published it as one. A merged cell belongs to the column where it
    starts; only the parts of one field split in two (法定时限, 承诺时限) share it."""
    book = openpyxl.Workbook()
    book.active.append(["索引号", "标题", "文号", "成文日期", "发布日期"])
    book.active.append(["x/2025-1", "关于甲的通知", "吉政发〔2025〕1号", "2025-03-05", "2025-03-06"])
    book.active.append(["x/2025-2", "2025年第一季度全县重点项目建设进展情况", None, "2025-03-05", None])
    book.active.merge_cells("B3:C3")
    book.active.merge_cells("D3:E3")  # a date run over the blank 发布日期: not published on that day
    book.save(tmp_path / "t.xlsx")
    [read], _, _ = read_workbook(tmp_path / "t.xlsx", "t.xlsx")
    rows = list(data_rows(read, find_layout(read)))
    assert rows[1].cells == ("x/2025-2", "2025年第一季度全县重点项目建设进展情况", None, "2025-03-05", None)


def test_total_rows_are_skipped_and_an_entry_named_so_is_not_one():
    rows = [["事项编码", "事项名称", "职权类型", "法定时限"], ["SL-1", "示例审批", "行政许可", 20], ["小计", None, None, 20],
            ["SL-2", "合计审批", "行政许可", 20], ["总计：", "共2项", None, UncalculatedFormula("=SUM(D2:D4)")]]
    found = list(data_rows(sheet(rows), find_layout(sheet(rows))))
    assert [(type(r).__name__, r.number, getattr(r, "total", None)) for r in found] == [
        ("DataRow", 2, None), ("SkippedRow", 3, True), ("DataRow", 4, None), ("SkippedRow", 5, True)]
    assert [r.code for r in found if isinstance(r, SkippedRow)] == ["W-IMPORT-ROW-TOTAL"] * 2
