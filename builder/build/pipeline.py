"""The one place that knows the order of a build's steps: load the catalog, validate it, then build the site.

`gongkai build` and `mkdocs build` take the same path: both run mkdocs, whose gongkai plugin starts a
``BuildRun`` from its options in ``on_config`` and hands each later step to it. The other commands use
``load`` and ``load_validated`` alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import functools
import grp
import itertools
import logging
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import search

from ..audit.audit import run_audit
from ..check.validate import CheckedItems, checked_years, problems_found
from ..errors import (
    GongkaiError,
    Problem,
    ProjectFileInvalid,
    display_path,
    ordered_problems,
)
from ..model.catalog import KEPT_REDUCTIONS, Catalog, Item
from ..model.fields import InPartTable
from ..model.load import (
    CatalogFiles,
    ChangedItems,
    ItemFolder,
    ParsedFiles,
    load_catalog,
    scan_items,
)
from ..report.published import recorded_problems
from ..rules.workdays import WorkCalendar
from ..site.feeds import feed_specs, feed_writers
from ..site.files import site_files
from ..site.pages import build_site
from ..site.participation import (
    participation_feeds,
    site_search_documents,
)
from ..site.shells import Shell, ShellKey
from ..site.sitemap import write_sitemap
from ..site.structure import PageSeries, PageSource
from ..site.templating import Templating, office_template_error
from ..site.urls import entry_addresses, item_addresses, url_problems
from ..site.views import ItemView, KeptViews, Site, published_views
from ..util import KeptByIdentity, no_gc, resolved
from .cache import BuildCache, Journal, Parts
from .compiled import compiled_templates
from .fingerprint import code_fingerprint
from .index_job import IndexProcess, SearchIndexJob, mapped_for
from .pools import fork_map, send_in_background, start_index_server, worker_count
from .writer import file_writers, write_pages

# ------------------------------------------------------------ loading and validating


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A catalog as read, its calendar, and every problem found (validation's too, once validated)."""

    catalog: Catalog
    calendar: WorkCalendar
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


class CatalogUnusable(GongkaiError):
    """The catalog could not be read at all (its folder is missing): nothing else can be said of it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


class CatalogInvalid(GongkaiError):
    """The catalog has errors (each logged where it was found): nothing is built and the site stays as it was."""

    def __init__(self, errors: list[Problem], site_dir: Path | None = None) -> None:
        self.errors = errors
        unchanged = f"，{display_path(site_dir)} 保持不变" if site_dir else ""
        super().__init__(f"目录有 {len(errors)} 个错误，网站未生成{unchanged} (the catalog has errors; the site was not built)")


def load(catalog_dir: Path, provisional: bool, catalog_files: CatalogFiles | None = None) -> Loaded:
    """Every file of the catalog, read and checked against its schema (not yet against the rules)."""
    catalog, problems = load_catalog(catalog_dir, catalog_files)
    if catalog is None:
        raise CatalogUnusable(problems)
    # Where the calendar is loaded: every command that counts with it (due, requests, validate, build) says so.
    usable, found = checked_years(catalog.holidays, catalog.holidays_file)
    return Loaded(catalog, WorkCalendar(usable, catalog.holidays_file, provisional), problems + found)


def load_validated(catalog_dir: Path, today: dt.date, provisional: bool, catalog_files: CatalogFiles | None = None,
                   checked: tuple[CheckedItems, CheckedItems] | None = None) -> Loaded:
    """The catalog with every problem, loading and validation together, sorted. ``catalog_files`` and ``checked``:
    what the last build read and found, and where this one records it."""
    return validated(load(catalog_dir, provisional, catalog_files), today, checked)


def validated(loaded: Loaded, today: dt.date, checked: tuple[CheckedItems, CheckedItems] | None = None,
              changed: ChangedItems | None = None) -> Loaded:
    """``loaded`` with the problems validation finds beside those of loading, sorted. ``changed``: the items of the
    item files changed since the build ``checked`` holds (``CatalogFiles.changed_items``)."""
    catalog_check, reports_check, addresses_check = _validation_checks(loaded, today, checked, changed)
    if addresses_check is None:
        return _with_problems(loaded, [catalog_check(), reports_check()])
    # In a large catalog the first two checks are long (100,000 items: ~0.6 s and ~0.3 s): the addresses are checked
    # by a forked worker.
    workers = None if _shares_cores(loaded.catalog) else 1
    return _with_problems(loaded, fork_map(_call, None, [catalog_check, addresses_check, reports_check], workers))


_Check = Callable[[], list[Problem]]


def _validation_checks(loaded: Loaded, today: dt.date, checked: tuple[CheckedItems, CheckedItems] | None,
                       changed: ChangedItems | None) -> tuple[_Check, _Check, _Check | None]:
    """Validation's checks, of which none needs another: the catalog's (``problems_found``), the published reports
    compared with what the catalog computes now (report/published.py), and its addresses, unless what they would
    find is known. The first must run in the calling process: it records what it found for the next build
    (``checked``), and a provisional calendar which estimated years it was asked about.

    The addresses' problems are all errors, so a build that succeeded found none: when the entries besides the item
    files claim what they did then and every item file changed since (``changed``) claims what it did, the check
    would find none again. Not run then (a change at 100,000 items: a pass of every item, ~0.3 s, in a worker forked
    for it, whose fork made the build's next steps fault on the pages they touched; docs/decisions.md)."""
    previous, current = checked or (CheckedItems(), CheckedItems())
    current.addresses = entry_addresses(loaded.catalog)
    clear = (bool(previous.addresses) and previous.addresses == current.addresses and changed is not None
             and all(item_addresses(before) == item_addresses(after) for before, after in changed))
    return (functools.partial(problems_found, loaded.catalog, loaded.calendar, today, checked, changed),
            functools.partial(recorded_problems, loaded.catalog, today),
            None if clear else functools.partial(url_problems, loaded.catalog))


def _with_problems(loaded: Loaded, found: Iterable[list[Problem]]) -> Loaded:
    """``loaded`` with the problems the checks ``found`` (each check's) beside those of loading, sorted."""
    return dataclasses.replace(loaded, problems=ordered_problems(itertools.chain(loaded.problems, *found)))


# ------------------------------------------------------------ building


@dataclasses.dataclass
class Kept:
    """What a build keeps of reading, checking and viewing the catalog for the next one (build/cache.py stores its
    parts, each state in one pickle: a view's item is the very object parsed)."""

    files: ParsedFiles = dataclasses.field(default_factory=ParsedFiles)
    checks: CheckedItems = dataclasses.field(default_factory=CheckedItems)
    views: KeptViews = dataclasses.field(default_factory=KeptViews)

    def parts(self) -> Parts:
        return {"parsed": self.files.parsed, "lists": self.files.lists,
                "copied": self.files.copied, "reports": self.files.reports, "checks": self.checks.problems,
                "checked_requests": self.checks.requests,
                "context": {"": self.checks.context}, "addresses": {"": self.checks.addresses},
                "views": self.views.views, "views_context": {"": self.views.context}, "root": {"": self.files.root},
                # Last: its rows are the views above, which the pickle then refers to.
                "site_listings": self.views.listings}

    # What is saved with a base only (``BuildCache.save_parts``): the listings' rows are the base's views; saved with
    # its changes, they would be copies of them, which no view of the next build is (``make_listings``).
    BASE_ONLY = ("site_listings",)

    @staticmethod
    def base_reductions(parts: Parts) -> dict:
        """How a base of ``parts`` is pickled (``BuildCache.save_parts``): the items parsed as one table of columns,
        which the views and listings pickled after them refer to (fields.InPartTable)."""
        items = [entry[0] for entry in parts.get("parsed", {}).values()]
        return KEPT_REDUCTIONS | {Item: InPartTable(Item, items).reduction}

    @classmethod
    def of(cls, parts: Parts, journal: Journal | None = None) -> Kept:
        """What ``parts`` made (the same dictionaries); empty parts when there are none. The item files' statuses are
        kept apart (``BuildCache.load_statuses``). ``journal``: how ``parts`` were read, their changes since the base
        last in each part (``BuildCache.load_parts``); none, parts as a build kept them, every view in order."""
        views = parts.get("views", {})
        moved = journal.changed("views") if journal else 0
        return cls(ParsedFiles(parts.get("parsed", {}), {}, parts.get("lists", {}),
                               parts.get("copied", {}), parts.get("root", {}).get("", ""), parts.get("reports", {})),
                   CheckedItems(parts.get("context", {}).get("", ""), parts.get("checks", {}),
                                parts.get("addresses", {}).get("", ""), parts.get("checked_requests", {})),
                   KeptViews(parts.get("views_context", {}).get("", ()), views, settled=len(views) - moved,
                             listings=parts.get("site_listings", {})))


@dataclasses.dataclass
class Memory:
    """What a long-running process (`gongkai serve`) keeps of its last build, so that the next one finds it in
    memory rather than unpickling it from the cache (~0.25 s at 10,000 items, ~2–3 s at 100,000 with the views)."""

    code: str = ""  # the code fingerprint it was made by
    kept: Kept | None = None
    # How the cache on disk stands; none known (the next save writes a new base) from when a build replaces what
    # is kept until it saves.
    journal: Journal = dataclasses.field(default_factory=Journal)
    documents: KeptByIdentity = dataclasses.field(default_factory=KeptByIdentity)  # view → its search document
    index: IndexProcess | None = None  # writes each build's search index, its memory mapped already

    def index_process(self, in_place: bool) -> IndexProcess | None:
        """The process to write this build's search index: for a build that changes the site in place, the last
        build's (or a new one, kept); for a build of the whole site, none, and none kept. That build's own index
        process ends before its page writers are forked, giving its memory back; a kept one would hold it (at
        100,000 items the first build's summed PSS peak rose 1,417 → 1,657 MB)."""
        if not in_place:
            self.close()
            return None
        self.start_index()
        return self.index

    def start_index(self, documents: int = 0) -> None:
        """Start the index process the next build will use unless it is running. ``documents``: how many the last
        build indexed, when it is started while nobody waits (`gongkai serve`, after a build of the whole site, which
        ends it): a new process maps the memory a range of them takes first."""
        if self.index is None or not self.index.usable():
            self.close()
            self.index = IndexProcess(mapped_for(documents))

    def close(self) -> None:
        if self.index is not None:
            self.index.close()


@dataclasses.dataclass(frozen=True)
class BuildOptions:
    """What a build is asked for: the plugin's options (mkdocs.yml, or `gongkai build`'s arguments)."""

    catalog_dir: Path
    today: dt.date
    provisional: bool = False
    full: bool = False  # reuse nothing of the last build


@dataclasses.dataclass(frozen=True)
class BuildSummary:
    pages: int
    feeds: int
    seconds: float
    site_dir: Path


class BuildRun:
    """One build of the site, from a validated catalog to the site directory.

    ``start`` loads and validates the catalog and starts the search index; the mkdocs plugin then lets mkdocs
    render the theme into ``output_dir`` and calls ``finish``, which writes our pages, files, feeds and index and
    makes ``output_dir`` the site. ``abort`` leaves the site as it was."""

    def __init__(self, options: BuildOptions, site: Site, cache: BuildCache, index: SearchIndexJob,
                 code: str, catalog_files: CatalogFiles, checked: tuple[CheckedItems, CheckedItems],
                 viewed: tuple[KeptViews, KeptViews], journal: Journal, memory: Memory | None, log: logging.Logger,
                 lock: SiteLock, started: float) -> None:
        self.options = options
        self.site = site
        self.cache = cache
        self.index = index
        self.code = code
        self.catalog_files = catalog_files
        self.checked = checked
        self.viewed = viewed  # the last build's views, and this one's
        self.journal = journal
        self.memory = memory
        self.log = log
        self.lock = lock
        self.output_dir = cache.begin()
        self.pages_written = 0
        self._started = started  # when it started loading the catalog

    @classmethod
    def start(cls, options: BuildOptions, site_dir: Path, custom_dir: Path | None, log: logging.Logger,
              sources: dict[tuple[str, str], Path], memory: Memory | None = None) -> BuildRun:
        """Check that ``site_dir`` may be replaced (``sources``: the folders it must keep clear of, by their name
        for messages), wait for any other build of it, load and validate the catalog (``CatalogInvalid`` on
        errors; warnings go to ``log``), plan the site and start its search index."""
        check_output_dir(site_dir, {CATALOG: options.catalog_dir, **sources})
        lock = SiteLock(site_dir, log)
        try:
            return cls._start(options, site_dir, custom_dir, log, lock, memory)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _start(cls, options: BuildOptions, site_dir: Path, custom_dir: Path | None, log: logging.Logger,
               lock: SiteLock, memory: Memory | None) -> BuildRun:
        started = time.perf_counter()  # what the build took, from here: not the wait for another build's lock
        start_index_server()
        cache = BuildCache(site_dir, read=not options.full)
        cache.remove_leftovers()  # no other build of the site is running
        code = code_fingerprint(custom_dir)
        # `gongkai serve` scans its item files in ``load_items``, and looks for the site's gone files when it keeps the
        # first page: a worker forked from its process, which holds the whole catalog, cost more than it saved.
        scanned = None
        if memory and memory.kept and memory.code == code and not options.full:
            kept, journal = memory.kept, memory.journal
        else:
            kept, journal, scanned = _kept_parts(cache, code, options.catalog_dir, memory is not None)
            if memory is not None:
                memory.documents = KeptByIdentity()
        if kept.files.root != str(resolved(options.catalog_dir)):
            # A catalog moved, or copied with its site (or the project renamed while `gongkai serve` runs): what was
            # parsed names the files where they were (an attachment would be outside the catalog, or the old copy's).
            # Read afresh, saved as a new base.
            kept, journal = Kept(), Journal()
        catalog_files = CatalogFiles(kept.files, parallel=fork_map, scanned=scanned)
        checked = (kept.checks, CheckedItems())
        loaded = load(options.catalog_dir, options.provisional, catalog_files)
        changed = catalog_files.changed_items()
        # `gongkai build`'s index process is the build's own, and the index is what a build below
        # PARALLEL_STEPS_FROM waits for last: it begins before validation rather than after it (10,000 items: ~0.6 s
        # earlier in a build of the whole site), on the other core, which validation left idle. Should the catalog
        # prove invalid, the index is stopped with the build. `gongkai serve` validates first: its index process is
        # kept from save to save, and a save with a mistake would end it. A large catalog shares its steps otherwise.
        index_first = memory is None and not loaded.errors and not _shares_cores(loaded.catalog)
        index: SearchIndexJob | None = None
        viewed = dataclasses.replace(kept.views)  # the last build's views, replaced by this one's
        try:
            if index_first:
                # Views and documents are made from a catalog that loads but may not validate: what loads has the
                # types they need (the fuzz tests build damaged catalogs this way).
                index = SearchIndexJob(cache, code)
                views = cls._views(loaded, options.today, viewed)
                # Every document is new when no view was kept (a build of the whole site): made by a worker.
                loaded = cls._validated_beside_documents(loaded, options.today, checked, changed, views, index,
                                                         forked=not kept.views.views)
            else:
                loaded = validated(loaded, options.today, checked, changed)
            problems = log.getChild("problems")  # `gongkai build` prints them where `gongkai validate` does
            for line in build_lines(loaded.problems):
                problems.info(line)
            if loaded.errors:
                raise CatalogInvalid(loaded.errors, site_dir)  # what is kept stays the last good build's
            if memory is not None:
                # The copied files' digests are learnt when the site is written: until then (and if this build
                # fails), the last build's, which describe the files and not the site
                kept_now = Kept(dataclasses.replace(catalog_files.current, copied=kept.files.copied), checked[1],
                                kept.views)
                # What the cache on disk holds is known again once this build saves it (``finish``). Should the
                # build fail, the next one cannot write its changes against what this one kept: it writes a new base.
                memory.code, memory.kept, memory.journal = code, kept_now, Journal()
            log.info(f"校验通过：{len(loaded.catalog.items)} 条公开事项，{len(loaded.problems)} 个警告 "
                     f"(validated: {len(loaded.problems)} warnings)")
            if note := loaded.calendar.estimated_note():  # of the warnings above: the site shows no estimate
                log.info(note)
            templating = Templating(custom_dir, compiled_templates(code, cache.folder / "templates"),
                                    loaded.catalog.site.url or None)

            def plan() -> Site:
                with no_gc(freeze=True):
                    return build_site(loaded.catalog, loaded.calendar, options.today, views, templating,
                                      kept.views.listings)

            if index_first:
                site = plan()
            else:
                # The index process begins now: it reads the last build's index while the views and documents are
                # made.
                index = SearchIndexJob(cache, code, memory.index_process(cache.in_place) if memory else None)
                views = cls._views(loaded, options.today, viewed)
                if memory is not None:
                    memory.kept.views = viewed

                hand_over = functools.partial(cls._index_begun, views, loaded, options.today, memory, index)
                if memory is None and not kept.views.views:
                    # A build of the whole site of a catalog of PARALLEL_STEPS_FROM items or more (the index did
                    # not go first): the plan is long (100,000 items: ~1.5 s), and every document is new (~1.2 s to
                    # make and ~0.6 s to hand over). They share only the views' digests (the keys of their pages,
                    # rows and documents), made here first: what the worker makes is lost to this process. A forked
                    # worker then hands the documents over and submits the job while this process plans: fork_map
                    # keeps the first task for the calling process, and the plan is far too large to send back.
                    for view in views:
                        view.digest  # a cached property: made here once, for both
                    site, _ = fork_map(_call, None, [plan, hand_over])
                else:
                    # After a change the documents are a few ranges' (~0.2 s at 100,000 items), and the index is
                    # the longest job: it begins before the plan. Made by a worker, they were submitted once the
                    # plan was done, and the build then waited 0.5–0.7 s for the index; and the fork of the ~1 GB
                    # process made every page the plan touched fault again (72,000 faults in the plan against
                    # 18,000). One change at 100,000 items on tmpfs, eight alternating pairs: 7.51 s (6.95–8.72)
                    # against 8.65 (7.79–12.93), faster in all eight; a hundred changes, four pairs: 12.99 against
                    # 14.20 s (docs/decisions.md). `gongkai serve` keeps the documents it made (``memory``).
                    hand_over()
                    site = plan()
            viewed.listings = site.listings  # kept with the views they show (`gongkai serve`: in memory)
            return cls(options, site, cache, index, code, catalog_files, checked, (kept.views, viewed), journal,
                       memory, log, lock, started)
        except BaseException:
            if index is not None:
                index.stop()
            raise

    @staticmethod
    def _views(loaded: Loaded, today: dt.date, viewed: KeptViews) -> list[ItemView]:
        """The published items' views, recorded in ``viewed`` for the next build. Made without the cyclic
        collector, then frozen as the catalog is: with the documents and the plan they live for the whole build and
        hold no cycles, and while they grew, full collections walked them again and again (at 100,000 items ~1 s of
        every rebuild of `gongkai serve`)."""
        with no_gc(freeze=True):
            return published_views(loaded.catalog, today, viewed)

    @classmethod
    def _validated_beside_documents(cls, loaded: Loaded, today: dt.date, checked: tuple[CheckedItems, CheckedItems],
                                    changed: ChangedItems | None, views: list[ItemView],
                                    index: SearchIndexJob, forked: bool) -> Loaded:
        """``loaded`` validated (``validated``), and the search documents made, handed over and the index submitted,
        before it or, ``forked``, meanwhile by a forked worker. Made here first, ten thousand documents held one core
        while the other waited for them: full builds of 10,000 items on tmpfs, 32 alternating pairs in three sets,
        took 7.08 s (5.74–7.97) against 7.18 (5.62–8.03), faster in 22, the median of the differences 0.125 s.
        Submitted by the worker, the index begins at once (submitted here after validation: faster in two of ten). A
        build after a change makes a range's documents (~0.03 s at 10,000 items), and forking for them made it slower
        (1.40 s against 1.375, slower in nine of twelve)."""
        def hand_over() -> list[Problem]:
            """A task beside the checks, which finds no problems."""
            cls._index_begun(views, loaded, today, None, index)
            return []

        if not forked:
            hand_over()
            return validated(loaded, today, checked, changed)
        for view in views:
            view.digest  # a cached property: made here once, for the worker's documents and the pages' keys
        catalog_check, reports_check, addresses_check = _validation_checks(loaded, today, checked, None)
        # fork_map keeps the first task for this process, and with two workers every other one after it: the
        # documents go to the forked worker, then the addresses (checked in a build of the whole site: nothing of
        # the last build is known).
        tasks = [catalog_check, hand_over, reports_check, addresses_check]
        return _with_problems(loaded, fork_map(_call, None, tasks))

    @staticmethod
    def _index_begun(views: list[ItemView], loaded: Loaded, today: dt.date, memory: Memory | None,
                     index: SearchIndexJob) -> None:
        """The search documents, which need only the published items, handed over, and the index's job submitted
        (``memory``: the documents the last build made; else only those ``index`` will read are made)."""
        with no_gc(freeze=True):
            if memory:
                documents = site_search_documents(views, loaded.catalog, today, memory.documents)
            else:
                documents = site_search_documents(views, loaded.catalog, today, wanted=index.wanted)
        index.hand_over(*documents)
        index.submit()

    def page_done(self) -> None:
        """A page mkdocs rendered itself (the columns)."""
        self.pages_written += 1

    def _keep(self, manifest_id: str) -> Journal:
        """Record for the next build what this one found: the site's folders (``manifest_id``: the committed
        manifest's), what it read, checked and viewed, the item files' statuses. Returns how what it read, checked and
        viewed stands on disk."""
        self.cache.record_folders(manifest_id)
        previous = Kept(self.catalog_files.previous, self.checked[0], self.viewed[0]).parts()
        journal = self.cache.save_parts(
            "items", Kept(self.catalog_files.current, self.checked[1], self.viewed[1]).parts(), previous, self.journal,
            self.code, {"parsed": self.catalog_files.renewed, "checks": self.checked[1].renewed,
                        "views": self.viewed[1].renewed}, base_only=Kept.BASE_ONLY,
            base_reductions=Kept.base_reductions)
        self._save_statuses()
        return journal

    def _save_statuses(self) -> None:
        """The record of the item files' statuses as this build's scan left it, where it changed and the scan's
        worker did not save it (``_kept_parts``). `gongkai serve` keeps it in memory, and saves it only when it had
        none on disk (its first build): a later `gongkai build` hashes the files saved since (a few), where saving
        100,000 entries took ~0.09 s of every save."""
        current, previous = self.catalog_files.current.status, self.catalog_files.previous.status
        if current != previous and (self.memory is None or not previous):
            self.cache.save_statuses(current, previous)

    def finish(self, shell_sources: list[PageSource], shell_series: list[PageSeries], shells: dict[ShellKey, Shell],
               content_urls: list[str], site_url: str | None, theme_fingerprint: str) -> BuildSummary:
        """Write everything that is ours into the output and make it the site: the pages written into shells
        (``shell_sources``, ``shell_series``), the files, feeds and sitemap, and the search index."""
        output, cache, site = self.output_dir, self.cache, self.site
        cache.fingerprint = theme_fingerprint
        others = [*file_writers(site_files(site), output, cache, self.catalog_files.copied_digest),
                  *feed_writers(site, output, site_url or "/", cache.reuse),
                  functools.partial(write_sitemap, site, content_urls, output, site_url, cache.reuse,
                                    cache.previous.get)]
        keys = write_pages(shell_sources, shell_series, shells, output, cache, self._count, cores_busy=self.index.busy,
                           others=others)
        kept = self.index.move_into(output / "search")
        cache.record(keys | {f"search/{path}": "" for path in kept})
        shutil.copyfile(search.CLIENT, output / "search" / "client.js")
        manifest_id = cache.commit()
        if cache.group_lost is not None:
            self.log.warning(group_lost_message(cache.site_dir, cache.group_lost))
        if self.memory is not None:  # `gongkai serve`: what it keeps is in memory, and the next save is its own
            self.memory.journal = self._keep(manifest_id)
            self.memory.kept.files.copied = self.catalog_files.current.copied  # learnt as the site was written
        elif len(site.catalog.items) >= PARALLEL_STEPS_FROM:
            cache.keep_in_background(functools.partial(self._keep, manifest_id))
        else:  # a small catalog's record is made sooner than a process is forked for it
            self._keep(manifest_id)
        self.lock.release()
        feeds = (len(feed_specs(site)) + len(participation_feeds(site))) * 2  # RSS and Atom each
        summary = BuildSummary(site.page_count, feeds, time.perf_counter() - self._started, cache.site_dir)
        # The catalog's side of the audit only: checking every link of the built site reads every page (10 s at
        # 10,000 items), which `gongkai audit` does when asked.
        with no_gc():
            self.log.info(run_audit(site.catalog, site.calendar, self.options.today, None, site).summary())
        self.log.info(f"完成：{summary.pages} 个页面，{summary.feeds} 个订阅源，用时 {summary.seconds:.1f} 秒 → "
                      f"{display_path(summary.site_dir)} (built)")
        return summary

    def abort(self) -> None:
        self.index.stop()
        self.cache.abort()
        self.lock.release()

    def _count(self, pages: int) -> None:
        self.pages_written += pages


def group_lost_message(site_dir: Path, group: int) -> str:
    """What staff are told when a new site could not be given the old one's group: a web server that reads the site
    as a member of that group (an office's 0750 with nginx's group) can no longer read it."""
    try:
        name = grp.getgrgid(group).gr_name
    except KeyError:  # a group the system no longer names
        name = str(group)
    return (f"网站目录 {display_path(site_dir)} 原属组 {name}，运行 gongkai 的用户不在该组中，新生成的网站未能保留该组："
            f"如网站服务器（如 nginx）靠该组读取网站，现已无法读取。请以该组成员运行 gongkai，或生成后执行 "
            f"chgrp -R {name} {display_path(site_dir)} (the site could not keep its group {name}: the user running "
            f"gongkai is not in it)")


# Items from which two steps that need nothing of each other run on both cores, one in a forked worker. Below,
# forking costs about what it saves, and after a change the index, started first, is what the build waits for.
PARALLEL_STEPS_FROM = 20_000


def _shares_cores(catalog: Catalog) -> bool:
    """Whether two steps that need nothing of each other run side by side, one in a forked worker."""
    return len(catalog.items) >= PARALLEL_STEPS_FROM and worker_count() > 1


def _kept_parts(cache: BuildCache, code: str, catalog_dir: Path, kept_in_memory: bool
                ) -> tuple[Kept, Journal, ItemFolder | None]:
    """What the last build kept, and, when it is being unpickled for a large site, the item files as they are now
    (``scan_items`` with the record of their statuses, which the worker saves as it now stands) and which of the
    site's files are gone (``BuildCache.missing_files``, sent to ``cache.missing_sent``), looked at meanwhile by a
    forked worker (at 100,000 items ~1.1 s against ~0.7, or with nothing in the system's cache ~3, 1.4–2.3 and
    0.5–0.7 s). This process is still small: forking it costs little. What comes back is every file's path and the
    digest of its bytes: the record itself, 100,000 statuses, is neither unpickled here nor compared, nor are the
    folders' listings, unless what is kept stays in memory for the next build (``kept_in_memory``: `gongkai serve`,
    whose later builds scan here)."""
    if len(cache.previous) < PARALLEL_STEPS_FROM:  # the last site's files, more than its items
        parts, journal = cache.load_parts("items", code)
        kept = Kept.of(parts, journal)
        kept.files.status, _ = cache.load_statuses()  # a small catalog's folders are listed each time
        return kept, journal, None

    build = os.getpid()
    receiver, sender = multiprocessing.Pipe(duplex=False)

    def look() -> tuple[ItemFolder, bool]:
        recorded, listed = cache.load_statuses()
        scanned = scan_items(catalog_dir / "items", recorded, listed)
        if scanned.digests is not None and (scanned.record != recorded or scanned.listings != listed):
            cache.save_statuses(scanned.record, recorded, scanned.listings, listed)
        # The site's files last, by a process of their own: the build needs them only when it writes, and waited for
        # them here (~0.13 s after a change at 100,000 items, which lists items/ and its 110,000 files). Not from
        # the build's own process (no worker: one core), which looks when it writes.
        sent = os.getpid() != build
        if sent:
            send_in_background(sender, cache.missing_files)
        # Not the record nor the folders' listings, saved above for the next look (4,400 folders' names at 100,000
        # items, which the build took ~0.035 s to unpickle and never read), unless its next look is `gongkai serve`'s.
        if kept_in_memory:
            return scanned, sent
        return dataclasses.replace(scanned, listings={}, record={}), sent

    (parts, journal), (scanned, sent) = fork_map(
        _call, None, [functools.partial(cache.load_parts, "items", code), look])
    sender.close()
    if sent:
        cache.missing_sent = receiver
    else:
        receiver.close()
    kept = Kept.of(parts, journal)
    kept.files.status = scanned.record  # as the worker left it on disk: not saved again (``_save_statuses``)
    return kept, journal, scanned


def _call(_shared: None, step: Callable[[], object]) -> object:
    """One step of ``fork_map``'s tasks."""
    return step()


# Advice that may hold for many items at once (a default validity running out or run out, topics outside the list):
# a build prints one line for each of these codes, `gongkai validate` and `gongkai due` every one. An office whose
# old documents state no validity has thousands of estimates (at 100,000 generated items 8,540 lines on every build,
# among which an error was lost).
SUMMARIZED = {"W-EXPIRING": ("个文件即将失效", "documents expire soon"),
              "W-VALIDITY-ESTIMATED": ("个文件未写明有效性、按默认有效期推算已失效，请核实后写明",
                                       "documents state no validity and are estimated to have ended"),
              "W-TOPIC-UNKNOWN": ("处主题分类不在主题分类表中", "topics outside the topic list")}


def build_lines(problems: list[Problem]) -> list[str]:
    """The problems as a build prints them: one line each, the SUMMARIZED codes one line per code."""
    lines = [p.format() for p in problems if p.code not in SUMMARIZED]
    for code, (zh, en) in SUMMARIZED.items():
        found = [p for p in problems if p.code == code]
        if found:
            lines.append(f"{found[0].path}:{found[0].line}: {code} 共 {len(found)} {zh}（第一处在此）："
                         f"逐条列表见 gongkai validate 或 gongkai due ({len(found)} {en})")
    return lines


class OutputDirUnsafe(GongkaiError):
    """The output folder would replace or lie among the office's own files."""


def check_output_dir(site_dir: Path, sources: dict[tuple[str, str], Path]) -> None:
    """A build replaces its output folder whole: refuse one that is or contains a source folder, or lies inside
    the catalog or the pages (mkdocs would read it as content). ``sources``: (中文, English) name → folder."""
    site = site_dir.resolve()
    for (name, name_en), folder in sources.items():
        folder = resolved(folder)
        if site == folder or folder.is_relative_to(site):
            raise OutputDirUnsafe(
                f"网站输出目录 {display_path(site_dir)} 是或包含{name} {display_path(folder)}：生成网站会替换整个输出目录，"
                f"其中的文件将全部丢失。请换一个专用的输出目录，例如 --site-dir site "
                f"(the output folder is or contains the {name_en}; choose a folder of its own)")
        if site.is_relative_to(folder) and (name, name_en) in (CATALOG, PAGES):
            raise OutputDirUnsafe(
                f"网站输出目录 {display_path(site_dir)} 位于{name} {display_path(folder)} 之内：请换到该目录之外 "
                f"(the output folder lies inside the {name_en})")


# The folders a build keeps clear of. An output folder may lie inside the project (site/ beside catalog/ and
# mkdocs.yml), never inside the catalog or the pages.
CATALOG = ("目录（catalog）", "catalog")
PAGES = ("页面目录（docs_dir）", "pages folder (docs_dir)")
CONFIG_FOLDER = ("配置文件所在目录", "folder of the config file")
WORKING_DIR = ("当前工作目录", "working directory")
OVERRIDES = ("模板覆盖目录（custom_dir）", "theme overrides (custom_dir)")


class SiteLock:
    """One build of a site at a time: a second one waits (and says so) rather than deleting the first one's work.
    Held on a file beside the site; the operating system releases it if the build is killed."""

    def __init__(self, site_dir: Path, log: logging.Logger) -> None:
        site = site_dir.resolve()
        site.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(site.with_name(f".{site.name}-gongkai.lock"), "w")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info(f"另一个 gongkai build 正在生成 {display_path(site_dir)}，等待其完成… "
                     f"(another build of this site is running; waiting)")
            fcntl.flock(self._file, fcntl.LOCK_EX)

    def release(self) -> None:
        if not self._file.closed:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()


def build(config_file: Path, site_dir: Path, options: BuildOptions, memory: Memory | None = None) -> None:
    """`gongkai build`: mkdocs with ``config_file`` into ``site_dir``, its gongkai plugin given ``options`` as if
    written in mkdocs.yml (and ``memory``, kept by a process that builds again and again). Messages go to mkdocs'
    loggers; mkdocs raises ``Abort`` when the build stops. A mkdocs.yml or a template of the office's own (its
    overrides or pages) saved with a mistake is ``ProjectFileInvalid``, the office's to correct: `gongkai serve`
    showed it as an internal error and ended. A mistake in a template of gongkai's own or the theme's is a bug."""
    from mkdocs.exceptions import ConfigurationError, MkDocsException

    try:
        _build(config_file, site_dir, options, memory)
    except ConfigurationError as error:
        raise ProjectFileInvalid(f"{display_path(config_file)} 有错误，网站未更新：{error}。请改正后保存 "
                                 f"(the config file cannot be read)") from None
    except (GongkaiError, MkDocsException):  # ours, or mkdocs' Abort after what it has said
        raise
    except Exception as error:  # a template's mistake need not be Jinja's: {{ 1 // 0 }} raises ZeroDivisionError
        if (invalid := office_template_error(error, project_folders(config_file))) is None:
            raise
        raise invalid from None


def _build(config_file: Path, site_dir: Path, options: BuildOptions, memory: Memory | None) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    # Loaded with its own site_dir, so that mkdocs' check of ours against docs_dir, which speaks English only, does
    # not run: ours does, in Chinese, here and again in the plugin (for `mkdocs build` too).
    config = load_config(str(config_file))
    check_output_dir(site_dir, {CATALOG: options.catalog_dir, CONFIG_FOLDER: config_file.resolve().parent,
                                WORKING_DIR: Path.cwd(), PAGES: Path(config.docs_dir)})
    # Relative to the working directory, as every path staff give on the command line (mkdocs would take it
    # relative to mkdocs.yml).
    config.site_dir = str(site_dir.resolve())
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise GongkaiError(f"{display_path(config_file)} 没有启用 gongkai 插件：请在 plugins: 下加入 - {PLUGIN_NAME} "
                           f"(the gongkai plugin is not enabled)")
    plugin.config.catalog_dir = str(resolved(options.catalog_dir))
    plugin.config.catalog_today = options.today.isoformat()
    plugin.config.catalog_provisional = options.provisional
    plugin.config.build_full = options.full
    plugin.memory = memory
    try:
        if plugin.finish_without_mkdocs(config):
            return
    except GongkaiError as error:  # reported as mkdocs reports a plugin's error in its build: logged, aborted
        logging.getLogger("mkdocs.commands.build").error(str(error))
        raise Abort("Aborted with a BuildError!") from None
    try:
        mkdocs_build(config)
    except Abort as abort:
        # mkdocs says why a strict build stopped only in the exception, which its own CLI prints and ours does not;
        # the site is already the one just built (its last step, our files, came before mkdocs counted the warnings).
        if config.strict and str(abort).endswith("in strict mode!"):
            logging.getLogger("mkdocs.commands.build").error(
                f"mkdocs.yml 设置了 strict: true，以上警告按错误处理，命令以失败结束（网站已按本次生成更新）：请修正这些警告，"
                f"或删去 strict: true ({abort})")
        raise
    except BaseException as error:
        # mkdocs' build runs on_build_error, which abandons our run, for an Exception only: Ctrl+C, or SIGTERM
        # (`gongkai serve` raises KeyboardInterrupt for it), left its staging and index folders beside the site.
        if not isinstance(error, Exception):
            plugin.on_build_error(error=error)
        raise


def project_folders(config_file: Path) -> list[Path]:
    """The folders besides the catalog whose files a build reads: the pages (docs_dir) and the theme's overrides
    (custom_dir), where mkdocs.yml puts them. None when it cannot be read: the build says why."""
    from mkdocs import exceptions
    from mkdocs.config import load_config

    try:
        config = load_config(str(config_file))
    except (exceptions.MkDocsException, OSError):
        return []
    custom_dir = config.theme.custom_dir
    return [Path(config.docs_dir), *([Path(custom_dir)] if custom_dir else [])]


PLUGIN_NAME = "gongkai"  # as registered in pyproject.toml's mkdocs.plugins entry points
