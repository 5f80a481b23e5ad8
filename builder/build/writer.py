"""Writing the generated pages into their shells, on every core, and the site's other files.

An output whose inputs the build cache knows unchanged is left as it is in the site (cache.py); otherwise
it is rendered and written. Either way its key goes into the new manifest.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
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
                on_written: Callable[[int], None], cores_busy: Callable[[], bool] = lambda: False) -> dict[str, str]:
    """Write every page of ``sources``; returns each page's key.

    Pages whose inputs are known unchanged stay as they are in the site; the rest are rendered, on every core
    when there are many and the cores are free. ``cores_busy``: whether the other core is taken (by the search
    index): the pages are written here, a chunk at a time, until it is free, and what is left then goes to every
    core (a writer forked beside the index only competes for a core, and its copy of the build was ~600 MB at
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
    for chunk_keys in _written(_PageJob(todo, shells, site_dir, cache), chunks, cores_busy):
        keys.update(chunk_keys)
        on_written(len(chunk_keys))
    return keys


def _written(job: _PageJob, chunks: list[range], cores_busy: Callable[[], bool]) -> Iterator[dict[str, str]]:
    """Each chunk's keys, once written: here while ``cores_busy``, then what is left on every core."""
    done = 0
    while done < len(chunks) and cores_busy():
        yield _write_chunk(job, chunks[done])
        done += 1
    left = chunks[done:]
    yield from fork_map(_write_chunk, job, left, workers=None if sum(map(len, left)) >= PARALLEL_FROM else 1)


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
