"""The site's columns (栏目) and when each last changed: what the 19号 items on stale and blank columns and on the
home page count."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

from ..site.metadata import NEWS_TYPES, NOTICE_TYPES
from ..site.pages import LATEST_ON_HOME, SITE_COLUMNS, category_column, listing_column
from ..site.participation import (
    CONSULTATIONS_COLUMN,
    CONSULTATIONS_URL,
    HOTLINE_COLUMN,
    HOTLINE_URL,
    Participation,
)
from ..site.views import ItemView, Listing, Site


@dataclasses.dataclass(frozen=True)
class ColumnState:
    """A column of the site as an inspector sees it: its name, address and ColumnType, how much it holds and the
    day it last changed, and where in the catalog new information for it goes."""

    name: str
    url: str
    type: str
    entries: int
    newest: dt.date | None
    fix: str

    def stale(self, since: dt.date) -> bool:
        """Not changed on or after ``since`` (a column with nothing in it never changed)."""
        return self.newest is None or self.newest < since


def day_of(moment: dt.date | dt.datetime | None) -> dt.date | None:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def updated_on(view: ItemView, today: dt.date) -> dt.date | None:
    """When an item last changed on the site: published, or a change published since. None: it is on the site
    without a date, which 19号 counts as no update."""
    days = [day_of(view.published), *(day_of(c.published) for c in view.item.changes if c.published)]
    return max((d for d in days if d and d <= today), default=None)


def _newest(listing: Listing, changed: list[ItemView], today: dt.date) -> dt.date | None:
    """The last day any item of ``listing`` changed (``updated_on``); ``changed``: those of its items that record
    changes. Its items are newest first, the undated last: of the others, the first was published last."""
    first = listing.items[0].published if listing.items else None
    days = [day_of(first), *(updated_on(view, today) for view in changed)]
    return max((day for day in days if day and day <= today), default=None)


def site_columns(site: Site, part: Participation) -> list[ColumnState]:
    """Every column that shows information: each category of the 条例 and each organ's, the annual reports, the
    power list and the fee items. Year and topic listings are views of the same information, not columns."""
    # The items that record changes, by the columns that list them, a category's and an organ's: only these are asked
    # their days. Each item of 100,000 looked at in both its columns took ~0.1 s of every build.
    changed: dict[tuple[str, str], list[ItemView]] = defaultdict(list)
    for view in site.notable.changed:
        changed["category", view.item.category].append(view)
        changed["organ", view.item.organ].append(view)
    columns = []
    for listing in site.listings["category"]:
        column = category_column(listing.key)
        columns.append(ColumnState(column.name, listing.url, column.type, len(listing.items),
                                   _newest(listing, changed["category", listing.key], site.today),
                                   f"catalog/items/ 中 category: {listing.key} 的信息"))
    if not any(listing.key == "年报" for listing in site.listings["category"]):
        name, _, kind = SITE_COLUMNS["reports/"]
        columns.append(ColumnState(name, "reports/", kind, 0, None, "catalog/reports/<年份>/<机关>.yaml"))
    for listing in site.listings["organ"]:
        column = listing_column("organ", listing)
        columns.append(ColumnState(column.name, listing.url, column.type, len(listing.items),
                                   _newest(listing, changed["organ", listing.key], site.today),
                                   f"catalog/items/ 中 organ: {listing.key} 的信息"))
    for url, entries, folder in (("powers/", site.powers, "catalog/powers/"), ("fees/", site.fees, "catalog/fees/")):
        name, _, kind = SITE_COLUMNS[url]
        newest = max((day_of(e.published) for e in entries if e.published), default=None)
        columns.append(ColumnState(name, url, kind, len(entries), newest, folder))
    # Consultations and the hotline are columns once the catalog has any (rules.md §9): a notice or feedback
    # published, a case received or closed, is an update.
    if part.consultations:
        days = [day_of(d) for v in part.consultations for d in (v.consultation.start, v.consultation.feedback
                and v.consultation.feedback.published) if d and day_of(d) <= site.today]
        columns.append(ColumnState(CONSULTATIONS_COLUMN.name, CONSULTATIONS_URL, CONSULTATIONS_COLUMN.type,
                                   len(part.consultations), max(days, default=None), "catalog/consultations/"))
    if part.months:
        days = [day_of(d) for m in part.months for c in m.cases for d in (c.received, c.replied)
                if d and day_of(d) <= site.today]
        columns.append(ColumnState(HOTLINE_COLUMN.name, HOTLINE_URL, HOTLINE_COLUMN.type,
                                   sum(len(m.cases) for m in part.months), max(days, default=None), "catalog/hotline/"))
    return columns


def news_columns(columns: list[ColumnState]) -> list[ColumnState]:
    return [c for c in columns if c.type in NEWS_TYPES]


def notice_columns(columns: list[ColumnState]) -> list[ColumnState]:
    return [c for c in columns if c.type in NOTICE_TYPES]


def home_newest(site: Site, part: Participation) -> tuple[dt.date, str, str] | None:
    """The newest dated information the home page shows, as (day, title, its file): its latest items, by the day
    each was published as it lists them (a change record does not bring an item back to the home page), and the
    consultations open for comment it lists. The file is looked up for the newest alone: a kept item's record is
    unpickled with the rest of its fields (catalog.ITEM_READ_FIRST)."""
    shown = [(day_of(v.published), v.title, v.item) for v in site.items[:LATEST_ON_HOME] if v.published]
    shown += [(day_of(v.consultation.start), v.title, v.consultation) for v in part.open]
    newest = max(shown, key=lambda entry: entry[:2], default=None)
    return newest and (newest[0], newest[1], newest[2].record.where.path)


def undated(site: Site) -> list[ItemView]:
    """Items on the site whose catalog entry says they were published but not when: the last of its items, which are
    newest first and the undated last (``views.published_views``). Only they are looked at, not every item."""
    items = site.items
    start = len(items)
    while start and items[start - 1].published is None:
        start -= 1
    return items[start:]


def days_before(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day when it has fewer days)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    next_month = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return dt.date(year, month + 1, min(today.day, (next_month - dt.timedelta(days=1)).day))
