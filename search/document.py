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


# Compiled once: these run for every document.
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")  # [text](address), ![alt](file): the text, not the address
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\n]*\]:?")  # [^1] in the text, [^1]: before the note
# [1]: https://… "title" (not a footnote; [1]: 见附件 2 is text, as Markdown shows it)
_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]^\n][^\]\n]*\]:[ \t]*\S+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$",
                              flags=re.MULTILINE)
_HEADING_END = re.compile(r"^(#{1,6}[^\n]*)\n", flags=re.MULTILINE)  # a heading is a line of its own
# |---|:-:| (the white space before it taken whole: a line of spaces was tried again split every way, quadratic)
_TABLE_RULE = re.compile(r"^[ \t]*+\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*(?::?-+:?[ \t]*)?$", flags=re.MULTILINE)
# A line broken inside a run of Chinese: rendered as one word, read as one (a space ended the run, and 政府信⏎息公开
# was not found by 信息公开). Found from the line break, the one thing a search of the text can jump to: a pattern that
# begins with a lookbehind or a class is tried at nearly every position of Chinese text (2× slower). Spaces before a
# line break are dropped first, which changes nothing but this: every run of white space ends as one space.
_BEFORE_BREAK = re.compile(r"(?<![ \t])[ \t]+\n")  # from a run's first space only: from each, a run was quadratic
_HAN_BREAK = re.compile(r"\n(?<=[\u3400-\u9fff\uf900-\ufaff]\n)[ \t]*(?=[\u3400-\u9fff\uf900-\ufaff])")
# Markers at a line's start (# > * -), with the white space around them. Found from the line break, as above (the
# text is given one before its first line); white space alone at a line's start is left to the last step, which
# makes every run of it one space anyway. The white space before a marker is of its own line: \s* there was tried
# again from every break of a run of blank lines (40,000 took 8.7 s; a review found it).
_LINE_MARKERS = re.compile(r"\n[^\S\n]*[#>*\-][#>*\-\s]*")
_EMPHASIS = re.compile(r"[*`]+")  # emphasis and code marks
# Each pattern, in order, with its replacement and what a text must hold for it to match: every pattern is tried at
# each position it could start at, and most bodies are plain prose, where none of them matches (10,000 bodies:
# 75 µs a body when all of them ran).
_STEPS = ((_LINK, r"\1", ("](",)), (_LINK_DEFINITION, "", ("]:",)), (_FOOTNOTE_MARK, "", ("[^",)),
          (_TABLE_RULE, "", ("|",)), (_HEADING_END, "\\1\n\n", ("#",)), (_BEFORE_BREAK, "\n", (" \n", "\t\n")),
          (_HAN_BREAK, "", ("\n",)), (_LINE_MARKERS, "\n", ("#", ">", "*", "-")))
_UNDERSCORES = re.compile(r"_+")
_ALPHANUMERIC = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _underscores(run: re.Match) -> str:
    """Underscores are marks too, but one between two letters or digits is the word's (file_name_v2 keeps its own).
    A function, not lookarounds in the pattern: those were tried at every position of every body (a third of
    plain_text's time)."""
    text, start, end = run.string, run.start(), run.end()
    inside = end - start == 1 and 0 < start and end < len(text)
    return "_" if inside and text[start - 1] in _ALPHANUMERIC and text[end] in _ALPHANUMERIC else ""


def plain_text(markdown: str) -> str:
    """Body text for snippets and the index, as a reader sees it: Markdown's markers, link addresses and table rules
    removed, a table's cells apart (|甲|乙| is 甲 乙, not 甲乙), lines broken inside Chinese joined, runs of white
    space one space."""
    text = "\n" + markdown
    for pattern, replacement, needed in _STEPS:
        if any(needle in text for needle in needed):
            text = pattern.sub(replacement, text)
    text = text.replace("|", " ")
    if "_" in text:  # rarely in a body
        text = _UNDERSCORES.sub(_underscores, text)
    if "*" in text or "`" in text:
        text = _EMPHASIS.sub("", text)
    return " ".join(text.split())  # split(): where \s+ would, the ends dropped


# Documents by number, each span from its first to its end: those an index will read (index.IndexPlan.spans), which
# are all a build need make and hand over (the build's index_job).
Spans = list[tuple[int, int]]


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
