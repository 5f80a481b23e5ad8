"""The mkdocs plugin: `mkdocs build` (and `gongkai build`, which runs it) turns catalog/ + content/ into the
disclosure site.

Each hook is a few lines handing the step to the build's ``BuildRun`` (build/pipeline.py), which the plugin
starts in ``on_config``; gongkai's errors become ``PluginError``s with the same text the CLI shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import jinja2
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from search.hashing import digest

from ..build import pipeline
from ..build.cache import ThemeOutput
from ..build.pipeline import PLUGIN_NAME, BuildOptions, BuildRun, Memory
from ..errors import GongkaiError, ProjectFileInvalid, display_path
from ..site.metadata import COLUMN_TYPES, Column, Identity, page_tags, render_tags
from ..site.shells import (
    Shell,
    ShellKey,
    meta_html,
    shell_key,
    shell_output,
    shell_page,
)
from ..site.structure import PageSeries, PageSource, SitePage
from ..site.urls import page_file, src_uri
from ..util import files_below
from .config import GongkaiConfig
from .theme import use_visible_files_loader

# Not get_plugin_logger: its prefix would break the `path:line: CODE …` form of every message. Under
# "mkdocs.", so `mkdocs build --strict` counts its warnings; problems of the catalog are logged as info.
log = logging.getLogger("mkdocs.plugins.gongkai")

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
    ("意见征集", "consultations/index.md"),
    ("12345热线", "hotline/index.md"),
    ("分类浏览", "browse/index.md"),
    ("订阅", "feeds/index.md"),
    ("检索", "search/index.md"),
)


OPTIONAL_NAV = {"consultations/index.md", "hotline/index.md"}
THEME_SITEMAP = "sitemap.xml"  # a template of the theme's (mkdocs' own and Material's), made for every build


def _translated(hook):
    """gongkai's own errors reach mkdocs as PluginError (mkdocs shows the message, not a traceback)."""
    @functools.wraps(hook)
    def wrapper(*args, **kwargs):
        try:
            return hook(*args, **kwargs)
        except GongkaiError as error:
            raise PluginError(str(error)) from None
    return wrapper


def _check_named_templates(env: jinja2.Environment, files) -> None:
    """A page's front matter may name the theme's template it is shown with (template: xxx.html). One that is not
    there, or no name at all (template: left empty), ended the build as an internal error: mkdocs asks for it with
    nothing of the page's in the traceback. Asked here, where the theme's templates are first known, before any page
    is rendered."""
    for file in files.documentation_pages():
        meta = file.page.meta if file.page else None
        if not meta or "template" not in meta:
            continue
        name = meta["template"]
        if isinstance(name, str) and name:
            try:
                env.get_template(name)
                continue
            except jinja2.TemplateNotFound:
                pass
        line = next((number for number, text in enumerate(file.content_string.splitlines(), start=1)
                     if _TEMPLATE_KEY.match(text)), 1)
        what = f"页面指定的模板 {name} 不存在" if name not in (None, "") else "页面的 template: 后没有写模板文件名"
        raise ProjectFileInvalid(f"{display_path(file.abs_src_path)}:{line}: {what}，网站未更新：请检查 template: 后的"
                                 f"文件名（主题的 custom_dir 中的模板），或删去这一行 (the page names a template that "
                                 f"does not exist)")


_TEMPLATE_KEY = re.compile(r"\s*template\s*:", flags=re.IGNORECASE)  # mkdocs reads MultiMarkdown's Template: too


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    run: BuildRun | None = None
    _rendered: dict[str, SitePage]         # src_uri → what mkdocs shows for a page we generate
    _shell_uris: dict[str, ShellKey]
    _shells: dict[ShellKey, Shell]
    _shell_sources: list[PageSource]       # the pages written into shells after mkdocs' own build
    _shell_series: list[PageSeries]        # and the series of pages written so
    _content_urls: list[str]               # pages of content/ (hand-written)
    memory: Memory | None = None           # given by `gongkai serve` (pipeline.build), which builds again and again
    _top: list[tuple[SitePage, bool]]      # the pages mkdocs renders as they are, and whether each is in the nav
    _shell_keys: list[ShellKey]
    _inputs: str                           # of mkdocs' part (``_theme_inputs``), for ``ThemeOutput``
    _warnings: _Warnings | None = None     # what is logged while mkdocs renders

    # The catalog is loaded and validated once, before anything is built: errors stop the build here. mkdocs has
    # checked site_dir against docs_dir already; from here on it writes into the run's output, which becomes the
    # site only when the whole build succeeds.
    @_translated
    def on_config(self, config, **kwargs):
        if not self.config.enabled:
            return config
        if self.run is None:  # else started by ``finish_without_mkdocs``, which left the rest to mkdocs
            self._start(config)
        self._warnings = _Warnings()
        return config

    def _start(self, config) -> None:
        use_visible_files_loader(config.theme)
        # The site's sitemap is ours (site/sitemap.py: every page, each item's day). The theme's knows only the pages
        # mkdocs renders, and was written, with its compressed copy, only to be written over or deleted: not
        # rendered, and its template not copied as a static file either (``on_files``).
        config.theme.static_templates.discard(THEME_SITEMAP)
        config_dir = Path(config.config_file_path).parent
        custom_dir = config.theme.custom_dir
        sources = {pipeline.PAGES: Path(config.docs_dir), pipeline.CONFIG_FOLDER: config_dir,
                   pipeline.WORKING_DIR: Path.cwd()}
        if custom_dir:
            sources[pipeline.OVERRIDES] = Path(custom_dir)
        self.run = BuildRun.start(self._options(config_dir), Path(config.site_dir),
                                  Path(custom_dir) if custom_dir else None, log, sources, self.memory)
        catalog = self.run.site.catalog
        config.site_dir = str(self.run.output_dir)
        # Markup, escaped once: mkdocs' templates show it as it is, and the theme's `| e` (the logo's tooltip) leaves
        # it as it is; escaped text as a plain str was escaped again there, the tooltip showing &lt;.
        config.site_name = Markup.escape(catalog.site.title)
        if catalog.site.url:
            config.site_url = catalog.site.url.rstrip("/") + "/"
        self._split()
        # Columns made only when the catalog has something for them (a blank column fails the 19号 inspection).
        made = {src_uri(page.url) for page, _ in self._top}
        config.nav = [{title: path} for title, path in NAV if path in made or path not in OPTIONAL_NAV]
        # Before mkdocs reads anything: a page saved while it renders is then another input for the next build.
        self._inputs = self._theme_inputs(config)

    def finish_without_mkdocs(self, config) -> bool:
        """Start the build, and when everything mkdocs renders is what it rendered for the last build (``ThemeOutput``:
        the theme's files, the columns, the hand-written pages, 404.html, the shells), which the site holds, finish it
        without mkdocs, showing again what was logged while it rendered. After one saved item at 10,000 items mkdocs
        took ~0.15 s of a ~0.95 s save in `gongkai serve`, and 0.05–0.1 s of `gongkai build`, to make the same files
        again. True when finished; False leaves the run to mkdocs' build. Raises what starting the build raises
        (``CatalogInvalid``…)."""
        try:
            # Within: what follows the run's start (the top pages rendered with the office's overrides, the pages
            # read) may fail or be interrupted too, and the run's folders would be left beside the site.
            self._start(config)
            cache = self.run.cache
            last = cache.previous_theme
            # With strict: true a warning fails the build: mkdocs, which counts them, must say it again.
            if not (last and last.inputs == self._inputs and cache.in_place and _inputs_known(config)
                    and not (config.strict and last.warnings)
                    and cache.previous_fingerprint == last.fingerprint
                    and all((cache.site_dir / path).is_file() for path in last.paths)):
                return False
            for name, level, message in last.warnings:
                logging.getLogger(name).log(level, message)
            cache.theme = last
            cache.record(dict.fromkeys(last.paths, ""))  # in the site already: kept, as mkdocs made them
            self.run.finish(self._shell_sources, self._shell_series, last.shells, last.content_urls, last.site_url,
                            last.fingerprint)
        except BaseException as error:
            self.on_build_error(error=error)
            raise
        return True

    def _split(self) -> None:
        """The pages mkdocs renders as they are (the columns, and every top-level page: rendered here), the others,
        written into shells, and the shells' keys. With page_shells off, every page is mkdocs'."""
        nav_paths = {path for _, path in NAV}
        site = self.run.site
        shells = self.config.page_shells  # asked once: mkdocs looks its options up by name (0.1 s at 120,000 pages)
        self._top, self._shell_sources = [], []
        # The series' pages lie below the top level (structure.PageSeries), each series' shells known to it.
        self._shell_series = site.series if shells else []
        for source in site.pages if shells else site.all_pages():
            # A shell stands for the pages below a top-level one: top-level pages, the navigation's among them, are
            # rendered directly.
            if "/" not in source.url.rstrip("/") or not shells:
                self._top.append((source.render(), src_uri(source.url) in nav_paths))
            else:
                self._shell_sources.append(source)
        self._shell_keys = sorted({shell_key(source.url) for source in self._shell_sources}
                                  .union(*(series.shells for series in self._shell_series)))

    def _theme_inputs(self, config) -> str:
        """Everything mkdocs' part of the build renders, hashed: mkdocs.yml and the build's options, our code and the
        overrides (the run's code fingerprint), the site's identity, the navigation, the pages mkdocs renders and
        the shells' keys, and every file of the hand-written pages."""
        docs = Path(config.docs_dir)
        pages = files_below(docs)
        # Not whether the build reuses anything (``full``): a full build renders what any other would, and the build
        # after `gongkai build --full` rendered everything again with mkdocs.
        options = dataclasses.replace(self.run.options, full=False)
        return digest(Path(config.config_file_path).read_bytes(), repr(options), self.run.code,
                      repr(self.run.site.catalog.site), repr(config.nav), repr(self._shell_keys),
                      *(repr(top) for top in self._top),
                      *(f"{path.relative_to(docs)}\0{digest(path.read_bytes())}" for path in pages))

    def _options(self, config_dir: Path) -> BuildOptions:
        text = self.config.catalog_today
        try:
            today = dt.date.fromisoformat(text) if text else dt.date.today()
        except ValueError:
            raise PluginError(f"catalog_today “{text}”不是有效日期，请写成 YYYY-MM-DD") from None
        return BuildOptions(config_dir / self.config.catalog_dir, today, self.config.catalog_provisional,
                            self.config.build_full)

    # The columns (and, with page_shells off, every page) are generated files that mkdocs renders as ordinary
    # pages; every other page is written into a shell that mkdocs renders once per kind of URL (see shells.py).
    def on_files(self, files, *, config):
        if not self.config.enabled:
            return files
        # The theme's template, or an office's own file of that name in its pages, which ours would write over.
        if (theme_sitemap := files.get_file_from_path(THEME_SITEMAP)) is not None:
            files.remove(theme_sitemap)
        self._content_urls = [unquote(f.url) for f in files.documentation_pages()]
        self._rendered, self._shell_uris, self._shells = {}, {}, {}
        for page, in_nav in self._top:
            self._generate(files, config, page, in_nav)
        for key in self._shell_keys:
            page = shell_page(key)
            self._shell_uris[page.src_uri] = key
            self._generate(files, config, page, False)
        return files

    # What the theme's templates (overrides/) show of every page: its <meta> tags of the 《政府网站发展指引》 and the
    # site's identity in the footer. Set before any page is rendered, 404.html included.
    @_translated
    def on_env(self, env, *, config, files):
        if self.config.enabled:
            _check_named_templates(env, files)
            env.bytecode_cache = self.run.site.templating.env.bytecode_cache  # the theme's, beside ours
            env.globals["gk_meta"] = self._meta_html
            env.globals["gk_identity"] = Identity.of(self.run.site.catalog.site)
        return env

    def _meta_html(self, page) -> Markup:
        """A page's <meta> tags: ours for the pages we generate (a hole for the shells), the site's for the others,
        and a column's for a hand-written page whose front matter names its ``column_type``."""
        site = self.run.site.catalog.site
        if page is None or not hasattr(page, "file"):  # 404.html and other static templates
            return Markup(render_tags(page_tags(site, "404.html")))
        if generated := self._rendered.get(page.file.src_uri):
            return Markup(meta_html(generated))
        column_type = page.meta.get("column_type") if page.meta else None
        column = None
        if column_type in COLUMN_TYPES:
            title = page.title or ""
            # A description written as a number (description: 2026) is that text, as the page states it.
            description = page.meta.get("description")
            column = Column(title, str(description) if description not in (None, "") else title, (title,), column_type)
        elif column_type:
            log.warning(f"{page.file.src_uri}: column_type “{column_type}”不是《政府网站发展指引》的栏目类型，"
                        f"可选：{'、'.join(COLUMN_TYPES)} (unknown column type)")
        return Markup(render_tags(page_tags(site, page.url, column)))

    def _generate(self, files, config, page: SitePage, in_nav: bool) -> None:
        self._rendered[page.src_uri] = page
        inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, page.src_uri, content=page.markdown(), inclusion=inclusion)
        if page_file(page.url) == page.url:  # a page that is a file (items/x.html): mkdocs would make it a folder
            file.dest_uri = page.url
        files.append(file)

    # A page is read here as mkdocs reads it, so that one saved in another encoding (GBK, by an older editor) is named
    # with what to do: mkdocs raised UnicodeDecodeError, which named no file and was shown as an internal error.
    # First of every plugin's: one that gives a page's text of its own still replaces this.
    @event_priority(100)
    @_translated
    def on_page_read_source(self, *, page, config):
        if not self.config.enabled:
            return None
        try:
            return page.file.content_string
        except UnicodeDecodeError as error:
            line = error.object[:error.start].count(b"\n") + 1
            raise ProjectFileInvalid(f"{display_path(page.file.abs_src_path)}:{line}: 页面不是 UTF-8 编码，网站未更新："
                                     f"请在编辑器中把它另存为 UTF-8 编码后保存 (the page is not saved as UTF-8)") from None

    # An extra template (mkdocs.yml's extra_templates: robots.txt, a page of the office's own) is compiled by mkdocs
    # from its text, its frames named <template>: a mistake in it was 内部错误. Compiled again from its file, under
    # the file's name, it is named at its file and line as any template of the office's (pipeline.build).
    def on_pre_template(self, template, *, template_name, config):
        path = Path(config.docs_dir) / template_name
        if not self.config.enabled or template_name not in config.extra_templates or not path.is_file():
            return template
        environment = template.environment
        source = path.read_bytes().decode("utf-8-sig")  # as mkdocs read it (File.content_string)
        code = environment.compile(source, template_name, str(path))
        return environment.template_class.from_code(environment, code, environment.make_globals(None))

    # Our content is HTML already: it replaces what Markdown made of the placeholder.
    def on_page_content(self, html, *, page, config, files):
        if not self.config.enabled or page.file.src_uri not in self._rendered:
            return html
        return self._rendered[page.file.src_uri].html

    @_translated
    def on_post_page(self, output, *, page, config):
        if self.config.enabled:
            if key := self._shell_uris.get(page.file.src_uri):
                self._shells[key] = Shell.parse(output, key, config.site_url or None)
            else:
                self.run.page_done()
        return output

    # Shells are complete once mkdocs has built; everything else of ours is written into the same output, which then
    # becomes the site. Last of every plugin's: one that writes its files after the build (Material's search) had
    # written them into a folder already swapped out, and removed meanwhile (found by a test that failed once).
    @event_priority(-100)
    @_translated
    def on_post_build(self, *, config):
        if not self.config.enabled:
            return
        warnings = self._warnings.stop()
        output = Path(config.site_dir)
        for shell in {output / shell_output(key) for key in self._shells}:
            if shell.is_dir():
                shutil.rmtree(shell)
            else:
                shell.unlink()
        # Looked at before our own files are written beside them.
        made = tuple(str(path.relative_to(output)) for path in sorted(output.rglob("*")) if path.is_file())
        fingerprint = _theme_fingerprint(self._shells, Path(config.config_file_path), self.run.code)
        self.run.cache.theme = ThemeOutput(self._inputs, made, self._shells, self._content_urls,
                                           config.site_url or None, fingerprint, warnings)
        self.run.finish(self._shell_sources, self._shell_series, self._shells, self._content_urls,
                        config.site_url or None, fingerprint)

    def on_build_error(self, *, error):
        if self._warnings:
            self._warnings.stop()
        if self.run:
            self.run.abort()


def _inputs_known(config) -> bool:
    """Whether ``_theme_inputs`` holds everything mkdocs renders from: gongkai is the only plugin (another, or an
    office's hooks, which mkdocs loads as plugins, may act on every page), every Markdown extension reads nothing
    but the page, and mkdocs.yml neither inherits another file (INHERIT) nor reads the environment (!ENV)."""
    text = Path(config.config_file_path).read_bytes()
    return (list(config.plugins) == [PLUGIN_NAME] and all(map(_reads_only_its_page, config.markdown_extensions))
            and b"INHERIT" not in text and b"!ENV" not in text)


# Python-Markdown's own extensions, which read nothing but the page they render.
_MARKDOWN_OWN = frozenset({"abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code",
                           "footnotes", "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists",
                           "smarty", "tables", "toc", "wikilinks"})


# pymdown-extensions that read other files: snippets includes them (Material's glossary, `--8<-- "notice.md"`), b64
# inlines images from anywhere below its base_path.
_PYMDOWNX_READING = frozenset({"pymdownx.snippets", "pymdownx.b64"})


def _reads_only_its_page(extension: object) -> bool:
    """Whether a Markdown extension renders from the page alone: Python-Markdown's, pymdown-extensions' and
    Material's, except those that read other files (found in review: a page left as it was after the file it
    includes, or the image it inlines, changed). Any other may read anything."""
    if not isinstance(extension, str):
        return False
    name = extension.removeprefix("markdown.extensions.").split(":")[0]  # also written module:Class
    return name in _MARKDOWN_OWN or (name.startswith(("pymdownx.", "material.extensions."))
                                     and name not in _PYMDOWNX_READING)


class _Warnings(logging.Handler):
    """What mkdocs' loggers (ours among them) say at WARNING and above while mkdocs renders, for a build that leaves
    mkdocs out to say again (a hand-written page's broken link, an unknown column_type): a warning stays visible."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[tuple[str, int, str]] = []
        logging.getLogger("mkdocs").addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.name, record.levelno, record.getMessage()))

    def stop(self) -> tuple[tuple[str, int, str], ...]:
        logging.getLogger("mkdocs").removeHandler(self)
        return tuple(self.seen)


def _theme_fingerprint(shells: dict[ShellKey, Shell], config_file: Path, code: str) -> str:
    """Everything that shapes every page: the theme as rendered into the shells, mkdocs.yml, our code and
    templates and the office's overrides (``code``). When it changes, the build cache reuses nothing."""
    return digest(config_file.read_bytes(), code,
                  *(part for key in sorted(shells) for part in (key, *shells[key].parts)))
