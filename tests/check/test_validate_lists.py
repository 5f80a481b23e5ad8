"""The checks of the power list and the fee catalogue (builder/check/validate.py) on what real offices publish:
correct data passes, a normalisation is advice with the value it became, and only contradictions are errors."""

from __future__ import annotations

import json

from conftest import make_catalog

ENTRY_DATES = "  decided: 2026-03-02\n  published: 2026-03-06\n"


def _problems(run, tmp_path, *, powers: str = "", fees: str = "", releases: str = "", settings: str = ""):
    catalog = make_catalog(tmp_path)
    if powers:
        (catalog / "powers" / "real.yaml").write_text(powers, encoding="utf-8")
    if fees:
        (catalog / "fees" / "real.yaml").write_text(fees, encoding="utf-8")
    if releases:
        (catalog / "releases").mkdir()
        (catalog / "releases" / "lists.yaml").write_text(releases, encoding="utf-8")
    if settings:
        config = catalog / "gongkai.yaml"
        config.write_text(config.read_text(encoding="utf-8") + "settings:\n" + settings, encoding="utf-8")
    result = run("validate", "--today", "2026-11-23", "--format", "json")
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def _power(type_: str = "行政许可", extra: str = "") -> str:
    return (f"- id: X-1\n  name: 某项事项\n  type: {type_}\n  organ: demo\n  basis: [《某条例》第八条]\n"
            + extra + ENTRY_DATES)


def _fee(extra: str, basis: str = "[某价〔2026〕1号]") -> str:
    return f"- id: G-1\n  name: 某项收费\n  organ: demo\n  basis: {basis}\n" + extra + ENTRY_DATES


def _codes(problems) -> list[str]:
    return [p["code"] for p in problems]


# ------------------------------------------------------------ power list


def test_an_id_copied_with_an_invisible_character_is_an_error_at_its_line(run, tmp_path):
    """With a zero-width space, X-1 and X-1\u200b are two entries that look alike, and no duplicate is reported."""
    powers = _power() + _power().replace("X-1", "X-1\u200b")
    fees = _fee("  standard: 10元/件\n").replace("G-1", "\ufeffG-1")
    fee, power = _problems(run, tmp_path, powers=powers, fees=fees)
    assert (fee["code"], fee["path"].endswith("fees/real.yaml"), fee["line"]) == ("E-ID-INVISIBLE", True, 1)
    assert (power["code"], power["line"]) == ("E-ID-INVISIBLE", 8)
    assert "U+FEFF" in fee["message"] and "收费项目" in fee["message"] and "U+200B" in power["message"]


def test_a_type_written_with_a_trailing_lei_is_accepted(run, tmp_path):
    assert _codes(_problems(run, tmp_path, powers=_power("行政许可类"))) == []


def test_types_beyond_the_ten_are_accepted_once_the_office_lists_them(run, tmp_path):
    powers = _power("非行政许可的行政审批") + _power("公共服务类").replace("X-1", "X-2")
    [first, second] = _problems(run, tmp_path, powers=powers)
    assert (first["code"], first["line"], second["line"]) == ("E-POWER-TYPE", 3, 10)
    assert "power_types" in first["message"] and "非行政许可的行政审批" in first["message"]


def test_types_beyond_the_ten_pass_with_the_setting(run, tmp_path):
    powers = _power("非行政许可的行政审批") + _power("公共服务类").replace("X-1", "X-2")
    settings = ("  power_types: [行政许可, 行政处罚, 行政强制, 行政征收, 行政给付, 行政检查, 行政确认, 行政奖励, 行政裁决,\n"
                "                其他行政权力, 非行政许可的行政审批, 公共服务]\n")
    assert _problems(run, tmp_path, powers=powers, settings=settings) == []


def test_guide_types_outside_the_type_list_are_a_setting_error(run, tmp_path):
    problems = _problems(run, tmp_path, settings="  power_types: [行政许可, 公共服务]\n"
                                                 "  audit_guide_types: [行政许可, 行政确认]\n")
    assert _codes(problems) == ["E-SETTING"] and "power_types" in problems[0]["message"]


def test_time_limits_in_other_units_pass(run, tmp_path):
    powers = _power(extra="  handling: 承诺件\n  legal_limit: 60\n  legal_limit_unit: 日\n  promised_limit: 30\n"
                          "  limit_note: 自受理之日起计算，不含听证时间\n") \
        + _power(extra="  handling: 承诺件\n  legal_limit: 3\n  legal_limit_unit: 个月\n  promised_limit: 2\n"
                       "  promised_limit_unit: 个月\n").replace("X-1", "X-2") \
        + _power(extra="  handling: 即办件\n  visits: 0\n").replace("X-1", "X-3")
    # An office without a 限时办结 policy (rules.md §9): 30 working days promised is then no advice either.
    assert _problems(run, tmp_path, powers=powers, settings="  commitment_types: []\n") == []


def test_a_promise_longer_than_the_law_in_any_unit_is_an_error(run, tmp_path):
    powers = _power(extra="  legal_limit: 60\n  legal_limit_unit: 日\n  promised_limit: 65\n")
    [problem] = _problems(run, tmp_path, powers=powers)
    assert problem["code"] == "E-PROMISE-EXCEEDS"
    assert "65 工作日" in problem["message"] and "60 日" in problem["message"]


def test_a_promise_in_months_against_days_is_not_judged(run, tmp_path):
    powers = _power(extra="  legal_limit: 60\n  legal_limit_unit: 日\n  promised_limit: 2\n  promised_limit_unit: 个月\n")
    assert _problems(run, tmp_path, powers=powers) == []


def test_an_unknown_handling_kind_or_limit_unit_is_a_choice_error(run, tmp_path):
    powers = _power(extra="  handling: 当场办\n  legal_limit: 20\n  legal_limit_unit: 周\n")
    assert sorted(_codes(_problems(run, tmp_path, powers=powers))) == ["E-CHOICE", "E-CHOICE"]


# ------------------------------------------------------------ fee catalogue


def test_statutory_fund_management_passes(run, tmp_path):
    assert _problems(run, tmp_path, fees=_fee("  fund_management: 缴入中央国库\n")) == []


def test_a_catalogues_own_words_for_fund_management_are_normalised_with_a_note(run, tmp_path):
    [problem] = _problems(run, tmp_path, fees=_fee("  fund_management: 上缴中央国库\n"))
    assert (problem["code"], problem["severity"], problem["line"]) == ("W-FUND-NORMALISED", "warning", 5)
    assert "“上缴中央国库”按法定方式“缴入中央国库”" in problem["message"]


def test_fund_management_that_names_no_level_is_published_as_written_with_a_warning(run, tmp_path):
    [problem] = _problems(run, tmp_path, fees=_fee("  fund_management: 缴入国库\n"))
    assert problem["code"] == "W-FUND-UNCLEAR" and "按原文公开" in problem["message"]


def test_document_number_brackets_are_normalised_with_a_warning(run, tmp_path):
    [problem] = _problems(run, tmp_path, fees=_fee("", basis="[发改价格【2016】2559号, 财税〔2016〕79号]"))
    assert problem["code"] == "W-DOC-NO-BRACKETS"
    assert "“发改价格〔2016〕2559号”" in problem["message"]


def test_two_document_numbers_in_one_basis_are_flagged(run, tmp_path):
    [problem] = _problems(run, tmp_path, fees=_fee("", basis="[发改价格〔2016〕2559号财税〔2016〕79号]"))
    assert problem["code"] == "W-BASIS-JOINED"
    assert "发改价格〔2016〕2559号、财税〔2016〕79号" in problem["message"]


def test_a_document_number_cited_twice_is_flagged_whatever_its_brackets(run, tmp_path):
    problems = _problems(run, tmp_path, fees=_fee("", basis="\n    - 财税〔2016〕79号\n    - 财税[2016]79号"))
    assert sorted(_codes(problems)) == ["W-BASIS-REPEATED", "W-DOC-NO-BRACKETS"]


def test_standards_as_amounts_ranges_percentages_and_text_pass(run, tmp_path):
    fees = _fee("  amount: 100\n  amount_max: 300\n  unit: 元/人次\n") \
        + _fee("  standard: 按工程造价的0.1%收取\n  amount: 0.1\n  unit: \"%\"\n").replace("G-1", "G-2") \
        + _fee("  sub_items:\n    - name: 住宅\n      amount: 3\n      unit: 元/平方米·年\n"
               "    - name: 非住宅\n      standard: 按评估价值的1.5‰\n").replace("G-1", "G-3")
    assert _problems(run, tmp_path, fees=fees) == []


def test_a_range_whose_top_is_below_its_bottom_or_alone_is_an_error(run, tmp_path):
    fees = _fee("  amount: 300\n  amount_max: 100\n") \
        + _fee("  sub_items:\n    - name: 临时号牌\n      amount_max: 10\n").replace("G-1", "G-2")
    problems = _problems(run, tmp_path, fees=fees)
    assert _codes(problems) == ["E-FEE-RANGE", "E-FEE-RANGE"]
    assert "临时号牌" in problems[1]["message"] and "未填写" in problems[1]["message"]


# ------------------------------------------------------------ list releases


def test_a_list_release_names_a_known_organ(run, tmp_path):
    release = "- kind: 收费目录\n  title: 某省行政事业性收费目录清单\n  organ: nowhere\n  published: 2026-03-06\n"
    assert _codes(_problems(run, tmp_path, releases=release)) == ["E-ORGAN-UNKNOWN"]
