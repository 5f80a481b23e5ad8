"""What the site is made of, before anything is written: pages to generate and the files beside them."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable

from markupsafe import Markup

from .metadata import Tags, render_tags
from .urls import page_file, src_uri

# What mkdocs reads as a generated page's Markdown: the plugin puts the page's HTML in its place.
CONTENT_PLACEHOLDER = "gongkai-page-content"


@dataclasses.dataclass(frozen=True)
class SitePage:
    """A generated page: its site-relative URL, title, description, and its content (the HTML inside the theme).

    Every content starts with the page's own ``<h1>``, so the theme never adds one.
    """

    url: str
    title: str
    html: str
    description: str = ""
    meta: Tags = ()  # the page's <meta> tags of the 指引 (metadata.py), written into its <head>

    @property
    def src_uri(self) -> str:
        return src_uri(self.url)

    @property
    def meta_description(self) -> str:
        """Every page has its own description, so the theme never falls back to the site's."""
        return self.description or self.title

    @property
    def meta_html(self) -> str:
        return render_tags(self.meta)

    def markdown(self) -> str:
        """What mkdocs reads for this page: the escaped title and description. The content is ours, not
        Markdown: the plugin puts ``html`` in place of the converted placeholder (``on_page_content``)."""
        meta = {"title": str(Markup.escape(self.title)), "description": str(Markup.escape(self.meta_description))}
        front = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
        return f"---\n{front}\n---\n\n{CONTENT_PLACEHOLDER}\n"


@dataclasses.dataclass(frozen=True)
class PageSource:
    """A page to generate, rendered only when written: a site of 100,000 items never holds all its pages.

    ``inputs`` is a hash of everything the page shows, when that is known without rendering it (items,
    listings): an unchanged page is then reused without being rendered (build/cache.py).
    """

    url: str
    render: Callable[[], SitePage]
    inputs: str | None = None

    @property
    def path(self) -> str:
        return page_file(self.url)


@dataclasses.dataclass(frozen=True)
class PageSeries:
    """Pages of one kind below the top level, each rendered from its place in the series by one function: every
    item's page, every listing's pages. What planning, splitting and writing them needs (their addresses, keys and
    shells) is held as lists, and no ``PageSource`` is made for a page until it is written: at 100,000 items, a
    ``PageSource`` for each of 120,000 pages, looked at one by one three times, took ~0.75 s of every change
    (docs/decisions.md)."""

    urls: list[str]
    keys: list[str]  # each page's ``inputs``: known for every page of a series
    render: Callable[[int], SitePage]  # the page at this place
    shells: frozenset[str]  # the shells its pages are written into (shells.py), known from the form of their URLs

    def __len__(self) -> int:
        return len(self.urls)

    def source(self, index: int) -> PageSource:
        return PageSource(self.urls[index], functools.partial(self.render, index), self.keys[index])


@dataclasses.dataclass(frozen=True)
class SiteFile:
    """A file of the site that is not a page: an attachment (copied from ``source``) or report data (``make``).
    ``inputs`` hashes what it is made from (build/cache.py): for ``make``, given with it; for a copied file, the
    digest of its bytes, filled in by the writer (build/writer.py)."""

    path: str
    source: str | None = None  # resolved
    make: Callable[[], bytes] | None = None
    inputs: str | None = None


class FeedFiles:
    """A feed's two files, named after its ``key``: RSS and Atom (mixed into each kind of feed)."""

    key: str

    @property
    def rss_url(self) -> str:
        return f"feeds/{self.key}.xml"

    @property
    def atom_url(self) -> str:
        return f"feeds/{self.key}.atom"
