"""Writing the files of the output, the index's and (for the build) the site's, in as few system calls as the
system allows: a build writes ~30,000 files at 10,000 items. ``Path.write_bytes`` makes six calls for each (it also
asks whether the file is a terminal, where it stands and how large it is); ``write_file`` makes three."""

from __future__ import annotations

import os
from pathlib import Path


def write_file(path: str | Path, data: bytes) -> None:
    """``data`` as the whole of the file ``path`` (created or replaced; its folder exists)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:  # a write may take only part of what it is given
            view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)
