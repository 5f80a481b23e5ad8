"""Writing the generated pages into their shells, on every core, and the site's other files.

An output whose inputs the build cache knows unchanged is left as it is in the site (cache.py); otherwise
it is rendered and written. Either way its key goes into the new manifest.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from .cache import BuildCache, digest
from .pages import PageSource, SiteFile
from .shells import Shell, ShellKey, shell_key

CHUNK = 200
PARALLEL_FROM = 400  # below this, starting workers costs more than it saves

# What forked workers render: set just before the pool starts, so they inherit it instead of receiving a copy.
_JOB: tuple[list[PageSource], dict[ShellKey, Shell], Path, BuildCache | None] | None = None


def write_pages(sources: list[PageSource], shells: dict[ShellKey, Shell], site_dir: Path,
                cache: BuildCache | None, on_written: Callable[[int], None]) -> dict[str, str]:
    """Write every page of ``sources``; returns each page's key.

    Pages whose inputs are known unchanged stay as they are in the site; the rest are rendered, on both
    cores when there are many."""
    global _JOB
    keys = {}
    todo = []
    for source in sources:
        if source.inputs and cache and cache.reuse(source.path, source.inputs):
            keys[source.path] = source.inputs
        else:
            todo.append(source)
    on_written(len(keys))
    _JOB = (todo, shells, site_dir, cache)
    chunks = [range(start, min(start + CHUNK, len(todo))) for start in range(0, len(todo), CHUNK)]
    workers = min(os.cpu_count() or 1, 2)
    try:
        if len(todo) < PARALLEL_FROM or workers == 1:
            _record(map(_write_chunk, chunks), keys, on_written)
        else:
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                _record(pool.map(_write_chunk, chunks), keys, on_written)
    finally:
        _JOB = None
    return keys


def _record(results, keys: dict[str, str], on_written: Callable[[int], None]) -> None:
    for chunk_keys in results:
        keys.update(chunk_keys)
        on_written(len(chunk_keys))


def _write_chunk(indices: range) -> dict[str, str]:
    sources, shells, site_dir, cache = _JOB
    keys = {}
    for index in indices:
        source = sources[index]
        page = source.render()
        html = shells[shell_key(page.url)].fill(page).encode("utf-8", errors="xmlcharrefreplace")
        keys[source.path] = source.inputs or digest(html)
        if not (cache and cache.reuse(source.path, keys[source.path])):
            path = site_dir / source.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(html)
    return keys


def write_files(files: list[SiteFile], site_dir: Path, cache: BuildCache | None) -> dict[str, str]:
    """Copy attachments and write report data; returns each file's key."""
    keys = {}
    for file in files:
        content = file.source.read_bytes() if file.source else None
        keys[file.path] = file.inputs or digest(content)
        if cache and cache.reuse(file.path, keys[file.path]):
            continue
        target = site_dir / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if file.source else file.make())
    return keys
