"""The feeds' entries (builder/site/feeds.py), worked out from the items' order and the few changed later, against
every published item sorted by its last change."""

from __future__ import annotations

import datetime as dt
import random
import re

from benchmarks.generate import generate
from builder.build.pipeline import load
from builder.site.feeds import feed_specs, last_change
from builder.site.pages import build_site
from builder.site.templating import Templating
from builder.site.views import published_views

TODAY = dt.date(2026, 11, 23)


def test_each_feeds_entries_are_its_published_items_by_their_last_change(tmp_path):
    """Changes published before the day built for, after it or on no stated day, on old items; some items published
    at a time of day: each feed holds what sorting all its published items by their last change (stably, in the
    site's order) gives, those with no change later among them as those with some."""
    catalog = generate(tmp_path / "catalog", 600)
    rng = random.Random(7)
    paths = sorted((catalog / "items").rglob("item-*.md"))
    for path in rng.sample(paths, 60):
        text = path.read_text(encoding="utf-8")
        if rng.random() < 0.5:  # a time of day on the day it was published
            text = re.sub(r"^published: (.+)$", r"published: \1 09:30", text, count=1, flags=re.M)
        else:
            changed = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(0, 3700))
            published = rng.choice([f"\n    published: {changed + dt.timedelta(days=rng.randrange(0, 9))}", ""])
            text = re.sub(r"\n---\n", f"\nchanges:\n  - changed: {changed}{published}\n    note: 更正\n---\n", text,
                          count=1)
        path.write_text(text, encoding="utf-8")
    loaded = load(catalog, provisional=False)
    site = build_site(loaded.catalog, loaded.calendar, TODAY, published_views(loaded.catalog, TODAY), Templating())
    assert site.notable.changed_later
    specs = feed_specs(site)
    for spec in specs:
        published = [view for view in spec.items if view.published]
        expected = sorted(published, key=lambda view: last_change(view, TODAY), reverse=True)[:spec.limit]
        assert spec.entries == tuple(expected), spec.key
    with_changes = [spec for spec in specs if spec.changed_later.groups.get(spec.group)]
    assert 0 < len(with_changes) < len(specs)  # feeds of both kinds compared
