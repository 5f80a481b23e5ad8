"""What a build keeps on disk for the next one: a pickle between a header naming the code that wrote it and a
checksum.

It is read back only whole and only by the same code (anything else is as if missing: what is stored here is only
ever an optimisation). The index keeps its ranges this way, and the build its manifest and what it read. The pickle
streams into the file, and is read from the file mapped into memory: its bytes are never copied into memory beside
the objects they make (at 100,000 items the index's ranges are ~130 MB of them, at 300,000 ~400 MB).

What a value's objects pickle as ``pickle.PickleBuffer`` (bytes to be read later, such as the kept items' fields
that a change does not read: catalog.KEPT_REDUCTIONS) is stored after the pickle and read back as views of the
mapped file, not copied: at 100,000 items ~90 MB that a change build no longer copies into ~200,000 objects of its
own (docs/decisions.md). Such a view keeps the file mapped; the file is only ever replaced whole (``finish``), so
what is mapped does not change under it.

A value is written into a temporary file beside its own, which replaces it once whole. The temporary is locked
(``flock``) for as long as its writer has it open: the lock, which the system releases when the writer ends however
it ends, tells a value still being written (``wait_for_writers``) from one whose writer was killed (``abandoned``).
"""

from __future__ import annotations

import copyreg
import enum
import errno
import fcntl
import itertools
import mmap
import os
import pickle
import re
import secrets
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# What unpickling damaged or foreign bytes can raise besides the checksum's mismatch.
UNREADABLE = (OSError, ValueError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, IndexError,
              KeyError, RecursionError, MemoryError, struct.error)
# What ``begin`` makes: .<name>.<pid>-<random>; or .<name>.<pid>, made unlocked by releases before 2026-12-04, whose
# writer may have been killed too.
_TEMPORARY = re.compile(r"\.(.+)\.[0-9]+(?:-[0-9a-f]{8})?")
# A line break and the CRC-32 of the pickle, in hex. What the checksum guards against is damage (a disk's, a copy's,
# a write cut short), not a forger: whoever can write the cache can run the build. CRC-32 finds such damage as SHA-256
# does and reads 2.4x as fast (0.039 s against 0.095 for the 159 MB kept by a build of 100,000 items, read before
# anything is unpickled; the index's ranges likewise).
TRAILER = 1 + 8
# The header's first word: a file laid out otherwise (before the buffers were stored apart) reads as missing.
LAYOUT = "gongkai-stored-2"
# After the pickle and its buffers: each buffer's length, their count and the pickle's length, as little-endian
# unsigned 64-bit numbers, then the trailer.
_LENGTH = struct.Struct("<Q")


def _hex(checksum: int) -> bytes:
    return f"{checksum:08x}".encode("ascii")


class _Summing:
    """A file that sums what is written to it (its checksum)."""

    def __init__(self, file) -> None:
        self.file = file
        self.checksum = 0

    def write(self, data) -> int:
        self.checksum = zlib.crc32(data, self.checksum)
        return self.file.write(data)


def save(path: Path, value, tag: str, reductions: dict[type, Callable] | None = None) -> None:
    """``value`` pickled under a header of ``tag`` and above its checksum, replacing ``path`` at once.
    ``reductions``: how objects of these types are pickled here, as copyreg's (the rest as everywhere)."""
    finish(begin(path), path, value, tag, reductions)


def begin(path: Path) -> BinaryIO:
    """The temporary file that ``finish`` writes ``path``'s next value into, made and locked now. It may be handed to
    a forked process that writes it: the lock belongs to the open file, which both then hold, and lasts until the
    last of them closes it (a build's own copy, closed at once, leaves it to the writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Named apart from every other: one process may begin a value again while a writer it forked still writes the
    # last (`gongkai serve` saving twice in a few seconds).
    file = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}").open("wb")
    try:
        fcntl.flock(file, fcntl.LOCK_EX)  # waits only while another process looks at it (``_state``): microseconds
    except OSError as error:
        if error.errno not in NO_LOCKS:
            discard(file)
            raise
        # A file system without locks (some network ones): written all the same, and not waited for.
    return file


# What flock(2) says on a file system that has no locks.
NO_LOCKS = frozenset({errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL})


def discard(file: BinaryIO) -> None:
    """A file from ``begin`` that will not be written: closed, and gone."""
    file.close()
    os.unlink(file.name)


def finish(file: BinaryIO, path: Path, value, tag: str, reductions: dict[type, Callable] | None = None) -> None:
    """Write ``value`` into ``file`` (from ``begin``), which then replaces ``path``."""
    with file:
        file.write(_header(tag))
        summing = _Summing(file)
        buffers: list[memoryview] = []
        pickler = pickle.Pickler(summing, protocol=5, buffer_callback=lambda buffer: buffers.append(buffer.raw()))
        if reductions:
            pickler.dispatch_table = copyreg.dispatch_table | reductions
        pickler.dump(value)
        pickled = file.tell() - len(_header(tag))
        for buffer in buffers:
            summing.write(buffer)
        summing.write(struct.pack(f"<{len(buffers)}Q", *map(len, buffers)))
        summing.write(_LENGTH.pack(len(buffers)) + _LENGTH.pack(pickled))
        file.write(b"\n" + _hex(summing.checksum))
        file.flush()
        os.replace(file.name, path)  # before the lock is released: a reader that waited finds the value in place


def abandoned(folder: Path) -> list[Path]:
    """The temporary files ``begin`` made in ``folder`` whose writers have ended without finishing: killed while
    writing (a build's background writer stopped with its service, the system out of memory), which would leave them
    for good (~100 MB each at 100,000 items). One still locked is being written; one whose lock cannot be looked at
    (no locks on its file system, another user's file) only once it has not been written to for STALE_SECONDS."""
    found = []
    for temporary in _temporaries(folder):
        state = _state(temporary)
        if state is LockState.FREE or state is LockState.UNKNOWN and _unchanged_for(temporary, STALE_SECONDS):
            found.append(temporary)
    return found


STALE_SECONDS = 3600  # a writer pickles for seconds (~3 at 100,000 items), writing all the time


def wait_for_writers(path: Path, seconds: float) -> None:
    """Wait, for ``seconds`` at most, until no process is writing ``path``'s next value. A build that reads what the
    last one kept while that one's writer still pickles it would find the value before it (or, after a build of the
    whole site, nothing) and read and check the whole catalog again: at 100,000 items ~18 s against a change's ~6 s,
    where the writer needs ~3 s. A writer whose lock cannot be looked at is not waited for."""
    deadline = time.monotonic() + seconds
    for temporary in _temporaries(path.parent, path.name):
        while _state(temporary) is LockState.WRITTEN and time.monotonic() < deadline:
            time.sleep(WAIT_STEP)


WAIT_STEP = 0.02  # seconds between looks at a writer's lock


def _temporaries(folder: Path, name: str | None = None) -> list[Path]:
    """The temporary files ``begin`` made in ``folder`` (of the value ``name`` only, when given)."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:  # no folder yet, or not one
        return []
    return [folder / found for found in names
            if (match := _TEMPORARY.fullmatch(found)) and name in (None, match[1])]


class LockState(enum.Enum):
    """What a look at a temporary's lock finds (``_state``)."""

    WRITTEN = "a process holds it open to write it (``begin``'s lock)"
    FREE = "nobody does"
    GONE = "it was written, or removed"
    UNKNOWN = "whether it is being written cannot be told (no locks, a file not ours to read)"


def _state(temporary: Path) -> LockState:
    try:
        with temporary.open("rb") as file:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return LockState.WRITTEN
    except FileNotFoundError:
        return LockState.GONE
    except OSError:
        return LockState.UNKNOWN
    return LockState.FREE


def _unchanged_for(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime > seconds
    except OSError:  # gone meanwhile
        return False


def load(path: Path, tag: str):
    """What ``save`` stored under ``tag``; None when it is missing, damaged or stored under another tag. The checksum
    is read through first: nothing is unpickled from bytes that differ from those written."""
    try:
        with path.open("rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except UNREADABLE:  # missing, unreadable, or empty (nothing to map)
        return None
    whole = memoryview(mapped)
    header = _header(tag)
    start, end = len(header), len(whole) - TRAILER
    counts = end - 2 * _LENGTH.size
    if counts < start or whole[:start] != header or whole[end:] != b"\n" + _hex(zlib.crc32(whole[start:end])):
        return None
    (count,), (pickled,) = _LENGTH.unpack_from(whole, counts), _LENGTH.unpack_from(whole, counts + _LENGTH.size)
    lengths = counts - count * _LENGTH.size
    offsets = list(itertools.accumulate(struct.unpack_from(f"<{count}Q", whole, lengths) if lengths >= start else (),
                                        initial=start + pickled))
    if offsets[-1] != lengths:
        return None
    try:
        return pickle.loads(whole[start:start + pickled],
                            buffers=map(whole.__getitem__, map(slice, offsets, offsets[1:])))
    except UNREADABLE:
        return None


def _header(tag: str) -> bytes:
    return f"{LAYOUT} {tag}\n".encode("ascii")
