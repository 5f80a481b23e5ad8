"""The public-participation part of the site (rules.md §9): consultations (意见征集) with their feedback, the 12345
hotline's monthly publication, and the links between a policy, its interpretation and the consultation on its
draft; with their feeds, downloads and search documents.

A consultation is shown from its start day (when its notice is published), open ones with the days left on the
build's day; a hotline month lists the cases received in it as known on that day, a case withheld for a reason
counted but not listed. Nothing is shown that the catalog does not state: a feedback not yet published is 待公布,
an open case 办理中.
"""

from __future__ import annotations

import bisect
import csv
import dataclasses
import datetime as dt
import functools
import io
import json
import operator
import os
from collections.abc import Callable

from search.document import SearchDoc, Spans, plain_text
from search.hashing import digest

from ..errors import CalendarYearMissing
from ..model.catalog import Catalog
from ..model.participation import Consultation, HotlineCase
from ..model.settings import stated_value
from ..rules.commitments import commitment_stats, time_cut
from ..rules.consultation import Stage, days_left, feedback_due, minimum_period, stage
from ..rules.hotline import HotlineMonth, day_of, hotline_months, month_key
from ..util import KeptByIdentity, strip_control
from .documents import (
    DocumentSource,
    SearchDocuments,
    document_source,
    document_sources,
    index_order,
    list_documents,
)
from .metadata import Article, Column, page_tags
from .structure import FeedFiles, PageSource, SiteFile, SitePage
from .urls import consultation_file_url, consultation_url, hotline_month_url
from .views import MOMENTS_A_DAY, AttachmentView, ItemView, Site, file_view

CONSULTATIONS_URL = "consultations/"
HOTLINE_URL = "hotline/"
# The two columns (栏目) and their ColumnType of the 指引 (rules.md §8).
CONSULTATIONS_COLUMN = Column("意见征集", "公开征求意见的规章、行政规范性文件和重大行政决策草案，听证会，以及意见采纳情况",
                              ("意见征集", "听证"), "征集调查")
HOTLINE_COLUMN = Column("12345热线", "12345 热线受理的工单：受理时间、类型、反映问题、承办单位、办理结果和办结时间，以及每月的办理统计",
                        ("12345", "热线"), "咨询投诉")
CONSULTATION_CATEGORY, HOTLINE_CATEGORY = "意见征集", "12345热线"  # as search results and feeds label them


@dataclasses.dataclass(frozen=True)
class ConsultationView:
    """A consultation as the site shows it on one day."""

    consultation: Consultation
    url: str
    organ_name: str
    stage: Stage
    days_left: int              # calendar days after the day on which comments are still taken (open ones)
    feedback_due: dt.date | None  # for a closed one without its feedback; None when its year has no calendar data
    files: tuple[AttachmentView, ...]
    document: ItemView | None   # the document adopted from the draft, when published
    minimum: str                # the kind's minimum period as the page states it ("30 日"), or ""
    today: dt.date              # the day it is shown on

    @property
    def title(self) -> str:
        return strip_control(self.consultation.title)

    @property
    def feedback_overdue(self) -> bool:
        """Its feedback's day has passed without it: the page says so, rather than promising it by that day."""
        return self.feedback_due is not None and self.feedback_due < self.today

    @property
    def hearing_ahead(self) -> bool:
        """Its sign-up has closed and its hearing is still to come."""
        hearing = self.consultation.hearing
        return hearing is not None and day_of(hearing.date) >= self.today


@dataclasses.dataclass(frozen=True)
class ItemLinks:
    """What an item's page links to beyond itself: the document it interprets, its interpretations, and the
    consultation on its draft."""

    interprets: ItemView | None
    interpretations: tuple[ItemView, ...]
    consultation: ConsultationView | None

    @functools.cached_property
    def digest(self) -> str:
        """What the links show, hashed: part of the item page's key (build/cache.py)."""
        shown = [(v.url, v.title) for v in (self.interprets, *self.interpretations) if v]
        if self.consultation:
            c = self.consultation
            shown.append((c.url, c.title, c.consultation.start, c.consultation.end, c.stage.value))
        return digest(repr(shown))


@dataclasses.dataclass(frozen=True)
class Participation:
    """Everything of this part of the site on one day."""

    consultations: tuple[ConsultationView, ...]  # shown ones, newest start first
    months: tuple[HotlineMonth, ...]             # newest first
    links: dict[str, ItemLinks]                  # 索引号 → links of that item's page
    reply_workdays: int
    reply_rule_stated: bool  # whether gongkai.yaml states the time limit: only then is it shown as the rule

    @property
    def open(self) -> tuple[ConsultationView, ...]:
        return tuple(v for v in self.consultations if v.stage is Stage.OPEN)

    @property
    def closed(self) -> tuple[ConsultationView, ...]:
        return tuple(v for v in self.consultations if v.stage is not Stage.OPEN)


def participation(site: Site) -> Participation:
    catalog, today = site.catalog, site.today
    views = site.linked
    consultations = tuple(sorted((_consultation_view(site, c, views) for c in catalog.consultations
                                  if stage(c, today).public),
                                 key=lambda v: (-v.consultation.start.toordinal(), v.consultation.id)))
    links: dict[str, dict] = {}
    for view in site.notable.interpretations:
        target = views.get(view.item.interprets)
        if target:
            links.setdefault(view.item.index_no, {})["interprets"] = target
            links.setdefault(target.item.index_no, {}).setdefault("interpretations", []).append(view)
    for view in consultations:
        if view.document:
            links.setdefault(view.document.item.index_no, {}).setdefault("consultation", view)
    return Participation(
        consultations,
        tuple(hotline_months(site.calendar, catalog.hotline, today, catalog.settings)),
        {index_no: ItemLinks(found.get("interprets"), tuple(found.get("interpretations", ())),
                             found.get("consultation")) for index_no, found in links.items()},
        catalog.settings.hotline_reply_workdays, stated_value(catalog.settings, "hotline_reply_workdays") is not None)


def _consultation_view(site: Site, consultation: Consultation, views: dict[str, ItemView]) -> ConsultationView:
    found = stage(consultation, site.today)
    due = None
    if found is Stage.CLOSED:
        try:
            due = feedback_due(site.calendar, consultation, site.catalog.settings)
        except CalendarYearMissing:
            due = None
    url = consultation_url(consultation)
    files = tuple(
        file_view(site.catalog, f.title, consultation_file_url(consultation, os.path.basename(f.path)), f.path)
        for f in consultation.files)
    minimum = minimum_period(consultation.kind, site.catalog.settings)
    return ConsultationView(consultation, url, site.catalog.organ_name(consultation.organ), found,
                            days_left(consultation, site.today), due, files,
                            views.get(consultation.document) if consultation.document else None,
                            minimum.text if minimum and minimum.length else "", site.today)


# ------------------------------------------------------------ pages


def participation_pages(site: Site, part: Participation) -> list[PageSource]:
    """The consultation pages and the hotline pages, when the catalog has any to show."""
    pages = []
    if part.consultations:
        pages.append(PageSource(CONSULTATIONS_URL, functools.partial(_consultations_page, site, part)))
        pages += [PageSource(v.url, functools.partial(_consultation_page, site, v)) for v in part.consultations]
    if part.months:
        pages.append(PageSource(HOTLINE_URL, functools.partial(_hotline_page, site, part)))
        pages += [PageSource(hotline_month_url(m.key), functools.partial(_month_page, site, part, m))
                  for m in part.months]
    return pages


def _page(site: Site, url: str, title: str, html: str, column: Column, article: Article | None = None,
          description: str = "") -> SitePage:
    return SitePage(url, title, html, description=description or column.description,
                    meta=page_tags(site.catalog.site, url, column, article))


def _consultations_page(site: Site, part: Participation) -> SitePage:
    html = site.templating.render("consultations.html", CONSULTATIONS_URL, open=part.open, closed=part.closed,
                                  today=site.today)
    return _page(site, CONSULTATIONS_URL, "意见征集", html, CONSULTATIONS_COLUMN)


def _consultation_page(site: Site, view: ConsultationView) -> SitePage:
    consultation = view.consultation
    feedback = consultation.feedback if view.stage is Stage.ANSWERED else None
    html = site.templating.render(
        "consultation.html", view.url, view=view, consultation=consultation, feedback=feedback, today=site.today,
        description=site.templating.markdown(consultation.description).html,
        summary=site.templating.markdown(feedback.summary, piece=1, under=2).html if feedback else "")
    article = Article(view.title, consultation.start, view.organ_name, keywords=("意见征集", consultation.kind),
                      description=strip_control(consultation.description)[:120])
    return _page(site, view.url, view.title, html, CONSULTATIONS_COLUMN, article)


def _hotline_page(site: Site, part: Participation) -> SitePage:
    html = site.templating.render("hotline.html", HOTLINE_URL, months=part.months, days=part.reply_workdays,
                                  rule_stated=part.reply_rule_stated, month_url=hotline_month_url, today=site.today)
    return _page(site, HOTLINE_URL, "12345热线", html, HOTLINE_COLUMN)


def _month_page(site: Site, part: Participation, month: HotlineMonth) -> SitePage:
    url = hotline_month_url(month.key)
    title = f"{month.title} 12345热线工单"
    html = site.templating.render("hotline-month.html", url, month=month, days=part.reply_workdays, title=title,
                                  today=site.today, shown=_shown_time, closed_by=lambda c: _closed_by(c, site.today),
                                  downloads=[(f"本月工单（{kind.upper()}）", url + _month_file(month.key, kind))
                                             for kind in MONTH_FORMATS])
    return _page(site, url, title, html, HOTLINE_COLUMN, description=f"{month.title}12345 热线受理 {len(month.cases)} 件")


def _shown_time(day: dt.date | None) -> str:
    """A 受理时间 or 办结时间 as the table shows it: 2026-11-02 08:47, or the day alone when no time was given."""
    if day is None:
        return ""
    time = getattr(day, "time", None)
    return f"{day_of(day).isoformat()} {time.strftime('%H:%M')}" if time else day_of(day).isoformat()


def _closed_by(case: HotlineCase, today: dt.date) -> dt.date | None:
    """The closing as known on ``today``: a later one is not known yet."""
    return case.replied if case.replied and day_of(case.replied) <= today else None


def _period_name(consultation: Consultation) -> str:
    """A hearing's period is for signing up; a draft's, for comments."""
    return "报名期限" if consultation.kind == "听证" else "征求意见期限"


# ------------------------------------------------------------ item pages and the power list


def powers_context(site: Site) -> dict:
    """What the power-list pages show of the office's 限时办结 commitments: each entry's cut and the list's figures."""
    return {"time_cut": time_cut, "commitments": commitment_stats(site.powers, site.catalog.settings, site.today)}


# ------------------------------------------------------------ feeds


@dataclasses.dataclass(frozen=True)
class FeedEntry:
    uid: str           # the entry's stable name, from which its ID is made
    title: str
    url: str
    published: dt.date
    updated: dt.date
    summary: str
    author: str
    category: str


@dataclasses.dataclass(frozen=True)
class EntryFeed(FeedFiles):
    """A feed of entries that are not catalog items (site/feeds.py writes it like the items' feeds)."""

    key: str
    title: str
    html_url: str
    entries: tuple[FeedEntry, ...]
    limit: int = 50


def participation_feeds(site: Site) -> list[EntryFeed]:
    """The consultations (a new one, and its feedback when published) and the hotline's months."""
    part = participation(site)
    feeds = []
    if part.consultations:
        entries = []
        for view in part.consultations:
            c = view.consultation
            answered = c.feedback if view.stage is Stage.ANSWERED else None
            status = f"已于 {day_of(answered.published)} 公布意见采纳情况" if answered else view.stage.value
            # Updated when its status said last changed: its feedback published, or the day after its period.
            changed = (day_of(answered.published) if answered else
                       day_of(c.end) + dt.timedelta(days=1) if view.stage is Stage.CLOSED else day_of(c.start))
            entries.append(FeedEntry(
                f"consultation:{c.id}", view.title, view.url, day_of(c.start), max(day_of(c.start), changed),
                f"{view.organ_name} {c.kind} {_period_name(c)} {day_of(c.start)} 至 {day_of(c.end)}；{status}",
                view.organ_name,
                CONSULTATION_CATEGORY))
        feeds.append(EntryFeed("consultations", "意见征集", CONSULTATIONS_URL, tuple(entries)))
    if part.months:
        entries = []
        for month in part.months:
            days = [day_of(c.received) for c in month.cases] + [day_of(d) for c in month.cases
                                                                if (d := _closed_by(c, site.today))]
            entries.append(FeedEntry(
                f"hotline:{month.key}", f"{month.title} 12345热线工单", hotline_month_url(month.key), min(days),
                max(days), f"受理 {len(month.cases)} 件，办结 {month.closed} 件", site.catalog.site.organizer
                or site.catalog.site.title, HOTLINE_CATEGORY))
        feeds.append(EntryFeed("hotline", "12345热线", HOTLINE_URL, tuple(entries)))
    return feeds


# ------------------------------------------------------------ files: consultation files, hotline data


MONTH_FORMATS = ("csv", "json")
MONTH_COLUMNS = (("id", "工单编号"), ("received", "受理时间"), ("type", "类型"), ("question", "反映问题"),
                 ("unit", "承办单位"), ("result", "办理结果"), ("replied", "办结时间"))


def _month_file(key: str, kind: str) -> str:
    return f"hotline-{key}.{kind}"


def participation_files(site: Site) -> list[SiteFile]:
    """Each consultation's files beside its page, and each hotline month's public cases as CSV and JSON."""
    part = participation(site)
    files = [SiteFile(f.url, source=f.source) for view in part.consultations for f in view.files]
    for month in part.months:
        rows = [_month_row(case, site.today) for case in month.public_cases]
        inputs = digest(repr(rows))
        files += [SiteFile(hotline_month_url(month.key) + _month_file(month.key, kind), inputs=inputs,
                           make=functools.partial(_MONTH_WRITERS[kind], rows)) for kind in MONTH_FORMATS]
    return files


def _month_row(case: HotlineCase, today: dt.date) -> dict[str, str]:
    closed = _closed_by(case, today)
    values = {"id": case.id, "received": _shown_time(case.received), "type": case.type, "question": case.question,
              "unit": case.unit, "result": case.result if closed else "办理中", "replied": _shown_time(closed)}
    return {key: strip_control(value) for key, value in values.items()}


def _month_csv(rows: list[dict[str, str]]) -> bytes:
    """With a byte-order mark, so that spreadsheet programs read it as UTF-8; a cell that a spreadsheet would run
    as a formula (=, +, -, @ first) is written with an apostrophe in front."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title for _, title in MONTH_COLUMNS])
    for row in rows:
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@") else v for v in (row[k] for k, _ in MONTH_COLUMNS)])
    return out.getvalue().encode("utf-8-sig")


def _month_json(rows: list[dict[str, str]]) -> bytes:
    fields = [{"key": key, "title": title} for key, title in MONTH_COLUMNS]
    return (json.dumps({"fields": fields, "cases": rows}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


_MONTH_WRITERS = {"csv": _month_csv, "json": _month_json}


# ------------------------------------------------------------ search


_DIGEST, _MOMENT = operator.attrgetter("digest"), operator.attrgetter("moment")


def site_search_documents(views: list[ItemView], catalog: Catalog, today: dt.date,
                          kept: KeptByIdentity[ItemView, DocumentSource] | None = None,
                          wanted: Callable[[list[str]], Spans | None] | None = None
                          ) -> tuple[SearchDocuments, list[str]]:
    """The search index's documents, oldest first as the index numbers them (documents.search_documents): the
    published items and, among them by date, the consultations shown, the hotline months and the entries of the
    power and fee lists. Made from the catalog
    alone, as the index starts before the pages are planned. Returns the documents and one key per document (equal
    when it is unchanged). ``kept``: the items' documents of the last build (documents.document_sources).
    ``wanted``, told the keys, answers which documents are needed (``SearchIndexJob.wanted``), or None: all; only
    those are made, the others left out as None. Not with ``kept``, which keeps every document made."""
    assert kept is None or wanted is None
    extra = sorted(_consultation_documents(catalog, today) + _hotline_documents(catalog, today)
                   + list_documents(catalog, today),
                   key=lambda found: (found[0], found[1].doc.url))
    # An item stands as its view's place until its document is made; its key is its view's digest.
    order = index_order(views)
    in_order = list(map(views.__getitem__, order))
    made: list[int | DocumentSource] = order
    keys = list(map(_DIGEST, in_order))
    if extra:  # the others by day among the items, after those of their day that state no later time
        moments = list(map(_MOMENT, in_order))  # ascending: the index's order
        places = [bisect.bisect_right(moments, day.toordinal() * MOMENTS_A_DAY) for day, _ in extra]
        made = _inserted(order, [source for _, source in extra], places)
        keys = _inserted(keys, [digest(repr(source.doc)) for _, source in extra], places)
    spans = wanted(keys) if wanted else None
    if spans is None:
        items = document_sources(views, kept)
        return SearchDocuments([items[one] if isinstance(one, int) else one for one in made]), keys
    sources: list[DocumentSource | None] = [None] * len(made)
    for first, end in spans:
        for number in range(first, end):
            one = made[number]
            sources[number] = document_source(views[one]) if isinstance(one, int) else one
    return SearchDocuments(sources), keys


def _inserted(entries: list, others: list, places: list[int]) -> list:
    """``entries`` with each of ``others`` inserted before the entry at its place (``places``, in order; several at
    one place in their order): made a slice at a time, as the items of 100,000 views were made one by one, with a
    key function, in ~0.1 s of every build."""
    merged, start = [], 0
    for place, other in zip(places, others):
        merged += entries[start:place]
        merged.append(other)
        start = place
    return merged + entries[start:]


def _consultation_documents(catalog: Catalog, today: dt.date) -> list[tuple[dt.date, DocumentSource]]:
    found = []
    for c in catalog.consultations:
        if not stage(c, today).public:
            continue
        feedback = c.feedback if c.feedback and day_of(c.feedback.published) <= today else None
        body = [c.description]
        if feedback:
            body += [feedback.summary, *(f"{n.opinion} {n.reason}" for n in feedback.not_adopted)]
        doc = SearchDoc(url=consultation_url(c), title=strip_control(c.title), doc_no="", index_no="",
                        date=day_of(c.start).isoformat(), category=CONSULTATION_CATEGORY,
                        organ=catalog.organ_name(c.organ), year=c.start.year, validity="不适用",
                        summary=f"{c.kind} {_period_name(c)} {day_of(c.start)} 至 {day_of(c.end)}",
                        body=plain_text(strip_control("\n\n".join(part for part in body if part))))
        found.append((day_of(c.start), DocumentSource.whole(doc)))
    return found


def _hotline_documents(catalog: Catalog, today: dt.date) -> list[tuple[dt.date, DocumentSource]]:
    by_month: dict[str, list[HotlineCase]] = {}
    for case in catalog.hotline:
        if day_of(case.received) <= today:
            by_month.setdefault(month_key(case.received), []).append(case)
    found = []
    for key, cases in by_month.items():
        shown = [c for c in cases if c.public]
        newest = max(day_of(c.received) for c in cases)
        lines = [f"{c.type} {c.question} {c.unit} {c.result if _closed_by(c, today) else ''}" for c in shown]
        year, month = key.split("-")
        doc = SearchDoc(url=hotline_month_url(key), title=f"{int(year)}年{int(month)}月 12345热线工单", doc_no="",
                        index_no="", date=newest.isoformat(), category=HOTLINE_CATEGORY,
                        organ=catalog.site.organizer or catalog.site.title, year=int(year), validity="不适用",
                        summary=f"受理 {len(cases)} 件", body=strip_control("\n".join(lines)))
        found.append((newest, DocumentSource.whole(doc)))
    return found
