"""Writing the generated pages into their shells, on every core."""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from .pages import PageSource
from .shells import Shell, ShellKey, shell_key

CHUNK = 200
PARALLEL_FROM = 400  # below this, starting workers costs more than it saves

# What forked workers render: set just before the pool starts, so they inherit it instead of receiving a copy.
_JOB: tuple[list[PageSource], dict[ShellKey, Shell], Path] | None = None


def write_pages(sources: list[PageSource], shells: dict[ShellKey, Shell], site_dir: Path,
                on_written: Callable[[int], None]) -> None:
    global _JOB
    _JOB = (sources, shells, site_dir)
    chunks = [range(start, min(start + CHUNK, len(sources))) for start in range(0, len(sources), CHUNK)]
    workers = min(os.cpu_count() or 1, 2)
    try:
        if len(sources) < PARALLEL_FROM or workers == 1:
            for written in map(_write_chunk, chunks):
                on_written(written)
        else:
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                for written in pool.map(_write_chunk, chunks):
                    on_written(written)
    finally:
        _JOB = None


def _write_chunk(indices: range) -> int:
    sources, shells, site_dir = _JOB
    for index in indices:
        page = sources[index].render()
        path = site_dir / page.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(shells[shell_key(page.url)].fill(page).encode("utf-8", errors="xmlcharrefreplace"))
    return len(indices)
