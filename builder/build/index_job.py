"""The search index of the published items, written in another process while the pages are planned and rendered.

The process starts from a small fork server that has imported only this module and the index writer
(``start_index_server``), not forked from the build: it carries none of the catalog and starts at once; the build's
own process never imports the writer (nor numpy). It receives one small record per item
(site/documents.py) and reads bodies from the item files itself.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import multiprocessing.forkserver
import pickle
import shutil
import tempfile
from pathlib import Path

from search.document import IndexReuse, WrittenIndex

from ..site.documents import SearchDocuments
from ..util import no_gc
from .cache import BuildCache
from .pools import fork_map


def start_index_server() -> None:
    """Start the fork server now, while the catalog loads, so the index starts without waiting for it."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__, "search.index"])  # and the writer _write imports
    multiprocessing.forkserver.ensure_running()


class SearchIndexJob:
    """The index of ``documents`` (with one key per document, equal when it is unchanged), being written into a
    folder beside the cache's site; ``move_into`` waits for it and moves it into the site."""

    def __init__(self, documents: SearchDocuments, keys: list[str], cache: BuildCache, code: str) -> None:
        site = cache.site_dir
        self._work = Path(tempfile.mkdtemp(prefix=f".{site.name}-search-", dir=site.parent))
        self._folder = self._work / "index"
        self._folder.mkdir()
        self._pool = concurrent.futures.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"))
        # Handed over in a file, not as the job's argument: the pool keeps a job's arguments until its result
        # arrives, and their pickle was held twice over in this process and once in the index's (the build's
        # processes at 100,000 items: 1.75 → 1.61 GB). Pickled here rather than by the pool's feeder thread,
        # which would do it only between the main thread's steps (the index started 0.2 s later at 10,000 items).
        handed = self._work / "documents.pickle"
        with handed.open("wb") as file:
            pickle.dump((documents, keys), file, protocol=pickle.HIGHEST_PROTOCOL)
        self._job = self._pool.submit(_write, handed, self._folder, cache.index_reuse(code))

    def busy(self) -> bool:
        """Whether the index is still being written. Once it is not, its process ends, so that its memory (~450 MB
        at 100,000 items) is given back before page writers are forked."""
        if self._job.done():
            self._pool.shutdown(wait=True)
            return False
        return True

    def move_into(self, search_dir: Path) -> list[str]:
        """Wait for the index and move it into ``search_dir``; returns the files it kept of the site's index."""
        kept = self._job.result().kept
        search_dir.mkdir(parents=True, exist_ok=True)
        for entry in sorted(self._folder.iterdir()):
            entry.rename(search_dir / entry.name)
        self.stop()
        return kept

    def stop(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._work, ignore_errors=True)


def _write(handed: Path, folder: Path, reuse: IndexReuse) -> WrittenIndex:
    """The index process's work: ``handed`` holds the SearchDocuments and each one's key."""
    # Imported here, in the index process alone (the build's own never loads numpy); its fork server preloaded it.
    from search.index import write_index
    with no_gc(), handed.open("rb") as file:  # tuples of strings: nothing for the cyclic collector to find
        documents, keys = pickle.load(file)
    handed.unlink()
    return write_index(documents, folder, reuse, keys, parallel=fork_map)
