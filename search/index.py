"""The static, sharded search index that client.js reads, and the ranking both it and Whoosh follow.

Layout under ``site/search/`` (documented in docs/search.md)::

    meta.json                 sizes, shard counts, facet labels
    t/<shard>.json            title postings (title, 文号, 索引号) of all documents: {token: postings}, or for a
                              token in more than BIG_TOKEN documents {token: {"r": [ranges]}} and then
    t/big/<hash>/<range>.json that token's postings in one range
    b/<range>/<shard>.json    body postings, one folder per range of RANGE_SIZE documents
    r/<shard>.json            for each body token, the ranges it occurs in: a query reads only ranges that can match
    g/<shard>.json            for each three-character sequence of titles and bodies, the ranges it occurs in:
                              a rare phrase of common characters skips the ranges where it cannot be
    f/<range>.json            facets of the range's documents: [[category, organ, year, validity], …]
    d/<doc // 100>/<doc>.json one document: address, title, metadata, text for snippets

Postings are one flat list of integers: for each document the gap from the previous document, the number of
slots, then the slots as gaps. Documents are numbered newest first, so ranges are searched newest first and a
query stops as soon as it has a page of results: it downloads only the shards of its own tokens, in the newest
ranges, and the postings of a common title token only for the ranges it needs.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import json
import math
import multiprocessing
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from .postings import Encoded, Postings, Vocabulary, encode, fnv1a_keys, tokenize, trigram, trigram_keys
from .tokenize import Token, field_positions, normalize, phrase_at, query_terms

RANGE_SIZE = 1000
SHARD_BYTES = 16_000
BIG_TOKEN = 500  # title tokens in more documents than this are split by range
DOC_FOLDER = 100
SNIPPET_TEXT = 1500  # characters of body text kept per document for snippets (10 results ≈ 45 KB)


@dataclasses.dataclass(frozen=True)
class SearchDoc:
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


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the shard of a token (client.js computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def plain_text(markdown: str) -> str:
    """Body text for snippets: Markdown markers and runs of white space removed."""
    text = re.sub(r"^[#>*\-\s]+", "", markdown, flags=re.MULTILINE)
    text = re.sub(r"[*_`|]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


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
    """Document numbers by tier, newest first within a tier; scattered matches only when nothing matched exactly."""
    matches = sorted(matches, key=lambda m: (m[1], m[0]))
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

# What forked workers index: set just before the pool starts, so they inherit it instead of receiving a copy.
_JOB: tuple[list[SearchDoc], Path] | None = None


def write_index(docs: list[SearchDoc], out: Path, workers: int = 2) -> dict:
    """Write the index for ``docs`` (already newest first) under ``out``; returns meta.json's content.
    ``workers``: processes for the body ranges (1 when another core is busy with something else)."""
    global _JOB
    facet_values = {name: sorted({getattr(d, name) for d in docs}, key=str) for name in FACETS}
    facet_index = {name: {v: i for i, v in enumerate(values)} for name, values in facet_values.items()}
    ranges = max(1, math.ceil(len(docs) / RANGE_SIZE))
    titles = [normalize(d.title_text) for d in docs]
    title_shards = _write_titles(tokenize(titles, 0, every_character=True), out)

    # Ranges are independent: the second core writes half of them while this one does the rest.
    _JOB = (docs, out)
    try:
        if ranges > 1 and workers > 1:
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                written = list(pool.map(_write_body_range, range(ranges)))
        else:
            written = [_write_body_range(r) for r in range(ranges)]
    finally:
        _JOB = None
    for r in range(ranges):
        facets = [[facet_index[name][getattr(doc, name)] for name in FACETS]
                  for doc in docs[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]]
        _write_json(out / "f" / f"{r}.json", facets)
    for number, doc in enumerate(docs):
        _write_json(out / "d" / str(number // DOC_FOLDER) / f"{number}.json", {
            "u": doc.url, "t": doc.title, "n": doc.doc_no, "i": doc.index_no, "d": doc.date, "c": doc.category,
            "o": doc.organ, "v": doc.validity, "s": (doc.summary + " " + doc.body)[:SNIPPET_TEXT],
        })
    vocabulary = Vocabulary({word for _, encoded, _ in written for word in encoded.vocabulary.words})
    range_shards = _write_ranges([encoded.vocabulary.renumbered(encoded.keys, vocabulary) for _, encoded, _ in written],
                                 vocabulary, out / "r")
    gram_shards = _write_ranges([grams for _, _, grams in written], None, out / "g")
    meta = {"version": 1, "docs": len(docs), "range_size": RANGE_SIZE, "doc_folder": DOC_FOLDER,
            "title_shards": title_shards, "body_shards": [shards for shards, _, _ in written],
            "range_shards": range_shards, "gram_shards": gram_shards, "facets": facet_values}
    _write_json(out / "meta.json", meta)
    return meta


def _write_titles(postings: Postings, out: Path) -> int:
    """Title postings; a token in more than BIG_TOKEN documents is written per range, its entry lists the ranges."""
    encoded = encode(postings)
    values = [f"[{text}]" for text in encoded.texts]
    weights = 3 * encoded.lengths
    for n in np.flatnonzero(encoded.doc_counts > BIG_TOKEN).tolist():
        key = encoded.keys[n]
        first, last = np.searchsorted(postings.keys, [key, key + 1])
        docs = postings.docs[first:last]
        bounds = np.searchsorted(docs, np.arange(0, docs[-1] + RANGE_SIZE + 1, RANGE_SIZE))
        in_ranges = []
        for r, (low, high) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            if high > low:
                part = Postings(postings.keys[first + low:first + high], docs[low:high],
                                postings.slots[first + low:first + high], postings.vocabulary)
                folder = out / "t" / "big" / f"{fnv1a(postings.vocabulary.token(key)):08x}"
                _write_text(folder / f"{r}.json", f"[{encode(part).texts[0]}]")
                in_ranges.append(r)
        values[n] = '{"r":[' + ",".join(map(str, in_ranges)) + "]}"
        weights[n] = 40
    return _write_shards(encoded.tokens, fnv1a_keys(encoded.keys, encoded.vocabulary), values, weights, out / "t")


def _write_body_range(r: int) -> tuple[int, Encoded, np.ndarray]:
    """Body postings of one range: (shard count, its tokens, the trigrams of its titles and bodies)."""
    docs, out = _JOB
    chunk = docs[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]
    bodies = [normalize(d.body_text) for d in chunk]
    encoded = encode(tokenize(bodies, r * RANGE_SIZE))
    shards = _write_shards(encoded.tokens, fnv1a_keys(encoded.keys, encoded.vocabulary),
                           [f"[{t}]" for t in encoded.texts], 3 * encoded.lengths, out / "b" / str(r))
    grams = np.union1d(trigram_keys(bodies), trigram_keys([normalize(d.title_text) for d in chunk]))
    return shards, dataclasses.replace(encoded, texts=[]), grams


def _write_ranges(keys_by_range: list[np.ndarray], vocabulary: Vocabulary | None, folder: Path) -> int:
    """For each token (or, without a vocabulary, each trigram): the ranges it occurs in."""
    keys = np.concatenate(keys_by_range)
    in_range = np.concatenate([np.full(len(k), r) for r, k in enumerate(keys_by_range)])
    order = np.lexsort((in_range, keys))
    keys, in_range = keys[order], in_range[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    distinct = keys[first]
    counts = np.diff(np.r_[first, len(keys)])
    listed = in_range.tolist()
    values = [f"[{','.join(map(str, listed[a:b]))}]" for a, b in zip(first.tolist(), (first + counts).tolist())]
    if vocabulary is None:
        tokens, hashes = [trigram(k) for k in distinct.tolist()], fnv1a_keys(distinct, None, chars=3)
    else:
        tokens, hashes = [vocabulary.token(k) for k in distinct.tolist()], fnv1a_keys(distinct, vocabulary)
    return _write_shards(tokens, hashes, values, 3 * counts, folder)


def _write_shards(tokens: list[str], hashes: np.ndarray, values: list[str], weights: np.ndarray,
                  folder: Path) -> int:
    """Spread tokens (ascending) over shards of about SHARD_BYTES by their hash: ``values`` are their JSON
    values, ``weights`` the estimated bytes of each value."""
    size = sum(len(token) * 3 + 6 for token in tokens) + int(weights.sum())
    count = max(1, math.ceil(size / SHARD_BYTES))
    shards: list[list[str]] = [[] for _ in range(count)]
    for token, shard, value in zip(tokens, (hashes % count).tolist(), values):
        shards[shard].append(f'"{token}":{value}')
    for number, entries in enumerate(shards):
        _write_text(folder / f"{number}.json", "{" + ",".join(entries) + "}")
    return count


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _write_json(path: Path, value) -> None:
    _write_text(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
