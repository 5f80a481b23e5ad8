"""Request statistics beyond the national format: what the report page's charts and the 依申请公开 page show."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import statistics
from collections import Counter

from .. import statute
from ..errors import CalendarYearMissing
from ..model.catalog import Catalog, Organ
from ..rules.deadlines import ClockState, request_deadlines, request_state
from ..rules.workdays import WorkCalendar
from .datafile import ReportData
from .layout import RESULT_ROWS, ROW_BY_KEY


@dataclasses.dataclass(frozen=True)
class RequestStats:
    """What the report page's charts show: applications by month, results by group, replies on time."""

    by_month: tuple[int, ...]
    by_group: tuple[tuple[str, int], ...]
    answered: int
    on_time: int
    untimed: int  # answered, but a year of the clock has no calendar data yet: neither on time nor late


def request_stats(catalog: Catalog, calendar: WorkCalendar, organ: Organ, year: int,
                  report: ReportData | None = None) -> RequestStats:
    """The charts of the report on ``year``; its results by group are those of ``report``'s table when given (the
    figures it was published with, which the chart beside the table must not contradict)."""
    requests = catalog.requests_of(organ.id)
    months = Counter(r.received.month for r in requests if r.received.year == year)
    groups = Counter()
    answered = on_time = untimed = 0
    for request in requests:
        if request.replied and request.replied.year == year:
            row = ROW_BY_KEY[statute.OUTCOME_ROWS[request.outcome]]
            groups[row.group or row.key] += 1
            answered += 1
            timely = answered_on_time(catalog, calendar, request)
            on_time += timely is True
            untimed += timely is None
    order = list(dict.fromkeys(row.group or row.key for row in RESULT_ROWS))
    if report is not None:
        groups = Counter()
        for row in RESULT_ROWS:
            groups[row.group or row.key] += report.requests[row.key][-1]
    return RequestStats(tuple(months.get(m, 0) for m in range(1, 13)),
                        tuple((g, groups.get(g, 0)) for g in order), answered, on_time, untimed)


def answered_on_time(catalog: Catalog, calendar: WorkCalendar, request) -> bool | None:
    """Whether an answered request was answered within its time; None when a year of its clock has no calendar
    data yet (validation warns about it at the request's line)."""
    try:  # the clock as it stood on the day of the reply
        deadlines = request_deadlines(calendar, request, catalog.settings, request.replied)
        return request_state(calendar, request, deadlines, request.replied, 0) is ClockState.CLOSED
    except CalendarYearMissing:
        return None


@dataclasses.dataclass(frozen=True)
class Timeliness:
    organ: str
    received: int
    answered: int
    on_time: int
    median_workdays: float | None
    untimed: int = 0  # answered, but a year of the clock has no calendar data yet


def timeliness(catalog: Catalog, calendar: WorkCalendar, today: dt.date) -> list[Timeliness]:
    """Per organ, requests received and answered by ``today``, answered on time, and the median working days
    to answer."""
    rows = []
    for organ in sorted(catalog.organs.values(), key=lambda o: o.id):
        requests = [r for r in catalog.requests_of(organ.id) if r.received <= today]
        answered = [r for r in requests if r.replied and r.replied <= today]
        on_time, untimed, durations = 0, 0, []
        for request in answered:
            timely = answered_on_time(catalog, calendar, request)
            if timely is None:
                untimed += 1
                continue
            on_time += timely
            anchor = request_deadlines(calendar, request, catalog.settings, request.replied).anchor
            # A reply known late whose day falls in a year without its notice yet is in the rate, not in the median
            # (its working days cannot be counted): one such reply stopped the whole site from being built.
            with contextlib.suppress(CalendarYearMissing):
                durations.append(calendar.count_workdays_after(anchor, request.replied))
        median = statistics.median(durations) if durations else None
        rows.append(Timeliness(organ.name, len(requests), len(answered), on_time, median, untimed))
    return rows
