"""Reading workbooks: visible sheets with their merged ranges and date system; a file that is no workbook is a
problem at the file."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest
from conftest import FIXTURES

from builder.exchange.sheet import EPOCH_1900, EPOCH_1904, Merge, UncalculatedFormula
from builder.exchange.workbook import read_workbook


def test_sheets_cells_and_merged_ranges(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "目录"
    sheet["A1"] = "标题行"
    sheet.merge_cells("A1:C1")
    sheet["A2"], sheet["B2"] = "索引号", dt.datetime(2026, 3, 2)
    sheet["C40"].number_format = "yyyy-mm-dd"  # a formatted, empty cell far below: no rows for it
    hidden = book.create_sheet("旧数据")
    hidden["A1"] = "索引号"
    hidden.sheet_state = "hidden"
    book.save(tmp_path / "a.xlsx")
    sheets, hidden_names, problems = read_workbook(tmp_path / "a.xlsx", "a.xlsx")
    assert problems == [] and hidden_names == ["旧数据"]
    [read] = sheets
    assert (read.name, read.index, read.file, read.epoch) == ("目录", 0, "a.xlsx", EPOCH_1900)
    assert read.rows == (("标题行",), ("索引号", dt.datetime(2026, 3, 2)))  # each row to its last value
    assert read.merges == (Merge(1, 1, 1, 3),)


def test_one_stray_value_in_the_last_cell_of_the_sheet_makes_no_rectangle_of_every_cell(tmp_path):
    """Excel's last cell, XFD1048576, reached with Ctrl+↓ and Ctrl+→ and typed in: 17 billion cells as a rectangle."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["事项名称", "事项类型"])
    sheet["XFD1048576"] = "x"
    book.save(tmp_path / "far.xlsx")
    [read], _, problems = read_workbook(tmp_path / "far.xlsx", "far.xlsx")
    assert problems == [] and len(read.rows) == 1_048_576 and read.width == 16_384
    assert read.rows[0] == ("事项名称", "事项类型") and set(read.rows[1:-1]) == {()}
    assert read.rows[-1][-1] == "x" and set(read.rows[-1][:-1]) == {None}


def test_a_1904_workbook_says_so(tmp_path):
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book.active["A1"] = "x"
    book.save(tmp_path / "mac.xlsx")
    [sheet], _, _ = read_workbook(tmp_path / "mac.xlsx", "mac.xlsx")
    assert sheet.epoch == EPOCH_1904


@pytest.mark.parametrize("name, content", [
    ("text.xlsx", b"not a workbook"), ("empty.xlsx", b""), ("zip.xlsx", b"PK\x03\x04broken"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
])
def test_a_file_that_is_no_workbook_is_a_problem(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    sheets, _, [problem] = read_workbook(tmp_path / name, name)
    assert sheets == []
    assert problem.format().startswith(f"{name}:0: E-IMPORT-UNREADABLE ")


@pytest.mark.parametrize("fixture, shown, says", [
    ("password-123456.xlsx", "报表.xlsx", "工作簿设有打开密码"),  # Excel's agile encryption, password 123456
    ("old-format.xls", "报表.xlsx", "这是旧版 .xls 文件（只是扩展名改成了 .xlsx）"),
])
def test_a_workbook_with_a_password_or_an_old_xls_renamed_is_named_for_what_it_is(tmp_path, fixture, shown, says):
    (tmp_path / shown).write_bytes((FIXTURES / "workbooks" / fixture).read_bytes())
    sheets, _, [problem] = read_workbook(tmp_path / shown, shown)
    assert sheets == [] and problem.format().startswith(f"{shown}:0: E-IMPORT-UNREADABLE 无法读取：{says}")


def _with_cached_result(path, cell: str, result: str, kind: str = "") -> None:
    """The workbook as Excel saves it: the formula's result stored beside it (openpyxl stores none), a text
    result's cell marked t="str"."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = "xl/worksheets/sheet1.xml"
    marked = f' t="{kind}"' if kind else ""
    parts[name] = re.sub(rf'<c r="{cell}"([^>]*)>(<f>[^<]*</f>)<v></v>'.encode(),
                         rf'<c r="{cell}"\1{marked}>\2<v>{result}</v>'.encode(), parts[name])
    with zipfile.ZipFile(path, "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)


def test_a_formula_is_read_as_its_stored_result_and_one_without_is_unknown(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"], book.active["B1"], book.active["C1"] = "=15", "=SUM(1,2)", "文本"
    book.active["D1"] = '=IF(C1="文本","","x")'  # its result is the empty text: blank, as Excel shows it
    book.save(tmp_path / "f.xlsx")
    _with_cached_result(tmp_path / "f.xlsx", "A1", "15")
    _with_cached_result(tmp_path / "f.xlsx", "D1", "", kind="str")
    [sheet], _, problems = read_workbook(tmp_path / "f.xlsx", "f.xlsx")
    assert problems == []
    assert sheet.rows == ((15, UncalculatedFormula("=SUM(1,2)"), "文本"),)


def test_an_excel_error_is_no_value_and_escaped_characters_are_decoded(tmp_path):
    book = openpyxl.Workbook()
    book.active["A1"] = '=VLOOKUP("x",C1:C2,1,FALSE)'
    book.active["B1"], book.active["C1"] = "b", "c"
    book.save(tmp_path / "e.xlsx")
    _with_cached_result(tmp_path / "e.xlsx", "A1", "#N/A", kind="e")
    with zipfile.ZipFile(tmp_path / "e.xlsx") as archive:  # the text as Excel writes it when pasted from Word
        parts = {name: archive.read(name) for name in archive.namelist()}
    for cell, text in (("B1", "第一段_x000D_\n第二段"), ("C1", "编号A_x0031_B")):
        parts["xl/worksheets/sheet1.xml"] = re.sub(
            rf'(<c r="{cell}" t="inlineStr"><is>)<t>[^<]*</t>'.encode(),
            rf'\1<t xml:space="preserve">{text}</t>'.encode(), parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(tmp_path / "e.xlsx", "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    [sheet], _, problems = read_workbook(tmp_path / "e.xlsx", "e.xlsx")
    assert problems == []
    assert sheet.rows == ((UncalculatedFormula("", error="#N/A"), "第一段\n第二段", "编号A_x0031_B"),)
