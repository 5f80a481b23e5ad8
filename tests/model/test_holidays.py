"""``holidays.yaml``: reading the years an office lists, and writing one year into it without touching the rest."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from conftest import EXAMPLE, FIXTURES

from builder.model.holiday_notice import read_notice
from builder.model.holidays import load_holidays, with_year
from builder.util import write_atomically

D = dt.date.fromisoformat


def _load(tmp_path, text: str):
    path = tmp_path / "holidays.yaml"
    path.write_text(text, encoding="utf-8")
    return load_holidays(path)


def _block(year: int) -> tuple[str, object]:
    notice, problems = read_notice(FIXTURES / "notices" / f"{year}.txt")
    assert problems == []
    return notice.yaml_block(), notice.arrangement()


def test_dates_and_ranges_are_read(tmp_path):
    years, problems = _load(tmp_path, "2027:\n  notice: 测试\n  holidays: [2027-01-01, 2027-02-06..2027-02-08]\n"
                                      "  workdays:\n    - 2027-02-14\n")
    assert problems == []
    assert years[2027].holidays == {D("2027-01-01"), D("2027-02-06"), D("2027-02-07"), D("2027-02-08")}
    assert years[2027].workdays == {D("2027-02-14")} and years[2027].notice == "测试"


@pytest.mark.parametrize("value", ["2027-02-30", "2027-02-08..2027-02-06", "2027-02-06~2027-02-08", "2月6日"])
def test_bad_date_shows_the_date_and_the_range_form(tmp_path, value):
    _, [problem] = _load(tmp_path, f"2027:\n  holidays:\n    - 2027-01-01\n    - {value}\n")
    assert (problem.line, problem.code) == (4, "E-HOLIDAY-DATE")
    assert f"“{value}”" in problem.format()
    assert "2027-10-01..2027-10-07" in problem.format()


def test_the_range_form_the_message_shows_is_the_form_read(tmp_path):
    years, problems = _load(tmp_path, "2027:\n  holidays: [2027-10-01..2027-10-07]\n")
    assert problems == [] and len(years[2027].holidays) == 7


def test_days_of_the_december_before_belong_to_the_notices_year(tmp_path):
    years, problems = _load(tmp_path, "2027:\n  holidays: [2026-12-31..2027-01-02]\n  workdays: [2026-12-26]\n")
    assert problems == []
    assert D("2026-12-31") in years[2027].holidays and years[2027].workdays == {D("2026-12-26")}
    _, [problem] = _load(tmp_path, "2027:\n  holidays: [2026-11-30]\n")
    assert problem.code == "E-HOLIDAY-YEAR"


# ------------------------------------------------------------ writing a year


def test_shipped_file_gets_the_year_in_place_of_its_empty_mapping(tmp_path):
    path = tmp_path / "holidays.yaml"
    shipped = (EXAMPLE / "holidays.yaml").read_text(encoding="utf-8")
    path.write_text(shipped, encoding="utf-8")
    block, arrangement = _block(2025)
    text, problems = with_year(path, 2025, block)
    assert problems == []
    comments = [line for line in shipped.splitlines() if line.startswith("#")]
    assert text.splitlines()[:len(comments)] == comments  # the explanation stays on top
    assert "{}" not in text.splitlines() and text.endswith(block)
    write_atomically(path, text)
    assert load_holidays(path) == ({2025: arrangement}, [])


def test_new_year_is_appended_and_other_years_keep_their_comments(tmp_path):
    path = tmp_path / "holidays.yaml"
    before = "# 本单位补充\n2026:  # 更正\n  notice: 更正\n  holidays: [2026-03-02]  # 本地\n"
    path.write_text(before, encoding="utf-8")
    block, arrangement = _block(2019)
    text, problems = with_year(path, 2019, block)
    assert problems == []
    assert text == before + "\n" + block
    write_atomically(path, text)
    years, problems = load_holidays(path)
    assert problems == [] and years[2019] == arrangement and years[2026].holidays == {D("2026-03-02")}


def test_existing_year_is_refused_without_replace(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text("# 说明\n2025:\n  notice: 手工\n  holidays: [2025-01-01]\n", encoding="utf-8")
    text, [problem] = with_year(path, 2025, _block(2025)[0])
    assert text is None
    assert problem.format() == (f"{path}:2: E-HOLIDAY-EXISTS 已有 2025 年的安排（手工）：确认要用这份通知替换时，"
                                f"请加 --replace 重新运行 (2025 is already listed; use --replace to replace it)")


def test_replace_changes_only_that_years_block(tmp_path):
    path = tmp_path / "holidays.yaml"
    before = ("# 说明\n2024:\n  notice: 甲\n  holidays: [2024-01-01]\n\n# 2025 年：手工录入\n2025:\n  notice: 手工\n"
              "  holidays:\n    - 2025-01-01\n  # 待核对\n\n# 2026 年\n2026:\n  notice: 乙\n  holidays: [2026-01-01]\n")
    path.write_text(before, encoding="utf-8")
    block, arrangement = _block(2025)
    text, problems = with_year(path, 2025, block, replace=True)
    assert problems == []
    assert text == before.replace("2025:\n  notice: 手工\n  holidays:\n    - 2025-01-01\n  # 待核对\n", block)
    path.write_text(text, encoding="utf-8")
    years, _ = load_holidays(path)
    assert years[2025] == arrangement and set(years) == {2024, 2025, 2026}


def test_replace_corrects_a_year_whose_block_has_errors_and_no_other(tmp_path):
    """Found by a review at the year's end: `holidays import --replace` of the notice on a hand-typed block with a
    date written wrongly exited 1 repeating that error, though importing the notice is how the block gets corrected.
    An error elsewhere in the file still stops it: the change could not be checked."""
    path = tmp_path / "holidays.yaml"
    other = "2024:\n  notice: 甲\n  holidays: [2024-01-01]\n"
    broken = "2025:\n  notice: 手工\n  holidays:\n    - 2025-01-28-2025-02-04\n"
    path.write_text(other + "\n" + broken, encoding="utf-8")
    block, arrangement = _block(2025)
    text, problems = with_year(path, 2025, block, replace=True)
    assert problems == [] and text == other + "\n" + block
    path.write_text(text, encoding="utf-8")
    years, problems = load_holidays(path)
    assert problems == [] and set(years) == {2024, 2025} and years[2025] == arrangement
    path.write_text(other.replace("2024-01-01", "2024-01-01-2024-01-02") + "\n" + broken, encoding="utf-8")
    text, problems = with_year(path, 2025, block, replace=True)
    assert text is None and [p.code for p in problems] == ["E-HOLIDAY-DATE", "E-HOLIDAY-DATE"]
    path.write_text(other + "\n" + broken, encoding="utf-8")
    text, problems = with_year(path, 2025, block)  # without --replace: its errors, as before
    assert text is None and [p.code for p in problems] == ["E-HOLIDAY-DATE"]


def test_windows_line_ends_are_kept(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_bytes(b"# \xe8\xaf\xb4\xe6\x98\x8e\r\n2026:\r\n  holidays: [2026-03-02]\r\n")
    text, problems = with_year(path, 2025, _block(2025)[0])
    assert problems == []
    assert "\n" not in text.replace("\r\n", "")


def test_missing_file_is_created_with_an_explanation(tmp_path):
    path = tmp_path / "holidays.yaml"
    block, arrangement = _block(2026)
    text, problems = with_year(path, 2026, block)
    assert problems == [] and text.startswith("# ") and "gongkai holidays import" in text
    write_atomically(path, text)
    assert load_holidays(path) == ({2026: arrangement}, [])


@pytest.mark.parametrize("target, code", [("holidays.yaml", "E-FILE-UNREADABLE"),
                                          ("moved/holidays.yaml", "E-FILE-MISSING")])
def test_a_link_that_leads_nowhere_is_named_not_taken_for_no_file(tmp_path, target, code):
    """A holidays.yaml linked from a shared folder that moved (or a link to itself) was taken for no file at all:
    the years it lists went unread without a word. It is named, for reading and for `gongkai holidays import`."""
    path = tmp_path / "holidays.yaml"
    path.symlink_to(target)
    for problems in (load_holidays(path)[1], with_year(path, 2026, _block(2026)[0])[1]):
        assert [p.code for p in problems] == [code]


def test_file_not_written_year_by_year_is_refused(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text("{2026: {holidays: [2026-03-02]}}\n", encoding="utf-8")
    text, [problem] = with_year(path, 2025, _block(2025)[0])
    assert text is None and problem.code == "E-HOLIDAY-WRITE" and "--dry-run" in problem.format()


def test_file_with_errors_is_not_written_into(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text("2026:\n  holidays: [2026-02-30]\n", encoding="utf-8")
    text, problems = with_year(path, 2025, _block(2025)[0])
    assert text is None and [p.code for p in problems] == ["E-HOLIDAY-DATE"]


def test_atomic_write_keeps_the_mode_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "holidays.yaml"
    path.write_text("{}\n", encoding="utf-8")
    os.chmod(path, 0o640)
    write_atomically(path, "2027:\n  holidays: []\n")
    assert path.read_text(encoding="utf-8") == "2027:\n  holidays: []\n"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["holidays.yaml"]
