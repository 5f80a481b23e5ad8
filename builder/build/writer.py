"""Writing the generated pages into their shells, on every core, and the site's other files.

An output whose inputs the build cache knows unchanged is left as it is in the site (cache.py); otherwise
it is rendered and written. Either way its key goes into the new manifest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from search.hashing import digest

from ..site.shells import Shell, ShellKey, shell_key
from ..site.structure import PageSource, SiteFile
from .cache import BuildCache
from .pools import fork_map

CHUNK = 200
PARALLEL_FROM = 400  # pages; below this, starting workers costs more than it saves


@dataclasses.dataclass(frozen=True)
class _PageJob:
    """What every page writer reads (a forked worker inherits it)."""

    sources: list[PageSource]
    shells: dict[ShellKey, Shell]
    site_dir: Path
    cache: BuildCache


def write_pages(sources: list[PageSource], shells: dict[ShellKey, Shell], site_dir: Path, cache: BuildCache,
                on_written: Callable[[int], None], cores_free: bool = True) -> dict[str, str]:
    """Write every page of ``sources``; returns each page's key.

    Pages whose inputs are known unchanged stay as they are in the site; the rest are rendered, on every core
    when there are many and the cores are free (``cores_free``: not while the search index is being written on
    them — a page writer forked beside it only competes for a core, and its copy of the build was ~600 MB at
    100,000 items)."""
    keys = {}
    todo = []
    for source in sources:
        if source.inputs and cache.reuse(source.path, source.inputs):
            keys[source.path] = source.inputs
        else:
            todo.append(source)
    on_written(len(keys))
    chunks = [range(start, min(start + CHUNK, len(todo))) for start in range(0, len(todo), CHUNK)]
    job = _PageJob(todo, shells, site_dir, cache)
    workers = None if cores_free and len(todo) >= PARALLEL_FROM else 1
    for chunk_keys in fork_map(_write_chunk, job, chunks, workers=workers):
        keys.update(chunk_keys)
        on_written(len(chunk_keys))
    return keys


def _write_chunk(job: _PageJob, indices: range) -> dict[str, str]:
    keys = {}
    for index in indices:
        source = job.sources[index]
        page = source.render()
        html = job.shells[shell_key(page.url)].fill(page).encode("utf-8", errors="xmlcharrefreplace")
        keys[source.path] = source.inputs or digest(html)
        if not job.cache.reuse(source.path, keys[source.path]):
            path = job.site_dir / source.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(html)
    return keys


def write_files(files: list[SiteFile], site_dir: Path, cache: BuildCache) -> dict[str, str]:
    """Copy attachments and write report data; returns each file's key."""
    keys = {}
    for file in files:
        content = file.source.read_bytes() if file.source else None
        keys[file.path] = file.inputs or digest(content)
        if cache.reuse(file.path, keys[file.path]):
            continue
        target = site_dir / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if file.source else file.make())
    return keys
