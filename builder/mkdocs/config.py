"""Options of the gongkai mkdocs plugin (``plugins: - gongkai: …`` in mkdocs.yml; `gongkai build` sets the
``catalog_*`` and ``build_*`` options from its arguments)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GongkaiConfig(Config):
    enabled = c.Type(bool, default=True)

    # Catalog: where the data is, relative to mkdocs.yml
    catalog_dir = c.Type(str, default="catalog")

    # The day the site is built for (YYYY-MM-DD): validity, due notices and statistics are computed for it.
    # Empty means the system date; `gongkai build --today` sets it, so the same catalog and day build identically.
    catalog_today = c.Type(str, default="")
    catalog_provisional = c.Type(bool, default=False)

    # Build: reuse nothing of the last build (`gongkai build --full`).
    build_full = c.Type(bool, default=False)

    # Generated pages are written into shells of the theme (fast; see builder/site/shells.py). False sends every
    # page through mkdocs' own pipeline: the same bytes, ten times slower. A test builds both ways and compares them.
    page_shells = c.Type(bool, default=True)
