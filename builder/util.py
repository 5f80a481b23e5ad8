"""Rule-free helpers."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path


@contextlib.contextmanager
def replaced_atomically(target: Path):
    """Yield a fresh directory beside ``target``; on success it replaces ``target``, on any failure it is removed.

    The old ``target`` stays untouched until the new one is complete, so a failed build never leaves half a site.
    """
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        yield fresh
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    remove_in_background(old)


def remove_in_background(folder: Path) -> None:
    """Delete ``folder`` without waiting: removing 100,000 directories takes seconds nobody needs to wait for.
    The swap is already done; if the removal is interrupted, the next build removes what is left."""
    leftovers = sorted(str(p) for p in folder.parent.glob(folder.name.rsplit("-", 1)[0] + "-*"))
    if leftovers:
        subprocess.Popen(["rm", "-rf", "--", *leftovers], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def strip_control(text: str) -> str:
    """Control characters break XML and mean nothing on a page."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
