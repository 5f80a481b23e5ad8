"""Reading .xlsx workbooks (openpyxl): every visible sheet's cells and merged ranges.

A workbook that cannot be opened (an old .xls, a damaged file, a file that is not a workbook) is a problem at
the file, never a traceback.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

from ..errors import Problem
from .places import file_problem
from .sheet import EPOCH_1900, EPOCH_1904, Merge, Sheet, UncalculatedFormula, line_ends


def read_workbook(path: Path, shown: str) -> tuple[list[Sheet], list[str], list[Problem]]:
    """The visible sheets of the workbook, the names of hidden ones (not imported: offices hide old copies and
    helper tables there), and the problem that stopped reading, if any."""
    import openpyxl  # a second to import: only the import and export commands need it
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    if path.suffix.lower() == ".xls":
        return [], [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail="这是旧版 .xls 文件",
                                     detail_en="an old .xls file")]
    compound = _compound_file(path)
    if compound:
        return [], [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail=compound[0], detail_en=compound[1])]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation and styles it does not read
            book = openpyxl.load_workbook(path, data_only=True)  # not read-only: that mode has no merged cells
    except Exception as error:  # noqa: BLE001 — a damaged or foreign file can fail anywhere inside openpyxl
        return [], [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail=f"不是有效的 .xlsx 工作簿（{_short(error)}）",
                                     detail_en=f"not an .xlsx workbook ({type(error).__name__})")]
    epoch = EPOCH_1904 if book.epoch == CALENDAR_MAC_1904 else EPOCH_1900
    formulas = _formulas(path, openpyxl) if _has_formulas(path) else {}
    sheets, hidden = [], []
    for index, sheet in enumerate(book.worksheets):
        if sheet.sheet_state != "visible":
            hidden.append(sheet.title)
            continue
        merges = tuple(Merge(r.min_row, r.min_col, r.max_row, r.max_col) for r in sheet.merged_cells.ranges)
        hidden_rows = frozenset(number for number, row in sheet.row_dimensions.items() if row.hidden)
        sheets.append(Sheet(shown, sheet.title, index, _rows(sheet, formulas.get(index, {})), merges, epoch,
                            hidden_rows))
    book.close()
    return sheets, hidden, []


# An .xlsx is a zip archive, but Excel and WPS save one with an open password as an OLE compound file (the format of
# the old .xls) holding the encrypted workbook in a stream of this name; openpyxl then says only "not a zip file".
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # directory entries name streams in UTF-16
_OLD_WORKBOOK_STREAM = "Workbook".encode("utf-16-le")  # where an .xls (Excel 97 and later) keeps its sheets


def _compound_file(path: Path) -> tuple[str, str] | None:
    """What an OLE compound file given as a workbook is, in Chinese and English: a workbook with an open password,
    or an old .xls renamed; None for any other file (openpyxl then says why it cannot read it)."""
    try:
        with path.open("rb") as file:
            if file.read(len(_OLE_SIGNATURE)) != _OLE_SIGNATURE:
                return None
            content = file.read()
    except OSError:
        return None  # openpyxl's own attempt names the reason
    if _ENCRYPTED_STREAM in content:
        return ("工作簿设有打开密码，须先在 Excel 或 WPS 中取消密码"
                "（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）", "the workbook has an open password")
    if _OLD_WORKBOOK_STREAM in content:
        return "这是旧版 .xls 文件（只是扩展名改成了 .xlsx）", "an old .xls file renamed .xlsx"
    return None


# A formula in a worksheet's XML: <f>…</f>, <f t="shared" …/>, or with a namespace prefix (<x:f>).
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet holds a formula: the values read then do not say which cells had no stored result.
    Most offices' sheets hold none, and are read once."""
    try:
        with zipfile.ZipFile(path) as archive:
            return any(_FORMULA.search(archive.read(name)) for name in archive.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (OSError, zipfile.BadZipFile):
        return False  # openpyxl read it: whatever this is, it is not a workbook's formulas


def _formulas(path: Path, openpyxl) -> dict[int, dict[tuple[int, int], str]]:
    """The formulas of each sheet (by index), by cell: read a second time, as written rather than as calculated."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = openpyxl.load_workbook(path)
    found = {index: {key: str(getattr(cell.value, "text", cell.value)) for key, cell in sheet._cells.items()
                     if cell.data_type == "f"}
             for index, sheet in enumerate(book.worksheets)}
    book.close()
    return found


def _rows(sheet, formulas: dict[tuple[int, int], str]) -> tuple[tuple, ...]:
    """The sheet's values up to its last row and column that hold one; a formula's cell without a stored result is
    an ``UncalculatedFormula``. openpyxl keeps the cells it read in ``_cells``; going through them, rather than
    ``iter_rows``, creates no cell for each blank coordinate of a sheet formatted down to row 1,048,576."""
    cells = {key: _value(cell) for key, cell in sheet._cells.items() if cell.value is not None}
    for key, formula in formulas.items():
        # Excel stores a formula whose result is the empty text (=IF(A4="","",A4)) as a text cell without a value:
        # blank. One without a stored result at all is a number cell without one.
        cell = sheet._cells.get(key)
        if cells.get(key) is None and getattr(cell, "data_type", None) not in ("s", "str", "inlineStr"):
            cells[key] = UncalculatedFormula(formula)
    by_row: dict[int, dict[int, object]] = {}
    for (row, column), value in cells.items():
        if not (isinstance(value, str) and not value.strip()):
            by_row.setdefault(row, {})[column] = value
    if not by_row:
        return ()
    # Each row as long as its own last value, like a CSV file's: one stray value typed in XFD1048576 (Ctrl+↓, Ctrl+→)
    # made a rectangle of 17 billion cells, and the import ran out of memory.
    empty = ()
    return tuple(_row(by_row[number]) if number in by_row else empty for number in range(1, max(by_row) + 1))


def _row(values: dict[int, object]) -> tuple:
    cells = [None] * max(values)
    for column, value in values.items():
        cells[column - 1] = value
    return tuple(cells)


# How the file format writes a control character XML cannot hold: _x000D_ is the carriage return of every line break
# pasted from Word or a web page. Only those: openpyxl has already turned an escaped underscore (_x005F_) back, so
# "_x0031_" here is text as typed, not an escaped "1".
_ESCAPED = re.compile(r"_x00([01][0-9A-Fa-f])_")


def _value(cell):
    """The cell's value as Excel shows it: escaped characters decoded and line breaks as \n; an error value (#N/A)
    not taken for text."""
    value = cell.value
    if cell.data_type == "e":
        return UncalculatedFormula("", error=str(value))
    if isinstance(value, str) and "_x" in value:
        value = _ESCAPED.sub(lambda found: chr(int(found[1], 16)), value)
    return line_ends(value) if isinstance(value, str) else value


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text if len(text) <= 60 else text[:57] + "…"
