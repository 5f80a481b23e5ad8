"""有效性 of a document on a given day (rules.md §6; policy [U], from settings).

Explicit dates on the item win (废止, then 有效期至); otherwise 规章 and
行政规范性文件 expire ``validity_years`` after taking effect, or
``validity_years_trial`` for titles with 暂行 or 试行. Other documents have no
validity period.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from .. import statute
from ..model.catalog import Item


class Validity(enum.Enum):
    VALID = "有效"
    EXPIRED = "失效"
    REPEALED = "废止"


@dataclasses.dataclass(frozen=True)
class ValidityState:
    validity: Validity
    expires: dt.date | None  # the last valid day is the day before
    reason: str              # why it expires (shown in warnings)
    reason_en: str


def validity_on(item: Item, day: dt.date, settings) -> ValidityState:
    expires, reason, reason_en = expiry_of(item, settings)
    if item.repealed and item.repealed.date <= day:
        return ValidityState(Validity.REPEALED, item.repealed.date, f"被 {item.repealed.by} 废止", "repealed")
    if expires and expires <= day:
        return ValidityState(Validity.EXPIRED, expires, reason, reason_en)
    return ValidityState(Validity.VALID, expires, reason, reason_en)


def expiry_of(item: Item, settings) -> tuple[dt.date | None, str, str]:
    if item.expires:
        return item.expires, "有效期至该日", "explicit expiry date"
    start = item.effective_on
    if item.doc_type not in statute.NORMATIVE_DOC_TYPES or start is None:
        return None, "", ""
    trial = "暂行" in item.title or "试行" in item.title
    years = settings.validity_years_trial if trial else settings.validity_years
    reason = f"{'暂行、试行文件' if trial else '默认'}有效期 {years} 年"
    return _add_years(start, years), reason, f"default validity of {years} years"


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def expiring_soon(item: Item, today: dt.date, settings) -> ValidityState | None:
    """The item's state when it is valid today and expires within ``validity_warn_months``."""
    state = validity_on(item, today, settings)
    if state.validity is Validity.VALID and state.expires and today >= _months_before(state.expires,
                                                                                     settings.validity_warn_months):
        return state
    return None


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))
