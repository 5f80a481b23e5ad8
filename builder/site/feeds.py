"""RSS 2.0 and Atom feeds, and the OPML list of them, for journalists to subscribe to.

Feeds are byte-identical for the same catalog and day: entries in a fixed
order, timestamps from the items' own dates (midnight, +08:00), never the
build time. Entry IDs are derived from the 索引号, so they never change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import itertools
import uuid
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from search.hashing import digest
from search.output import write_file

from .. import statute
from ..model.dates import CHINA, time_of
from ..util import strip_control
from .participation import EntryFeed, participation_feeds
from .structure import FeedFiles, SitePage
from .urls import absolute_url, slug
from .views import ItemView, Site, annual_reports

if TYPE_CHECKING:  # imported where a feed is made (``_channel``)
    from feedgen.feed import FeedGenerator

FEED_LIMIT = 50
# Entry IDs: a name-based UUID of the 索引号 in gongkai's own namespace (stable across hosts and rebuilds).
ID_NAMESPACE = uuid.UUID("6f1f0b9e-6a0e-5f4c-9f2a-67616e676b61")


class ChangedLater:
    """The site's items whose pages changed after their publication (a change, a withdrawal, the end of a stated
    validity), each with when it last did, by the feed that holds them: news as much as a publication. Found once,
    when a feed's entries are first asked for (the feeds page and the count of feeds ask none)."""

    def __init__(self, site: Site) -> None:
        self.today = site.today
        self._site = site

    @functools.cached_property
    def groups(self) -> dict[tuple[str, str], list[tuple[ItemView, dt.datetime]]]:
        """(kind, key) → the items changed later, with their last change: ("all", ""), ("category", code),
        ("organ", id). Grouped here, so that each feed looks at its own (417 feeds each looking at 22,789 items
        changed later took 12 s a build)."""
        groups: dict[tuple[str, str], list[tuple[ItemView, dt.datetime]]] = defaultdict(list)
        for view in self._site.notable.changed_later:
            if (last := last_change(view, self.today)) > _moment(view.published):
                for group in (("all", ""), ("category", view.item.category), ("organ", view.item.organ)):
                    groups[group].append((view, last))
        return dict(groups)


@dataclasses.dataclass(frozen=True)
class FeedSpec(FeedFiles):
    key: str
    title: str
    items: tuple[ItemView, ...]
    html_url: str  # the page that lists what the feed holds: its channel link and its OPML htmlUrl
    group: tuple[str, str]  # which of ``changed_later``'s groups holds its items
    changed_later: ChangedLater
    limit: int = FEED_LIMIT

    @functools.cached_property
    def entries(self) -> tuple[ItemView, ...]:
        """The items last published or changed, latest first (an undated legacy item is no news): an old penalty
        decision withdrawn this week (处罚法 art. 48) reached no feed, behind 50 newer publications. The newest
        published are taken from the front of the items, rather than every item sorted by its last change (the
        feed of everything has every item), with those of its items changed later."""
        newest = tuple(itertools.islice((view for view in self.items if view.published), self.limit))
        changed = self.changed_later.groups.get(self.group, [])
        if not changed:  # each item's last change is its publication: in the items' order, newest first
            return newest
        later = {id(view): last for view, last in changed}
        taken = {id(view) for view in newest}
        candidates = [*newest, *(view for view, _ in changed if id(view) not in taken)]
        today = self.changed_later.today
        # Stable: items changed at the same moment keep the site's order.
        ranked = sorted(candidates, key=lambda view: later.get(id(view)) or last_change(view, today), reverse=True)
        return tuple(ranked[:self.limit])


def last_change(view: ItemView, today: dt.date) -> dt.datetime:
    """When the item's page last changed (``ItemView.changed_on``), at its time of day where one is given."""
    return max(map(_moment, view.changed_on(today)))


def feed_specs(site: Site) -> list[FeedSpec]:
    """All items; each art. 20 category that has items; each organ; the annual reports."""
    later = ChangedLater(site)
    specs = [FeedSpec("all", "全部信息", tuple(site.items), "", ("all", ""), later)]
    for listing in site.listings["category"]:
        if listing.key in statute.ART20_CATEGORIES and listing.items:
            specs.append(FeedSpec(f"category-{listing.key}", listing.title, listing.items, listing.url,
                                  ("category", listing.key), later))
    for listing in site.listings["organ"]:
        specs.append(FeedSpec(f"organ-{slug(listing.key)}", listing.title, listing.items, listing.url,
                              ("organ", listing.key), later))
    specs.append(FeedSpec("reports", "政府信息公开年报", annual_reports(site), "reports/", ("category", "年报"), later))
    return specs


def entry_id(index_no: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, index_no)}"


def _moment(day: dt.date) -> dt.datetime:
    """A publication date at its time of day where real data gave one, else at midnight."""
    return dt.datetime.combine(day, time_of(day) or dt.time(), CHINA)


def _feed(site: Site, spec: FeedSpec, base_url: str) -> FeedGenerator:
    """The feed of ``spec``, its links not yet set (``written`` sets them for each of its files)."""
    entries = spec.entries
    # An entry changed last on the last of its page's changes, never before its publication (a change published
    # the same day, a date alone, is not earlier than its 09:30); the feed when the last of its entries did.
    updated = [last_change(view, site.today) for view in entries]
    feed = _channel(site, spec, base_url, "的最新政府信息", max(updated, default=_moment(site.today)))
    for view, changed in zip(entries, updated):
        item = view.item
        entry = feed.add_entry(order="append")
        uid = entry_id(item.index_no)
        entry.id(uid)
        entry.guid(uid, permalink=False)
        entry.title(view.title)
        entry.link(href=absolute_url(base_url, view.url))
        entry.published(_moment(view.published))
        entry.updated(changed)
        # Who published it and its 文号, then what it says of itself, or its title (the publisher alone said nothing);
        # a summary that starts with the publisher (an annual report's) names it once.
        said = view.summary or view.title
        publisher = view.publisher if view.publisher and not said.startswith(view.publisher) else ""
        summary = strip_control(" ".join(p for p in (publisher, item.doc_no, said) if p))
        # Readers render an RSS <description> as HTML: escaped once more, it shows as the text staff wrote, not as
        # markup; the Atom summary says it is HTML for the same reason.
        entry.summary(html.escape(summary, quote=False), type="html")
        entry.author({"name": strip_control(view.publisher or view.organ_name)})
        entry.category(term=item.category, label=view.category_label)
    return feed


def _channel(site: Site, spec: FeedSpec | EntryFeed, base_url: str, described: str,
             updated: dt.datetime) -> FeedGenerator:
    """A feed's channel, without entries or links: its id is its RSS file."""
    # feedgen, with lxml and dateutil, took ~30 ms to import: a build whose feeds are all unchanged (an edit of an
    # item that no feed holds) never imports it.
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id(absolute_url(base_url, spec.rss_url))
    feed.title(strip_control(f"{site.catalog.site.title}：{spec.title}"))
    feed.description(strip_control(f"{site.catalog.site.title} {spec.title}{described}"))
    feed.language("zh-CN")
    feed.updated(updated)
    feed.lastBuildDate(updated)
    return feed


def feed_writers(site: Site, site_dir: Path, base_url: str,
                 unchanged: Callable[[str, str], bool] = lambda path, key: False) -> list[Callable[[], dict[str, str]]]:
    """Writers of the feeds under ``site_dir/feeds``, one for each feed (its RSS and Atom files) and one for the
    OPML list of them, each returning the keys of what it wrote. They are independent of each other: the build
    runs them on every core with the pages (build/writer.py). A feed whose files ``unchanged(path, key)`` says are
    already in the site is left as it is (build/cache.py)."""
    (site_dir / "feeds").mkdir(parents=True, exist_ok=True)
    specs, others = feed_specs(site), participation_feeds(site)  # consultations and the hotline (rules.md §9)

    def written(feed: FeedSpec | EntryFeed, key: str, make: Callable[[], FeedGenerator]) -> dict[str, str]:
        """The feed's RSS and Atom files, unless both are in the site already. The feed (``make()``) is made once
        (made for each file, the items' feeds took ~0.16 CPU-s more of a build at 10,000 items), and its self link
        leads to each file in turn. Its channel link is the page listing what it holds, where RSS readers link a
        feed's title (feedgen takes the last link for RSS)."""
        if not (unchanged(feed.rss_url, key) and unchanged(feed.atom_url, key)):
            generator = make()
            for url, text in ((feed.rss_url, generator.rss_str), (feed.atom_url, generator.atom_str)):
                generator.link([{"href": absolute_url(base_url, url), "rel": "self"},
                                {"href": absolute_url(base_url, feed.html_url), "rel": "alternate"}], replace=True)
                write_file(site_dir / url, text(pretty=True))
        return {feed.rss_url: key, feed.atom_url: key}

    def items_feed(spec: FeedSpec) -> dict[str, str]:
        # Each entry's updated depends on the day too (a change published on a later day counts from that day), and
        # an empty feed is dated the day built for (``_feed``).
        # A page not changed since its publication changed last on a day its digest holds.
        shown = [f"{view.digest} {max(view.changed_on(site.today))}" if view.changed_later else view.digest
                 for view in spec.entries]
        key = digest(base_url, site.catalog.site.title, spec.key, spec.title, spec.html_url,
                     *(shown or [site.today.isoformat()]))
        return written(spec, key, functools.partial(_feed, site, spec, base_url))

    def entries_feed(other: EntryFeed) -> dict[str, str]:
        key = digest(base_url, site.catalog.site.title, other.key, other.title, other.html_url,
                     *(repr(entry) for entry in other.entries[:other.limit]))  # never empty (participation_feeds)
        return written(other, key, functools.partial(_entry_feed, site, other, base_url))

    def feed_list() -> dict[str, str]:
        # Keyed by what it shows of each feed (``opml``): made for every build, it took ~0.03 s at 400 organs.
        feeds, path = [*specs, *others], "feeds/feeds.opml"
        key = digest(base_url, site.catalog.site.title, *(f"{f.title}\0{f.rss_url}\0{f.html_url}" for f in feeds))
        if not unchanged(path, key):
            write_file(site_dir / path, opml(site, feeds, base_url))
        return {path: key}

    return ([functools.partial(items_feed, spec) for spec in specs]
            + [functools.partial(entries_feed, other) for other in others] + [feed_list])


def _entry_feed(site: Site, spec: EntryFeed, base_url: str) -> FeedGenerator:
    """A feed of entries that are not items (a consultation, a hotline month), as ``_feed`` makes the items'."""
    entries = spec.entries[:spec.limit]
    feed = _channel(site, spec, base_url, "的最新信息",
                    _moment(max((e.updated for e in entries), default=site.today)))
    for found in entries:
        entry = feed.add_entry(order="append")
        uid = entry_id(found.uid)
        entry.id(uid)
        entry.guid(uid, permalink=False)
        entry.title(strip_control(found.title))
        entry.link(href=absolute_url(base_url, found.url))
        entry.published(_moment(found.published))
        entry.updated(_moment(found.updated))
        entry.summary(html.escape(strip_control(found.summary), quote=False), type="html")
        entry.author({"name": strip_control(found.author)})
        entry.category(term=found.category, label=found.category)
    return feed


def opml(site: Site, specs: list[FeedSpec], base_url: str) -> bytes:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = strip_control(f"{site.catalog.site.title} 订阅源")
    body = ET.SubElement(root, "body")
    for spec in specs:
        ET.SubElement(body, "outline", type="rss", text=strip_control(spec.title), title=strip_control(spec.title),
                      xmlUrl=absolute_url(base_url, spec.rss_url),
                      htmlUrl=absolute_url(base_url, spec.html_url))
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def feeds_page(site: Site) -> SitePage:
    specs = [*feed_specs(site), *participation_feeds(site)]
    return SitePage("feeds/", "订阅", site.templating.render("feeds.html", "feeds/", specs=specs))


# Feeds every page advertises (autodiscovery) and the home page links to.
FEEDS_HOME = (("全部信息（RSS）", "feeds/all.xml"), ("全部信息（Atom）", "feeds/all.atom"))
