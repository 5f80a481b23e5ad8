"""The rules of rules.md §9 applied to a catalog: consultations, hotline cases, interpretations and commitments,
each problem at its file and line.

``validate`` runs these checks with its own (a year without calendar data postpones a record's deadline, not the
other checks). Errors are what must be fixed before publishing: a consultation shorter than its minimum, personal
data in a published field, a reference to a document that does not exist. Missed deadlines are warnings: they
happened, and `gongkai due` lists what is still open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from ..errors import Location, Problem
from ..model.catalog import Catalog, Item, Power
from ..model.dates import as_stated, comes_before
from ..model.fields import Record
from ..model.participation import CONSULTATION, Consultation, HotlineCase
from ..model.personal_data import IDENTITY, personal_data
from ..model.references import organ_problems, published_file_problems
from ..model.skeleton import OPEN_ADVICE, unfilled
from ..rules.commitments import commitment_exceeded
from ..rules.consultation import feedback_due, feedback_from, shortfall
from ..rules.hotline import day_of, reply_due
from ..rules.lists import promise_exceeds
from ..rules.workdays import WorkCalendar

Check = tuple[Record, Callable[[], Iterator[Problem]]]


def participation_checks(catalog: Catalog, calendar: WorkCalendar, today: dt.date) -> list[Check]:
    """The checks of each record, for ``validate`` to run."""
    checks: list[Check] = [(c.record, lambda c=c: _check_consultation(catalog, calendar, c, today))
                           for c in catalog.consultations]
    checks += [(case.record, lambda case=case: _check_case(catalog, calendar, case, today)) for case in catalog.hotline]
    if interpreting := [item for item in catalog.items if item.interprets]:
        # The documents they name, by 索引号: a dictionary of every item made for every build took ~0.03 s at
        # 100,000 items, with no interpretation to look it up.
        named = {item.interprets for item in interpreting}
        by_index = {item.index_no: item for item in catalog.items if item.index_no in named}
        checks += [(item.record, lambda item=item: _check_interprets(item, by_index, today)) for item in interpreting]
    if catalog.settings.interpretation_required:
        interpretations: dict[str, list[Item]] = {}
        for item in catalog.items:
            if item.interprets and item.published:
                interpretations.setdefault(item.interprets, []).append(item)
        checks += [(item.record, lambda item=item: _check_interpreted(catalog, calendar, item, interpretations, today))
                   for item in catalog.items
                   if item.doc_type == "行政规范性文件" and item.published and item.published <= today]
    checks += [(p.record, lambda p=p: _check_commitment(catalog, p, today)) for p in catalog.powers]
    return checks


def participation_duplicates(catalog: Catalog) -> Iterator[Problem]:
    """Two hotline cases with one number. (Two consultation files of one name in different folders would share a
    page: the address check, site/urls.py, reports them.)"""
    seen: dict[str, Location] = {}
    for case in catalog.hotline:
        where = case.record.at("id")
        if case.id in seen:
            yield where.problem("E-ID-DUPLICATE", found=case.id, other=repr(seen[case.id]), what="12345热线工单",
                                what_en="hotline case")
        else:
            seen[case.id] = where


def _order(record: Record, key: str, earlier: tuple[str, str, dt.date | None],
           later: tuple[str, str, dt.date | None]) -> Iterator[Problem]:
    """E-DATE-ORDER at ``key`` when ``later`` (中文, English, date) comes before ``earlier``."""
    if earlier[2] is not None and later[2] is not None and comes_before(later[2], earlier[2]):
        yield record.at(key).problem("E-DATE-ORDER", later_label=later[0], later_en=later[1], later=as_stated(later[2]),
                                     earlier_label=earlier[0], earlier_en=earlier[1], earlier=as_stated(earlier[2]))


def personal_problems(where: Location, label: str, key: str, text: str, *, caller: bool,
                      identities: bool = True) -> Iterator[Problem]:
    """E-PERSONAL-DATA at ``where`` for each piece of personal data in the published field ``key`` (``label``);
    without ``identities``, what reads as an identity number is not looked for."""
    for found in personal_data(text, caller=caller):
        if not identities and found.kind == IDENTITY:
            continue
        yield where.problem("E-PERSONAL-DATA", field=f"{label}（{key}）", key=key, kind=found.kind,
                            kind_en=found.kind_en, masked=found.masked)


# ------------------------------------------------------------ consultations


_MAIL_ADDRESS = re.compile(r"[^\s@?&#<>\"',;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _check_consultation(catalog: Catalog, calendar: WorkCalendar, consultation: Consultation,
                        today: dt.date) -> Iterator[Problem]:
    record, feedback = consultation.record, consultation.feedback
    yield from organ_problems(catalog, record, consultation.organ)
    start = ("开始日期", "start date", consultation.start)
    yield from _order(record, "end", start, ("截止日期", "end date", consultation.end))
    if consultation.hearing:
        # A 听证's start and end are its sign-up's: the hearing is held once the sign-up has closed (before, the
        # page invited people to sign up for a hearing already held). Another kind's hearing may be held while
        # comments are taken.
        signed_up = ("报名截止日期", "sign-up end", consultation.end) if consultation.kind == "听证" else start
        yield from _order(consultation.hearing.record, "date", signed_up,
                          ("听证会日期", "hearing date", consultation.hearing.date))
    elif consultation.kind == "听证":
        yield record.where.problem("E-REQUIRED", key="hearing", title="听证会（类型为听证时必填）", how="缺少",
                                   how_en="missing")
    if consultation.start <= today:  # on the site from its start
        yield from unfilled(CONSULTATION, record, OPEN_ADVICE)
    if not consultation.channels:
        yield record.where.problem("E-CONSULTATION-CHANNEL")
    if consultation.email and not _MAIL_ADDRESS.fullmatch(consultation.email):
        # Published as a mailto: link: what follows an address there (?bcc=…) would copy every comment to someone.
        yield record.at("email").problem("E-TYPE", field="电子邮箱（email）", key="email", found=consultation.email,
                                         expected="一个电子邮箱地址，例如 yjzj@example.gov.cn", expected_en="one e-mail address",
                                         example="")
    for file in consultation.files:
        yield from published_file_problems(file.record, file.file, file.path, catalog)
    if consultation.document and consultation.document not in {i.index_no for i in catalog.items}:
        yield record.at("document").problem("E-INDEX-UNKNOWN", what="通过后的文件索引号", what_en="document",
                                            found=consultation.document)
    # Everything of it the site publishes that the office writes (its title is in the feeds and the index too).
    for key, label in (("title", "标题"), ("description", "征集说明"), ("contact", "联系方式"), ("post", "通信地址"),
                       ("fax", "传真号码")):
        yield from personal_problems(record.at(key), label, key, getattr(consultation, key), caller=False)
    if hearing := consultation.hearing:
        for key, label in (("place", "听证会地点"), ("signup", "报名方式")):
            yield from personal_problems(hearing.record.at(key), label, key, getattr(hearing, key), caller=False)
    if feedback:
        yield from _check_feedback(consultation, today)
    if consultation.end >= consultation.start and (found := shortfall(calendar, consultation, catalog.settings)):
        yield record.at("end").problem(
            "E-CONSULTATION-SHORT", kind=consultation.kind, minimum=found.minimum.text,
            minimum_en=found.minimum.text_en, basis=f"{found.minimum.basis}；设置 {found.minimum.setting}",
            start=consultation.start, end=consultation.end, actual=found.actual_text, actual_en=found.actual_en,
            earliest=found.earliest_end)
    if feedback_from(consultation) < today:
        due = feedback_due(calendar, consultation, catalog.settings)
        days = catalog.settings.consultation_feedback_workdays
        if feedback is None or day_of(feedback.published) > today:
            if today > due:
                yield record.at("end").problem("W-FEEDBACK-OVERDUE", end=feedback_from(consultation), due=due,
                                               days=days, today=today)
        elif day_of(feedback.published) > due:
            yield feedback.record.at("published").problem("W-FEEDBACK-LATE", published=feedback.published,
                                                          end=consultation.end, due=due, days=days)


def _check_feedback(consultation: Consultation, today: dt.date) -> Iterator[Problem]:
    feedback = consultation.feedback
    record = feedback.record
    yield from _order(record, "published", ("截止日期", "end date", consultation.end),
                      ("反馈公布日期", "feedback date", feedback.published))
    if consultation.hearing:  # what was said at the hearing is answered after it
        yield from _order(record, "published", ("听证会日期", "hearing date", consultation.hearing.date),
                          ("反馈公布日期", "feedback date", feedback.published))
    if day_of(feedback.published) > today:
        yield record.at("published").problem("W-DATE-FUTURE", field="反馈公布日期", key="published",
                                             found=feedback.published, today=today)
    total = (feedback.adopted or 0) + len(feedback.not_adopted)
    if total > feedback.received:
        yield record.at("received").problem("E-FEEDBACK-COUNT", adopted=feedback.adopted or 0,
                                            not_adopted=len(feedback.not_adopted), total=total,
                                            received=feedback.received)
    yield from personal_problems(record.at("summary"), "采纳情况说明", "summary", feedback.summary, caller=False)
    for entry in feedback.not_adopted:
        yield from personal_problems(entry.record.at("opinion"), "意见摘要", "opinion", entry.opinion, caller=True)
        yield from personal_problems(entry.record.at("reason"), "未采纳理由", "reason", entry.reason, caller=False)


# ------------------------------------------------------------ the 12345 hotline


def _check_case(catalog: Catalog, calendar: WorkCalendar, case: HotlineCase, today: dt.date) -> Iterator[Problem]:
    record = case.record
    if case.public:  # a withheld case is counted, never shown: its record may name whom it concerns
        # What the caller said is theirs: no number at all. What the office wrote may name an office's line.
        # A work order's number is the platform's (18 digits of date and serial may read as an identity number), but
        # a caller's mobile number used as one is theirs.
        yield from personal_problems(record.at("id"), "工单编号", "id", case.id, caller=False, identities=False)
        yield from personal_problems(record.at("question"), "反映问题", "question", case.question, caller=True)
        yield from personal_problems(record.at("result"), "办理结果", "result", case.result, caller=False)
        yield from personal_problems(record.at("unit"), "承办单位", "unit", case.unit, caller=False)
    if bool(case.replied) != bool(case.result):
        yield record.at("replied" if case.replied else "result").problem("E-HOTLINE-REPLY")
    yield from _order(record, "replied", ("受理时间", "receipt", case.received), ("办结时间", "closing", case.replied))
    received = day_of(case.received)
    if received > today:
        yield record.at("received").problem("W-DATE-FUTURE", field="受理时间", key="received", found=case.received,
                                            today=today)
        return
    if case.replied and day_of(case.replied) > today:  # as `due` and the site read it: not yet closed
        yield record.at("replied").problem("W-DATE-FUTURE", field="办结时间", key="replied", found=case.replied,
                                           today=today)
    due = reply_due(calendar, case, catalog.settings)
    replied = day_of(case.replied) if case.replied and day_of(case.replied) <= today else None
    if replied and replied > due:
        yield record.at("replied").problem("W-HOTLINE-LATE", id=case.id, replied=replied, due=due,
                                           days=catalog.settings.hotline_reply_workdays,
                                           late=calendar.count_workdays_after(due, replied))
    elif replied is None and today > due:
        yield record.at("received").problem("W-HOTLINE-OVERDUE", id=case.id, due=due, today=today)


# ------------------------------------------------------------ 政策解读


def _check_interprets(item: Item, by_index: dict[str, Item], today: dt.date) -> Iterator[Problem]:
    """An interpretation names a document of the catalog, and is not public before it: 三同步 publishes them
    together, and the page of one without the other links nowhere."""
    where = item.record.at("interprets")
    document = by_index.get(item.interprets)
    if document is None or document is item:
        yield where.problem("E-INDEX-UNKNOWN", what="解读的文件索引号", what_en="interpreted document",
                            found=item.interprets)
    elif item.public_on(today) and not document.public_on(today):
        state = f"于 {day_of(document.published)} 才公开" if document.published else "尚未公开（没有公开日期）"
        yield where.problem("W-INTERPRETATION-EARLY", found=item.interprets, state=state)


def _check_interpreted(catalog: Catalog, calendar: WorkCalendar, item: Item, interpretations: dict[str, list[Item]],
                       today: dt.date) -> Iterator[Problem]:
    """三同步: a 行政规范性文件 published with its interpretation (within the setting's working days)."""
    published = day_of(item.published)
    found = sorted(day_of(i.published) for i in interpretations.get(item.index_no, ()) if day_of(i.published) <= today)
    days = catalog.settings.interpretation_workdays
    due = calendar.add_workdays(published, days) if days else published
    where = item.record.at("published")
    if not found:
        if today > due:
            yield where.problem("W-INTERPRETATION-MISSING", detail=f"于 {published} 发布，没有政策解读",
                                detail_en=f"published on {published} without an interpretation", due=due)
    elif found[0] > due:
        yield where.problem("W-INTERPRETATION-MISSING",
                            detail=f"于 {published} 发布，政策解读 {found[0]} 才发布（最迟应在 {due} 发布）",
                            detail_en=f"published on {published}, its interpretation only on {found[0]}", due=due)


# ------------------------------------------------------------ 限时办结


def _check_commitment(catalog: Catalog, power: Power, today: dt.date) -> Iterator[Problem]:
    if power.legal_limit and power.promised_limit and promise_exceeds(
            power.promised_limit, power.promised_limit_unit, power.legal_limit, power.legal_limit_unit):
        return  # E-PROMISE-EXCEEDS says what is wrong with this promise; fixing it comes first
    limit = commitment_exceeded(power, catalog.settings, today)
    if limit:
        yield power.record.at("promised_limit").problem("W-COMMITMENT-EXCEEDS", promised=power.promised_limit,
                                                        limit=limit.limit, what=limit.what, what_en=limit.what_en,
                                                        setting=limit.setting)
