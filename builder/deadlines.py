"""The statutory clocks: due dates computed from an anchor date, a clock and the calendar.

``count_due`` is the one place that counts working days for a clock; every
deadline in gongkai comes from it. Due dates are derived from the anchors a
record stores (receipt, correction received, extension approved and notified,
pauses), never typed in. States are derived against an explicit ``today``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from . import rules
from .calendar import ONE_DAY, WorkCalendar
from .catalog import Item, Organ, Request
from .settings import township_report_due


class ClockState(enum.Enum):
    ON_TIME = "未到期"
    DUE_SOON = "即将到期"
    OVERDUE = "已逾期"
    WAITING = "等待申请人"  # correction asked, not yet received: the clock restarts when it is
    CLOSED = "按时办结"
    CLOSED_LATE = "逾期办结"

    @property
    def needs_action(self) -> bool:
        return self in (ClockState.DUE_SOON, ClockState.OVERDUE)


@dataclasses.dataclass(frozen=True)
class Interval:
    """Days in (start, end] do not count: the clock stops the day after ``start`` and runs again after ``end``."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start < day <= self.end


def count_due(calendar: WorkCalendar, anchor: dt.date, days: int, pauses: tuple[Interval, ...] = ()) -> dt.date:
    """The ``days``-th working day after ``anchor`` (day 0), not counting paused days."""
    if not pauses:
        return calendar.add_workdays(anchor, days)
    day, counted = anchor, 0
    while counted < days:
        day += ONE_DAY
        if calendar.is_workday(day) and not any(day in pause for pause in pauses):
            counted += 1
    return day


def clock_due(calendar: WorkCalendar, clock: rules.Clock, anchor: dt.date) -> dt.date:
    if clock.unit is not rules.Unit.WORKING_DAYS:
        raise ValueError(f"clock {clock.name} is not counted in working days")
    return count_due(calendar, anchor, clock.days)


def state_of(calendar: WorkCalendar, due: dt.date, done: dt.date | None, today: dt.date, soon: int) -> ClockState:
    """Where a clock stands on ``today``; dates are compared, never times."""
    if done is not None:
        return ClockState.CLOSED if done <= due else ClockState.CLOSED_LATE
    if today > due:
        return ClockState.OVERDUE
    if calendar.count_workdays_after(today, due) <= soon:
        return ClockState.DUE_SOON
    return ClockState.ON_TIME


# ------------------------------------------------------------ proactive disclosure


@dataclasses.dataclass(frozen=True)
class PublicationDue:
    formed: dt.date
    due: dt.date
    days: int
    article: str


def publication_due(calendar: WorkCalendar, formed: dt.date, item: Item | None = None) -> PublicationDue:
    """条例 art. 26: 20 working days from forming or changing; a law may set another period (per item)."""
    clock = rules.CLOCKS["publish"]
    if item is not None and item.publish_within is not None:
        days, article = item.publish_within.days, item.publish_within.basis
    else:
        days, article = clock.days, clock.article
    return PublicationDue(formed, count_due(calendar, formed, days), days, article)


def withdrawal_due(calendar: WorkCalendar, changed: dt.date) -> dt.date:
    """处罚法 art. 48: withdraw a changed or revoked penalty decision within 3 working days."""
    return clock_due(calendar, rules.CLOCKS["penalty_withdrawal"], changed)


# ------------------------------------------------------------ requests


@dataclasses.dataclass(frozen=True)
class RequestDeadlines:
    """Every due date of one request, from the anchors it stores."""

    receipt: dt.date          # day 0 of the correction clock
    anchor: dt.date           # day 0 of the reply clock: receipt, or the corrected request's receipt
    correction_due: dt.date   # art. 30: correction notice by this day
    reply_due: dt.date        # art. 33: 20 working days, pauses not counted
    final_due: dt.date        # reply_due, or +20 working days with a valid extension
    extended: bool
    pauses: tuple[Interval, ...]
    waiting_for_correction: bool

    @property
    def basis(self) -> str:
        return "条例第三十三条，含延期 20 个工作日" if self.extended else "条例第三十三条，20 个工作日"


def request_deadlines(calendar: WorkCalendar, request: Request, settings) -> RequestDeadlines:
    receipt = request.received
    if settings.rest_day_receipt == "next_workday" and not calendar.is_workday(receipt):
        receipt = calendar.add_workdays(receipt, 1)
    correction = request.correction
    anchor = correction.received if correction and correction.received else receipt
    pauses = tuple(_pause_intervals(calendar, request, settings))
    reply_clock = rules.CLOCKS["reply"]
    reply_due = count_due(calendar, anchor, reply_clock.days, pauses)
    extension = request.extension
    extended = bool(extension and extension.approved and extension.notified)
    final_due = reply_due
    if extended:
        final_due = count_due(calendar, anchor, reply_clock.days + rules.CLOCKS["extension"].days, pauses)
    return RequestDeadlines(
        receipt=receipt,
        anchor=anchor,
        correction_due=clock_due(calendar, rules.CLOCKS["correction"], receipt),
        reply_due=reply_due,
        final_due=final_due,
        extended=extended,
        pauses=pauses,
        waiting_for_correction=bool(correction and not correction.received),
    )


def _pause_intervals(calendar: WorkCalendar, request: Request, settings):
    # 条例 art. 33: time consulting third parties (art. 32) and other agencies (art. 34) is not counted.
    # An open consultation is assumed to run to its statutory end (15 working days).
    for pause in request.pauses:
        yield Interval(pause.start, pause.end or clock_due(calendar, rules.CLOCKS["third_party"], pause.start))
    # 处理费办法 art. 6: whether the fee notice pauses the reply clock is [U]; setting fee_notice_pauses_reply.
    if request.fee and settings.fee_notice_pauses_reply:
        fee = request.fee
        yield Interval(fee.notified, fee.paid or clock_due(calendar, rules.CLOCKS["fee_notice"], fee.notified))


def request_state(calendar: WorkCalendar, request: Request, deadlines: RequestDeadlines, today: dt.date,
                  soon: int) -> ClockState:
    if deadlines.waiting_for_correction:  # no reply clock runs until the corrected request arrives (art. 30)
        return ClockState.WAITING if request.replied is None else ClockState.CLOSED
    return state_of(calendar, deadlines.final_due, request.replied, today, soon)


# ------------------------------------------------------------ annual report


def annual_report_due(organ: Organ, year: int, settings) -> dt.date:
    """条例 art. 49: the report on ``year`` is due in the following year (31 Jan / 31 Mar / local for townships)."""
    if organ.kind is rules.OrganKind.TOWNSHIP:
        month, day = township_report_due(settings)
    else:
        month, day = rules.ANNUAL_REPORT_DUE[organ.kind]
    return dt.date(year + 1, month, day)
