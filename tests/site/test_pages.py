"""The site's plan (builder/site/pages.py): which pages there are, each at its address, with the key of what it
shows, the items' and the listings' as series of pages made only when written."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLE

from benchmarks.generate import generate
from builder.build.pipeline import load
from builder.site.pages import build_site
from builder.site.shells import shell_key
from builder.site.templating import Templating
from builder.site.views import published_views

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize("catalog", ["example", "generated"])
def test_every_page_of_a_series_renders_at_its_address_into_a_shell_its_series_names(tmp_path, catalog):
    """A series knows its pages' shells from the form of their addresses, and renders the page at each place: the
    example has report items and pages that show other items (a repealed document's, an interpreted one's), the
    generated catalog listings of many pages."""
    loaded = load(EXAMPLE if catalog == "example" else generate(tmp_path / "catalog", 600), provisional=False)
    views = published_views(loaded.catalog, TODAY)
    site = build_site(loaded.catalog, loaded.calendar, TODAY, views, Templating())
    listings, items = site.series
    assert len(listings) == sum(listing.page_count for kind in site.listings.values() for listing in kind)
    assert len(items) == len(views)
    for series in site.series:
        assert series.shells == {shell_key(url) for url in series.urls}
        for index, url in enumerate(series.urls):
            source = series.source(index)
            assert (source.url, source.inputs) == (url, series.keys[index])
            assert source.render().url == url
    urls = [source.url for source in site.all_pages()]
    assert len(urls) == len(set(urls)) == site.page_count
    assert {view.url for view in views} <= set(urls)
    assert any("/page/" in url for url in listings.urls) == (catalog == "generated")
    if catalog == "example":
        pages = dict(zip(items.urls, items.keys))
        shown_more = [view for view in views if pages[view.url] != view.digest]
        assert any(view.item.index_no in site.reports for view in shown_more)
        assert any(view.item.repealed for view in shown_more)
