"""The catalog as the site shows it on one day: typed views of the published items and the listings they form."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import itertools
import operator
import os
from collections import defaultdict
from collections.abc import Iterator

from search.hashing import DIGEST_LENGTH, digest

from .. import statute
from ..model.catalog import Catalog, Fee, Item, ListRelease, Power, ReportSource
from ..model.dates import official_date, published_by, time_of
from ..report.datafile import ReportData
from ..rules.validity import Validity, validity_on
from ..rules.workdays import WorkCalendar
from ..util import strip_control, suffix_of
from .structure import PageSeries, PageSource
from .templating import Templating
from .urls import attachment_url, href, item_url, organ_url, topic_slug

PAGE_SIZE = 20


@dataclasses.dataclass(frozen=True)
class AttachmentView:
    title: str
    url: str      # where it is written in the site
    source: str   # resolved, as the catalog's attachment holds it (catalog.Attachment)
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
    validity: Validity | None  # as the office stated it; None: not stated (an estimate is never published)
    validity_applies: bool  # 规章 and 行政规范性文件 have a validity, and so may an item of no stated kind: when not
    # stated, the page says 未载明
    validity_until: dt.date | None
    validity_reason: str
    category_label: str
    attachments: tuple[AttachmentView, ...]
    # A penalty decision changed or revoked and withdrawn by the day built for (处罚法 art. 48: withdraw it and publish
    # the reason): its page keeps its place and says so; its text, summary and attachments are published no more.
    withdrawn: bool
    # An annual report's: the days its published figures were corrected, by the day built for (report/published.py),
    # a change of its page as any other. Set with the report's figures (build_site).
    corrected: tuple[dt.date, ...] = ()

    def __reduce__(self) -> tuple:
        """Pickled as its dictionary (its fields and the values it cached), which becomes the unpickled view's own
        (``_view_of``) rather than being copied into a new one key by key: 100,000 kept views, ~0.03 s less."""
        return _view_of, (self.__dict__,)

    @property
    def summary(self) -> str:
        """What the item says of itself wherever the site describes it: a withdrawn decision's withdrawal notice."""
        return self.withdrawal_notice if self.withdrawn else strip_control(self.item.summary)

    def changed_on(self, today: dt.date) -> list[dt.date]:
        """The days its page changed, as stated (with their times where given): its publication, each change from
        its publication (or its day until it is published: the page lists it from then), its withdrawal, the end of
        its stated validity. The sitemap's day and the feeds' updated are the last of them."""
        item = self.item
        days = [self.published] + [c.published if c.published and c.published <= today else c.changed
                                   for c in item.changes if c.changed <= today]
        return (days + ([item.withdrawal.withdrawn] if self.withdrawn else []) + ([self.ended] if self.ended else [])
                + list(self.corrected))

    @functools.cached_property
    def changed_later(self) -> bool:
        """Whether its page may have changed after its publication (a change, a withdrawal, the end of its stated
        validity, a correction of a report's figures): most items have none of these, and only these are asked their
        ``changed_on``. Kept with the view, as ``moment`` is: the feeds and the sitemap ask it of every view in every
        build (worked out each time, ~0.1 s of a change at 100,000 items)."""
        return bool(self.published and (self.item.changes or self.withdrawn or self.ended or self.corrected))

    @property
    def ended(self) -> dt.date | None:
        """The day its stated validity ended (repealed, expired, or as stated), from which its page says so: a
        change of the page like any other, that crawlers and feed readers are told of."""
        return self.validity_until if self.validity and self.validity is not Validity.VALID else None

    @property
    def withdrawal_notice(self) -> str:
        withdrawal = self.item.withdrawal
        reason = f"原因：{withdrawal.reason}" if withdrawal.reason else ""
        return f"本处罚决定已于 {official_date(withdrawal.changed)} 变更或撤销，原决定信息已撤回。{reason}"

    @property
    def title(self) -> str:
        return strip_control(self.item.title)

    @property
    def published(self) -> dt.date | None:
        """None for a public item whose publication date was not recorded."""
        return self.item.published

    @functools.cached_property
    def moment(self) -> int:
        """When it was published, to order by (``moment_of``). Kept with the view, as the views are kept between
        builds: the index's order, the listings' and the documents' each sort every view by it."""
        return moment_of(self.published)

    @functools.cached_property
    def digest(self) -> str:
        """Everything this view shows, hashed: the key of its page and of its row in listings (build/cache.py)."""
        return digest(self.item.digest or repr(self.item), repr(list(_SHOWN(self))))


# What an item's page and rows show besides the item itself (looked up once: a digest is made for every item)
_SHOWN = operator.attrgetter(*(field.name for field in dataclasses.fields(ItemView) if field.name != "item"))


@dataclasses.dataclass(frozen=True)
class Listing:
    """A paginated list of items: a category, an organ, a year, a topic."""

    key: str
    title: str
    url: str           # first page
    items: tuple[ItemView, ...]
    digests: tuple[str, ...]  # its items' (``ItemView.digest``), in order: what its pages' keys hash
    organ: str = ""  # what an organ's listing shows of its organ (its repr), which its pages' keys hash too
    keys: tuple[str, ...] = ()  # its pages' keys, in order (``_page_keys``): made with it, kept with it

    def page_url(self, number: int) -> str:
        """Pages after the first are files, not folders' index.html: one folder fewer for each (2,000 at 10,000 items;
        creating one is what this disk makes slow, docs/decisions.md)."""
        return self.url if number == 1 else f"{self.url}page/{number}.html"

    @property
    def page_count(self) -> int:
        return page_count(len(self.items))

    def page_items(self, number: int) -> tuple[ItemView, ...]:
        """The items on page ``number`` (from 1)."""
        return self.items[self.page_slice(number)]

    @staticmethod
    def page_slice(number: int) -> slice:
        """Where page ``number`` (from 1) lies in the items."""
        return slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE)

    def first_on(self, number: int) -> ItemView | None:
        """The first item on page ``number`` (from 1), without the page's slice: asked of every listing page
        (20,000 at 100,000 items); None for the one page of an empty listing."""
        start = self.page_slice(number).start
        return self.items[start] if start < len(self.items) else None


def page_count(rows: int) -> int:
    """The pages a listing of ``rows`` rows has: one at least (an empty listing shows that it is empty)."""
    return max(1, -(-rows // PAGE_SIZE))


# A listing's kinds, in the order the site keeps them.
LISTING_KINDS = ("category", "organ", "year", "topic")
Listings = dict[str, list[Listing]]  # kind → its listings, in the site's order (``make_listings``)


@dataclasses.dataclass(frozen=True)
class ComputedReport:
    """A published annual report: its statistics file and its figures, as recorded when it was published, or
    computed from the statistics file and the catalog while none are recorded (report/published.py)."""

    source: ReportSource
    data: ReportData
    # Whether the catalog computes the same figures now: the page's charts drawn from the request log (by month, on
    # time) agree with its tables only then, and are shown only then.
    current: bool = True

    @functools.cached_property
    def key(self) -> str:
        """Everything the report's numbers are, hashed: a key of its page and of its data files (written as JSON
        for each, it cost 0.3 s of every build of an office with 360 reports)."""
        return digest(repr(self.data), str(self.current))


@dataclasses.dataclass
class Site:
    """Everything the site shows, derived once from a validated catalog for one day, and how it is rendered."""

    catalog: Catalog
    calendar: WorkCalendar
    today: dt.date
    templating: Templating
    items: list[ItemView]
    listings: Listings   # kind → listings of that kind (``make_listings``)
    # index_no of a published report item → the report (for its page and downloads)
    reports: dict[str, ComputedReport] = dataclasses.field(default_factory=dict)
    pages: list[PageSource] = dataclasses.field(default_factory=list)  # the pages made one by one
    series: list[PageSeries] = dataclasses.field(default_factory=list)  # the items' pages and the listings'

    def all_pages(self) -> Iterator[PageSource]:
        """Every page, each of the series' made as it comes: for what needs each (every page rendered by mkdocs,
        with page_shells off)."""
        yield from self.pages
        for series in self.series:
            yield from map(series.source, range(len(series)))

    @property
    def page_count(self) -> int:
        return len(self.pages) + sum(map(len, self.series))

    @property
    def organs(self):
        return sorted(self.catalog.organs.values(), key=lambda o: o.id)

    @functools.cached_property
    def notable(self) -> NotableViews:
        """The few views that parts of the site look at beyond their rows (``notable_views``)."""
        return notable_views(self.items, {*self.reports, *self._consulted})

    @functools.cached_property
    def linked(self) -> dict[str, ItemView]:
        """The views of the items that interpretations and consultations name, by 索引号 (participation.py): a
        dictionary of every view took ~0.1 s of every build at 100,000 items."""
        named = {view.item.interprets for view in self.notable.interpretations} | self._consulted
        return {view.item.index_no: view for place in self.notable.special
                if (view := self.items[place]).item.index_no in named}

    @property
    def _consulted(self) -> set[str]:
        """The 索引号 of the documents consultations are about."""
        return {consultation.document for consultation in self.catalog.consultations if consultation.document}

    @functools.cached_property
    def powers(self) -> list[Power]:
        """The power list as published by ``today``, by 事项编码: an entry without a publication date is a draft."""
        return sorted((p for p in self.catalog.powers if published_by(p.published, self.today)), key=lambda p: p.id)

    @functools.cached_property
    def fees(self) -> list[Fee]:
        """The fee items as published by ``today``, by 项目编号."""
        return sorted((f for f in self.catalog.fees if published_by(f.published, self.today)), key=lambda f: f.id)

    @functools.cached_property
    def fee_groups(self) -> list[tuple[str, list[Fee]]]:
        """The published fee items by 类别, as catalogues group them: each class where its first item comes, the
        items without one ("") among them, not filed under a class nobody stated."""
        groups: dict[str, list[Fee]] = {}
        for fee in self.fees:
            groups.setdefault(fee.category, []).append(fee)
        return list(groups.items())

    def releases(self, kind: str) -> list[ListRelease]:
        """The publications of the whole list ``kind`` (权力清单, 收费目录) by ``today``, newest first."""
        return sorted((r for r in self.catalog.releases if r.kind == kind and r.published and r.published <= self.today),
                      key=lambda r: (r.published, r.title), reverse=True)


@dataclasses.dataclass(frozen=True)
class NotableViews:
    """The few views that parts of the site look at beyond their rows, each in the views' order. Each part looked
    for its own in a pass over every view (the site's files, the interpretations, the item pages' links, the
    audit's columns, the feeds, the sitemap: seven passes, ~0.4 s of a change at 100,000 items)."""

    attachments: tuple[ItemView, ...]  # with files the site copies
    interpretations: tuple[ItemView, ...]  # policy interpretations (解读): those that name what they interpret
    changed: tuple[ItemView, ...]  # whose items record changes (变更)
    changed_later: tuple[ItemView, ...]  # whose pages changed after their publication (``ItemView.changed_later``)
    # The places of the views whose pages may show more than the view: a repealed document's, an annual report's,
    # an interpretation's, and one that an interpretation or a consultation names (``Site.linked``). A superset:
    # the item pages look at each for what it shows (a target an interpretation names may not be published).
    special: tuple[int, ...]


def notable_views(views: list[ItemView], named: set[str]) -> NotableViews:
    """What ``views`` hold of each kind ``NotableViews`` keeps, found in one pass; ``named``: the 索引号 that the
    annual reports and consultations name. What interpretations name is known after the pass: a second one looks
    for it, only in a catalog with interpretations."""
    attachments, interpretations, changed, changed_later, special = [], [], [], [], []
    for place, view in enumerate(views):
        item = view.item
        if view.attachments:
            attachments.append(view)
        if view.changed_later:
            changed_later.append(view)
        if item.changes:
            changed.append(view)
        if item.interprets:
            interpretations.append(view)
            special.append(place)
        elif item.repealed or item.index_no in named:
            special.append(place)
    if targets := {view.item.interprets for view in interpretations} - named:
        special = sorted({*special, *(place for place, view in enumerate(views) if view.item.index_no in targets)})
    return NotableViews(tuple(attachments), tuple(interpretations), tuple(changed), tuple(changed_later),
                        tuple(special))


@dataclasses.dataclass
class KeptViews:
    """The views the last build made, for the next one (kept in memory by `gongkai serve`, pickled by the build
    cache with the parsed items they show). An item whose parsed object is the very one of the last build (its file
    is unchanged: build/cache.py; a view and its item are pickled together, so the view's item is that object) gets
    the same view, its digest already made, when everything else a view shows is as it was: the day, the settings,
    the organs' names, and the sizes of its attachments' files, which may change without it. A view saved
    with the cache's changes while its item stayed in the base holds a copy of its item when read back, and is made
    again by every build until the next base (build/cache.py): slower, never stale."""

    context: tuple = ()
    views: dict[str, ItemView] = dataclasses.field(default_factory=dict)  # by the page's address
    # The addresses of the views made anew by the build that made ``views``: every other is the very object the
    # last build kept (build/cache.py saves only what differs).
    renewed: list[str] = dataclasses.field(default_factory=list)
    # How many of ``views``, from the first, are newest first: all, as a build leaves them; read back from the
    # cache, those of its base that no change since replaced (the changed ones come last: BuildCache.load_parts).
    settled: int = 0
    # The listings the build made of its views (``make_listings``), kept with them: read back from the cache, its
    # base's, whose rows are the base's views (they are never saved with its changes: build/cache.py).
    listings: Listings = dataclasses.field(default_factory=dict)


def published_views(catalog: Catalog, today: dt.date, kept: KeptViews | None = None) -> list[ItemView]:
    """Every item published by ``today`` as the site shows it, newest first (the order of listings and search).
    ``kept``: the views of the last build, reused where they still hold, and replaced by these (new objects: what
    it held before is left as it was)."""
    if kept is None:
        return sorted((make_item_view(catalog, i, today) for i in catalog.items if i.public_on(today)),
                      key=_newest_first)
    context = (today, repr(catalog.settings), tuple((o.id, o.name) for o in catalog.organs.values()))
    last = list(kept.views.values()) if kept.context == context else []  # none with other settings, organs or day
    # A kept view holds while its item is the very object this build has (its file unchanged: public on the same
    # day as before) and its files are the size it shows (they may change without it). Its item and the catalog's
    # are compared by their ids, in C: each is held, by the view or the catalog, so no other object has its id, and
    # an item's look-up took ~0.2 s of every change at 100,000 items.
    items = set(map(id, catalog.items))
    settled = min(kept.settled, len(last))
    in_order, moved = (_still_shown(catalog, part, items) for part in (last[:settled], last[settled:]))
    viewed = set(map(id, map(_ITEM, itertools.chain(in_order, moved))))
    fresh = [make_item_view(catalog, item, today) for item in
             itertools.compress(catalog.items, map(operator.not_, map(viewed.__contains__, map(id, catalog.items))))
             if item.public_on(today)]
    views = _merged(in_order, sorted(moved + fresh, key=_newest_first))
    # Kept by address, in the views' order. A report's item is made afresh from its report file by every build (it
    # has no digest): its view never is reused, nor kept.
    kept.context, kept.views, kept.renewed = context, dict(zip(map(_URL, views), views)), list(map(_URL, fresh))
    for view in fresh:
        if not view.item.digest:
            kept.views.pop(view.url, None)
    kept.settled = len(kept.views)
    return views


def _still_shown(catalog: Catalog, views: list[ItemView], items: set[int]) -> list[ItemView]:
    """Those of the kept ``views`` whose item is one of the catalog's (``items``: their ids) and whose attachments'
    files are the size each shows, in order. Chosen from C, the attachments' files looked at only for the views that
    have any: a loop over 100,000 views took ~0.08 s of every change."""
    held = list(itertools.compress(views, map(items.__contains__, map(id, map(_ITEM, views)))))
    resized = {index for index in itertools.compress(itertools.count(), map(_ATTACHMENTS, held))
               if any(a.size != _file_size(catalog, a.source) for a in held[index].attachments)}
    return [view for index, view in enumerate(held) if index not in resized] if resized else held


def _merged(in_order: list[ItemView], others: list[ItemView]) -> list[ItemView]:
    """The views ``in_order`` and ``others``, each newest first, as one list newest first: each of the few others put
    in its place by bisection, which asks ~17 views their order's key, where sorting them all asked each of them
    (~0.07 s of a change at 100,000 items). The same order as sorting the views together: no two sort equal in a
    valid catalog (a 索引号 is E-INDEX-DUPLICATE), and of two that do, one kept goes first, as a stable sort of
    the kept views and then the fresh would put it."""
    merged, start = [], 0
    for view in others:
        place = bisect.bisect_right(in_order, _newest_first(view), lo=start, key=_newest_first)
        merged += in_order[start:place]
        merged.append(view)
        start = place
    merged += in_order[start:]
    return merged


_ITEM, _URL = operator.attrgetter("item"), operator.attrgetter("url")
_ATTACHMENTS = operator.attrgetter("attachments")


def _view_of(values: dict) -> ItemView:
    """The view whose dictionary is ``values`` (``ItemView.__reduce__``): set as an object's own, which a frozen
    dataclass lets only ``object.__setattr__`` do."""
    view = object.__new__(ItemView)
    object.__setattr__(view, "__dict__", values)
    return view


def _newest_first(view: ItemView) -> tuple:
    """Newest first, by date and then time of day where given; undated public items last."""
    return (-view.moment, view.item.index_no)


# A moment's seconds in a day, and one more: before the day's first second, the day itself, with no time of day.
MOMENTS_A_DAY = 86_401


def moment_of(day: dt.date | None) -> int:
    """``day`` (and its time, where given) as one number, in the order of days and then of times of day: its
    ordinal's MOMENTS_A_DAY, the first of which stands for the day without a time, then one for each second. 0 where
    no date is. One number rather than a pair: every view keeps one, and 100,000 pairs of day and second were
    200,000 objects to unpickle after every change."""
    if day is None:
        return 0
    moment = time_of(day)
    return day.toordinal() * MOMENTS_A_DAY + (moment.hour * 3600 + moment.minute * 60 + moment.second + 1
                                              if moment else 0)


def make_item_view(catalog: Catalog, item: Item, today: dt.date) -> ItemView:
    organ = catalog.organs.get(item.organ)
    state = validity_on(item, today, catalog.settings)
    url = item_url(item)
    withdrawn = bool(item.withdrawal and item.withdrawal.withdrawn and item.withdrawal.withdrawn <= today)
    attachments = () if withdrawn else tuple(
        file_view(catalog, a.title, attachment_url(item, os.path.basename(a.path)), a.path) for a in item.attachments)
    return ItemView(
        item=item, url=url, organ_name=catalog.organ_name(item.organ),
        publisher=item.publisher or (organ.name if organ else ""),
        validity=state.validity if state.stated else None,
        validity_applies=state.stated or item.doc_type in statute.NORMATIVE_DOC_TYPES or _type_unstated(item),
        validity_until=state.expires if state.stated else None, validity_reason=state.reason if state.stated else "",
        category_label=statute.CATEGORIES[item.category],
        attachments=attachments,
        withdrawn=withdrawn,
    )


def _type_unstated(item: Item) -> bool:
    """Whether the file leaves out which kind of document it is: then it may be a normative one, whose validity is
    未载明, not 不适用 (its doc_type is 其他文件 only as the annual report counts). An annual report is none."""
    return "doc_type" not in item.record.values and item.category not in statute.ANNUAL_REPORT_CATEGORY


def file_view(catalog: Catalog, title: str, url: str, path: str) -> AttachmentView:
    """A file published beside a page: an item's attachment, a consultation's draft (``path``: resolved)."""
    suffix = suffix_of(os.path.basename(path))
    return AttachmentView(title, url, path, _file_size(catalog, path),
                          _KINDS.get(suffix.lower(), suffix.lstrip(".").upper() or "文件"))


def _file_size(catalog: Catalog, path: str) -> str:
    """The file's size as a reader takes it in (``Catalog.files``: validation has looked at it). Unknown for a file
    that cannot be read: a build stops on it (E-ATTACHMENT-MISSING), but `gongkai audit` looks at a catalog with
    errors all the same."""
    found = catalog.files.stat(path)
    return _human_size(found.st_size) if found is not None else "大小不详"


def _human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


_KINDS = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel", ".txt": "文本",
          ".ofd": "OFD", ".wps": "WPS", ".zip": "压缩包", ".jpg": "图片", ".png": "图片"}


def make_listings(catalog: Catalog, views: list[ItemView], kept: Listings | None = None) -> Listings:
    """The items by category, organ, year and topic. A category without items has no listing: a column with
    nothing in it is a 空白栏目 (国办秘函〔2019〕19号); the 法定主动公开内容 page names it without a link.

    ``kept``: the last build's listings (``KeptViews.listings``), whose rows are the very objects ``views`` holds
    where a view is unchanged. Only the listings that a view not among their rows is on, or that a row no longer in
    ``views`` was on, are made again, from their kept rows, and the pages' keys of those whose rows' digests stayed
    the same are taken as kept: at 100,000 items, gathering every view's rows and hashing every page's key took
    ~0.3 s of every change (docs/decisions.md)."""
    if kept and (patched := _patched(catalog, views, kept)) is not None:
        return patched
    return _assembled({kind: {key: _listing(catalog, kind, key, rows[0::2], rows[1::2]) for key, rows in by_key.items()}
                       for kind, by_key in _grouped(views).items()})


def _grouped(views: list[ItemView]) -> dict[str, dict]:
    """The rows of ``views`` by kind and listing (the year's as a number), in the views' order: a view and its digest
    one after the other, taken apart by slices."""
    # One dictionary of each kind, each item's fields read once: this runs over 100,000 views in a build of the whole
    # site. Each listing's rows and their digests are gathered together, in the views' order: read afterwards listing
    # by listing, 400,000 digests of views scattered in memory took ~0.2 s at 100,000 items, here ~0.03. A row and
    # its digest go in as a pair: two appends a row, in a function called for each, took 0.02 s more.
    by_category, by_organ, by_year, by_topic = (defaultdict(list) for _ in range(4))
    for view in views:
        item, row = view.item, (view, view.digest)
        by_category[item.category].extend(row)
        by_organ[item.organ].extend(row)
        if item.published:  # an undated item is in its category's and organ's listings, in no year's
            by_year[item.published.year].extend(row)
        topics = item.topics
        # A topic written twice lists the item once (most items have one topic: no dictionary made for them).
        for topic in topics if len(topics) < 2 else dict.fromkeys(topics):
            by_topic[topic].extend(row)
    return dict(zip(LISTING_KINDS, (by_category, by_organ, by_year, by_topic)))


def _patched(catalog: Catalog, views: list[ItemView], kept: Listings) -> Listings | None:
    """The listings of ``views`` made from the ``kept`` ones (``make_listings``); None where as many views changed
    as making them whole would cost (a new day's first build makes every view again), or where a kept listing does
    not hold what it should."""
    # Every row is on exactly one category's listing: a build stops on a category outside statute.CATEGORIES.
    shown = list(itertools.chain.from_iterable(listing.items for listing in kept.get("category", ())))
    # By identity, as the views kept are the very objects; each made in C (a loop over the views took ~0.03 s).
    listed, now = dict(zip(map(id, shown), shown)), dict(zip(map(id, views), views))
    gone = [listed[place] for place in listed.keys() - now.keys()]
    new = sorted((now[place] for place in now.keys() - listed.keys()), key=_newest_first)
    if (len(gone) + len(new)) * PATCHED_UP_TO > len(views):
        return None
    rows_gone, rows_new = _grouped(gone), _grouped(new)
    listings: dict[str, dict] = {}
    for kind in LISTING_KINDS:
        by_key = {int(listing.key) if kind == "year" else listing.key: listing for listing in kept.get(kind, ())}
        made = listings[kind] = {}
        for key, listing in by_key.items():  # re-made around the same rows: the organ may have changed
            made[key] = _listing(catalog, kind, key, listing.items, listing.digests, listing)
        for key in rows_gone[kind].keys() | rows_new[kind].keys():
            rows = _patched_rows(by_key.get(key), rows_gone[kind].get(key, [])[0::2], rows_new[kind].get(key, [])[0::2])
            if rows is None:
                return None
            made[key] = _listing(catalog, kind, key, *rows, by_key.get(key))
    return _assembled(listings)


# Listings are patched while fewer than one view in this many is new or gone.
PATCHED_UP_TO = 8


def _patched_rows(kept: Listing | None, gone: list[ItemView], new: list[ItemView]) -> tuple[list, list] | None:
    """The rows of ``kept`` without the views ``gone`` and with the views ``new``, and their digests, newest first
    as the views are: each found by bisection, so that a listing of 10,000 rows is not read row by row. None when a
    view gone is not where it should be."""
    items, digests = (list(kept.items), list(kept.digests)) if kept else ([], [])
    for view in gone:
        at = bisect.bisect_left(items, _newest_first(view), key=_newest_first)
        if at == len(items) or items[at] is not view:
            return None
        del items[at], digests[at]
    # Of views that sort the same (never two in a valid catalog), a kept one goes first, as in ``published_views``.
    for view in new:
        at = bisect.bisect_right(items, _newest_first(view), key=_newest_first)
        items.insert(at, view)
        digests.insert(at, view.digest)
    return items, digests


def _listing(catalog: Catalog, kind: str, key, items, digests, kept: Listing | None = None) -> Listing | None:
    """The listing of ``kind`` and ``key`` of the rows ``items`` with their ``digests``; none where the site shows
    none: no rows, an organ not in the catalog, a category the 条例 does not name. ``kept``: the last build's listing
    of it, whose pages' keys are taken when it shows the same."""
    if not items:
        return None
    organ = ""
    if kind == "category":
        if key not in statute.CATEGORIES:
            return None
        title, url = category_title(key), f"active/{key}/"
    elif kind == "organ":
        # Only organs with published information: an empty listing is a 空白栏目, a veto of the inspection
        # (国办秘函〔2019〕19号); the home page and 联系我们 name the others without a link.
        if key not in catalog.organs:
            return None
        title, url, organ = catalog.organs[key].name, organ_url(key), repr(catalog.organs[key])
    elif kind == "year":
        title, url = f"{key} 年", f"years/{key}/"
    else:
        title, url = key, f"topics/{topic_slug(key)}/"
    items, digests = tuple(items), tuple(digests)
    if kept is not None and (kept.title, kept.url, kept.organ, kept.digests) == (title, url, organ, digests):
        keys = kept.keys
    else:
        keys = _page_keys(kind, str(key), title, url, digests, organ)
    return Listing(str(key), title, url, items, digests, organ, keys)


def _assembled(listings: dict[str, dict]) -> Listings:
    """Each kind's listings in the site's order: the categories as the 条例 lists them, the organs by id, the years
    newest first, the topics by name."""
    categories = listings["category"]
    ordered = {"category": [categories[code] for code in statute.CATEGORIES if categories.get(code)]}
    for kind, newest_first in (("organ", False), ("year", True), ("topic", False)):
        ordered[kind] = [listing for _, listing in sorted(listings[kind].items(), key=_FIRST, reverse=newest_first)
                         if listing]
    return ordered


_FIRST = operator.itemgetter(0)


def _page_keys(kind: str, key: str, title: str, url: str, digests: tuple[str, ...], organ: str) -> tuple[str, ...]:
    """The keys of a listing's pages, in order: each hashes what its page shows, its rows' digests and the listing's
    (``organ``: what an organ's listing shows of its organ)."""
    head = ("listing page", kind, key, title, url)
    count, rows = page_count(len(digests)), str(len(digests))
    # The rows' digests joined once for the listing and each page's cut from them (a page's rows were joined anew for
    # each of 20,000 pages, ~0.035 s more at 100,000 items): every digest is as long, so a page's lie at its rows'
    # places.
    joined, width = "\0".join(digests), DIGEST_LENGTH + 1
    assert len(joined) == len(digests) * width - 1 or not digests
    return tuple(digest(*head, str(n), str(count), rows, organ,
                        joined[(rows_of := Listing.page_slice(n)).start * width:rows_of.stop * width - 1])
                 for n in range(1, count + 1))


def category_title(code: str) -> str:
    """A category's column as the site names it: its article of the 条例 and its label."""
    label = statute.CATEGORIES[code]
    return f"{statute.category_article(code)} {label}" if code != "年报" else label


def annual_reports(site: Site) -> tuple[ItemView, ...]:
    """The published annual reports, newest first (their column, their feed)."""
    return next((listing.items for listing in site.listings["category"] if listing.key == "年报"), ())
