"""The columns' last days (audit/freshness.py), worked out from the listings' order, against each item asked."""

from __future__ import annotations

import datetime as dt
import random
import re

from benchmarks.generate import generate
from builder.audit.freshness import site_columns, undated, updated_on
from builder.build.pipeline import load
from builder.site.pages import build_site
from builder.site.participation import participation
from builder.site.templating import Templating
from builder.site.views import published_views

TODAY = dt.date(2026, 11, 23)


def test_a_columns_last_day_is_the_last_day_any_of_its_items_changed(tmp_path):
    """Changes recorded on old items, published before the day built for, after it or not at all: each column's day
    is what asking every one of its items gives."""
    catalog = generate(tmp_path / "catalog", 300)
    rng = random.Random(5)
    for path in rng.sample(sorted((catalog / "items").rglob("item-*.md")), 40):
        text = path.read_text(encoding="utf-8")
        changed = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3700))  # up to 2027, after TODAY
        published = rng.choice([f"\n    published: {changed + dt.timedelta(days=rng.randrange(0, 9))}", ""])
        change = f"changes:\n  - changed: {changed}{published}\n    note: 更正\n---\n"
        path.write_text(re.sub(r"\n---\n", "\n" + change, text, count=1), encoding="utf-8")
    loaded = load(catalog, provisional=False)
    assert sum(bool(item.changes) for item in loaded.catalog.items) == 40
    site = build_site(loaded.catalog, loaded.calendar, TODAY, published_views(loaded.catalog, TODAY), Templating())
    listings = {listing.url: listing for kind in ("category", "organ") for listing in site.listings[kind]}
    columns = [column for column in site_columns(site, participation(site)) if column.url in listings]
    assert len(columns) == len(listings) > 10
    later = 0
    for column in columns:
        items = listings[column.url].items
        assert column.newest == max(filter(None, (updated_on(view, TODAY) for view in items)), default=None)
        later += column.newest != max(filter(None, (view.published for view in items)), default=None)
    assert later, "no column whose last day is a change's"


def test_the_undated_items_are_every_public_item_without_a_day(tmp_path):
    """Items stated public but not when, among dated ones: found at the end of the site's items, they are every
    item asked whose day is not known."""
    catalog = generate(tmp_path / "catalog", 300)
    rng = random.Random(11)
    for path in rng.sample(sorted((catalog / "items").rglob("item-*.md")), 25):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\npublished: [0-9-]+\n", "\npublic: true\n", text, count=1), encoding="utf-8")
    loaded = load(catalog, provisional=False)
    site = build_site(loaded.catalog, loaded.calendar, TODAY, published_views(loaded.catalog, TODAY), Templating())
    found = undated(site)
    assert len(found) == 25
    assert found == [view for view in site.items if view.published is None]
