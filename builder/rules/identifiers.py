"""索引号 and 统一社会信用代码 (rules.md §6)."""

from __future__ import annotations

import dataclasses
import re

# rules.md §6: parse leniently, prefix/period-serial.
_INDEX_NO = re.compile(r"^(?P<prefix>[^/\s]+)/(?P<period>\d{4}(\d{2})?)-(?P<serial>\d+)$")


@dataclasses.dataclass(frozen=True)
class IndexNumber:
    prefix: str
    period: str
    serial: str

    @property
    def year(self) -> int:
        return int(self.period[:4])


def parse_index_no(text: str) -> IndexNumber | None:
    match = _INDEX_NO.match(text)
    if not match:
        return None
    return IndexNumber(match["prefix"], match["period"], match["serial"])


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
