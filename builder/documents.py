"""What the search index holds of each published item, made when the index writer reads it.

The index is written by a process started afresh rather than forked, so it does not carry the whole catalog:
it receives one small record per item and reads a body from the item's file only for a range of the index that
changed. 100,000 bodies are never in memory together.
"""

from __future__ import annotations

import gc
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from search.index import IndexReuse, SearchDoc, WrittenIndex, plain_text, write_index

from .source import read_body
from .util import strip_control


class DocumentSource(NamedTuple):
    """A tuple of strings, like SearchDoc: 100,000 of them reach the index process in a few milliseconds."""

    doc: SearchDoc   # everything but the body
    path: str        # the item file, whose body is read when needed
    body_line: int   # 0: no body
    digest: str      # of the file as it was validated


class SearchDocuments(Sequence):
    """SearchDocs made one at a time from their sources."""

    def __init__(self, sources: list[DocumentSource]) -> None:
        self.sources = sources

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, number):
        if isinstance(number, slice):
            return [self._document(source) for source in self.sources[number]]
        return self._document(self.sources[number])

    @staticmethod
    def _document(source: DocumentSource) -> SearchDoc:
        if not source.body_line:
            return source.doc
        body = read_body(source.path, source.body_line, source.digest)
        return source.doc._replace(body=plain_text(strip_control(body)))


def write_search_index(documents: bytes, folder: Path, reuse: IndexReuse | None) -> WrittenIndex:
    """The job of the index process (see plugin.py): ``documents`` is the pickled SearchDocuments and each one's key."""
    gc.disable()  # tuples of strings: nothing for the cyclic collector to find
    try:
        documents, keys = pickle.loads(documents)
    finally:
        gc.enable()
    return write_index(documents, folder, 2, reuse, keys)
