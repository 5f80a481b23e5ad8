"""The catalog as the site shows it (builder/site/views.py): the published items' views, in order, made again only
where the last build's no longer hold, and the listings they form."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from benchmarks.generate import generate
from builder.build.pipeline import load
from builder.site.views import KeptViews, make_listings, published_views

TODAY = dt.date(2026, 11, 23)


def test_views_sorted_from_the_last_builds_views_are_those_sorted_afresh(tmp_path):
    """A build sorts the kept views from the last build's order, which the cache's changes leave unsorted (an entry
    changed in place, a new one last): shuffled here entirely. Items changed (one moved to another day), removed and
    unchanged: the order is what sorting every view afresh gives, each unchanged item keeps its very view, and no
    view of an item changed or removed is left."""
    catalog = load(generate(tmp_path / "catalog", 600), provisional=False).catalog
    kept = KeptViews()
    first = {view.item.path: view for view in published_views(catalog, TODAY, kept)}
    rng = random.Random(19)
    kept.views = dict(rng.sample(list(kept.views.items()), len(kept.views)))
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
