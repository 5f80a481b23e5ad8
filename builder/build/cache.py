"""What the last successful `gongkai build` wrote, so the next one redoes only what its inputs changed.

Every output file is recorded with a *key*: a hash of everything it was made from (the item file's bytes,
what the page shows of other items, the day's validity…). A file whose key is unchanged is left as it is
in the site instead of being rendered again. Keys are content hashes, never file times. A *fingerprint* of
everything that shapes every page (the theme's rendered shells, mkdocs.yml, our templates, gongkai's
version) guards the whole: when it changes, nothing is reused.

The cache lives beside the site (``.<site>-gongkai-cache/``) and describes the site directory by its inode:
a site that was replaced or swapped by anything but the build that wrote the manifest is rebuilt in full.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import functools
import itertools
import json
import multiprocessing.connection
import operator
import os
import re
import secrets
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from search import stored
from search.document import IndexReuse

from ..errors import GongkaiError, display_path
from ..model.catalog import KEPT_REDUCTIONS
from ..site.shells import Shell, ShellKey
from ..util import (
    FileStatus,
    file_status,
    no_gc,
    remove_in_background,
    settled,
    swap_in,
)
from .pools import received

VERSION = "5"  # bump when the format of anything cached changes (ThemeOutput's fields too)
# Which site the builds of this cache made, by its inode: kept through every change of the cache's format and every
# clearing of it (``may_replace_site``).
SITE_RECORD = "site.json"
# The folders a build makes beside its site, after the site's name: eight hex digits (``BuildCache.folder_beside``,
# ``util.swap_in``), or (made by earlier releases) tempfile.mkdtemp's eight characters or an old site named by a
# process id. Matched whole: a sibling site "site-old" and its cache (.site-old-gongkai-cache)
# are not leftovers of "site". A test makes one of each kind.
LEFTOVER_SUFFIX = r"-(?:(?:new|stage|old|search)-[a-z0-9_]{8}|old-[0-9]+)"
# Each folder of the site's keyed files as the last build left it, under its manifest's id (``missing_files``).
FOLDERS = "folders"
# What the item files held by their statuses (model/load.py ``StatusRecord``), kept apart from what was parsed: a large
# build's worker reads and updates it while the build unpickles the rest. A fact of the files, of no build or code.
STATUSES = "statuses"
# What the item folders held by their statuses (util.py ``FolderListing``), kept beside the statuses: the scan's
# worker takes an unchanged folder's names from here rather than listing it.
LISTINGS = "listings"
# Held by the process that records, once a build's site is committed, what the build kept for the next one
# (``keep_in_background``): a build waits for it before it reads anything of the cache.
KEEPER = "keeper.lock"
# How long a build waits for the last one's writer of what it kept (``save_in_background``) before reading what is
# there: ~3 s at 100,000 items, where reading the catalog afresh takes ~12 s more than a change.
WRITER_WAIT = 60.0


@dataclasses.dataclass(frozen=True)
class ThemeOutput:
    """What mkdocs made in a build, and of what (the mkdocs plugin's ``finish_without_mkdocs``), kept in the manifest:
    when the next build's inputs are the same, mkdocs would make the same files, and the site holds them."""

    inputs: str             # a digest of everything mkdocs renders
    paths: tuple[str, ...]  # the files it wrote, relative to the site
    shells: dict[ShellKey, Shell]
    content_urls: list[str]  # the hand-written pages
    site_url: str | None
    fingerprint: str        # the build cache's, of that build
    warnings: tuple[tuple[str, int, str], ...]  # what was logged meanwhile (logger, level, message), shown again


class BuildCache:
    """The last build's manifest (read) and this build's (being written), and where this build writes.

    When the manifest describes the current site, the build writes only what changed into a staging
    directory, which is then applied to the site file by file (renames, after everything is written: a
    build that fails leaves the site untouched, and an apply that is interrupted is finished by the next
    build from its journal). Otherwise the whole site is built afresh and swapped in.
    """

    def __init__(self, site_dir: Path, read: bool = True) -> None:
        """``read``: use what the last build left (False for `--full`, which then replaces it)."""
        self.site_dir = site_dir.resolve()
        self.folder = self.site_dir.with_name(f".{self.site_dir.name}-gongkai-cache")
        self.previous: dict[str, str] = {}
        self.previous_id = ""  # the manifest's, which the folders' record names (``missing_files``)
        self.previous_fingerprint = ""
        self.previous_theme: ThemeOutput | None = None
        self.keys: dict[str, str] = {}   # this build: output path → key ("" for files never reused)
        self.fingerprint = ""
        self.theme: ThemeOutput | None = None  # this build's
        self.output_dir: Path | None = None
        self._removing: subprocess.Popen | None = None  # what earlier builds left (``remove_leftovers``)
        self.missing: frozenset[str] | None = None  # ``missing_files``, once looked at
        # Where a worker sends ``missing_files`` when it looks meanwhile (pipeline.py): read when first needed.
        self.missing_sent: multiprocessing.connection.Connection | None = None
        self._statuses = Journal()  # how the record of the item files' statuses stands on disk (``load_statuses``)
        # The group of the site a new one replaces, when the builder could not give it (``folder_beside``)
        self.group_lost: int | None = None
        self.wait_for_keeper()
        if not self.may_replace_site():  # first: --full clears the cache, and what it knows of the site
            raise SiteNotReplaceable(site_dir)
        if not read:
            self.clear()
            return
        self._finish_interrupted_apply()
        manifest = self._read_pickle("manifest", VERSION)
        if _is_manifest(manifest) and self._describes_site(manifest):
            self.previous = manifest["files"]
            self.previous_id = manifest.get("id") if isinstance(manifest.get("id"), str) else ""
            self.previous_fingerprint = manifest["fingerprint"]
            self.previous_theme = manifest["theme"]

    def _read_json(self, name: str):
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _describes_site(self, manifest: dict) -> bool:
        try:
            return self.site_dir.stat().st_ino == manifest.get("site_inode")
        except OSError:
            return False

    def may_replace_site(self) -> bool:
        """Whether a build may make ``site_dir`` its site: it does not exist, is an empty folder, or is the site a
        build of this cache made (its inode, recorded at every commit in ``site.json``, which no change of the
        cache's format touches, or in the manifest by releases before it). Anything else is someone's folder, which
        the swap would delete whole: an office's web root with other sites in it, a home folder typed by mistake."""
        try:
            site = self.site_dir.stat()
            if stat.S_ISDIR(site.st_mode) and not any(os.scandir(self.site_dir)):
                return True
        except FileNotFoundError:
            return True
        except OSError:
            return False
        recorded = self._read_json(SITE_RECORD)
        if isinstance(recorded, dict) and site.st_ino in (recorded.get("site_inodes") or ()):
            return True
        manifest = self._read_pickle("manifest", VERSION)
        if _is_manifest(manifest) and manifest.get("site_inode") == site.st_ino:
            self._record_site(site.st_ino)  # now, before --full clears the manifest: a failed build keeps it known
            return True
        return False

    def _record_site(self, *inodes: int) -> None:
        """The site directories a build of this cache made (``may_replace_site``): the site's, and while a new one is
        being swapped in, the new one's too, so that a build stopped between the two leaves whichever is the site
        known."""
        self._write_json(SITE_RECORD, {"site_inodes": list(inodes)})

    @property
    def in_place(self) -> bool:
        return bool(self.previous)

    # ---------------------------------------------------------------- reuse

    def reuse(self, path: str, key: str) -> bool:
        """Whether the site's ``path`` is already what this build would write (the caller records keys)."""
        if not (key and self.in_place and self.fingerprint == self.previous_fingerprint
                and self.previous.get(path) == key):
            return False
        return path not in self._missing()

    def rewritten(self, paths: list[str], keys: Sequence[str]) -> list[int]:
        """The places in ``paths`` of the files ``reuse`` would not leave as they are (``keys``: this build's). A
        series of 120,000 pages asked one by one took ~0.05 s of every build: here their keys are compared in C."""
        if not (self.in_place and self.fingerprint == self.previous_fingerprint):
            return list(range(len(paths)))
        places = list(itertools.compress(itertools.count(), map(operator.ne, map(self.previous.get, paths), keys)))
        if len(places) < len(paths):
            self._missing()
        if self.missing or "" in keys:  # rarely (a file gone from the site, an output without a key): one by one
            places = [place for place, (path, key) in enumerate(zip(paths, keys)) if not self.reuse(path, key)]
        return places

    def _missing(self) -> frozenset[str]:
        """``missing_files``, once: as a worker sent it (``missing_sent``), or looked at here when none did or the
        worker could not (ended without it, or a file it looked at could not be read: said here again)."""
        if self.missing is None:
            sent, self.missing_sent = self.missing_sent, None
            try:
                self.missing = received(sent) if sent is not None else self.missing_files()
            except (EOFError, OSError):
                self.missing = self.missing_files()
        return self.missing

    def missing_files(self) -> frozenset[str]:
        """The files of the last build that this one could leave as they are but are gone from the site (deleted by
        hand, or by a deploy tool): they are written again. All are looked at together, before any is kept, and may
        be looked at by a worker while the build reads its cache or scans the item files (pipeline.py).

        A folder whose status is still what the last build recorded (``record_folders``) holds every file it held
        then: no file in it can be deleted, renamed or replaced by a folder without its modification and change
        times moving. Only the other folders are listed. At 100,000 items the 133,000 files took 0.4 s to look at
        one by one, 2.4 s with nothing in the system's cache; their 11,000 folders take 0.04 s, and 0.17–0.29 s
        (cold 0.47 s) after a change, which lists items/ and its 110,000 entries."""
        recorded = self._read_pickle(FOLDERS, VERSION)
        states = (recorded["folders"] if isinstance(recorded, dict) and self.previous_id
                  and recorded.get("manifest") == self.previous_id and isinstance(recorded.get("folders"), dict)
                  else {})
        site = f"{self.site_dir}{os.sep}"  # strings: this runs for every keyed file of the manifest
        unchanged = {folder for folder, state in states.items()
                     if state is not None and file_status(site + folder) == state}
        if unchanged and len(unchanged) == len(states):
            return frozenset()
        files_in: dict[str, frozenset[str]] = {}
        missing = []
        for path, key in self.previous.items():
            folder, _, name = path.rpartition("/")
            if not key or folder in unchanged:
                continue
            if folder not in files_in:
                files_in[folder] = _files_in(site + folder)
            if name not in files_in[folder]:
                missing.append(path)
        return frozenset(missing)

    def record_folders(self, manifest_id: str) -> None:
        """The status of each folder of this build's keyed files, once the site is what it wrote (``commit``, which
        gives the manifest's ``manifest_id``), for the next build's ``missing_files``. A folder changed within ``util.SETTLED_NS`` is recorded as unknown, as the
        catalog's item files are: a file deleted within the same tick of the clock leaves its folder's times as
        they were."""
        site, now = f"{self.site_dir}{os.sep}", time.time_ns()
        folders: dict[str, FileStatus | None] = {}
        for folder in {path.rpartition("/")[0] for path, key in self.keys.items() if key}:
            state = file_status(site + folder)
            folders[folder] = state if settled(state, now) else None
        self._write_pickle(FOLDERS, {"manifest": manifest_id, "folders": folders}, VERSION)

    def record(self, keys: dict[str, str]) -> None:
        self.keys.update(keys)

    # ---------------------------------------------------------------- writing the site

    def begin(self) -> Path:
        """The directory this build writes into: a fresh one beside the site, or (when this manifest describes the
        site) a staging directory of what changed. On ``commit`` it becomes, or is applied to, the site."""
        self.output_dir = self.folder_beside("stage" if self.in_place else "new")
        return self.output_dir

    def folder_beside(self, kind: str) -> Path:
        """A new folder beside the site for this build to write in (``kind``: new, stage or search; named as
        LEFTOVER_SUFFIX finds it after a build that was killed), made as the site's own: what is written in it
        becomes the site or part of it, which a web server (nginx as www-data) reads. A plain mkdir's mode, 0777
        less the umask (tempfile.mkdtemp's 0700 became the site's, which no one else could read), and the group and
        mode of a site that exists, which an office may have set (0750 with the web server's group, its setgid bit
        giving the group to everything made in it). The builder keeps its own rights while it writes; a fresh
        site gets the site's mode exactly when it is swapped in (``commit``)."""
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        while True:
            folder = self.site_dir.with_name(f".{self.site_dir.name}-{kind}-{secrets.token_hex(4)}")
            try:
                folder.mkdir()
                break
            except FileExistsError:  # a name taken by another build's folder
                continue
        try:
            site = self.site_dir.stat()
        except FileNotFoundError:
            return folder
        try:
            os.chown(folder, -1, site.st_gid)
        except PermissionError:  # a group the builder is not in: it keeps the mode all the same, and says so
            if kind == "new":
                self.group_lost = site.st_gid
        os.chmod(folder, stat.S_IMODE(site.st_mode) | stat.S_IRWXU)
        return folder

    def remove_leftovers(self) -> None:
        """Start removing what earlier builds left beside the site: fresh, staging and old trees and search index
        folders of builds killed before they finished (and in the cache, what their killed writers began), and the
        old site the last build swapped out, which may still be being removed (400,000 files at 100,000 items): a
        build that removed them before starting waited for them all. A build of the whole site (long, and leaving an
        old site itself) waits for them in ``commit``: where a build's processes are ended with it (a systemd unit, a
        container), removals cut short would otherwise pile up. Called with the site's lock held, so no running build
        owns them; this build's own folders are made afterwards."""
        name = re.compile(re.escape(f".{self.site_dir.name}") + LEFTOVER_SUFFIX)
        self._removing = remove_in_background(*(self.site_dir.parent / found for found in
                                                os.listdir(self.site_dir.parent) if name.fullmatch(found)))
        for temporary in stored.abandoned(self.folder):  # a kept value's, its writer killed
            temporary.unlink(missing_ok=True)

    def commit(self) -> str:
        """The build succeeded: the site becomes what it wrote, all at once or under the journal. Returns the
        manifest's id."""
        written = self.output_dir
        if self.in_place:
            manifest_id = self._commit(written, self.site_dir)
            remove_in_background(written)
        else:
            manifest_id = self._commit(written, written)
            with contextlib.suppress(FileNotFoundError):  # a site that exists: its mode (``folder_beside``)
                os.chmod(written, stat.S_IMODE(self.site_dir.stat().st_mode))
            swap_in(written, self.site_dir)
            self._record_site(self.site_dir.stat().st_ino)
            if self._removing is not None:  # see remove_leftovers
                self._removing.wait()
        return manifest_id

    def abort(self) -> None:
        """The build failed: the site stays as it was, or, when applying the update to it failed (a file that cannot
        be replaced, a full disk), the update stays staged under its journal, for the next build to finish."""
        if self.output_dir is not None and not self._journaled(self.output_dir):
            shutil.rmtree(self.output_dir, ignore_errors=True)

    def _journaled(self, staging: Path) -> bool:
        journal = self._read_json("journal.json")
        return isinstance(journal, dict) and journal.get("staging") == str(staging)

    def _commit(self, written: Path, site: Path) -> str:
        """Write the manifest and make ``site`` what ``written`` holds; returns the manifest's id."""
        prefix = len(str(written)) + 1  # not os.path.relpath: it takes longer than the walk, for every file
        for folder, _, names in os.walk(written):
            for name in names:
                self.keys.setdefault(os.path.join(folder, name)[prefix:].replace(os.sep, "/"), "")
        manifest = {"version": VERSION, "id": secrets.token_hex(8), "fingerprint": self.fingerprint,
                    "site_inode": site.stat().st_ino, "files": self.keys, "theme": self.theme}
        if site == self.site_dir:  # updated in place
            self._record_site(manifest["site_inode"])
        else:  # a new site: recorded before it is swapped in, and the old one known until it is
            current = [self.site_dir.stat().st_ino] if self.site_dir.exists() else []
            self._record_site(*current, manifest["site_inode"])
        if written == site:
            self._write_pickle("manifest", manifest, VERSION)
            self._take_index_cache()
        else:  # the manifest is written once, as pending, and becomes the manifest when the journal is done
            # Only paths inside the site are deleted, whatever a manifest says (it is checked as it is used). Looked
            # up from C: two sets of the site's ~120,000 paths took ~0.04 s of every change at 100,000 items.
            deleted = sorted(filter(_is_site_path, itertools.filterfalse(self.keys.__contains__, self.previous)))
            self._write_pickle("manifest.pending", manifest, VERSION)
            self._write_json("journal.json", {"staging": str(written), "delete": deleted})
            self._finish_apply(written, deleted)
        return manifest["id"]

    def _finish_interrupted_apply(self) -> None:
        journal = self._read_json("journal.json")
        if journal is None:
            return
        staging = journal.get("staging") if isinstance(journal, dict) else None
        deleted = journal.get("delete") if isinstance(journal, dict) else None
        if not (isinstance(staging, str) and Path(staging).parent == self.site_dir.parent and Path(staging).is_dir()
                and isinstance(deleted, list) and all(isinstance(p, str) and _is_site_path(p) for p in deleted)):
            # A journal this code did not write, or whose update is gone (deleted by hand): what the site holds is
            # unknown, so nothing of it is reused.
            self.clear()
            return
        self._finish_apply(Path(staging), deleted)

    def _finish_apply(self, staging: Path, deleted: list[str]) -> None:
        """Apply the journaled update (again, if it was interrupted: every step can be repeated)."""
        try:
            _apply(staging, self.site_dir, deleted)
        except OSError as error:
            raise UpdateNotApplied(
                f"网站目录 {display_path(self.site_dir)} 的更新未能完成（{error.filename2 or error.filename}：{error.strerror}）。已生成的更新"
                f"保留在 {display_path(staging)}：请排除问题（文件无法替换、无权限或磁盘出错）后重新运行 gongkai build，"
                f"将先完成这次更新 (the update could not be applied to the site: {error}; fix it and build again, "
                f"which finishes the update first)") from error
        # Before the manifest: the site's index and what the next build reads of it go together (an update
        # interrupted after the manifest would otherwise describe this index with the last one's ranges).
        self._take_index_cache()
        with contextlib.suppress(FileNotFoundError):  # made the manifest before an interruption
            (self.folder / "manifest.pending.pickle").replace(self.folder / "manifest.pickle")
        (self.folder / "journal.json").unlink()

    def _take_index_cache(self) -> None:
        """What this build's search index kept for the next (``index_reuse``'s ``cache``) becomes what it reads."""
        if (self.folder / "search.new").is_dir():
            shutil.rmtree(self.folder / "search", ignore_errors=True)
            (self.folder / "search.new").rename(self.folder / "search")

    def _write_json(self, name: str, value) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{name}.tmp"
        temporary.write_text(json.dumps(value, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        temporary.replace(self.folder / name)

    def index_reuse(self, code: str) -> IndexReuse:
        """Where the search index finds the last build's index and keeps its own (search/index.py); ``code``
        is the fingerprint of the code that writes it."""
        shutil.rmtree(self.folder / "search.new", ignore_errors=True)
        return IndexReuse(site_index=self.site_dir / "search",
                          previous_cache=self.folder / ("search" if self.previous else "search.unusable"),
                          cache=self.folder / "search.new", code=code)

    # ---------------------------------------------------------------- parts kept between builds

    def load_parts(self, name: str, code: str) -> tuple[Parts, Journal]:
        """What was last saved under ``name`` by ``code``, and how it stands on disk; nothing when it is missing,
        damaged (its checksum differs) or pickled by other code: the cache is only ever an optimisation. A base
        still being written by the last build's writer is waited for (``WRITER_WAIT`` at most). In each part the
        entries no change since the base replaced come first, in the base's order, then the changed ones: a part kept
        in order (the views, newest first) is still in order but for its last ``len(changed)`` entries."""
        stored.wait_for_writers(self._pickle(name), WRITER_WAIT)
        base = self._read_pickle(name, code)
        if not (isinstance(base, dict) and isinstance(base.get("id"), str) and _are_parts(base.get("parts"))):
            return {}, Journal()
        parts, journal = base["parts"], Journal(base["id"], _entries(base["parts"]))
        changes = self._read_pickle(f"{name}.changes", code)
        if isinstance(changes, dict) and changes.get("base") == journal.base and _are_changes(changes.get("parts")):
            for key, (changed, removed) in changes["parts"].items():
                part = parts.setdefault(key, {})
                for entry in itertools.chain(removed, changed):
                    part.pop(entry, None)
                part.update(changed)
            journal.changes = changes["parts"]
        return parts, journal

    def save_parts(self, name: str, parts: Parts, previous: Parts, journal: Journal, code: str,
                   renewed: dict[str, Collection] | None = None, background: bool = True,
                   base_only: Collection[str] = (), base_reductions: Callable[[Parts], dict] | None = None
                   ) -> Journal:
        """Record ``parts`` under ``name``: ``previous`` is what ``journal`` describes, and only what differs from it
        is written, unless the changes since the base have grown to a share of it (then a new base, in the
        background unless ``background`` is false). ``renewed``: of some parts, the keys of the entries made anew,
        every other entry being the very object ``previous`` holds (``_changes``). ``base_only``: parts written with
        a base only, never as changes, which a reader takes as the base's (objects that refer to the base's: pickled
        with the changes, they would be copies). ``base_reductions``: how a base of ``parts`` is pickled, where not as
        everything else the cache keeps is (``KEPT_REDUCTIONS``). Returns how it now stands."""
        if journal.base:  # else nothing on disk is known: there is nothing to write changes against
            renewed = renewed or {}
            step = {key: _changes(previous.get(key, {}), part, renewed.get(key)) for key, part in parts.items()
                    if key not in base_only}
            if not any(changed or removed for changed, removed in step.values()):
                return journal
            changes = _composed(journal.changes, step)
            if sum(len(changed) for changed, _ in changes.values()) * REBASE_SHARE <= journal.size:
                self._write_pickle(f"{name}.changes", {"base": journal.base, "parts": changes}, code)
                return Journal(journal.base, journal.size, changes)
        rebased = Journal(secrets.token_hex(8), _entries(parts))
        base = {"id": rebased.base, "parts": parts}
        reductions = base_reductions(parts) if base_reductions else KEPT_REDUCTIONS
        if background:
            self.save_in_background(name, base, code, reductions)
        else:
            self._write_pickle(name, base, code, reductions)
        return rebased

    def load_statuses(self) -> tuple[dict, dict]:
        """The record of the item files' statuses (``STATUSES``) and of their folders' listings (``LISTINGS``); each
        empty when there is none, or none usable. Kept in parts, as what a build keeps is (``load_parts``): a change
        of one file writes that file's entry, where the whole record (at 100,000 items 13 MB) took ~0.1 s of the
        worker the build waits for."""
        parts, self._statuses = self.load_parts(STATUSES, VERSION)
        return parts.get(STATUSES, {}), parts.get(LISTINGS, {})

    def save_statuses(self, record: dict, previous: dict, listings: dict | None = None,
                      listed: dict | None = None) -> None:
        """Record ``record``, where ``previous`` is what ``load_statuses`` read, and the folders' ``listings`` where
        ``listed`` were read (when given: a scan that took none leaves the last ones, which are checked by their
        folders' statuses when taken); none (nothing read, or what was read set aside: a catalog moved) writes a
        new base, which leaves no entry of before. A new base is written here, not by a forked writer: the scan's
        worker would share its core with one (its unpickling then slower by what the worker saved), and at the end
        of a build of the whole site a fork of the build's process made the audit after it fault on the pages it
        read."""
        parts, before = {STATUSES: record}, {STATUSES: previous}
        if listings is not None:
            parts[LISTINGS], before[LISTINGS] = listings, listed or {}
        # The first listings (~4,000 at 100,000 items) go into a new base: as changes, every later build would write
        # them again (2.4 MB), until the changes had grown to a share of the base.
        rebase = not previous or bool(listings) and not listed
        self._statuses = self.save_parts(STATUSES, parts, before, Journal() if rebase else self._statuses, VERSION,
                                         background=False)

    def _read_pickle(self, name: str, tag: str):
        with no_gc(freeze=True):  # what was kept is used for the whole build
            return stored.load(self._pickle(name), tag)

    def _write_pickle(self, name: str, value, tag: str, reductions: dict = KEPT_REDUCTIONS) -> None:
        stored.save(self._pickle(name), value, tag, reductions)  # records and items read when used

    def _pickle(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def save_in_background(self, name: str, value, code: str, reductions: dict = KEPT_REDUCTIONS) -> None:
        """Pickle ``value`` in a forked process: the build is done and nobody needs to wait for its cache. Its file is
        begun (and locked) here, before the fork: from this build's end a later build finds it being written, and
        waits for it (``load_parts``). The last writer of it is waited for first (a process that builds again and
        again, `gongkai serve`, may start two): the later value must be the one left in place. Where no writer can
        be started (no memory to fork, no room for the file), nothing is saved: the cache is only an optimisation,
        and the site is built already."""
        path = self._pickle(name)
        stored.wait_for_writers(path, WRITER_WAIT)
        try:
            file = stored.begin(path)
        except OSError:
            return
        if _forked(functools.partial(stored.finish, file, path, value, code, reductions), file.fileno()):
            file.close()  # the writer's copy keeps it open, and locked
        else:
            stored.discard(file)

    def keep_in_background(self, keep: Callable[[], None]) -> None:
        """Run ``keep`` (what a build records for the next one once its site is committed: the site's folders, what it
        read, checked and viewed, the item files' statuses) in a forked process, and return at once: the site is
        built, and nobody needs to wait for the record (at 100,000 items ~0.13 s of every change). The keeper holds
        ``KEEPER`` locked, taken here before the fork, until it is done: a later build waits for it before it reads
        the cache (``wait_for_keeper``). Where no process can be forked, ``keep`` runs here."""
        try:
            self.folder.mkdir(exist_ok=True)
            lock = open(self.folder / KEEPER, "wb")
        except OSError:  # the cache cannot be written: nor can what would be kept
            return
        with lock:  # once closed here, the keeper's copy of the file keeps it locked until the keeper ends
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not _forked(keep, lock.fileno()):
                keep()

    def wait_for_keeper(self) -> None:
        """Wait for the last build's keeper (``keep_in_background``) while it is still at work."""
        try:
            with open(self.folder / KEEPER, "rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_SH)
        except OSError:  # none: no build kept anything in the background
            pass

    def clear(self) -> None:
        """Forget what the last build kept, but not which site it made: a build that fails after clearing (--full,
        with an error in the catalog) must not leave the site looking like someone else's folder."""
        try:
            entries = [entry.path for entry in os.scandir(self.folder) if entry.name != SITE_RECORD]
        except NotADirectoryError:
            entries = [self.folder]
        except FileNotFoundError:
            entries = []
        for entry in entries:
            if os.path.isdir(entry) and not os.path.islink(entry):
                shutil.rmtree(entry, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):  # as rmtree's ignore_errors: the cache is only an optimisation
                    os.unlink(entry)
        self.previous, self.previous_theme = {}, None


class SiteNotReplaceable(GongkaiError):
    """The output folder holds files, and is not a site gongkai built: building would delete them."""

    def __init__(self, site_dir: Path) -> None:
        super().__init__(
            f"网站输出目录 {display_path(site_dir)} 中已有文件，但它不是 gongkai 生成的网站（旁边的 "
            f".{site_dir.resolve().name}-gongkai-cache 中没有它的记录）：生成网站会用新网站替换整个目录，原有文件将全部删除，"
            f"因此没有生成。请指定一个不存在的或空的目录，例如 --site-dir site；如果它确是以前生成的网站、只是记录丢失了，"
            f"请确认其中没有要保留的文件后，自行删除或改名该目录再生成 (the output folder holds files and is not a site "
            f"gongkai built: building would delete them all; choose a new or empty folder)")


class UpdateNotApplied(GongkaiError):
    """Applying a staged update to the site failed part way: it stays staged under its journal."""


# ---------------------------------------------------------------- a value kept in parts

Parts = dict[str, dict]  # a value kept between builds as named dictionaries
Changes = dict[str, tuple[dict, frozenset]]  # of each part: the entries set (added or changed) and the keys removed

# A new base is written when the changes since the last one hold more than this share of its entries: reading the
# changes costs about what reading their share of the base does, and they are written again by every build.
REBASE_SHARE = 8  # i.e. 1/8


@dataclasses.dataclass
class Journal:
    """How a value kept in parts stands on disk: a base, and in a small file beside it every change since. A build
    that changed a few entries writes those (milliseconds), not the whole value (at 100,000 items ~100 MB, written
    by a fork that grew to ~900 MB as it pickled). Any base with its own changes, or alone, is a state some build
    kept, so a build that reads while another writes reads a state that is older, never one that is wrong."""

    base: str = ""   # the base's id; "" when there is none
    size: int = 0    # its entries
    changes: Changes = dataclasses.field(default_factory=dict)  # since the base

    def changed(self, part: str) -> int:
        """How many entries of ``part`` its changes hold: read back, the last of the part (``load_parts``)."""
        return len(self.changes.get(part, ({}, ()))[0])


def _forked(work: Callable[[], object], kept: int) -> bool:
    """Run ``work`` in a forked process that finishes after the build, holding of the build's open files only
    ``kept`` (a descriptor: ``_detach``); False where no process could be forked."""
    try:
        forked = os.fork()
    except OSError:
        return False
    if not forked:
        _detach(kept)
        try:
            work()
        finally:
            os._exit(0)
    return True


def _detach(kept: int) -> None:
    """In a process forked to finish after the build: off the build's output, and holding none of the files the
    build had open but ``kept`` (a descriptor). A pipe reading the build's output (a log, a test, `| tee`) ends when
    the build ends, not when this does; nor does the search index's fork server, which holds that output too, wait
    for it, as it ends only once every process holding its connection has closed it."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.closerange(3, kept)
    os.closerange(kept + 1, os.sysconf("SC_OPEN_MAX"))


_ABSENT = object()


def _changes(previous: dict, current: dict, renewed: Collection | None = None) -> tuple[dict, frozenset]:
    """What turns ``previous`` into ``current``. Entries kept from the last build are the same objects: those are
    told apart by identity, the rest by equality. ``renewed``: the keys of the entries made anew, when the maker
    knows them (every key new to ``current`` among them); only those are compared, and keys are looked for among
    ``previous``' only when some are gone (its size less the new keys is not ``current``'s). Three parts of 100,000
    entries each compared entry by entry took ~0.1 s of every change at 100,000 items."""
    if renewed is None:
        changed = {key: value for key, value in current.items()
                   if (old := previous.get(key, _ABSENT)) is not value and old != value}
        return changed, frozenset(previous.keys() - current.keys())
    renewed = set(renewed) & current.keys()
    changed = {key: current[key] for key in renewed
               if (old := previous.get(key, _ABSENT)) is not current[key] and old != current[key]}
    new = len(renewed - previous.keys())
    return changed, (frozenset(previous.keys() - current.keys()) if len(current) - new != len(previous)
                     else frozenset())


def _composed(first: Changes, then: Changes) -> Changes:
    """The changes ``first`` and ``then`` make one after the other, as one."""
    composed = {}
    for key in first.keys() | then.keys():
        changed, removed = first.get(key, ({}, frozenset()))
        changed_then, removed_then = then.get(key, ({}, frozenset()))
        composed[key] = ({entry: value for entry, value in changed.items() if entry not in removed_then} | changed_then,
                         frozenset(removed - changed_then.keys()) | removed_then)
    return composed


def _entries(parts: Parts) -> int:
    return sum(len(part) for part in parts.values())


def _are_parts(parts) -> bool:
    return isinstance(parts, dict) and all(isinstance(part, dict) for part in parts.values())


def _are_changes(changes) -> bool:
    return isinstance(changes, dict) and all(
        isinstance(change, tuple) and len(change) == 2 and isinstance(change[0], dict)
        and isinstance(change[1], frozenset) for change in changes.values())


def _files_in(folder: str) -> frozenset[str]:
    """The names of the files in ``folder`` (through links, as ``os.path.isfile``); none where it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return frozenset(entry.name for entry in entries if _is_file(entry))
    except OSError:  # gone, not a folder, not readable
        return frozenset()


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:  # a link that cannot be followed
        return False


def _is_manifest(manifest) -> bool:
    """The shape this code writes (anything else describes no site). Its paths are checked where they are used:
    that is where it matters, and checking 400,000 paths on every build took a second."""
    return (isinstance(manifest, dict) and manifest.get("version") == VERSION
            and isinstance(manifest.get("fingerprint"), str) and isinstance(manifest.get("site_inode"), int)
            and isinstance(manifest.get("files"), dict)
            and "theme" in manifest and isinstance(manifest["theme"], ThemeOutput | None)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in manifest["files"].items()))


def _is_site_path(path: str) -> bool:
    """A relative path that stays inside the site."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "\0" not in path


def _apply(staging: Path, site: Path, deleted: list[str]) -> None:
    """Move every staged file into the site (unless the site's file is the same) and delete ``deleted``: first those
    in a staged file's way, the rest after. A path can change from a file to a folder or back (an item whose 索引号
    became another's page name with ``.html``): its old file, or its old folder's files, must go before it can be
    written, or the update could never be applied."""
    staged = [os.path.relpath(os.path.join(folder, name), staging) for folder, _, names in os.walk(staging)
              for name in names]
    files, folders = set(staged), {parent for path in staged for parent in _parents(path)}
    in_the_way = {path for path in deleted if path in folders or not files.isdisjoint(_parents(path))}
    _delete(site, sorted(in_the_way))
    for path in staged:
        source, target = os.path.join(staging, path), os.path.join(site, path)
        if not _same_file(source, target):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.replace(source, target)
    _delete(site, [path for path in deleted if path not in in_the_way])


def _parents(path: str) -> list[str]:
    """The folders ``path`` is in, as paths relative to the site: a/b/c.html is in a and a/b."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def _delete(site: Path, deleted: list[str]) -> None:
    """Delete ``deleted`` (those gone already too: every step of an update can be repeated) and the folders they
    leave empty (a listing's page/2/, a withdrawn organ's organs/x/)."""
    for path in deleted:
        target = site / path
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != site:
            try:
                folder.rmdir()
            except FileNotFoundError:  # gone already (an apply interrupted, or by hand): its parent may be empty
                pass
            except OSError:  # still has files
                break
            folder = folder.parent


def _same_file(source: str, target: str) -> bool:
    try:
        a, b = os.stat(source), os.stat(target)
    except OSError:
        return False
    if a.st_ino == b.st_ino:
        return True  # hard-linked from the site (the search index's unchanged parts)
    if a.st_size != b.st_size:
        return False
    with open(source, "rb") as x, open(target, "rb") as y:
        return x.read() == y.read()
