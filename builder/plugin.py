"""The mkdocs plugin: `mkdocs build` turns catalog/ + content/ into the disclosure site.

Each hook is a few lines around builder functions that the CLI and the tests
also call without mkdocs.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

import search
from search.index import write_index

from .calendar import WorkCalendar
from .catalog import load_catalog
from .config import GongkaiConfig
from .errors import CalendarYearMissing
from .feeds import feeds_page, write_feeds
from .pages import Site, build_site, search_documents, set_template_override, site_files
from .validate import validate

CLIENT_JS = Path(search.__file__).parent / "client.js"

log = get_plugin_logger(__name__)

# The site's columns (国办公开办函〔2019〕61号), in the order of the navigation.
NAV = (
    ("首页", "index.md"),
    ("政府信息公开指南", "guide/index.md"),
    ("政府信息公开制度", "system.md"),
    ("法定主动公开内容", "active/index.md"),
    ("政府信息公开年报", "reports/index.md"),
    ("依申请公开", "apply/index.md"),
    ("权力清单", "powers/index.md"),
    ("行政事业性收费", "fees/index.md"),
    ("分类浏览", "browse/index.md"),
    ("订阅", "feeds/index.md"),
    ("检索", "search/index.md"),
)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    site: Site | None = None
    _pool: concurrent.futures.ProcessPoolExecutor | None = None
    _index_job: concurrent.futures.Future | None = None
    _index_dir: Path | None = None
    preloaded_site: Site | None = None  # set by `gongkai build`, which has validated the catalog already
    on_page_built: Callable[[], None] | None = None  # progress callback

    # The catalog is loaded and validated once, before anything is built: errors stop the build here.
    def on_config(self, config, **kwargs):
        if not self.config.enabled:
            return config
        self.site = self.preloaded_site or load_site(
            Path(config.config_file_path).parent / self.config.catalog_dir,
            self.config.catalog_today, self.config.catalog_provisional)
        catalog = self.site.catalog
        config.site_name = str(Markup.escape(catalog.site.title))
        if catalog.site.url:
            config.site_url = catalog.site.url.rstrip("/") + "/"
        config.nav = [{title: path} for title, path in NAV]
        custom_dir = config.theme.custom_dir
        set_template_override(Path(custom_dir) / "gongkai" if custom_dir else None)
        # Reproducible dates in sitemap.xml (mkdocs reads SOURCE_DATE_EPOCH).
        midnight = dt.datetime.combine(self.site.today, dt.time(), dt.timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
        return config

    # Pages are generated as files so mkdocs and the theme treat them as ordinary pages; only the columns are in the nav.
    def on_files(self, files, *, config):
        if not self.config.enabled:
            return files
        nav_paths = {path for _, path in NAV}
        for page in [*self.site.pages, feeds_page(self.site)]:
            inclusion = InclusionLevel.INCLUDED if page.src_uri in nav_paths else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.src_uri, content=page.markdown(), inclusion=inclusion))
        self._start_search_index(Path(config.site_dir))
        for url, source in site_files(self.site):
            if isinstance(source, bytes):
                files.append(File.generated(config, url, content=source))
            else:
                files.append(File.generated(config, url, abs_src_path=str(source)))
        return files

    def on_post_page(self, output, *, page, config):
        if self.on_page_built:
            self.on_page_built()
        return output

    # Feeds need the final site directory and nothing from the page pipeline.
    def on_post_build(self, *, config):
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        write_feeds(self.site, site_dir, config.site_url or "/")
        self._index_job.result()
        for entry in sorted(self._index_dir.iterdir()):
            entry.rename(site_dir / "search" / entry.name)
        self._stop_search_index()
        shutil.copyfile(CLIENT_JS, site_dir / "search" / "client.js")

    def on_build_error(self, *, error):
        self._stop_search_index()

    # The search index needs only the catalog: it is written on the second core while mkdocs renders pages.
    def _start_search_index(self, site_dir: Path) -> None:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self._index_dir = Path(tempfile.mkdtemp(prefix=".gongkai-search-", dir=site_dir.parent))
        self._pool = concurrent.futures.ProcessPoolExecutor(max_workers=1)
        self._index_job = self._pool.submit(write_index, search_documents(self.site.items), self._index_dir, 1)

    def _stop_search_index(self) -> None:
        if self._index_job is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            shutil.rmtree(self._index_dir, ignore_errors=True)
            self._index_job = None


def load_site(catalog_dir: Path, today_text: str, provisional: bool) -> Site:
    """A validated catalog as a Site, or a PluginError carrying the validator's messages."""
    try:
        today = dt.date.fromisoformat(today_text) if today_text else dt.date.today()
    except ValueError:
        raise PluginError(f"catalog_today “{today_text}”不是有效日期，请写成 YYYY-MM-DD") from None
    catalog, problems = load_catalog(catalog_dir)
    if catalog is None:
        raise PluginError("\n".join(p.format() for p in problems))
    calendar = WorkCalendar(catalog.holidays, catalog.holidays_file, provisional)
    problems = sorted(set(problems) | set(validate(catalog, calendar, today)))
    errors = [p for p in problems if p.is_error]
    for warning in (p for p in problems if not p.is_error):
        log.info(warning.format())
    if errors:
        raise PluginError("目录有错误，网站未生成 (the catalog has errors):\n" + "\n".join(p.format() for p in errors))
    try:
        return build_site(catalog, calendar, today)
    except CalendarYearMissing as missing:
        raise PluginError(str(missing)) from None
