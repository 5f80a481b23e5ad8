"""Where a problem in a spreadsheet is, as staff see it: ``file.xlsx:Sheet!R12`` (``file.csv:R12``).

A spreadsheet has rows, not lines, so a problem found in one is a ``SheetProblem``: the ``Problem`` (its code and
message, declared in ``errors.MESSAGES``) at a sheet and row, formatted like every other problem.
"""

from __future__ import annotations

import dataclasses

from ..errors import Location, Problem, Severity


@dataclasses.dataclass(frozen=True, order=True)
class Place:
    """A row of a sheet. ``order`` sorts places as the files, sheets and rows were read."""

    order: tuple[int, int, int]  # (file, sheet, row)
    file: str  # as shown
    sheet: str | None  # None for a CSV file, which has no sheets
    row: int  # 1-based, as the spreadsheet program numbers rows

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}!R{self.row}" if self.sheet is not None else f"{self.file}:R{self.row}"

    def problem(self, code: str, **params) -> SheetProblem:
        return SheetProblem(self, Location(self.file, self.row).problem(code, **params))


@dataclasses.dataclass(frozen=True, order=True)
class SheetProblem:
    place: Place
    problem: Problem

    @property
    def code(self) -> str:
        return self.problem.code

    @property
    def severity(self) -> Severity:
        return self.problem.severity

    @property
    def is_error(self) -> bool:
        return self.problem.is_error

    def format(self) -> str:
        """One line, whatever a cell held: its line breaks are shown as spaces."""
        zh, en = (" ".join(text.splitlines()) for text in self.problem.texts())
        return f"{self.place}: {self.code} {zh} ({en})"

    def as_json(self) -> dict:
        zh, en = self.problem.texts()
        return {"path": self.place.file, "sheet": self.place.sheet, "row": self.place.row, "code": self.code,
                "severity": self.severity.value, "message": zh, "message_en": en}


def file_problem(shown: str, code: str, **params) -> Problem:
    """A problem with a whole file (it cannot be opened or decoded): at line 0, as for a missing file."""
    return Location(shown, 0).problem(code, **params)
