"""sitemap.xml for search engines: every page, with the day its content last changed."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape

from search.output import write_file

from .urls import canonical_url
from .views import Site


def write_sitemap(site: Site, content_urls: list[str], site_dir: Path, site_url: str | None) -> None:
    """Replaces the theme's sitemap, which knows only the pages mkdocs rendered itself."""
    if not site_url:
        return  # a sitemap needs absolute addresses
    # An item's page changed when it was published or last changed; an undated legacy item's is not known.
    changed = {view.url: max([view.published] + [c.changed for c in view.item.changes if c.changed <= site.today])
               if view.published else None for view in site.items}
    urls = sorted({*content_urls, *(page.url for page in site.pages)})
    rows = "".join(f"<url><loc>{escape(canonical_url(site_url, url))}</loc>"
                   + (f"<lastmod>{day.isoformat()}</lastmod>" if (day := changed.get(url, site.today)) else "")
                   + "</url>\n" for url in urls)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           f"{rows}</urlset>\n").encode("utf-8")
    write_file(site_dir / "sitemap.xml", xml)
    midnight = dt.datetime.combine(site.today, dt.time(), dt.timezone.utc).timestamp()
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=midnight) as compressed:
        compressed.write(xml)
    write_file(site_dir / "sitemap.xml.gz", buffer.getvalue())
