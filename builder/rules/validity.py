"""有效性 of a document on a given day (rules.md §6; the default periods are settings [U]).

What the office states wins and is published as stated: its ``validity`` (有效 / 失效 / 废止, with date and basis),
a repeal (废止 with its 文号) or an 有效期至. Otherwise 规章 and 行政规范性文件 are *estimated* to expire
``validity_years`` after taking effect (``validity_years_trial`` when the document is itself 暂行 or 试行):
an estimate is advice to staff (warnings, `gongkai due`), never printed on the site. Other documents have no
validity period.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re

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
    reason: str              # why it ends (shown on the page and in warnings)
    reason_en: str
    stated: bool             # by the office (published), or estimated from the default period (advice only)


def validity_on(item: Item, day: dt.date, settings) -> ValidityState:
    """The document's state on ``day``: as stated when the office stated anything, else the estimate."""
    if item.validity:
        basis = f"依据 {item.validity_basis}" if item.validity_basis else "本机关标注"
        stated = Validity(item.validity)
        if stated is not Validity.VALID and item.validity_date and item.validity_date > day:
            # Stated to end on a day still to come (失效或废止日期): valid until then, as the office says.
            return ValidityState(Validity.VALID, item.validity_date, basis, "as stated", stated=True)
        return ValidityState(stated, item.validity_date, basis, "as stated", stated=True)
    if item.repealed and item.repealed.date <= day:
        return ValidityState(Validity.REPEALED, item.repealed.date, f"被 {item.repealed.by} 废止", "repealed",
                             stated=True)
    expires, reason, reason_en = expiry_of(item, settings)
    state = Validity.EXPIRED if expires and expires <= day else Validity.VALID
    return ValidityState(state, expires, reason, reason_en, stated=bool(item.expires))


def expiry_of(item: Item, settings) -> tuple[dt.date | None, str, str]:
    if item.expires:  # 有效期至: the last valid day, as offices write it
        return item.expires + dt.timedelta(days=1), f"有效期至 {item.expires.isoformat()}", "explicit expiry date"
    start = item.effective_on
    if item.doc_type not in statute.NORMATIVE_DOC_TYPES or start is None:
        return None, "", ""
    trial = is_trial(item.title)
    years = settings.validity_years_trial if trial else settings.validity_years
    reason = f"按{'暂行、试行文件' if trial else '默认'}有效期 {years} 年推算"
    return _add_years(start, years), reason, f"estimated from the default validity of {years} years"


# A title names other documents in 《》 (a notice issuing 《…暂行办法》 is not itself 暂行 for that reason alone).
_QUOTED = re.compile(r"《[^》]*》")


def is_trial(title: str) -> bool:
    """Whether the document is itself 暂行 or 试行, by its own title outside any 《…》."""
    own = _QUOTED.sub("", title)
    return "暂行" in own or "试行" in own


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later, a plain date: ``replace`` on a date with its time of day (a 发布日期 written
    2022-03-01 09:00) made one without its time set, which could not be pickled, and every build whose warnings held
    such a date ended in an internal error once the day came within the warning's months (found in review)."""
    try:
        return dt.date(day.year + years, day.month, day.day)
    except ValueError:  # 29 February
        return dt.date(day.year + years, day.month, 28)


def expiring_soon(item: Item, today: dt.date, settings) -> ValidityState | None:
    """The item's state when it is valid today and expires (as stated or estimated) within
    ``validity_warn_months``."""
    state = validity_on(item, today, settings)
    if state.validity is Validity.VALID and state.expires and today >= _months_before(state.expires,
                                                                                     settings.validity_warn_months):
        return state
    return None


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))


def estimated_ended(item: Item, today: dt.date, settings) -> ValidityState | None:
    """The estimate, when nothing is stated and it says the document has ended: advice to confirm."""
    state = validity_on(item, today, settings)
    return state if not state.stated and state.validity is not Validity.VALID else None
