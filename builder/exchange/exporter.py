"""`gongkai export`: the catalog's items, power list and fee list as an .xlsx workbook or a .csv file.

A workbook has one sheet per kind (公开事项, 权力清单, 收费目录), the columns of ``headers`` under their Chinese
titles, dates as real dates and lists a line each; `gongkai import` reads it back unchanged. Values are written
as the files say them (a field a file leaves out stays blank, even when the site shows a default). Attachments,
and bodies too long for a cell, are copied into a folder beside the workbook (<name>.files/) that the cells
name, as the import expects.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath

from search.hashing import file_digest

from ..errors import GongkaiError, already_there, display_path
from ..model.catalog import Attachment, Catalog, Item
from ..model.dates import time_of
from ..model.fields import DATE, Record
from ..site.urls import MAX_NAME_BYTES, slug
from .headers import BODY, BODY_FILE, Column, columns
from .kinds import KINDS, Kind
from .values import cell_text, join_record
from .yamlfile import date_text, normalize_body

CELL_LIMIT = 32_767  # characters Excel keeps in a cell


@dataclasses.dataclass(frozen=True)
class ExportResult:
    path: Path
    counts: dict[str, int]  # rows by kind
    copied: int  # files in the .files/ folder


class ExportFailed(GongkaiError):
    pass


def export(catalog: Catalog, path: Path, kinds: tuple[str, ...] = tuple(KINDS), encoding: str = "utf-8-sig",
           overwrite: bool = False) -> ExportResult:
    """Writes ``kinds`` of ``catalog`` to ``path`` (.xlsx: one sheet each; .csv: exactly one kind)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ExportFailed(f"{display_path(path)}：只能导出为 .xlsx 或 .csv 文件 (export to .xlsx or .csv)")
    if suffix == ".csv" and len(kinds) != 1:
        raise ExportFailed("CSV 文件只能容纳一种数据：请用 --kind items、powers 或 fees 指定 (a CSV file holds one kind)")
    files = files_folder(path)
    if not overwrite:
        taken = [p for p in (path, files) if p.exists()]
        if taken:
            raise ExportFailed(already_there(taken[0]))
    if "items" in kinds:
        _check_folder_names(catalog)
    if files.exists():
        shutil.rmtree(files)
    sheets = _Sheets(catalog, files, path.parent, excel=suffix == ".xlsx")
    try:
        tables = {kind: sheets.table(KINDS[kind]) for kind in kinds}
        if sheets.too_long:
            raise ExportFailed("以下内容超过 Excel 一个单元格能容纳的长度，没有导出 (too long for a cell: nothing exported)：\n"
                               + "\n".join(sheets.too_long))
    except ExportFailed:
        shutil.rmtree(files, ignore_errors=True)  # the copies made so far: a next export would find it taken
        raise
    if sheets.exported:
        record = {"folders": sheets.folders, "files": sheets.exported}
        (files / EXPORTED).write_text(json.dumps(record, ensure_ascii=False, indent=0, sort_keys=True),
                                      encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        _write_workbook(path, tables)
    else:
        _write_csv(path, next(iter(tables.values())), encoding)
    return ExportResult(path, {kind: len(rows) for kind, (_, rows) in tables.items()}, sheets.copied)


def _check_folder_names(catalog: Catalog) -> None:
    """Refuses items whose 索引号 is too long for the name of their folder of files (named by its slug, a Chinese
    character 3 bytes): the system cannot write it, and the export stopped half done. An item that needs no folder
    is only a row, which any 索引号 fits. Only the bodies of those too long are read here: the export reads every
    body once, for its row."""
    problems = [item.record.at("index_no").problem("E-URL-TOO-LONG", what="索引号", what_en="index number",
                                                   found=item.index_no, size=size, limit=MAX_NAME_BYTES)
                for item in _items(catalog)
                if (size := len(slug(item.index_no).encode())) > MAX_NAME_BYTES and _needs_folder(item)]
    if problems:
        raise ExportFailed("以下公开事项的索引号太长，无法用作文件夹名称，没有导出：请先修正（gongkai validate） "
                           "(index numbers too long for a folder name: nothing exported)：\n"
                           + "\n".join(p.format() for p in problems))


def _items(catalog: Catalog) -> list[Item]:
    """The items the export writes: not the reports' own."""
    return [i for i in catalog.items if i.path.endswith(".md")]


def _needs_folder(item: Item) -> bool:
    """Whether the export makes ``item`` a folder of files: for its attachments' copies, or its body's file."""
    return bool(item.attachments) or _body_in_file(normalize_body(item.body))


class _Sheets:
    """The rows of each kind; attachments and long bodies copied into ``files`` as they are met."""

    def __init__(self, catalog: Catalog, files: Path, base: Path, excel: bool) -> None:
        self.catalog = catalog
        self.excel = excel  # a workbook cannot hold the control characters a CSV file can
        self.files = files
        self.base = base  # cells name copied files relative to the workbook's folder
        self.copied = 0
        self.exported: dict[str, str] = {}  # an attachment's copy, inside ``files`` → the digest of its bytes
        self.folders: dict[str, str] = {}  # an item's 索引号 → its folder inside ``files``
        self.too_long: list[str] = []  # a line for each cell but a body's that no cell can hold (``_check_length``)

    def table(self, kind: Kind) -> tuple[tuple[Column, ...], list[list]]:
        cols = columns(kind.name)
        if kind.is_items:
            entries = _items(self.catalog)
        else:
            entries = self.catalog.powers if kind.name == "powers" else self.catalog.fees
        return cols, [self._row(kind, entry, cols) for entry in entries]

    def _row(self, kind: Kind, entry, cols: tuple[Column, ...]) -> list:
        values = entry.record.values
        folder = slug(entry.index_no if kind.is_items else entry.id)
        body = normalize_body(entry.body) if kind.is_items else ""
        row = []
        for column in cols:
            if column.role == BODY:
                row.append(None if _body_in_file(body) else body or None)
            elif column.role == BODY_FILE:
                row.append(self._write(f"{folder}/正文.md", body) if _body_in_file(body) else None)
            elif column.key == "attachments" and kind.is_items:
                for attachment in entry.attachments:
                    self._copy(entry, attachment)
                if entry.attachments:
                    self.folders[entry.index_no] = folder
                row.append(attachments_cell(entry, self.files.relative_to(self.base).as_posix()))
            else:
                row.append(cell_value(column, values))  # no control character: fields.read drops them
            if column.role not in (BODY, BODY_FILE):
                self._check_length(entry, column, row[-1])
        return row

    def _check_length(self, entry, column: Column, value) -> None:
        """Notes a cell longer than a workbook's cell holds: Excel and openpyxl cut it without a word, and importing
        the sheet back with --update would cut the catalog's text. A body goes to a file beside the workbook
        instead; no other field has a column for one, and a text that long in it is a body pasted in the wrong place.
        A CSV file is opened in Excel, and cut there: the same limit."""
        if isinstance(value, str) and len(value) > CELL_LIMIT:
            where = entry.record.at(column.path[0]) if column.path[0] in entry.record.values else entry.record.where
            self.too_long.append(f"{where!r}: “{column.header}”有 {len(value)} 个字符，超过 Excel 一个单元格最多能容纳的 "
                                 f"{CELL_LIMIT} 个，导出后会被截断：请缩短它（长篇内容请写入正文）后重新导出 "
                                 f"({column.key} has {len(value)} characters, more than a cell holds)")

    def _copy(self, item: Item, attachment: Attachment) -> None:
        inside = exported_attachment(item, attachment)
        target = self.files / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(attachment.path, target)
        self.exported[inside.as_posix()] = file_digest(target)
        self.copied += 1

    def _write(self, name: str, text: str) -> str:
        target = self.files / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text + "\n", encoding="utf-8")
        self.copied += 1
        return target.relative_to(self.base).as_posix()


# In the folder of files: each attachment's copy and the digest of its bytes when exported, so that the import can
# tell a copy replaced by staff from one left as it was (which must not undo a newer file in the catalog), and the
# folder of each item's copies, so that the import finds them however the folders are named by then.
EXPORTED = ".gongkai-export.json"


@dataclasses.dataclass(frozen=True)
class ExportRecord:
    """What ``EXPORTED`` says: nothing when it is missing or damaged; no folders when made before 2026-12-01."""

    digests: dict[str, str] = dataclasses.field(default_factory=dict)  # a copy inside the folder of files → digest
    folders: dict[str, str] | None = None  # an item's 索引号 → its folder inside the folder of files

    def item_folders(self, index_no: str) -> list[str]:
        """The folders that may hold the copies of the item ``index_no``: the one the record names; without a
        record of folders, the one the item's slug names now or named before 2026-12-01."""
        if self.folders is not None:  # an item that had no attachments then has the folder an export makes now
            return [self.folders.get(index_no, slug(index_no))]
        return list(dict.fromkeys((slug(index_no), _folder_before_2026_12_01(index_no))))


def export_record(files: Path) -> ExportRecord:
    """What ``EXPORTED`` in the folder of files ``files`` says."""
    try:
        found = json.loads((files / EXPORTED).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # a record damaged or made by hand is no record
        return ExportRecord()
    if not isinstance(found, dict):
        return ExportRecord()
    if isinstance(found.get("files"), dict) and isinstance(found.get("folders"), dict):
        return ExportRecord(_texts(found["files"]), _texts(found["folders"]))
    return ExportRecord(_texts(found))  # made before 2026-12-01: the digests alone


def _texts(found: dict) -> dict[str, str]:
    return {k: v for k, v in found.items() if isinstance(k, str) and isinstance(v, str)}


# Exports made before 2026-12-01 named an item's folder of files by slug as it was then: every character but an
# ASCII letter, a digit, a dot or a dash made _ (财政局/2026-00001: ____2026-00001). Their copies are found there.
_NOT_IN_FOLDER_BEFORE_2026_12_01 = re.compile(r"[^0-9A-Za-z.\-]")


def _folder_before_2026_12_01(index_no: str) -> str:
    return _NOT_IN_FOLDER_BEFORE_2026_12_01.sub("_", index_no)


def files_folder(path: Path) -> Path:
    """The folder beside the workbook (or CSV file) ``path`` into which its attachments and long bodies go."""
    return path.with_name(path.name.rsplit(".", 1)[0] + ".files")


def exported_attachment(item: Item, attachment: Attachment, folder: str | None = None) -> PurePosixPath:
    """Where the export copies an item's attachment, inside its folder of files: in the item's own folder there
    (``folder``; by default the one the export makes now), and in the subfolder the item names (附件/说明.txt and
    旧版/说明.txt are two files)."""
    inside = PurePosixPath(attachment.file.replace("\\", "/"))
    relative = inside if not inside.is_absolute() and ".." not in inside.parts else \
        PurePosixPath(os.path.basename(attachment.path))
    return PurePosixPath(folder or slug(item.index_no)) / relative


def attachments_cell(item: Item, files: str, folder: str | None = None) -> str | None:
    """What the export writes in an item's 附件 cell: each attachment's copy (``files``: the folder of files, as
    the workbook's folder names it; ``folder``: the item's there) and title, a line each."""
    return "\n".join(join_record([f"{files}/{exported_attachment(item, a, folder).as_posix()}",
                                  a.record.get("title", "")]) for a in item.attachments) or None


def cell_value(column: Column, values: dict):
    """What the export writes in ``column``'s cell for an entry whose file says ``values`` (not the 附件 cell,
    which names copies: ``attachments_cell``)."""
    return _cell(column, _value(values, column.path))


def cell_texts(value) -> set[str]:
    """A cell's value as a workbook gives it back (``cell_text``) and as a CSV file writes it: a cell holding
    either still says what the export wrote."""
    return {cell_text(value), _text(value)} if value is not None else {""}


def _value(values: dict, path: tuple[str, ...]):
    value = values.get(path[0])
    if len(path) > 1:
        value = value.values.get(path[1]) if isinstance(value, Record) else None
    return value


def _cell(column: Column, value):
    """A field's value as a cell: dates as dates, lists a line each (不收费 for a list known to be empty),
    records a line each (fields joined by |)."""
    if value is None:
        return None
    if column.records is not None:
        return "\n".join(join_record([_text(r.values.get(f.key)) for f in column.records.fields])
                         for r in value) or None
    if column.field.many:
        if not value:
            return column.none_words[0] if column.none_words else None
        return "\n".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date) and (time := time_of(value)) is not None:
        return dt.datetime.combine(value, time)
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


def _body_in_file(body: str) -> bool:
    """Whether a body (normalized) goes to a file in its item's folder of files rather than in its cell: too long
    for one, or holding a character Excel cannot (a body is kept as typed)."""
    return len(body) > CELL_LIMIT or bool(_EXCEL_CANNOT_HOLD.search(body))


# What openpyxl refuses to write (its ILLEGAL_CHARACTERS_RE, copied: importing it for every cell cost seconds at
# 100,000 items, and openpyxl loads for export alone).
_EXCEL_CANNOT_HOLD = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def _write_workbook(path: Path, tables: dict) -> None:
    import openpyxl  # a second to import: only the import and export commands need it
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for kind, (cols, rows) in tables.items():
        sheet = book.create_sheet(KINDS[kind].label)
        sheet.append([c.header for c in cols])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = wrap
        for row in rows:  # their characters checked as the rows were made (``_Sheets._row``)
            sheet.append(row)
        for number, column in enumerate(cols, start=1):
            letter = get_column_letter(number)
            if column.role == "field" and column.field.kind == DATE:
                for cell in sheet[letter][1:]:
                    cell.number_format = "yyyy-mm-dd hh:mm" if isinstance(cell.value, dt.datetime) else "yyyy-mm-dd"
            sheet.column_dimensions[letter].width = _width(column)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = wrap
                if cell.data_type == "f":  # text that starts with "=" (=== 第一部分 ===) is text, not a formula
                    cell.data_type = "s"
        sheet.freeze_panes = "A2"
    book.save(path)


def _width(column: Column) -> int:
    if column.role == BODY or column.key in ("title", "summary", "name", "basis", "attachments"):
        return 40
    if column.role == "field" and column.field.kind == DATE:
        return 12
    return max(10, min(24, 2 * len(column.header) + 2))


def _write_csv(path: Path, table, encoding: str) -> None:
    cols, rows = table
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in cols])
    writer.writerows([[_text(v) for v in row] for row in rows])
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as error:
        raise ExportFailed(f"“{error.object[error.start:error.end]}”无法用 {encoding} 编码：请改用 UTF-8 "
                           f"(cannot encode in {encoding})") from None
    path.write_bytes(data)
