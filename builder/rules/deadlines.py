"""The statutory clocks: due dates computed from an anchor date, a clock and the calendar.

Working days are counted by ``WorkCalendar`` alone (pauses included): ``add_workdays`` for a due date,
``within`` for whether a day came in time; this module knows which clock runs from which anchor. Due dates are
derived from the anchors a record stores (receipt, correction received, extension approved and notified, pauses),
never typed in. States are derived against an explicit ``today``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools

from .. import statute
from ..model.catalog import Catalog, Correction, Item, Organ, Request
from ..model.settings import township_report_due
from .workdays import Interval, WorkCalendar


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


def clock_due(calendar: WorkCalendar, clock: statute.Clock, anchor: dt.date) -> dt.date:
    if clock.unit is not statute.Unit.WORKING_DAYS:
        raise ValueError(f"clock {clock.name} is not counted in working days")
    return calendar.add_workdays(anchor, clock.days)


def clock_met(calendar: WorkCalendar, clock: statute.Clock, anchor: dt.date, day: dt.date) -> bool:
    """Whether ``day`` is within ``clock`` from ``anchor`` (no later than ``clock_due``), counted up to it alone."""
    if clock.unit is not statute.Unit.WORKING_DAYS:
        raise ValueError(f"clock {clock.name} is not counted in working days")
    return calendar.within(anchor, clock.days, day)


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
    clock = statute.CLOCKS["publish"]
    if item is not None and item.publish_within is not None:
        days, article = item.publish_within.days, item.publish_within.basis
    else:
        days, article = clock.days, clock.article
    return PublicationDue(formed, calendar.add_workdays(formed, days), days, article)


def withdrawal_due(calendar: WorkCalendar, changed: dt.date) -> dt.date:
    """处罚法 art. 48: withdraw a changed or revoked penalty decision within 3 working days."""
    return clock_due(calendar, statute.CLOCKS["penalty_withdrawal"], changed)


# ------------------------------------------------------------ requests


@dataclasses.dataclass(frozen=True)
class RequestDeadlines:
    """Every due date of one request, from the anchors it stores, as they stood on a day: an extension dated later
    has not been granted yet. The due dates are counted when asked for; whether a reply was in time (``met_by``)
    needs only the days before it."""

    calendar: WorkCalendar = dataclasses.field(repr=False, compare=False)
    receipt: dt.date          # day 0 of the correction clock
    correction: Correction | None  # as it stood on the day: none before its notice
    anchor: dt.date           # day 0 of the reply clock: receipt, or the corrected request's receipt
    days: int                 # working days the reply has from the anchor: art. 33's 20, +20 with a valid extension
    extended: bool
    pauses: tuple[Interval, ...]
    waiting_for_correction: bool
    correction_late: bool     # the notice went after correction_due: it moves no clock
    extension_late: bool      # approved and notified, but notified after reply_due: it extends nothing
    extension_planned: bool   # both dates recorded, one of them after the day: not an extension yet

    @functools.cached_property
    def correction_due(self) -> dt.date:
        """art. 30: the correction notice by this day."""
        return clock_due(self.calendar, statute.CLOCKS["correction"], self.receipt)

    @functools.cached_property
    def reply_due(self) -> dt.date:
        """art. 33: 20 working days, pauses not counted."""
        return self.calendar.add_workdays(self.anchor, statute.CLOCKS["reply"].days, self.pauses)

    @functools.cached_property
    def final_due(self) -> dt.date:
        """reply_due, or 20 working days more with a valid extension."""
        return self.calendar.add_workdays(self.anchor, self.days, self.pauses)

    def met_by(self, day: dt.date) -> bool:
        """Whether a reply on ``day`` is in time (no later than ``final_due``), counted up to ``day`` alone: a reply
        2 working days after its receipt is in time whether or not the calendar reaches the 20th."""
        return self.calendar.within(self.anchor, self.days, day, self.pauses)

    @property
    def basis(self) -> str:
        reply, extension = statute.CLOCKS["reply"], statute.CLOCKS["extension"]
        if self.extended:
            return f"{reply.article}，含延期 {extension.days} 个工作日"
        return f"{reply.article}，{reply.days} 个工作日"


def request_deadlines(calendar: WorkCalendar, request: Request, settings, today: dt.date) -> RequestDeadlines:
    """The request's clocks on ``today``. What decides how they run (a correction asked late, an extension notified
    late, a pause longer than its period) is counted up to the recorded dates alone; a date after ``today`` (a
    correction, an answer or a payment to come) has not happened yet."""
    receipt = _received(calendar, request.received, settings)
    correction = request.correction if request.correction and happened_by(request.correction.notified, today) else None
    # 条例 art. 30 gives the office 7 working days to ask, once, for a correction: one asked later moves no clock
    # (it would give the office the time it let pass), and the reply stays due from the receipt.
    correction_late = bool(correction) and not clock_met(calendar, statute.CLOCKS["correction"], receipt,
                                                         correction.notified)
    corrected = correction and happened_by(correction.received, today)
    anchor = receipt
    if corrected and not correction_late:
        anchor = _received(calendar, corrected, settings)
    pauses = tuple(_pause_intervals(calendar, request, settings, today))
    reply_days = statute.CLOCKS["reply"].days
    extension = request.extension
    recorded = bool(extension and extension.approved and extension.notified)
    # art. 33: an extension is the office head's consent and a notice to the applicant, within the time it extends.
    # Both must have happened by ``today``: dates after it are a plan, and until then the reply is due without it.
    approved = recorded and all(happened_by(day, today) for day in (extension.approved, extension.notified))
    extension_late = approved and not calendar.within(anchor, reply_days, extension.notified, pauses)
    extended = approved and not extension_late
    return RequestDeadlines(
        calendar=calendar,
        receipt=receipt,
        correction=correction,
        anchor=anchor,
        days=reply_days + (statute.CLOCKS["extension"].days if extended else 0),
        extended=extended,
        pauses=pauses,
        waiting_for_correction=bool(correction and not corrected and not correction_late),
        correction_late=correction_late,
        extension_late=extension_late,
        extension_planned=recorded and not approved,
    )


def _received(calendar: WorkCalendar, day: dt.date, settings) -> dt.date:
    """The day a request (or its correction) counts as received: a rest day's is the next working day's where the
    office says so (setting rest_day_receipt)."""
    if settings.rest_day_receipt == "next_workday" and not calendar.is_workday(day):
        return calendar.add_workdays(day, 1)
    return day


def happened_by(day: dt.date | None, today: dt.date) -> dt.date | None:
    """A recorded date of a request's clock, once it has come: a date after ``today`` is a plan, not yet a fact."""
    return day if day and day <= today else None


def correction_lapsed(calendar: WorkCalendar, correction: Correction | None, today: dt.date) -> bool:
    """Whether the period a correction notice gave (条例 art. 30) has ended on ``today`` without the corrected
    request. A period whose last day is a rest day runs to the next working day (民法典 art. 203)."""
    if not (correction and correction.due) or happened_by(correction.received, today) or today <= correction.due:
        return False
    last = correction.due if calendar.is_workday(correction.due) else calendar.add_workdays(correction.due, 1)
    return today > last


def _pause_intervals(calendar: WorkCalendar, request: Request, settings, today: dt.date):
    # 条例 art. 33: time consulting third parties (art. 32) and other agencies (art. 34) is not counted, for the 15
    # working days they have to answer: after them silence is consent, and the clock runs again. An open
    # consultation is assumed to run to that end; one recorded as longer pauses the clock no longer (W-PAUSE-LONG
    # says so), or it would hide an overdue reply.
    consulting = statute.CLOCKS["third_party"]
    for pause in request.pauses:
        if not happened_by(pause.start, today):
            continue
        end = happened_by(pause.end, today)
        ended = end and clock_met(calendar, consulting, pause.start, end)
        yield Interval(pause.start, end if ended else clock_due(calendar, consulting, pause.start))
    # 处理费办法 art. 6: whether the fee notice pauses the reply clock is [U]; setting fee_notice_pauses_reply.
    if request.fee and happened_by(request.fee.notified, today) and settings.fee_notice_pauses_reply:
        fee, paying = request.fee, statute.CLOCKS["fee_notice"]
        # The applicant pays within 20 working days or the request is closed (row （六）2): a payment recorded later
        # (or a typo years ahead) pauses the clock no longer than that, or it would hide an overdue reply.
        paid = happened_by(fee.paid, today)
        in_time = paid and clock_met(calendar, paying, fee.notified, paid)
        yield Interval(fee.notified, paid if in_time else clock_due(calendar, paying, fee.notified))


def request_state(calendar: WorkCalendar, request: Request, deadlines: RequestDeadlines, today: dt.date,
                  soon: int) -> ClockState:
    replied = request.replied_by(today)
    if deadlines.waiting_for_correction:  # no reply clock runs until the corrected request arrives (art. 30)
        return ClockState.WAITING if replied is None else ClockState.CLOSED
    if replied is not None:
        return ClockState.CLOSED if deadlines.met_by(replied) else ClockState.CLOSED_LATE
    return state_of(calendar, deadlines.final_due, None, today, soon)


# ------------------------------------------------------------ annual report


def reports_asked(catalog: Catalog, today: dt.date) -> list[tuple[Organ, int]]:
    """The annual reports ``today`` asks about, by organ and year: last year's of every organ, and every earlier
    year's from the first the catalog holds a report of that organ, or of any organ for one it holds none of (one
    never published stays overdue after 1 January, begun or not; the years before the office kept its reports here,
    which it may have published elsewhere, are not asked)."""
    last = today.year - 1
    firsts: dict[str, int] = {}
    for report in catalog.reports:
        firsts[report.organ] = min(report.year, firsts.get(report.organ, report.year))
    anyone = min(firsts.values(), default=last)
    asked = {(organ_id, year) for organ_id in catalog.organs
             for year in range(min(firsts.get(organ_id, anyone), last), last + 1)}
    return [(catalog.organs[organ_id], year) for organ_id, year in sorted(asked) if organ_id in catalog.organs]


def annual_report_due(kind: statute.OrganKind, year: int, settings) -> dt.date:
    """条例 art. 49: the report on ``year`` is due in the following year (31 Jan / 31 Mar / local for townships)."""
    if kind is statute.OrganKind.TOWNSHIP:
        month, day = township_report_due(settings)
    else:
        month, day = statute.ANNUAL_REPORT_DUE[kind]
    return dt.date(year + 1, month, day)
