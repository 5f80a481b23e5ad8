"""sitemap.xml for search engines: every page, with the day its content last changed.

A sitemap file may list at most SITEMAP_URLS addresses in at most SITEMAP_BYTES; a site with more pages (a province's
catalog) is listed in several, ``sitemap-1.xml``…, and ``sitemap.xml`` is then the sitemap index naming them."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from array import array
from collections.abc import Callable
from html import escape  # not xml.sax.saxutils': it imports urllib.request
from itertools import chain
from pathlib import Path

from search.hashing import digest
from search.output import write_file

from .urls import canonical_url
from .views import MOMENTS_A_DAY, ItemView, Site

# Baidu's limits for one sitemap file (百度搜索资源平台: 不超过 5 万个网址、10 MB), stricter than sitemaps.org's 50 MB.
SITEMAP_URLS = 50_000
SITEMAP_BYTES = 10_485_760

COMPRESSED = "sitemap.xml.gz"  # as mkdocs would write beside sitemap.xml, for crawlers that ask for it
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def write_sitemap(site: Site, content_urls: list[str], site_dir: Path, site_url: str | None,
                  unchanged: Callable[[str, str], bool] = lambda path, key: False,
                  previous_key: Callable[[str], str | None] = lambda path: None) -> dict[str, str]:
    """The site's sitemap, in place of the theme's, which would know only the pages mkdocs renders (the plugin has
    mkdocs make none); returns the keys of its files: what they are made of, hashed (every address, each item's day, the
    build's day). When the last build's files were made of the same and ``unchanged(path, key)`` says they are all
    in the site (build/cache.py), they are left as they are and no address is written out: an edit that changes no
    page's day changes no sitemap, and writing out the addresses took 0.5 s of every build at 100,000 items.
    sitemap.xml's key also says how many files it names (``sitemap-<n>.xml``), which ``previous_key(path)`` (the
    last build's key) tells before they are made."""
    # A sitemap needs absolute addresses: without the site's, it lists none.
    items, later = (site.items, site.notable.changed_later) if site_url else ([], ())
    urls = ([*content_urls, *(page.url for page in site.pages), *chain.from_iterable(s.urls for s in site.series)]
            if site_url else [])
    # Each item's day, hashed without a dictionary of them, which is made only to write the files (made for every
    # build, it took ~0.1 s at 100,000 items): the days the items were published, as their moments' ordinals (kept
    # with their views), in the items' order, which is their addresses' among ``urls`` (their pages' series); and
    # the few pages changed later, with their addresses. Each item's address and day as text took 0.13 s.
    made_of = digest(site_url or "", site.today.isoformat(), str(len(urls)), *urls,
                     digest(array("i", [view.moment // MOMENTS_A_DAY for view in items]).tobytes()),
                     *(f"{view.url} {_last_changed(view, site.today)}" for view in later))
    kept = _kept(made_of, unchanged, previous_key)
    if kept is not None:
        return kept
    changed = {view.url: _last_changed(view, site.today) for view in items}
    files = sitemap_files([(canonical_url(site_url, url), changed.get(url, site.today)) for url in sorted(set(urls))],
                          site_url)
    for name, xml in files.items():
        write_file(site_dir / name, xml)
    write_file(site_dir / COMPRESSED, _compressed(files["sitemap.xml"], site.today))
    return _keys(made_of, len(files) - 1)


def _keys(made_of: str, parts: int) -> dict[str, str]:
    """The keys of the sitemap files made of ``made_of``: sitemap.xml, naming ``parts`` files (none: it lists the
    addresses itself), those files and the compressed copy of sitemap.xml (whose header holds the build's day)."""
    return {"sitemap.xml": f"{made_of}-{parts}", COMPRESSED: made_of,
            **{f"sitemap-{n}.xml": made_of for n in range(1, parts + 1)}}


def _kept(made_of: str, unchanged: Callable[[str, str], bool],
          previous_key: Callable[[str], str | None]) -> dict[str, str] | None:
    """The keys of the last build's sitemap files when they were made of the same and are all in the site."""
    previous, _, parts = (previous_key("sitemap.xml") or "").rpartition("-")
    if previous != made_of or not parts.isdigit():
        return None
    keys = _keys(made_of, int(parts))
    return keys if all(unchanged(name, key) for name, key in keys.items()) else None


def _compressed(xml: bytes, today: dt.date) -> bytes:
    midnight = dt.datetime.combine(today, dt.time(), dt.timezone.utc).timestamp()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=midnight) as compressed:
        compressed.write(xml)
    return buffer.getvalue()


def _last_changed(view: ItemView, today: dt.date) -> dt.date | None:
    """An item's page changed last on the last of ``changed_on``; an undated legacy item's is not known."""
    if not view.changed_later:  # asked of 100,000 by every build
        return view.published
    return max(view.changed_on(today))


def sitemap_files(pages: list[tuple[str, dt.date | None]], site_url: str | None) -> dict[str, bytes]:
    """The sitemap files of ``pages`` (absolute address, day last changed or None), by file name: ``sitemap.xml``
    alone, or with ``sitemap-1.xml``… that it names when the pages are more than one file may list."""
    parts = _split([_row(url, day) for url, day in pages], [day for _, day in pages])
    if len(parts) <= 1:
        return {"sitemap.xml": _urlset(parts[0][0] if parts else [])}
    files = {f"sitemap-{n}.xml": _urlset(part) for n, (part, _) in enumerate(parts, 1)}
    listed = "".join(f"<sitemap><loc>{escape(canonical_url(site_url, name), quote=False)}</loc>"
                     f"{_lastmod(latest)}</sitemap>\n" for name, (_, latest) in zip(files, parts))
    return {"sitemap.xml": f'{_HEAD}<sitemapindex xmlns="{_NAMESPACE}">\n{listed}</sitemapindex>\n'.encode("utf-8"),
            **files}


def _row(url: str, day: dt.date | None) -> bytes:
    return f"<url><loc>{escape(url, quote=False)}</loc>{_lastmod(day)}</url>\n".encode("utf-8")


def _lastmod(day: dt.date | None) -> str:
    return f"<lastmod>{day.isoformat()}</lastmod>" if day else ""


def _urlset(rows: list[bytes]) -> bytes:
    return f'{_HEAD}<urlset xmlns="{_NAMESPACE}">\n'.encode("utf-8") + b"".join(rows) + b"</urlset>\n"


def _split(rows: list[bytes], days: list[dt.date | None]) -> list[tuple[list[bytes], dt.date | None]]:
    """``rows`` in files of at most SITEMAP_URLS rows and SITEMAP_BYTES bytes, each with its latest day."""
    room = SITEMAP_BYTES - len(_urlset([]))
    parts: list[tuple[list[bytes], dt.date | None]] = []
    part: list[bytes] = []
    size, latest = 0, None
    for row, day in zip(rows, days):
        if part and (len(part) == SITEMAP_URLS or size + len(row) > room):
            parts.append((part, latest))
            part, size, latest = [], 0, None
        part.append(row)
        size += len(row)
        latest = max(latest, day) if latest and day else latest or day
    parts.append((part, latest))
    return parts
