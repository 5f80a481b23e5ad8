"""Every rule of rules.md that can be checked on the data, as problems at a file and line.

Errors are data that is wrong or incomplete (staff must fix it before
publishing). Facts that show a statutory limit was missed — a late reply,
a late publication — are warnings: they happened and must stay on record,
and the `due` dashboard and the annual report show them.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import operator
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from search.hashing import digest

from .. import statute
from ..errors import CalendarYearMissing, Location, Problem, ordered_problems
from ..model.catalog import (
    FEE,
    ITEM,
    POWER,
    Catalog,
    Fee,
    FeeSubItem,
    Item,
    ListedEntry,
    ListRelease,
    Power,
    Request,
    Withdrawal,
    removed_by,
    statistics_path,
)
from ..model.dates import as_stated, comes_before, published_by
from ..model.fields import Record
from ..model.holidays import YearArrangement
from ..model.load import ChangedItems
from ..model.references import organ_problems, published_file_problems
from ..model.settings import index_regex
from ..model.skeleton import unfilled
from ..rules import lists, website
from ..rules.deadlines import (
    annual_report_due,
    clock_due,
    clock_met,
    correction_lapsed,
    publication_due,
    reports_asked,
    request_deadlines,
    withdrawal_due,
)
from ..rules.fees import fee_by_pages, fee_for_nth_request
from ..rules.identifiers import (
    check_index_no,
    credit_code_problem,
    identifier_form,
    invisible_characters,
)
from ..rules.statutory_holidays import statutory_holidays
from ..rules.validity import estimated_ended, expiring_soon
from ..rules.workdays import NEXT_NOTICE_FROM, WorkCalendar, packaged_arrangement
from ..util import resolved
from .participation import (
    participation_checks,
    participation_duplicates,
    personal_problems,
)


@dataclasses.dataclass
class CheckedItems:
    """What checking each item file found, apart from its attachments, in one context: the same settings, organs,
    calendar and day. Kept between builds (build/cache.py): an unchanged item in an unchanged context is not
    checked again (checking 100,000 items took ~1.5 s of every build). With it, what the addresses' check read
    besides the items (site/urls.py ``entry_addresses``), kept by a build that succeeded, whose addresses were then
    all clear."""

    context: str = ""
    # item file → (the digest of its bytes, its problems), or the digest alone where it has none (most items: at
    # 100,000 items a pair and an empty list each were 140,000 objects more to unpickle, ~0.04 s of every change).
    # Keyed by the file alone: an unchanged item's entry is the last build's, the very object, where a key of file
    # and digest was a new pair for each of 100,000 items.
    problems: dict[str, tuple[str, list[Problem]] | str] = dataclasses.field(default_factory=dict)
    addresses: str = ""
    # request file → (its requests, their problems), in the same context: a file's requests are the very objects of
    # the last build while its bytes are the same (load.CatalogFiles), and checking 5,000 of them took ~0.04 s
    requests: dict[str, tuple[tuple[Request, ...], list[Problem]]] = dataclasses.field(default_factory=dict)
    # The item files checked anew by the build that made ``problems``: every other entry is the very object the
    # last build kept (build/cache.py saves only what differs).
    renewed: list[str] = dataclasses.field(default_factory=list)


def validate(catalog: Catalog, calendar: WorkCalendar, today: dt.date,
             checked: tuple[CheckedItems, CheckedItems] | None = None) -> list[Problem]:
    """Every problem of the catalog, in order. ``checked``: what the last build found and where this one records
    it."""
    return ordered_problems(problems_found(catalog, calendar, today, checked))


def problems_found(catalog: Catalog, calendar: WorkCalendar, today: dt.date,
                   checked: tuple[CheckedItems, CheckedItems] | None = None,
                   changed: ChangedItems | None = None) -> list[Problem]:
    """Every problem of the catalog in no order, one possibly more than once (``validate`` sorts them): for a
    caller that sorts them with others (the build, where sorting 34,000 warnings at 100,000 items took ~0.15 s).
    ``changed``: the items of the item files changed since the build ``checked`` holds (load.py
    ``CatalogFiles.changed_items``), where known."""
    problems: list[Problem] = []
    checks: list[tuple[Record, Callable[[], Iterator[Problem]]]] = []
    for organ in catalog.organs.values():
        if organ.credit_code:
            checks.append((organ.record, lambda o=organ: _check_credit_code(o.record, o.credit_code)))
    previous, current = checked or (CheckedItems(), CheckedItems())
    current.context = _item_context(catalog, calendar, today)
    # A provisional calendar's checks are never reused: an estimated year must be seen in use to be announced.
    same_context = previous.context == current.context and not calendar.provisional
    problems += _item_problems(catalog, calendar, today, previous.problems if same_context else {}, current, changed)
    problems += _request_problems(catalog, calendar, today, previous.requests if same_context else {},
                                  current.requests)
    fees_by_id = {fee.id: fee for fee in catalog.fees}
    checks += [(p.record, lambda p=p: _check_power(catalog, calendar, p, fees_by_id, today)) for p in catalog.powers]
    checks += [(f.record, lambda f=f: _check_fee_item(catalog, calendar, f, today)) for f in catalog.fees]
    checks += [(r.record, lambda r=r: _check_release(catalog, r, today)) for r in catalog.releases]
    checks += participation_checks(catalog, calendar, today)  # rules.md §9
    for record, check in checks:
        problems += _run(record, check, calendar)
    problems += _check_annual_reports(catalog, today)
    problems += _check_site(catalog)
    problems += _duplicates("年度报告", "annual report", "annual_report",
                            ([f"{i.organ} {i.annual_report}" for i in catalog.report_items],
                             [i.record for i in catalog.report_items]))
    problems += _duplicates("索引号", "index number", "index_no", _keyed(catalog, "item", catalog.items, "index_no"),
                            "E-INDEX-DUPLICATE")
    problems += _duplicates("申请", "request", "id", _keyed(catalog, "request", catalog.requests, "id"))
    problems += _duplicates("权力事项", "power", "id", _keyed(catalog, "power", catalog.powers, "id"))
    problems += _duplicates("收费项目", "fee", "id", _keyed(catalog, "fee", catalog.fees, "id"))
    problems += participation_duplicates(catalog)
    return problems


def _item_problems(catalog: Catalog, calendar: WorkCalendar, today: dt.date, known: dict, current: CheckedItems,
                   changed: ChangedItems | None) -> list[Problem]:
    """The problems of every item, each item file's recorded in ``current``: the last build's (``known``) while the
    file holds the same bytes. Where the files changed since are known (``changed``) and every other file's entry is
    there, only their items are looked at: a pass that looked up every item's entry took ~0.1 s of a change at
    100,000 items. An item made from another file than its own (a report's, no digest) is checked by every build;
    every item's attachments are looked at again (the files may go without the item changing)."""
    items = catalog.items
    if changed is not None and known:
        entries = dict(known)  # a copy: what the last build kept is compared with it when this one is saved
        for before, _ in changed:
            if before is not None and before.digest:
                entries.pop(before.path, None)
        fresh = [after for _, after in changed if after is not None and after.digest]
        unkept = [item for item in items if not item.digest]
        if len(entries) + len(fresh) + len(unkept) == len(items) and not any(i.path in entries for i in fresh):
            current.problems = entries
            problems = [problem for entry in entries.values() if type(entry) is not str for problem in entry[1]]
            return problems + _checked_items(catalog, calendar, today, fresh + unkept, {}, current) + [
                problem for item in items if item.attachments for problem in _check_attachments(catalog, item)]
    return _checked_items(catalog, calendar, today, items, known, current, attachments=True)


def _checked_items(catalog: Catalog, calendar: WorkCalendar, today: dt.date, items: list[Item], known: dict,
                   current: CheckedItems, attachments: bool = False) -> list[Problem]:
    """The problems of ``items``, each item file's recorded in ``current`` (``known``'s entry while the file holds
    the same bytes); ``attachments``: with their attachments'."""
    problems: list[Problem] = []
    for item in items:
        entry = known.get(item.path) if item.digest else None  # a report's item is made, not read from a file
        if entry is None or (entry if type(entry) is str else entry[0]) != item.digest:
            found = _run(item.record, lambda i=item: _check_item(catalog, calendar, i, today), calendar)
            entry = (item.digest, found) if found else item.digest
            current.renewed.append(item.path)
        if item.digest:
            current.problems[item.path] = entry
        if type(entry) is not str:
            problems += entry[1]
        if attachments and item.attachments:
            problems += _check_attachments(catalog, item)
    return problems


def _request_problems(catalog: Catalog, calendar: WorkCalendar, today: dt.date,
                      known: dict[str, tuple[tuple[Request, ...], list[Problem]]],
                      recorded: dict[str, tuple[tuple[Request, ...], list[Problem]]]) -> list[Problem]:
    """The problems of every request, file by file: a file's are the last build's (``known``) while it holds the
    very requests checked then; each file's are recorded in ``recorded``."""
    problems = []
    for path, requests in _requests_by_file(catalog.requests, known).items():
        entry = known.get(path)
        if entry is None or len(entry[0]) != len(requests) or any(map(operator.is_not, entry[0], requests)):
            entry = (tuple(requests), [problem for r in requests for problem in
                                       _run(r.record, lambda r=r: _check_request(catalog, calendar, r, today),
                                            calendar)])
        recorded[path] = entry
        problems += entry[1]
    return problems


def _requests_by_file(requests: list[Request], known: dict[str, tuple[tuple[Request, ...], list[Problem]]]
                      ) -> dict[str, list[Request]]:
    """``requests`` by the file each is in. A file whose bytes are as the last build read them gives the very
    requests it gave then, in their order (load.CatalogFiles): found as a run of the objects ``known`` holds, its
    path read from none of their records, which a build kept unread (5,000 requests: ~0.045 s of every build)."""
    first = {id(held[0]): path for path, (held, _) in known.items() if held}
    by_file: dict[str, list[Request]] = {}
    place = 0
    while place < len(requests):
        path = first.get(id(requests[place]))
        held = known[path][0] if path is not None else ()
        run = requests[place:place + len(held)]
        if held and len(run) == len(held) and all(map(operator.is_, held, run)):
            by_file[path] = run
            place += len(run)
        else:
            by_file.setdefault(requests[place].record.where.path, []).append(requests[place])
            place += 1
    return by_file


def _run(record: Record, check: Callable[[], Iterator[Problem]], calendar: WorkCalendar) -> list[Problem]:
    """The check's problems; those that state what it counted (a deadline, a delay, the earliest end) marked 预估
    when the count used a year the provisional calendar estimated (``WorkCalendar.estimates_used``, which moves
    only when a count does: another record's estimate, or a rule of calendar days, is not this one's)."""
    found, before = [], calendar.estimates_used
    for problem in _counted(record, check()):
        if calendar.estimates_used > before and any(key in _COUNTED for key, _ in problem.params):
            problem = dataclasses.replace(problem, estimated=True)
        found.append(problem)
    return found


_COUNTED = ("due", "earliest", "late")  # the parameters that state what a check counted


def _counted(record: Record, problems: Iterator[Problem]) -> Iterator[Problem]:
    """The problems of a check that counts working days. Where a year it counts through has no calendar data yet,
    its deadline waits for next year's notice (W-CALENDAR-YEAR), and nobody else's publishing does: what the check
    found before stands, and so do the record's other checks, which run apart from it (an unknown organ hidden
    behind a pending deadline was published)."""
    try:
        yield from problems
    except CalendarYearMissing as missing:
        yield record.where.problem("W-CALENDAR-YEAR", year=missing.year, file=missing.holidays_file)


def _item_context(catalog: Catalog, calendar: WorkCalendar, today: dt.date) -> str:
    """Everything besides the item that checking it reads (``_check_item``)."""
    return digest(today.isoformat(), repr(catalog.settings), repr(sorted(catalog.organs)),
                  repr(sorted(catalog.unreadable_organs)), calendar.fingerprint(),
                  os.getcwd())  # which the problems' paths are relative to


def _keyed(catalog: Catalog, kind: str, entries: Sequence, key: str) -> tuple[list[str], Iterable[Record]]:
    """Each entry's identifier ``key`` and its record, then those read in entries of ``kind`` that have other
    errors: a duplicate among them is found in the same run, not only once those errors are fixed. Taken from C
    (``attrgetter``): this runs over every item. The records are taken only when a duplicate is found: a kept item's
    record is unpickled with the rest of its fields (catalog.ITEM_READ_FIRST)."""
    unfinished = [record for record in catalog.unfinished.get(kind, ()) if key in record.values]
    return ([*map(operator.attrgetter(key), entries), *(record.values[key] for record in unfinished)],
            itertools.chain(map(_RECORD, entries), unfinished))


_RECORD = operator.attrgetter("record")


def _duplicates(what: str, what_en: str, field: str, keyed: tuple[list[str], Iterable[Record]],
                code: str = "E-ID-DUPLICATE") -> Iterator[Problem]:
    """Each later record whose ``field`` repeats an earlier one's value (``keyed``: the values and their records),
    written alike or only in other forms of the same characters (NFKC: full-width digits, a Kangxi radical ⾦ for
    金), which read as one and which the import takes for one. Lines are looked up only for a duplicate: this runs
    over every item (at 100,000 items, locating each took 0.3 s)."""
    keys, records = keyed
    forms = list(map(identifier_form, keys))
    if len(set(forms)) == len(forms):  # none repeated (a valid catalog), found without a loop of bytecode
        return
    seen: dict[str, Record] = {}
    for form, key, record in zip(forms, keys, records):
        if form in seen:
            yield record.at(field).problem(code, found=key, other=repr(seen[form].at(field)), what=what,
                                           what_en=what_en)
        else:
            seen[form] = record


def _check_credit_code(record: Record, code: str) -> Iterator[Problem]:
    found = credit_code_problem(code)
    if found:
        yield record.at("credit_code").problem(found[0], found=code, expected=found[1])


def _check_order(record: Record, *steps: tuple[str, str, str, dt.date | None]) -> Iterator[Problem]:
    """Dates that must not go backwards: (key, 中文, English, value) in their legal order."""
    present = [s for s in steps if s[3] is not None]
    for earlier, later in zip(present, present[1:]):
        if comes_before(later[3], earlier[3]):
            yield record.at(later[0]).problem(
                "E-DATE-ORDER", later_label=later[1], later=as_stated(later[3]), earlier_label=earlier[1],
                earlier=as_stated(earlier[3]), later_en=later[2], earlier_en=earlier[2])


def _check_future(record: Record, key: str, label: str, value: dt.date | None, today: dt.date,
                  at: str = "") -> Iterator[Problem]:
    """A date after today: a plan or a slip, never yet a fact. ``at``: the key whose line to name, for a nested one."""
    if value and value > today:
        yield record.at(at or key).problem("W-DATE-FUTURE", field=label, key=key, found=value, today=today)


def _check_publication(calendar: WorkCalendar, where: Location, what: str, formed: dt.date,
                       published: dt.date | None, today: dt.date, item: Item | None = None) -> Iterator[Problem]:
    """条例 art. 26 (and rules.md §7 for power and fee entries): publish within 20 working days. A publication date
    after today is a plan (the site publishes the entry on its day): past its limit, it is said as what will happen."""
    due = publication_due(calendar, formed, item)
    if not published_by(published, today) and today > due.due:
        yield where.problem("W-PUBLISH-OVERDUE", what=what, formed=formed, due=due.due, today=today,
                            article=due.article)
    elif published is not None and published > due.due:
        late = calendar.count_workdays_after(due.due, published)
        yield where.problem("W-PUBLISH-LATE" if published_by(published, today) else "W-PUBLISH-PLANNED-LATE",
                            what=what, formed=formed, due=due.due, published=published, late=late, days=due.days,
                            article=due.article)


# ------------------------------------------------------------ items


def _check_item(catalog: Catalog, calendar: WorkCalendar, item: Item, today: dt.date) -> Iterator[Problem]:
    record = item.record
    index = check_index_no(item.index_no, index_regex(catalog.settings.index_pattern), catalog.settings.index_example)
    if index.detail:
        yield record.at("index_no").problem("E-INDEX-FORMAT", found=item.index_no, detail=index.detail,
                                            detail_en=index.detail_en)
    elif index.year is not None and item.written and index.year != item.written.year:  # a report's may be unknown
        yield record.at("index_no").problem("W-INDEX-YEAR", period_year=index.year, year=item.written.year)
    yield from organ_problems(catalog, record, item.organ)
    if item.published:
        yield from unfilled(ITEM, record)
    yield from _check_order(
        record,
        ("written", "成文日期", "written date", item.written),
        ("formed", "形成日期", "formed date", item.formed),
        ("published", "发布日期", "publication date", item.published),
    )
    yield from _check_order(record, ("written", "成文日期", "written date", item.written),
                            ("effective", "生效日期", "effective date", item.effective),
                            ("expires", "有效期至", "expiry date", item.expires))
    if item.doc_type == "规章" and item.published and item.effective and item.effective >= item.published \
            and (days := (item.effective - item.published).days) < statute.REGULATION_IN_FORCE_AFTER_DAYS:
        yield record.at("effective").problem("W-REGULATION-IN-FORCE-SOON", published=item.published,
                                             effective=item.effective, days=days,
                                             minimum=statute.REGULATION_IN_FORCE_AFTER_DAYS,
                                             article=statute.REGULATION_IN_FORCE_ARTICLE)
    if item.repealed:
        yield from _check_order(record, ("effective", "生效日期", "effective date", item.effective_on),
                                ("repealed", "废止日期", "repeal date", item.repealed.date))
    yield from _check_future(record, "published", "发布日期", item.published, today)
    if item.publish_within and not item.publish_within.basis:
        yield record.at("publish_within").problem("E-PUBLISH-BASIS")
    # A report's clock is art. 49, not art. 26; a public item without a recorded date cannot be timed.
    if not item.annual_report and item.formed_on <= today and not (item.public and item.published is None):
        yield from _counted(record, _check_publication(calendar, record.at("published"), "本信息", item.formed_on,
                                                       item.published, today, item))
    for change in item.changes:
        yield from _check_order(change.record, ("changed", "变更日期", "change date", change.changed),
                                ("published", "变更公开日期", "change publication date", change.published))
        if change.changed <= today:
            yield from _counted(record, _check_publication(calendar, change.record.at("published"), "本次变更",
                                                           change.changed, change.published, today, item))
    if item.withdrawal:
        yield from _check_withdrawal(calendar, item, today)
    yield from _check_validity(catalog, item, today)
    yield from _check_topics(catalog, item)


def attachment_problems(catalog: Catalog) -> list[Problem]:
    """Every item's attachments that are missing or lie outside the catalog: what a command that reads the files
    (export, search) must stop on, without the rest of validation."""
    return [problem for item in catalog.items for problem in _check_attachments(catalog, item)]


def _check_attachments(catalog: Catalog, item: Item) -> Iterator[Problem]:
    for attachment in item.attachments:
        yield from published_file_problems(attachment.record, attachment.file, attachment.path, catalog)


def _check_withdrawal(calendar: WorkCalendar, item: Item, today: dt.date) -> Iterator[Problem]:
    withdrawal = item.withdrawal
    yield from _check_order(withdrawal.record, ("changed", "决定变更或撤销日期", "decision change date", withdrawal.changed),
                            ("withdrawn", "撤下日期", "withdrawal date", withdrawal.withdrawn))
    yield from _counted(item.record, _check_withdrawal_due(calendar, withdrawal, today))


def _check_withdrawal_due(calendar: WorkCalendar, withdrawal: Withdrawal, today: dt.date) -> Iterator[Problem]:
    clock = statute.CLOCKS["penalty_withdrawal"]
    due = withdrawal_due(calendar, withdrawal.changed)
    where = withdrawal.record.at("withdrawn")
    if withdrawal.withdrawn is None and today > due:
        yield where.problem("W-WITHDRAWAL-OVERDUE", changed=withdrawal.changed, due=due, article=clock.article)
    elif withdrawal.withdrawn and withdrawal.withdrawn > due:
        yield where.problem("W-WITHDRAWAL-LATE", changed=withdrawal.changed, due=due, withdrawn=withdrawal.withdrawn,
                            days=clock.days, article=clock.article)


def _check_validity(catalog: Catalog, item: Item, today: dt.date) -> Iterator[Problem]:
    state = expiring_soon(item, today, catalog.settings)
    if state:
        key = "expires" if item.expires else "effective" if item.effective else "published"
        yield item.record.at(key).problem("W-EXPIRING", expires=state.expires, reason=state.reason,
                                          reason_en=state.reason_en)
    ended = estimated_ended(item, today, catalog.settings)
    if ended:
        key = "effective" if item.effective else "published"
        yield item.record.at(key).problem("W-VALIDITY-ESTIMATED", expires=ended.expires, reason=ended.reason,
                                          reason_en=ended.reason_en)


def _check_annual_reports(catalog: Catalog, today: dt.date) -> Iterator[Problem]:
    """条例 art. 49: last year's report is due by 31 January or 31 March; warned of from 1 January until it is
    published (a publication date after today is a plan: the report is due until its day)."""
    reports = catalog.published_reports(today)
    for (organ_id, year), item in sorted(reports.items()):
        organ = catalog.organs.get(organ_id)
        due = organ and annual_report_due(organ.kind, year, catalog.settings)
        if due and item.published > due:
            yield item.record.at("published").problem("W-REPORT-LATE", year=year, published=item.published, due=due)
    for report in catalog.reports:
        # A report is made after the year it reports on (its preamble says 1 January to 31 December): a date before
        # that is a typo of the year (2025-01-20 for 2026-01-20).
        yield from _check_order(report.record, ("year", "报告期末日", "end of the year reported on",
                                                dt.date(report.year, 12, 31)),
                                ("written", "成文日期", "written date", report.written),
                                ("published", "发布日期", "publication date", report.published))
        # What the report says in its own words is published (its page, its feed entry, the search index): 条例
        # art. 15 holds for it as for every item's body; an applicant in a review case is easily named there.
        for key, label in (("overview", "总体情况"), ("problems", "存在的主要问题及改进情况"), ("other", "其他需要报告的事项")):
            yield from personal_problems(report.record.at(key), label, key, getattr(report, key), caller=False)
    read = {(report.organ, report.year) for report in catalog.reports}
    for organ, year in reports_asked(catalog, today):
        if (organ.id, year) in reports:
            continue
        if (organ.id, year) not in read and statistics_path(catalog.root, organ.id, year).is_file():
            continue  # a statistics file that could not be read: its errors say so, not that no report was made
        due = annual_report_due(organ.kind, year, catalog.settings)
        code = "W-REPORT-OVERDUE" if today > due else "W-REPORT-DUE"
        yield organ.record.where.problem(code, organ=organ.name, organ_id=organ.id, year=year, due=due)


def _check_topics(catalog: Catalog, item: Item) -> Iterator[Problem]:
    """主题分类 (rules.md §8): the first level from the office's list (the 22 policy-library topics unless set)."""
    vocabulary = catalog.settings.topics
    for topic in item.topics:
        top = website.top_level(topic)
        if vocabulary and top not in vocabulary:
            yield item.record.at("topics").problem("W-TOPIC-UNKNOWN", found=topic, top=top,
                                                   closest=website.closest_topic(top, vocabulary))


# ------------------------------------------------------------ the site's identity


def _check_site(catalog: Catalog) -> Iterator[Problem]:
    """The identity every page's footer carries (rules.md §8), each at its line of gongkai.yaml."""
    site = catalog.site
    if site.record is None:
        return
    checks = (("id_code", "网站标识码", website.id_code_problem), ("icp", "ICP备案编号", website.icp_problem),
              ("police_record", "公安机关备案号", website.police_problem), ("url", "网站地址", website.site_url_problem))
    for key, title, check in checks:
        value = getattr(site, key)
        if value and (found := check(value)):
            yield site.record.at(key).problem("E-SITE-IDENTITY", field=title, key=key, found=value, detail=found[0],
                                              detail_en=found[1])
    if site.party_mark:
        path = resolved(catalog.root / site.party_mark)
        if found := website.mark_problem(path, catalog.resolved_root):
            yield site.record.at("party_mark").problem("E-SITE-IDENTITY", field="党政机关标识", key="party_mark",
                                                       found=site.party_mark, detail=found[0], detail_en=found[1])


def checked_years(holidays: dict[int, YearArrangement], holidays_file: str
                  ) -> tuple[dict[int, YearArrangement], list[Problem]]:
    """Each year of holidays.yaml against what the law fixes and what the notices said (``year_problems``): the
    years a calendar counts with (those without an error: a rejected year's deadlines wait, as for a year nobody
    supplied, rather than being counted on days the law or the notice contradicts), and every problem found."""
    usable, problems = {}, []
    for year, arrangement in sorted(holidays.items()):
        found = list(year_problems(arrangement, holidays_file))
        problems += found
        if not any(problem.is_error for problem in found):
            usable[year] = arrangement
    return usable, problems


def year_problems(arrangement: YearArrangement, holidays_file: str) -> Iterator[Problem]:
    """A year of holidays.yaml (written by hand, or imported and edited) against what the law fixes (``_law_problems``)
    and, for a year chinesecalendar holds, against that notice. Asked wherever the calendar is loaded (the commands
    that count days use no year it rejects: ``checked_years``)."""
    year, where = arrangement.year, Location(holidays_file, arrangement.line)
    found = list(_law_problems(arrangement, where))
    yield from found
    # Only a year counted with is compared: a rejected one is left to chinesecalendar. The days from NEXT_NOTICE_FROM
    # on are the next year's notice's, written in its block (E-HOLIDAY-YEAR says so), though chinesecalendar files
    # them under their own year.
    packaged = packaged_arrangement(year)
    if packaged and not any(problem.is_error for problem in found):
        own = {day for day in (*arrangement.holidays, *arrangement.workdays, *packaged.holidays, *packaged.workdays)
               if day.year == year and (day.month, day.day) < NEXT_NOTICE_FROM}
        differences = [(label, sorted(day for day in days if day in own))
                       for label, days in (("多列放假", arrangement.holidays - packaged.holidays),
                                           ("少列放假", packaged.holidays - arrangement.holidays),
                                           ("多列调休上班", arrangement.workdays - packaged.workdays),
                                           ("少列调休上班", packaged.workdays - arrangement.workdays))]
        if shown := "；".join(f"{label} {'、'.join(day.isoformat() for day in days)}" for label, days in differences
                             if days):
            yield where.problem("W-HOLIDAY-DIFFERS", year=year, differences=shown)


def _law_problems(arrangement: YearArrangement, where: Location) -> Iterator[Problem]:
    """Every day off of 放假办法 art. 2 is off, a make-up working day is a weekend day, and each other weekday off is
    paid back by one (调休 is a swap: every notice of the amended 放假办法 balances). A year listing only 国庆 made 春节
    and 元旦 working days without a word, a range typed 04-03..04-15 made eight, and every deadline across them
    wrong."""
    year = arrangement.year
    if year < statute.HOLIDAY_RULES_FROM:
        return
    days_off = statutory_holidays(year)
    missing = [day for day, name in sorted(days_off.items()) if "补假" not in name and day not in arrangement.holidays]
    if missing:
        by_festival: dict[str, list[dt.date]] = {}
        for day in missing:
            by_festival.setdefault(days_off[day], []).append(day)
        yield where.problem("E-HOLIDAY-MISSING", year=year, days="、".join(
            f"{name} {days[0].isoformat()}" + (f" 至 {days[-1].isoformat()}" if len(days) > 1 else "")
            for name, days in by_festival.items()))
    for day in sorted(arrangement.workdays):
        if day.weekday() < 5:
            yield where.at(arrangement.lines.get(day, arrangement.line)).problem(
                "E-HOLIDAY-WORKDAY", year=year, found=day.isoformat())
    swapped = sorted(day for day in arrangement.holidays if day.weekday() < 5 and day not in days_off)
    if len(swapped) != len(arrangement.workdays) and not missing:
        yield where.problem("W-HOLIDAY-UNBALANCED", year=year, swapped=len(swapped), workdays=len(arrangement.workdays),
                            days="、".join(day.isoformat() for day in swapped) or "无")


# ------------------------------------------------------------ requests


def _check_request(catalog: Catalog, calendar: WorkCalendar, request: Request, today: dt.date) -> Iterator[Problem]:
    record = request.record
    yield from organ_problems(catalog, record, request.organ)
    correction, extension, fee = request.correction, request.extension, request.fee
    yield from _check_order(
        record,
        ("received", "收到申请日期", "receipt date", request.received),
        ("correction", "补正告知日期", "correction notice date", correction and correction.notified),
        ("correction", "收到补正日期", "corrected request date", correction and correction.received),
        ("replied", "答复日期", "reply date", request.replied),
    )
    if correction and correction.due:
        yield from _check_order(record, ("correction", "补正告知日期", "correction notice date", correction.notified),
                                ("correction", "补正期限", "end of the correction period", correction.due))
    for pause in request.pauses:
        yield from _check_order(record, ("received", "收到申请日期", "receipt date", request.received),
                                ("pauses", "暂停开始日期", "pause start", pause.start),
                                ("pauses", "暂停结束日期", "pause end", pause.end))
        # A pause stops the clock of a request still being handled: one begun after the reply is a slip of a date.
        yield from _check_order(record, ("pauses", "暂停开始日期", "pause start", pause.start),
                                ("replied", "答复日期", "reply date", request.replied))
    if extension:
        yield from _check_order(record, ("received", "收到申请日期", "receipt date", request.received),
                                ("extension", "负责人同意日期", "extension approval", extension.approved),
                                ("extension", "告知申请人日期", "extension notice", extension.notified))
    if fee:
        yield from _check_order(record, ("received", "收到申请日期", "receipt date", request.received),
                                ("fee", "收费通知日期", "fee notice date", fee.notified),
                                ("fee", "缴费日期", "payment date", fee.paid))
        yield from _check_request_fee(request, catalog.settings)
    yield from _check_future(record, "received", "收到申请日期", request.received, today)
    yield from _check_future(record, "replied", "答复日期", request.replied, today)
    # Each counted only once it has come (rules/deadlines.request_deadlines).
    for key, label, value in (
            ("extension.approved", "负责人同意延期日期", extension and extension.approved),
            ("extension.notified", "告知申请人延期日期", extension and extension.notified),
            ("correction.notified", "补正告知日期", correction and correction.notified),
            ("correction.received", "收到补正日期", correction and correction.received),
            *(("pauses", label, day) for pause in request.pauses
              for label, day in (("发出征求意见日期", pause.start), ("收到意见或期满日期", pause.end))),
            ("fee.notified", "收费通知日期", fee and fee.notified), ("fee.paid", "缴费日期", fee and fee.paid)):
        yield from _check_future(record, key, label, value, today, at=key.partition(".")[0])
    yield from _check_outcome(request)
    if extension and not (extension.approved and extension.notified):
        # A warning: the approval is often recorded the day before the notice goes out, and the clocks already count
        # without the extension until both are there (`gongkai requests` says so); nobody's publishing waits for it.
        yield record.at("extension").problem("W-EXTENSION-INCOMPLETE")
    yield from _counted(record, _check_request_clocks(catalog, calendar, request, today))


def _check_request_clocks(catalog: Catalog, calendar: WorkCalendar, request: Request,
                          today: dt.date) -> Iterator[Problem]:
    record, correction, extension = request.record, request.correction, request.extension
    consulting = statute.CLOCKS["third_party"]
    for pause in request.pauses:
        # arts. 32, 34: those consulted answer within 15 working days, or the office decides: a longer pause is
        # counted as stated (it is the office's record), and said.
        if pause.end and not clock_met(calendar, consulting, pause.start, pause.end):
            yield record.at("pauses").problem("W-PAUSE-LONG", kind=pause.kind, start=pause.start, end=pause.end,
                                              due=clock_due(calendar, consulting, pause.start),
                                              days=consulting.days, article=consulting.article)
    deadlines = request_deadlines(calendar, request, catalog.settings, today)
    if deadlines.correction_late:
        # 条例 art. 30: one correction notice within 7 working days of receipt.
        clock = statute.CLOCKS["correction"]
        yield record.at("correction").problem("W-CORRECTION-LATE", notified=correction.notified,
                                              days=clock.days, article=clock.article,
                                              due=deadlines.correction_due)
    if deadlines.extension_late:
        yield record.at("extension").problem("W-EXTENSION-NOTICE-LATE", notified=extension.notified,
                                             due=deadlines.reply_due)
    if deadlines.waiting_for_correction:  # 条例 art. 30: no reply clock runs until the corrected request arrives
        if correction_lapsed(calendar, correction, today) and not request.replied_by(today):
            # Left open, the request is carried into every later year's report (rows 二 and 四).
            yield record.at("correction").problem("W-CORRECTION-LAPSED", due=correction.due,
                                                  article=statute.CLOCKS["correction"].article)
        return
    # A reply dated after today is not a fact yet (W-DATE-FUTURE says so): until its day the request is open, as
    # `requests` and `due` show it, and overdue once its time has run out.
    replied = request.replied_by(today)
    if replied:
        # In time or not is counted up to the reply alone; the due date of a late reply came before it.
        if not deadlines.met_by(replied):
            try:
                days = calendar.count_workdays_after(deadlines.final_due, replied)
                late, late_en = f"逾期 {days} 个工作日", f"{days} working days late"
            except CalendarYearMissing as missing:  # late for sure: only how many days waits for the notice
                late = f"逾期的工作日数待 {missing.year} 年放假安排公布后计算（{missing.holidays_file}）"
                late_en = f"the days late are counted once {missing.year}'s notice is out"
            yield record.at("replied").problem("W-REPLY-LATE", replied=replied, due=deadlines.final_due,
                                               basis=deadlines.basis, late=late, late_en=late_en)
    elif today > deadlines.final_due:
        yield record.at("received").problem("W-REPLY-OVERDUE", due=deadlines.final_due, today=today)


def outcome_problems(requests: Iterable[Request]) -> list[Problem]:
    """What stops the requests being counted in the annual report's rows (a reply without its outcome, an outcome
    its facts contradict): the report commands check these of the organ's requests before counting."""
    return [problem for request in requests for problem in _check_outcome(request)]


def _check_outcome(request: Request) -> Iterator[Problem]:
    record = request.record
    if (request.replied is None) != (request.outcome is None):
        yield record.at("replied" if request.replied else "outcome" if request.outcome else "id").problem(
            "E-OUTCOME-REPLY")
    if request.outcome == "逾期不补正" and (request.correction is None or request.correction.received):
        yield record.at("outcome").problem("E-OUTCOME-CORRECTION", outcome=request.outcome,
                                           extra="，且未收到补正", extra_en=" and no corrected request")
    if request.outcome == "补正后仍不明确" and (request.correction is None or not request.correction.received):
        yield record.at("outcome").problem("E-OUTCOME-CORRECTION", outcome=request.outcome,
                                           extra="并记录收到补正日期", extra_en=" and the corrected request")
    if request.outcome == "逾期未缴费" and (request.fee is None or request.fee.paid):
        yield record.at("outcome").problem("E-OUTCOME-FEE", outcome=request.outcome)


def _check_request_fee(request: Request, settings) -> Iterator[Problem]:
    fee = request.fee
    where = request.record.at("fee")
    if sum(1 for basis in (fee.nth_in_month, fee.pages, fee.kib) if basis) > 1:
        yield where.problem("E-FEE-BOTH")
        return
    if fee.nth_in_month:
        expected = fee_for_nth_request(fee.nth_in_month)
        basis, basis_en = f"本月第 {fee.nth_in_month} 件申请，按件计收", f"request {fee.nth_in_month} this month"
    elif fee.pages:
        expected = fee_by_pages(fee.pages)
        basis, basis_en = f"{fee.pages} 页，按量计收", f"{fee.pages} pages"
    elif fee.kib:  # electronic data by its size: how many KiB make a page is the office's setting (rules.md §5 [U])
        per_page = settings.fee_electronic_kib_per_page
        if not per_page:
            yield where.problem("E-FEE-BASIS", detail="电子数据按大小（kib）计收须先在 gongkai.yaml 的 settings 中设置 "
                                "fee_electronic_kib_per_page（多少 KiB 折算为一页）；未设置时请按打印页数填写 pages",
                                detail_en="kib needs the setting fee_electronic_kib_per_page")
            return
        pages = -(-fee.kib // per_page)  # a page begun is a page
        expected = fee_by_pages(pages)
        basis, basis_en = f"电子数据 {fee.kib} KiB，折合 {pages} 页，按量计收", f"{fee.kib} KiB as {pages} pages"
    else:  # a notice with no basis would pause the reply clock for 20 working days on no rule at all
        yield where.problem("E-FEE-BASIS", detail="收费通知没有计收依据：信息处理费按件或按量计收，请填写 nth_in_month（本月第几件申请）"
                            "或 pages（页数）", detail_en="a fee notice states neither count nor pages")
        return
    if expected == 0:  # within the free band: there is nothing to notify, and nothing to pause the clock for
        yield where.problem("E-FEE-BASIS", detail=f"{basis}，不收费：不应发出收费通知，请删除 fee",
                            detail_en=f"{basis_en}: free, no fee notice")
        return
    if fee.amount != expected:
        yield where.problem("E-FEE-AMOUNT", expected=expected, found=fee.amount, basis=basis, basis_en=basis_en)


# ------------------------------------------------------------ power list and fee items


def _check_listed_entry(catalog: Catalog, calendar: WorkCalendar, entry: ListedEntry, what: str,
                        today: dt.date) -> Iterator[Problem]:
    record = entry.record
    if chars := invisible_characters(entry.id):
        yield record.at("id").problem("E-ID-INVISIBLE", found=entry.id, chars=chars,
                                      **({"what": "权力事项", "what_en": "power"} if isinstance(entry, Power)
                                         else {"what": "收费项目", "what_en": "fee"}))
    yield from organ_problems(catalog, record, entry.organ)
    if entry.published:
        yield from unfilled(POWER if isinstance(entry, Power) else FEE, record)
    yield from _check_order(record, ("decided", "确定或变更日期", "decision date", entry.decided),
                            ("published", "公开日期", "publication date", entry.published))
    if entry.removed:
        yield from _check_order(record, ("decided", "确定或变更日期", "decision date", entry.decided),
                                ("removed", "取消日期", "removal date", entry.removed.date))
    yield from _check_future(record, "published", "公开日期", entry.published, today)
    if entry.decided <= today:
        yield from _counted(record, _check_publication(calendar, record.at("published"), what, entry.decided,
                                                       entry.published, today))


def _check_power(catalog: Catalog, calendar: WorkCalendar, power: Power, fees: dict[str, Fee],
                 today: dt.date) -> Iterator[Problem]:
    record = power.record
    yield from _check_listed_entry(catalog, calendar, power, "该权力事项", today)
    types = catalog.settings.power_types
    if lists.power_type(power.type, types) is None:
        yield record.at("type").problem("E-POWER-TYPE", found=power.type, types="、".join(types))
    if power.legal_limit and power.promised_limit and lists.promise_exceeds(
            power.promised_limit, power.promised_limit_unit, power.legal_limit, power.legal_limit_unit):
        yield record.at("promised_limit").problem(
            "E-PROMISE-EXCEEDS", promised=f"{power.promised_limit} {power.promised_limit_unit}",
            legal=f"{power.legal_limit} {power.legal_limit_unit}")
    for fee_id in power.fees or ():
        fee = fees.get(fee_id)
        if fee is None:
            yield record.at("fees").problem("E-FEE-UNKNOWN", found=fee_id)
        elif removed_by(fee, today) and not removed_by(power, today):
            yield record.at("fees").problem("E-FEE-REMOVED", found=fee_id, removed=fee.removed.date)


def _check_fee_item(catalog: Catalog, calendar: WorkCalendar, fee: Fee, today: dt.date) -> Iterator[Problem]:
    record = fee.record
    yield from _check_listed_entry(catalog, calendar, fee, "该收费项目", today)
    if fee.fund_management:
        statutory = lists.fund_management(fee.fund_management)
        if statutory is None:
            yield record.at("fund_management").problem("W-FUND-UNCLEAR", found=fee.fund_management,
                                                       choices="、".join(statute.FUND_MANAGEMENT))
        elif statutory != fee.fund_management:
            yield record.at("fund_management").problem("W-FUND-NORMALISED", found=fee.fund_management,
                                                       statutory=statutory)
    yield from _check_fee_basis(record, fee.basis)
    for standard in (fee, *fee.sub_items):
        yield from _check_fee_range(record.at("amount_max" if standard is fee else "sub_items"), standard)


def _check_fee_basis(record: Record, basis: tuple[str, ...]) -> Iterator[Problem]:
    """A basis cites its 文号 as GB/T 9704 writes them, one per line and each once: catalogues copied from
    spreadsheets run two together, repeat one, or bracket the year otherwise."""
    where = record.at("basis")
    seen: set[str] = set()
    for text in basis:
        normalised = lists.normalise_doc_no(text)
        if normalised != text:
            yield where.problem("W-DOC-NO-BRACKETS", found=text, fixed=normalised)
        numbers = lists.doc_numbers(text)
        if len(numbers) > 1:
            yield where.problem("W-BASIS-JOINED", found=text, numbers="、".join(numbers), count=len(numbers))
        for number in numbers:
            if number in seen:
                yield where.problem("W-BASIS-REPEATED", found=number)
            seen.add(number)


def _check_fee_range(where: Location, standard: Fee | FeeSubItem) -> Iterator[Problem]:
    if standard.amount_max is not None and (standard.amount is None or standard.amount_max < standard.amount):
        low, low_en = ("未填写", "missing") if standard.amount is None else (standard.amount, standard.amount)
        yield where.problem("E-FEE-RANGE", name=standard.name, low=low, low_en=low_en, high=standard.amount_max)


def _check_release(catalog: Catalog, release: ListRelease, today: dt.date) -> Iterator[Problem]:
    yield from organ_problems(catalog, release.record, release.organ)
    yield from _check_future(release.record, "published", "公布日期", release.published, today)


def count_by_severity(problems: list[Problem]) -> collections.Counter:
    return collections.Counter(p.severity.value for p in problems)
