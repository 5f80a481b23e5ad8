"""统一社会信用代码 (GB 32100-2015 with the embedded GB 11714 code) and 索引号 parsing."""

from __future__ import annotations

import re

import pytest

from builder.rules.identifiers import (
    INDEX_NO_MAX_LENGTH,
    IndexNoCheck,
    check_index_no,
    credit_code_check_char,
    credit_code_problem,
)


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


NATIONAL = re.compile(r"(?P<prefix>[^/]+)/(?P<year>\d{4})(\d{2})?-\d+")


@pytest.mark.parametrize("text, year", [
    ("11220000013544357T/2005-00138", 2005),
    ("000014349/2018-00222", 2018),
    ("11341702486344515H/202110-00013", 2021),
    ("0142768-8/2022-00185", 2022),
])
def test_an_office_pattern_marks_the_year_to_check(text, year):
    assert check_index_no(text, NATIONAL, "") == IndexNoCheck(year=year)


@pytest.mark.parametrize("text", ["11220000013544357T/2005-00138", "005000001-01-2026-00017",
                                  "XXPR—2022—01034", "吉林省政府/2021-5", "A" * INDEX_NO_MAX_LENGTH])
def test_without_a_pattern_any_address_fit_index_number_is_accepted_and_no_year_is_guessed(text):
    assert check_index_no(text, None, "") == IndexNoCheck()


@pytest.mark.parametrize("text", ["a b/2005-1", "a\tb", "a\x07", "A" * (INDEX_NO_MAX_LENGTH + 1)])
def test_index_numbers_that_cannot_be_part_of_an_address(text):
    assert check_index_no(text, None, "").detail


@pytest.mark.parametrize("text, shown", [("11220000013544357T/2014-00026\u200b", "U+200B"),
                                         ("\ufeff000014349/2018-00222", "U+FEFF"),
                                         ("0142768\u20608/2022-00185\u200e\u2060", "U+2060、U+200E"),
                                         ("A\U000e0020/2026-1", "U+E0020"), ("\u0600A/2026-1", "U+0600")])
def test_an_index_number_copied_with_invisible_characters_names_them(text, shown):
    """A zero-width space copied from a web page made a second index number that looks like the first: a second
    page of one document, and no duplicate reported."""
    assert shown in check_index_no(text, None, "").detail


def test_an_index_number_outside_the_office_pattern_is_shown_with_its_example():
    check = check_index_no("11220000013544357T-2005-00138", NATIONAL, "11220000013544357T/2026-00001")
    assert "11220000013544357T/2026-00001" in check.detail and check.year is None
