"""统一社会信用代码 (GB 32100-2015 with the embedded GB 11714 code) and 索引号 parsing."""

from __future__ import annotations

import pytest

from builder.rules.identifiers import credit_code_check_char, credit_code_problem, parse_index_no


@pytest.mark.parametrize("code", [
    "11220000013544357T",   # 吉林省人民政府 (rules.md §6)
    "91350100M000100Y43",   # the example printed in GB 32100-2015
])
def test_credit_codes_that_pass(code):
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("code, problem", [
    ("11220000013544357A", "W-CREDIT-CHECKSUM"),   # wrong check character
    ("11220000013544375T", "W-CREDIT-CHECKSUM"),   # two digits swapped
    ("1122000001354435", "E-CREDIT-FORMAT"),       # too short
    ("11220000013544357TT", "E-CREDIT-FORMAT"),    # too long
    ("1122000001354435OI", "E-CREDIT-FORMAT"),     # O and I are not in the alphabet
    ("11220000013544357t", "E-CREDIT-FORMAT"),     # lower case
])
def test_credit_codes_that_fail(code, problem):
    assert credit_code_problem(code)[0] == problem


def test_check_character_is_computed_from_the_first_17():
    assert credit_code_check_char("11220000013544357") == "T"


@pytest.mark.parametrize("text, prefix, period, serial", [
    ("11220000013544357T/2005-00138", "11220000013544357T", "2005", "00138"),
    ("000014349/2018-00222", "000014349", "2018", "00222"),
    ("11341702486344515H/202110-00013", "11341702486344515H", "202110", "00013"),
    ("0142768-8/2022-00185", "0142768-8", "2022", "00185"),
])
def test_index_numbers_from_real_sites_parse(text, prefix, period, serial):
    index = parse_index_no(text)
    assert (index.prefix, index.period, index.serial) == (prefix, period, serial)


@pytest.mark.parametrize("text", ["11220000013544357T-2005-00138", "/2005-1", "a/05-1", "a/2005-", "a b/2005-1"])
def test_malformed_index_numbers(text):
    assert parse_index_no(text) is None
