"""Every page of the site: which pages exist, at which URL, and how each is rendered from the views.

Pages are planned, not rendered: a ``PageSource`` renders its page only when it is written, so a site of
100,000 items never holds all its pages. The mkdocs plugin turns them into files; nothing here needs mkdocs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict

from search.hashing import digest

from .. import statute
from ..check.due import due_entries
from ..model.catalog import Catalog, Fee, Power, ReportSource
from ..report.compute import compute_report, overview_sentence
from ..report.datafile import FORMATS, ReportData
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
from ..report.statistics import request_stats, timeliness
from ..rules.fees import fee_examples
from ..rules.workdays import WorkCalendar
from .charts import bar_chart
from .feeds import FEEDS_HOME, feeds_page
from .structure import PageSource, SitePage
from .templating import Templating
from .urls import fee_url, organ_url, power_url, report_file_name
from .views import PAGE_SIZE, ItemView, Listing, Site, annual_reports, make_listings

LATEST_ON_HOME = 10


def build_site(catalog: Catalog, calendar: WorkCalendar, today: dt.date, views: list[ItemView],
               templating: Templating) -> Site:
    """The site of ``views`` (``published_views``: asked for first, as the search index starts from them)."""
    site = Site(catalog, calendar, today, templating, views, make_listings(catalog, views))
    sources = {(r.organ, r.year): r for r in catalog.reports}
    site.reports = {v.item.index_no: (source, compute_report(catalog, catalog.organs[source.organ], source.year, source))
                    for v in views if (source := sources.get((v.item.organ, v.item.annual_report)))}
    site.pages = _pages(site)
    return site


def _pages(site: Site) -> list[PageSource]:
    def source(url, function, *args, inputs=None):
        return PageSource(url, functools.partial(function, site, *args), inputs and digest(function.__name__, *inputs))

    pages = [source("", _home), source("guide/", _guide), source("active/", _active_index),
             source("reports/", _reports), source("apply/", _apply), source("browse/", _browse),
             source("powers/", _powers_index), source("fees/", _fees_index), source("search/", _search),
             source("feeds/", feeds_page)]
    for kind, listings in site.listings.items():
        for listing in listings:
            pages += [source(listing.page_url(n), _listing_page, kind, listing, n,
                             inputs=_listing_inputs(site, kind, listing, n)) for n in range(1, listing.page_count + 1)]
    repealing = {}
    for view in site.items:
        repealing.setdefault(view.item.doc_no, view)
    for view in site.items:
        if view.item.index_no in site.reports:
            pages.append(source(view.url, _report_page, view, *site.reports[view.item.index_no]))
        else:
            replaced_by = repealing.get(view.item.repealed.by) if view.item.repealed else None
            inputs = (view.digest, replaced_by.digest if replaced_by else "")
            pages.append(source(view.url, _item_page, view, replaced_by, inputs=inputs))
    fees_by_power = defaultdict(list)
    for power in site.catalog.powers:
        for fee_id in power.fees:
            fees_by_power[fee_id].append(power)
    pages += [source(power_url(p), _power_page, p) for p in site.catalog.powers]
    pages += [source(fee_url(f), _fee_page, f, fees_by_power[f.id]) for f in site.catalog.fees]
    return pages


# ------------------------------------------------------------ the columns


def _home(site: Site) -> SitePage:
    reports = [e for e in due_entries(site.catalog, site.calendar, site.today) if e.section == "年度报告"]
    html = site.templating.render("home.html", "", site=site, latest=site.items[:LATEST_ON_HOME], reports=reports,
                                  organs=site.organs, organ_url=organ_url, feeds=FEEDS_HOME)
    return SitePage("", site.catalog.site.title, html, description=site.catalog.site.description)


def _guide(site: Site) -> SitePage:
    count_tiers, page_tiers = fee_examples()
    supplements = [(o.name, site.templating.markdown(o.guide).html) for o in site.organs if o.guide]
    html = site.templating.render("guide.html", "guide/", organs=site.organs, supplements=supplements,
                                  categories=statute.CATEGORIES, channels=statute.CHANNELS,
                                  count_tiers=count_tiers, page_tiers=page_tiers)
    return SitePage("guide/", "政府信息公开指南", html)


def _active_index(site: Site) -> SitePage:
    html = site.templating.render("active.html", "active/", listings=site.listings["category"])
    return SitePage("active/", "法定主动公开内容", html)


def _reports(site: Site) -> SitePage:
    html = site.templating.render("reports.html", "reports/", reports=annual_reports(site), organs=site.organs)
    return SitePage("reports/", "政府信息公开年报", html)


def _apply(site: Site) -> SitePage:
    count_tiers, page_tiers = fee_examples()
    html = site.templating.render("apply.html", "apply/", organs=site.organs, channels=statute.CHANNELS,
                                  stats=timeliness(site.catalog, site.calendar, site.today),
                                  count_tiers=count_tiers, page_tiers=page_tiers, today=site.today)
    return SitePage("apply/", "依申请公开", html)


def _browse(site: Site) -> SitePage:
    html = site.templating.render("browse.html", "browse/", listings=site.listings)
    return SitePage("browse/", "分类浏览", html)


def _search(site: Site) -> SitePage:
    return SitePage("search/", "检索", site.templating.render("search.html", "search/"))


def _powers_index(site: Site) -> SitePage:
    powers = sorted(site.catalog.powers, key=lambda p: (p.organ, p.type, p.id))
    html = site.templating.render("powers.html", "powers/", powers=powers, organs=site.catalog.organs,
                                  types=statute.POWER_TYPES, power_url=power_url)
    return SitePage("powers/", "权力清单", html)


def _fees_index(site: Site) -> SitePage:
    fees = sorted(site.catalog.fees, key=lambda f: (f.organ, f.id))
    html = site.templating.render("fees.html", "fees/", fees=fees, organs=site.catalog.organs, fee_url=fee_url)
    return SitePage("fees/", "行政事业性收费", html)


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


def _listing_inputs(site: Site, kind: str, listing: Listing, number: int) -> tuple[str, ...]:
    organ = site.catalog.organs.get(listing.key) if kind == "organ" else None
    chunk = listing.items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    return (kind, listing.key, listing.title, listing.url, listing.intro, str(number), str(listing.page_count),
            str(len(listing.items)), repr(organ), *(view.digest for view in chunk))


def _listing_page(site: Site, kind: str, listing: Listing, number: int) -> SitePage:
    organ = site.catalog.organs.get(listing.key) if kind == "organ" else None
    url = listing.page_url(number)
    chunk = listing.items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
    html = site.templating.render("listing.html", url, listing=listing, items=chunk, number=number,
                                  pages=page_window(number, listing.page_count), page_count=listing.page_count,
                                  organ=organ, kind=kind, total=len(listing.items))
    title = listing.title + (f"（第 {number} 页）" if number > 1 else "")
    return SitePage(url, title, html)


# ------------------------------------------------------------ one page per item, report, power and fee


def _item_page(site: Site, view: ItemView, repealing: ItemView | None) -> SitePage:
    body = site.templating.markdown(view.item.body)
    html = site.templating.render("item.html", view.url, view=view, item=view.item, repealing=repealing,
                                  body=body.html, toc=body.toc, changes=sorted(view.item.changes, key=lambda c: c.changed))
    return SitePage(view.url, view.title, html, description=view.item.summary or view.title)


def _report_page(site: Site, view: ItemView, source: ReportSource, report: ReportData) -> SitePage:
    """The annual report as the national format lays it out, with its data to download and its charts."""
    organ = site.catalog.organs[view.item.organ]
    stats = request_stats(site.catalog, site.calendar, organ, source.year)
    rate = round(100 * stats.on_time / stats.answered, 1) if stats.answered else 0.0
    charts = [
        bar_chart("gk-chart-month", f"{source.year} 年各月收到的申请（件）", [f"{m} 月" for m in range(1, 13)],
                  list(stats.by_month)),
        bar_chart("gk-chart-outcome", f"{source.year} 年办理结果（件）", [g for g, _ in stats.by_group],
                  [n for _, n in stats.by_group]),
        bar_chart("gk-chart-ontime", "按时答复率", ["按时答复"], [rate], unit="%"),
    ]
    groups = [r.group for r in SECTION3_ROWS if r.group]
    html = site.templating.render(
        "report.html", view.url, view=view, item=view.item, report=report, source=source,
        overview=overview_sentence(report), sections=SECTIONS, active_blocks=ACTIVE_BLOCKS,
        top_left_note=TOP_LEFT_NOTE, columns=COLUMNS, request_rows=REQUEST_ROWS,
        section3_keys={r.key for r in SECTION3_ROWS}, first_section3=SECTION3_ROWS[0].key,
        section3_count=len(SECTION3_ROWS), group_size=Counter(groups),
        group_first={g: next(r.key for r in SECTION3_ROWS if r.group == g) for g in groups},
        review_rows=REVIEW_ROWS, review_columns=REVIEW_COLUMNS, charts=charts,
        downloads=[(f"报告数据（{kind.upper()}）", view.url + report_file_name(source.year, kind)) for kind in FORMATS])
    return SitePage(view.url, view.title, html, description=view.item.summary)


def _power_page(site: Site, power: Power) -> SitePage:
    url = power_url(power)
    fees = [f for f in site.catalog.fees if f.id in power.fees]
    html = site.templating.render("power.html", url, power=power, organ=site.catalog.organs.get(power.organ),
                                  fees=fees, fee_url=fee_url)
    return SitePage(url, power.name, html)


def _fee_page(site: Site, fee: Fee, powers: list[Power]) -> SitePage:
    url = fee_url(fee)
    html = site.templating.render("fee.html", url, fee=fee, organ=site.catalog.organs.get(fee.organ),
                                  powers=powers, power_url=power_url)
    return SitePage(url, fee.name, html)
