"""What the search index is made of and what writing it reports, without the writer: the build's own process hands
documents over and reads the result, and need not import numpy (0.09 s and 15 MB) for that; index.py writes.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import NamedTuple


class SearchDoc(NamedTuple):
    """What the index holds of one document. A tuple: the index process receives 100,000 of them at once."""

    url: str
    title: str
    doc_no: str
    index_no: str
    date: str
    category: str
    organ: str
    year: int
    validity: str
    summary: str
    body: str

    @property
    def title_text(self) -> str:
        return f"{self.title} {self.doc_no} {self.index_no}"

    @property
    def body_text(self) -> str:
        return f"{self.summary} {self.body}"


_LINE_MARKERS = re.compile(r"^[#>*\-\s]+", flags=re.MULTILINE)  # compiled once: this runs for every document
_INLINE_MARKERS = re.compile(r"[*_`|]+")
_SPACES = re.compile(r"\s+")


def plain_text(markdown: str) -> str:
    """Body text for snippets: Markdown markers and runs of white space removed."""
    return _SPACES.sub(" ", _INLINE_MARKERS.sub("", _LINE_MARKERS.sub("", markdown))).strip()


@dataclasses.dataclass(frozen=True)
class IndexReuse:
    """The index of the site being updated in place: the parts whose documents are unchanged are left as they are."""

    site_index: Path      # search/ of the current site
    previous_cache: Path  # what the last build cached of its ranges
    cache: Path           # where this build caches its own
    code: str             # the code that writes the index: what a previous build's cache is only valid for


@dataclasses.dataclass(frozen=True)
class WrittenIndex:
    meta: dict            # meta.json
    kept: list[str]       # files left as they are in the site's index (relative to it)
