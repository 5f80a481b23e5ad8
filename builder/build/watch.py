"""Which watched files were saved: what `gongkai serve` builds again after.

The operating system says so as it happens (watchdog, which mkdocs installs for `mkdocs serve`). Looking at every
file instead took 0.65 s at 100,000 items, more than the 0.3 s between two looks: the preview kept a core busy
doing nothing, and a save waited for the look in progress. Where notifications cannot be had (the system's limit of
watches reached, a folder that does not support them), every file is looked at again each POLL_SECONDS.

Either way a file counts as saved only when its status (times, size, inode: ``util.file_status``) differs from what
was last seen: reading the catalog (as every build does) changes none of it, though it may make the system report the
file; a new version saved with the size and modification time of the old one changes its change time.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

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

from ..util import FileStatus, file_status, walk_once

POLL_SECONDS = 0.3  # where notifications cannot be had: how often every file is looked at
SETTLE_SECONDS = 0.1  # an editor saves in steps (a temporary file, a rename): one build after the last of them
# The only notifications asked of the system (watchdog drops the others): not the opening and reading of files,
# which every build does to thousands of them (the search index reads a range's 1,000 item files after each save),
# nor a folder's "modified", which its entries' own notifications say better.
NOTIFIED = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent, DirCreatedEvent,
            DirDeletedEvent, DirMovedEvent]

State = dict[str, FileStatus]  # file → its status


def files_state(roots: list[Path]) -> State:
    """Every file under ``roots`` with its status: what saving a file changes."""
    return _walked(roots)[0]


def _walked(roots: list[Path]) -> tuple[State, frozenset[Path]]:
    """Every file under ``roots`` with its status, through linked folders too, as the build reads them (a year's
    folder of items linked in from a shared drive), each folder once; and the real folders outside ``roots`` those
    links lead to, where the system reports a save under the real path, which no watch of ``roots`` covers."""
    found: State = {}
    linked = set()
    for root in roots:
        if root.is_file():
            _look(str(root), found)
            continue
        for folder, folders, names in walk_once(root):  # each folder once, as the build reads them
            for name in folders:
                if os.path.islink(os.path.join(folder, name)):
                    real = Path(folder, name).resolve()
                    if not any(real.is_relative_to(watched) for watched in roots):
                        linked.add(real)
            for name in names:
                _look(os.path.join(folder, name), found)
    return found, frozenset(linked)


def _look(path: str, state: State) -> None:
    """Record ``path`` as it is now in ``state`` (removed from it when it is gone)."""
    status = file_status(path)
    if status is None:
        state.pop(path, None)
    else:
        state[path] = status


class SavedFiles:
    """The watched files (``roots``: folders and files) as last seen, and whether any was saved since."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = [root.resolve() for root in roots]
        self.state, links = _walked(self.roots)
        self._reported: set[str] = set()
        self._rescan = False  # a folder was created, moved or removed: its files are not reported one by one
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._observer = Observer()
        self._handler = _Reporter(self)
        # Watched as well: a save there makes every file be looked at again. Replaced, never changed, as the
        # observer's thread reads it.
        self.linked: frozenset[Path] = frozenset()
        try:
            for root in self.roots:
                self._observer.schedule(self._handler, str(root if root.is_dir() else root.parent),
                                        recursive=root.is_dir(), event_filter=NOTIFIED)
            self._watch_linked(links)
            self._observer.start()
            self.notified = True
        except OSError:  # no notifications here: looked for instead
            self.notified = False

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
                time.sleep(SETTLE_SECONDS)
                with self._lock:
                    self._event.clear()
                    reported, self._reported = self._reported, set()
                    rescan, self._rescan = self._rescan, False
                changed = self._changed(reported) if not rescan else self._rescanned()
            else:
                time.sleep(min(POLL_SECONDS, step))
                changed = self._rescanned()
            if changed:
                return True
        return False

    def _changed(self, paths: set[str]) -> bool:
        changed = False
        for path in paths:
            before = self.state.get(path)
            _look(path, self.state)
            changed |= self.state.get(path) != before
        return changed

    def _rescanned(self) -> bool:
        now, links = _walked(self.roots)
        changed, self.state = now != self.state, now
        if self.notified:
            try:
                self._watch_linked(links)
            except OSError:  # the system's limit of watches: that folder is seen on the next rescan
                pass
        return changed

    def report(self, path: str, folder: bool) -> None:
        """A notification about ``path``, a file or a ``folder`` (from the observer's thread). One in a linked folder
        names the real path, not the one under the roots: every file is looked at again, as for a folder."""
        linked = any(Path(path).is_relative_to(real) for real in self.linked)
        if linked or self._watched(path):
            folder = folder or os.path.isdir(path)  # a link to a folder is reported as a file
            with self._lock:
                if folder or linked:
                    self._rescan = True
                else:
                    self._reported.add(path)
                self._event.set()

    def _watched(self, path: str) -> bool:
        return any(path == str(root) or (root.is_dir() and path.startswith(f"{root}{os.sep}")) for root in self.roots)

    def close(self) -> None:
        if self.notified:
            self._observer.stop()
            self._observer.join()


class _Reporter(FileSystemEventHandler):
    def __init__(self, saved: SavedFiles) -> None:
        self.saved = saved

    def on_any_event(self, event: FileSystemEvent) -> None:
        for path in (event.src_path, event.dest_path):
            if path:
                self.saved.report(os.fsdecode(path), event.is_directory)
