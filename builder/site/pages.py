"""Every page of the site: which pages exist, at which URL, and how each is rendered from the views.

Pages are planned, not rendered: a ``PageSource`` renders its page only when it is written, so a site of
100,000 items never holds all its pages. The mkdocs plugin turns them into files; nothing here needs mkdocs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable

import search
from search.hashing import digest

from .. import statute
from ..check.due import report_statuses
from ..model.catalog import Catalog, Fee, Power, removed_by
from ..report.compute import overview_sentence
from ..report.datafile import FORMATS
from ..report.layout import (
    ACTIVE_BLOCKS,
    COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SECTION3_ROWS,
    SECTIONS,
    TOP_LEFT_NOTE,
)
from ..report.published import shown_report
from ..report.statistics import RequestStats, request_stats, timeliness
from ..rules.commitments import time_cut
from ..rules.fees import fee_examples
from ..rules.lists import fund_management, normalise_doc_no, power_type
from ..rules.workdays import WorkCalendar
from ..util import rounded
from .charts import bar_chart
from .feeds import FEEDS_HOME, feeds_page
from .metadata import Article, Column, Identity, page_tags
from .participation import (
    ItemLinks,
    Participation,
    participation,
    participation_pages,
    powers_context,
)
from .shells import shell_key
from .structure import PageSeries, PageSource, SitePage
from .templating import Templating
from .urls import fee_url, power_url, relative_url, report_file_url
from .views import (
    ComputedReport,
    ItemView,
    Listing,
    Listings,
    Site,
    annual_reports,
    category_title,
    make_listings,
)

LATEST_ON_HOME = 10


def build_site(catalog: Catalog, calendar: WorkCalendar, today: dt.date, views: list[ItemView],
               templating: Templating, kept_listings: Listings | None = None) -> Site:
    """The site of ``views`` (``published_views``: asked for first, as the search index starts from them). It counts
    working days without estimates (``WorkCalendar.strict``): with --provisional too, a deadline in a year without
    its notice is 待定 on the site, as without it. ``kept_listings``: the last build's (``make_listings``)."""
    sources = {(r.organ, r.year): r for r in catalog.reports}
    # A published report as published: its recorded figures, not what the catalog computes now (report/published.py).
    # Those of the report items the site shows (``published_views``' own test): a few hundred, not every view.
    reports = {i.index_no: ComputedReport(source, *shown_report(catalog, source, today)) for i in catalog.report_items
               if i.public_on(today) and (source := sources.get((i.organ, i.annual_report)))}
    # A correction of a report's figures changes its page: feeds and the sitemap say so (its view is made afresh by
    # every build, and the search index, which shows no such day, has it already). Rarely any: no pass of every
    # view then.
    if any(report.data.corrected for report in reports.values()):
        views = [dataclasses.replace(view, corrected=tuple(d for d in report.data.corrected if d <= today))
                 if (report := reports.get(view.item.index_no)) and report.data.corrected else view for view in views]
    site = Site(catalog, calendar.strict(), today, templating, views, make_listings(catalog, views, kept_listings),
                reports)
    part = participation(site)  # consultations, the hotline, and the links interpretations make (rules.md §9)
    site.pages = _pages(site, part)
    site.series = [_listing_pages(site), _item_pages(site, part)]
    return site


def _pages(site: Site, part: Participation) -> list[PageSource]:
    """The pages made one by one: the top pages, the participation's, the powers' and the fees'."""
    def source(url, function, *args):
        return PageSource(url, functools.partial(function, site, *args))

    pages = [source("", _home, part), source("guide/", _guide), source("active/", _active_index),
             source("reports/", _reports), source("apply/", _apply), source("browse/", _browse),
             source("powers/", _powers_index), source("fees/", _fees_index), source("search/", _search),
             source("feeds/", _feeds), source("contact/", _contact), source("sitemap/", _sitemap, part)]
    pages += participation_pages(site, part)
    fees_by_power = defaultdict(list)
    for power in site.powers:
        for fee_id in power.fees or ():
            fees_by_power[fee_id].append(power)
    pages += [source(power_url(p), _power_page, p) for p in site.powers]
    pages += [source(fee_url(f), _fee_page, f, fees_by_power[f.id]) for f in site.fees]
    return pages


def _listing_pages(site: Site) -> PageSeries:
    """Every listing's pages, newest first whatever their kind: an item has a row on four of them (its category's,
    organ's, year's and topic's), which, written in this order, come close together, and the row rendered for the
    first is kept for the others (``row`` in templating.py). Written kind after kind, a row was rendered four
    times."""
    listed = [(first.moment if (first := listing.first_on(n)) else 0, kind, listing, n, key)
              for kind, listings in site.listings.items() for listing in listings
              for n, key in enumerate(listing.keys, 1)]
    listed.sort(key=lambda page: page[0], reverse=True)  # stable: pages as new keep their order
    # A listing's first page is its folder's, and every later one a file of the same form (``Listing.page_url``).
    shells = frozenset(shell_key(listing.page_url(n)) for listings in site.listings.values() for listing in listings
                       for n in range(1, min(2, listing.page_count) + 1))

    def render(index: int) -> SitePage:
        _, kind, listing, n, _ = listed[index]
        return _listing_page(site, kind, listing, n)

    return PageSeries([listing.page_url(n) for _, _, listing, n, _ in listed], [key for *_, key in listed], render,
                      shells)


def _item_pages(site: Site, part: Participation) -> PageSeries:
    """Every published item's page, a report item's showing its report, in the views' order. Most show their view
    alone, whose digest hashes all it shows: that is their key (hashed again with the page's name, 100,000 took
    ~0.1 s of every build). Only the few others are looked at one by one: a report's, a repealed document's (which
    links to what replaced it), one that interpretations or consultations link to."""
    views, reports, links = site.items, site.reports, part.links
    keys = [view.digest for view in views]
    others = [index for index in site.notable.special
              if (item := views[index].item).repealed or item.index_no in reports or item.index_no in links]
    repealing = {}  # a document number → its first view, where a repealed document names it
    if named := {item.repealed.by for index in others if (item := views[index].item).repealed}:
        for view in views:
            if view.item.doc_no in named:
                repealing.setdefault(view.item.doc_no, view)
    rendered: dict[int, Callable[[], SitePage]] = {}  # a page that shows more than its view → how it is rendered
    for index in others:
        view = views[index]
        if report := reports.get(view.item.index_no):
            stats = request_stats(site.catalog, site.calendar, site.catalog.organs[view.item.organ], report.source.year,
                                  report.data)
            # Keyed like an item's page: an office's reports of every year were rendered again on every build.
            keys[index] = digest(_report_page.__name__, view.digest, report.key, repr(stats), report.source.overview,
                                 report.source.problems, report.source.other)
            rendered[index] = functools.partial(_report_page, site, view, report, stats)
            continue
        replaced_by = repealing.get(view.item.repealed.by) if view.item.repealed else None
        related = links.get(view.item.index_no)
        if replaced_by or related:
            keys[index] = digest(_item_page.__name__, view.digest, replaced_by.digest if replaced_by else "",
                                 related.digest if related else "")
            rendered[index] = functools.partial(_item_page, site, view, replaced_by, related)

    def render(index: int) -> SitePage:
        special = rendered.get(index)
        return special() if special else _item_page(site, views[index], None, None)

    # Every item's page has the same form, items/<slug>.html (``urls.item_url``): one shell.
    urls = [view.url for view in views]
    return PageSeries(urls, keys, render, frozenset(map(shell_key, urls[:1])))


# ------------------------------------------------------------ page metadata (《政府网站发展指引》)

# The columns of the site as its column pages describe them: (ColumnName, ColumnDescription, ColumnType).
SITE_COLUMNS = {
    "": ("首页", "", "首页"),
    "guide/": ("政府信息公开指南", "政府信息的分类、编排体系、获取方式，以及政府信息公开工作机构的名称、办公地址、办公时间、联系电话、"
                                "传真号码和互联网联系方式", "信息公开指南"),
    "active/": ("法定主动公开内容", "按《中华人民共和国政府信息公开条例》第二十条、第二十一条规定的类别编排的主动公开政府信息",
                "信息公开目录"),
    "reports/": ("政府信息公开年报", "各机关的政府信息公开工作年度报告", "信息公开年报"),
    "apply/": ("依申请公开", "申请获取政府信息的渠道、程序、时限和信息处理费，以及申请办理情况", "依法申请公开"),
    "browse/": ("分类浏览", "按公开类别、机关、年份和主题分类浏览全部主动公开信息", "信息公开目录"),
    "powers/": ("权力清单", "行政机关的权力事项：设定依据、办理条件、所需材料、办理流程和时限", "办事服务"),
    "fees/": ("行政事业性收费", "行政事业性收费项目及其政策依据、收费标准", "信息公开目录"),
}


def _column(site: Site, url: str) -> Column:
    name, description, kind = SITE_COLUMNS[url]
    return Column(name, description or site.catalog.site.description, (name,), kind)


def listing_column(kind: str, listing: Listing) -> Column:
    """The column a listing is: a category of the 条例, an organ's, a year's or a topic's information."""
    if kind == "category":
        return category_column(listing.key)
    description = {"organ": f"{listing.title}主动公开的政府信息", "year": f"{listing.key} 年发布的政府信息",
                   "topic": f"主题分类为“{listing.title}”的政府信息"}[kind]
    keywords = tuple(re.split(r"[/\\]", listing.title)) if kind == "topic" else (listing.title,)
    return Column(listing.title, description, keywords, "信息公开目录")


def category_column(code: str) -> Column:
    """A category's column: 政策文件 for art. 20 (一), 信息公开年报 for the reports, 信息公开目录 for the others."""
    label = statute.CATEGORIES[code]
    if code == "年报":
        return Column(label, SITE_COLUMNS["reports/"][1], (label,), "信息公开年报")
    return Column(category_title(code), f"{statute.category_article(code)}：{label}", (label,),
                  "政策文件" if code == "20-1" else "信息公开目录")


def _page(site: Site, url: str, title: str, html: str, description: str = "", column: Column | None = None,
          article: Article | None = None) -> SitePage:
    return SitePage(url, title, html, description=description,
                    meta=page_tags(site.catalog.site, url, column, article))


def _item_article(view: ItemView) -> Article:
    item = view.item
    return Article(view.title, view.published, view.publisher, keywords=item.keywords, description=view.summary)


# ------------------------------------------------------------ the columns


def _home(site: Site, part: Participation) -> SitePage:
    """The columns, the latest information, the consultations open today, and each organ's report status: last
    year's, and an earlier one still not published (the reports column lists every one published)."""
    reports = [entry for entry in report_statuses(site.catalog, site.today)
               if not entry.done or entry.due.year == site.today.year]
    html = site.templating.render("home.html", "", site=site, latest=site.items[:LATEST_ON_HOME], reports=reports,
                                  consulting=part.open, organs=site.organs, organ_pages=_organ_pages(site),
                                  feeds=FEEDS_HOME)
    return _page(site, "", site.catalog.site.title, html, site.catalog.site.description, _column(site, ""))


def _organ_pages(site: Site) -> dict[str, str]:
    """The organs that have a page (those with published information), each's page."""
    return {listing.key: listing.url for listing in site.listings["organ"]}


def _guide(site: Site) -> SitePage:
    count_tiers, page_tiers = fee_examples()
    supplements = [(o.name, site.templating.markdown(o.guide, piece=n, under=3).html)
                   for n, o in enumerate((o for o in site.organs if o.guide), start=1)]
    html = site.templating.render("guide.html", "guide/", organs=site.organs, supplements=supplements,
                                  categories=statute.CATEGORIES, count_tiers=count_tiers, page_tiers=page_tiers)
    return _page(site, "guide/", "政府信息公开指南", html, column=_column(site, "guide/"))


def _active_index(site: Site) -> SitePage:
    listings = {listing.key: listing for listing in site.listings["category"]}
    # The site's own columns that publish a category (条例 art. 20 (二) the organs' facts, (五)(六) the power list,
    # (八) the fees), when they have entries: the category is published there, not only by the catalog's items.
    kinds = {power_type(p.type, site.catalog.settings.power_types) or p.type for p in site.powers}
    columns = {"20-2": [("contact/", "各机关的办公地址、办公时间和联系方式")] if site.catalog.organs else [],
               "20-5": [("powers/", "权力清单")] if kinds - set(statute.PENALTY_POWER_TYPES) else [],
               "20-6": [("powers/", "权力清单")] if kinds & set(statute.PENALTY_POWER_TYPES) else [],
               "20-8": [("fees/", "行政事业性收费")] if site.fees else []}
    # Every category of the 条例 is named; only those with information are columns (links).
    rows = [(category_title(code), listings.get(code), columns.get(code, [])) for code in statute.CATEGORIES
            if code in statute.ART20_CATEGORIES or code in listings]
    html = site.templating.render("active.html", "active/", rows=rows)
    return _page(site, "active/", "法定主动公开内容", html, column=_column(site, "active/"))


def _reports(site: Site) -> SitePage:
    html = site.templating.render("reports.html", "reports/", reports=annual_reports(site), organs=site.organs)
    return _page(site, "reports/", "政府信息公开年报", html, column=_column(site, "reports/"))


def _apply(site: Site) -> SitePage:
    count_tiers, page_tiers = fee_examples()
    html = site.templating.render("apply.html", "apply/",
                                  stats=timeliness(site.catalog, site.calendar, site.today),
                                  count_tiers=count_tiers, page_tiers=page_tiers, today=site.today)
    return _page(site, "apply/", "依申请公开", html, column=_column(site, "apply/"))


def _browse(site: Site) -> SitePage:
    html = site.templating.render("browse.html", "browse/", listings=site.listings)
    return _page(site, "browse/", "分类浏览", html, column=_column(site, "browse/"))


def _search(site: Site) -> SitePage:
    # The client's address changes with its code: a browser still holding an older client.js would misread the index
    # (from version 2 it is numbered oldest first).
    version = digest(search.CLIENT.read_bytes())[:12]
    return _page(site, "search/", "检索", site.templating.render("search.html", "search/", client_version=version))


def _feeds(site: Site) -> SitePage:
    page = feeds_page(site)
    return _page(site, page.url, page.title, page.html)


def _contact(site: Site) -> SitePage:
    """联系我们 (rules.md §8): the site's organizer and every organ's disclosure office."""
    html = site.templating.render("contact.html", "contact/", site_config=site.catalog.site,
                                  identity=Identity.of(site.catalog.site), organs=site.organs,
                                  organ_pages=_organ_pages(site))
    return _page(site, "contact/", "联系我们", html)


def _sitemap(site: Site, part: Participation) -> SitePage:
    """网站地图 (rules.md §8): every column and listing of the site."""
    html = site.templating.render("sitemap.html", "sitemap/", listings=site.listings,
                                  powers=bool(site.powers), fees=bool(site.fees),
                                  consultations=bool(part.consultations), hotline=bool(part.months))
    return _page(site, "sitemap/", "网站地图", html)


def _powers_index(site: Site) -> SitePage:
    types, organs = site.catalog.settings.power_types, site.catalog.organs

    def type_of(power: Power) -> str:
        return power_type(power.type, types) or power.type

    def organ_of(power: Power) -> str:
        return organs[power.organ].name if power.organ in organs else power.organ

    # The filters offer what the list holds (a type or organ without an entry showed an empty table): the types in
    # the settings' order, then any other, and the organs in their ids' order.
    listed = {type_of(p) for p in site.powers}
    type_choices = [t for t in types if t in listed] + sorted(listed - set(types))
    organ_choices = list(dict.fromkeys(organ_of(p) for p in sorted(site.powers, key=lambda p: p.organ)))
    html = site.templating.render("powers.html", "powers/", powers=site.powers, type_of=type_of, organ_of=organ_of,
                                  type_choices=type_choices, organ_choices=organ_choices,
                                  power_url=power_url, releases=site.releases("权力清单"),
                                  removed=functools.partial(removed_by, day=site.today), **powers_context(site))
    return _page(site, "powers/", "权力清单", html, column=_column(site, "powers/"))


def _fees_index(site: Site) -> SitePage:
    html = site.templating.render("fees.html", "fees/", fees=site.fees, groups=site.fee_groups,
                                  organs=site.catalog.organs, fee_url=fee_url, fund_management=fund_management,
                                  doc_no=normalise_doc_no, releases=site.releases("收费目录"),
                                  removed=functools.partial(removed_by, day=site.today))
    return _page(site, "fees/", "行政事业性收费", html, column=_column(site, "fees/"))


# ------------------------------------------------------------ listings


def page_window(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pagination bar shows: the first, the last and those near ``number``; None for a gap.
    A listing of 500 pages must not link all 500 from each of them."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    window: list[int | None] = []
    for n in shown:
        if window and n - window[-1] == 2:
            window.append(n - 1)  # a gap of one page is shown as that page
        elif window and n - window[-1] > 2:
            window.append(None)
        window.append(n)
    return window


def _listing_page(site: Site, kind: str, listing: Listing, number: int) -> SitePage:
    organ = site.catalog.organs.get(listing.key) if kind == "organ" else None
    url = listing.page_url(number)
    chunk = listing.page_items(number)

    def href(n: int) -> str:
        return relative_url(url, listing.page_url(n))
    # The pagination bar's links are made here: a call through Jinja for each, the bar took ~100 µs of a listing
    # page (docs/decisions.md). ``pages``, the numbers alone, stays for an office's copy of pagination.html. The
    # current page and a gap link nowhere ("").
    pages = page_window(number, listing.page_count)
    html = site.templating.render("listing.html", url, listing=listing, items=chunk, number=number, pages=pages,
                                  page_links=[(n, "" if n in (None, number) else href(n)) for n in pages],
                                  previous=href(number - 1) if number > 1 else "",
                                  next=href(number + 1) if number < listing.page_count else "",
                                  page_count=listing.page_count, organ=organ, kind=kind, total=len(listing.items))
    title = listing.title + (f"（第 {number} 页）" if number > 1 else "")
    return _page(site, url, title, html, column=listing_column(kind, listing))


# ------------------------------------------------------------ one page per item, report, power and fee


def _item_page(site: Site, view: ItemView, repealing: ItemView | None, related: ItemLinks | None = None) -> SitePage:
    # A link to an attachment, written as the file lies beside the item's file (附件/细则.pdf) or by the file's own name
    # (细则.pdf: an import's, for a file it found in a folder), goes where the site publishes it: in the item's folder.
    by_name, by_file = {}, {}
    for attachment, shown in zip(view.item.attachments, view.attachments):
        target = relative_url(view.url, shown.href)
        by_name.setdefault(os.path.basename(attachment.path), target)
        by_file[attachment.file] = target
    links = by_name | by_file  # the file as written wins over another's name
    body = site.templating.markdown("" if view.withdrawn else view.item.body, links)
    html = site.templating.render("item.html", view.url, view=view, item=view.item, repealing=repealing,
                                  body=body.html, toc=body.toc,
                                  changes=sorted(view.item.changes, key=lambda c: c.changed), related=related)
    return _page(site, view.url, view.title, html, view.summary or view.title,
                 category_column(view.item.category), _item_article(view))


def _report_page(site: Site, view: ItemView, shown: ComputedReport, stats: RequestStats) -> SitePage:
    """The annual report as the national format lays it out, with its data to download and its charts (those drawn
    from the request log only while its figures are what the log gives: ``ComputedReport.current``)."""
    source, report = shown.source, shown.data
    charts = [bar_chart("gk-chart-month", f"{source.year} 年各月收到的申请（件）", [f"{m} 月" for m in range(1, 13)],
                        list(stats.by_month))] if shown.current else []
    charts.append(bar_chart("gk-chart-outcome", f"{source.year} 年办理结果（件）", [g for g, _ in stats.by_group],
                            [n for _, n in stats.by_group]))
    # A rate of the replies whose time is known. With none (nothing answered, or every clock waiting for next year's
    # calendar) there is no rate: a 0.0 % would be read as a fact.
    if shown.current and (timed := stats.answered - stats.untimed):
        pending = f"（另 {stats.untimed} 件待定：缺少节假日数据）" if stats.untimed else ""
        charts.append(bar_chart("gk-chart-ontime", f"按时答复率{pending}", ["按时答复"],
                                [rounded(100 * stats.on_time / timed)], unit="%", full=100))
    groups = [r.group for r in SECTION3_ROWS if r.group]
    html = site.templating.render(
        "report.html", view.url, view=view, item=view.item, report=report, source=source,
        overview=overview_sentence(report), sections=SECTIONS, active_blocks=ACTIVE_BLOCKS,
        top_left_note=TOP_LEFT_NOTE, columns=COLUMNS, request_rows=REQUEST_ROWS,
        section3_keys={r.key for r in SECTION3_ROWS}, first_section3=SECTION3_ROWS[0].key,
        section3_count=len(SECTION3_ROWS), group_size=Counter(groups),
        group_first={g: next(r.key for r in SECTION3_ROWS if r.group == g) for g in groups},
        review_rows=REVIEW_ROWS, review_columns=REVIEW_COLUMNS, charts=charts,
        downloads=[(f"报告数据（{kind.upper()}）", report_file_url(view.item, source.year, kind))
                   for kind in FORMATS])
    return _page(site, view.url, view.title, html, view.summary, category_column("年报"), _item_article(view))


def _power_page(site: Site, power: Power) -> SitePage:
    url = power_url(power)
    fees = [f for f in site.fees if f.id in (power.fees or ())]
    organ = site.catalog.organs.get(power.organ)
    html = site.templating.render("power.html", url, power=power, organ=organ, fees=fees, fee_url=fee_url,
                                  time_cut=time_cut, removed=removed_by(power, site.today))
    article = Article(power.name, power.published, organ.name if organ else "", keywords=(power.type, power.name))
    return _page(site, url, power.name, html, column=_column(site, "powers/"), article=article)


def _fee_page(site: Site, fee: Fee, powers: list[Power]) -> SitePage:
    url = fee_url(fee)
    organ = site.catalog.organs.get(fee.organ)
    html = site.templating.render("fee.html", url, fee=fee, organ=organ, powers=powers, power_url=power_url,
                                  fund_management=fund_management, doc_no=normalise_doc_no,
                                  removed=removed_by(fee, site.today))
    article = Article(fee.name, fee.published, organ.name if organ else "", keywords=("行政事业性收费", fee.name))
    return _page(site, url, fee.name, html, column=_column(site, "fees/"), article=article)
