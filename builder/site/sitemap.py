"""sitemap.xml for search engines: every page, with the day its content last changed.

A sitemap file may list at most SITEMAP_URLS addresses in at most SITEMAP_BYTES; a site with more pages (a province's
catalog) is listed in several, ``sitemap-1.xml``…, and ``sitemap.xml`` is then the sitemap index naming them."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from search.hashing import digest
from search.output import write_file

from .urls import canonical_url
from .views import ItemView, Site

# Baidu's limits for one sitemap file (百度搜索资源平台: 不超过 5 万个网址、10 MB), stricter than sitemaps.org's 50 MB.
SITEMAP_URLS = 50_000
SITEMAP_BYTES = 10_485_760

COMPRESSED = "sitemap.xml.gz"  # as mkdocs writes beside sitemap.xml, for crawlers that ask for it
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def write_sitemap(site: Site, content_urls: list[str], site_dir: Path, site_url: str | None,
                  unchanged: Callable[[str, str], bool] = lambda path, key: False) -> dict[str, str]:
    """Replaces the theme's sitemap, which knows only the pages mkdocs rendered itself; returns the keys of its
    files. A file that ``unchanged(path, key)`` says is in the site already is left as it is (build/cache.py): an
    edit that changes no page's day changes no sitemap, and compressing sitemap.xml again (one file of every address
    below 50,000 pages) took 0.05 s at 10,000 items."""
    if not site_url:
        return {}  # a sitemap needs absolute addresses
    changed = {view.url: _last_changed(view, site.today) for view in site.items}
    urls = sorted({*content_urls, *(page.url for page in site.pages)})
    files = sitemap_files([(canonical_url(site_url, url), changed.get(url, site.today)) for url in urls], site_url)
    keys = {name: digest(xml) for name, xml in files.items()}
    # The compressed copy's header holds the day it was made: it changes with the day, as a build of that day makes it.
    keys[COMPRESSED] = digest(keys["sitemap.xml"], site.today.isoformat())
    for name, xml in files.items():
        _write(site_dir / name, unchanged(name, keys[name]), lambda: xml)
    _write(site_dir / COMPRESSED, unchanged(COMPRESSED, keys[COMPRESSED]),
           lambda: _compressed(files["sitemap.xml"], site.today))
    return keys


def _write(path: Path, unchanged: bool, make: Callable[[], bytes]) -> None:
    """Write the file, or leave the site's as it is. mkdocs has written its own sitemap (of the few pages it renders)
    into the output: what is in the output replaces the site's file, so it is removed."""
    if unchanged:
        path.unlink(missing_ok=True)
    else:
        write_file(path, make())


def _compressed(xml: bytes, today: dt.date) -> bytes:
    midnight = dt.datetime.combine(today, dt.time(), dt.timezone.utc).timestamp()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=midnight) as compressed:
        compressed.write(xml)
    return buffer.getvalue()


def _last_changed(view: ItemView, today: dt.date) -> dt.date | None:
    """An item's page changed when it was published or last changed; an undated legacy item's is not known."""
    if not view.published or not view.item.changes:  # most items: asked for each of 100,000 by every build
        return view.published
    return max([view.published] + [c.changed for c in view.item.changes if c.changed <= today])


def sitemap_files(pages: list[tuple[str, dt.date | None]], site_url: str) -> dict[str, bytes]:
    """The sitemap files of ``pages`` (absolute address, day last changed or None), by file name: ``sitemap.xml``
    alone, or with ``sitemap-1.xml``… that it names when the pages are more than one file may list."""
    parts = _split([_row(url, day) for url, day in pages], [day for _, day in pages])
    if len(parts) == 1:
        return {"sitemap.xml": _urlset(parts[0][0])}
    files = {f"sitemap-{n}.xml": _urlset(part) for n, (part, _) in enumerate(parts, 1)}
    listed = "".join(f"<sitemap><loc>{escape(canonical_url(site_url, name))}</loc>{_lastmod(latest)}</sitemap>\n"
                     for name, (_, latest) in zip(files, parts))
    return {"sitemap.xml": f'{_HEAD}<sitemapindex xmlns="{_NAMESPACE}">\n{listed}</sitemapindex>\n'.encode("utf-8"),
            **files}


def _row(url: str, day: dt.date | None) -> bytes:
    return f"<url><loc>{escape(url)}</loc>{_lastmod(day)}</url>\n".encode("utf-8")


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
