"""What a build keeps on disk for the next one: a pickle under a header naming the code that wrote it and a checksum.

It is read back only whole and only by the same code (anything else is as if missing: what is stored here is only
ever an optimisation). The index keeps its ranges this way, and the build its manifest and what it read.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

# What unpickling damaged or foreign bytes can raise besides the checksum's mismatch.
UNREADABLE = (OSError, ValueError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, IndexError,
              KeyError, RecursionError, MemoryError)


def save(path: Path, value, tag: str) -> None:
    """``value`` pickled under a header of ``tag`` and its checksum, replacing ``path`` at once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("wb") as file:  # not header + payload: that is a second copy (~130 MB at 100,000 items)
        file.write(f"{tag} {hashlib.sha256(payload).hexdigest()}\n".encode("ascii"))
        file.write(payload)
    temporary.replace(path)


def load(path: Path, tag: str):
    """What ``save`` stored under ``tag``; None when it is missing, damaged or stored under another tag."""
    try:
        with path.open("rb") as file:  # the header apart from the payload, for the same reason
            header = file.readline()
            payload = file.read()
        stored_by, checksum = header.decode("ascii").split()
        if stored_by != tag or hashlib.sha256(payload).hexdigest() != checksum:
            return None
        return pickle.loads(payload)
    except UNREADABLE:
        return None
