"""`gongkai build`: validate, then build the site with mkdocs into a fresh directory and swap it in."""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

from .cache import BuildCache
from .pages import Site
from .plugin import SearchIndexJob


@dataclasses.dataclass(frozen=True)
class BuildSummary:
    pages: int
    feeds: int
    seconds: float
    site_dir: Path


def build_with_mkdocs(site: Site, index: SearchIndexJob, config_file: Path, cache: BuildCache,
                      on_pages: Callable[[int], None] = lambda count: None) -> BuildSummary:
    """Build ``site`` (already validated, its search ``index`` started) with ``config_file`` into the cache's site
    directory, which changes only on success; what the last build wrote is reused where its inputs are unchanged
    (cache.py)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from .feeds import feed_specs

    start = time.perf_counter()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    with cache.output() as fresh:
        config = load_config(str(config_file), site_dir=str(fresh))
        plugin = config.plugins["gongkai"]
        plugin.preloaded_site = site
        plugin.preloaded_index = index
        plugin.report_progress = on_pages
        plugin.cache = cache
        build(config)
    return BuildSummary(len(site.pages), len(feed_specs(site)) * 2, time.perf_counter() - start, cache.site_dir)
