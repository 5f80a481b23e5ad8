"""Writing the generated pages into their shells, and the site's other files, on every core.

An output whose inputs the build cache knows unchanged is left as it is in the site (cache.py); otherwise
it is rendered and written. Either way its key goes into the new manifest.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from search.hashing import digest
from search.output import write_file

from ..site.shells import Shell, ShellKey, shell_key
from ..site.structure import PageSeries, PageSource, SiteFile
from ..site.urls import page_file
from .cache import BuildCache
from .pools import fork_map

CHUNK = 200
FILES_CHUNK = 50  # attachments and data files a writer copies at a time
PARALLEL_FROM = 400  # pages; below this, starting workers costs more than it saves

# Writes some of the site's files that are not pages (attachments, feeds, the sitemap); returns the keys of those
# it records in the manifest.
Output = Callable[[], dict[str, str]]


@dataclasses.dataclass(frozen=True)
class _PageJob:
    """What every page writer reads (a forked worker inherits it)."""

    sources: list[PageSource]
    shells: dict[ShellKey, Shell]
    site_dir: Path
    cache: BuildCache


def write_pages(sources: list[PageSource], series: Sequence[PageSeries], shells: dict[ShellKey, Shell],
                site_dir: Path, cache: BuildCache, on_written: Callable[[int], None],
                cores_busy: Callable[[], bool] = lambda: False, others: Sequence[Output] = ()) -> dict[str, str]:
    """Run ``others`` and write every page of ``sources`` and ``series``; returns every key.

    Pages whose inputs are known unchanged stay as they are in the site; the rest are rendered, on every core
    when there are many and the cores are free. ``cores_busy``: whether the other core is taken (by the search
    index): the pages are written here, a chunk at a time, until it is free, and what is left then goes to every
    core (a writer forked beside the index only competes for a core, and its copy of the build was ~600 MB at
    100,000 items). ``others`` go with the pages, so that they too are shared between the cores (written after
    the pages, they held one core for 0.7 s at 10,000 items while the other waited), and first: the largest of
    them (the sitemap, ~0.09 s at 10,000 items) was the last task of one core while the other had ended."""
    keys = {}
    todo = []
    for source in sources:
        if source.inputs and cache.reuse(source.path, source.inputs):
            keys[source.path] = source.inputs
        else:
            todo.append(source)
    reused = len(keys)
    for each in series:
        # A page of a series is made only to be written: after a change at 100,000 items, ~120,000 are keys alone.
        paths = list(map(page_file, each.urls))
        written = cache.rewritten(paths, each.keys)
        keys.update(zip(paths, each.keys))
        todo += map(each.source, written)
        reused += len(paths) - len(written)
    on_written(reused)
    chunks = [range(start, min(start + CHUNK, len(todo))) for start in range(0, len(todo), CHUNK)]
    for task_keys, pages in _written(_PageJob(todo, shells, site_dir, cache), [*others, *chunks], cores_busy):
        keys.update(task_keys)
        if pages:
            on_written(pages)
    return keys


def file_writers(files: list[SiteFile], site_dir: Path, cache: BuildCache,
                 source_digest: Callable[[Path], str]) -> list[Output]:
    """``write_files`` a few files at a time: tasks for ``write_pages`` to share between the cores. A copied file's
    key is the digest of its bytes, from ``source_digest`` (``CatalogFiles.copied_digest``, which reads only files
    that changed): asked here, in the build's own process, which keeps what it learns for the next build."""
    files = [SiteFile(file.path, file.source, inputs=source_digest(file.source)) if file.source else file
             for file in files]
    return [functools.partial(write_files, files[start:start + FILES_CHUNK], site_dir, cache)
            for start in range(0, len(files), FILES_CHUNK)]


def _written(job: _PageJob, tasks: list[range | Output], cores_busy: Callable[[], bool]
             ) -> Iterator[tuple[dict[str, str], int]]:
    """Each task's keys and pages, once written: here while ``cores_busy``, then what is left on every core."""
    done = 0
    while done < len(tasks) and cores_busy():
        yield _write_task(job, tasks[done])
        done += 1
    left = tasks[done:]
    pages = sum(len(task) for task in left if isinstance(task, range))
    yield from fork_map(_write_task, job, left, workers=None if pages >= PARALLEL_FROM else 1)


def _write_task(job: _PageJob, task: range | Output) -> tuple[dict[str, str], int]:
    """A chunk of pages (the indices of ``job.sources``) or another output: its keys, and the pages it wrote."""
    if isinstance(task, range):
        return _write_chunk(job, task), len(task)
    return task(), 0


def _write_chunk(job: _PageJob, indices: range) -> dict[str, str]:
    keys = {}
    folders = set()  # made in this chunk: most pages share one (items/), and asking again is a system call a page
    site_dir = str(job.site_dir)  # paths as text: a Path joined and split for each page was ~10 µs of ~160
    for index in indices:
        source = job.sources[index]
        page = source.render()
        html = job.shells[shell_key(page.url)].fill(page)
        keys[source.path] = source.inputs or digest(html)
        if not job.cache.reuse(source.path, keys[source.path]):
            path = f"{site_dir}/{source.path}"  # a page's path is relative, in "/" (urls.py)
            folder = path.rpartition("/")[0]
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            write_file(path, html)
    return keys


def write_files(files: list[SiteFile], site_dir: Path, cache: BuildCache) -> dict[str, str]:
    """Copy attachments and write report data (each file's key given: ``file_writers``); returns the keys."""
    keys = {}
    for file in files:
        keys[file.path] = file.inputs
        if cache.reuse(file.path, file.inputs):
            continue
        target = site_dir / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if file.source:
            # Streamed by the system (sendfile), never read whole: an attachment may be a video of gigabytes, and
            # two writers each held one in memory.
            shutil.copyfile(file.source, target)
        else:
            write_file(target, file.make())
    return keys
