"""Cells read as their fields declare: dates in every form offices type them, limits with their units, lists,
records; anything ambiguous is reported, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.exchange.headers import columns
from builder.exchange.sheet import EPOCH_1900, EPOCH_1904
from builder.exchange.values import (
    Unreadable,
    WithUnit,
    header_unit,
    join_record,
    read_cell,
    read_date,
    split_record,
)


def column(kind: str, key: str):
    return next(c for c in columns(kind) if c.key == key)


JULY_14 = dt.date(2017, 7, 14)


@pytest.mark.parametrize("cell", [
    JULY_14, dt.datetime(2017, 7, 14), 42930, 42930.0, "42930", "2017-07-14", "2017-7-14", "2017/7/14",
    "2017.07.14", "2017年7月14日", "2017 年 7 月 14 日", "２０１７年７月１４日", "２０１７－０７－１４", "20170714",
    "二〇一七年七月十四日", " 2017-07-14 ",
])
def test_a_date_in_any_form_offices_type(cell):
    assert read_date(cell, EPOCH_1900) == JULY_14


def test_a_serial_date_of_a_1904_workbook():
    assert read_date(41468, EPOCH_1904) == JULY_14


def test_a_time_of_day_is_kept_and_midnight_is_a_date():
    assert read_date(dt.datetime(2024, 5, 27, 9, 30), EPOCH_1900) == dt.datetime(2024, 5, 27, 9, 30)
    assert read_date("2024-05-27 09:30", EPOCH_1900) == dt.datetime(2024, 5, 27, 9, 30)
    assert read_date("2024-05-27 00:00", EPOCH_1900) == dt.date(2024, 5, 27)


@pytest.mark.parametrize("cell", ["2017年7月", 2017, "2017", "2017-02-30", "2017-13-01", "今年", 1.5, "42930天",
                                  dt.time(9, 30), "2024-05-27 25:00"])
def test_a_value_that_is_not_one_whole_date_is_unreadable(cell):
    assert isinstance(read_date(cell, EPOCH_1900), Unreadable)


@pytest.mark.parametrize("cell, expected", [
    (20, 20), (20.0, 20), ("20", 20), ("２０", 20), ("20个工作日", WithUnit(20, "工作日")),
    ("20 工作日", WithUnit(20, "工作日")), ("二十个工作日", WithUnit(20, "工作日")), ("15日", WithUnit(15, "日")),
    ("15天", WithUnit(15, "日")), ("3个月", WithUnit(3, "个月")),
])
def test_a_limit_with_its_unit(cell, expected):
    assert read_cell(column("powers", "legal_limit"), cell, EPOCH_1900) == expected


@pytest.mark.parametrize("cell", ["即办", "当场办结", "即办件"])
def test_a_promise_done_on_the_spot_is_zero_days_and_a_legal_limit_never_is(cell):
    assert read_cell(column("powers", "promised_limit"), cell, EPOCH_1900) == 0
    assert isinstance(read_cell(column("powers", "legal_limit"), cell, EPOCH_1900), Unreadable)


@pytest.mark.parametrize("header, unit", [
    ("法定时限（天）", "日"), ("法定时限(工作日)", "工作日"), ("承诺时限【单位：个工作日】", "工作日"),
    ("办理时限（自然日）/法定时限", "日"), ("法定时限（月）", "个月"),
    ("法定时限", None), ("法定时限（含公告时间）", None), ("时限（天）/法定时限（工作日）", None),  # none, or two
])
def test_a_limits_unit_in_a_note_of_its_header(header, unit):
    assert header_unit(header, column("powers", "legal_limit").unit) == unit


@pytest.mark.parametrize("cell", ["按规定", "20.5", "即办", "3周", "二十余日"])
def test_a_limit_that_is_not_a_number_is_unreadable(cell):
    assert isinstance(read_cell(column("powers", "legal_limit"), cell, EPOCH_1900), Unreadable)


def test_blank_cells_are_absent():
    assert read_cell(column("items", "title"), None, EPOCH_1900) is None
    assert read_cell(column("items", "title"), "  \n", EPOCH_1900) is None


def test_numbers_in_text_columns_read_as_typed():
    assert read_cell(column("fees", "standard"), 80, EPOCH_1900) == "80"
    assert read_cell(column("fees", "standard"), 80.0, EPOCH_1900) == "80"
    assert read_cell(column("fees", "standard"), 0.5, EPOCH_1900) == "0.5"


def test_text_is_kept_as_typed_and_identifiers_are_read_half_width():
    assert read_cell(column("items", "title"), " 关于（试行）的通知 ", EPOCH_1900) == "关于（试行）的通知"
    assert read_cell(column("items", "index_no"), "１１２２０００００１３５４４３５７Ｔ／２０２６－０００１２",
                     EPOCH_1900) == "11220000013544357T/2026-00012"


def test_a_list_is_split_at_line_breaks_or_semicolons_only():
    basis = column("powers", "basis")
    assert read_cell(basis, "《甲法》第三条、第五条\n《乙条例》第二条", EPOCH_1900) == ["《甲法》第三条、第五条", "《乙条例》第二条"]
    assert read_cell(basis, "《甲法》第三条；《乙条例》第二条；", EPOCH_1900) == ["《甲法》第三条", "《乙条例》第二条"]
    assert read_cell(column("items", "topics"), "劳动、人事、监察/公务员", EPOCH_1900) == ["劳动、人事、监察/公务员"]


def test_keywords_may_also_be_separated_by_commas_and_spaces():
    keywords = column("items", "keywords")
    assert read_cell(keywords, "法治政府、依法行政 指标体系", EPOCH_1900) == ["法治政府", "依法行政", "指标体系"]
    assert read_cell(keywords, "法治政府、依法行政\n指标体系", EPOCH_1900) == ["法治政府、依法行政", "指标体系"]


def test_no_fee_is_an_empty_list_and_a_blank_cell_is_unknown():
    fees = column("powers", "fees")
    assert read_cell(fees, "不收费", EPOCH_1900) == []
    assert read_cell(fees, None, EPOCH_1900) is None
    assert read_cell(fees, "F-1；F-2", EPOCH_1900) == ["F-1", "F-2"]


def test_a_choice_by_its_label_or_half_width():
    category = column("items", "category")
    assert read_cell(category, "（一）行政法规、规章和规范性文件", EPOCH_1900) == "20-1"
    assert read_cell(category, "行政法规、规章和规范性文件", EPOCH_1900) == "20-1"
    assert read_cell(category, "２０-４", EPOCH_1900) == "20-4"
    assert read_cell(category, "其他", EPOCH_1900) == "其他"  # not a choice: left for the model to report


def test_records_a_line_each_with_fields_separated_by_bars():
    attachments = column("items", "attachments")
    cell = "附件/办法.pdf | 示例办法\n附件/表格.xlsx\n\n附件/a\\|b.txt | 名称含\\|的附件"
    assert read_cell(attachments, cell, EPOCH_1900) == [
        {"file": "附件/办法.pdf", "title": "示例办法"}, {"file": "附件/表格.xlsx"},
        {"file": "附件/a|b.txt", "title": "名称含|的附件"}]


def test_a_record_line_with_too_many_fields_is_unreadable():
    assert isinstance(read_cell(column("items", "attachments"), "a.pdf | 甲 | 乙", EPOCH_1900), Unreadable)


def test_a_record_line_reads_back_what_was_joined():
    values = ["C:\\附件\\a.pdf", "名称 | 含竖线", ""]
    assert split_record(join_record(values)) == values[:2]


def test_a_number_of_more_than_fifteen_digits_in_a_text_column_is_unreadable_not_garbled():
    # A credit code typed into a number cell: Excel stored 110101199003071200 for …071234.
    garbled = read_cell(column("items", "doc_no"), 110101199003071200, EPOCH_1900)
    assert isinstance(garbled, Unreadable) and garbled.found == "110101199003071200"
    assert read_cell(column("items", "doc_no"), 123456789012345, EPOCH_1900) == "123456789012345"


@pytest.mark.parametrize("kind, key", [("powers", "id"), ("fees", "id"), ("powers", "fees"), ("items", "doc_no")])
def test_a_number_in_scientific_notation_in_a_text_column_is_unreadable(kind, key):
    """As Excel saves a long number in a CSV file (1.12200E+17): its digits are lost, as a workbook's of 16 or more."""
    assert isinstance(read_cell(column(kind, key), "1.12200E+17", EPOCH_1900), Unreadable)
    assert read_cell(column(kind, key), "12E3", EPOCH_1900) in ("12E3", ["12E3"])  # a code, not Excel's notation


@pytest.mark.parametrize("kind, key, cell, expected", [
    ("items", "title", "吉林省人民政府关于印发\n吉林省某某管理办法的通知", "吉林省人民政府关于印发吉林省某某管理办法的通知"),
    ("items", "title", "关于印发 \n2025年工作要点的通知", "关于印发2025年工作要点的通知"),
    ("items", "doc_no", "吉政发〔2025〕\n3号", "吉政发〔2025〕3号"),
    ("items", "title", "Notice on\nthe Plan", "Notice on the Plan"),
    ("items", "publisher", "吉林省人民政府\n吉林省财政厅", "吉林省人民政府 吉林省财政厅"),  # a joint document's two organs
    ("powers", "name", "建设工程\r\n规划许可", "建设工程规划许可"),
    ("items", "summary", "一、总体要求\n二、主要任务", "一、总体要求\n二、主要任务"),  # prose: kept as typed
    ("powers", "process", "受理\n审查\n决定", "受理\n审查\n决定"),
])
def test_a_line_break_wrapping_a_one_line_field_is_no_part_of_it(kind, key, cell, expected):
    """Found by a review: a title wrapped in its cell (Alt+Enter) kept the break, and no phrase across it found the
    document."""
    assert read_cell(column(kind, key), cell, EPOCH_1900) == expected


@pytest.mark.parametrize("cell, expected", [
    (20170714, JULY_14), (20170714.0, JULY_14),  # typed into a General cell: a number, not a serial
    (42930.5, dt.datetime(2017, 7, 14, 12, 0)), ("42930.5", dt.datetime(2017, 7, 14, 12, 0)),
    (42930.395833333336, dt.datetime(2017, 7, 14, 9, 30)),  # a date-time cell whose format was reset to General
])
def test_a_date_typed_as_a_number_and_a_serial_with_its_time_of_day(cell, expected):
    """Found by a review: 20250305 as a number was refused (as text it was read), and 45722.5 lost its 12:00."""
    assert read_date(cell, EPOCH_1900) == expected


def test_eight_digits_that_are_no_date_are_unreadable():
    assert isinstance(read_date(20171340, EPOCH_1900), Unreadable)
