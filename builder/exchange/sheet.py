"""A sheet as read from a workbook or a CSV file: its cells row by row, its merged ranges and its date system.

Readers (``workbook``, ``csvfile``) only turn bytes into sheets; finding the header and reading the rows is
``layout``'s job, the same for both.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

# Excel's two date systems: serial day 1 is 1900-01-01 (Windows, with the 1900 leap-year bug: day 0 is
# 1899-12-30 for every date after February 1900) or 1904-01-02 (old Mac workbooks).
EPOCH_1900 = dt.datetime(1899, 12, 30)
EPOCH_1904 = dt.datetime(1904, 1, 1)


# What Excel shows in a cell whose formula fails, and writes into a CSV file as the cell's text.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})


def line_ends(text: str) -> str:
    """A cell's text with its line breaks as \n: Windows programs write \r\n (a CSV file's quoted cell, the _x000D_
    of a workbook's text pasted from Word), old Mac ones \r. Both readers give cells so, and a cell read back as it
    was exported is then the text the catalog holds."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


@dataclasses.dataclass(frozen=True)
class UncalculatedFormula:
    """A cell holding a formula whose result the workbook does not store (written by a program, never opened and
    saved in Excel), or whose result is one of Excel's errors (``error``, #N/A…: a lookup that found nothing): its
    value is unknown, not blank, and not the error's text."""

    formula: str
    error: str = ""

    def __str__(self) -> str:  # as a header or a message shows the cell
        return self.formula


@dataclasses.dataclass(frozen=True)
class Merge:
    """A merged range, 1-based and inclusive, as the spreadsheet program shows it."""

    first_row: int
    first_column: int
    last_row: int
    last_column: int


@dataclasses.dataclass(frozen=True)
class Sheet:
    file: str  # the file as shown in messages
    name: str | None  # None for a CSV file
    index: int  # of the sheet in its file (for sorting problems)
    rows: tuple[tuple, ...]  # cell values; row n of the sheet is rows[n - 1], to its last value; blank cells are None
    merges: tuple[Merge, ...] = ()
    epoch: dt.datetime = EPOCH_1900
    hidden_rows: frozenset[int] = frozenset()  # hidden in the spreadsheet program, by hand or by a filter

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)
