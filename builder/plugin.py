"""The mkdocs plugin: `mkdocs build` turns catalog/ + content/ into the disclosure site.

Each hook is a few lines around builder functions that the CLI and the tests
also call without mkdocs.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

import search

from .cache import BuildCache, digest
from .calendar import WorkCalendar
from .catalog import load_catalog
from .config import GongkaiConfig
from .errors import CalendarYearMissing
from .documents import SearchDocuments, write_search_index
from .feeds import write_feeds
from .pages import (
    ItemView,
    PageSource,
    Site,
    SitePage,
    build_site,
    document_source,
    published_views,
    set_template_override,
    site_files,
    src_uri,
)
from .render import write_files, write_pages
from .shells import Shell, ShellKey, shell_folder, shell_key, shell_page
from .sitemap import write_sitemap
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
    index: SearchIndexJob | None = None
    preloaded_site: Site | None = None  # set by `gongkai build`, which has validated the catalog already
    preloaded_index: SearchIndexJob | None = None  # … and has started the search index of it
    cache: BuildCache | None = None     # set by `gongkai build`: reuse what the last build wrote
    report_progress: Callable[[int], None] = staticmethod(lambda count: None)  # progress callback
    _rendered: dict[str, SitePage]         # src_uri → what mkdocs shows for a page we generate
    _shell_uris: dict[str, ShellKey]
    _shells: dict[ShellKey, Shell]
    _shell_sources: list[PageSource]       # the pages written into shells after mkdocs' own build
    _content_urls: list[str]               # pages of content/ (hand-written)

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
        self.index = self.preloaded_index or SearchIndexJob(self.site.items, Path(config.site_dir).parent, self.cache)
        return config

    # The columns (and, with page_shells off, every page) are generated files that mkdocs renders as ordinary
    # pages; every other page is written into a shell that mkdocs renders once per kind of URL (see shells.py).
    def on_files(self, files, *, config):
        if not self.config.enabled:
            return files
        nav_paths = {path for _, path in NAV}
        self._content_urls = [unquote(f.url) for f in files.documentation_pages()]
        self._rendered, self._shell_uris, self._shells, self._shell_sources = {}, {}, {}, []
        for source in self.site.pages:
            if src_uri(source.url) in nav_paths or not self.config.page_shells:
                self._generate(files, config, source.render(), src_uri(source.url) in nav_paths)
            else:
                self._shell_sources.append(source)
        for key in sorted({shell_key(source.url) for source in self._shell_sources}):
            page = shell_page(key)
            self._shell_uris[page.src_uri] = key
            self._generate(files, config, page, False)
        return files

    def _generate(self, files, config, page: SitePage, in_nav: bool) -> None:
        self._rendered[page.src_uri] = page
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, page.src_uri, content=page.markdown(), inclusion=inclusion))

    # Our content is HTML already: it replaces what Markdown made of the placeholder.
    def on_page_content(self, html, *, page, config, files):
        if not self.config.enabled or page.file.src_uri not in self._rendered:
            return html
        return self._rendered[page.file.src_uri].html

    def on_post_page(self, output, *, page, config):
        if self.config.enabled:
            if key := self._shell_uris.get(page.file.src_uri):
                self._shells[key] = Shell.parse(output, key, config.site_url or None)
            else:
                self.report_progress(1)
        return output

    # Shells are complete once mkdocs has built; feeds need only the final site directory.
    def on_post_build(self, *, config):
        if not self.config.enabled:
            return
        site_dir = Path(config.site_dir)
        for folder in {shell_folder(key) for key in self._shells}:
            shutil.rmtree(site_dir / folder)
        if self.cache:
            self.cache.fingerprint = fingerprint(self._shells, Path(config.config_file_path))
        keys = write_pages(self._shell_sources, self._shells, site_dir, self.cache, self.report_progress)
        keys |= write_files(site_files(self.site), site_dir, self.cache)
        write_sitemap(self.site, self._content_urls, site_dir, config.site_url)
        keys |= write_feeds(self.site, site_dir, config.site_url or "/", self.cache)
        kept = self.index.move_into(site_dir / "search")
        if self.cache:
            self.cache.record(keys | {f"search/{path}": "" for path in kept})
        shutil.copyfile(CLIENT_JS, site_dir / "search" / "client.js")

    def on_build_error(self, *, error):
        if self.index:
            self.index.stop()


class SearchIndexJob:
    """The search index of the published items (``views``), written in another process while the pages are planned
    and rendered: `gongkai build` starts it as soon as the items are known. ``parent``: where its folder goes."""

    def __init__(self, views: list[ItemView], parent: Path, cache: BuildCache | None) -> None:
        parent.mkdir(parents=True, exist_ok=True)
        self._folder = Path(tempfile.mkdtemp(prefix=".gongkai-search-", dir=parent))
        self._pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=INDEX_PROCESSES)
        # Pickled here: the pool's feeder thread would pickle it only between the main thread's steps, which hold the
        # interpreter's lock (the index started 0.2 s later at 10,000 items).
        documents = pickle.dumps((SearchDocuments([document_source(v) for v in views]), [v.digest for v in views]),
                                 protocol=pickle.HIGHEST_PROTOCOL)
        self._job = self._pool.submit(write_search_index, documents, self._folder, cache and cache.index_reuse())

    def move_into(self, search_dir: Path) -> list[str]:
        """Wait for the index and move it into ``search_dir``; returns the files it kept of the site's index."""
        kept = self._job.result().kept
        for entry in sorted(self._folder.iterdir()):
            entry.rename(search_dir / entry.name)
        self.stop()
        return kept

    def stop(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "SearchIndexJob":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


SOURCES = Path(__file__).parent, Path(search.__file__).parent

# The index process starts from a small server process that has imported only what it needs, not forked from
# this one: it does not carry the catalog, and it starts at once (see documents.py).
INDEX_PROCESSES = multiprocessing.get_context("forkserver")
INDEX_PROCESSES.set_forkserver_preload(["builder.documents"])


def start_index_processes() -> None:
    """Start the server now, while the catalog loads, so the index starts without waiting for it."""
    multiprocessing.forkserver.ensure_running()
def fingerprint(shells: dict[ShellKey, Shell], config_file: Path) -> str:
    """Everything that shapes every page: the theme as rendered into the shells, mkdocs.yml, our code and
    templates. When it changes, the build cache reuses nothing."""
    code = sorted(p for folder in SOURCES for p in folder.rglob("*") if p.suffix in (".py", ".html", ".js"))
    return digest(config_file.read_bytes(), *(p.read_bytes() for p in code),
                  *("".join(shells[key].parts) for key in sorted(shells)))


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
        return build_site(catalog, calendar, today, published_views(catalog, today))
    except CalendarYearMissing as missing:
        raise PluginError(str(missing)) from None
