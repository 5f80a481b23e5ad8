"""`gongkai export`: one sheet per kind under Chinese headers, dates as real dates, lists a line each; CSV in the
encodings Excel opens; nothing overwritten unless asked."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
from conftest import EXAMPLE, make_catalog

from builder.exchange.headers import columns


def test_a_workbook_with_a_sheet_per_kind(run, tmp_path):
    make_catalog(tmp_path)
    result = run("export", "目录.xlsx")
    assert result.exit_code == 0, result.output
    assert "已导出 目录.xlsx：公开事项 1 条，权力清单 1 条，收费目录 1 条，附件和正文文件 1 个" in result.stderr
    book = openpyxl.load_workbook(tmp_path / "目录.xlsx")
    assert book.sheetnames == ["公开事项", "权力清单", "收费目录"]
    items = book["公开事项"]
    headers = [cell.value for cell in items[1]]
    assert headers == [c.header for c in columns("items")]
    row = dict(zip(headers, (cell for cell in items[2])))
    assert row["成文日期"].is_date and row["成文日期"].value == dt.datetime(2026, 3, 2)
    assert row["正文"].value == "正文。"
    assert row["附件"].value == "目录.files/11220000013544357T_2026-00001/annex.txt"
    assert (tmp_path / "目录.files" / "11220000013544357T_2026-00001" / "annex.txt").is_file()
    powers = book["权力清单"]
    power = dict(zip([c.value for c in powers[1]], [c.value for c in powers[2]]))
    assert power["收费项目编号"] == "F-1" and power["法定时限"] == 20 and power["设定依据"] == "《示例条例》第一条"


def test_values_are_written_as_the_files_say_them(run, tmp_path):
    run("export", "out.xlsx", "--catalog", str(EXAMPLE))
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    powers = book["权力清单"]
    headers = [c.value for c in powers[1]]
    rows = [dict(zip(headers, [c.value for c in row])) for row in powers.iter_rows(min_row=2)]
    by_id = {row["事项编码"]: row for row in rows}
    assert by_id["JL-XK-0001"]["收费项目编号"] == "不收费"  # fees: [] — known to be free
    assert by_id["JL-XK-0001"]["设定依据"] == "《企业投资项目核准和备案管理条例》第三条\n《政府核准的投资项目目录（吉林省）》"
    assert by_id["JL-XK-0003"]["取消·取消日期"] == dt.datetime(2025, 12, 1)
    items = book["公开事项"]
    headers = [c.value for c in items[1]]
    rows = [dict(zip(headers, [c.value for c in row])) for row in items.iter_rows(min_row=2)]
    assert all(row["文件类型"] in (None, "规章", "行政规范性文件", "其他文件") for row in rows)
    assert any(row["文件类型"] is None for row in rows)  # left out in the file: blank, not the default


def test_text_starting_with_an_equals_sign_is_exported_as_text_and_imported_back(run, tmp_path):
    catalog = make_catalog(tmp_path / "a", source=EXAMPLE)
    item = catalog / "items" / "changchun-city" / "2005" / "speech-2005-11-09.md"
    text = item.read_text(encoding="utf-8")
    item.write_text(re.sub(r"\nsummary: .*\n", '\nsummary: "=== 第一部分 ==="\n', text), encoding="utf-8")
    assert run("export", "out.xlsx", "--catalog", str(catalog)).exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["公开事项"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=== 第一部分 ==="]
    assert [cell.data_type for cell in cells] == ["s"]
    result = run("import", "out.xlsx", "--update", "--catalog", str(catalog), "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert item.read_text(encoding="utf-8").count("=== 第一部分 ===") == 1


def test_csv_holds_one_kind_in_the_encoding_asked_for(run, tmp_path):
    make_catalog(tmp_path)
    assert run("export", "x.csv").exit_code == 1
    result = run("export", "收费.csv", "--kind", "fees", "--encoding", "gb18030")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "收费.csv").read_bytes().decode("gb18030")
    assert text.startswith(",".join(c.header for c in columns("fees")) + "\r\n")
    [header, row] = csv.reader(io.StringIO(text))
    fee = dict(zip(header, row))
    assert (fee["项目编号"], fee["项目名称"], fee["政策依据"], fee["确定或最近变更日期"]) == (
        "F-1", "示例收费", "示价〔2026〕1号", "2026-03-02")


def test_an_existing_file_is_not_overwritten_unless_asked(run, tmp_path):
    make_catalog(tmp_path)
    (tmp_path / "out.xlsx").write_bytes(b"keep")
    refused = run("export", "out.xlsx")
    assert refused.exit_code == 1 and "已存在" in refused.output
    assert (tmp_path / "out.xlsx").read_bytes() == b"keep"
    assert run("export", "out.xlsx", "--overwrite").exit_code == 0


def test_attachments_of_one_name_in_two_subfolders_are_two_files_in_the_export(run, tmp_path):
    """附件/说明.txt and 旧版/说明.txt were copied to one 说明.txt, the second over the first."""
    catalog = make_catalog(tmp_path)
    folder = catalog / "items" / "2026"
    for sub, text in (("附件", "新的说明"), ("旧版", "旧的说明")):
        (folder / sub).mkdir()
        (folder / sub / "说明.txt").write_text(text, encoding="utf-8")
    notice = folder / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace(
        "  - file: annex.txt\n", "  - file: annex.txt\n  - file: 附件/说明.txt\n  - file: 旧版/说明.txt\n"),
        encoding="utf-8")
    assert run("export", "out.xlsx").exit_code == 0
    copies = {p.relative_to(tmp_path).as_posix(): p.read_text(encoding="utf-8")
              for p in (tmp_path / "out.files").rglob("说明.txt")}
    assert sorted(copies.values()) == ["新的说明", "旧的说明"], copies
    cell = openpyxl.load_workbook(tmp_path / "out.xlsx")["公开事项"]
    attachments = next(c.value for c in cell[2] if c.value and "说明.txt" in str(c.value))
    assert all(name in attachments for name in copies), attachments


def test_a_control_character_excel_cannot_hold_is_not_in_any_cell(run, tmp_path):
    """One written as an escape in a field is dropped on reading (fields.read); one typed in a body sends the body
    to its own file, as a body too long for a cell does."""
    catalog = make_catalog(tmp_path / "a", source=EXAMPLE)
    item = catalog / "items" / "changchun-city" / "2005" / "speech-2005-11-09.md"
    text = item.read_text(encoding="utf-8").replace("summary: 部署", "summary: \"部署\\v")
    text = re.sub(r"(summary: .*)\n", r'\1"\n', text, count=1)
    body = text.index("---", 4) + 4
    item.write_text(text[:body] + "\n\v" + text[body:], encoding="utf-8")
    result = run("export", "out.xlsx", "--catalog", str(catalog))
    assert result.exit_code == 0, result.output  # openpyxl refuses a cell holding one
    assert any("\v" in path.read_text(encoding="utf-8") for path in tmp_path.rglob("正文.md"))


def test_the_characters_excel_cannot_hold_are_openpyxls():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from builder.exchange import exporter

    assert exporter._EXCEL_CANNOT_HOLD.pattern == ILLEGAL_CHARACTERS_RE.pattern


def test_a_text_too_long_for_a_cell_stops_the_export_and_one_that_fits_comes_back_whole(run, tmp_path):
    """Found by a review: a 内容概述 of 40,000 characters was cut to Excel's 32,767 without a word (only the body
    went to a file), and importing the unchanged workbook with --update cut the catalog's own text."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("category: 20-1\n", f"category: 20-1\nsummary: {'概述' * 16_384}\n"),
                      encoding="utf-8")  # 32,768 characters
    result = run("export", "out.xlsx")
    assert result.exit_code == 1
    assert ("catalog/items/2026/notice.md:9: “内容概述”有 32768 个字符，超过 Excel 一个单元格最多能容纳的 32767 个，"
            "导出后会被截断：请缩短它（长篇内容请写入正文）后重新导出") in result.output
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out.files").exists()
    fits = text.replace("category: 20-1\n", f"category: 20-1\nsummary: {'概述' * 16_383}述\n")  # 32,767
    notice.write_text(fits, encoding="utf-8")
    assert run("export", "out.xlsx").exit_code == 0
    updated = run("import", "out.xlsx", "--update", "--today", "2026-11-23")
    assert updated.exit_code == 0 and "文件：无" in updated.stderr, updated.output
    assert notice.read_text(encoding="utf-8") == fits


def test_an_index_number_too_long_for_a_folder_name_stops_the_export_as_validate_says(run, tmp_path):
    """Found by a review: 87 Chinese characters are 261 bytes, more than a folder's name holds (E-INDEX-FORMAT allows
    100 characters): the export stopped with 内部错误 (ENAMETOOLONG) making the item's folder of files."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("11220000013544357T/2026-00001",
                                                                  f"{'财政局' * 29}/2026-00001"), encoding="utf-8")
    result = run("export", "out.xlsx")
    assert result.exit_code == 1 and "内部错误" not in result.output
    told = [line.split(" ")[:2] for line in result.output.splitlines() if " E-URL-TOO-LONG " in line]
    assert told[0] == ["catalog/items/2026/notice.md:2:", "E-URL-TOO-LONG"]
    assert told == [line.split(" ")[:2] for line in run("validate", "--today", "2026-11-23").output.splitlines()
                    if " E-URL-TOO-LONG " in line]
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out.files").exists()


def test_an_index_number_too_long_for_a_folder_name_is_refused_only_for_an_item_that_needs_a_folder(run, tmp_path):
    """Found by a review: an item without attachments and with a body that fits its cell has no folder of files,
    only a row, yet its long 索引号 stopped the export. A body that goes to a file needs the folder still."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    long = f"{'财政局' * 29}/2026-00001"
    text = notice.read_text(encoding="utf-8").replace("11220000013544357T/2026-00001", long).replace(
        "attachments:\n  - file: annex.txt\n", "")
    notice.write_text(text, encoding="utf-8")
    result = run("export", "out.xlsx")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["公开事项"]
    assert long in [cell.value for cell in sheet["A"]] and not (tmp_path / "out.files").exists()
    notice.write_text(text.replace("正文。", "正文\v。"), encoding="utf-8")
    refused = run("export", "out2.xlsx")  # the body holds a character Excel cannot: it goes to a file
    assert refused.exit_code == 1 and "内部错误" not in refused.output
    assert [line.split(" ")[:2] for line in refused.output.splitlines() if " E-URL-TOO-LONG " in line] == [
        ["catalog/items/2026/notice.md:2:", "E-URL-TOO-LONG"]]
    assert not (tmp_path / "out2.xlsx").exists() and not (tmp_path / "out2.files").exists()


def test_an_index_number_whose_folder_name_fits_is_exported_though_its_page_name_does_not(run, tmp_path):
    """Found by a review of item pages as files: the export measured the page's name (<索引号>.html, 5 bytes more)
    for the folder of files it makes, and refused a 索引号 whose folder fits; the export is how staff would correct
    it."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    long = f"{'财政局' * 25}/2026-00001"  # its folder's name 236 bytes, its page's 241: more than the 240 kept to
    notice.write_text(notice.read_text(encoding="utf-8").replace("11220000013544357T/2026-00001", long),
                      encoding="utf-8")
    assert " E-URL-TOO-LONG " in run("validate", "--today", "2026-11-23").output
    result = run("export", "out.xlsx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.files" / f"{'财政局' * 25}_2026-00001" / "annex.txt").is_file()
