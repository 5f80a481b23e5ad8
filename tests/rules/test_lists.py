"""The power list and fee catalogue as real offices write them (builder/rules/lists.py)."""

from __future__ import annotations

import pytest

from builder import statute
from builder.model.catalog import FeeSubItem
from builder.rules.lists import (
    doc_numbers,
    fee_standard,
    fund_management,
    normalise_doc_no,
    power_type,
    promise_exceeds,
)


@pytest.mark.parametrize("written, expected", [
    ("行政许可", "行政许可"),
    ("行政许可类", "行政许可"),  # as many provincial 权责清单 head their columns
    ("其他行政权力类", "其他行政权力"),
    ("非行政许可的行政审批", None),  # a real type, but not one of the ten: the office adds it to power_types
    ("行政许可事项", None),
    ("类", None),
])
def test_a_type_with_a_trailing_lei_is_the_listed_type(written, expected):
    assert power_type(written, statute.POWER_TYPES) == expected


def test_types_beyond_the_ten_are_types_once_the_list_has_them():
    types = (*statute.POWER_TYPES, "非行政许可的行政审批", "公共服务")
    assert power_type("公共服务类", types) == "公共服务"
    assert power_type("非行政许可的行政审批", types) == "非行政许可的行政审批"


@pytest.mark.parametrize("promised, legal, exceeds", [
    ((25, "工作日"), (20, "工作日"), True),
    ((20, "工作日"), (20, "工作日"), False),
    ((2, "个月"), (3, "个月"), False),
    ((65, "工作日"), (60, "日"), True),   # 65 working days are more than 60 calendar days, whatever the start
    ((45, "工作日"), (60, "日"), False),  # may or may not be: depends on the holidays in between, not judged
    ((90, "日"), (3, "个月"), False),     # depends on the months: not judged
    ((15, "日"), (10, "工作日"), False),  # 15 calendar days may be 10 working days
])
def test_a_promise_is_only_called_longer_than_the_law_when_it_certainly_is(promised, legal, exceeds):
    assert promise_exceeds(*promised, *legal) is exceeds


@pytest.mark.parametrize("written, statutory", [
    ("缴入中央国库", "缴入中央国库"),
    ("上缴中央国库", "缴入中央国库"),
    ("全额缴入地方国库", "缴入地方国库"),
    ("全额上缴地方国库", "缴入地方国库"),
    ("缴入省级国库", "缴入地方国库"),
    ("缴入县级国库", "缴入地方国库"),
    ("缴入中央和地方国库（中央60%，地方40%）", "缴入中央和地方国库"),
    ("中央与地方按比例分成缴入国库", "缴入中央和地方国库"),
    ("缴入中央国库（市场监管部门执收）", "缴入中央国库"),  # where it goes is said before 国库
    ("缴入中央国库和地方国库", "缴入中央和地方国库"),  # found by a review: read as 缴入中央国库
    ("缴入中央国库（由县级以上市场监管部门代收后缴入国库）", "缴入中央国库"),  # a note is not where it goes
    ("缴入中央国库(地方执收单位代收后缴入中央国库)", "缴入中央国库"),
    ("纳入财政专户管理", "缴入中央和地方财政专户"),
    ("缴入 地方 国库", "缴入地方国库"),
    ("缴入国库", None),                 # which level: not said
    ("缴入地方国库或财政专户", None),   # both: not one of the four
    ("自收自支", None),
])
def test_fund_management_as_catalogues_write_it_is_one_of_the_four_or_none(written, statutory):
    assert fund_management(written) == statutory


@pytest.mark.parametrize("written, normalised", [
    ("发改价格【2016】2559号", "发改价格〔2016〕2559号"),
    ("财税[2016]79号", "财税〔2016〕79号"),
    ("财税（2016）79号", "财税〔2016〕79号"),
    ("财税(2016)79号", "财税〔2016〕79号"),
    ("国发{2015}11号", "国发〔2015〕11号"),
    ("发改价格规﹝2018﹞988号", "发改价格规〔2018〕988号"),
    ("发改价格〔2016〕2559号", "发改价格〔2016〕2559号"),
    # Brackets that hold no 文号's year stay as written, also around a 文号.
    ("《行政事业性收费标准管理办法》（发改价格规〔2018〕988号）", "《行政事业性收费标准管理办法》（发改价格规〔2018〕988号）"),
    ("《中华人民共和国行政许可法》（2019年修正）第五十八条", "《中华人民共和国行政许可法》（2019年修正）第五十八条"),
    ("《某办法》（2018）", "《某办法》（2018）"),
])
def test_the_year_of_a_document_number_is_put_in_hexagonal_brackets(written, normalised):
    assert normalise_doc_no(written) == normalised


@pytest.mark.parametrize("text, numbers", [
    ("发改价格【2016】2559号", ["发改价格〔2016〕2559号"]),
    ("发改价格〔2016〕2559号财税〔2016〕79号", ["发改价格〔2016〕2559号", "财税〔2016〕79号"]),
    ("发改价格〔2016〕2559号、财税〔2016〕79号", ["发改价格〔2016〕2559号", "财税〔2016〕79号"]),
    ("《不动产登记收费标准》（发改价格规〔2016〕2559号）第二条", ["发改价格规〔2016〕2559号"]),
    ("《不动产登记暂行条例》第二十条", []),
])
def test_the_document_numbers_a_basis_cites(text, numbers):
    assert doc_numbers(text) == numbers


@pytest.mark.parametrize("amount, amount_max, unit, shown", [
    (80.0, None, "元/件", "80 元/件"),
    (0.5, 2.0, "元/页", "0.5～2 元/页"),
    (1e-07, None, "元/字节", "0.0000001 元/字节"),  # Python writes 1e-07
    (0.1, None, "%", "0.1%"),
    (None, None, "", "未载明"),  # nothing stated is unknown, not free
])
def test_a_fee_standard_shows_its_amount_in_plain_digits_and_nothing_it_does_not_state(amount, amount_max, unit, shown):
    assert fee_standard(FeeSubItem(name="子项", amount=amount, amount_max=amount_max, unit=unit)) == shown
