"""Public consultation (意见征集、听证, rules.md §9): minimum periods, where a consultation stands on a day, and when
its feedback is due.

Periods are counted as every clock of gongkai is (rules.md §1): the start day is day 0, so a consultation from
1 November to 1 December runs 30 days, and one of 7 working days ends on the 7th working day after its start. The
minimum of each kind is a setting (the texts behind them were not read in full [R]; a province may ask less of
规章 drafts, as 吉政发〔2014〕26号 does with 15 days).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum

from ..model.participation import Consultation
from .workdays import WorkCalendar


@dataclasses.dataclass(frozen=True)
class MinimumPeriod:
    length: int
    working_days: bool  # counted in working days (else calendar days)
    setting: str
    basis: str

    @property
    def text(self) -> str:
        return f"{self.length} {'个工作日' if self.working_days else '日'}"

    @property
    def text_en(self) -> str:
        return f"{self.length} {'working days' if self.working_days else 'days'}"


def minimum_period(kind: str, settings) -> MinimumPeriod | None:
    """The shortest period a draft of ``kind`` may be open for comment; None for hearings and other consultations,
    which no rule gives one."""
    if kind == "规章":
        return MinimumPeriod(settings.consultation_days_rule, False, "consultation_days_rule", "《规章制定程序条例》")
    if kind == "重大行政决策":
        return MinimumPeriod(settings.consultation_days_decision, False, "consultation_days_decision",
                             "《重大行政决策程序暂行条例》第十四条")
    if kind == "行政规范性文件":
        return MinimumPeriod(settings.consultation_workdays_normative, True, "consultation_workdays_normative",
                             "国办发〔2018〕37号")
    return None


@dataclasses.dataclass(frozen=True)
class Shortfall:
    """A consultation shorter than its minimum: how long it ran, and the first end date that would do."""

    minimum: MinimumPeriod
    actual: int
    earliest_end: dt.date

    @property
    def actual_text(self) -> str:
        return f"{self.actual} {'个工作日' if self.minimum.working_days else '日'}"

    @property
    def actual_en(self) -> str:
        return f"{self.actual} {'working days' if self.minimum.working_days else 'days'}"


def shortfall(calendar: WorkCalendar, consultation: Consultation, settings) -> Shortfall | None:
    """How a consultation falls short of its kind's minimum period, if it does (working days need the calendar of
    the years involved: CalendarYearMissing otherwise)."""
    minimum = minimum_period(consultation.kind, settings)
    if minimum is None or not minimum.length:
        return None
    start, end = _day(consultation.start), _day(consultation.end)
    if minimum.working_days:
        earliest = calendar.add_workdays(start, minimum.length)
        actual = calendar.count_workdays_after(start, end) if end < earliest else minimum.length
    else:
        earliest = start + dt.timedelta(days=minimum.length)
        actual = (end - start).days
    return Shortfall(minimum, actual, earliest) if end < earliest else None


class Stage(enum.Enum):
    UPCOMING = "未开始"
    OPEN = "征求意见中"
    CLOSED = "已截止"            # the feedback is not published yet
    ANSWERED = "已公布采纳情况"

    @property
    def public(self) -> bool:
        """Shown on the site: from its start day, when the notice is published."""
        return self is not Stage.UPCOMING


def stage(consultation: Consultation, today: dt.date) -> Stage:
    if _day(consultation.start) > today:
        return Stage.UPCOMING
    if today <= _day(consultation.end):
        return Stage.OPEN
    feedback = consultation.feedback
    if feedback and _day(feedback.published) <= today:
        return Stage.ANSWERED
    return Stage.CLOSED


def days_left(consultation: Consultation, today: dt.date) -> int:
    """Calendar days after ``today`` on which comments are still taken: 0 on the last day."""
    return (_day(consultation.end) - today).days


def feedback_from(consultation: Consultation) -> dt.date:
    """The day the feedback's clock starts: the end of the period, or a hearing's day when it is later (its
    start and end are then the sign-up's, and the opinions to answer are those heard)."""
    hearing = consultation.hearing
    return max(_day(consultation.end), _day(hearing.date)) if hearing else _day(consultation.end)


def feedback_due(calendar: WorkCalendar, consultation: Consultation, settings) -> dt.date:
    """The last day to publish the feedback (采纳情况): a setting's number of working days after ``feedback_from``."""
    return calendar.add_workdays(feedback_from(consultation), settings.consultation_feedback_workdays)


def _day(value: dt.date) -> dt.date:
    """A date without the time some dates carry (model/dates.py): clocks count days."""
    return dt.date(value.year, value.month, value.day)
