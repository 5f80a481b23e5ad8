"""What needs action on a given day: the `gongkai due` dashboard (and, later, the home page notices)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..errors import CalendarYearMissing, Location
from ..model.catalog import Catalog, removed_by
from ..model.dates import published_by
from ..rules.consultation import feedback_due, feedback_from
from ..rules.deadlines import (
    ClockState,
    annual_report_due,
    correction_lapsed,
    publication_due,
    reports_asked,
    request_deadlines,
    request_state,
    state_of,
    withdrawal_due,
)
from ..rules.hotline import case_state, day_of, reply_due
from ..rules.validity import estimated_ended, expiring_soon
from ..rules.workdays import WorkCalendar

SECTIONS = ("依申请公开答复", "主动公开", "处罚决定撤下", "文件即将失效", "有效性待确认", "年度报告", "意见采纳情况",
            "12345热线工单")


@dataclasses.dataclass(frozen=True)
class DueEntry:
    section: str       # one of SECTIONS
    organ: str         # organ name
    subject: str
    due: dt.date | None  # None: pending, a year of the clock has no calendar data yet
    status: str        # 已逾期 / 即将到期 / 未到期 / 已于 … 公布 … / 待定：…
    overdue: bool
    where: Location
    estimated: bool = False
    done: bool = False  # finished work (a published report): shown on the home page, not a to-do

    def as_json(self) -> dict:
        return {
            "section": self.section, "organ": self.organ, "subject": self.subject, "due": self.due.isoformat() if self.due else None,
            "status": self.status, "overdue": self.overdue, "path": self.where.path, "line": self.where.line,
            "estimated": self.estimated,
        }


def due_entries(catalog: Catalog, calendar: WorkCalendar, today: dt.date) -> list[DueEntry]:
    """Every entry needing action, by section then due date."""
    entries = (list(_requests(catalog, calendar, today)) + list(_publications(catalog, calendar, today))
               + list(_withdrawals(catalog, calendar, today)) + list(_expiring(catalog, today))
               + [entry for entry in report_statuses(catalog, today) if not entry.done]
               + list(_unrecorded_reports(catalog, today))
               + list(_feedback(catalog, calendar, today)) + list(_hotline(catalog, calendar, today)))
    return sorted(entries, key=lambda e: (SECTIONS.index(e.section), e.due or dt.date.max, e.organ, e.subject))


def _pending(section: str, organ: str, subject: str, where: Location, missing: CalendarYearMissing) -> DueEntry:
    """An entry whose deadline needs a year without calendar data: shown, with why its date is not known."""
    return DueEntry(section, organ, subject, None, f"待定：{missing.pending}", False, where)


def _requests(catalog: Catalog, calendar: WorkCalendar, today: dt.date):
    soon = catalog.settings.due_soon_workdays
    for request in catalog.requests:
        if request.replied_by(today) or request.received > today:
            continue
        subject = f"{request.id} {request.subject}".strip()
        try:
            deadlines = request_deadlines(calendar, request, catalog.settings, today)
            state = request_state(calendar, request, deadlines, today, soon)
            lapsed = deadlines.waiting_for_correction and correction_lapsed(calendar, request.correction, today)
        except CalendarYearMissing as missing:
            yield _pending("依申请公开答复", catalog.organ_name(request.organ), subject, request.record.at("received"),
                           missing)
            continue
        if deadlines.waiting_for_correction:
            if lapsed:  # the applicant's period has ended: the office closes it
                yield DueEntry("依申请公开答复", catalog.organ_name(request.organ), subject, request.correction.due,
                               "补正期限已过：可按逾期不补正办结", False, request.record.at("correction"))
        elif state.needs_action:
            yield DueEntry("依申请公开答复", catalog.organ_name(request.organ), subject, deadlines.final_due,
                           state.value, state is ClockState.OVERDUE, request.record.at("received"),
                           calendar.is_estimated(request.received, deadlines.final_due))


def _publications(catalog: Catalog, calendar: WorkCalendar, today: dt.date):
    """Information formed or changed but not yet published, when its 20 working days run out soon or have."""
    pending = []
    for item in catalog.items:
        # A report's clock is art. 49 (report_statuses), not art. 26; its 成文日期 may be unknown.
        if not item.public_on(today) and not item.annual_report:
            pending.append((item.organ, item.title, item.formed_on, item.record.at("published"), item))
        pending += [(item.organ, f"{item.title}（变更：{c.note}）", c.changed, c.record.at("published"), item)
                    for c in item.changes if not published_by(c.published, today)]
    for entry in (*catalog.powers, *catalog.fees):
        if not published_by(entry.published, today) and not removed_by(entry, today):
            pending.append((entry.organ, f"{entry.id} {entry.name}", entry.decided, entry.record.at("published"), None))
    soon = catalog.settings.due_soon_workdays
    for organ, subject, formed, where, item in pending:
        if formed > today:
            continue
        try:
            due = publication_due(calendar, formed, item).due
            state = state_of(calendar, due, None, today, soon)
        except CalendarYearMissing as missing:
            yield _pending("主动公开", catalog.organ_name(organ), subject, where, missing)
            continue
        if state.needs_action:
            yield DueEntry("主动公开", catalog.organ_name(organ), subject, due, state.value,
                           state is ClockState.OVERDUE, where, calendar.is_estimated(formed, due))


def _withdrawals(catalog: Catalog, calendar: WorkCalendar, today: dt.date):
    for item in catalog.items:
        if item.withdrawal and item.withdrawal.withdrawn is None:
            try:
                due = withdrawal_due(calendar, item.withdrawal.changed)
                state = state_of(calendar, due, None, today, catalog.settings.due_soon_workdays)
            except CalendarYearMissing as missing:
                yield _pending("处罚决定撤下", catalog.organ_name(item.organ), item.title,
                               item.withdrawal.record.at("withdrawn"), missing)
                continue
            yield DueEntry("处罚决定撤下", catalog.organ_name(item.organ), item.title, due, state.value,
                           state is ClockState.OVERDUE, item.withdrawal.record.at("withdrawn"),
                           calendar.is_estimated(item.withdrawal.changed, due))


def _expiring(catalog: Catalog, today: dt.date):
    for item in catalog.items:
        state = expiring_soon(item, today, catalog.settings)
        if state:
            yield DueEntry("文件即将失效", catalog.organ_name(item.organ), item.title, state.expires,
                           f"将于 {state.expires} 失效（{state.reason}）", False, item.record.at("title"))
        ended = estimated_ended(item, today, catalog.settings)
        if ended:
            yield DueEntry("有效性待确认", catalog.organ_name(item.organ), item.title, ended.expires,
                           f"{ended.reason}已于 {ended.expires} 失效，尚未标注有效性", False, item.record.at("title"))


def report_statuses(catalog: Catalog, today: dt.date):
    """Each report ``reports_asked``: not yet due, due in N days, overdue, or published by ``today`` (done; a later
    publication date is a plan, and the report is due until its day)."""
    published = catalog.published_reports(today)
    for organ, year in reports_asked(catalog, today):
        due = annual_report_due(organ.kind, year, catalog.settings)
        report = published.get((organ.id, year))
        if report:
            late = "（逾期）" if report.published > due else ""
            status, overdue = f"已于 {report.published} 公布{late}", False
        elif today > due:
            status, overdue = f"已逾期 {(today - due).days} 天", True
        else:
            status, overdue = f"还有 {(due - today).days} 天", False
        yield DueEntry("年度报告", organ.name, f"{year} 年政府信息公开工作年度报告", due, status, overdue,
                       organ.record.where, done=report is not None)


def _unrecorded_reports(catalog: Catalog, today: dt.date):
    """Each report published by ``today`` whose figures are not recorded (W-REPORT-UNRECORDED)."""
    for source in catalog.unrecorded_reports(today):
        yield DueEntry("年度报告", catalog.organ_name(source.organ), f"{source.year} 年政府信息公开工作年度报告",
                       source.published, f"已于 {source.published} 公布，尚未记录公布时的数字：请核对后运行 gongkai "
                       f"report record --organ {source.organ} --year {source.year}", False, source.record.at("published"))


def _feedback(catalog: Catalog, calendar: WorkCalendar, today: dt.date):
    """Closed consultations whose 采纳情况 is not published yet (rules.md §9)."""
    for consultation in catalog.consultations:
        feedback = consultation.feedback
        if feedback_from(consultation) >= today or (feedback and day_of(feedback.published) <= today):
            continue
        organ, subject = catalog.organ_name(consultation.organ), f"{consultation.title}（{consultation.end} 截止）"
        where = consultation.record.at("end")
        try:
            due = feedback_due(calendar, consultation, catalog.settings)
            state = state_of(calendar, due, None, today, catalog.settings.due_soon_workdays)
        except CalendarYearMissing as missing:
            yield _pending("意见采纳情况", organ, subject, where, missing)
            continue
        yield DueEntry("意见采纳情况", organ, subject, due, state.value, state is ClockState.OVERDUE, where,
                       calendar.is_estimated(day_of(consultation.end), due))


def _hotline(catalog: Catalog, calendar: WorkCalendar, today: dt.date):
    """Open 12345 hotline cases due soon or overdue; the organ column names the 承办单位."""
    for case in catalog.hotline:
        if (case.replied and day_of(case.replied) <= today) or day_of(case.received) > today:
            continue
        subject, where = f"{case.id} {case.type}：{case.question}", case.record.at("received")
        try:
            due = reply_due(calendar, case, catalog.settings)
            state = case_state(calendar, case, today, catalog.settings)
        except CalendarYearMissing as missing:
            yield _pending("12345热线工单", case.unit, subject, where, missing)
            continue
        if state.needs_action:
            yield DueEntry("12345热线工单", case.unit, subject, due, state.value, state is ClockState.OVERDUE, where,
                           calendar.is_estimated(day_of(case.received), due))
