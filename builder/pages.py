"""The pages of the disclosure site, as plain data: what pages exist, at which URL, with what content.

Everything shown comes from typed view objects and goes through one Jinja
environment with autoescaping on, so text from YAML is always escaped.
The mkdocs plugin turns ``SitePage``s into mkdocs files; nothing here needs mkdocs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import jinja2
import markdown
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

from search.index import SearchDoc

from . import rules
from .cache import digest
from .calendar import WorkCalendar
from .catalog import Catalog, Fee, Item, Power, ReportSource
from .charts import bar_chart
from .dashboard import due_entries
from .documents import DocumentSource, SearchDocuments
from .deadlines import ClockState, request_deadlines, request_state
from .fees import fee_by_count, fee_by_pages
from .report import (
    ACTIVE_BLOCKS,
    COLUMNS,
    REQUEST_ROWS,
    REVIEW_COLUMNS,
    REVIEW_ROWS,
    SECTION3_ROWS,
    TOP_LEFT_NOTE,
    ReportData,
    compute_report,
    overview_sentence,
    request_stats,
    to_csv,
    to_json,
    to_yaml,
)
from .report import SECTIONS as REPORT_SECTIONS
from .util import strip_control
from .validity import Validity, validity_on

PAGE_SIZE = 20
LATEST_ON_HOME = 10
TEMPLATES = Path(__file__).parent / "templates"


def slug(text: str) -> str:
    """A URL segment for an identifier: ASCII letters, digits, dots and dashes kept; anything else becomes '_'."""
    return re.sub(r"[^0-9A-Za-z.\-]", "_", text)


def topic_slug(topic: str) -> str:
    return re.sub(r"[/\\\s?#%]+", "-", topic).strip("-")


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, directory style)."""
    if to_url.startswith(("http://", "https://", "#")):
        return to_url
    here = from_url.split("/")[:-1]  # the page's folder: "a/b/" → [a, b]; "a/b.html" → [a]
    there = to_url.rstrip("/").split("/") if to_url.strip("/") else []
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    if not parts:
        return "./"
    return "/".join(parts) + ("/" if to_url.endswith("/") or not to_url else "")


# ------------------------------------------------------------ views


@dataclasses.dataclass(frozen=True)
class ItemView:
    """One published item as the site shows it."""

    item: Item
    url: str
    organ_name: str
    publisher: str
    validity: Validity | None  # None: the document type has no validity period and nothing ended it
    validity_until: dt.date | None
    validity_reason: str
    category_label: str
    attachments: tuple["AttachmentView", ...]

    @property
    def title(self) -> str:
        return strip_control(self.item.title)

    @property
    def published(self) -> dt.date:
        return self.item.published

    @functools.cached_property
    def digest(self) -> str:
        """Everything this view shows, hashed: the key of its page and of its row in listings (cache.py)."""
        shown = [getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "item"]
        return digest(self.item.digest or repr(self.item), repr(shown))


@dataclasses.dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str
    source: Path
    size: str
    kind: str


@dataclasses.dataclass(frozen=True)
class Listing:
    """A paginated list of items: a category, an organ, a year, a topic."""

    key: str
    title: str
    url: str           # first page
    items: tuple[ItemView, ...]
    intro: str = ""

    def page_url(self, number: int) -> str:
        return self.url if number == 1 else f"{self.url}page/{number}/"

    @property
    def page_count(self) -> int:
        return max(1, -(-len(self.items) // PAGE_SIZE))


@dataclasses.dataclass(frozen=True)
class SitePage:
    """A generated page: its site-relative URL, title, description, and its content (the HTML inside the theme).

    Every content starts with the page's own ``<h1>``, so the theme never adds one.
    """

    url: str
    title: str
    html: str
    description: str = ""

    @property
    def src_uri(self) -> str:
        return src_uri(self.url)

    @property
    def meta_description(self) -> str:
        """Every page has its own description, so the theme never falls back to the site's."""
        return self.description or self.title

    def markdown(self) -> str:
        """What mkdocs reads for this page: the escaped title and description. The content is ours, not
        Markdown: the plugin puts ``html`` in place of the converted placeholder (``on_page_content``)."""
        meta = {"title": str(Markup.escape(self.title)), "description": str(Markup.escape(self.meta_description))}
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return f"---\n{front}\n---\n\n{CONTENT_PLACEHOLDER}\n"


CONTENT_PLACEHOLDER = "gongkai-page-content"


def src_uri(url: str) -> str:
    return "index.md" if url == "" else url.rstrip("/") + "/index.md"


@dataclasses.dataclass(frozen=True)
class PageSource:
    """A page to generate, rendered only when written: a site of 100,000 items never holds all its pages.

    ``inputs`` is a hash of everything the page shows, when that is known without rendering it (items,
    listings): an unchanged page is then reused without being rendered (cache.py).
    """

    url: str
    render: Callable[[], SitePage]
    inputs: str | None = None

    @property
    def path(self) -> str:
        return self.url + "index.html"


@dataclasses.dataclass
class Site:
    """Everything the site shows, derived once from a validated catalog for one day."""

    catalog: Catalog
    calendar: WorkCalendar
    today: dt.date
    items: list[ItemView]
    listings: dict[str, list[Listing]]   # kind → listings of that kind
    pages: list[PageSource] = dataclasses.field(default_factory=list)
    # index_no of a published report item → its statistics file and computed report (for its page and downloads)
    reports: dict[str, tuple[ReportSource, ReportData]] = dataclasses.field(default_factory=dict)

    @property
    def organs(self):
        return sorted(self.catalog.organs.values(), key=lambda o: o.id)


def body_markdown(text: str) -> str:
    """Item bodies are Markdown without raw HTML: anything that looks like a tag is shown as text."""
    return strip_control(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel", ".txt": "文本",
          ".ofd": "OFD", ".wps": "WPS", ".zip": "压缩包", ".jpg": "图片", ".png": "图片"}


def item_url(item: Item) -> str:
    return f"items/{slug(item.index_no)}/"


def make_item_view(catalog: Catalog, item: Item, today: dt.date) -> ItemView:
    organ = catalog.organs.get(item.organ)
    state = validity_on(item, today, catalog.settings)
    has_validity = state.expires is not None or item.doc_type in ("规章", "行政规范性文件")
    url = item_url(item)
    attachments = tuple(
        AttachmentView(a.title, url + a.path.name, a.path, _human_size(a.path.stat().st_size),
                       _KINDS.get(a.path.suffix.lower(), a.path.suffix.lstrip(".").upper() or "文件"))
        for a in item.attachments)
    return ItemView(
        item=item, url=url, organ_name=organ.name if organ else item.organ,
        publisher=item.publisher or (organ.name if organ else ""),
        validity=state.validity if has_validity else None,
        validity_until=state.expires, validity_reason=state.reason,
        category_label=rules.CATEGORIES[item.category],
        attachments=attachments,
    )


def build_site(catalog: Catalog, calendar: WorkCalendar, today: dt.date, views: list[ItemView]) -> Site:
    """The site of ``views`` (published_views: asked for first, as the search index starts from them)."""
    site = Site(catalog, calendar, today, views, _listings(catalog, views))
    sources = {(r.organ, r.year): r for r in catalog.reports}
    site.reports = {v.item.index_no: (source, compute_report(catalog, catalog.organs[source.organ], source.year, source))
                    for v in views if (source := sources.get((v.item.organ, v.item.annual_report)))}
    site.pages = _pages(site)
    return site


def _listings(catalog: Catalog, views: list[ItemView]) -> dict[str, list[Listing]]:
    by = defaultdict(lambda: defaultdict(list))
    for view in views:
        by["category"][view.item.category].append(view)
        by["organ"][view.item.organ].append(view)
        by["year"][view.published.year].append(view)
        for topic in view.item.topics:
            by["topic"][topic].append(view)
    listings = {
        "category": [Listing(code, f"{rules.category_article(code)} {label}" if code != "年报" else label,
                             f"active/{code}/", tuple(by["category"][code]))
                     for code, label in rules.CATEGORIES.items() if by["category"][code] or code in rules.ART20_CATEGORIES],
        "organ": [Listing(o, catalog.organs[o].name, f"organs/{slug(o)}/", tuple(v)) for o, v in sorted(by["organ"].items())
                  if o in catalog.organs],
        "year": [Listing(str(y), f"{y} 年", f"years/{y}/", tuple(v)) for y, v in sorted(by["year"].items(), reverse=True)],
        "topic": [Listing(t, t, f"topics/{topic_slug(t)}/", tuple(v)) for t, v in sorted(by["topic"].items())],
    }
    return listings


# ------------------------------------------------------------ rendering


def environment(override_dir: Path | None = None) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(str(override_dir))] if override_dir and override_dir.is_dir() else []
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(TEMPLATES))]),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False,
                             undefined=jinja2.StrictUndefined)
    env.filters["zh_date"] = lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日" if d else ""
    env.filters["md"] = markdown_html
    return env


def markdown_html(text: str) -> Markup:
    """Staff-written Markdown (bodies, guides, report sections) as HTML; raw HTML in it is shown as text.

    Headings start at <h2>: the page's title is its only <h1>.
    """
    _MARKDOWN.reset()
    source = body_markdown(text or "")
    if not _MARKUP.search(source):
        return Markup(_paragraphs(source))
    return Markup(_MARKDOWN.convert(source))


# Anything that can start Markdown syntax, or that python-markdown rewrites (tabs, trailing spaces, indents).
# Most government documents are plain paragraphs of Chinese: for those, Markdown is skipped. Brackets alone
# ("[2019]") make no link without "](", "] [" or a "[id]:" definition, and "+" is a list only at a line's start.
_MARKUP = re.compile(r"[\\`*_!<>&#|~=\-\t\r]|\]\s?[(\[]|\]:|^\+|^ |^\d+\. |[ ]$", re.MULTILINE)


def _paragraphs(source: str) -> str:
    """python-markdown's output for text without any markup: its blocks, each a <p>."""
    blocks = [block for block in re.split(r"\n{2,}", source.strip("\n")) if block]
    return "\n".join(f"<p>{block}</p>" for block in blocks)


def document_toc() -> list[dict]:
    """The headings of the text last converted by ``markdown_html``, as nested tokens."""
    return _MARKDOWN.toc_tokens


# Heading ids keep their Chinese text, so a link to a section of a document says which section it is.
_MARKDOWN = markdown.Markdown(extensions=["tables", "toc"],
                              extension_configs={"toc": {"baselevel": 2, "slugify": slugify_unicode}})


_ENV = environment()


def set_template_override(override_dir: Path | None) -> None:
    """Let an office replace any of our partials with ``<custom_dir>/gongkai/<name>``."""
    global _ENV
    _ENV = environment(override_dir)


def render(template: str, page_url: str, **context) -> str:
    def link(target: str) -> str:
        return relative_url(page_url, target)
    return _ENV.get_template(template).render(link=link, **context)


def _pages(site: Site) -> list[PageSource]:
    from .feeds import feeds_page

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


def _search(site: Site) -> SitePage:
    return SitePage("search/", "检索", render("search.html", "search/"))


def _home(site: Site) -> SitePage:
    reports = [e for e in due_entries(site.catalog, site.calendar, site.today) if e.section == "年度报告"]
    html = render("home.html", "", site=site, latest=site.items[:LATEST_ON_HOME], reports=reports,
                  organs=site.organs, feeds=FEEDS_HOME)
    return SitePage("", site.catalog.site.title, html, description=site.catalog.site.description)


def _guide(site: Site) -> SitePage:
    count_tiers = [(n, fee_by_count(n)) for n in (10, 11, 30, 31, 40, 41)]
    page_tiers = [(n, fee_by_pages(n)) for n in (30, 31, 100, 101, 200, 201)]
    supplements = [(o.name, markdown_html(o.guide)) for o in site.organs if o.guide]
    html = render("guide.html", "guide/", organs=site.organs, supplements=supplements, categories=rules.CATEGORIES, channels=rules.CHANNELS,
                  count_tiers=count_tiers, page_tiers=page_tiers)
    return SitePage("guide/", "政府信息公开指南", html)


def _active_index(site: Site) -> SitePage:
    html = render("active.html", "active/", listings=site.listings["category"])
    return SitePage("active/", "法定主动公开内容", html)


def _reports(site: Site) -> SitePage:
    listing = next((l for l in site.listings["category"] if l.key == "年报"), None)
    reports = listing.items if listing else ()
    html = render("reports.html", "reports/", reports=reports, organs=site.organs)
    return SitePage("reports/", "政府信息公开年报", html)


@dataclasses.dataclass(frozen=True)
class Timeliness:
    organ: str
    received: int
    answered: int
    on_time: int
    median_workdays: float | None


def timeliness(site: Site) -> list[Timeliness]:
    """Per organ, requests received and answered, answered on time, and the median working days to answer."""
    rows = []
    settings = site.catalog.settings
    for organ in site.organs:
        requests = [r for r in site.catalog.requests if r.organ == organ.id and r.received <= site.today]
        answered = [r for r in requests if r.replied and r.replied <= site.today]
        on_time, durations = 0, []
        for request in answered:
            deadlines = request_deadlines(site.calendar, request, settings)
            if request_state(site.calendar, request, deadlines, site.today, 0) is ClockState.CLOSED:
                on_time += 1
            durations.append(site.calendar.count_workdays_after(deadlines.anchor, request.replied))
        median = statistics.median(durations) if durations else None
        rows.append(Timeliness(organ.name, len(requests), len(answered), on_time, median))
    return rows


def _apply(site: Site) -> SitePage:
    html = render("apply.html", "apply/", organs=site.organs, channels=rules.CHANNELS, stats=timeliness(site),
                  count_tiers=[(n, fee_by_count(n)) for n in (10, 11, 30, 31, 35, 40, 41)],
                  page_tiers=[(n, fee_by_pages(n)) for n in (30, 31, 100, 101, 200, 201, 250)],
                  today=site.today)
    return SitePage("apply/", "依申请公开", html)


def _browse(site: Site) -> SitePage:
    html = render("browse.html", "browse/", listings=site.listings)
    return SitePage("browse/", "分类浏览", html)


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
    html = render("listing.html", url, listing=listing, items=chunk, number=number,
                  pages=page_window(number, listing.page_count), page_count=listing.page_count,
                  organ=organ, kind=kind, total=len(listing.items))
    title = listing.title + (f"（第 {number} 页）" if number > 1 else "")
    return SitePage(url, title, html)


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
    html = render(
        "report.html", view.url, view=view, item=view.item, report=report, source=source,
        overview=overview_sentence(report), sections=REPORT_SECTIONS, active_blocks=ACTIVE_BLOCKS,
        top_left_note=TOP_LEFT_NOTE, columns=COLUMNS, request_rows=REQUEST_ROWS,
        section3_keys={r.key for r in SECTION3_ROWS}, first_section3=SECTION3_ROWS[0].key,
        section3_count=len(SECTION3_ROWS), group_size=Counter(groups),
        group_first={g: next(r.key for r in SECTION3_ROWS if r.group == g) for g in groups},
        review_rows=REVIEW_ROWS, review_columns=REVIEW_COLUMNS, charts=charts,
        downloads=[(f"报告数据（{kind.upper()}）", view.url + report_file_name(source.year, kind))
                   for kind in REPORT_DOWNLOADS])
    return SitePage(view.url, view.title, html, description=view.item.summary)


REPORT_DOWNLOADS = {"yaml": to_yaml, "json": to_json, "csv": to_csv}


def report_file_name(year: int, kind: str) -> str:
    return f"report-{year}.{kind}"


def _item_page(site: Site, view: ItemView, repealing: ItemView | None) -> SitePage:
    body = markdown_html(view.item.body)
    html = render("item.html", view.url, view=view, item=view.item, repealing=repealing, body=body,
                  toc=document_toc(), changes=sorted(view.item.changes, key=lambda c: c.changed))
    return SitePage(view.url, view.title, html, description=view.item.summary or view.title)


def _power_page(site: Site, power: Power) -> SitePage:
    url = power_url(power)
    fees = [f for f in site.catalog.fees if f.id in power.fees]
    html = render("power.html", url, power=power, organ=site.catalog.organs.get(power.organ), fees=fees,
                  fee_url=fee_url)
    return SitePage(url, power.name, html)


def _fee_page(site: Site, fee: Fee, powers: list[Power]) -> SitePage:
    url = fee_url(fee)
    html = render("fee.html", url, fee=fee, organ=site.catalog.organs.get(fee.organ), powers=powers,
                  power_url=power_url)
    return SitePage(url, fee.name, html)


def _powers_index(site: Site) -> SitePage:
    powers = sorted(site.catalog.powers, key=lambda p: (p.organ, p.type, p.id))
    html = render("powers.html", "powers/", powers=powers, organs=site.catalog.organs, types=rules.POWER_TYPES,
                  power_url=power_url)
    return SitePage("powers/", "权力清单", html)


def _fees_index(site: Site) -> SitePage:
    fees = sorted(site.catalog.fees, key=lambda f: (f.organ, f.id))
    html = render("fees.html", "fees/", fees=fees, organs=site.catalog.organs, fee_url=fee_url)
    return SitePage("fees/", "行政事业性收费", html)


def power_url(power: Power) -> str:
    return f"powers/{slug(power.id)}/"


def fee_url(fee: Fee) -> str:
    return f"fees/{slug(fee.id)}/"


# Feeds every page advertises (autodiscovery) and the home page links to.
FEEDS_HOME = (("全部信息（RSS）", "feeds/all.xml"), ("全部信息（Atom）", "feeds/all.atom"))


@dataclasses.dataclass(frozen=True)
class SiteFile:
    """A file of the site that is not a page: an attachment (copied from ``source``) or report data (``make``).
    ``inputs`` hashes what it is made from, when that is cheaper to know than the file (cache.py)."""

    path: str
    source: Path | None = None
    make: Callable[[], bytes] | None = None
    inputs: str | None = None


def site_files(site: Site) -> list[SiteFile]:
    """Every file that is not a page: attachments, report data."""
    files = [SiteFile(a.url, source=a.source) for view in site.items for a in view.attachments]
    for view in site.items:
        if view.item.index_no in site.reports:
            source, report = site.reports[view.item.index_no]
            inputs = digest(to_json(report))
            files += [SiteFile(view.url + report_file_name(source.year, kind), inputs=inputs,
                               make=functools.partial(_encoded, write, report))
                      for kind, write in REPORT_DOWNLOADS.items()]
    return files


def _encoded(write: Callable[[ReportData], str], report: ReportData) -> bytes:
    return write(report).encode("utf-8")


def published_views(catalog: Catalog, today: dt.date) -> list[ItemView]:
    """Every item published by ``today`` as the site shows it, newest first (the order of listings and search)."""
    published = [i for i in catalog.items if i.published and i.published <= today]
    return sorted((make_item_view(catalog, i, today) for i in published),
                  key=lambda v: (-v.published.toordinal(), v.item.index_no))


def search_documents(views: list[ItemView]) -> list[SearchDoc]:
    """What the search index holds for each published item, in the site's order."""
    return list(SearchDocuments([document_source(v) for v in views]))


def document_source(v: ItemView) -> DocumentSource:
    return DocumentSource(
        SearchDoc(url=v.url, title=v.title, doc_no=v.item.doc_no, index_no=v.item.index_no,
                  date=v.published.isoformat(), category=v.category_label, organ=v.organ_name,
                  year=v.published.year, validity=v.validity.value if v.validity else "不适用",
                  summary=strip_control(v.item.summary), body=""),
        v.item.path, v.item.body_line, v.item.digest)
