"""The catalog as the site shows it (builder/site/views.py): the published items' views, in order, made again only
where the last build's no longer hold, and the listings they form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import shutil

import pytest
from conftest import EXAMPLE

from benchmarks.generate import generate
from builder.build.pipeline import load
from builder.model.dates import DateWithTime
from builder.site.pages import build_site
from builder.site.templating import Templating
from builder.site.views import PAGE_SIZE, KeptViews, Listing, _page_keys, make_listings, moment_of, published_views
from search.hashing import digest

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("read_back", ["changes last", "shuffled"])
def test_views_ordered_from_the_last_builds_views_are_those_sorted_afresh(tmp_path, read_back):
    """A build orders the kept views from the last build's order: those it is told are in order (``settled``) stay
    as they are, and the rest are put in their places. As the cache reads them back, the views its changes hold come
    last (BuildCache.load_parts), perhaps out of order; or, told none is in order, shuffled entirely. Items changed
    (one moved to another day), removed and unchanged: the order is what sorting every view afresh gives, each
    unchanged item keeps its very view, and no view of an item changed or removed is left."""
    catalog = load(generate(tmp_path / "catalog", 600), provisional=False).catalog
    kept = KeptViews()
    first = {view.item.path: view for view in published_views(catalog, TODAY, kept)}
    assert kept.settled == len(kept.views)
    rng = random.Random(19)
    if read_back == "shuffled":
        kept.views, kept.settled = dict(rng.sample(list(kept.views.items()), len(kept.views))), 0
    else:
        changes = rng.sample(list(kept.views), 30)
        kept.views = {url: view for url, view in kept.views.items() if url not in changes} | \
            {url: kept.views[url] for url in changes}
        kept.settled = len(kept.views) - len(changes)
    items = list(catalog.items)
    changed = {items[n].path for n in rng.sample(range(len(items)), 40)}
    removed = {items[n].path for n in rng.sample(range(len(items)), 20)} - changed
    moved = next(iter(changed))
    items = [item if item.path not in changed else
             dataclasses.replace(item, published=dt.date(2019, 5, 6) if item.path == moved else item.published)
             for item in items if item.path not in removed]
    catalog = dataclasses.replace(catalog, items=items)

    views = published_views(catalog, TODAY, kept)

    assert [view.url for view in views] == [view.url for view in published_views(catalog, TODAY)]
    assert all((view is first.get(view.item.path)) == (view.item.path in first and view.item.path not in changed)
               for view in views if view.item.digest)  # a report's item is made by every build: never kept
    assert not {view.item.path for view in views} & removed
    assert next(view for view in views if view.item.path == moved).published == dt.date(2019, 5, 6)
    assert list(kept.views) == [view.url for view in views if view.item.digest]


def test_each_listing_holds_its_rows_digests_in_order(tmp_path):
    """A listing's pages are keyed by its rows' digests (pages.py), gathered with its rows."""
    catalog = load(generate(tmp_path / "catalog", 600), provisional=False).catalog
    listings = make_listings(catalog, published_views(catalog, TODAY))
    assert all(listings.values())
    for listing in (listing for kind in listings.values() for listing in kind):
        assert listing.items and listing.digests == tuple(view.digest for view in listing.items)


def test_a_listing_pages_key_changes_exactly_where_its_rows_digests_do(tmp_path):
    """A listing page is written again only when its key changes: each page's key hashes its own rows' digests, cut
    from the listing's joined at once. A row changed, two rows swapped, the last row of the last page changed: the
    keys of those pages change, and no other's."""
    catalog = load(generate(tmp_path / "catalog", 600), provisional=False).catalog
    listings = make_listings(catalog, published_views(catalog, TODAY))
    kind, listing = next((kind, listing) for kind, listings in listings.items() for listing in listings
                         if listing.page_count >= 3 and len(listing.digests) % PAGE_SIZE)
    keys = listing.keys
    assert len(set(keys)) == len(keys) == listing.page_count
    # The plain way: each page's rows' digests joined for it alone.
    head = ("listing page", kind, listing.key, listing.title, listing.url, str(listing.page_count),
            str(len(listing.digests)))
    assert keys == tuple(digest(*head[:5], str(n), *head[5:], listing.organ, *listing.digests[Listing.page_slice(n)])
                         for n in range(1, listing.page_count + 1))
    last = len(listing.digests) - 1
    for changed, pages in (({25: "0" * 40}, {1}), ({3: listing.digests[4], 4: listing.digests[3]}, {0}),
                           ({last: "f" * 40}, {listing.page_count - 1}), ({19: "e" * 40}, {0}), ({20: "d" * 40}, {1})):
        digests = tuple(changed.get(n, digest) for n, digest in enumerate(listing.digests))
        again = _page_keys(kind, listing.key, listing.title, listing.url, digests, listing.organ)
        assert {n for n, (before, now) in enumerate(zip(keys, again)) if before != now} == pages


def test_listings_made_from_the_last_builds_are_those_made_afresh(tmp_path):
    """A build makes its listings from the last build's: each listing a view new or gone is on is patched, the rest
    taken as they are. Items changed (their date, topics, organ or category), removed, and published since; the
    reports' views made again, as every build makes them; an organ's details changed, which its listing shows: in
    eight random rounds the listings are those made afresh, kind by kind, their rows the very views, and a listing
    keeps its pages' keys exactly when it shows what it showed (the patch was taken, not made afresh)."""
    catalog = load(generate(tmp_path / "catalog", 600), provisional=False).catalog
    organs = sorted(catalog.organs)
    topics = sorted({topic for item in catalog.items for topic in item.topics})
    categories = sorted({item.category for item in catalog.items})
    for seed in range(8):
        rng = random.Random(seed)
        items = list(catalog.items)
        # The first round changes an organ alone, whose listing shows the same rows.
        later_n, changed_n, removed_n = (0, 0, 0) if seed == 0 else (4, 6, 3)
        later = {items[n].path for n in rng.sample(range(len(items)), later_n)}  # published after the last build
        last = dataclasses.replace(catalog, items=[item for item in items if item.path not in later])
        kept = KeptViews()
        kept_listings = make_listings(last, published_views(last, TODAY, kept))
        changes = {"published": lambda: dt.date(2020 + rng.randrange(6), 1 + rng.randrange(12), 1),
                   "topics": lambda: tuple(rng.sample(topics, rng.randrange(3))),
                   "organ": lambda: rng.choice(organs), "category": lambda: rng.choice(categories)}
        changed = {items[n].path for n in rng.sample(range(len(items)), changed_n)}
        removed = {items[n].path for n in rng.sample(range(len(items)), removed_n)} - changed
        items = [item if item.path not in changed else
                 dataclasses.replace(item, **{field: make() for field, make in rng.sample(list(changes.items()), 2)})
                 for item in items if item.path not in removed]
        organ = rng.choice(organs)  # shown on its listing's pages, not by its items' views
        now = dataclasses.replace(catalog, items=items, organs=catalog.organs | {
            organ: dataclasses.replace(catalog.organs[organ], phone=f"0431-{seed:08d}")})
        views = published_views(now, TODAY, kept)

        patched, afresh = make_listings(now, views, kept_listings), make_listings(now, views)

        assert {kind: [_shown(listing) for listing in listings] for kind, listings in patched.items()} == \
            {kind: [_shown(listing) for listing in listings] for kind, listings in afresh.items()}
        kept_some = 0
        for kind, listings in patched.items():
            before = {listing.key: listing for listing in kept_listings[kind]}
            for listing in listings:
                if (last_one := before.get(listing.key)) is not None:
                    same = _shown(listing)[1:4] == _shown(last_one)[1:4] and listing.digests == last_one.digests
                    assert (listing.keys is last_one.keys) == same
                    kept_some += same
        assert kept_some


def _shown(listing: Listing) -> tuple:
    """What a listing is: its fields, its rows as the very views."""
    return (listing.key, listing.title, listing.url, listing.organ, listing.keys, tuple(map(id, listing.items)),
            listing.digests)


def test_the_notable_views_found_in_one_pass_are_those_each_part_would_look_for(tmp_path):
    """What parts of the site look at beyond the rows (the site's files, the interpretations, the item pages' links,
    the audit's columns, the feeds, the sitemap) is found in one pass over the views: here each is compared with
    looking at every view for it, on the example, which has attachments, interpretations, a repealed document,
    consultations that name documents and annual reports, with a change recorded on two of its items."""
    catalog = shutil.copytree(EXAMPLE, tmp_path / "catalog")
    first, second, third = sorted((catalog / "items").rglob("*.md"))[:3]
    for path in (first, second):
        _add_to_front_matter(path, "changes:\n  - changed: 2026-03-02\n    note: 更正")
    # The example's interpretation is of a document a consultation names: this one's, of a document nothing else names.
    _add_to_front_matter(third, "interprets: " + re.search(r"^index_no: (.+)$", first.read_text("utf-8"), re.M)[1])
    loaded = load(catalog, provisional=False)
    site = build_site(loaded.catalog, loaded.calendar, TODAY, published_views(loaded.catalog, TODAY), Templating())
    views, notable = site.items, site.notable
    assert notable.attachments == tuple(view for view in views if view.attachments)
    assert notable.interpretations == tuple(view for view in views if view.item.interprets)
    assert notable.changed == tuple(view for view in views if view.item.changes)
    assert notable.changed_later == tuple(view for view in views if view.changed_later)
    named = ({*site.reports} | {c.document for c in loaded.catalog.consultations if c.document}
             | {view.item.interprets for view in notable.interpretations})
    assert notable.special == tuple(place for place, view in enumerate(views)
                                    if view.item.repealed or view.item.interprets or view.item.index_no in named)
    assert site.linked == {view.item.index_no: view for view in views if view.item.index_no in named - {*site.reports}}
    assert all(notable.__dict__.values())  # every kind is in the example: none compared empty
    assert len(notable.interpretations) == 2 and len(notable.changed) == 2


def _add_to_front_matter(path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n---\n", f"\n{lines}\n---\n", text, count=1), encoding="utf-8")


def test_moments_order_as_days_then_times_of_day_with_a_day_without_a_time_before_its_times():
    """A view's moment (one number, kept with the view) orders as the (day, second of the day) it stands for, a day
    stated without a time before every time of that day and after every moment of the day before; no date is 0."""
    rng = random.Random(7)
    # The edges: a day's last second, the next day without a time, and its first second.
    stated = [None, DateWithTime(2020, 1, 9, dt.time(23, 59, 59)), dt.date(2020, 1, 10),
              DateWithTime(2020, 1, 10, dt.time(0, 0, 0))]
    for _ in range(300):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(40))
        if rng.random() < 0.4:
            stated.append(day)
        else:
            stated.append(DateWithTime(day.year, day.month, day.day,
                                       dt.time(rng.choice([0, 23]), rng.randrange(60), rng.choice([0, 59]))))

    def as_pair(day):
        if day is None:
            return (0, -1)
        time = getattr(day, "time", None)
        return (day.toordinal(), time.hour * 3600 + time.minute * 60 + time.second if time else -1)

    # Compared as places: a date with a time equals the same date with another time.
    places = range(len(stated))
    assert sorted(places, key=lambda n: moment_of(stated[n])) == sorted(places, key=lambda n: as_pair(stated[n]))
    assert len({moment_of(day) for day in stated}) == len({as_pair(day) for day in stated})
    assert moment_of(None) == 0 < moment_of(dt.date(1900, 1, 1))
