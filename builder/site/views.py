"""The catalog as the site shows it on one day: typed views of the published items and the listings they form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from pathlib import Path

from search.hashing import digest

from .. import statute
from ..model.catalog import Catalog, Item, ReportSource
from ..report.datafile import ReportData
from ..rules.validity import Validity, validity_on
from ..rules.workdays import WorkCalendar
from ..util import strip_control
from .structure import PageSource
from .templating import Templating
from .urls import attachment_url, href, item_url, organ_url, topic_slug

PAGE_SIZE = 20


@dataclasses.dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str      # where it is written in the site
    source: Path
    size: str
    kind: str

    @property
    def href(self) -> str:
        return href(self.url)


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
    attachments: tuple[AttachmentView, ...]

    @property
    def title(self) -> str:
        return strip_control(self.item.title)

    @property
    def published(self) -> dt.date:
        return self.item.published

    @functools.cached_property
    def digest(self) -> str:
        """Everything this view shows, hashed: the key of its page and of its row in listings (build/cache.py)."""
        shown = [getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "item"]
        return digest(self.item.digest or repr(self.item), repr(shown))


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


@dataclasses.dataclass
class Site:
    """Everything the site shows, derived once from a validated catalog for one day, and how it is rendered."""

    catalog: Catalog
    calendar: WorkCalendar
    today: dt.date
    templating: Templating
    items: list[ItemView]
    listings: dict[str, list[Listing]]   # kind → listings of that kind
    # index_no of a published report item → its statistics file and computed report (for its page and downloads)
    reports: dict[str, tuple[ReportSource, ReportData]] = dataclasses.field(default_factory=dict)
    pages: list[PageSource] = dataclasses.field(default_factory=list)

    @property
    def organs(self):
        return sorted(self.catalog.organs.values(), key=lambda o: o.id)


def published_views(catalog: Catalog, today: dt.date) -> list[ItemView]:
    """Every item published by ``today`` as the site shows it, newest first (the order of listings and search)."""
    published = [i for i in catalog.items if i.published and i.published <= today]
    return sorted((make_item_view(catalog, i, today) for i in published),
                  key=lambda v: (-v.published.toordinal(), v.item.index_no))


def make_item_view(catalog: Catalog, item: Item, today: dt.date) -> ItemView:
    organ = catalog.organs.get(item.organ)
    state = validity_on(item, today, catalog.settings)
    has_validity = state.expires is not None or item.doc_type in statute.NORMATIVE_DOC_TYPES
    url = item_url(item)
    attachments = tuple(
        AttachmentView(a.title, attachment_url(item, a.path.name), a.path, _human_size(a.path.stat().st_size),
                       _KINDS.get(a.path.suffix.lower(), a.path.suffix.lstrip(".").upper() or "文件"))
        for a in item.attachments)
    return ItemView(
        item=item, url=url, organ_name=organ.name if organ else item.organ,
        publisher=item.publisher or (organ.name if organ else ""),
        validity=state.validity if has_validity else None,
        validity_until=state.expires, validity_reason=state.reason,
        category_label=statute.CATEGORIES[item.category],
        attachments=attachments,
    )


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel", ".txt": "文本",
          ".ofd": "OFD", ".wps": "WPS", ".zip": "压缩包", ".jpg": "图片", ".png": "图片"}


def make_listings(catalog: Catalog, views: list[ItemView]) -> dict[str, list[Listing]]:
    """The items by category, organ, year and topic."""
    by = defaultdict(lambda: defaultdict(list))
    for view in views:
        by["category"][view.item.category].append(view)
        by["organ"][view.item.organ].append(view)
        by["year"][view.published.year].append(view)
        for topic in view.item.topics:
            by["topic"][topic].append(view)
    return {
        "category": [Listing(code, f"{statute.category_article(code)} {label}" if code != "年报" else label,
                             f"active/{code}/", tuple(by["category"][code]))
                     for code, label in statute.CATEGORIES.items()
                     if by["category"][code] or code in statute.ART20_CATEGORIES],
        "organ": [Listing(o, catalog.organs[o].name, organ_url(o), tuple(v)) for o, v in sorted(by["organ"].items())
                  if o in catalog.organs],
        "year": [Listing(str(y), f"{y} 年", f"years/{y}/", tuple(v)) for y, v in sorted(by["year"].items(), reverse=True)],
        "topic": [Listing(t, t, f"topics/{topic_slug(t)}/", tuple(v)) for t, v in sorted(by["topic"].items())],
    }


def annual_reports(site: Site) -> tuple[ItemView, ...]:
    """The published annual reports, newest first (their column, their feed)."""
    return next((listing.items for listing in site.listings["category"] if listing.key == "年报"), ())
