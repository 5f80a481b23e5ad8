"""Finding a sheet's header and kind, and its data rows as staff see them.

Offices' sheets rarely start at A1: a title row (吉林省人民政府权力清单) sits above the header, headers span two
rows under merged cells (废止 over 日期 and 文号), blank rows and section rows (一、行政许可) separate groups, and
merged cells hold one value for several rows (实施主体). The header is the block of up to three rows, among the
first twenty, whose cells name the most columns of one kind; merged cells count in every row and column they
cover. Below it, a cell merged down several rows gives its value to each of them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from .headers import Column, find_column, not_imported
from .kinds import KINDS
from .sheet import Sheet, UncalculatedFormula

SCAN_ROWS = 20  # where the header may start
MAX_HEADER_ROWS = 3
MIN_COLUMNS = 2  # a header names at least two columns of its kind


@dataclasses.dataclass(frozen=True)
class Unplaced:
    """A column that is not imported: its header matches no column of the kind (reason None), or is one the
    catalog has no field for (序号, 有效性)."""

    column: int  # 1-based
    header: str  # "" for a column with data and no header
    reason: str | None


@dataclasses.dataclass(frozen=True)
class Layout:
    kind: str
    first_row: int  # of the header, 1-based
    last_row: int
    columns: tuple[tuple[int, Column], ...]  # (1-based column number, its column), left to right
    headers: tuple[tuple[int, str], ...]  # the header text of each column as written (for messages)
    unplaced: tuple[Unplaced, ...] = ()
    twice: tuple[tuple[int, int], ...] = ()  # (column, the earlier column of the same field): not imported

    def header_of(self, number: int) -> str:
        return dict(self.headers).get(number, "")


@dataclasses.dataclass(frozen=True)
class NoHeader:
    """No block of rows names columns of any kind (or, with ``kinds`` of more than one, equally of several)."""

    kinds: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class DataRow:
    number: int
    cells: tuple  # after merged cells are filled down; as wide as the sheet


@dataclasses.dataclass(frozen=True)
class SkippedRow:
    """A row with content that is not an entry: a section row (一、行政许可), a total row (合计 … 共2条) or the header
    repeated."""

    number: int
    text: str
    repeated_header: bool = False
    total: bool = False

    @property
    def code(self) -> str:
        """What the import says of it (a repeated header: nothing)."""
        return "W-IMPORT-ROW-TOTAL" if self.total else "W-IMPORT-ROW-SKIPPED"


def find_layout(sheet: Sheet, kind: str | None = None) -> Layout | NoHeader:
    """The header of ``sheet`` (of ``kind`` when given, else of the kind it names best)."""
    kinds = (kind,) if kind else tuple(KINDS)
    width = sheet.width
    grid = _filled_header_rows(sheet, min(len(sheet.rows), SCAN_ROWS + MAX_HEADER_ROWS - 1), width)
    best: tuple[int, int, int] | None = None  # (score, -depth, -top): larger is better
    found: dict[tuple[int, int], dict[str, int]] = {}
    for top in range(min(len(grid), SCAN_ROWS)):
        for depth in range(1, MAX_HEADER_ROWS + 1):
            if top + depth > len(grid):
                break
            block = grid[top:top + depth]
            scores = {k: len({c.key for c in _match(k, block, width)[0].values()}) for k in kinds}
            found[(top, depth)] = scores
            score = max(scores.values())
            if score >= MIN_COLUMNS and (best is None or (score, -depth, -top) > best):
                best = (score, -depth, -top)
    if best is None:
        return NoHeader()
    score, depth, top = best[0], -best[1], -best[2]
    # The rows above that name columns themselves belong to the header too (办理时限 over 法定时限 and 承诺时限,
    # with the other headers merged down both rows): problems with the header are shown at its first row.
    while depth < MAX_HEADER_ROWS and top > 0 and found.get((top - 1, 1), {}).get(_leader(found[(top, depth)]), 0) \
            and (top - 1, depth + 1) in found and max(found[(top - 1, depth + 1)].values()) == score:
        top, depth = top - 1, depth + 1
    leaders = tuple(k for k, s in found[(top, depth)].items() if s == score)
    if len(leaders) > 1:
        return NoHeader(leaders)
    chosen = leaders[0]
    matched, texts = _match(chosen, grid[top:top + depth], width)
    columns, twice, seen = [], [], {}
    for number in sorted(matched):
        column = matched[number]
        if column.key in seen:
            twice.append((number, seen[column.key]))
        else:
            seen[column.key] = number
            columns.append((number, column))
    last_row = top + depth
    filled_columns = _columns_with_data(sheet, last_row)
    unplaced = []
    for number in range(1, width + 1):
        if number in matched:
            continue
        header = "/".join(texts.get(number, ()))
        if header or number in filled_columns:
            reason = next((r for t in texts.get(number, ()) if (r := not_imported(t))), None)
            unplaced.append(Unplaced(number, header, reason))
    headers = tuple((n, "/".join(t)) for n, t in sorted(texts.items()))
    return Layout(chosen, top + 1, last_row, tuple(columns), headers, tuple(unplaced), tuple(twice))


def _leader(scores: dict[str, int]) -> str:
    return max(scores, key=lambda k: scores[k])


def _filled_header_rows(sheet: Sheet, height: int, width: int) -> list[list]:
    """The first ``height`` rows with every merged range's value in each cell it covers."""
    grid = [list(row) + [None] * (width - len(row)) for row in sheet.rows[:height]]
    for merge in sheet.merges:
        if merge.first_row > height or merge.first_column > width:
            continue  # merged blank cells beyond the values
        value = grid[merge.first_row - 1][merge.first_column - 1]
        for row in range(merge.first_row, min(merge.last_row, height) + 1):
            for column in range(merge.first_column, min(merge.last_column, width) + 1):
                grid[row - 1][column - 1] = value
    return grid


def _match(kind: str, block: list[list], width: int) -> tuple[dict[int, Column], dict[int, tuple[str, ...]]]:
    """The column each header cell names (1-based column → column), and each column's header texts, top down.
    Two rows naming a column together come first (废止 over 文号 is 废止文号, not 文号); else the lowest row that
    names one (办理时限 over 法定时限)."""
    matched: dict[int, Column] = {}
    texts: dict[int, tuple[str, ...]] = {}
    for index in range(width):
        stack: list[str] = []
        for row in block:
            value = row[index]
            if value is not None and str(value).strip() and (not stack or stack[-1] != str(value).strip()):
                stack.append(str(value).strip())
        if not stack:
            continue
        texts[index + 1] = tuple(stack)
        pairs = [(a, b) for i, a in enumerate(stack) for b in stack[i + 1:]]
        column = next((c for a, b in pairs if (c := find_column(kind, a + b) or find_column(kind, b + a))), None)
        if column is None:
            column = next((c for t in reversed(stack) if (c := find_column(kind, t))), None)
        if column is not None:
            matched[index + 1] = column
    return matched, texts


def _columns_with_data(sheet: Sheet, header_last_row: int) -> set[int]:
    return {number for row in sheet.rows[header_last_row:] for number, value in enumerate(row, start=1)
            if value is not None}


def data_rows(sheet: Sheet, layout: Layout) -> Iterator[DataRow | SkippedRow]:
    """The rows below the header that hold an entry, with merged cells filled; section rows and repeated
    headers as ``SkippedRow``; blank rows, and rows with nothing in any imported column, left out."""
    width = sheet.width
    placed = [number for number, _ in layout.columns]
    fills: dict[tuple[int, int], object] = {}
    parts = {number: _part_of(column) for number, column in layout.columns}
    for merge in sheet.merges:
        # A merged range shows its value in every cell it covers: down (one 实施主体 for a group of rows), and across
        # within an entry's row into the other part of one field split in two (one 20 under both 法定时限 and 承诺时限:
        # the second was left blank, and with --update removed). Not across a row holding nothing else: that is a
        # section's title (一、行政许可) over the table.
        if layout.last_row < merge.first_row <= len(sheet.rows):
            top = sheet.rows[merge.first_row - 1]
            value = _cell(top, merge.first_column)
            within_entry = any(not _blank(_cell(top, column)) for column in range(1, width + 1)
                               if not merge.first_column <= column <= merge.last_column)
            for row in range(merge.first_row, merge.last_row + 1):
                for column in range(merge.first_column, merge.last_column + 1):
                    across = column != merge.first_column
                    if (row, column) != (merge.first_row, merge.first_column) and (
                            not across or within_entry and _alike(parts, merge.first_column, column)):
                        fills[(row, column)] = value
    headers = dict(layout.headers)
    for number in range(layout.last_row + 1, len(sheet.rows) + 1):
        raw = sheet.rows[number - 1]
        cells = tuple(fills.get((number, c), _cell(raw, c)) for c in range(1, width + 1))
        filled = [value for value in cells if not _blank(value)]
        if label := _total(filled):
            yield SkippedRow(number, label, total=True)
        elif len(filled) == 1 and len(placed) >= 3 and not _number(filled[0]):
            yield SkippedRow(number, str(filled[0]).strip())  # 一、行政许可
        elif all(_blank(cells[c - 1]) for c in placed):
            continue  # blank, or only a 序号 in a row left empty
        elif all(_blank(cells[c - 1]) or str(cells[c - 1]).strip() in headers.get(c, "").split("/")
                 for c in placed):
            yield SkippedRow(number, "", repeated_header=True)
        else:
            yield DataRow(number, cells)


_TOTAL = re.compile(r"(合计|总计|小计)\S*")
_COUNT = re.compile(r"共?\d[\d,]*(?:\.\d+)?(?:条|项|件|个|份|元|万元)?")


def _total(filled: list) -> str | None:
    """The label of a total row offices put under a table (合计, 共2条; 小计 under a section): a cell that says
    合计, 总计 or 小计 first, and no other cell holding more than a number, a count or a formula (=SUM(…)). Every
    entry names itself in words (索引号, 标题, 事项名称), so none is one."""
    if any(not isinstance(value, (str, int, float, UncalculatedFormula)) for value in filled):
        return None  # a date
    texts = [re.sub(r"\s", "", value) for value in filled if isinstance(value, str)]
    labels = [text for text in texts if _TOTAL.fullmatch(text)]
    if len(labels) != 1 or any(text != labels[0] and not _COUNT.fullmatch(text) for text in texts):
        return None
    return labels[0]


def _part_of(column: Column) -> tuple | None:
    """The field a column holds a part of, when two columns are one field split in two: 办理时限 as 法定时限 and
    承诺时限 (numbers with a unit), and their units (法定时限单位, 承诺时限单位: one choice of the same ones). None for
    any other column: a merged cell there is where a long value was let run on (a 标题 merged over the empty 文号
    beside it had become the 文号), and dates are each their own event (成文日期 is no 发布日期)."""
    field = column.field
    if field is None or field.many or column.parent is not None:
        return None
    if column.unit is not None:
        return field.kind, column.unit.choices
    return (field.kind, field.choices) if field.choices else None


def _alike(parts: dict, first: int, other: int) -> bool:
    """Whether a merged cell's value is the other column's too: both imported, parts of one field."""
    return parts.get(first) is not None and parts.get(first) == parts.get(other)


def _cell(row: tuple, number: int):
    return row[number - 1] if number <= len(row) else None


def _number(value) -> bool:
    return isinstance(value, (int, float)) or (isinstance(value, str) and value.strip().isdigit())


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
