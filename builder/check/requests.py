"""The request desk (`gongkai requests`): every open request with its clock and what to do next.

`gongkai due` lists what needs action soon; this lists every request not yet answered, by due date, with how its
clock runs (day 0, correction restart, pauses, extension) and the next step the 条例 asks for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import statute
from ..errors import CalendarYearMissing, Location
from ..model.catalog import Catalog, Request
from ..rules.deadlines import (
    ClockState,
    RequestDeadlines,
    clock_due,
    correction_lapsed,
    happened_by,
    request_deadlines,
    request_state,
)
from ..rules.workdays import WorkCalendar


@dataclasses.dataclass(frozen=True)
class OpenRequest:
    id: str
    organ: str
    subject: str
    due: dt.date | None          # None: a year of the clock has no calendar data yet
    state: str                   # ClockState's words, or 待定
    clock: tuple[str, ...]       # how the clock runs, one fact per entry
    next_step: str
    where: Location
    estimated: bool = False      # the due date counts a year from the provisional calendar

    @property
    def due_text(self) -> str:
        if self.due:
            return self.due.isoformat()
        return "补正后起算" if self.state == ClockState.WAITING.value else "待定"

    def as_json(self) -> dict:
        return {"id": self.id, "organ": self.organ, "subject": self.subject,
                "due": self.due.isoformat() if self.due else None, "state": self.state, "clock": list(self.clock),
                "next_step": self.next_step, "path": self.where.path, "line": self.where.line,
                "estimated": self.estimated}


def open_requests(catalog: Catalog, calendar: WorkCalendar, today: dt.date) -> list[OpenRequest]:
    """Every request received by ``today`` and not answered by it, the soonest due first (pending ones last)."""
    found = [_open_request(catalog, calendar, request, today) for request in catalog.requests
             if request.replied_by(today) is None and request.received <= today]
    return sorted(found, key=lambda r: (r.due or dt.date.max, r.organ, r.id))


def _open_request(catalog: Catalog, calendar: WorkCalendar, request: Request, today: dt.date) -> OpenRequest:
    organ_name = catalog.organ_name(request.organ)
    where = request.record.at("received")
    try:
        deadlines = request_deadlines(calendar, request, catalog.settings, today)
        state = request_state(calendar, request, deadlines, today, catalog.settings.due_soon_workdays)
        next_step = _next_step(calendar, request, deadlines, state, today)
        due = None if deadlines.waiting_for_correction else deadlines.final_due  # no clock runs until corrected
    except CalendarYearMissing as missing:
        return OpenRequest(request.id, organ_name, request.subject, None, "待定",
                           (f"收到 {request.received}（第 0 日）",),
                           missing.pending, where)
    return OpenRequest(request.id, organ_name, request.subject, due, state.value, _clock(request, deadlines, today),
                       next_step, where, due is not None and calendar.is_estimated(request.received, due))


def _clock(request: Request, deadlines: RequestDeadlines, today: dt.date) -> tuple[str, ...]:
    """The clock's facts as they stand on ``today``: a date recorded for a day to come is not one yet."""
    reply, extension = statute.CLOCKS["reply"], statute.CLOCKS["extension"]
    facts = [f"收到 {request.received}（第 0 日）"]
    if deadlines.receipt != request.received:
        facts.append(f"休息日收到，自 {deadlines.receipt} 起算")
    asking = statute.CLOCKS["correction"]
    correction = deadlines.correction
    if correction and deadlines.correction_late:
        facts.append(f"{correction.notified} 告知补正，超过 {asking.days} 个工作日（应在 "
                     f"{deadlines.correction_due} 前，{asking.article}）：答复期限仍从收到申请之日起算")
    elif correction:
        facts.append(f"{correction.notified} 告知补正（{asking.article}）"
                     + (f"，补正期限 {correction.due}" if correction.due else ""))
        if happened_by(correction.received, today):
            facts.append(f"{correction.received} 收到补正，答复期限重新起算"
                         + (f"（休息日收到，自 {deadlines.anchor} 起算）"
                            if deadlines.anchor != correction.received else ""))
    for pause in deadlines.pauses:
        facts.append(f"{pause.start} 次日至 {pause.end} 不计入答复期限")  # Interval: (start, end]
    facts.append(f"{reply.days} 个工作日内答复（{reply.article}）")
    if deadlines.extended:
        facts.append(f"已延期 {extension.days} 个工作日（{request.extension.approved} 负责人同意，"
                     f"{request.extension.notified} 告知申请人）")
    elif deadlines.extension_late:
        facts.append(f"{request.extension.notified} 告知延期，晚于原答复期限 {deadlines.reply_due}：不能延长"
                     f"（{extension.article}）")
    elif deadlines.extension_planned:
        facts.append(f"延期记为 {request.extension.approved} 负责人同意、{request.extension.notified} 告知申请人，"
                     f"日期未到，尚未延期：两项都已发生后才延长答复期限（{extension.article}）")
    return tuple(facts)


def _next_step(calendar: WorkCalendar, request: Request, deadlines: RequestDeadlines, state: ClockState,
               today: dt.date) -> str:
    """What the 条例 asks of the office now, the most pressing first."""
    if deadlines.waiting_for_correction:
        article = statute.CLOCKS["correction"].article
        if correction_lapsed(calendar, request.correction, today):
            return (f"补正期限 {request.correction.due} 已过：申请人无正当理由逾期不补正的，按“逾期不补正”办结"
                    f"（{article}），填写 replied 和 outcome")
        until = f"（补正期限 {request.correction.due}）" if request.correction.due else ""
        return f"等待申请人补正{until}：收到补正后填写 correction.received，答复期限从该日重新起算（{article}）"
    consulting = [pause for pause in request.pauses
                  if happened_by(pause.start, today) and not happened_by(pause.end, today)]
    if consulting:
        clock = statute.CLOCKS["third_party"]
        if today > max(clock_due(calendar, clock, pause.start) for pause in consulting):
            return (f"征求意见期已满（{clock.days} 个工作日，{clock.article}）：逾期未提出意见的，由本机关依法决定"
                    f"是否公开；请填写 pauses 的 end 并答复")
        return "正在征求意见：收到意见或期满后填写 pauses 的 end（期间不计入答复期限）"
    if request.fee and happened_by(request.fee.notified, today) and not happened_by(request.fee.paid, today):
        clock = statute.CLOCKS["fee_notice"]
        if today > clock_due(calendar, clock, request.fee.notified):
            return (f"缴费期限已过（{clock.days} 个工作日，{clock.article}）：申请人逾期未缴费的，可按“逾期未缴费”"
                    f"办结，填写 replied 和 outcome")
        return "等待申请人缴纳信息处理费：缴费后填写 fee.paid"
    if request.extension and not (request.extension.approved and request.extension.notified):
        return "延期尚未生效：须经负责人同意（approved）并告知申请人（notified），两项日期都要填写"
    if state is ClockState.OVERDUE:
        return "已逾期：请尽快答复，答复后填写 replied 和 outcome"
    if state is ClockState.DUE_SOON and not deadlines.extended:
        extension = statute.CLOCKS["extension"]
        return (f"即将到期：请按期答复；确需延长的，经负责人同意并告知申请人，可延长 {extension.days} 个工作日"
                f"（{extension.article}）")
    return "按期答复，答复后填写 replied 和 outcome"
