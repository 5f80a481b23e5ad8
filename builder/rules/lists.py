"""The power list and the fee list as real offices write them (rules.md §7): types, time limits, 资金管理方式, 文号.

What an entry states is kept as written; these functions say what it means — the type of the list that 行政许可类
is, which of the four statutory 资金管理方式 全额缴入地方国库 is, the 文号 a basis cites — so that the checks can
advise (a W- warning) and the site can group and filter. Nothing here invents a value an entry leaves out.
"""

from __future__ import annotations

import decimal
import re

from ..statute import DOC_NO_YEAR_BRACKETS, FUND_MANAGEMENT, LIMIT_UNITS

CENTRAL, LOCAL, BOTH, SPECIAL_ACCOUNT = FUND_MANAGEMENT


def power_type(written: str, types: tuple[str, ...]) -> str | None:
    """The type of ``types`` that ``written`` names: itself, or itself without a trailing 类 (行政许可类 is
    行政许可); None when neither is listed."""
    if written in types:
        return written
    if written.endswith("类") and written[:-1] in types:
        return written[:-1]
    return None


WORKING_DAYS, CALENDAR_DAYS, MONTHS = LIMIT_UNITS


def promise_exceeds(promised: int, promised_unit: str, legal: int, legal_unit: str) -> bool:
    """Whether a promised time limit is certainly longer than the legal one. In one unit, by the numbers; N working
    days span at least N calendar days, so more working days than the law's calendar days exceed it too. Other
    pairs (months against days, calendar days against working days) depend on the day counting starts: not
    judged."""
    if promised_unit == legal_unit or (promised_unit == WORKING_DAYS and legal_unit == CALENDAR_DAYS):
        return promised > legal
    return False


# ------------------------------------------------------------ 资金管理方式

# Where the income goes, as catalogues name it: 国库 at some level of government, or a 财政专户.
_LOCAL_LEVELS = ("地方", "省", "市", "县", "区", "州", "盟", "旗", "乡", "镇")


def fund_management(written: str) -> str | None:
    """Which of the four statutory 资金管理方式 ``written`` is (上缴中央国库 and 全额缴入中央国库 are
    缴入中央国库; 缴入省级国库 is 缴入地方国库); None when it says neither where nor which level (缴入国库),
    or names both a 国库 and a 财政专户."""
    text = re.sub(r"\s", "", written)
    if text in FUND_MANAGEMENT:
        return text
    # A note in brackets says who collects it, not where it goes (缴入中央国库（由市场监管部门代收后缴入国库）).
    text = re.sub(r"（[^（）]*）|\([^()]*\)", "", text)
    treasury, account = "国库" in text, "专户" in text
    if treasury == account:
        return None
    if account:
        return SPECIAL_ACCOUNT
    where = text[:text.rindex("国库")]  # 缴入中央国库和地方国库: both
    central = "中央" in where
    local = any(level in where.replace("中央", "") for level in _LOCAL_LEVELS)
    if central and local:
        return BOTH
    return CENTRAL if central else LOCAL if local else None


# ------------------------------------------------------------ 文号

_OPEN, _CLOSE = "〔（(【[{［｛﹝〖", "〕）)】]}］｝﹞〗"
# A year in brackets followed by a serial number and 号: the year part of a 文号, whatever brackets enclose it.
_YEAR = re.compile(rf"[{re.escape(_OPEN)}]\s*((?:19|20)\d{{2}})\s*[{re.escape(_CLOSE)}](?=\s*第?\s*\d+\s*号)")
# A whole 文号 once its year is in 〔〕: the issuer's code (every character up to a separator), year, number.
_SEPARATORS = r"\s、，,；;。：:《》“”\"'‘’（）()【】\[\]{}［］｛｝〔〕﹝﹞〖〗"
_DOC_NO = re.compile(rf"([^{_SEPARATORS}]*)〔((?:19|20)\d{{2}})〕\s*第?\s*(\d+)\s*号")


def normalise_doc_no(text: str) -> str:
    """``text`` with the year of each 文号 it holds in 〔〕 (发改价格【2016】2559号 → 发改价格〔2016〕2559号).
    Brackets that do not enclose a 文号's year (《…办法》（2018年修订）) are left as written."""
    opening, closing = DOC_NO_YEAR_BRACKETS
    return _YEAR.sub(lambda match: f"{opening}{match.group(1)}{closing}", text)


def doc_numbers(text: str) -> list[str]:
    """The 文号 that ``text`` cites, in order, each as 〔〕 writes it (发改价格〔2016〕2559号)."""
    return [f"{issuer}〔{year}〕{number}号" for issuer, year, number in _DOC_NO.findall(normalise_doc_no(text))]


def fee_standard(standard, with_unit: bool = True) -> str:
    """A fee's (or a sub-item's) standard as the site shows it and the search index holds it: the text as the
    catalogue writes it, and the amount or range it states in numbers with its unit (80 元/件, 100～300 元/人次,
    0.1%), both when it states both; 未载明 when it states neither, never a guessed figure."""
    if standard.amount is not None:
        amount = _number(standard.amount) + ("" if standard.amount_max is None else f"～{_number(standard.amount_max)}")
        if with_unit and standard.unit:
            amount += ("" if standard.unit[:1] in "%‰" else " ") + standard.unit
        return f"{standard.standard}（{amount}）" if standard.standard else amount
    if standard.standard:
        return standard.standard + (f"（{standard.unit}）" if with_unit and standard.unit else "")
    return "未载明"


def fee_item_standard(fee) -> str:
    """A fee item's own standard: where only its sub-items state one, 见收费子项."""
    return "见收费子项" if fee.sub_items and not (fee.standard or fee.amount is not None) else fee_standard(fee)


def _number(value: float) -> str:
    """An amount as written, in plain digits: 80, 0.5, and 0.0000001 rather than Python's 1e-07."""
    return str(int(value)) if value == int(value) else format(decimal.Decimal(repr(value)), "f")
