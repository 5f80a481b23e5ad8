"""Loading a catalog directory into the typed model of ``catalog``.

Loading never raises on bad input: each file that cannot be read or checked
adds problems and is left out, so one broken file does not hide the others.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import operator
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar

from search.hashing import file_digest

from .. import statute
from ..errors import CatalogChanged, Location, Problem, display_below, display_path
from ..util import (
    FileStatus,
    Listings,
    file_status,
    is_folder,
    no_gc,
    settled,
    status_of,
    walk_once,
)
from .catalog import (
    FEE,
    ITEM,
    ORGAN,
    POWER,
    RECORDED_SUFFIX,
    RELEASE,
    REPORT_SOURCE,
    REQUEST,
    SITE,
    SITE_CONFIG,
    Attachment,
    Catalog,
    Item,
    Organ,
    RecordedFile,
    ReportSource,
    SiteConfig,
)
from .fields import (
    DATES,
    Record,
    Schema,
    complete,
    link_warnings,
    list_example,
    make,
    read,
    record_texts,
)
from .holidays import load_holidays
from .participation import CONSULTATION, HOTLINE_CASE, Consultation, ConsultationFile
from .paths import RealPaths
from .personal_data import identity_numbers
from .references import unknown_organ
from .settings import Settings, make_settings
from .skeleton import unfilled_body
from .source import (
    LocatedDict,
    LocatedList,
    load_front_matter_file,
    load_yaml_file,
    read_file,
    unreadable_problem,
)

Mapper = Callable[[Callable, object, list], Iterable]  # like build.pools.fork_map: f(shared, task) per task
Key = tuple[str, str]  # a file's path as shown and the SHA-1 of its bytes: what it was parsed from
# The items of the item files changed since the last build: (as it made them, as this one did), None where a file
# made none or was not there (``CatalogFiles.changed_items``).
ChangedItems = list[tuple[Item | None, Item | None]]
# What a file the last build did not make anything of (or whose item must be made again) is looked up as: no item,
# no problems, no record; parsed then.
NOT_KEPT: tuple = (None, (), None)
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)
ListFile = tuple[list, list[Problem], list[Record]]  # a list file's entries, problems, records of entries not made
YamlFile = tuple[str, object, list[Problem]]  # a YAML file's path as shown, its data, its problems
T = TypeVar("T")


class CatalogFiles:
    """Item and list files as the last build parsed them, by path and content: an unchanged file is not parsed
    again. (Parsing is pure: the same bytes at the same path always give the same item, entries and problems.)
    And the digests of the files the site copies.

    An item file whose status (times, size, inode) is what it was when the last build read it is not even read again:
    reading and hashing 100,000 files took ~1.5 s of every build. The status is trusted only for files last
    changed well before they were read (``util.SETTLED_NS``), as git trusts its index: a file saved twice within one
    tick of the clock keeps its modification time, but not a status taken before the first save. The record of
    what the files held by their statuses is the scan's (``scan_items``): kept apart from what was parsed, it is read
    and compared by the worker that scans a large catalog's files, and what comes here is each file's digest.
    ``parallel`` maps chunks of a large catalog read for the first time onto worker processes."""

    def __init__(self, previous: ParsedFiles | None = None, parallel: Mapper | None = None,
                 scanned: ItemFolder | None = None) -> None:
        """``scanned``: the item folder as ``scan_items`` found it, when the caller looked already."""
        self.previous = previous or ParsedFiles()
        self.current = ParsedFiles()
        self._parallel = parallel
        self._scanned = scanned
        # Where the kept items' attachments are now (``_attachments_moved``), and what it learnt of their files, which
        # the catalog looks at (``Catalog.files``).
        self.real_paths = RealPaths()
        # The item files read this build, not kept (``changed_items``): every other entry of ``current.parsed`` is
        # the very object the last build kept (build/cache.py saves only what differs).
        self.renewed: list[Key] = []

    def load_items(self, folder: Path, root: Path, problems: list[Problem], unfinished: list[Record]) -> list[Item]:
        """Every item in ``folder``, in order; the records of those that could not be made go to ``unfinished``."""
        scanned = self._scanned if self._scanned and self._scanned.folder == folder else \
            scan_items(folder, self.previous.status, self.previous.listings)
        self._scanned = None  # its paths are not kept for the whole build
        # none when the scan's worker kept them
        self.current.status, self.current.listings = scanned.record, scanned.listings
        paths = scanned.paths
        problems += [_misnamed_problem(Path(path), ".md") for path in scanned.misnamed] + scanned.unreadable
        shown = display_below(folder)
        names = list(map(shown, paths))
        # Each file's key and what the last build made of it (NOT_KEPT: parsed below), as two lists: the passes over
        # 100,000 files below run from C (as Python loops they took ~0.08 s of every change).
        if not self.previous.parsed:  # nothing kept: every file is read once, below
            keys, found = [None] * len(paths), [NOT_KEPT] * len(paths)
        elif scanned.digests is not None:
            keys, found = self._kept(names, scanned.digests)
        else:  # no file's digest known by its status
            results = list(map(self._cached, paths, names))
            keys, found = list(map(_FIRST, results)), list(map(_SECOND, results))
        misses = list(itertools.compress(itertools.count(), map(operator.is_, found, itertools.repeat(NOT_KEPT))))
        if len(misses) < PARALLEL_FROM or self._parallel is None:
            for index in misses:
                keys[index], found[index] = _read_item(paths[index], root, names[index], self.real_paths)
        else:  # a first build, or many files changed (or the working directory, which the problems' paths name);
            # a miss is read again by its worker: sending its bytes would cost more than reading them
            chunks = [misses[start:start + CHUNK] for start in range(0, len(misses), CHUNK)]
            parsed = (result for chunk in self._parallel(_read_chunk, (paths, root, shown), chunks) for result in chunk)
            for index, (key, made) in zip(misses, parsed):
                keys[index], found[index] = key, made
        self.renewed += [key for key in map(keys.__getitem__, misses) if key]
        self.current.parsed.update(zip(keys, found))
        self.current.parsed.pop(None, None)  # a file that could not be read has no key
        if scanned.statuses is not None:  # what the files read hold, by their status, for the next build's scan
            self.current.status = {path: (status, key[1]) for path, status, key in
                                   zip(paths, scanned.statuses, keys) if key and settled(status, scanned.now)}
        made = list(map(_FIRST, found))
        problems += itertools.chain.from_iterable(map(_SECOND, found))
        unfinished += [record for _, _, record in itertools.compress(found, map(operator.not_, made))
                       if record is not None]
        return list(filter(None, made))

    def changed_items(self) -> ChangedItems | None:
        """The items of the item files that changed since the last build, as it made them and as this one did (None
        where a file made none or was not there): the files read again, and those gone. None when nothing of the last
        build is known. What does not change needs no look (a pass of 100,000 items' values costs ~0.1 s)."""
        before, now = self.previous.parsed, self.current.parsed
        if not before:
            return None
        # An item file whose bytes changed is gone under its old key; one read again with the same bytes (an
        # attachment linked elsewhere) kept its key.
        gone = {key[0]: before[key][0] for key in before.keys() - now.keys()}
        pairs = [(before[key][0] if key in before else gone.pop(key[0], None), now[key][0]) for key in self.renewed]
        return pairs + [(item, None) for item in gone.values()]

    def _kept(self, names: list[str], digests: list[str | None]) -> tuple[list[Key], list[tuple]]:
        """For each file, at ``names``, holding the bytes of SHA-1 ``digests`` (None: not known), its cache key and
        what the last build made of it, if that is kept and its attachments are where they were (else NOT_KEPT).
        Looked up from C, the attachments only of items that have any: a function called for each of 100,000 items
        took ~0.1 s of every change."""
        keys = list(zip(names, digests))  # a key with no digest is none of the kept
        found = list(map(self.previous.parsed.get, keys, itertools.repeat(NOT_KEPT)))
        attached = map(getattr, map(_FIRST, found), itertools.repeat("attachments"), itertools.repeat(()))
        for index in itertools.compress(itertools.count(), attached):
            found[index] = self._unless_moved(found[index])
        return keys, found

    def _cached(self, path: str, shown: str) -> tuple[Key | None, tuple]:
        """(cache key, what the last build made of the file's bytes at this path, or NOT_KEPT), read and hashed: its
        status changed or was not recorded. ``shown``: the path as problems name it."""
        read = _read_keyed(path, shown)
        if read is None:
            return None, NOT_KEPT
        return read[0], self._unless_moved(self.previous.parsed.get(read[0], NOT_KEPT))

    def _unless_moved(self, found: tuple) -> tuple:
        """What the last build made of a file, ``found``, or NOT_KEPT where an attachment of its item resolves
        elsewhere now: an attachment is kept by the path it resolved to, and a symbolic link made, or pointed
        elsewhere, since then changes the item without changing its file."""
        return NOT_KEPT if found[0] and self._attachments_moved(found[0]) else found

    def _attachments_moved(self, item: Item) -> bool:
        """Whether an attachment of ``item`` (as parsed from a file at the same path) resolves elsewhere now."""
        folder = os.path.dirname(item.path)
        return any(self.real_paths.of(folder, attachment.file) != attachment.path
                   for attachment in item.attachments)

    def load_list_file(self, path: str, schema: Schema) -> ListFile:
        """A list file's entries, problems and records of entries not made (requests, powers, …), parsed again only
        when its bytes changed: these files are few but long (a request log of 4,000 entries took 0.4 s to parse).
        Unlike item files, they are read and hashed every time (a megabyte takes a millisecond)."""
        return _kept_by_bytes(path, self.previous.lists, self.current.lists,
                              lambda raw: _read_list_file(path, schema, raw))

    def load_report_file(self, path: Path) -> YamlFile:
        """What a report file's YAML holds, read again only when its bytes changed: an office keeps a report of
        every organ for every year (360 files took 0.15 s of every build), and each changes once or twice."""
        return _kept_by_bytes(str(path), self.previous.reports, self.current.reports,
                              lambda raw: load_yaml_file(path, raw))

    def copied_digest(self, path: str) -> str:
        """The digest of the bytes of a file the site copies (an attachment, a consultation's file, the party mark):
        read and hashed only when its status changed or has not settled, as item files are. Attachments are PDFs and
        spreadsheets; reading every one on every build would cost what a province's weigh (gigabytes), whatever
        changed. ``path`` is absolute (resolved when the catalog was read): no problem names it."""
        now, status = time.time_ns(), status_of(self.real_paths.stat(path))
        known = self.previous.copied.get(path)
        if known is not None and known[0] == status:
            found = known[1]
        else:
            try:
                found = file_digest(path)
            except OSError:  # checked when the catalog was validated: gone since
                raise CatalogChanged(display_path(path)) from None
        if settled(status, now):
            self.current.copied[path] = (status, found)
        return found


# What an item file's bytes were when it had a status: the item files' absolute paths → (status, SHA-1 of the bytes),
# statuses settled only (``util.settled``). Kept between builds by the build cache beside what was parsed, and read
# by whoever scans the item files: at 100,000 items a worker, while the build unpickles the rest.
StatusRecord = dict[str, tuple[FileStatus, str]]


@dataclasses.dataclass(frozen=True)
class ItemFolder:
    """The item files of ``folder`` in order, looked at just after ``now``: with a record of their statuses, the
    SHA-1 of each one's bytes (``digests``, None where it cannot be read) and the record as it stands now; without
    one, each file's status (``statuses``), for the build that reads them all to record."""

    folder: Path
    paths: list[str]
    digests: list[str | None] | None
    statuses: list[FileStatus | None] | None
    now: int
    misnamed: list[str]  # files named as Markdown files are, but not in .md: not read (E-FILE-SUFFIX)
    unreadable: list[Problem]  # folders that could not be read
    record: StatusRecord = dataclasses.field(default_factory=dict)
    listings: Listings = dataclasses.field(default_factory=dict)  # the folders' (``util.FolderListing``), for the next look


# Endings of Markdown files other than .md, which are not read: the items folder also holds the attachments, so no
# other file is an error, but an item saved as 通知.MD or 通知.markdown would be left out without a word.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


def scan_items(folder: Path, recorded: StatusRecord | None = None, listed: Listings | None = None) -> ItemFolder:
    """Every item file of ``folder`` and its status. The time is taken before they are looked at: a file saved
    after it is read again by the next build. With a record (``recorded``) of what the files held, each file's
    bytes are known by its status, or read and hashed here (the few that changed: their items are parsed again);
    without one, none is hashed here, as the build reads them all. ``listed``: the folders' listings of the last
    look, each taken while its folder's status is the same (``util.FolderListing``)."""
    paths, misnamed, unreadable, listings = _files(folder, ".md", MARKDOWN_SUFFIXES, listed)
    now = time.time_ns()
    statuses = [file_status(path) for path in paths]
    if not recorded:
        return ItemFolder(folder, paths, None, statuses, now, misnamed, unreadable, listings=listings)
    record: StatusRecord = {}
    digests: list[str | None] = []
    for path, status in zip(paths, statuses):
        known = recorded.get(path)
        if known is not None and known[0] == status:
            record[path] = known
            digests.append(known[1])
            continue
        try:
            sha1 = _bytes_digest(read_file(path))
        except OSError:  # loading it says why
            sha1 = None
        if sha1 and settled(status, now):
            record[path] = (status, sha1)
        digests.append(sha1)
    return ItemFolder(folder, paths, digests, None, now, misnamed, unreadable, record, listings)


@dataclasses.dataclass
class ParsedFiles:
    """What a build keeps of its item and list files, and of the files the site copies (pickled between builds by
    the build cache)."""

    # item file → (item, its problems, its record when incomplete and no item was made)
    parsed: dict[Key, tuple[Item | None, list[Problem], Record | None]] = dataclasses.field(default_factory=dict)
    # what the item files held by their statuses (``scan_items``): kept in a file of its own, not with the rest
    status: StatusRecord = dataclasses.field(default_factory=dict)
    # (list file's path as shown, sha1 of its bytes) → what it holds
    lists: dict[Key, ListFile] = dataclasses.field(default_factory=dict)
    # copied file's absolute path → (its status when read, the digest of its bytes)
    copied: dict[str, tuple[FileStatus, str]] = dataclasses.field(default_factory=dict)
    # the catalog's folder, resolved, where they were read: what was parsed holds paths below it (its attachments
    # by absolute path), so nothing of it holds for a catalog elsewhere
    root: str = ""
    # (report file's path as shown, sha1 of its bytes) → what reading its YAML gave (``load_yaml_file``)
    reports: dict[Key, YamlFile] = dataclasses.field(default_factory=dict)
    # The item folders' listings of the scan (``scan_items``), for the next one: kept in memory by `gongkai serve`
    # only, which scans at every save. A build's worker saves them with the statuses (``BuildCache.save_statuses``).
    listings: Listings = dataclasses.field(default_factory=dict)


PARALLEL_FROM = 2_000  # files; below this, starting the readers costs more than it saves (4,000 files: 0.9 → 0.8 s)
CHUNK = 1000


def _read_chunk(shared: tuple[list[str], Path, Callable[[str], str]], indices: list[int]) -> list:
    paths, root, shown = shared
    real_paths = RealPaths()
    return [_read_item(paths[index], root, shown(paths[index]), real_paths) for index in indices]


def _kept_by_bytes(path: str, previous: dict, current: dict, parse: Callable[[bytes | None], T]) -> T:
    """What ``parse`` makes of the file ``path``'s bytes: the last build's (``previous``, by the file's key) while
    they are the same; recorded in ``current`` for the next. A file that cannot be read is parsed from nothing
    (``parse(None)`` reads it and says why)."""
    read = _read_keyed(path, display_path(path))
    if read is None:
        return parse(None)
    key, raw = read
    found = previous.get(key)
    if found is None:
        found = parse(raw)
    current[key] = found
    return found


def _read_keyed(path: str, shown: str) -> tuple[Key, bytes] | None:
    """A file's bytes and the key of what is parsed from them; None when it cannot be read."""
    try:
        raw = read_file(path)
    except OSError:
        return None
    return (shown, _bytes_digest(raw)), raw


def _bytes_digest(raw: bytes) -> str:
    """A file's bytes as what is parsed from them is kept by (``Key``), and as the record of statuses names them
    (``scan_items``): the two must agree for a scanned file's parsed entry to be found."""
    return hashlib.sha1(raw).hexdigest()


def _read_item(path: str, root: Path, shown: str, real_paths: RealPaths) -> tuple[Key | None, tuple]:
    """(cache key, (item, its problems, its record if incomplete)), parsed. ``shown``: the path as problems name it
    (``display_below``: a folder's worked out once, not each file's, a system call each)."""
    read = _read_keyed(path, shown)
    if read is None:
        # The item made of nothing: loading it says why the file cannot be read.
        return None, (_load_item(path, root, shown, real_paths, problems := [], []), problems, None)
    key, raw = read
    item = _load_item(path, root, shown, real_paths, item_problems := [], unfinished := [], raw, key[1])
    return key, (item, item_problems, unfinished[0] if unfinished else None)


def load_catalog(root: Path, catalog_files: CatalogFiles | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read every file of the catalog. None only when the directory itself is unusable."""
    with no_gc(freeze=True):  # what is loaded is kept for the whole build
        return _load_catalog(Path(root), catalog_files)


def _load_catalog(root: Path, catalog_files: CatalogFiles | None) -> tuple[Catalog | None, list[Problem]]:
    if not root.is_dir():
        return None, [Location(display_path(root), 0).problem("E-FILE-MISSING", what=f"目录 {display_path(root)}",
                                                                            what_en=f"folder {display_path(root)}")]
    problems: list[Problem] = _unread(root)
    site, settings = _load_config(root / "gongkai.yaml", problems)
    holidays, holiday_problems = load_holidays(root / "holidays.yaml")
    problems += holiday_problems
    organs, unreadable_organs = {}, set()
    for path in _yaml_files(root / "organs", problems, below=False):
        organ = _load_organ(path, problems)
        if organ:
            organs[organ.id] = organ
        else:
            unreadable_organs.add(path.stem)
    catalog_files = catalog_files or CatalogFiles()
    catalog_files.current.root = str(root.resolve())
    unfinished: dict[str, list[Record]] = {"item": [], "request": [], "power": [], "fee": []}
    items = catalog_files.load_items(root / "items", root, problems, unfinished["item"])
    report_files = _yaml_files(root / "reports", problems)
    reports = [r for path in report_files if not path.name.endswith(RECORDED_SUFFIX)
               and (r := _load_report(path, catalog_files.load_report_file(path), organs, unreadable_organs, problems))]
    recorded = [_recorded_file(path, catalog_files.load_report_file(path)) for path in report_files
                if path.name.endswith(RECORDED_SUFFIX)]
    items += [_report_item(report, organs[report.organ]) for report in reports if report.published]
    return Catalog(
        root=root,
        site=site,
        settings=settings,
        holidays=holidays,
        holidays_file=display_path(root / "holidays.yaml"),
        organs=organs,
        items=items,
        requests=_load_list(root / "requests", REQUEST, catalog_files, problems, unfinished["request"]),
        powers=_load_list(root / "powers", POWER, catalog_files, problems, unfinished["power"]),
        fees=_load_list(root / "fees", FEE, catalog_files, problems, unfinished["fee"]),
        reports=reports,
        recorded=recorded,
        releases=_load_list(root / "releases", RELEASE, catalog_files, problems),
        consultations=[c for path in _yaml_files(root / "consultations", problems)
                       if (c := _load_consultation(path, problems, catalog_files.real_paths))],
        hotline=_load_list(root / "hotline", HOTLINE_CASE, catalog_files, problems),
        unfinished=unfinished,
        unreadable_organs=frozenset(unreadable_organs),
        files=catalog_files.real_paths,
    ), problems


# What a catalog's folder holds, as _load_catalog reads it. Anything else that looks like part of a catalog is
# named (W-FILE-IGNORED): an item saved into the catalog's own folder, a year of requests in request/ or Requests/,
# had left the site and the annual report without a word.
CATALOG_FILES = ("gongkai.yaml", "holidays.yaml")
CATALOG_FOLDERS = ("items", "organs", "requests", "powers", "fees", "reports", "releases", "consultations", "hotline")
CATALOG_SUFFIXES = (*MARKDOWN_SUFFIXES, ".yaml", ".yml")  # what a file of a catalog is named


def _unread(root: Path) -> list[Problem]:
    problems = []
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as error:  # a catalog folder that cannot be listed: nothing of it can be read
        return [unreadable_problem(error, display_path(root), "文件夹")]
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if is_folder(entry):
            # A folder of other files (the site's 党政机关标识 image) is no part of the catalog left unread.
            if entry.name not in CATALOG_FOLDERS and _holds_catalog_files(entry.path):
                problems.append(_ignored(Path(entry.path), "文件夹", f"目录只读取这些文件夹：{'、'.join(CATALOG_FOLDERS)}"
                                         "（名称须完全一致，小写）；其中的文件请移到相应的文件夹"))
        elif entry.name not in CATALOG_FILES and entry.name.lower().endswith(CATALOG_SUFFIXES):
            problems.append(_ignored(Path(entry.path), "文件", "公开事项请移到 items/ 下，申请、权力事项等移到相应的文件夹"
                                     "（见 docs/catalog.md）"))
    return problems


def _holds_catalog_files(folder: str) -> bool:
    return any(name.lower().endswith(CATALOG_SUFFIXES)
               for _, _, names in os.walk(folder, followlinks=True) for name in names)


def _ignored(path: Path, kind: str, advice: str) -> Problem:
    shown = display_path(path)
    return Location(shown, 0).problem("W-FILE-IGNORED", what=f"{kind} {shown}", what_en=shown, advice=advice)


def _yaml_files(folder: Path, problems: list[Problem], below: bool = True) -> list[Path]:
    """The YAML files of ``folder`` (and its subfolders, ``below``). Only *.yaml files are read: one named 2025.yml
    or 2025.YAML, which would be left out without a word (a year of requests gone from the annual report), is
    E-FILE-SUFFIX, found in the same walk."""
    found, misnamed, unreadable, _ = _files(folder, ".yaml", (".yaml", ".yml"))
    if not below:  # an organ is a file of the folder itself
        problems += [_ignored(Path(p), "文件", f"须直接放在 {display_path(folder)} 下") for p in found
                     if os.path.dirname(p) != str(folder)]
        found, misnamed = ([p for p in paths if os.path.dirname(p) == str(folder)] for paths in (found, misnamed))
    problems += [_misnamed_problem(Path(path), ".yaml") for path in misnamed] + unreadable
    return [Path(path) for path in found]


def _misnamed_problem(path: Path, suffix: str) -> Problem:
    return Location(display_path(path), 0).problem("E-FILE-SUFFIX", found=path.suffix,
                                                   expected=path.with_suffix(suffix).name)


class Found(NamedTuple):
    """What ``_files`` found."""

    files: list[str]
    misnamed: list[str]
    unreadable: list[Problem]  # E-FILE-UNREADABLE for each folder that could not be read: its files are unknown
    listings: Listings  # what the next look may take as listed (``util.FolderListing``)


def _files(folder: Path, suffix: str, spellings: tuple[str, ...] = (), listed: Listings | None = None) -> Found:
    """The files of ``folder`` and its subfolders whose name ends with ``suffix``, those whose name ends, in any
    case, with one of ``spellings`` but not with ``suffix``, and the folders that could not be read (an office's
    shared folder whose permissions changed: its items left the site without a word); each in the order of their
    Paths (by component: "a/x" before "a-b/x"). Strings: making and sorting 100,000 Paths takes a second. Compared
    with their separators as NUL, which no name holds and every character follows: the order of their components,
    without a list of them for every path. ``listed``: the folders' listings of the last look (``util.FolderListing``).

    Folders reached through a symbolic link are read (offices link a shared year or a report folder in; os.walk
    left them out without a word), each once: a link back up walks no loop. Hidden files and folders are not:
    an editor's lock (.#通知.md), macOS's ._通知.md, a .git folder."""
    found, misnamed, unreadable = [], [], []
    listings: Listings = {}

    def cannot_read(error: OSError) -> None:
        if not isinstance(error, FileNotFoundError):  # a folder the catalog does without, or one just deleted
            unreadable.append(error)

    for path, folders, names in walk_once(folder, cannot_read, listed, listings):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            if name.endswith(suffix):
                found.append(os.path.join(path, name))
            elif name.lower().endswith(spellings):
                misnamed.append(os.path.join(path, name))
    return Found(sorted(found, key=_path_order), sorted(misnamed, key=_path_order),
                 [unreadable_problem(error, display_path(error.filename), "文件夹") for error in unreadable], listings)


def _path_order(path: str) -> str:
    return path.replace(os.sep, "\0")


def _load_config(path: Path, problems: list[Problem]) -> tuple[SiteConfig, Settings]:
    record = _mapping_file(path, SITE_CONFIG, problems)
    if record is None:
        return SiteConfig(title="政府信息公开"), Settings()
    settings, setting_problems = make_settings(record.get("settings"))
    problems += setting_problems
    return make(SITE, record.values["site"]), settings


def _load_organ(path: Path, problems: list[Problem]) -> Organ | None:
    record = _mapping_file(path, ORGAN, problems)
    if record is None:
        return None
    return make(ORGAN, record, id=path.stem, kind=statute.OrganKind(record.values["kind"]))


def _load_item(path: str, root: Path, shown: str, real_paths: RealPaths, problems: list[Problem],
               unfinished: list[Record], raw: bytes | None = None, digest: str | None = None) -> Item | None:
    """``raw``: the file's bytes, read by the caller, and ``digest`` their sha1 (without, the file is read here,
    and what stops it being read is reported)."""
    shown, data, body, body_line, file_problems = load_front_matter_file(path, raw, shown)
    problems += file_problems
    if _unreadable(file_problems):
        return None
    record = _complete_record(ITEM, data, Location(shown, 1), problems, unfinished)
    if record is None:
        return None
    problems += link_warnings(body, Location(shown, body_line))
    problems += _identity_numbers(record, body, Location(shown, body_line))
    if record.get("published"):  # a draft may still hold the skeleton's body
        problems += unfilled_body(body, Location(shown, body_line))
    attachments = tuple(_attachment(r, os.path.dirname(path), real_paths) for r in record.get("attachments", ()))
    return make(ITEM, record, attachments=attachments, path=path, body_line=body_line,
                digest=digest)


_INDEX_NUMBER_KEYS = frozenset({"index_no", "interprets"})


def _identity_numbers(record: Record, body: str, first: Location) -> list[Problem]:
    """E-PERSONAL-DATA at each 身份证号 an item would publish (条例 art. 15), found as the file is read: its body is
    not kept for the checks. In every text it holds, its nested records' too (a 发布机构, a 文号, a change's note, a
    withdrawal's reason: each is on its page, some in the feeds and the index). Not in index numbers (its own, the
    one it interprets): they hold 18-digit codes, and their format is checked."""
    texts = [(holder, field, text) for holder, field, text in record_texts(ITEM, record)
             if field.key not in _INDEX_NUMBER_KEYS]
    found = [(holder.at(field.key), field.label, field.key, number) for holder, field, text in texts
             for number in identity_numbers(text)] if identity_numbers("\n".join(t for *_, t in texts)) else []
    found += [(first.at(first.line + number.line), "正文", "body", number) for number in identity_numbers(body)]
    return [where.problem("E-PERSONAL-DATA", field=field, key=key, kind=number.kind, kind_en=number.kind_en,
                          masked=number.masked) for where, field, key, number in found]


def _attachment(record: Record, folder: str, real_paths: RealPaths) -> Attachment:
    """Its path is resolved from the item file's folder (and checked to stay inside the catalog later)."""
    file = record.values["file"]
    return Attachment(file=file, title=record.get("title") or Path(file).name,
                      path=real_paths.of(folder, file), record=record)


def _load_consultation(path: Path, problems: list[Problem], real_paths: RealPaths) -> Consultation | None:
    """One consultation; its files are resolved from its own folder (and checked to stay inside the catalog later),
    through the build's ``real_paths``, which keep what they learn of the files for validation and the page."""
    record = _mapping_file(path, CONSULTATION, problems)
    if record is None:
        return None
    files = tuple(ConsultationFile(file=(file := r.values["file"]), title=r.get("title") or Path(file).name,
                                   path=real_paths.of(str(path.parent), file), record=r)
                  for r in record.get("files", ()))
    return make(CONSULTATION, record, id=path.stem, files=files)


def _load_list(folder: Path, schema: Schema, catalog_files: CatalogFiles, problems: list[Problem],
               unfinished: list[Record] | None = None) -> list:
    """Entries of every YAML file in ``folder``; each file holds a list of ``schema`` mappings. The records of
    entries that cannot be made (a required key missing or wrong) go to ``unfinished``."""
    entries = []
    for path in map(str, _yaml_files(folder, problems)):
        file_entries, file_problems, file_unfinished = catalog_files.load_list_file(path, schema)
        entries += file_entries
        problems += file_problems
        if unfinished is not None:
            unfinished += file_unfinished
    return entries


def _read_list_file(path: str, schema: Schema, raw: bytes | None = None) -> ListFile:
    entries: list = []
    problems: list[Problem] = []
    unfinished: list[Record] = []
    shown, data, file_problems = load_yaml_file(Path(path), raw)
    problems += file_problems
    if data is None:
        return entries, problems, unfinished
    if not isinstance(data, LocatedList):
        found = ", ".join(f"{k}: {v}" for k, v in data.items()) if isinstance(data, dict) else str(data)
        problems.append(Location(shown, getattr(data, "line", 1)).problem(
            "E-TYPE", field="文件内容", key=shown, expected=f"{schema.title}列表（每条以“- ”开头，写法见下）",
            expected_en=f"a list of {schema.name} entries", found=found[:40], example=list_example(schema)))
        return entries, problems, unfinished
    for entry, line in zip(data, data.item_lines):
        record, record_problems = read(schema, entry, Location(shown, line))
        problems += record_problems
        if record is not None and complete(schema, record):
            entries.append(make(schema, record))
        elif record is not None:
            unfinished.append(record)
    return entries, problems, unfinished


def _load_report(path: Path, read: YamlFile, organs: dict[str, Organ], unreadable_organs: set[str],
                 problems: list[Problem]) -> ReportSource | None:
    """The report of the file ``path``, whose YAML holds ``read``; none for an organ not in ``organs`` (named unless
    its file is among ``unreadable_organs``, whose own problems say what to mend)."""
    shown, data, file_problems = read
    problems += file_problems
    if _unreadable(file_problems):
        return None
    where = Location(shown, 1)
    year_text = path.parent.name
    if _folder_year(path) is None:
        problems.append(where.problem("E-TYPE", field="年度报告所在文件夹", key=year_text, expected="四位年份，例如 reports/2025/",
                                      expected_en="a year folder such as reports/2025/", found=year_text))
        return None
    if not DATES[0].year <= int(year_text) < DATES[1].year:  # its deadlines fall in the next year
        problems.append(where.problem("E-DATE-RANGE", field="年度报告所在文件夹", key=year_text, found=year_text,
                                      first=DATES[0].year, last=DATES[1].year - 1))
        return None
    if path.stem not in organs:
        if path.stem not in unreadable_organs:
            problems.append(unknown_organ(organs, where, path.stem))
        return None
    record = _complete_record(REPORT_SOURCE, data, where, problems)
    if record is None:
        return None
    cells = {key: _cells(record.values[key]) for key in ("review", "litigation_direct", "litigation_after_review")}
    return make(REPORT_SOURCE, record, organ=path.stem, year=int(year_text), **cells)


def _recorded_file(path: Path, read: YamlFile) -> RecordedFile:
    """The figures recorded in ``path`` (its YAML ``read``): the report stage reads them, as a report data file."""
    return RecordedFile(path.name[:-len(RECORDED_SUFFIX)], _folder_year(path), path, read)


def _folder_year(path: Path) -> int | None:
    """The year of a report's file, from its folder (reports/2025/); None when that is not a four-digit year."""
    name = path.parent.name
    return int(name) if name.isdigit() and len(name) == 4 else None


def _cells(record: Record) -> tuple:
    """A group of part IV as the report's tables take it: (upheld, corrected, other, pending)."""
    cells = record.values
    return cells["upheld"], cells["corrected"], cells["other"], cells["pending"]


def _report_item(report: ReportSource, organ: Organ) -> Item:
    """A published report is also a catalog item in the 年报 column (and so a feed entry)."""
    return Item(
        index_no=report.index_no,
        title=f"{organ.name}{report.year}年政府信息公开工作年度报告",
        organ=organ.id,
        written=report.written,  # as stated: a report's 成文日期 that is not stated is unknown, not its publication
        published=report.published,
        category="年报",
        topics=("综合政务/政务公开",),
        keywords=("年度报告", "政府信息公开"),
        summary=f"{organ.name} {report.year} 年政府信息公开工作情况：主动公开、依申请公开、行政复议和行政诉讼。",
        annual_report=report.year,
        text="\n\n".join(part for part in (report.overview, report.problems, report.other) if part),
        record=report.record,
        path=report.record.where.path,
    )


def _unreadable(file_problems: list[Problem]) -> bool:
    """Whether a file's own problems stop it being read. Duplicate keys do not (the last value counts, as in every
    YAML reader): the file's other problems then show in the same run, not after the duplicate is removed."""
    return any(p.code != "E-DUPLICATE-KEY" for p in file_problems)


def _mapping_file(path: Path, schema: Schema, problems: list[Problem]) -> Record | None:
    """A YAML file holding one ``schema`` mapping, checked (its problems added to ``problems``); None when it
    cannot be read or lacks a required key."""
    shown, data, file_problems = load_yaml_file(path)
    problems += file_problems
    if _unreadable(file_problems):
        return None
    return _complete_record(schema, data, Location(shown, 1), problems)


def _complete_record(schema: Schema, data, where: Location, problems: list[Problem],
                     unfinished: list[Record] | None = None) -> Record | None:
    """``data`` checked against ``schema`` (its problems added to ``problems``); None unless every required key
    is there. An empty document is an empty mapping: staff are told which keys it needs, not left wondering why the
    file was ignored."""
    if data is None:
        data = LocatedDict()
        data.line, data.key_lines = where.line, {}
    record, record_problems = read(schema, data, where)
    problems += record_problems
    if record is not None and complete(schema, record):
        return record
    if record is not None and unfinished is not None:
        unfinished.append(record)
    return None
