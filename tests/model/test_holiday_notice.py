"""The State Council holiday notice, read from its published text: past notices against chinesecalendar, and the
wording that varies from year to year; whatever cannot be read is a problem at the notice's line."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from conftest import FIXTURES

from builder.model.holiday_notice import FESTIVALS, parse_notice, read_notice

D = dt.date.fromisoformat
NOTICES = FIXTURES / "notices"

# The notices typed from their published text, with their 文号.
NUMBERS = {
    2017: "国办发明电〔2016〕5号",
    2019: "国办发明电〔2018〕15号",
    2020: "国办发明电〔2019〕16号",
    2021: "国办发明电〔2020〕27号",
    2022: "国办发明电〔2021〕11号",
    2023: "国办发明电〔2022〕16号",
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}
# Later notices changed two years; chinesecalendar has the changed calendar, the fixtures the original notice.
LATER_CHANGES = {
    # 国办发明电〔2019〕2号: 劳动节 5月1日至4日, 4月28日（星期日）、5月5日（星期日）上班.
    2019: ({D("2019-05-02"), D("2019-05-03"), D("2019-05-04")}, {D("2019-04-28"), D("2019-05-05")}, set()),
    # 国办发明电〔2020〕1号 (COVID-19): 春节 extended to 2月2日, so 2月1日 was no longer a workday.
    2020: ({D("2020-01-31"), D("2020-02-01"), D("2020-02-02")}, set(), {D("2020-02-01")}),
}


def _year(year: int) -> list[dt.date]:
    first = dt.date(year, 1, 1)
    return [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]


def _notice(year: int):
    notice, problems = read_notice(NOTICES / f"{year}.txt")
    assert problems == [], [p.format() for p in problems]
    return notice


@pytest.mark.parametrize("year", sorted(NUMBERS))
def test_past_notice_gives_chinesecalendars_year(year):
    notice = _notice(year)
    assert (notice.year, notice.number) == (year, NUMBERS[year])
    added_off, added_work, removed_work = LATER_CHANGES.get(year, (set(), set(), set()))
    holidays = (notice.holidays | added_off) - added_work
    workdays = (notice.workdays | added_work) - removed_work - added_off
    packaged_off, packaged_work = set(chinese_calendar.constants.holidays), set(chinese_calendar.constants.workdays)
    # Every day the notice gives off is off in chinesecalendar (which sometimes adds the weekend of 「与周末连休」).
    assert sorted(holidays - packaged_off) == []
    # The make-up workdays are exactly chinesecalendar's, including those in the December before.
    assert sorted(workdays) == sorted(d for d in packaged_work if d.year == year or d in workdays)
    # And so every day of the year is a working day or not exactly as in chinesecalendar.
    official = [d for d in _year(year) if d in packaged_work or (d.weekday() < 5 and d not in packaged_off)]
    assert [d for d in _year(year) if d in workdays or (d.weekday() < 5 and d not in holidays)] == official


def test_notice_of_2025_counts_spring_festival_from_new_years_eve():
    notice = _notice(2025)
    [spring] = [item for item in notice.items if item.festivals == ("春节",)]
    assert (spring.holidays[0], spring.holidays[-1]) == (D("2025-01-28"), D("2025-02-04"))  # 除夕 to 初七
    assert spring.workdays == (D("2025-01-26"), D("2025-02-08"))
    assert {festival for item in notice.items for festival in item.festivals} == set(FESTIVALS)


def test_combined_item_names_both_festivals():
    notice = _notice(2020)
    assert notice.items[-1].festivals == ("国庆节", "中秋节")
    assert notice.items[-1].holidays == tuple(D(f"2020-10-{d:02}") for d in range(1, 9))


def test_range_across_years_and_workday_of_the_year_before():
    notice = _notice(2019)
    assert notice.items[0].holidays == (D("2018-12-30"), D("2018-12-31"), D("2019-01-01"))
    assert notice.items[0].workdays == (D("2018-12-29"),)


def test_encouraged_day_off_is_not_a_holiday():
    notice = _notice(2024)  # 「鼓励各单位……安排职工在除夕（2月9日）休息」
    assert D("2024-02-09") not in notice.holidays


def test_makeup_day_named_with_buxiu_is_a_holiday():
    notice = _notice(2017)  # 「1月1日放假，1月2日（星期一）补休」
    assert notice.items[0].holidays == (D("2017-01-01"), D("2017-01-02"))


def test_yaml_block_writes_ranges_with_their_festival():
    block = _notice(2026).yaml_block()
    assert block.startswith("2026:\n")
    assert "  notice: 国办发明电〔2025〕7号\n" in block
    assert "    - 2026-02-15..2026-02-23  # 春节\n" in block
    assert "    - 2026-10-10  # 国庆节\n" in block


# ------------------------------------------------------------ wording


HEAD = "国务院办公厅关于2027年部分节假日安排的通知\n国办发明电〔2026〕99号\n"
REST = ("三、清明节：4月5日放假。\n四、劳动节：5月1日至5日放假调休，共5天。\n五、端午节：6月9日放假。\n"
        "六、中秋节：9月15日放假。\n七、国庆节：10月1日至7日放假调休，共7天。\n")


def _parse(items: str, head: str = HEAD, rest: str = REST):
    return parse_notice(head + items + rest, "通知.txt")


def _problems(items: str, head: str = HEAD, rest: str = REST) -> list[str]:
    notice, problems = _parse(items, head, rest)
    assert notice is None
    return [f"{p.line} {p.code} {p.texts()[0]}" for p in problems]


def test_item_broken_over_lines_is_joined_again():
    notice, problems = _parse("一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：2月5日（农历除夕、周五）至\n"
                              "11日（周四）放假调休，共7天。2月13日（周六）\n上班。\n")
    assert problems == []
    assert notice.items[1].holidays[-1] == D("2027-02-11")
    assert notice.items[1].workdays == (D("2027-02-13"),)


def test_full_width_digits_half_width_brackets_and_spaces_are_read():
    notice, problems = _parse("一、元旦：１月１日(星期五)至３日(星期天) 放假，共三天。\n二、春节： 2月6日 至 12日放假，共七天。\n")
    assert problems == []
    assert notice.items[0].holidays == (D("2027-01-01"), D("2027-01-02"), D("2027-01-03"))
    assert len(notice.items[1].holidays) == 7


def test_holiday_without_makeup_day_and_range_across_months():
    notice, problems = _parse("一、元旦：1月1日放假1天，不调休。\n二、春节：2月5日至2月11日放假，共7天。\n",
                              rest=REST.replace("三、清明节：4月5日放假。", "三、清明节：4月3日（周六）至5日（周一）放假，共3天。"))
    assert problems == []
    assert notice.items[0].holidays == (D("2027-01-01"),) and notice.items[0].workdays == ()


def test_date_that_is_neither_off_nor_work_names_its_line():
    assert _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11日，共7天。\n") == [
        ("4 E-NOTICE-UNREAD 无法读懂这一行：“2月5日至11日”没有写明是放假还是上班。请对照通知原文改正这一行，"
         "日期写成“1月1日”“10月1日至8日”“9月28日（周日）上班”等形式")]


def test_number_that_is_no_date_is_unreadable():
    assert [p.split(" ")[:2] for p in _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11放假。\n")] == [
        ["4", "E-NOTICE-UNREAD"]]


def test_weekday_that_contradicts_the_date_is_an_error():
    [problem] = _problems("一、元旦：1月1日（周四）放假。\n二、春节：2月5日至11日放假调休。\n")
    assert problem.startswith("3 E-NOTICE-CHECK 2027-01-01 是星期五，通知写的是“周四”")


def test_count_that_contradicts_the_dates_is_an_error():
    [problem] = _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假调休，共8天。\n")
    assert problem.startswith("4 E-NOTICE-CHECK “春节”写“共8天”，但所列放假日期共 7 天")


def test_makeup_workday_on_a_weekday_is_an_error():
    [problem] = _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假调休。2月15日上班。\n")
    assert problem.startswith("4 E-NOTICE-CHECK 调休上班日 2027-02-15 是星期一，不是周末")


def test_invalid_date_and_reversed_range_are_errors():
    problems = _problems("一、元旦：1月1日放假。\n二、春节：2月30日放假。\n", rest=REST.replace("10月1日至7日", "10月7日至1日"))
    assert [p.split(" ")[:2] for p in problems] == [["4", "E-NOTICE-DATE"], ["9", "E-NOTICE-DATE"]]
    assert "“10月7日至1日”不是有效日期（区间的结束日应在开始日之后" in problems[1]


def test_unknown_festival_and_missing_festival_are_errors():
    problems = _problems("一、元旦：1月1日放假。\n二、春截：2月5日至11日放假。\n")
    assert problems[0].startswith("4 E-NOTICE-UNREAD 无法读懂这一行：无法识别节日名称“春截”")
    assert problems[1].startswith("9 E-NOTICE-MISSING 通知中没有春节的放假安排")


def test_arrangement_outside_the_numbered_items_is_an_error():
    problems = _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假。\n", rest=REST + "另：12月31日放假。\n")
    assert [p.split(" ")[:2] for p in problems] == [["10", "E-NOTICE-UNREAD"]]


def test_day_outside_the_year_is_an_error_unless_in_the_december_before():
    notice, problems = _parse("一、元旦：2026年12月31日至2027年1月2日放假，共3天。\n二、春节：2月5日至11日放假。\n")
    assert problems == [] and D("2026-12-31") in notice.holidays
    [problem] = _problems("一、元旦：2026年11月30日放假。\n二、春节：2月5日至11日放假。\n")
    assert problem.startswith("3 E-NOTICE-CHECK 2026-11-30 不属于 2027 年")


def test_text_without_title_or_number_cannot_be_read():
    assert [p.split(" ")[:2] for p in _problems("一、元旦：1月1日放假。\n", head="关于放假的通知\n")] == [
        ["1", "E-NOTICE-TITLE"], ["1", "E-NOTICE-NUMBER"]]
    assert [p.split(" ")[:2] for p in _problems("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假。\n",
                                                 head="国务院办公厅关于2027年部分节假日安排的通知\n")] == [
        ["1", "E-NOTICE-NUMBER"]]


def test_gbk_file_is_an_encoding_problem(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_bytes((NOTICES / "2025.txt").read_text(encoding="utf-8").encode("gbk"))
    notice, problems = read_notice(path)
    assert notice is None and [p.code for p in problems] == ["E-ENCODING"]


def test_a_preamble_restating_the_rules_with_dates_is_not_an_arrangement():
    """The 2025 notice as published opens with the rules of the amended 办法 (「国庆节自10月1日起放假调休7天」): it was
    refused as days off outside the items (the fixture had been typed without that paragraph)."""
    text = (NOTICES / "2025.txt").read_text(encoding="utf-8")
    assert "国庆节自10月1日起放假调休7天" in text
    assert _notice(2025).number == "国办发明电〔2024〕12号"


def test_a_title_printed_over_two_lines_is_read():
    notice, problems = _parse("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假。\n",
                              head="国务院办公厅关于2027年\n部分节假日安排的通知\n国办发明电〔2026〕99号\n")
    assert problems == [] and notice.year == 2027 and notice.title == "国务院办公厅关于2027年部分节假日安排的通知"


def test_make_up_workdays_on_their_own_line_after_a_full_stop_belong_to_the_item_above():
    """A PDF's line may end with a sentence of an item: its make-up workdays follow on the next line."""
    notice, problems = _parse("一、元旦：1月1日放假。\n二、春节：2月5日至11日放假调休，共7天。\n2月13日（周六）上班。\n")
    assert problems == [] and notice.items[1].workdays == (D("2027-02-13"),)
