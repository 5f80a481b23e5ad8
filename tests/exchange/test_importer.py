"""`gongkai import` on the spreadsheets offices keep: every problem at its sheet and row; nothing written while
anything is wrong; what it writes, `gongkai validate` accepts; nothing replaced without --update."""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import REPO, make_catalog, tree_digest
from spreadsheets import fees_csv, good_powers_workbook, items_workbook, powers_workbook

from builder.build.pipeline import load
from builder.exchange.importer import (
    ImportNotWritten,
    ImportOptions,
    plan_import,
    write_plan,
)

TODAY = ("--today", "2026-11-23")


@pytest.fixture
def catalog(tmp_path):
    return make_catalog(tmp_path)


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def test_dry_run_lists_every_problem_at_its_sheet_and_row_and_writes_nothing(run, tmp_path, catalog):
    powers_workbook(tmp_path / "权力清单.xlsx")
    before = tree_digest(catalog)
    result = run("import", "权力清单.xlsx", "--dry-run", *TODAY)
    assert result.exit_code == 1
    assert [line.split(" ")[:2] for line in lines(result)] == [
        ["权力清单.xlsx:行政许可!R3:", "W-IMPORT-COLUMN"],  # 序号
        ["权力清单.xlsx:行政许可!R5:", "W-IMPORT-ROW-SKIPPED"],
        ["权力清单.xlsx:行政许可!R10:", "W-IMPORT-ROW-SKIPPED"],
        ["权力清单.xlsx:行政许可!R12:", "E-IMPORT-VALUE"],
        ["权力清单.xlsx:行政许可!R12:", "E-IMPORT-VALUE"],  # not E-REQUIRED as well: the 确定日期 is there
    ]
    assert "办理时限/法定时限“按规定”无法读作数字" in result.stdout
    assert "确定日期“2026年3月”无法读作日期" in result.stdout
    assert "未写入任何文件" in result.stderr
    assert tree_digest(catalog) == before


def test_a_good_workbook_is_written_and_validates(run, tmp_path, catalog):
    good_powers_workbook(tmp_path / "权力清单.xlsx")
    result = run("import", "权力清单.xlsx", *TODAY)
    assert result.exit_code == 0, result.output
    assert "已追加 catalog/powers/demo.yaml" in result.stderr
    text = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    assert text.startswith("- id: P-1\n")  # what was there stays as it was
    assert ("- id: SL-XK-0001\n  name: 建设工程规划许可\n  type: 行政许可\n  organ: demo\n"
            "  basis: [《中华人民共和国城乡规划法》第四十条]\n  legal_limit: 20\n  legal_limit_unit: 工作日\n"
            "  promised_limit: 15\n  fees: [F-1]\n  note: 常年办理\n  decided: 2026-03-02\n  published: 2026-03-06\n") in text
    assert "- id: SL-XK-0002\n" in text and "  fees: []\n" in text
    validated = run("validate", *TODAY)
    assert validated.exit_code == 0, validated.output
    assert "8 项权力事项" not in validated.stderr and "5 项权力事项" in validated.stderr


def test_nothing_is_replaced_without_update(run, tmp_path, catalog):
    good_powers_workbook(tmp_path / "p.xlsx")
    assert run("import", "p.xlsx", *TODAY).exit_code == 0
    before = tree_digest(catalog)
    again = run("import", "p.xlsx", *TODAY)
    assert again.exit_code == 1
    exists = [line for line in lines(again) if " E-IMPORT-EXISTS " in line]
    assert len(exists) == 4 and exists[0].startswith("p.xlsx:行政许可!R6: E-IMPORT-EXISTS 权力事项“SL-XK-0001”已在 "
                                                     "catalog/powers/demo.yaml 中")
    assert tree_digest(catalog) == before


def test_update_replaces_entries_in_place_and_a_blank_cell_clears_a_field(run, tmp_path, catalog):
    path = good_powers_workbook(tmp_path / "p.xlsx")
    assert run("import", "p.xlsx", *TODAY).exit_code == 0
    book = openpyxl.load_workbook(path)
    book.active["C6"] = "建设工程规划许可（2026年修订）"
    book.active["H7"] = None
    book.save(path)
    before = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    result = run("import", "p.xlsx", "--update", *TODAY)
    assert result.exit_code == 0, result.output
    after = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert changed[0] == ("  name: 建设工程规划许可", "  name: 建设工程规划许可（2026年修订）")
    assert len(after.splitlines()) == len(before.splitlines()) - 1  # promised_limit of SL-XK-0002 cleared
    assert run("validate", *TODAY).exit_code == 0
    unchanged = run("import", "p.xlsx", "--update", *TODAY)
    assert "文件：无" in unchanged.stderr  # nothing to write when nothing changed


def test_a_formula_without_a_stored_result_is_refused_not_read_as_blank(run, tmp_path, catalog):
    path = good_powers_workbook(tmp_path / "p.xlsx")
    assert run("import", "p.xlsx", *TODAY).exit_code == 0
    before = tree_digest(catalog)
    book = openpyxl.load_workbook(path)
    book.active["H7"] = "=10+5"  # written by a program: the file stores the formula, not its result
    book.save(path)
    result = run("import", "p.xlsx", "--update", *TODAY)
    assert result.exit_code == 1
    [problem] = [line for line in lines(result) if "E-IMPORT-VALUE" in line]
    assert problem.startswith("p.xlsx:行政许可!R7: E-IMPORT-VALUE ") and "“=10+5”" in problem
    assert "请在 Excel 中打开并保存" in problem
    assert tree_digest(catalog) == before, "the promised limit it holds is not cleared"


def test_items_with_bodies_attachments_and_a_gb18030_csv(run, tmp_path, catalog):
    annex = tmp_path / "示例办法.txt"
    annex.write_text("示例办法全文。", encoding="utf-8")
    (tmp_path / "bulletin.md").write_bytes("统计公报正文。\n".encode("gb18030"))
    items_workbook(tmp_path / "目录.xlsx", annex)
    fees_csv(tmp_path / "收费.csv")
    result = run("import", "目录.xlsx", "收费.csv", *TODAY)
    assert result.exit_code == 0, result.output
    assert "跳过工作表“填表说明”" in result.stderr
    first = (catalog / "items" / "demo" / "2026" / "2026-00011.md").read_text(encoding="utf-8")
    assert "published: 2026-03-06 09:30\ncategory: 20-1\n" in first and "genre: 通知\n" in first
    assert "  - file: 示例办法.txt\n    title: 示例办法全文\n" in first
    assert first.endswith("---\n\n各区人民政府：\n\n现将《示例办法》印发给你们。\n")
    assert (catalog / "items" / "demo" / "2026" / "示例办法.txt").read_text(encoding="utf-8") == "示例办法全文。"
    second = (catalog / "items" / "demo" / "2026" / "2026-00012.md").read_text(encoding="utf-8")
    assert "index_no: 11220000013544357T/2026-00012\n" in second and "written: 2026-03-02\n" in second
    assert second.endswith("\n统计公报正文。\n")
    fees = (catalog / "fees" / "demo.yaml").read_text(encoding="utf-8")
    assert "  basis: [发改价格规〔2016〕2559号, 财税〔2016〕79号]\n  standard: \"80\"\n  unit: 元/件\n" in fees
    assert "- id: SL-SF-0002\n" in fees and "  decided: 2026-03-02\n" in fees
    assert run("validate", *TODAY).exit_code == 0


def test_organ_for_every_row(run, tmp_path, catalog):
    (tmp_path / "i.csv").write_text("索引号,标题,成文日期,公开类别\nx/2026-00001,甲,2026-03-02,20-1\n", encoding="utf-8")
    missing = run("import", "i.csv", "--dry-run", *TODAY)
    assert lines(missing)[0].startswith("i.csv:R1: E-IMPORT-MISSING-COLUMN 表中没有必填的“所属机关编号”列")
    assert run("import", "i.csv", "--organ", "示例市人民政府", *TODAY).exit_code == 0
    assert (catalog / "items" / "demo" / "2026" / "2026-00001.md").is_file()
    unknown = run("import", "i.csv", "--organ", "不存在", *TODAY)
    assert unknown.exit_code == 1 and "--organ “不存在”" in unknown.output and "Traceback" not in unknown.output


def test_a_row_that_duplicates_another_is_shown_with_the_first_rows_place(run, tmp_path, catalog):
    (tmp_path / "i.csv").write_text("索引号,标题,成文日期,公开类别,所属机关\nx/2026-1,甲,2026-03-02,20-1,demo\n"
                                    "x/2026-1,乙,2026-03-02,20-1,demo\n", encoding="utf-8")
    result = run("import", "i.csv", "--dry-run", *TODAY)
    assert "i.csv:R3: E-INDEX-DUPLICATE 索引号“x/2026-1”与 i.csv:R2 重复" in result.stdout


def test_json_output_names_the_sheet_and_row(run, tmp_path, catalog):
    powers_workbook(tmp_path / "p.xlsx")
    result = run("import", "p.xlsx", "--dry-run", "--format", "json", *TODAY)
    problems = json.loads(result.stdout)
    assert problems[-1] | {"message": "", "message_en": ""} == {
        "path": "p.xlsx", "sheet": "行政许可", "row": 12, "code": "E-IMPORT-VALUE", "severity": "error",
        "message": "", "message_en": ""}


@pytest.mark.parametrize("name, content", [("a.xlsx", b"PK\x03\x04"), ("b.csv", b"\xff\x80\x81\xfe" * 4),
                                           ("c.ods", b"x"), ("d.xls", b"\xd0\xcf\x11\xe0")])
def test_a_file_that_cannot_be_read_is_a_message_not_a_traceback(run, tmp_path, catalog, name, content):
    (tmp_path / name).write_bytes(content)
    result = run("import", name, *TODAY)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert lines(result) == [line for line in lines(result) if line.startswith(f"{name}:0: E-IMPORT-UNREADABLE ")]


def test_random_cells_under_every_kinds_headers_never_crash(run, tmp_path, catalog):
    import datetime as dt
    import random

    from conftest import random_texts

    from builder.exchange.headers import columns

    rng = random.Random(15)
    texts = random_texts(400, seed=15) + ["2026年3月2日", "20个工作日", "不收费", "a | b | c | d", "demo", "20-1",
                                          "示例市人民政府", "１２", "=A1", "#N/A"]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for kind in ("items", "powers", "fees"):
        sheet = book.create_sheet(kind)
        sheet.append([c.header for c in columns(kind)])
        for _ in range(30):
            sheet.append([rng.choice([None, rng.choice(texts), rng.randint(-5, 50000), rng.random() * 1e5, True,
                                      dt.datetime(2026, 3, 2, 9, 30), dt.date(1899, 12, 31), dt.time(8, 0)])
                          for _ in columns(kind)])
    book.save(tmp_path / "random.xlsx")
    result = run("import", "random.xlsx", "--dry-run", *TODAY)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output and "内部错误" not in result.output
    assert all(" E-" in line or " W-" in line for line in lines(result))


def test_a_limit_and_its_unit_column_agreeing_in_other_words_are_one_unit(run, tmp_path, catalog):
    """20天 beside a unit column saying 天 is 20 日: no conflict (the column's 天 was kept as typed and compared)."""
    (tmp_path / "p.csv").write_text(
        "事项编码,事项名称,职权类型,实施主体,设定依据,法定时限,法定时限单位,确定日期,公开日期\n"
        "SL-3,示例审批,行政许可,示例市人民政府,《示例条例》第四条,20天,天,2026-03-02,2026-03-06\n"
        "SL-4,示例审批二,行政许可,示例市人民政府,《示例条例》第五条,15,个工作日,2026-03-02,2026-03-06\n",
        encoding="utf-8")
    result = run("import", "p.csv", *TODAY)
    assert result.exit_code == 0, result.output
    written = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    assert "  legal_limit: 20\n  legal_limit_unit: 日\n" in written
    assert "  legal_limit: 15\n  legal_limit_unit: 工作日\n" in written


def test_the_columns_real_lists_keep_beside_the_statutory_ones_are_imported(run, tmp_path, catalog):
    """Found by a review: 追责情形 and 备注 of a power list, 减免政策 of a fee catalogue, were left out with advice to
    rename them to a column that did not exist."""
    (tmp_path / "p.csv").write_text(
        "事项编码,事项名称,职权类型,实施主体,设定依据,追责情形,备注,确定日期,公开日期\n"
        "SL-7,示例审批,行政许可,示例市人民政府,《示例条例》第四条,不依法受理的,与市场监管局联合办理,2026-03-02,2026-03-06\n",
        encoding="utf-8")
    (tmp_path / "f.csv").write_text(
        "项目编号,项目名称,收费机关编号,政策依据,减免政策,确定日期,公开日期\n"
        "SF-7,示例收费,demo,示价〔2026〕1号,对低保家庭免收,2026-03-02,2026-03-06\n", encoding="utf-8")
    result = run("import", "p.csv", "f.csv", *TODAY)
    assert result.exit_code == 0, result.output
    powers = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    assert "  accountability: 不依法受理的\n" in powers and "  note: 与市场监管局联合办理\n" in powers
    assert "  reduction: 对低保家庭免收\n" in (catalog / "fees" / "demo.yaml").read_text(encoding="utf-8")


def test_a_limits_unit_in_its_header_is_the_unit_of_its_numbers(run, tmp_path, catalog):
    """Found by a review: 30 under 法定时限（天）, or under 办理时限（自然日） over two columns, lost its unit and was
    published as 30 个工作日 (the default for a limit whose unit is not stated)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["事项编码", "事项名称", "职权类型", "实施主体", "设定依据", "法定时限（天）", "承诺时限（单位：工作日）",
                  "确定日期", "公开日期"])
    sheet.append(["SL-5", "示例审批", "行政许可", "示例市人民政府", "《示例条例》第四条", 30, 15, "2026-03-02", "2026-03-06"])
    book.save(tmp_path / "a.xlsx")
    merged = openpyxl.Workbook()
    sheet = merged.active
    sheet.append(["事项编码", "事项名称", "职权类型", "实施主体", "设定依据", "办理时限（自然日）", None, "确定日期", "公开日期"])
    sheet.append([None, None, None, None, None, "法定时限", "承诺时限", None, None])
    sheet.merge_cells("F1:G1")
    sheet.append(["SL-6", "示例审批二", "行政许可", "示例市人民政府", "《示例条例》第五条", 60, "20个工作日", "2026-03-02",
                  "2026-03-06"])
    merged.save(tmp_path / "b.xlsx")
    result = run("import", "a.xlsx", "b.xlsx", *TODAY)
    assert result.exit_code == 0, result.output
    written = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    assert "  legal_limit: 30\n  legal_limit_unit: 日\n  promised_limit: 15\n  promised_limit_unit: 工作日\n" in written
    assert "  legal_limit: 60\n  legal_limit_unit: 日\n  promised_limit: 20\n  promised_limit_unit: 工作日\n" in written


def test_an_update_replaces_its_own_attachment_never_another_items(run, tmp_path, catalog):
    annex = tmp_path / "示例办法.txt"
    annex.write_text("示例办法全文。", encoding="utf-8")
    (tmp_path / "bulletin.md").write_text("统计公报正文。\n", encoding="utf-8")
    items_workbook(tmp_path / "目录.xlsx", annex)
    assert run("import", "目录.xlsx", *TODAY).exit_code == 0
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "示例办法.txt").write_text("另一份文件。", encoding="utf-8")
    kept = catalog / "items" / "demo" / "2026" / "示例办法.txt"
    header = "索引号,标题,所属机关编号,成文日期,公开类别,附件\n"
    (tmp_path / "b.csv").write_text(f"{header}11220000013544357T/2026-00012,示例市统计公报,demo,2026-03-02,20-4,"
                                    "other/示例办法.txt\n", encoding="utf-8")
    result = run("import", "b.csv", "--update", *TODAY)
    assert result.exit_code == 0, result.output
    assert kept.read_text(encoding="utf-8") == "示例办法全文。", "the other item's attachment is as it was"
    assert (kept.parent / "2026-00012" / "示例办法.txt").read_text(encoding="utf-8") == "另一份文件。"
    (tmp_path / "a.csv").write_text(f"{header}11220000013544357T/2026-00011,示例办法的通知,demo,2026-03-02,20-1,"
                                    "other/示例办法.txt\n", encoding="utf-8")
    assert run("import", "a.csv", "--update", *TODAY).exit_code == 0
    assert kept.read_text(encoding="utf-8") == "另一份文件。", "its own attachment, replaced"


def test_an_update_never_replaces_an_attachment_another_item_shares(run, tmp_path, catalog):
    """Found by a review: two items' attachments of the same bytes are one file; updating one item's attachment
    replaced that file, and the other item's published attachment changed without a word."""
    for name, text in (("甲", "同一份附件"), ("乙", "同一份附件"), ("新", "甲的新版本")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "附件1.txt").write_text(text, encoding="utf-8")
    (tmp_path / "i.csv").write_text(ROWS + "11220000013544357T/2026-00101,甲通知,demo,2026-03-02,2026-03-06,20-1,甲/附件1.txt\n"
                                           "11220000013544357T/2026-00102,乙通知,demo,2026-03-02,2026-03-06,20-1,乙/附件1.txt\n",
                                    encoding="utf-8")
    assert run("import", "i.csv", *TODAY).exit_code == 0
    (tmp_path / "u.csv").write_text(ROWS + "11220000013544357T/2026-00101,甲通知,demo,2026-03-02,2026-03-06,20-1,新/附件1.txt\n",
                                    encoding="utf-8")
    result = run("import", "u.csv", "--update", *TODAY)
    assert result.exit_code == 0, result.output
    assert [line.split(" ")[1] for line in lines(result)] == ["W-IMPORT-ATTACHMENT-FOLDER"]
    folder = catalog / "items" / "demo" / "2026"
    assert (folder / "附件1.txt").read_text(encoding="utf-8") == "同一份附件", "乙's attachment is as it was"
    assert (folder / "2026-00101" / "附件1.txt").read_text(encoding="utf-8") == "甲的新版本"
    assert "  - file: 2026-00101/附件1.txt\n" in (folder / "2026-00101.md").read_text(encoding="utf-8")
    assert "  - file: 附件1.txt\n" in (folder / "2026-00102.md").read_text(encoding="utf-8")
    assert run("validate", *TODAY).exit_code == 0


@pytest.mark.parametrize("character", ["\u2fa6", "\uf900"])  # a Kangxi radical, a CJK compatibility ideograph
def test_an_identifier_the_import_reads_in_other_characters_finds_its_entry(run, tmp_path, catalog, character):
    """Found by a review: the import reads an identifier NFKC (⾦ as 金) but looked the catalog's up as written, so
    an item's own export, imported with --update, made a second item."""
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("11220000013544357T/2026-00001",
                                                                  f"{character}融局/2026-00001"), encoding="utf-8")
    assert run("export", "--kind", "items", "out.xlsx").exit_code == 0
    before = tree_digest(catalog)
    again = run("import", "out.xlsx", "--update", *TODAY)
    assert again.exit_code == 0 and "文件：无" in again.stderr, again.output
    assert tree_digest(catalog) == before
    refused = run("import", "out.xlsx", *TODAY)
    assert refused.exit_code == 1 and "E-IMPORT-EXISTS" in refused.stdout, refused.output
    assert "已在 catalog/items/2026/notice.md 中" in refused.stdout


def test_an_index_number_too_long_for_a_file_name_is_an_error_at_its_row(run, tmp_path, catalog):
    """Found by a review: the second row's 2026-00002.md is taken by the first, so its file is named after its whole
    索引号, 87 Chinese characters (261 bytes, more than a name holds): looking for that file stopped the import with
    内部错误 (ENAMETOOLONG)."""
    long = "财政局" * 29
    (tmp_path / "a.txt").write_text("附件。", encoding="utf-8")
    (tmp_path / "i.csv").write_text(ROWS + "A/2026-00002,甲通知,demo,2026-03-02,2026-03-06,20-1,\n"
                                    f"{long}/2026-00002,乙通知,demo,2026-03-02,2026-03-06,20-1,a.txt\n",
                                    encoding="utf-8")
    (catalog / "items" / "demo" / "2026").mkdir(parents=True)  # else the system says the folder is missing first
    before = tree_digest(catalog)
    result = run("import", "i.csv", *TODAY)
    assert result.exit_code == 1 and "内部错误" not in result.output, result.output
    # Once: the folder of its attachment is named as its page is.
    assert [line.split(" ")[:2] for line in lines(result)] == [["i.csv:R3:", "E-URL-TOO-LONG"]]
    assert tree_digest(catalog) == before


def test_a_row_given_twice_is_named_at_its_place_in_every_message(run, tmp_path, catalog):
    """E-URL-COLLISION puts the other row's place inside its text: it read “（\\x00import:19）”, a NUL and all."""
    assert run("export", "out.xlsx").exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book["公开事项"]
    sheet.append([cell.value for cell in sheet[2]])
    book.save(tmp_path / "out.xlsx")
    result = run("import", "out.xlsx", "--update", "--dry-run", *TODAY)
    assert result.exit_code == 1 and "\x00" not in result.output, result.output
    assert any("E-URL-COLLISION" in line and "out.xlsx:公开事项!R" in line.split("E-URL-COLLISION")[1]
               for line in lines(result)), result.output


def test_an_update_needs_only_the_columns_it_changes(run, tmp_path, catalog):
    """docs/import.md: with --update the columns a sheet does not have stay as they are; it asked for every
    required column all the same. A new entry in such a sheet still needs its required fields."""
    good_powers_workbook(tmp_path / "p.xlsx")
    assert run("import", "p.xlsx", *TODAY).exit_code == 0
    (tmp_path / "u.csv").write_text("事项编码,事项名称,承诺时限\nSL-XK-0001,建设工程规划许可（修订）,10\n", encoding="utf-8")
    result = run("import", "u.csv", "--update", *TODAY)
    assert result.exit_code == 0, result.output
    powers = (catalog / "powers" / "demo.yaml").read_text(encoding="utf-8")
    assert "  name: 建设工程规划许可（修订）\n  type: 行政许可\n" in powers and "  promised_limit: 10\n" in powers
    (tmp_path / "n.csv").write_text("事项编码,事项名称\nSL-XK-0099,新事项\n", encoding="utf-8")
    new = run("import", "n.csv", "--update", *TODAY)
    assert new.exit_code == 1 and "E-REQUIRED" in new.output and "Traceback" not in new.output


def test_a_markdown_file_is_no_attachment(run, tmp_path, catalog):
    """Every .md file under items/ is read as an item: one copied there as an attachment would stop every build."""
    (tmp_path / "笔记.md").write_text("笔记。\n", encoding="utf-8")
    (tmp_path / "i.csv").write_text("索引号,标题,所属机关编号,成文日期,公开类别,附件\n"
                                    "11220000013544357T/2026-00021,甲,demo,2026-03-02,20-1,笔记.md | 笔记\n",
                                    encoding="utf-8")
    before = tree_digest(catalog)
    result = run("import", "i.csv", *TODAY)
    assert result.exit_code == 1 and "i.csv:R2: E-IMPORT-VALUE" in result.stdout, result.output
    assert tree_digest(catalog) == before


def test_a_csv_cells_line_breaks_are_read_as_a_workbooks_and_its_export_imports_back_unchanged(run, tmp_path, catalog):
    """Found by a review: a CSV cell kept the \\r\\n Excel writes in it (a workbook's cell gives \\n), so the item's
    summary held \\r\\n, and importing its unchanged export with --update rewrote the item."""
    (tmp_path / "i.csv").write_bytes("索引号,标题,所属机关编号,成文日期,公开类别,内容概述\r\n11220000013544357T/2026-00031,"
                                     "甲,demo,2026-03-02,20-1,\"第一行\r\n第二行\"\r\n".encode("utf-8-sig"))
    assert run("import", "i.csv", *TODAY).exit_code == 0
    item = catalog / "items" / "demo" / "2026" / "2026-00031.md"
    assert "summary: |-\n  第一行\n  第二行\n" in item.read_text(encoding="utf-8")  # not "第一行\r\n第二行"
    assert run("export", "out.xlsx").exit_code == 0
    before = tree_digest(catalog)
    again = run("import", "out.xlsx", "--update", *TODAY)
    assert again.exit_code == 0 and "文件：无" in again.stderr, again.output
    assert tree_digest(catalog) == before


def test_a_number_excel_saved_in_a_csv_in_scientific_notation_is_refused_as_in_a_workbook(run, tmp_path, catalog):
    """Found by a review: a workbook's number cell that lost its digits is refused in a text column; the same cell
    saved as CSV by Excel (1.12200E+17) was imported as the 索引号."""
    (tmp_path / "i.csv").write_bytes("索引号,标题,所属机关编号,成文日期,公开类别\r\n1.12200E+17,甲,demo,2026-03-02,20-1\r\n"
                                     .encode("gb18030"))
    before = tree_digest(catalog)
    result = run("import", "i.csv", *TODAY)
    assert result.exit_code == 1
    assert lines(result)[0].startswith("i.csv:R2: E-IMPORT-VALUE 索引号“1.12200E+17”无法读作文本：这是 Excel 以科学计数法显示的"
                                       "数字，另存为 CSV 文件时只保存了显示的几位，其余数字已丢失。请把该列设为“文本”格式后重新输入"), result.output
    assert tree_digest(catalog) == before


def test_a_title_wrapped_in_its_cell_is_imported_on_one_line(run, tmp_path, catalog):
    book = openpyxl.Workbook()
    book.active.append(["索引号", "标题", "所属机关编号", "成文日期", "公开类别", "内容概述"])
    book.active.append(["11220000013544357T/2026-00041", "示例市人民政府关于印发\n示例市某某管理办法的通知", "demo",
                        "2026-03-02", "20-1", "一、总体要求\n二、主要任务"])
    book.save(tmp_path / "i.xlsx")
    assert run("import", "i.xlsx", *TODAY).exit_code == 0
    text = (catalog / "items" / "demo" / "2026" / "2026-00041.md").read_text(encoding="utf-8")
    assert "\ntitle: 示例市人民政府关于印发示例市某某管理办法的通知\n" in text
    assert "\nsummary: |-\n  一、总体要求\n  二、主要任务\n" in text


def test_invisible_characters_copied_into_identifiers_are_dropped_and_told_once_a_sheet(run, tmp_path, catalog):
    """Found by a review: a 索引号 copied from a web page with a zero-width space after it made a second entry of a
    document the catalog holds, which validate passed and the site listed twice."""
    book = openpyxl.Workbook()
    book.active.append(["索引号", "标题", "所属机关编号", "成文日期", "公开类别"])
    book.active.append(["11220000013544357T/2026-00001\u200b", "示例通知", "demo", "2026-03-02", "20-1"])
    book.active.append(["\ufeff11220000013544357T/2026-00051", "乙", "demo", "2026-03-02", "20-1"])
    book.save(tmp_path / "i.xlsx")
    result = run("import", "i.xlsx", "--dry-run", *TODAY)
    assert [line.split(" (")[0] for line in lines(result) if "W-IMPORT-INVISIBLE" in line] == [
        "i.xlsx:Sheet!R2: W-IMPORT-INVISIBLE 表中有 2 个编号（索引号、事项编码、项目编号等）含有看不见的字符（零宽空格等，常随从网页"
        "复制的文字带入），已删去后导入，第一处在本行：编号中不会有这些字符，表格中的也可删去"]
    assert "i.xlsx:Sheet!R2: E-IMPORT-EXISTS 公开事项“11220000013544357T/2026-00001”已在" in result.stdout
    updated = run("import", "i.xlsx", "--update", *TODAY)
    assert updated.exit_code == 0, updated.output
    assert "\ntitle: 示例通知\n" in (catalog / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    assert "index_no: 11220000013544357T/2026-00051\n" in (catalog / "items" / "demo" / "2026" / "2026-00051.md").read_text(
        encoding="utf-8")


def test_a_total_row_under_the_table_is_skipped_and_said_to_be_one(run, tmp_path, catalog):
    """Found by a review: 合计 in the 序号 column and 共2条 under 信息名称 were read as an entry, and four E-REQUIRED
    lines named its YAML keys without saying what the row was or what to do."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "示例市人民政府信息公开目录"
    sheet.merge_cells("A1:F1")
    sheet.append(["序号", "索引号", "信息名称", "所属机关编号", "成文日期", "公开类别"])
    sheet.append([1, "11220000013544357T/2026-00061", "关于甲的通知", "demo", "2026-03-02", "20-1"])
    sheet.append([2, "11220000013544357T/2026-00062", "关于乙的通知", "demo", "2026-03-02", "20-1"])
    sheet.append(["合 计", None, "共2条", None, None, None])
    book.save(tmp_path / "i.xlsx")
    result = run("import", "i.xlsx", *TODAY)
    assert result.exit_code == 0, result.output
    assert [line.split(" (")[0] for line in lines(result) if " W-IMPORT-COLUMN " not in line
            and " W-PUBLISH-OVERDUE " not in line] == [
        "i.xlsx:Sheet!R5: W-IMPORT-ROW-TOTAL 本行“合计”看起来是合计行，不是一条数据，未导入：可从表格中删去这一行；如果这是一条数据，"
        "请补全索引号、名称等各列"]
    assert "读取 公开事项 2 条" in result.stderr


def test_dates_typed_into_general_cells_are_read_with_their_time_and_refused_once(run, tmp_path, catalog):
    """Found by a review: 20250305 typed as a number was E-IMPORT-VALUE and an E-REQUIRED saying the 成文日期 was
    missing; 45722.5 (a date-time cell whose format was reset to General) was published without its 12:00."""
    book = openpyxl.Workbook()
    book.active.append(["索引号", "标题", "所属机关编号", "成文日期", "发布日期", "公开类别"])
    book.active.append(["11220000013544357T/2025-00101", "甲", "demo", 20250305, 45722.5, "20-1"])
    book.active.append(["11220000013544357T/2025-00102", "乙", "demo", 2025305, None, "20-1"])
    book.save(tmp_path / "i.xlsx")
    refused = run("import", "i.xlsx", *TODAY)
    assert [line.split(" ")[:2] for line in lines(refused)] == [["i.xlsx:Sheet!R3:", "E-IMPORT-VALUE"]], refused.output
    book.active.delete_rows(3)
    book.save(tmp_path / "i.xlsx")
    assert run("import", "i.xlsx", *TODAY).exit_code == 0
    text = (catalog / "items" / "demo" / "2025" / "2025-00101.md").read_text(encoding="utf-8")
    assert "\nwritten: 2025-03-05\npublished: 2025-03-06 12:00\n" in text


def test_an_excel_lock_file_beside_the_workbook_is_skipped_with_a_warning(run, tmp_path, catalog):
    """Found by a review: `gongkai import *.xlsx` with the workbook open in Excel also got ~$目录.xlsx, its owner
    file, and the whole import stopped with advice to save it again as .xlsx."""
    items_workbook(tmp_path / "目录.xlsx")
    (tmp_path / "bulletin.md").write_text("统计公报正文。\n", encoding="utf-8")
    owner = b"zhangsan"  # what Excel writes: the length of the user's name, the name, padding
    (tmp_path / "~$目录.xlsx").write_bytes(bytes([len(owner)]) + owner.ljust(53) + bytes(111))
    result = run("import", "~$目录.xlsx", "目录.xlsx", *TODAY)
    assert result.exit_code == 0, result.output
    assert [line.split(" ")[:2] for line in lines(result)] == [["~$目录.xlsx:0:", "W-IMPORT-LOCK-FILE"],
                                                              ["目录.xlsx:目录!R4:", "W-TOPIC-UNKNOWN"]]
    assert "请先在 Excel 或 WPS 中保存并关闭它再导入" in result.stdout
    assert (catalog / "items" / "demo" / "2026" / "2026-00011.md").is_file()


def test_a_publisher_that_is_no_organ_asks_for_the_organ_not_another_publisher(run, tmp_path, catalog):
    """Found by a review: with no organ column, a 发布机构 that is a department (the government's 办公室) was called
    the row's 机关, the organs listed by id, the true publisher was to be changed, and E-REQUIRED followed."""
    (tmp_path / "i.csv").write_text("索引号,标题,发文机关,成文日期,公开类别\n"
                                    "11220000013544357T/2026-00801,甲,示例市人民政府办公室,2026-03-02,20-1\n",
                                    encoding="utf-8")
    result = run("import", "i.csv", "--dry-run", *TODAY)
    assert result.exit_code == 1
    assert lines(result) == [
        "i.csv:R2: E-IMPORT-PUBLISHER-ORGAN 本行没有填写所属机关，按“发文机关”列找：“示例市人民政府办公室”不是 organs/ "
        "中任何机关的名称（现有 示例市人民政府（demo））。发布机构照实填写即可，不必改：请在“所属机关”列（表中没有就添加这一列）"
        "写明本行所属的机关（名称或编号），或用 --organ 为所有行指定机关 (no organ given, and the publisher "
        "'示例市人民政府办公室' is no organ's name: add an organ column or use --organ)"]
    assert run("import", "i.csv", "--organ", "demo", *TODAY).exit_code == 0


ROWS = "索引号,标题,所属机关编号,成文日期,发布日期,公开类别,附件\n"


def test_two_items_attachments_of_one_name_are_both_imported(run, tmp_path, catalog):
    """Found by a review: 甲/附件1.pdf and 乙/附件1.pdf of two items of one organ and year (which share a folder)
    were refused with E-IMPORT-EXISTS naming a file that did not exist, and --update as advised did the same.
    The second goes to its item's own subfolder, and says so; on the site each is beside its item's page."""
    for name in ("甲", "乙"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "附件1.pdf").write_bytes(b"%PDF-1.4\n" + name.encode() * 100)
    (tmp_path / "i.csv").write_text(ROWS + "11220000013544357T/2026-01101,关于甲的通知,demo,2026-03-02,2026-03-06,20-1,"
                                           "甲/附件1.pdf | 附件1：甲实施方案\n"
                                           "11220000013544357T/2026-01102,关于乙的通知,demo,2026-03-02,2026-03-06,20-1,"
                                           "乙/附件1.pdf | 附件1：乙实施方案\n", encoding="utf-8")
    result = run("import", "i.csv", *TODAY)
    assert result.exit_code == 0, result.output
    assert lines(result) == [
        "i.csv:R3: W-IMPORT-ATTACHMENT-FOLDER 附件“附件1.pdf”与本次导入中 i.csv:R2 的附件同名而内容不同（同一机关同一年份的公开事项"
        "都在文件夹 catalog/items/demo/2026 中）：复制到本事项自己的子文件夹，在事项文件中写作“2026-01102/附件1.pdf”；"
        "网站上的文件名不变 (attachment '附件1.pdf' differs from the attachment of i.csv:R2 of that name in "
        "catalog/items/demo/2026: copied to the item's own subfolder as 2026-01102/附件1.pdf)"]
    folder = catalog / "items" / "demo" / "2026"
    assert (folder / "附件1.pdf").read_bytes() == (tmp_path / "甲" / "附件1.pdf").read_bytes()
    assert (folder / "2026-01102" / "附件1.pdf").read_bytes() == (tmp_path / "乙" / "附件1.pdf").read_bytes()
    assert "  - file: 2026-01102/附件1.pdf\n    title: 附件1：乙实施方案\n" in (folder / "2026-01102.md").read_text(
        encoding="utf-8")
    assert run("validate", *TODAY).exit_code == 0
    again = run("import", "i.csv", "--update", *TODAY)
    assert again.exit_code == 0 and lines(again) == [] and "文件：无" in again.stderr, again.output


def test_an_import_that_cannot_write_a_file_changes_nothing_and_names_the_file(tmp_path, catalog):
    """Found by a review: the third attachment over the size limit (as on a full disk) left the first rows' files
    in the catalog, said 内部错误, and the same import afterwards was refused for the rows written."""
    (tmp_path / "i.csv").write_text(ROWS + "".join(f"11220000013544357T/2026-0090{n},第{n}件,demo,2026-03-02,2026-03-06,20-1,"
                                                   f"附件{n}.pdf\n" for n in (1, 2, 3)), encoding="utf-8")
    for n, size in ((1, 2_000), (2, 2_000), (3, 300_000)):
        (tmp_path / f"附件{n}.pdf").write_bytes(b"%PDF-1.4\n" + bytes(size))
    before = tree_digest(catalog)

    def limited():  # what the system allows one file to grow to: as a disk that fills up
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    command = [sys.executable, "-m", "builder", "import", "i.csv", *TODAY]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    failed = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=environment,
                            preexec_fn=limited)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.splitlines() == [
        "catalog/items/demo/2026/附件3.pdf:0: E-IMPORT-WRITE 无法写入此文件（文件超过系统允许的大小）：导入已撤回，"
        "目录中的文件都没有改动。请排除问题（如磁盘空间不足、文件过大、没有写入权限、磁盘只读）后重新导入 "
        "(cannot write this file (File too large); the import was undone and nothing in the catalog changed)"]
    assert "内部错误" not in failed.stderr and "已新建" not in failed.stderr
    assert tree_digest(catalog) == before, "no file, no temporary file and no folder is left"
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, env=environment)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (catalog / "items" / "demo" / "2026" / "附件3.pdf").stat().st_size == 300_009


def test_a_link_to_itself_where_an_attachment_goes_is_no_crash(run, tmp_path, catalog):
    """Where the import would place an attachment, a symbolic link that leads to itself: the import resolved the
    place (Path.resolve raises on a loop) and stopped with an internal error. It is another file there now, and the
    attachment goes into the item's own folder, as beside any other file of that name."""
    (tmp_path / "甲").mkdir()
    (tmp_path / "甲" / "附件1.txt").write_text("附件", encoding="utf-8")
    folder = catalog / "items" / "demo" / "2026"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "附件1.txt").symlink_to("附件1.txt")
    (tmp_path / "i.csv").write_text(ROWS + "11220000013544357T/2026-00101,甲通知,demo,2026-03-02,2026-03-06,20-1,"
                                           "甲/附件1.txt\n", encoding="utf-8")
    result = run("import", "i.csv", *TODAY)
    assert "内部错误" not in result.output, result.output
    assert (folder / "2026-00101" / "附件1.txt").read_text(encoding="utf-8") == "附件", result.output


def test_an_attachment_gone_before_it_is_copied_is_named_and_nothing_changes(tmp_path, catalog, monkeypatch):
    """The sheet is checked, then its files written: an attachment moved away meanwhile undoes the import too."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "i.csv").write_text(ROWS + "".join(f"11220000013544357T/2026-0090{n},第{n}件,demo,2026-03-02,2026-03-06,"
                                                   f"20-1,{name}\n" for n, name in ((1, "a.pdf"), (2, "b.pdf"))),
                                    encoding="utf-8")
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n")
    before = tree_digest(catalog)
    loaded = load(Path("catalog"), provisional=False)
    plan = plan_import([Path("i.csv")], loaded.catalog, loaded.calendar, ImportOptions(dt.date(2026, 11, 23)))
    assert plan.errors == [] and len(plan.files) == 4
    (tmp_path / "b.pdf").unlink()
    with pytest.raises(ImportNotWritten) as raised:
        write_plan(plan)
    assert raised.value.problem.format() == (
        "b.pdf:0: E-IMPORT-WRITE 无法读取此文件（文件不存在）：导入已撤回，目录中的文件都没有改动。请排除问题（如磁盘空间不足、"
        "文件过大、没有写入权限、磁盘只读）后重新导入 (cannot read this file (No such file or directory); the import was "
        "undone and nothing in the catalog changed)")
    assert tree_digest(catalog) == before


def test_a_file_that_cannot_be_put_in_place_undoes_the_files_placed_before_it(tmp_path, catalog, monkeypatch):
    """Found by a review: a rename that failed partway (a file made immutable, one another program holds open on a
    network drive) left the files renamed before it in the catalog, said 内部错误, and the same import was then
    refused (E-IMPORT-EXISTS). Here a folder appears where the new item's file goes, after the sheet was checked."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "i.csv").write_text("索引号,标题,所属机关编号,成文日期,发布日期,公开类别\n"
                                    "11220000013544357T/2026-00001,新的标题,demo,2026-03-02,2026-03-06,20-1\n"
                                    "11220000013544357T/2026-00902,第二件,demo,2026-03-02,2026-03-06,20-1\n",
                                    encoding="utf-8")
    loaded = load(Path("catalog"), provisional=False)
    plan = plan_import([Path("i.csv")], loaded.catalog, loaded.calendar,
                       ImportOptions(dt.date(2026, 11, 23), update=True))
    assert plan.errors == [] and [f.action for f in plan.files] == ["更新", "新建"]  # the update is renamed first
    blocked = catalog / "items" / "demo" / "2026" / "2026-00902.md"
    blocked.mkdir(parents=True)
    before = tree_digest(catalog)
    with pytest.raises(ImportNotWritten) as raised:
        write_plan(plan)
    assert raised.value.problem.format().startswith(
        "catalog/items/demo/2026/2026-00902.md:0: E-IMPORT-WRITE 无法写入此文件（")
    assert tree_digest(catalog) == before, "the updated file is put back, and no temporary file is left"
    blocked.rmdir()
    write_plan(plan)
    assert "title: 新的标题\n" in (catalog / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    assert blocked.is_file() and not list(catalog.rglob(".gongkai-import-*")), "the original kept aside is removed"


def test_an_original_that_cannot_be_put_back_is_named_with_where_it_is_and_the_others_are_put_back(
        run, tmp_path, catalog, monkeypatch):
    """Found by a review: when putting back an original failed too, the undo stopped there with 内部错误, the
    originals before it left aside under hidden names that nothing named. Here, as the import is undone, a folder
    appears where the second updated item's original goes back (as one did where the new item's file went)."""
    folder = catalog / "items" / "2026"
    first, second = folder / "notice.md", folder / "second.md"
    new = catalog / "items" / "demo" / "2026" / "2026-00902.md"
    second.write_text(first.read_text(encoding="utf-8").replace("2026-00001", "2026-00002").replace(
        "attachments:\n  - file: annex.txt\n", ""), encoding="utf-8")
    originals = {path: path.read_bytes() for path in (first, second)}
    (tmp_path / "i.csv").write_text("索引号,标题,所属机关编号,成文日期,发布日期,公开类别\n"
                                    "11220000013544357T/2026-00001,新的标题,demo,2026-03-02,2026-03-06,20-1\n"
                                    "11220000013544357T/2026-00002,新的标题,demo,2026-03-02,2026-03-06,20-1\n"
                                    "11220000013544357T/2026-00902,第三件,demo,2026-03-02,2026-03-06,20-1\n",
                                    encoding="utf-8")
    rename = os.replace

    # The system's own rename, once the folder that stops it is there (a read-only folder stops no root user).
    def replace(source, target):
        target = Path(os.path.abspath(target))
        if target == new or (target == second and Path(source).read_bytes() == originals[second]):
            target.unlink(missing_ok=True)
            target.mkdir()
        return rename(source, target)

    monkeypatch.setattr(os, "replace", replace)
    result = run("import", "i.csv", "--update", *TODAY)
    assert result.exit_code == 1 and "内部错误" not in result.output, result.output
    [aside] = list(catalog.rglob(".gongkai-import-*"))
    assert aside.parent == folder and aside.read_bytes() == originals[second]
    assert result.stderr.splitlines() == [
        "错误 (Error): 导入失败：无法写入 catalog/items/demo/2026/2026-00902.md（Is a directory）。撤回时以下文件没能恢复原样，"
        "目录与导入前不同：请按每行所说手工恢复，再重新导入 (the import failed and these files could not be put back: "
        "restore them by hand)：",
        f"  catalog/items/2026/second.md：原文件没能放回（Is a directory），现保存在 catalog/items/2026/{aside.name}："
        "请把它改名移回 catalog/items/2026/second.md（那里如有别的文件或文件夹，先移走）"]
    assert first.read_bytes() == originals[first], "the undo went on past the file it could not put back"


def test_imported_files_get_a_new_files_mode_and_a_replaced_file_keeps_its_own(run, tmp_path, catalog):
    """Found by a review: every file the import wrote was 0600 (tempfile.mkstemp), an appended list file too, so
    that a colleague's account or the build's could not read them."""
    good_powers_workbook(tmp_path / "p.xlsx")
    (tmp_path / "i.csv").write_text(ROWS + "11220000013544357T/2026-00901,甲,demo,2026-03-02,2026-03-06,20-1,a.txt\n",
                                    encoding="utf-8")
    (tmp_path / "a.txt").write_text("附件。", encoding="utf-8")
    powers = catalog / "powers" / "demo.yaml"
    powers.chmod(0o664)
    before = powers.read_bytes()
    umask = os.umask(0o027)
    try:
        result = run("import", "p.xlsx", "i.csv", *TODAY)
    finally:
        os.umask(umask)
    assert result.exit_code == 0, result.output
    assert powers.read_bytes() != before, "the list file was appended to, and so replaced"
    folder = catalog / "items" / "demo"
    modes = {str(path.relative_to(catalog)): oct(path.stat().st_mode & 0o7777)
             for path in (powers, folder, folder / "2026", folder / "2026" / "2026-00901.md", folder / "2026" / "a.txt")}
    assert modes == {"powers/demo.yaml": "0o664", "items/demo": "0o750", "items/demo/2026": "0o750",
                     "items/demo/2026/2026-00901.md": "0o640", "items/demo/2026/a.txt": "0o640"}
