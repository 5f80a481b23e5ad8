"""Export the example catalog, import it into a catalog without items, power list and fees: the site built from
it is byte for byte the example's site, and so are the loaded entries and a second export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE, TODAY, gongkai, make_catalog, tree_digest

from builder.model.dates import time_of
from builder.model.load import load_catalog

KINDS = ("items", "powers", "fees")


def empty_catalog(tmp_path):
    """The example's organs, settings, holidays, requests and reports, with no items, powers or fees."""
    target = tmp_path / "empty"
    shutil.copytree(EXAMPLE, target, ignore=lambda folder, names: [n for n in names if folder == str(EXAMPLE)
                                                                    and n in KINDS])
    return target


def entries(catalog_dir):
    """Every item (with its body), power and fee as loaded: everything but where it was read from."""
    catalog, problems = load_catalog(catalog_dir)
    assert [p for p in problems if p.is_error] == []
    skip = {"record", "path", "digest", "body_line"}

    def plain(value):
        if dataclasses.is_dataclass(value) and hasattr(value, "file") and hasattr(value, "path"):  # an attachment
            return value.file, value.title, Path(value.path).name, Path(value.path).read_bytes()
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skip}
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return value

    items = sorted((plain(i) | {"body": i.body.strip()} for i in catalog.items if i.path.endswith(".md")),
                   key=lambda i: i["index_no"])
    return items, [plain(p) for p in catalog.powers], [plain(f) for f in catalog.fees]


def cells(path):
    book = openpyxl.load_workbook(path)
    return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("roundtrip")
    exported = gongkai("export", str(tmp_path / "目录.xlsx"))
    assert exported.returncode == 0, exported.stderr
    catalog = empty_catalog(tmp_path)
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    return tmp_path, catalog


def test_the_imported_catalog_builds_the_same_site(imported, example_site):
    tmp_path, catalog = imported
    site = tmp_path / "site"
    built = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert built.returncode == 0, built.stderr
    assert tree_digest(site) == tree_digest(example_site)


def test_the_imported_catalog_loads_the_same_entries(imported):
    _, catalog = imported
    assert entries(catalog) == entries(EXAMPLE)


def test_exporting_the_imported_catalog_gives_the_same_workbook(imported):
    tmp_path, catalog = imported
    again = gongkai("export", str(tmp_path / "again.xlsx"), "--catalog", str(catalog))
    assert again.returncode == 0, again.stderr
    first, second = cells(tmp_path / "目录.xlsx"), cells(tmp_path / "again.xlsx")
    for sheet in first:  # items may come in another order: the files have other names
        again_rows = [str(row).replace("again.files/", "目录.files/") for row in second[sheet]]
        assert sorted(map(str, first[sheet])) == sorted(again_rows), sheet


def test_csv_files_in_gb18030_round_trip_too(tmp_path):
    catalog = empty_catalog(tmp_path)
    files = []
    for kind in ("fees", "powers", "items"):  # powers name fees: fees first, as staff would
        path = tmp_path / f"{kind}.csv"
        result = gongkai("export", str(path), "--kind", kind, "--encoding", "gb18030")
        assert result.returncode == 0, result.stderr
        files.append(str(path))
    result = gongkai("import", *files, "--catalog", str(catalog), "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert entries(catalog) == entries(EXAMPLE)


def test_export_edit_and_update_rewrites_only_what_was_edited(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE, catalog)
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog)).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "目录.xlsx")
    items, powers = book["公开事项"], book["权力清单"]
    item_headers = [c.value for c in items[1]]
    row = next(r for r in items.iter_rows(min_row=2) if r[0].value == "11220000013544357T/2014-00026")
    row[item_headers.index("内容概述")].value = "修改后的内容概述。"
    power_headers = [c.value for c in powers[1]]
    power = next(r for r in powers.iter_rows(min_row=2) if r[0].value == "JL-XK-0002")
    power[power_headers.index("承诺时限")].value = 4
    book.save(tmp_path / "目录.xlsx")
    before = tree_digest(catalog)
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    after = tree_digest(catalog)
    assert sorted(k for k in after if after[k] != before.get(k)) == ["items/jilin-province/2014/jizhengfa-2014-26.md",
                                                                    "powers/jilin-province.yaml"]
    item = (catalog / "items/jilin-province/2014/jizhengfa-2014-26.md").read_text(encoding="utf-8")
    assert item.startswith("---\n# 索引号序号为示例编制") and "summary: 修改后的内容概述。\n" in item
    assert item.endswith((EXAMPLE / "items/jilin-province/2014/jizhengfa-2014-26.md").read_text(encoding="utf-8")
                         .split("\n---\n", 1)[1])  # the body as it was
    def blocks(path):  # the file's text, entry by entry (the comments above the first one as their own block)
        return path.read_text(encoding="utf-8").split("\n- id: ")

    old, new = blocks(EXAMPLE / "powers/jilin-province.yaml"), blocks(catalog / "powers/jilin-province.yaml")
    assert [i for i, (a, b) in enumerate(zip(old, new)) if a != b] == [2] and len(old) == len(new)
    assert new[2].startswith("JL-XK-0002\n") and "\n  promised_limit: 4\n" in new[2]
    validated = gongkai("validate", "--catalog", str(catalog), "--today", TODAY)
    assert validated.returncode == 0, validated.stdout


# What a cell cannot say as the import reads it back: attachments' subfolders, a record field of
# several lines, a list entry holding a separator, an empty list, a time of 00:00, a comment inside front matter.
HARD_ITEM = """---
index_no: 11220000013544357T/2014-00900
title: 关于往返导出的测试通知
organ: jilin-province
written: 2014-07-11
published: 2014-09-20 00:00
category: 20-1
# 主题词由办公室核定
keywords: [高新 技术, 依法行政]
topics: []
summary: |
  第一段。

  第二段。
changes:
  - changed: 2014-10-08
    published: 2014-10-09
    note: |-
      第一行说明
      第二行说明
attachments:
  - file: 附件/说明.txt
    title: 说明（一）
  - file: 旧版/旧说明.txt
    title: 说明（二）
---

正文。
"""


def hard_catalog(tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(EXAMPLE, catalog)
    folder = catalog / "items/jilin-province/2014"
    (folder / "round-trip.md").write_text(HARD_ITEM, encoding="utf-8")
    for name, text in (("附件/说明.txt", "一"), ("旧版/旧说明.txt", "二")):
        (folder / name).parent.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
    return catalog


def exported_hard_row(tmp_path):
    """The hard catalog exported to 目录.xlsx: the catalog, the workbook, the hard item's row and the headers."""
    catalog = hard_catalog(tmp_path)
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog)).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "目录.xlsx")
    items = book["公开事项"]
    headers = [c.value for c in items[1]]
    row = next(r for r in items.iter_rows(min_row=2) if r[0].value == "11220000013544357T/2014-00900")
    return catalog, book, row, headers


@pytest.mark.parametrize("name, args", [("目录.xlsx", ()), ("公开事项.csv", ("--kind", "items", "--encoding", "gb18030"))])
def test_an_unchanged_sheet_imported_with_update_changes_no_file(tmp_path, name, args):
    catalog = hard_catalog(tmp_path)
    assert gongkai("export", str(tmp_path / name), "--catalog", str(catalog), *args).returncode == 0
    before = tree_digest(catalog)
    result = gongkai("import", str(tmp_path / name), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(catalog) == before


def test_an_edited_row_keeps_what_its_unchanged_cells_cannot_say(tmp_path):
    """Only the edited cell changes the file, in its own line: the other fields stay as the file stated them, its
    comments stay, and an attachment whose file was replaced beside the workbook replaces the item's own, in its
    subfolder."""
    catalog, book, row, headers = exported_hard_row(tmp_path)
    row[headers.index("标题")].value = "关于往返导出的测试通知（修订）"
    book.save(tmp_path / "目录.xlsx")
    exported = next((tmp_path / "目录.files").rglob("旧版/旧说明.txt"))
    exported.write_text("二（新版）", encoding="utf-8")
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = catalog / "items/jilin-province/2014"
    text = (folder / "round-trip.md").read_text(encoding="utf-8")
    # Only the edited key's line changes: the comment between keys and every other line stay as written.
    assert text == HARD_ITEM.replace("title: 关于往返导出的测试通知\n", "title: 关于往返导出的测试通知（修订）\n")
    loaded, problems = load_catalog(catalog)
    assert [p for p in problems if p.is_error] == []
    item = next(i for i in loaded.items if i.index_no == "11220000013544357T/2014-00900")
    assert item.keywords == ("高新 技术", "依法行政")
    assert item.topics == ()
    assert time_of(item.published) == dt.time(0, 0)  # a stated time, kept
    assert [c.note for c in item.changes] == ["第一行说明\n第二行说明"]
    assert [(a.file, a.title) for a in item.attachments] == [("附件/说明.txt", "说明（一）"), ("旧版/旧说明.txt", "说明（二）")]
    assert (folder / "附件/说明.txt").read_text(encoding="utf-8") == "一"
    assert (folder / "旧版/旧说明.txt").read_text(encoding="utf-8") == "二（新版）"
    assert not (folder / "说明.txt").exists() and not (folder / "旧说明.txt").exists()


def test_an_edited_attachments_cell_keeps_the_subfolders_of_the_exported_files(tmp_path):
    """An attachment named in the item's folder of the export's files keeps the subfolder it has there, which is the
    item's own: retitling one attachment does not move the others beside the item."""
    catalog, book, row, headers = exported_hard_row(tmp_path)
    cell = row[headers.index("附件")]
    assert "| 说明（二）" in cell.value
    cell.value = cell.value.replace("| 说明（二）", "| 说明（二，修订）")
    book.save(tmp_path / "目录.xlsx")
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    loaded, problems = load_catalog(catalog)
    assert [p for p in problems if p.is_error] == []
    item = next(i for i in loaded.items if i.index_no == "11220000013544357T/2014-00900")
    assert [(a.file, a.title) for a in item.attachments] == [("附件/说明.txt", "说明（一）"),
                                                              ("旧版/旧说明.txt", "说明（二，修订）")]
    folder = catalog / "items/jilin-province/2014"
    assert not (folder / "说明.txt").exists() and not (folder / "旧说明.txt").exists()


def test_a_copy_left_as_exported_never_undoes_a_newer_file_in_the_catalog(tmp_path):
    """The export records what each copy was: a copy left as it was is not copied back over the catalog's file,
    which may have changed since; when both changed, the import says so and writes nothing."""
    catalog = hard_catalog(tmp_path)
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog)).returncode == 0
    newer = catalog / "items/jilin-province/2014/附件/说明.txt"
    newer.write_text("一（目录中的新版）", encoding="utf-8")
    args = ("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    before = tree_digest(catalog)
    result = gongkai(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(catalog) == before
    next((tmp_path / "目录.files").rglob("附件/说明.txt")).write_text("一（表格旁的新版）", encoding="utf-8")
    result = gongkai(*args)
    assert result.returncode == 1 and "E-IMPORT-ATTACHMENT-CONFLICT" in result.stdout + result.stderr
    assert tree_digest(catalog) == before


def test_a_renamed_sheet_finds_its_export_by_the_record_in_its_folder_of_files(tmp_path):
    """A workbook saved under another name still names its export's files: the record they hold keeps the items'
    subfolders and says which copies staff replaced (none here), so a newer file in the catalog stays."""
    catalog = hard_catalog(tmp_path)
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog)).returncode == 0
    shutil.copyfile(tmp_path / "目录.xlsx", tmp_path / "目录 (1).xlsx")
    (catalog / "items/jilin-province/2014/附件/说明.txt").write_text("一（目录中的新版）", encoding="utf-8")
    before = tree_digest(catalog)
    result = gongkai("import", str(tmp_path / "目录 (1).xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_digest(catalog) == before


def test_an_export_made_before_2026_12_01_finds_its_items_folders_of_files(tmp_path):
    """Found by a review: exports made before slug kept Chinese characters named 财政局/2026-00001's folder of files
    ____2026-00001; the import looked for 财政局_2026-00001, found no record of the copy there, and the copy left as
    exported replaced the catalog's newer attachment."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(notice.read_text(encoding="utf-8").replace("11220000013544357T/", "财政局/"), encoding="utf-8")
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--kind", "items").returncode == 0
    files = tmp_path / "目录.files"
    record = json.loads((files / ".gongkai-export.json").read_text(encoding="utf-8"))
    assert record["folders"] == {"财政局/2026-00001": "财政局_2026-00001"}, "which folder holds which item's files"
    # The export as the release before 2026-12-01 made it: the folder, the cells naming it, a record of digests alone.
    (files / "财政局_2026-00001").rename(files / "____2026-00001")
    (files / ".gongkai-export.json").write_text(json.dumps({"____2026-00001/annex.txt": record["files"][
        "财政局_2026-00001/annex.txt"]}), encoding="utf-8")
    book = openpyxl.load_workbook(tmp_path / "目录.xlsx")
    sheet = book["公开事项"]
    headers = [cell.value for cell in sheet[1]]
    cell = sheet[2][headers.index("附件")]
    assert cell.value == "目录.files/财政局_2026-00001/annex.txt"
    cell.value = "目录.files/____2026-00001/annex.txt"
    book.save(tmp_path / "目录.xlsx")
    (catalog / "items" / "2026" / "annex.txt").write_text("目录中改过的新版本", encoding="utf-8")
    args = ("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    before = tree_digest(catalog)
    result = gongkai(*args)
    assert result.returncode == 0 and "文件：无" in result.stderr, result.stdout + result.stderr
    assert tree_digest(catalog) == before
    cell.value += " | 附件（改了标题）"  # the cell edited: its copy, as exported, is still found in that folder
    book.save(tmp_path / "目录.xlsx")
    result = gongkai(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (catalog / "items" / "2026" / "annex.txt").read_text(encoding="utf-8") == "目录中改过的新版本"
    assert "  - file: annex.txt\n    title: 附件（改了标题）\n" in notice.read_text(encoding="utf-8")


def test_a_damaged_record_of_the_export_is_no_record(tmp_path):
    catalog = hard_catalog(tmp_path)
    assert gongkai("export", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog)).returncode == 0
    (tmp_path / "目录.files" / ".gongkai-export.json").write_text("[" * 100_000, encoding="utf-8")
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--dry-run",
                     "--today", TODAY)
    assert result.returncode == 0 and "内部错误" not in result.stderr, result.stdout + result.stderr


def test_without_the_record_of_the_export_its_folder_still_keeps_subfolders(tmp_path):
    """An export from before the record, or a record lost on the way (a zip tool dropping dot files): the folder the
    workbook's name gives still keeps the items' subfolders."""
    catalog, book, row, headers = exported_hard_row(tmp_path)
    (tmp_path / "目录.files" / ".gongkai-export.json").unlink()
    cell = row[headers.index("附件")]
    cell.value = cell.value.replace("| 说明（二）", "| 说明（二，修订）")
    book.save(tmp_path / "目录.xlsx")
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    loaded, _ = load_catalog(catalog)
    item = next(i for i in loaded.items if i.index_no == "11220000013544357T/2014-00900")
    assert [a.file for a in item.attachments] == ["附件/说明.txt", "旧版/旧说明.txt"]


def imported_with_one_more_attachment(tmp_path, name: str, make) -> Path:
    """The hard catalog exported, ``make(folder)`` run in its item's folder of the export's files, the attachment
    ``name`` there added to its 附件 cell, and the workbook imported again: the item's folder in the catalog."""
    catalog, book, row, headers = exported_hard_row(tmp_path)
    folder = next((tmp_path / "目录.files").glob("*2014-00900"))
    make(folder)
    row[headers.index("附件")].value += f"\n目录.files/{folder.name}/{name} | 又一个附件"
    book.save(tmp_path / "目录.xlsx")
    result = gongkai("import", str(tmp_path / "目录.xlsx"), "--catalog", str(catalog), "--update", "--today", TODAY)
    assert result.returncode == 0, result.stdout + result.stderr
    return catalog / "items/jilin-province/2014"


def test_a_link_to_a_markdown_file_is_named_as_the_link_is(tmp_path):
    """The name written in the cell names the attachment, not where a symbolic link points: a link to a .md file
    never becomes an item file."""
    def make(folder):
        (folder / "evil.md").write_text("---\ntitle: 不是公开事项\n---\n", encoding="utf-8")
        (folder / "链接.txt").symlink_to("evil.md")

    items = imported_with_one_more_attachment(tmp_path, "链接.txt", make)
    assert not (items / "evil.md").exists() and (items / "链接.txt").is_file()
    assert gongkai("validate", "--catalog", str(items.parents[2]), "--today", TODAY).returncode == 0


def test_a_hidden_folder_of_the_export_is_not_carried_into_the_catalog(tmp_path):
    def make(folder):
        (folder / ".隐藏").mkdir()
        (folder / ".隐藏" / "附录.txt").write_text("附录", encoding="utf-8")

    items = imported_with_one_more_attachment(tmp_path, ".隐藏/附录.txt", make)
    assert not (items / ".隐藏").exists() and (items / "附录.txt").read_text(encoding="utf-8") == "附录"
