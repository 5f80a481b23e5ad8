"""Reading .csv files: UTF-8 (with or without the BOM Excel writes), UTF-16 (Excel's "Unicode text") or GB18030
(what Excel and WPS write on Chinese Windows), comma-, semicolon- or tab-separated.

A file that is none of these is a problem at the file, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from pathlib import Path

from ..errors import Problem
from .headers import find_column
from .kinds import KINDS
from .layout import MAX_HEADER_ROWS, SCAN_ROWS
from .places import file_problem
from .sheet import EXCEL_ERRORS, Sheet, UncalculatedFormula, line_ends

# Tried in this order: UTF-8 first, as GB18030 decodes almost any bytes (and UTF-8 Chinese text as nonsense).
ENCODINGS = ("utf-8", "gb18030")
# What the export writes: UTF-8 with the BOM Excel needs to see it as UTF-8, or what old Excel reads.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
# The longest cell read: the csv module's own limit (131,072 characters) refused a long body as malformed CSV. Its
# limit is the module's, for the whole process; nothing else here reads CSV.
MAX_CELL = 1 << 30


def read_csv(path: Path, shown: str) -> tuple[list[Sheet], list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail=error.strerror or "无法读取",
                                 detail_en=error.strerror or "unreadable")]
    text = decode(raw)
    if text is None:
        return [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail="既不是 UTF-8 也不是 GB18030 编码",
                                 detail_en="neither UTF-8 nor GB18030")]
    csv.field_size_limit(MAX_CELL)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except csv.Error as error:
        return [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail=f"CSV 格式错误（{error}）",
                                 detail_en=f"malformed CSV ({error})")]
    cells = tuple(tuple(_cell(cell) for cell in row) for row in rows)
    return [Sheet(shown, None, 0, cells)], []


def _cell(text: str):
    """A CSV cell as a sheet's: None when blank; the text Excel writes for a formula's error is no value; line breaks
    as a workbook's."""
    stripped = text.strip()
    if not stripped:
        return None
    return UncalculatedFormula("", error=stripped) if stripped in EXCEL_ERRORS else line_ends(text)


def decode(raw: bytes) -> str | None:
    """The text of a CSV file, or None when no encoding we know reads it."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


DELIMITERS = (",", "\t", ";")
HEAD = 1 << 16  # characters read to choose the separator: the header is among the first rows, which are short


def _delimiter(text: str) -> str:
    """The separator under which a row where the header may be names the most columns; among equals (no header
    at all), the one the first lines hold most, a comma unless another outnumbers it. Counting alone took a
    comma-separated file whose cells list documents with half-width semicolons (《价格法》;《…办法》) for a
    semicolon-separated one without a header."""
    head = text[:HEAD]
    lines = "\n".join(head.splitlines()[:5])
    return max(DELIMITERS, key=lambda d: (_columns_named(head, d), lines.count(d), d == ","))


def _columns_named(head: str, delimiter: str) -> int:
    """The most columns of one kind that a row where the header may be names, split at ``delimiter``."""
    try:
        rows = list(itertools.islice(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter),
                                     SCAN_ROWS + MAX_HEADER_ROWS))
    except csv.Error:
        return 0  # reading the file with the separator chosen says what is wrong
    return max((sum(find_column(kind, cell) is not None for cell in row) for row in rows for kind in KINDS), default=0)
