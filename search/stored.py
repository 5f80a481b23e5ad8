"""What a build keeps on disk for the next one: a pickle between a header naming the code that wrote it and a
checksum.

It is read back only whole and only by the same code (anything else is as if missing: what is stored here is only
ever an optimisation). The index keeps its ranges this way, and the build its manifest and what it read. The pickle
streams to and from the file: its bytes are never in memory all at once beside the objects they make (at 100,000
items the index's ranges are ~130 MB of them, at 300,000 ~400 MB).
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
import re
from collections.abc import Callable
from pathlib import Path

# What unpickling damaged or foreign bytes can raise besides the checksum's mismatch.
UNREADABLE = (OSError, ValueError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, IndexError,
              KeyError, RecursionError, MemoryError)
_TEMPORARY = re.compile(r"\..+\.([0-9]+)")  # what ``save`` writes first: .<name>.<its writer's pid>
TRAILER = 1 + 64  # a line break and the SHA-256 of the pickle, in hex
CHUNK = 1 << 20


class _Hashing:
    """A file that hashes what is written to it."""

    def __init__(self, file) -> None:
        self.file = file
        self.sha256 = hashlib.sha256()

    def write(self, data) -> int:
        self.sha256.update(data)
        return self.file.write(data)


def save(path: Path, value, tag: str, reductions: dict[type, Callable] | None = None) -> None:
    """``value`` pickled under a header of ``tag`` and above its checksum, replacing ``path`` at once.
    ``reductions``: how objects of these types are pickled here, as copyreg's (the rest as everywhere)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")  # _TEMPORARY: ``abandoned`` reads the pid
    with temporary.open("wb") as file:
        file.write(f"{tag}\n".encode("ascii"))
        hashing = _Hashing(file)
        pickler = pickle.Pickler(hashing, protocol=pickle.HIGHEST_PROTOCOL)
        if reductions:
            pickler.dispatch_table = copyreg.dispatch_table | reductions
        pickler.dump(value)
        file.write(f"\n{hashing.sha256.hexdigest()}".encode("ascii"))
    temporary.replace(path)


def abandoned(folder: Path) -> list[Path]:
    """The temporary files ``save`` began in ``folder`` in processes that have ended: killed while writing (a build's
    background writer stopped with its service, the system out of memory), which would leave them for good (~100 MB
    each at 100,000 items). Those of a process still running are its own, still being written."""
    try:
        names = os.listdir(folder)
    except OSError:  # no folder yet, or not one
        return []
    return [folder / name for name in names if (match := _TEMPORARY.fullmatch(name)) and not _running(int(match[1]))]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: it exists
        pass
    return True


def load(path: Path, tag: str):
    """What ``save`` stored under ``tag``; None when it is missing, damaged or stored under another tag. The checksum
    is read through first: nothing is unpickled from bytes that differ from those written."""
    try:
        with path.open("rb") as file:
            if file.readline() != f"{tag}\n".encode("ascii"):
                return None
            start, end = file.tell(), os.fstat(file.fileno()).st_size - TRAILER
            if end < start:
                return None
            file.seek(end)
            trailer = file.read()
            file.seek(start)
            sha256 = hashlib.sha256()
            while file.tell() < end and (chunk := file.read(min(CHUNK, end - file.tell()))):
                sha256.update(chunk)
            if trailer != f"\n{sha256.hexdigest()}".encode("ascii"):
                return None
            file.seek(start)
            return pickle.load(file)
    except UNREADABLE:
        return None
