"""索引号 and 统一社会信用代码 (rules.md §6)."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

# Real offices number their information in many ways (rules.md §6 gives prefix/period-serial; others write
# <unit code>-<class>-<year>-<serial>, or long registration-style numbers, and the period is sometimes the year
# the item was catalogued again). Any index number is accepted that can be part of an address: no white space or
# control characters, and not too long for one path segment.
_UNFIT_IN_INDEX_NO = re.compile(r"[\s\x00-\x1f\x7f]")
INDEX_NO_MAX_LENGTH = 100


def is_invisible(character: str) -> bool:
    """A character nobody sees (``invisible_characters``)."""
    return unicodedata.category(character) == "Cf"


def identifier_form(text: str) -> str:
    """What an identifier reads as: two written in other forms of the same characters (NFKC: full-width digits, a
    Kangxi radical ⾦ for 金) are one, as the import reads a cell."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def invisible_characters(text: str) -> str:
    """The characters nobody sees in ``text``, as staff can find them (U+200B …); "" when there are none. They are
    Unicode's format characters (Cf: zero-width spaces and joiners, direction marks, the byte order mark, the soft
    hyphen, tag characters), which text copied from a web page, a PDF or a Word document carries. In an identifier
    one makes another identifier that looks the same: a second page of one document, a duplicate nobody is told of.
    The import drops them (exchange/values.py ``visible``); one written by hand is named."""
    if text.isascii():  # most identifiers: ASCII holds no format character
        return ""
    return "、".join(dict.fromkeys(f"U+{ord(c):04X}" for c in text if is_invisible(c)))


@dataclasses.dataclass(frozen=True)
class IndexNoCheck:
    """What is wrong with an index number ("" when nothing), and the year its pattern marks (None when none)."""
    detail: str = ""
    detail_en: str = ""
    year: int | None = None


def check_index_no(text: str, pattern: re.Pattern | None, example: str) -> IndexNoCheck:
    """``text`` against the rules every index number meets and, when the office declared one, its own pattern
    (setting ``index_pattern``; a group named ``year`` marks the year to compare with the written date)."""
    if _UNFIT_IN_INDEX_NO.search(text):
        return IndexNoCheck("不能含空格、换行或控制字符", "contains white space or control characters")
    if found := invisible_characters(text):
        return IndexNoCheck(f"含看不见的字符 {found}（从网页或 Word 复制时常带入，删除即可）",
                            f"contains invisible characters ({found})")
    if len(text) > INDEX_NO_MAX_LENGTH:
        return IndexNoCheck(f"超过 {INDEX_NO_MAX_LENGTH} 个字符", f"is longer than {INDEX_NO_MAX_LENGTH} characters")
    if pattern is None:
        return IndexNoCheck()
    match = pattern.fullmatch(text)
    if match is None:
        shown = f"，例如 {example}" if example else ""
        return IndexNoCheck(f"不符合本机关设定的索引号格式（设置 index_pattern）{shown}",
                            "does not match the setting index_pattern")
    year = match.groupdict().get("year")
    return IndexNoCheck(year=int(year[:4]) if year and year[:4].isdigit() else None)


# GB 32100-2015: the alphabet (value = position) and the weights of positions 1–17.
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714: the 组织机构代码 embedded at positions 9–17.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def credit_code_well_formed(code: str) -> bool:
    return len(code) == 18 and all(c in _CREDIT_ALPHABET for c in code)


def credit_code_check_char(code: str) -> str:
    """The check character (position 18) that positions 1–17 call for."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def organization_code_check_char(code: str) -> str | None:
    """GB 11714 check character of the 9-character organisation code at positions 9–17, or None if not computable."""
    body = code[8:16]
    if any(c not in _ORG_ALPHABET for c in body):
        return None
    value = 11 - sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS)) % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_problem(code: str) -> tuple[str, str] | None:
    """None when the code passes; otherwise (problem code, the expected check character)."""
    if not credit_code_well_formed(code):
        return "E-CREDIT-FORMAT", ""
    expected = credit_code_check_char(code)
    if code[17] != expected:
        return "W-CREDIT-CHECKSUM", expected
    org_check = organization_code_check_char(code)
    if org_check is not None and code[16] != org_check:
        return "W-CREDIT-CHECKSUM", f"第 17 位 {org_check}"
    return None

