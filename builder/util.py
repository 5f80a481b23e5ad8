"""Rule-free helpers."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import decimal
import gc
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

# A file changed this long before it was looked at has a status that tells its changes. As git trusts its index: a
# file saved twice within one tick of the clock keeps its times, but not a status taken before the first save.
SETTLED_NS = 2_000_000_000

FileStatus = tuple[int, int, int, int]  # modification and change times in ns, size, inode


def file_status(path: str | Path) -> FileStatus | None:
    """What changes whenever a file's content does: ctime is set by the system on every write, never by a program.
    (Not so on FAT or sshfs, which copy the modification time into it: docs/decisions.md.)"""
    try:
        return status_of(os.stat(path))
    except OSError:
        return None


def status_of(found: os.stat_result | None) -> FileStatus | None:
    """``file_status`` of what the system said of a file (None: nothing there)."""
    return None if found is None else (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino)


def suffix_of(name: str) -> str:
    """A file name's last suffix as ``PurePath.suffix`` gives it (none for ".hidden" or "name."), without making a
    path: asked of every attachment on every build (paths kept as text, model/catalog.Attachment)."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def is_file(path: Path) -> bool:
    """Whether ``path`` is a file. A name the system refuses (longer than a name can be) is none: Path.is_file
    raises for it, and a catalog may write one (an attachment named with a pasted paragraph)."""
    try:
        return path.is_file()
    except OSError:
        return False


def resolved(path: str | Path) -> Path:
    """``path`` with every symbolic link followed, as ``Path.resolve`` gives it, but a link that leads to itself left
    as written rather than raised (RuntimeError, an internal error): what reads it next says it cannot."""
    return Path(os.path.realpath(path))


def is_folder(entry: os.DirEntry) -> bool:
    """Whether a listed entry is a folder, or a link to one. A link that leads to itself is none: ``is_dir`` raises
    for it (os.walk asks the same way)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


@dataclasses.dataclass(frozen=True)
class FolderListing:
    """The names a folder held, and its status when they were listed: while its status is the same, no name has been
    added, removed or renamed in it (each does that to the folder's modification time), and a later walk takes them
    from here rather than listing the folder again. At 100,000 items ~4,000 item folders took 0.22 s to list, and
    0.72–0.79 s on this machine once the system had dropped their blocks from its cache, which it does a minute after
    they were last read (docs/benchmarks.md, 2026-12-07); taking each one's status takes 0.015 s. Kept only when
    settled, as a file's status is (``settled``), and only for a folder without symbolic links: what a link's target
    is (a folder or a file) can change without the folder holding the link changing."""

    status: FileStatus
    folders: tuple[str, ...]  # the names of its subfolders (links to folders too)
    names: tuple[str, ...]  # and of everything else in it
    linked: bool  # whether any of them is a symbolic link

    def kept(self, now: int) -> bool:
        """Whether a later walk may take this listing (the folder looked at just after ``now``)."""
        return not self.linked and settled(self.status, now)


Listings = dict[str, FolderListing]  # a folder's path as walked → its listing


def walk_once(folder: str | Path, onerror: Callable[[OSError], None] | None = None, listed: Listings | None = None,
              listings: Listings | None = None) -> Iterator[tuple[str, list[str], tuple[str, ...]]]:
    """``os.walk`` of ``folder`` through linked folders too (a year's items, or overrides, linked from a shared
    drive), each real folder once, by device and inode: a link back up (a -> ..) walks no loop. ``onerror`` is
    told of a folder that cannot be read, or is gone since its parent was listed. As with os.walk, the caller may
    remove names from the folders yielded, which are then not walked. ``listed``: the listings of an earlier walk,
    each taken while its folder's status is the same; ``listings``: where this walk's are put, for a later one
    (``FolderListing``)."""
    walked: set[tuple[int, int]] = set()
    pending = [str(folder)]
    while pending:
        path = pending.pop()
        now = time.time_ns()  # before the status: a name added after it makes the folder's status newer than this
        try:
            found = os.stat(path)
        except OSError as error:
            if onerror is not None:
                onerror(error)
            continue
        if (found.st_dev, found.st_ino) in walked:
            continue
        walked.add((found.st_dev, found.st_ino))
        status = status_of(found)
        listing = (listed or {}).get(path)
        if listing is None or listing.status != status:
            listing = _listing(path, status, onerror)
            if listing is None:
                continue
        if listings is not None and listing.kept(now):
            listings[path] = listing
        folders = list(listing.folders)
        yield path, folders, listing.names
        # Last first: the folders are walked in the order os.walk walks them, which decides, of two paths to one
        # folder (one through a link), the one its files are found by.
        pending += [os.path.join(path, name) for name in reversed(folders)]


def _listing(path: str, status: FileStatus, onerror: Callable[[OSError], None] | None) -> FolderListing | None:
    """The folder ``path`` (whose status is ``status``) listed now, in the order and the kinds os.walk finds; None
    when it cannot be listed (``onerror`` is told)."""
    folders, names, linked = [], [], False
    try:
        with os.scandir(path) as entries:
            for entry in entries:
                linked = linked or entry.is_symlink()
                (folders if is_folder(entry) else names).append(entry.name)
    except OSError as error:
        if onerror is not None:
            onerror(error)
        return None
    return FolderListing(status, tuple(folders), tuple(names), linked)


def files_below(folder: Path) -> list[Path]:
    """Every file below ``folder``, sorted, through linked folders too, as mkdocs and Jinja read them (``rglob`` does
    not follow them: an office's overrides/partials linked from a shared theme went unseen, and a build kept every
    page made with the old partial)."""
    return sorted(Path(parent, name) for parent, _, names in walk_once(folder) for name in names)


def settled(status: FileStatus | None, now: int) -> bool:
    """Whether the file was last changed (written, or its status changed) long enough before ``now``."""
    return status is not None and now - max(status[0], status[1]) > SETTLED_NS


def swap_in(fresh: Path, target: Path) -> None:
    """Make the complete directory ``fresh`` (beside ``target``) the new ``target``: the old one stays untouched
    until the new one is whole, so a failed build never leaves half a site. On Linux the two directories are
    exchanged in one step, so that even a kill at that moment leaves ``target`` wholly old or wholly new."""
    if target.exists() and _exchange(fresh, target):
        remove_in_background(fresh)  # which now holds the old site
        return
    if not target.exists():
        fresh.rename(target)
        return
    old = target.with_name(f".{target.name}-old-{secrets.token_hex(4)}")  # never an earlier build's
    target.rename(old)
    fresh.rename(target)
    remove_in_background(old)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 with RENAME_EXCHANGE); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_cwd, rename_exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE from <fcntl.h> and <linux/fs.h>
    return renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0


def remove_in_background(*folders: Path) -> subprocess.Popen | None:
    """Delete ``folders`` without waiting: removing 100,000 directories takes seconds nobody needs to wait for.
    If the removal is interrupted, the next build removes what is left (``BuildCache.remove_leftovers``)."""
    if not folders:
        return None
    return subprocess.Popen(["rm", "-rf", "--", *map(str, folders)], start_new_session=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


# Compiled once: this runs for every text shown. The C0 controls but tab and line breaks, DEL, and what XML 1.0 does
# not allow at all (a surrogate on its own, U+FFFE, U+FFFF): a title with U+FFFE written as "\uFFFE" stopped every
# build in the feed writer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> str:
    """Control characters break XML and mean nothing on a page."""
    return _CONTROL.sub("", text)


def rounded(value: float) -> float:
    """``value`` to one decimal place as people round (四舍五入): Python's ``round`` rounds a half to the even
    digit, and a month's average of exactly 2.25 working days was published as 2.2."""
    return float(decimal.Decimal(repr(value)).quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP))


@contextlib.contextmanager
def no_gc(freeze: bool = False):
    """Make millions of small objects without the cyclic collector walking them again and again (a third of the
    time of loading 100,000 items): what is made here has no reference cycles. With ``freeze``, what exists
    afterwards is moved out of the collector's sight for the rest of the process (refcounting still frees it).
    Without, the first allocation afterwards starts a collection that walks everything made here once: for what
    is kept the whole build, freeze (reading the build cache of 100,000 items, that collection took 0.5 s)."""
    gc.disable()
    try:
        yield
    finally:
        if freeze:  # first: freezing also resets the count of new objects that would start that collection
            gc.freeze()
        gc.enable()


def write_atomically(path: Path, text: str | Iterable[str]) -> None:
    """Replace ``path`` with ``text`` so that anyone reading it sees the old file or the new one, never half of one.
    ``text`` may come as pieces (a search export of 100,000 documents is never one string)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as file:
            file.writelines([text] if isinstance(text, str) else text)
            file.flush()
            os.fsync(file.fileno())
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


K = TypeVar("K")
V = TypeVar("V")


class KeptByIdentity(Generic[K, V]):
    """What the last build made of each object, found again by the object's identity: an object the next build
    receives unchanged (the very same object) needs nothing made again. The kept objects are held, so no other
    object can take one's id meanwhile: an object found by its id is the one kept, with no pair made for each (at
    100,000 views ~0.1 s of every change)."""

    def __init__(self) -> None:
        self._held: list[K] = []
        self._made: dict[int, V] = {}

    def get(self, key: K) -> V | None:
        """What was kept of ``key``, if anything."""
        return self._made.get(id(key))

    def made(self, key: K, make: Callable[[K], V]) -> V:
        """What was kept of ``key``, or ``make(key)``."""
        found = self.get(key)
        return make(key) if found is None else found

    def keep(self, keys: Iterable[K], values: Iterable[V]) -> None:
        """Keep ``values``, what was made of each of ``keys``, instead of what was kept."""
        self._held = list(keys)
        self._made = dict(zip(map(id, self._held), values))
