"""限时办结 and the service targets (rules.md §9): an office's commitment policy held against each power-list entry's
承诺时限, how much each promise cuts the 法定时限, and the list's figures beside the office's targets.

The policy is local (济政〔2008〕25号: 一般事项 within 7 working days, joint or centralised handling within 20; 吉林市
2011: 承诺件 time cut by 50 %, 即办件 raised to 80 %), so every number is a setting. Nothing is judged that the
entry does not state: a promise in calendar days or months is not compared with working days, and an entry whose
办件类型 is not stated is held only to the wider (joint) limit, which no kind of entry may pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..model.catalog import Power, removed_by
from ..model.settings import stated_value
from ..util import rounded
from .lists import WORKING_DAYS, power_type


@dataclasses.dataclass(frozen=True)
class CommitmentLimit:
    limit: int       # working days
    what: str        # the kind of matter, as the message names it
    what_en: str
    setting: str


def commitment_limit(power: Power, settings) -> CommitmentLimit | None:
    """The 限时办结 limit an entry's 承诺时限 is held to; None when the policy does not apply to it (another type of
    power, a 上报件 decided elsewhere)."""
    if power_type(power.type, settings.power_types) not in settings.commitment_types:
        return None
    general = CommitmentLimit(settings.commitment_general_workdays, "一般事项", "ordinary matters",
                              "commitment_general_workdays")
    joint = CommitmentLimit(settings.commitment_joint_workdays, "联合办理、集中办理事项", "joint handling",
                            "commitment_joint_workdays")
    if power.handling in ("承诺件", "即办件"):
        return general
    if power.handling == "联办件":
        return joint
    if not power.handling:
        return dataclasses.replace(joint, what="联合办理、集中办理事项（办件类型未载明，按较宽的上限）",
                                   what_en="joint handling (handling kind not stated: the wider limit)")
    return None


def commitment_exceeded(power: Power, settings, today: dt.date) -> CommitmentLimit | None:
    """The limit an entry's 承诺时限 (in working days) passes, if it does."""
    if power.promised_limit is None or power.promised_limit_unit != WORKING_DAYS or removed_by(power, today):
        return None
    limit = commitment_limit(power, settings)
    return limit if limit and power.promised_limit > limit.limit else None


def time_cut(power: Power) -> float | None:
    """How much the 承诺时限 cuts the 法定时限, in per cent (one decimal); None unless both are stated in one unit."""
    if not power.legal_limit or power.promised_limit is None or power.promised_limit_unit != power.legal_limit_unit:
        return None
    return rounded(100 * (power.legal_limit - power.promised_limit) / power.legal_limit)


@dataclasses.dataclass(frozen=True)
class CommitmentStats:
    """The list's figures on the targets of its 行政审批 entries (setting commitment_types)."""

    entries: int          # current entries of the types the targets apply to
    handling_known: int   # of which the 办件类型 is stated
    immediate: int        # 即办件
    cut_entries: int      # with both time limits in one unit
    average_cut: float | None
    target_cut: int | None        # the office's targets: None where gongkai.yaml states none (no verdict is shown)
    target_immediate: int | None
    types: tuple[str, ...]

    @property
    def immediate_share(self) -> float | None:
        """即办件 among the entries whose 办件类型 is stated, in per cent; None when none states it."""
        return rounded(100 * self.immediate / self.handling_known) if self.handling_known else None

    @property
    def cut_met(self) -> bool | None:
        return None if self.average_cut is None or self.target_cut is None else self.average_cut >= self.target_cut

    @property
    def immediate_met(self) -> bool | None:
        share = self.immediate_share
        return None if share is None or self.target_immediate is None else share >= self.target_immediate


def immediate(power: Power) -> bool:
    """Whether the entry is a 即办件: so stated, or promised in 0 days (承诺时限 即办)."""
    return power.handling == "即办件" or power.promised_limit == 0


def commitment_stats(powers: list[Power], settings, today: dt.date) -> CommitmentStats:
    current = [p for p in powers if not removed_by(p, today)
               and power_type(p.type, settings.power_types) in settings.commitment_types]
    # The target is for 承诺件 (rules.md §9): an entry stated to be another kind (即办件, 联办件) is not averaged in;
    # one whose kind is not stated may be one, and is.
    cuts = [cut for p in current if p.handling in (None, "", "承诺件") and not immediate(p)
            and (cut := time_cut(p)) is not None]
    return CommitmentStats(
        entries=len(current), handling_known=sum(1 for p in current if p.handling or immediate(p)),
        immediate=sum(1 for p in current if immediate(p)), cut_entries=len(cuts),
        average_cut=rounded(sum(cuts) / len(cuts)) if cuts else None,
        target_cut=stated_value(settings, "target_promise_cut_percent"),
        target_immediate=stated_value(settings, "target_immediate_percent"),
        types=tuple(settings.commitment_types))
