"""Which watched files were saved: what `gongkai serve` builds again after, and which files those are.

The operating system says so as it happens (watchdog, which mkdocs installs for `mkdocs serve`). Looking at every
file instead took 0.65 s at 100,000 items, more than the 0.3 s between two looks: the preview kept a core busy
doing nothing, and a save waited for the look in progress. Where notifications cannot be had (the system's limit of
watches reached, a folder that does not support them), every file is looked at again each POLL_SECONDS.

Either way a file counts as saved only when its status (times, size, inode: ``util.file_status``) differs from what
was last seen: reading the catalog (as every build does) changes none of it, though it may make the system report the
file; a new version saved with the size and modification time of the old one changes its change time. Files no build
reads that editors write beside the one being edited (``unread``) are not looked at at all.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from ..util import FileStatus, file_status, is_folder, resolved, walk_once

POLL_SECONDS = 0.3  # where notifications cannot be had: how often every file is looked at
# An editor saves in steps (a temporary file, a rename; a long file in many writes), each a few milliseconds after
# the last: one build once none has come for SETTLE_SECONDS (the 50 ms other watchers wait, as watchexec does).
# A stream that does not stop (a checkout of thousands of files) is built after SETTLE_AT_MOST_SECONDS, and what
# follows by the next build.
SETTLE_SECONDS = 0.05
SETTLE_AT_MOST_SECONDS = 1.0
# The only notifications asked of the system (watchdog drops the others): not the opening and reading of files,
# which every build does to thousands of them (the search index reads a range's 1,000 item files after each save),
# nor a folder's "modified", which its entries' own notifications say better.
NOTIFIED = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent, DirCreatedEvent,
            DirDeletedEvent, DirMovedEvent]
# Endings of files no build reads: vim's swap files (also .x.swp, hidden), temporary files (an editor's save in
# steps writes one, then renames it onto the file: the rename's destination counts), backups (x~), JetBrains' safe
# write, and logs (a page never includes one; the preview's own messages saved into one would build it for ever).
UNREAD_ENDINGS = (".swp", ".swx", ".swo", ".tmp", "~", "___jb_tmp___", "___jb_old___", ".log")
SNIPPETS = "pymdownx.snippets"  # the Markdown extension that includes other files in pages
# Below a snippets base folder that holds the project, the folders no page includes from: installed packages, caches.
NOT_SNIPPETS = frozenset({"node_modules", "__pycache__"})


def unread(name: str) -> bool:
    """Whether a file named ``name`` is one no build reads, written by an editor or the system beside the files staff
    edit: hidden files (the catalog reads none, mkdocs leaves them out of the site) but for YAML ones (Material's meta
    plugin reads .meta.yml in the pages), macOS's ._x and emacs' .#x lock whatever their ending, emacs' #x# autosave,
    vim's 4913 (its probe whether it may write in the folder) and the ``UNREAD_ENDINGS``."""
    return (name.startswith(("._", ".#")) or (name.startswith(".") and not name.endswith((".yml", ".yaml")))
            or name.endswith(UNREAD_ENDINGS) or (len(name) > 1 and name[0] == name[-1] == "#") or name == "4913")


@dataclasses.dataclass(frozen=True)
class Watched:
    """What is watched, as absolute paths: ``roots``, folders with all below them (but hidden folders) and files;
    ``shallow``, folders with the files directly in them; ``settings``, the files that say what is watched
    (mkdocs.yml and those it inherits): when one is saved, what is watched is looked up again."""

    roots: tuple[Path, ...]
    shallow: tuple[Path, ...] = ()
    settings: frozenset[Path] = frozenset()


# What `SavedFiles` watches: the folders and files, or what says which (looked up again as it changes).
Roots = list[Path] | Callable[[], Watched]


def preview_watched(catalog_dir: Path, config_file: Path, site_dir: Path) -> Watched:
    """What `gongkai serve` watches, as mkdocs.yml says now: the catalog, mkdocs.yml and the files it inherits
    (INHERIT), the pages (docs_dir), the theme's overrides (custom_dir) and what pages include (pymdownx.snippets'
    base_path and auto_append). Only the catalog and mkdocs.yml's files while it cannot be read: the build says why,
    and its next save looks again. A snippets base folder that holds the project (".", the default) is watched for its
    own files and below each of its folders but hidden ones, ``NOT_SNIPPETS``, virtual environments and the sites
    built there (docs/decisions.md)."""
    from mkdocs import exceptions
    from mkdocs.config import load_config

    settings = _inherited(config_file.resolve())
    catalog = resolved(catalog_dir)
    try:
        config = load_config(str(config_file))
    except (exceptions.MkDocsException, OSError):
        return Watched((catalog, *settings), settings=frozenset(settings))
    folders = [catalog, Path(config.docs_dir), *([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])]
    roots, shallow = [*folders, *settings], []
    if SNIPPETS in config.markdown_extensions:
        options = config.mdx_configs.get(SNIPPETS, {})
        bases = options.get("base_path", ["."])
        sites = {Path(config.site_dir), site_dir.resolve()}
        for base in (Path(os.path.abspath(b)) for b in ([bases] if isinstance(bases, str) else bases)):
            roots += [base / name for name in options.get("auto_append", [])]  # may be in a folder left out below
            if any(base.is_relative_to(folder) for folder in folders):
                continue
            if any(path.is_relative_to(base) for path in (*folders, config_file.resolve().parent, *sites)):
                shallow.append(base)
                roots += [sub for sub in _subfolders(base) if sub not in folders and sub not in sites]
            else:
                roots.append(base)
    return Watched(tuple(dict.fromkeys(roots)), tuple(shallow), frozenset(settings))


def _inherited(config_file: Path) -> list[Path]:
    """``config_file`` and the files it inherits (INHERIT: each relative to the file naming it), as far as they can
    be read: one with a mistake is watched, not those it would name."""
    chain = [config_file]
    while True:
        try:
            node = yaml.compose(chain[-1].read_bytes(), Loader=yaml.SafeLoader)  # its tags (!ENV) are not made
        except (OSError, yaml.YAMLError):
            return chain
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        parent = next((value.value for key, value in pairs if key.value == "INHERIT"), None)
        if not isinstance(parent, str):
            return chain
        path = Path(os.path.normpath(chain[-1].parent / parent))
        if path in chain:  # a loop, which mkdocs cannot load either
            return chain
        chain.append(path)


def _subfolders(base: Path) -> list[Path]:
    """The folders of ``base`` a page may include files from."""
    try:
        with os.scandir(base) as entries:
            return [Path(entry.path) for entry in entries
                    if is_folder(entry) and not entry.name.startswith(".") and entry.name not in NOT_SNIPPETS
                    and not os.path.exists(os.path.join(entry.path, "pyvenv.cfg"))]
    except OSError:
        return []


State = dict[str, FileStatus]  # file → its status


def files_state(roots: list[Path]) -> State:
    """Every file under ``roots`` with its status: what saving a file changes."""
    return _walked(Watched(tuple(roots)))[0]


def _walked(watched: Watched) -> tuple[State, frozenset[Path]]:
    """Every file watched with its status, through linked folders too, as the build reads them (a year's folder of
    items linked in from a shared drive), each folder once; and the real folders outside the roots those links lead
    to, where the system reports a save under the real path, which no watch of the roots covers."""
    found: State = {}
    linked = set()
    for folder in watched.shallow:
        for name in _names(folder):
            _look(os.path.join(folder, name), found)
    for root in watched.roots:
        if not root.is_dir():
            _look(str(root), found)
            continue
        for folder, folders, names in walk_once(root):  # each folder once, as the build reads them
            folders[:] = [name for name in folders if not name.startswith(".")]  # .git, an editor's, ours
            for name in folders:
                if os.path.islink(os.path.join(folder, name)):
                    real = Path(folder, name).resolve()
                    if not any(real.is_relative_to(other) for other in watched.roots):
                        linked.add(real)
            for name in names:
                if not unread(name):
                    _look(os.path.join(folder, name), found)
    return found, frozenset(linked)


def _names(folder: Path) -> list[str]:
    """The names of the files directly in ``folder`` that a build may read."""
    try:
        with os.scandir(folder) as entries:
            return [entry.name for entry in entries if not unread(entry.name) and not is_folder(entry)]
    except OSError:
        return []


def _look(path: str, state: State) -> None:
    """Record ``path`` as it is now in ``state`` (removed from it when it is gone)."""
    status = file_status(path)
    if status is None:
        state.pop(path, None)
    else:
        state[path] = status


class SavedFiles:
    """The watched files as last seen, and whether any was saved since: ``watched``, the folders and files watched,
    or what says which (called again when one of its ``settings`` is saved: mkdocs.yml may name other folders)."""

    def __init__(self, watched: Roots) -> None:
        if callable(watched):
            self._look_up = watched
        else:
            fixed = Watched(tuple(resolved(root) for root in watched))
            self._look_up = lambda: fixed
        # Replaced, never changed, as the observer's thread reads it.
        self.watched = self._look_up()
        self.state, links = _walked(self.watched)
        self._reported: set[str] = set()
        self._rescan = False  # a folder was created, moved or removed: its files are not reported one by one
        self._renewed: set[Path] = set()  # watched folders themselves made or removed, or folders in shallow ones
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._observer = Observer()
        self._handler = _Reporter(self)
        self._watches: dict[tuple[Path, bool], ObservedWatch] = {}  # (folder, recursive) → its watch
        # Watched as well: a save there makes every file be looked at again. Replaced, never changed, as the
        # observer's thread reads it.
        self.linked: frozenset[Path] = frozenset()
        try:
            self._watch(set())
            self._watch_linked(links)
            self._observer.start()
            self.notified = True
        except OSError:  # no notifications here: looked for instead
            self.notified = False

    def _watch(self, renewed: set[Path]) -> None:
        """Have the system report what ``watched`` says, and for each root the folder it is in: a folder deleted,
        moved away or made again (a backup restored: rm -r catalog; cp -r backup catalog) ends its own watch, or
        has it report under the old name; it is watched anew. ``renewed``: such folders, whose watches are made
        again."""
        wanted = {(path, True) for path in self.watched.roots if path.is_dir()}
        wanted |= {(path, False) for path in self.watched.shallow if path.is_dir()}
        # Where a file root, or a folder root itself, is saved, made or removed.
        wanted |= {(path.parent, False) for path in self.watched.roots if path.parent.is_dir()}
        for key in [key for key in self._watches if key not in wanted or key[0] in renewed]:
            self._observer.unschedule(self._watches.pop(key))
        for folder, recursive in wanted - self._watches.keys():
            self._watches[folder, recursive] = self._observer.schedule(
                self._handler, str(folder), recursive=recursive, event_filter=NOTIFIED)

    def _watch_linked(self, links: frozenset[Path]) -> None:
        """Watch the real folders of linked folders not watched yet (those linked in since are found on a rescan)."""
        for folder in links - self.linked:
            self._observer.schedule(self._handler, str(folder), recursive=True, event_filter=NOTIFIED)
            self.linked = self.linked | {folder}

    def wait(self, timeout: float | None = None) -> bool:
        """Whether a watched file was saved since the last time this said so (or since this was made): True as soon
        as one was, False when ``timeout`` seconds passed without."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while deadline is None or time.monotonic() < deadline:
            step = 1.0 if deadline is None else max(0.0, min(1.0, deadline - time.monotonic()))
            if self.notified:
                # In steps: Ctrl+C is handled between them.
                if not self._event.wait(step):
                    continue
                self._settle()
                with self._lock:
                    self._event.clear()
                    reported, self._reported = self._reported, set()
                    rescan, self._rescan = self._rescan, False
                    renewed, self._renewed = self._renewed, set()
                if renewed:
                    changed = self._look_again(renewed)
                else:
                    changed = self._rescanned() if rescan else self._changed(reported)
            else:
                time.sleep(min(POLL_SECONDS, step))
                changed = self._rescanned()
            if not changed.isdisjoint(map(str, self.watched.settings)):
                changed |= self._look_again(set())
            if changed:
                return True
        return False

    def _settle(self) -> None:
        """Wait until no notification has come for SETTLE_SECONDS (at most SETTLE_AT_MOST_SECONDS in all). What
        came meanwhile is kept (``report``), and taken with the rest."""
        until = time.monotonic() + SETTLE_AT_MOST_SECONDS
        while (left := until - time.monotonic()) > 0:
            self._event.clear()
            if not self._event.wait(min(SETTLE_SECONDS, left)):
                return

    def _look_again(self, renewed: set[Path]) -> set[str]:
        """Watch what is to be watched now (``renewed``: folders whose watches are made again), and see its files as
        they are: those changed since last seen."""
        self.watched = self._look_up()
        if self.notified:
            try:
                self._watch(renewed)
            except OSError:  # the system's limit of watches: looked for instead from now on
                self._observer.stop()
                self.notified = False
        return self._rescanned()

    def _changed(self, paths: set[str]) -> set[str]:
        changed = set()
        for path in paths:
            before = self.state.get(path)
            _look(path, self.state)
            if self.state.get(path) != before:
                changed.add(path)
        return changed

    def _rescanned(self) -> set[str]:
        now, links = _walked(self.watched)
        changed = {path for path in now.keys() | self.state.keys() if now.get(path) != self.state.get(path)}
        self.state = now
        if self.notified:
            try:
                self._watch_linked(links)
            except OSError:  # the system's limit of watches: that folder is seen on the next rescan
                pass
        return changed

    def report(self, path: str, folder: bool) -> None:
        """A notification about ``path``, a file or a ``folder`` (from the observer's thread). One in a linked folder
        names the real path, not the one under the roots: every file is looked at again, as for a folder. One about
        a watched folder itself, or a folder in a shallow one, has what to watch looked up again."""
        watched, place = self.watched, Path(path)
        itself = folder and (place in watched.roots or place in watched.shallow)
        within = None if itself else _within(place, watched, self.linked)
        if not itself and (within is None or not _counted(place, within)):
            return
        folder = folder or os.path.isdir(path)  # a link to a folder is reported as a file
        with self._lock:
            if itself or (folder and within in watched.shallow):
                self._renewed.add(place)
            elif folder or within in self.linked:
                self._rescan = True
            else:
                self._reported.add(path)
            self._event.set()

    def close(self) -> None:
        if self.notified:
            self._observer.stop()
            self._observer.join()


def _within(place: Path, watched: Watched, linked: frozenset[Path]) -> Path | None:
    """What watched ``place`` is: a root file, or in a root folder, shallow folder or linked folder; None if nothing
    watched."""
    if place in watched.roots:
        return place
    if place.parent in watched.shallow:
        return place.parent
    return next((folder for folder in (*watched.roots, *linked) if place.is_relative_to(folder)), None)


def _counted(place: Path, within: Path) -> bool:
    """Whether a notification about ``place``, watched as ``within``, may be of a file a build reads: a root file
    always is; one below a folder is not when ``unread`` or in a hidden folder."""
    parts = place.relative_to(within).parts
    return not parts or (not unread(parts[-1]) and not any(part.startswith(".") for part in parts[:-1]))


class _Reporter(FileSystemEventHandler):
    def __init__(self, saved: SavedFiles) -> None:
        self.saved = saved

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, event.dest_path):
            if path:
                self.saved.report(os.fsdecode(path), event.is_directory)
