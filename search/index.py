"""The static, sharded search index that client.js reads, and the ranking both it and Whoosh follow.

Layout under ``site/search/`` (documented in docs/search.md)::

    meta.json                 sizes, shard counts, facet labels, the build's name (client.js asks for the other
                              files under it)
    t/<shard>.json            title postings (title, 文号, 索引号) of all documents: {token: postings}, or for a
                              token in more than BIG_TOKEN documents {token: {"r": range set, "n": documents}},
                              with "s": span where its files hold more than one range each, "f": its folder where
                              it is not the token's hash (another common token has that hash), and then
    t/big/<hash>/<range>.json that token's postings in ranges <range> to <range> + span - 1 (<range> a multiple of
                              the span, a power of two: a file holds at most about BIG_FILE_BYTES, or one range;
                              the span may pass the last range)
    b/<range>/<shard>.json    body postings, one folder per range of RANGE_SIZE documents
    r/<shard>.json            for each body token, the range set of the ranges it occurs in
    g/<shard>.json            for each three-character sequence of titles and bodies, [range set of the ranges it
                              occurs in, range set of those where it occurs in a title]: a rare phrase of common
                              characters skips the ranges (and the titles) where it cannot be
    f/<range>.json            facets of the range's documents: [[category, organ, year, validity], …]
    d/<range>.bin             the range's documents, packed (``pack``): address, title, metadata, text for snippets;
                              client.js reads one document's bytes with an HTTP range request

A *range set* is a JSON list of range numbers or, where shorter, a bitmap string (``range_sets``): the tables of
ranges are small, so their shards are too (RANGE_SHARD_BYTES), and a query's lookups cost little.

Postings are one list of integers: for each document the gap from the previous document, the number of slots,
then the slots as gaps; written as a JSON string of base-32 digits (``postings.digits``), most of them one
character (in decimal with commas they took twice the bytes). Documents are numbered oldest first, and ranges are
searched from the last, newest one: a query stops as soon as it has a page of results, so it downloads only the
shards of its own tokens, in the newest ranges, and the postings of a common title token only for the ranges it
needs. Numbered oldest first, a new
publication takes the next number: every older document keeps its number, its file and its range's files (numbered
newest first, one new item renumbered them all, and an office's most common change rewrote the whole index).
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import itertools
import json
import math
import os
import shutil
import struct
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import stored
from .document import IndexReuse, SearchDoc, Spans, WrittenIndex
from .hashing import digest, fnv1a
from .output import write_file
from .postings import (
    ALPHABET,
    Encoded,
    PackedPostings,
    Postings,
    Vocabulary,
    encode,
    fnv1a_keys,
    normalize_all,
    prepare_tables,
    sorted_distinct,
    tokenize,
    trigram_keys,
    trigrams,
)
from .revision import RangeBody, RangeDetail, resized, revise
from .tokenize import Token, field_positions, phrase_at, query_terms

RANGE_SIZE = 1000
SHARD_BYTES = 16_000
RANGE_SHARD_BYTES = 6_000  # the tables of ranges (r/, g/): a query reads one shard per token or trigram
BIG_TOKEN = 500  # title tokens in more documents than this are split by range
# The ranges whose detail is kept (``revision.RangeDetail``, ~10 MB each at 1,000 documents, in a file of its own
# beside the index's cache, read only when its range is written again with few changes): those a build wrote when
# it wrote at most DETAILED_RANGES, the newest, and of those kept before and left as they were, the most recently
# written, KEPT_DETAILS in all (staff correcting documents in several ranges in turn revise each; ~80 MB at most).
# An edit of at most a tenth of a range's documents revises it from its detail.
DETAILED_RANGES = 2
KEPT_DETAILS = 8
# An index of at most ALL_DETAILED ranges keeps the detail of every one, whatever a build wrote (most offices' whole
# catalog; at most ~200 MB): there a build after one change is short, and a range read and tokenized afresh was its
# end. At 10,000 items, a full build then one change, six alternating pairs: the change 1.15 s (1.08–1.33) against
# 1.41 (1.19–1.65), faster in all six; the full build's difference lost in the noise (docs/decisions.md). In a
# larger index the build's own steps after a change outlast the index's, and the details would cost more than they
# save. A range whose detail was let go while the index was larger gets it back when it is next written.
ALL_DETAILED = 20
REVISED_SHARE = 10
# The source of the modules that decide the index's files (this package's), read as they are imported: the code this
# process runs. The index's fork server imports them once for every index process of a `gongkai serve`, which goes on
# running them when gongkai is upgraded meanwhile (read when first used, an index process started after the upgrade
# named the old code's files with the new code).
WRITER_CODE = tuple(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
# The tables every range is tokenized with, made as this module is imported: the index's fork server imports it
# once (builder.build.pools.INDEX_SERVER_PRELOAD), and each index process it forks starts with them. Made in each
# process, they took ~0.04 s of the index's ~0.35 s after one change at 10,000 items, which the build waited for.
prepare_tables()
SNIPPET_TEXT = 1500  # characters of body text kept per document for snippets (10 results ≈ 45 KB)
OFFSET = struct.Struct("<I")  # a document's offset in its range's pack


# ------------------------------------------------------------ ranking (shared with client.js and Whoosh)

EXACT_TITLE, EXACT, SCATTERED = 0, 1, 2  # tiers: every term a phrase in the title; … in title or body; all tokens


def tier(terms: list[list[Token]], title: dict, body: dict) -> int | None:
    """The document's tier for the query, or None when it does not match."""
    if all(phrase_at(term, title) is not None for term in terms):
        return EXACT_TITLE
    if all(phrase_at(term, title) is not None or phrase_at(term, body) is not None for term in terms):
        return EXACT
    if all(t.text in title or t.text in body for term in terms for t in term):
        return SCATTERED
    return None


def rank(matches: Iterable[tuple[int, int]]) -> list[int]:
    """Document numbers by tier, newest (the highest number) first within a tier; scattered matches only when nothing
    matched exactly."""
    matches = sorted(matches, key=lambda m: (m[1], -m[0]))
    exact = [doc for doc, t in matches if t != SCATTERED]
    return exact or [doc for doc, _ in matches]


def search_texts(docs: list[SearchDoc], query: str) -> list[int]:
    """Rank documents by re-tokenising their text: the reference that the index and Whoosh must agree with."""
    terms = query_terms(query)
    if not terms:
        return []
    found = []
    for number, doc in enumerate(docs):
        level = tier(terms, field_positions(doc.title_text, every_character=True),
                     field_positions(doc.body_text))
        if level is not None:
            found.append((number, level))
    return rank(found)


# ------------------------------------------------------------ writing the static index

FACETS = ("category", "organ", "year", "validity")

@dataclasses.dataclass(frozen=True)
class RangeSummary:
    """What the rest of the index needs of one written range of body postings (and what is cached of it)."""

    key: str             # hash of the range's documents: an unchanged range is reused
    shards: int
    tokens: np.ndarray   # token keys, in the range's own vocabulary
    words: list[str]     # that vocabulary
    grams: np.ndarray    # trigram keys of the range's titles and bodies
    title_grams: np.ndarray  # trigram keys of its titles alone
    titles: list[str]    # each document's title text, normalized
    title_postings: Postings  # of those titles (the title shards are of all documents)
    facets: list[tuple]  # each document's (category, organ, year, validity)
    content: str         # hash of its documents as indexed: the index's build name is made of these

    def __reduce__(self):
        # The title postings packed: as arrays they were 1.0 MB of a summary's 1.3 (at 100,000 documents 101 MB that
        # a build after a change reads and checks whole, and a build of the whole site writes), packed 0.23 MB.
        values = [getattr(self, field.name) for field in dataclasses.fields(self)]
        values[_TITLE_POSTINGS] = PackedPostings.of(self.title_postings), self.title_postings.vocabulary
        return _unpacked_summary, tuple(values)


_TITLE_POSTINGS = [field.name for field in dataclasses.fields(RangeSummary)].index("title_postings")


def _unpacked_summary(*values) -> RangeSummary:
    """The summary ``RangeSummary.__reduce__`` packed."""
    packed, vocabulary = values[_TITLE_POSTINGS]
    return RangeSummary(*values[:_TITLE_POSTINGS], packed.unpacked(vocabulary), *values[_TITLE_POSTINGS + 1:])


class TitleShards(NamedTuple):
    """The title shards of all documents as a build wrote them: what the next build keeps or revises
    (``_revised_titles``)."""

    key: str             # hash of every document's title: unchanged, the shards are kept
    shards: int
    size: int            # every entry's estimated bytes (``_table_size``), of which ``shards`` is made
    big: dict[str, str]  # the common tokens (in more than BIG_TOKEN documents), each its folder under t/big/
    entries: dict[str, str]  # each common token's entry in its shard: kept while none of its titles changes
    files: list[str]     # the index's files under t/


Mapper = Callable[[Callable, object, list], Iterable]


def serial_map(function: Callable, shared, tasks: list) -> Iterable:
    """``function(shared, task)`` for each task, in order: the mapper when no process pool is given."""
    return (function(shared, task) for task in tasks)


@dataclasses.dataclass
class IndexPlan:
    """Which ranges of an index are kept from the site's and which are written (``plan_index``)."""

    documents: int
    ranges: int
    summaries: dict[int, RangeSummary]  # of the ranges kept
    kept: list[str]                     # their files in the site's index
    details: list[int]                  # the ranges whose detail this build keeps
    todo: list[tuple[int, str, RangeSummary | None, bool]]  # the ranges written: ``_write_range``'s jobs

    def spans(self) -> Spans:
        """The documents the ranges written are made of, as (first, end) numbers: all that ``write_index`` reads of
        ``docs``."""
        return [(r * RANGE_SIZE, min((r + 1) * RANGE_SIZE, self.documents)) for r, *_ in self.todo]


def plan_index(keys: list[str], reuse: IndexReuse | None, previous: dict) -> IndexPlan:
    """What ``write_index`` keeps and writes for documents with ``keys`` (one per document, equal when it is
    unchanged), given ``previous_ranges(reuse)``. Made before the documents themselves where the caller asks for
    only those it needs (the build's own index process, ``index_job``)."""
    ranges = max(1, math.ceil(len(keys) / RANGE_SIZE))
    kept: list[str] = []
    range_keys = [digest(str(r), *keys[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]) for r in range(ranges)]
    summaries: dict[int, RangeSummary] = {}
    for r, key in enumerate(range_keys):
        summary = previous.get(r)
        # Kept only while the site has all of its files (a deploy tool, or a hand, may have deleted one).
        if (summary and summary.key == key and os.path.isfile(f"{reuse.site_index}/{_pack_path(r)}")
                and _keep_folder(reuse, f"b/{r}", kept, [f"b/{r}/{shard}.json" for shard in range(summary.shards)])):
            summaries[r] = summary
            kept.append(_pack_path(r))
    todo = [(r, range_keys[r]) for r in range(ranges) if r not in summaries]
    # Details go where the cache is (``reuse``): without one, none is kept.
    every = ranges <= ALL_DETAILED
    detailed = {r for r, _ in todo if every or len(todo) <= DETAILED_RANGES or r == ranges - 1} if reuse else set()
    details = _kept_details(ranges, sorted(detailed), [r for r in previous.get("details", ()) if r in summaries],
                            ranges if every else KEPT_DETAILS)
    return IndexPlan(len(keys), ranges, summaries, kept, details,
                     [(r, key, previous.get(r), r in detailed) for r, key in todo])


def write_index(docs: Sequence[SearchDoc], out: Path, reuse: IndexReuse | None = None,
                keys: list[str] | None = None, parallel: Mapper = serial_map,
                previous: dict | None = None, plan: IndexPlan | None = None) -> WrittenIndex:
    """Write the index for ``docs`` (already oldest first) under ``out``.

    Documents are read range by range (``docs`` may make each one when asked: a body is read once, and only
    for a range that changed). ``parallel`` maps the ranges, which are independent, like ``serial_map``
    (the build gives a process pool). ``reuse``: the site's index, whose parts made from unchanged documents
    are kept rather than written (``keys``: one per document, equal when it is unchanged). ``previous``:
    ``previous_ranges(reuse)``, when the caller has read it already (the build's index process reads it while
    the documents are made). ``plan``: ``plan_index``'s, when the caller made it first; then only the documents of
    its ``spans`` are read."""
    previous = previous_ranges(reuse) if previous is None else previous
    keys = keys or [digest(repr(doc)) for doc in docs]
    plan = plan or plan_index(keys, reuse, previous)
    ranges, summaries, kept, details = plan.ranges, dict(plan.summaries), list(plan.kept), plan.details
    previous_docs = previous.get("docs", [])
    for r in details:
        if r in summaries:  # left as it was: its detail is linked forward
            _link_forward(reuse, _detail_file, r)
    # Only a site whose index this build's cache describes: a build of a whole new site keeps nothing.
    output = _Output(out, reuse.site_index if previous else None)
    (out / "d").mkdir(parents=True, exist_ok=True)
    shared = _RangeJob(docs, out, output.site, keys, previous_docs, reuse)
    for (r, *_), (summary, range_kept) in zip(plan.todo, parallel(_write_range, shared, plan.todo)):
        summaries[r] = summary
        kept += range_kept
    written = [summaries[r] for r in range(ranges)]

    title_key = digest(*(title for summary in written for title in summary.titles))
    last_titles: TitleShards | None = previous.get("titles")
    if last_titles and last_titles.key == title_key and _keep_folder(reuse, "t", kept, last_titles.files):
        titles = last_titles
    else:
        titles = _titles(written, previous, title_key, output, reuse, kept)
    facet_values = {name: sorted({f[n] for s in written for f in s.facets}, key=str) for n, name in enumerate(FACETS)}
    facet_index = [{v: i for i, v in enumerate(facet_values[name])} for name in FACETS]
    (out / "f").mkdir(exist_ok=True)
    for r, summary in enumerate(written):
        output.write(f"f/{r}.json", _json([[index[v] for index, v in zip(facet_index, f)] for f in summary.facets]))
    vocabulary = Vocabulary({word for summary in written for word in summary.words})
    range_shards = _write_ranges([Vocabulary(set(s.words)).renumbered(s.tokens, vocabulary) for s in written],
                                 vocabulary, output, "r")
    gram_shards = _write_ranges([s.grams for s in written], None, output, "g", [s.title_grams for s in written])
    meta = {"version": 4, "docs": len(docs), "range_size": RANGE_SIZE,
            "shard_bytes": SHARD_BYTES, "title_shards": titles.shards, "body_shards": [s.shards for s in written],
            "range_shards": range_shards, "gram_shards": gram_shards, "facets": facet_values}
    # What names this index's files for browsers: client.js asks for every other file with it, and for this one
    # afresh each time. A browser that kept files of an earlier build (servers let it, for a while) would otherwise
    # mix them with this one's: stale postings, or a file that is no longer there. Made of what is indexed and of the
    # code that writes it (a new release may write the same documents otherwise), so that every build of the same
    # documents by the same code names them alike.
    meta["build"] = digest(_json(meta), *(summary.content for summary in written), *WRITER_CODE)[:16]
    output.write("meta.json", _json(meta))
    kept += output.kept
    if reuse:
        # Each range's summary a file of its own, an unchanged one linked forward: after one change at 100,000
        # documents the index wrote all 101 ranges' again (137 MB, ~0.2 s at its end, which the build waits for
        # after the first change of a range since a build of the whole site), where one has changed.
        for r, summary in enumerate(written):
            if not (r in plan.summaries and _link_forward(reuse, _summary_file, r)):
                stored.save(_summary_file(reuse.cache, r), summary, reuse.code)
        title_files = sorted({*_files_in(out, "t"), *(path for path in kept if path.startswith("t/"))})
        stored.save(reuse.cache / "index.pickle", {"ranges": [summary.key for summary in written],
                                                   "titles": titles._replace(files=title_files), "docs": keys,
                                                   "details": details}, reuse.code)
    return WrittenIndex(meta, kept)


# Documents whose titles changed, at most, for the title shards to be revised rather than written whole: each
# changed title's tokens are looked up in every range (at 100,000 documents, ~0.3 s for a hundred).
REVISED_TITLES = 100


def _titles(written: list[RangeSummary], previous: dict, key: str, output: _Output, reuse: IndexReuse | None,
            kept: list[str]) -> TitleShards:
    """The title shards of the ranges ``written`` (``key``: the hash of their titles): revised from the last build's
    where a few titles changed (a title corrected, a publication), else written whole. Revising them after one
    change at 100,000 documents took ~0.3 s instead of ~2.9 (merging and encoding 6 million postings)."""
    changed = _changed_titles(written, previous) if reuse else None
    ranges = sorted({n // RANGE_SIZE for n in changed}) if changed is not None else []
    before = {r: previous[r].title_postings for r in ranges}
    # The words of the changed titles as they were too: a word no title holds now is a token whose entry goes.
    words = Vocabulary({word for postings in [*(s.title_postings for s in written), *before.values()]
                        for word in postings.vocabulary.words})
    parts = [_renumbered(s.title_postings, words) for s in written]
    if changed is not None:
        revised = _revised_titles(parts, {r: _renumbered(p, words) for r, p in before.items()}, changed,
                                  previous["titles"], output, reuse, kept)
        if revised is not None:
            return revised._replace(key=key)
    return TitleShards(key, *_write_titles(parts, words, output), [])


def _renumbered(postings: Postings, words: Vocabulary) -> Postings:
    return Postings(postings.vocabulary.renumbered(postings.keys, words), postings.docs, postings.slots, words)


def _changed_titles(written: list[RangeSummary], previous: dict) -> np.ndarray | None:
    """The documents whose titles differ from the last build's (one added or gone is one changed), ascending; None
    when none did, more than REVISED_TITLES did, or the ranges are not the last build's (every common token's range
    set changes with their number)."""
    if "titles" not in previous or len(written) != max(1, math.ceil(len(previous["docs"]) / RANGE_SIZE)):
        return None
    changed: list[int] = []
    for r, summary in enumerate(written):
        last = previous.get(r)
        if last is None:
            return None
        if last is not summary:  # a range kept is the last build's summary itself
            old, new = last.titles, summary.titles
            changed += [r * RANGE_SIZE + n for n in range(max(len(old), len(new)))
                        if n >= len(old) or n >= len(new) or old[n] != new[n]]
        if len(changed) > REVISED_TITLES:
            return None
    return np.array(changed, dtype=np.int64) if changed else None


def _revised_titles(parts: list[Postings], before: dict[int, Postings], changed: np.ndarray, last: TitleShards,
                    output: _Output, reuse: IndexReuse, kept: list[str]) -> TitleShards | None:
    """The last build's title shards (``last``) revised for the documents ``changed`` (``before``: their ranges'
    postings as they were): only the shards, and the common tokens' files, that hold a token of those titles as
    they were or are are written; every other file of the site's is kept, as it is what writing all of them gives.
    None where it may not be: a common token newly so or no longer (the folders are named in key order), the shard
    count changed, or a file of the site's is missing. A common token's postings are long (at 100,000 documents a
    common character's are in tens of thousands of titles): only those of the tokens of the changed titles are
    encoded again; every other common token's entry is the last build's (``TitleShards.entries``), as its postings
    are."""
    if not set(last.files) <= set(_files_in(reuse.site_index, "t")):
        return None
    vocabulary = parts[0].vocabulary
    then = [before.get(r, postings) for r, postings in enumerate(parts)]
    touched = [p.keys[np.isin(p.docs, changed)] for r in before for p in (before[r], parts[r])]
    affected = sorted_distinct(np.concatenate(touched))
    common = np.array([token in last.big for token in vocabulary.tokens(affected)], dtype=bool)
    revised = affected[common]  # the common tokens of those titles: only their files and entries are written again
    revised_postings = _postings_of(parts, revised)
    if (_doc_counts(revised_postings, revised) <= BIG_TOKEN).any():
        return None
    old, new = (encode(_postings_of(ranges, affected[~common]), with_text=False) for ranges in (then, parts))
    if (new.doc_counts > BIG_TOKEN).any():
        return None
    # A common token's entry is the same size whatever its postings: the size changes by the other tokens'.
    size = last.size - _table_size(old.tokens, _title_weights(old)) + _table_size(new.tokens, _title_weights(new))
    count = max(1, math.ceil(size / SHARD_BYTES))
    if count != last.shards:
        return None
    shards = np.unique(fnv1a_keys(affected, vocabulary) % count)
    # Every token of those shards, with its postings in all documents.
    distinct = sorted_distinct(np.concatenate([p.keys[np.r_[True, p.keys[1:] != p.keys[:-1]]] for p in parts]))
    held = distinct[np.isin(fnv1a_keys(distinct, vocabulary) % count, shards)]
    tokens = vocabulary.tokens(held)
    held_common = np.array([token in last.big for token in tokens], dtype=bool)
    plain = encode(_postings_of(parts, held[~held_common]))
    values = np.empty(len(held), dtype=object)
    values[~held_common] = [f'"{text}"' for text in plain.texts]
    revised_tokens = vocabulary.tokens(revised)
    common_entries = last.entries | dict(zip(revised_tokens, _write_big_title_tokens(
        revised_postings, revised, len(parts), output, [last.big[token] for token in revised_tokens])))
    values[held_common] = [common_entries[token] for token, is_common in zip(tokens, held_common.tolist())
                           if is_common]
    entries = _shard_entries(tokens, fnv1a_keys(held, vocabulary) % count, values.tolist(),
                             {shard: [] for shard in shards.tolist()})
    (output.out / "t").mkdir(parents=True, exist_ok=True)
    for shard, shard_entries in entries.items():
        output.write(f"t/{shard}.json", ("{" + ",".join(shard_entries) + "}").encode("utf-8"))
    rewritten = {f"t/{shard}.json" for shard in entries}
    folders = tuple(f"t/big/{last.big[token]}/" for token in revised_tokens)
    kept += [path for path in last.files if path not in rewritten and not path.startswith(folders)]
    return TitleShards(last.key, count, size, last.big, common_entries, [])


def _doc_counts(postings: Postings, tokens: np.ndarray) -> np.ndarray:
    """The documents each of ``tokens`` (keys, ascending: those of ``postings`` and maybe others) is in."""
    keys, docs = postings.keys, postings.docs
    first_in_doc = np.r_[True, (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])][:len(keys)]  # none of no postings
    return np.bincount(np.searchsorted(tokens, keys[first_in_doc]), minlength=len(tokens))


def _postings_of(parts: list[Postings], keys: np.ndarray) -> Postings:
    """The postings of ``keys`` (ascending, distinct) in ``parts`` (each a range's, in document order), merged as
    one pass over all of them would give them."""
    bounds = [(np.searchsorted(p.keys, keys, "left"), np.searchsorted(p.keys, keys, "right")) for p in parts]
    at = [_group_entries(low, high - low) for low, high in bounds]
    merged = np.concatenate([p.keys[entries] for p, entries in zip(parts, at)])
    order = _merged_order(merged)  # each range's entries stay in document and slot order
    return Postings(merged[order], np.concatenate([p.docs[entries] for p, entries in zip(parts, at)])[order],
                    np.concatenate([p.slots[entries] for p, entries in zip(parts, at)])[order], parts[0].vocabulary)


def _pack_path(r: int) -> str:
    return f"d/{r}.bin"


def pack(records: list[bytes]) -> bytes:
    """A range's documents in one file: the offset of each and of the file's end (``OFFSET``), then each document's
    JSON. One file a range instead of one a document (10,000 files fewer at 10,000 items, a third of the site's:
    creating a file is what this disk makes slow), and a browser still reads only the documents it shows: their
    offsets, then their bytes, by HTTP range requests (client.js ``documents``)."""
    offsets = list(itertools.accumulate(map(len, records), initial=OFFSET.size * (len(records) + 1)))
    return b"".join([struct.pack(f"<{len(offsets)}I", *offsets), *records])


def unpacked(data: bytes) -> list[bytes]:
    """The documents' JSON of a pack; none when ``data`` is not one (a file damaged or replaced on the server)."""
    try:
        first = OFFSET.unpack_from(data)[0]
        offsets = struct.unpack_from(f"<{first // OFFSET.size}I", data) if first and not first % OFFSET.size else ()
    except struct.error:  # shorter than its offsets
        return []
    if not offsets or offsets[-1] != len(data) or any(a > b for a, b in zip(offsets, offsets[1:])):
        return []
    return [data[a:b] for a, b in zip(offsets, offsets[1:])]


def _record(doc: SearchDoc) -> bytes:
    """What a browser reads of a document found: shown in its result."""
    return _json({"u": doc.url, "t": doc.title, "n": doc.doc_no, "i": doc.index_no, "d": doc.date, "c": doc.category,
                  "o": doc.organ, "v": doc.validity, "s": (doc.summary + " " + doc.body)[:SNIPPET_TEXT]})


class _RangeJob(NamedTuple):
    """What every range's writer reads (a forked worker inherits it rather than receiving a copy)."""

    docs: Sequence[SearchDoc]
    out: Path
    site: Path | None  # the site's index, whose files with the same bytes are kept (_Output)
    keys: list[str]
    previous_docs: list[str]
    reuse: IndexReuse | None


def _detail_file(cache: Path, r: int) -> Path:
    return cache / f"range-{r}.pickle"


def _summary_file(cache: Path, r: int) -> Path:
    return cache / f"summary-{r}.pickle"


def _kept_details(ranges: int, written: list[int], before: list[int], most: int) -> list[int]:
    """The ranges whose detail this build keeps, ``most`` at most, the most recently written first (what the next
    build reads as ``before``): the newest range always (publications go there), then the ones ``written`` now with a
    detail, then those kept ``before`` and left as they were."""
    newest = [ranges - 1] if ranges - 1 in (*written, *before) else []
    return list(dict.fromkeys([*newest, *written, *before]))[:most]


def _link_forward(reuse: IndexReuse, file: Callable[[Path, int], Path], r: int) -> bool:
    """The last build's ``file`` of range ``r`` (its detail, its summary), which is unchanged, for the next build:
    linked (copied where the file system has no links). There may be none: the last build had no cache, or could
    not write it. Returns whether it is there now."""
    source, target = file(reuse.previous_cache, r), file(reuse.cache, r)
    try:
        reuse.cache.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            if not source.is_file():
                return False
            shutil.copyfile(source, target)  # a file system without hard links
        return True
    except OSError:  # none, or no room: the cache is only ever an optimisation; a copy cut short is not left
        target.unlink(missing_ok=True)
        return False


def _previous_detail(reuse: IndexReuse | None, r: int, summary: RangeSummary | None) -> RangeDetail | None:
    """The last build's detail of range ``r``, if it kept one for the range ``summary`` describes, with its tokens'
    texts read from the range's body shards in the site."""
    stored_detail = stored.load(_detail_file(reuse.previous_cache, r), reuse.code) if reuse and summary else None
    if not (isinstance(stored_detail, tuple) and stored_detail[0] == summary.key):
        return None
    return stored_detail[1].with_texts(_shard_values(f"{reuse.site_index}/b/{r}", summary.shards))


def _shard_values(folder: str, shards: int) -> dict[str, str]:
    """Every token's value in the ``shards`` shards of ``folder``; those of the shards that could be read (a shard
    missing or damaged: the tokens it held are not found)."""
    values = {}
    for shard in range(shards):
        # ValueError: not UTF-8, or not JSON; RecursionError: JSON nested thousands deep (no shard of ours)
        with contextlib.suppress(OSError, ValueError, RecursionError):
            with open(f"{folder}/{shard}.json", "rb") as file:
                found = json.loads(file.read())
            if isinstance(found, dict):
                values.update(found)
    return values


def _write_range(shared: _RangeJob, job: tuple[int, str, RangeSummary | None, bool]
                 ) -> tuple[RangeSummary, list[str]]:
    """One range: its documents' pack, body postings and trigrams; what the rest of the index needs of it; the
    files left as they were. ``job``: the range, its key, the last build's summary of it, and whether to keep its
    detail for the next build (saved here: a forked writer sends back only the summary)."""
    docs, out, site, keys, previous_docs, reuse = shared
    output = _Output(out, site)  # what it keeps goes back with its result (it may run in a forked worker)
    r, key, last, keep = job
    numbers = range(r * RANGE_SIZE, min((r + 1) * RANGE_SIZE, len(docs)))
    unchanged = [n < len(previous_docs) and previous_docs[n] == keys[n] for n in numbers]
    changed = [place for place, same in enumerate(unchanged) if not same]
    gone = max(len(last.titles) - len(numbers), 0) if last else 0
    few = len(changed) + gone <= RANGE_SIZE // REVISED_SHARE
    detail = _previous_detail(reuse, r, last) if few else None  # read (~10 MB) only when it is used
    # Revised from its detail, the range needs only its changed documents, and the others' JSON from its last pack.
    previous_pack = _read_pack(f"{reuse.site_index}/{_pack_path(r)}") if detail else []
    records = {numbers.start + place: record for place, (record, same) in enumerate(zip(previous_pack, unchanged))
               if same}
    # Each document needed is made once (its body read from its file), for its JSON and its postings alike.
    made = {n: docs[n] for n in numbers if n not in records}
    output.write(_pack_path(r), pack([records.get(n) or _record(made[n]) for n in numbers]))
    if detail:
        body, titles, facets, contents = _revised_range(made, numbers, changed, last, detail)
    else:
        body, titles, facets, contents = _range([made[n] for n in numbers], numbers.start)
    encoded = body.encoded
    shards = _write_shards(encoded.tokens, fnv1a_keys(encoded.keys, encoded.vocabulary),
                           [f'"{t}"' for t in encoded.texts], encoded.chars + 2, output, f"b/{r}")
    title_grams = trigram_keys(titles)
    grams = sorted_distinct(np.concatenate([body.grams, title_grams]))
    title_postings = tokenize(titles, numbers.start, every_character=True)
    title_postings = dataclasses.replace(title_postings, docs=title_postings.docs.astype(np.int32),
                                         slots=title_postings.slots.astype(np.int32))
    if keep:
        stored.save(_detail_file(reuse.cache, r), (key, RangeDetail(body, contents)), reuse.code)
    return RangeSummary(key, shards, encoded.keys, encoded.vocabulary.words, grams, title_grams, titles,
                        title_postings, facets, digest(*contents)), output.kept


class _RangeText(NamedTuple):
    """A range's documents as the index reads them: its body postings (and trigrams), titles, facets and contents."""

    body: RangeBody
    titles: list[str]
    facets: list[tuple]
    contents: list[str]


def _range(chunk: list[SearchDoc], first: int) -> _RangeText:
    """Every document of the range (``chunk``, numbered from ``first``) tokenized."""
    bodies = normalize_all([d.body_text for d in chunk])
    postings = tokenize(bodies, first)
    body = RangeBody(postings, encode(postings), bodies, trigram_keys(bodies))
    return _RangeText(body, normalize_all([d.title_text for d in chunk]), [_facets(d) for d in chunk],
                      [_content(d) for d in chunk])


def _revised_range(made: dict[int, SearchDoc], numbers: range, changed: list[int], last: RangeSummary,
                   detail: RangeDetail) -> _RangeText:
    """The range from the last build's summary and detail of it and its ``changed`` documents (places in it; each
    in ``made`` by its number)."""
    chunk = {place: made[numbers.start + place] for place in changed}
    texts = dict(zip(changed, normalize_all([d.body_text for d in chunk.values()])))
    titles, facets = resized(last.titles, len(numbers), ""), resized(last.facets, len(numbers), ())
    contents = resized(detail.contents, len(numbers), "")
    for place, title in zip(changed, normalize_all([d.title_text for d in chunk.values()])):
        titles[place], facets[place], contents[place] = title, _facets(chunk[place]), _content(chunk[place])
    return _RangeText(revise(detail, numbers.start, texts, len(numbers)), titles, facets, contents)


def _facets(doc: SearchDoc) -> tuple:
    return tuple(getattr(doc, name) for name in FACETS)


def _content(doc: SearchDoc) -> str:
    return digest(*(str(value) for value in doc))


def previous_ranges(reuse: IndexReuse | None) -> dict:
    """The last build's range summaries by number, its titles and documents (empty when unusable: missing,
    damaged, or written by other code, the index or any range's summary)."""
    cached = stored.load(reuse.previous_cache / "index.pickle", reuse.code) if reuse else None
    try:
        summaries = {r: stored.load(_summary_file(reuse.previous_cache, r), reuse.code)
                     for r in range(len(cached["ranges"]))}
        if any(not isinstance(summary, RangeSummary) or summary.key != key
               for summary, key in zip(summaries.values(), cached["ranges"])):
            return {}
        return summaries | {"titles": cached["titles"], "docs": cached["docs"], "details": cached["details"]}
    except (TypeError, KeyError):
        return {}


def _keep_folder(reuse: IndexReuse, folder: str, kept: list[str], expected: list[str]) -> bool:
    """List the files of the site index's ``folder`` as kept when it holds every one of ``expected`` (paths in the
    index); False when any is missing, or none is expected."""
    files = _files_in(reuse.site_index, folder)
    if not expected or not set(expected) <= set(files):
        return False
    kept += files
    return True


def _files_in(index: Path, folder: str) -> list[str]:
    """The files under ``folder`` of the index at ``index``, as paths in it, sorted."""
    return sorted(os.path.join(path, name)[len(str(index)) + 1:]
                  for path, _, names in os.walk(index / folder) for name in names)


def _read_pack(path: str) -> list[bytes]:
    """The documents' JSON of the pack at ``path``; none when it is missing or damaged."""
    try:
        with open(path, "rb") as file:
            return unpacked(file.read())
    except OSError:
        return []


# The merges over all documents (titles, and which ranges a token or trigram is in) go a bucket of keys at a time:
# at 100,000 documents their entries, all at once, would take gigabytes.
BUCKET_ENTRIES = 1_000_000
FIRST_KEY, LAST_KEY = 0, 1 << 62  # every key is below (see postings.py)
Entries = tuple[list[str], np.ndarray, np.ndarray, list[str] | None]  # tokens, hashes, weights, JSON values


def _buckets(parts: list[np.ndarray]) -> list[tuple[int, int]]:
    """Key intervals [low, high) that split the sorted ``parts`` into pieces of about BUCKET_ENTRIES entries."""
    count = math.ceil(sum(len(p) for p in parts) / BUCKET_ENTRIES)
    if count <= 1:
        return [(FIRST_KEY, LAST_KEY)]
    sample = np.sort(np.concatenate([p[::64] for p in parts]))
    bounds = np.unique(sample[np.linspace(0, len(sample) - 1, count + 1).astype(np.int64)[1:-1]]).tolist()
    edges = [FIRST_KEY, *bounds, LAST_KEY]
    return list(zip(edges[:-1], edges[1:]))


def _write_table(output: _Output, folder: str, buckets: list[tuple[int, int]], entries_of,
                 shard_bytes: int | None = None) -> tuple[int, int]:
    """Spread tokens over shards of about SHARD_BYTES by their hash, a bucket at a time, into ``folder`` of
    ``output``; returns the shard count and the estimated size it is made of.
    ``entries_of(low, high, values)`` gives a bucket's tokens (ascending), their hashes, the estimated bytes of
    each value, and (when ``values``) the values as JSON. Buckets come in key order, so each shard lists its
    tokens in order, as if written at once."""
    size, only = 0, None
    for low, high in buckets:
        entries = entries_of(low, high, len(buckets) == 1)
        size += _table_size(entries[0], entries[2])
        only = entries if len(buckets) == 1 else None  # one bucket: no need to make it twice
    count = max(1, math.ceil(size / (shard_bytes or SHARD_BYTES)))
    (output.out / folder).mkdir(parents=True, exist_ok=True)
    started = [False] * count
    for number, (low, high) in enumerate(buckets):
        last = number == len(buckets) - 1
        tokens, hashes, _, values = only or entries_of(low, high, True)
        shards = _shard_entries(tokens, hashes % count, values,
                                {shard: [] for shard in range(count)} if last else collections.defaultdict(list))
        for shard, entries in shards.items():
            # Each shard is opened once per bucket that has its tokens, and the last bucket closes it: with one bucket
            # (every range's body postings), once.
            if started[shard]:
                with open(f"{output.out}/{folder}/{shard}.json", "a", encoding="utf-8") as file:
                    file.write(("," if entries else "") + ",".join(entries) + ("}" if last else ""))
            elif last:  # the whole shard at once: it may be kept
                output.write(f"{folder}/{shard}.json", ("{" + ",".join(entries) + "}").encode("utf-8"))
            else:
                write_file(f"{output.out}/{folder}/{shard}.json", ("{" + ",".join(entries)).encode("utf-8"))
            started[shard] = True
    return count, size


def _table_size(tokens: list[str], weights: np.ndarray) -> int:
    """The estimated bytes of a table's entries (``weights``: each value's), of which its shards are counted."""
    return 3 * sum(map(len, tokens)) + 6 * len(tokens) + int(weights.sum())


def _shard_entries(tokens: list[str], shards: np.ndarray, values: list[str], into: dict[int, list[str]]
                   ) -> dict[int, list[str]]:
    """Each token's entry, as a shard's JSON lists it, added to its shard's in ``into`` (in the tokens' order)."""
    for token, shard, value in zip(tokens, shards.tolist(), values):
        into[shard].append(f'"{token}":{value}')
    return into


def _write_shards(tokens: list[str], hashes: np.ndarray, values: list[str], weights: np.ndarray,
                  output: _Output, folder: str) -> int:
    """The same for tokens that are all at hand (one range's body postings)."""
    return _write_table(output, folder, [(FIRST_KEY, LAST_KEY)],
                        lambda low, high, with_values: (tokens, hashes, weights, values))[0]


def _merged_order(keys: np.ndarray) -> np.ndarray:
    """The stable order of ``keys`` made of runs each sorted already (a range's): numpy's stable sort of 64-bit integers
    is a timsort, which merges the runs, 3 to 5 times as fast as the radix passes of ``postings.stable_order`` (for
    keys in no order: a range's postings)."""
    return np.argsort(keys, kind="stable")


def _slices(parts: list[np.ndarray], low: int, high: int) -> list[slice]:
    return [slice(*np.searchsorted(p, [low, high]).tolist()) for p in parts]


def _write_titles(parts: list[Postings], vocabulary: Vocabulary,
                  output: _Output) -> tuple[int, int, dict[str, str], dict[str, str]]:
    """Title postings of all documents (``parts``: one per range, in document order, keys of ``vocabulary``).
    A token in more than BIG_TOKEN documents is written per range; its entry lists the ranges. Returns the shard
    count, the size it is made of, and the common tokens' folders and entries."""
    taken: set[str] = set()  # the common tokens' folders
    big: dict[str, str] = {}
    big_entries: dict[str, str] = {}

    def entries_of(low: int, high: int, with_values: bool) -> Entries:
        cuts = _slices([p.keys for p in parts], low, high)
        keys = np.concatenate([p.keys[cut] for p, cut in zip(parts, cuts)])
        order = _merged_order(keys)  # each range's entries stay in document and slot order
        postings = Postings(keys[order], np.concatenate([p.docs[cut] for p, cut in zip(parts, cuts)])[order],
                            np.concatenate([p.slots[cut] for p, cut in zip(parts, cuts)])[order], vocabulary)
        encoded = encode(postings, with_text=with_values)
        values = [f'"{text}"' for text in encoded.texts] if with_values else None
        if with_values:
            common = np.flatnonzero(encoded.doc_counts > BIG_TOKEN)
            tokens = vocabulary.tokens(encoded.keys[common])
            big.update((token, _folder_name(f"{fnv1a(token):08x}", taken)) for token in tokens)
            for n, token, value in zip(common.tolist(), tokens, _write_big_title_tokens(
                    postings, encoded.keys[common], len(parts), output, [big[token] for token in tokens])):
                values[n] = big_entries[token] = value
        return encoded.tokens, fnv1a_keys(encoded.keys, vocabulary), _title_weights(encoded), values

    return *_write_table(output, "t", _buckets([p.keys for p in parts]), entries_of), big, big_entries


def _title_weights(encoded: Encoded) -> np.ndarray:
    """The estimated bytes of each title token's entry: its postings, or a common token's ranges."""
    return np.where(encoded.doc_counts > BIG_TOKEN, 40, encoded.chars + 2)


def _write_big_title_tokens(postings: Postings, keys: np.ndarray, ranges: int, output: _Output,
                            names: list[str]) -> list[str]:
    """Common title tokens' postings (``keys``, ascending), each token's in files of ``span`` consecutive ranges;
    returns each token's entry in the title shards: the ranges it occurs in (a range set), its number of documents
    and, above 1, its span. Encoded together, each (token, file) a group of its own: one encoding per file cost a
    millisecond each, two seconds at 10,000 documents. ``ranges``: the index's, whichever bucket of tokens this is;
    ``names``: the tokens' folders (``_folder_name``)."""
    chosen = np.isin(postings.keys, keys)
    docs, slots = postings.docs[chosen], postings.slots[chosen]
    token_of = np.searchsorted(keys, postings.keys[chosen])
    range_of = docs // RANGE_SIZE
    per_range = encode(Postings(token_of * ranges + range_of, docs, slots, postings.vocabulary), with_text=False)
    counts = np.bincount(per_range.keys // ranges, weights=per_range.doc_counts, minlength=len(keys)).astype(np.int64)
    spans = _spans(per_range, ranges, len(keys))
    first_range = range_of - range_of % spans[token_of]
    # Ascending, as the postings' keys and, within a token, their documents are.
    encoded = encode(Postings(token_of * ranges + first_range, docs, slots, postings.vocabulary))
    hashes = [f"{fnv1a(token):08x}" for token in postings.vocabulary.tokens(keys)]
    folders = [f"t/big/{name}" for name in names]
    for folder in folders:
        (output.out / folder).mkdir(parents=True, exist_ok=True)
    for group, text in zip(encoded.keys.tolist(), encoded.texts):
        token, r = divmod(group, ranges)
        output.write(f"{folders[token]}/{r}.json", f'"{text}"'.encode("ascii"))
    pairs = per_range.keys  # (token, range), ascending: each token's ranges one group
    in_ranges, _ = range_sets(np.searchsorted(pairs // ranges, np.arange(len(keys))), pairs % ranges, ranges)
    return ['{"r":' + in_range + f',"n":{count}' + (f',"s":{span}' if span > 1 else "")
            + (f',"f":"{name}"' if name != hashed else "") + "}"
            for in_range, count, span, name, hashed in zip(in_ranges, counts.tolist(), spans.tolist(), names, hashes)]


def _folder_name(hashed: str, taken: set[str]) -> str:
    """A common title token's folder: its hash, or where an earlier token (in key order) has that hash already, the
    hash with the first free suffix, named in the token's entry (``"f"``). Two of 2,000 common tokens share a 32-bit
    hash about once in 2,000 indexes, and would otherwise write each other's files."""
    name, suffix = hashed, 0
    while name in taken:
        suffix += 1
        name = f"{hashed}-{suffix}"
    taken.add(name)
    return name


# The most bytes of a common title token's postings in one file, unless one range alone holds more. Where a range
# holds only a few of its titles (at 100,000 documents a file of one range was ~100 bytes, and there were 110,000 such
# files: a quarter of the site's), the postings of several consecutive ranges share a file; a query then reads at most
# about this much more of the token than the ranges it needs, and the next ranges' postings are read already.
BIG_FILE_BYTES = 4000


def _spans(per_range: Encoded, ranges: int, tokens: int) -> np.ndarray:
    """For each token, the ranges one of its files holds: the largest power of two that many times its largest range
    (in ``per_range``, a group per token and range) fits in BIG_FILE_BYTES, at least 1. Its largest range, not its
    average: the titles of a year or a campaign cluster in a few ranges, which would otherwise share one large file. A
    token's files change only when its largest range crosses a power of two; as documents are added that range only
    grows, and the span shrinks."""
    token_of = per_range.keys // ranges
    largest = np.zeros(tokens, dtype=np.int64)
    np.maximum.at(largest, token_of, per_range.chars)
    fits = np.maximum(BIG_FILE_BYTES // np.maximum(largest, 1), 1)
    return 1 << np.floor(np.log2(fits)).astype(np.int64)


def _write_ranges(keys_by_range: list[np.ndarray], vocabulary: Vocabulary | None, output: _Output, folder: str,
                  titles_by_range: list[np.ndarray] | None = None) -> int:
    """For each token (or, without a vocabulary, each trigram): the ranges it occurs in, as a range set; with
    ``titles_by_range`` (trigrams: a subset of each range's keys), ``[ranges, ranges where it is in a title]``."""
    total = len(keys_by_range)

    def merged(parts: list[np.ndarray], low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
        cuts = _slices(parts, low, high)
        keys = np.concatenate([k[cut] for k, cut in zip(parts, cuts)])
        in_range = np.concatenate([np.full(cut.stop - cut.start, r, dtype=np.int32) for r, cut in enumerate(cuts)])
        order = _merged_order(keys)  # ranges ascending within a key
        return keys[order], in_range[order]

    def entries_of(low: int, high: int, with_values: bool) -> Entries:
        keys, in_range = merged(keys_by_range, low, high)
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
        distinct = keys[first]
        if vocabulary is None:
            tokens, hashes = trigrams(distinct), fnv1a_keys(distinct, None, chars=3)
        else:
            tokens, hashes = vocabulary.tokens(distinct), fnv1a_keys(distinct, vocabulary)
        texts, weights = range_sets(first, in_range, total)
        if titles_by_range is not None:
            title_keys, title_range = merged(titles_by_range, low, high)
            bounds = np.searchsorted(title_keys, distinct, side="left"), np.searchsorted(title_keys, distinct, "right")
            title_first = bounds[0]
            title_texts, title_weights = range_sets(title_first, title_range, total, bounds[1] - bounds[0])
            texts = [f"[{a},{t}]" for a, t in zip(texts, title_texts)]
            weights = weights + title_weights + 3
        return tokens, hashes, weights, texts if with_values else None

    return _write_table(output, folder, _buckets(keys_by_range), entries_of, RANGE_SHARD_BYTES)[0]


def range_sets(first: np.ndarray, in_range: np.ndarray, total: int,
               counts: np.ndarray | None = None) -> tuple[list[str], np.ndarray]:
    """Each group of ``in_range`` (group k: ``counts[k]`` entries from ``first[k]``; without ``counts``, up to the
    next group), a set of range numbers of ``total``, as JSON: the list, or where shorter a bitmap string (six
    ranges a character of ALPHABET, range r the bit 1 << r % 6 of character r // 6), and the length of each;
    computed on the arrays. client.js ``rangeSet`` reads both forms."""
    if counts is None:
        counts = np.diff(np.r_[first, len(in_range)])
    first, counts = first.astype(np.int64), counts.astype(np.int64)
    digits = 1 + (in_range >= 10).astype(np.int64) + (in_range >= 100) + (in_range >= 1000) + (in_range >= 10000)
    cumulative = np.r_[0, np.cumsum(digits)]
    list_lengths = 2 + cumulative[first + counts] - cumulative[first] + np.maximum(counts - 1, 0)
    chars = (total + 5) // 6
    bitmap = list_lengths > chars + 2
    # The texts of each form are made all at once, each a line of one text that is then split (a table of trigrams
    # has millions of groups: one at a time, in Python, they took ~0.5 µs each).
    texts = np.empty(len(first), dtype=object)
    texts.fill("[]")  # a group of no entries (np.full would make a string for each group)
    listed = np.flatnonzero(~bitmap & (counts > 0))
    if len(listed):
        sizes = counts[listed]
        at = _group_entries(first[listed], sizes)
        group_ends = np.zeros(len(at), dtype=np.int64)
        group_ends[np.cumsum(sizes) - 1] = total
        # Each entry's range and a comma, or at its group's end the list's closing bracket and a line break.
        pieces = [*(f"{r}," for r in range(total)), *(f"{r}]\n[" for r in range(total))]
        text = "[" + "".join(map(pieces.__getitem__, (in_range[at] + group_ends).tolist()))
        texts[listed] = np.array(text.split("\n")[:-1], dtype=object)
    dense = np.flatnonzero(bitmap)
    if len(dense):
        sizes = counts[dense]
        at = _group_entries(first[dense], sizes)
        cells = np.repeat(np.arange(len(dense)), sizes) * chars + in_range[at] // 6
        # A range occurs once in a group: the sum of its bits is their union.
        bits = np.bincount(cells, weights=1 << (in_range[at] % 6), minlength=len(dense) * chars).astype(np.uint8)
        alphabet = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
        lines = np.empty((len(dense), chars + 3), dtype=np.uint8)  # each bitmap between quotes, then a line break
        lines[:, 0] = lines[:, -2] = ord('"')
        lines[:, -1] = ord("\n")
        lines[:, 1:-2] = alphabet[bits].reshape(len(dense), chars)
        texts[dense] = np.array(lines.tobytes().decode("ascii").split("\n")[:-1], dtype=object)
    return texts.tolist(), np.where(bitmap, chars + 2, list_lengths)


def _group_entries(first: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The entries of groups of ``sizes`` entries from ``first``, group after group: a running index within the group
    added to the group's first entry."""
    return np.repeat(first - np.r_[0, np.cumsum(sizes)[:-1]], sizes) + np.arange(int(sizes.sum()))


# Made once: json.dumps makes an encoder for each call with settings of its own (10,000 document files).
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json(value) -> bytes:
    return _JSON.encode(value).encode("utf-8")


@dataclasses.dataclass
class _Output:
    """Where the index's files go: ``out``, whose folders the callers make (once for all their files). A file that
    the site's index (``site``; None for a build of a new site) holds already with the same bytes is kept there
    instead (``kept``): after one change most files of the tables over all documents are as they were, and
    creating a file costs far more than reading one."""

    out: Path
    site: Path | None
    kept: list[str] = dataclasses.field(default_factory=list)

    def write(self, relative: str, data: bytes) -> None:
        if self.site is not None and _holds(f"{self.site}/{relative}", data):
            self.kept.append(relative)
        else:
            write_file(self.out / relative, data)


def _holds(path: str, data: bytes) -> bool:
    """Whether the file ``path`` exists and holds ``data``."""
    try:
        with open(path, "rb") as file:
            return file.read(len(data) + 1) == data
    except OSError:
        return False
