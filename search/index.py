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
import re
from collections.abc import Iterable
from pathlib import Path

from .tokenize import Token, field_positions, phrase_at, query_terms, trigrams

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


def write_index(docs: list[SearchDoc], out: Path, workers: int = 2) -> dict:
    """Write the index for ``docs`` (already newest first) under ``out``; returns meta.json's content.
    ``workers``: processes for the body ranges (1 when another core is busy with something else)."""
    facet_values = {name: sorted({getattr(d, name) for d in docs}, key=str) for name in
                    ("category", "organ", "year", "validity")}
    facet_index = {name: {v: i for i, v in enumerate(values)} for name, values in facet_values.items()}
    ranges = max(1, math.ceil(len(docs) / RANGE_SIZE))

    title_postings: dict[str, list] = {}
    for number, doc in enumerate(docs):
        for token, slots in field_positions(doc.title_text, every_character=True).items():
            title_postings.setdefault(token, []).append([number, slots])
    for token in [t for t, entries in title_postings.items() if len(entries) > BIG_TOKEN]:
        by_range: dict[int, list] = {}
        for entry in title_postings[token]:
            by_range.setdefault(entry[0] // RANGE_SIZE, []).append(entry)
        for r, entries in by_range.items():
            _write_json(out / "t" / "big" / f"{fnv1a(token):08x}" / f"{r}.json", encode(entries))
        title_postings[token] = {"r": sorted(by_range)}
    title_shards = _write_shards(title_postings, out / "t")

    # Ranges are independent: the second core writes half of them while this one does the rest.
    chunks = [(r, [d.body_text for d in docs[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]], out) for r in range(ranges)]
    if ranges > 1 and workers > 1:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            written = list(pool.map(_write_body_range, chunks))
    else:
        written = [_write_body_range(chunk) for chunk in chunks]
    body_shards, body_ranges, gram_ranges = [], {}, {}
    for r, (shards, body_tokens, grams) in enumerate(written):
        body_shards.append(shards)
        for token in body_tokens:
            body_ranges.setdefault(token, []).append(r)
        in_range = set(grams)
        for doc in docs[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]:
            in_range |= trigrams(doc.title_text)
        for gram in sorted(in_range):
            gram_ranges.setdefault(gram, []).append(r)
        facets = [[facet_index[name][getattr(doc, name)] for name in ("category", "organ", "year", "validity")]
                  for doc in docs[r * RANGE_SIZE:(r + 1) * RANGE_SIZE]]
        _write_json(out / "f" / f"{r}.json", facets)

    for number, doc in enumerate(docs):
        _write_json(out / "d" / str(number // DOC_FOLDER) / f"{number}.json", {
            "u": doc.url, "t": doc.title, "n": doc.doc_no, "i": doc.index_no, "d": doc.date, "c": doc.category,
            "o": doc.organ, "v": doc.validity, "s": (doc.summary + " " + doc.body)[:SNIPPET_TEXT],
        })
    range_shards = _write_shards(body_ranges, out / "r", encoded=True)
    gram_shards = _write_shards(gram_ranges, out / "g", encoded=True)
    meta = {"version": 1, "docs": len(docs), "range_size": RANGE_SIZE, "doc_folder": DOC_FOLDER,
            "title_shards": title_shards, "body_shards": body_shards, "range_shards": range_shards,
            "gram_shards": gram_shards,
            "facets": facet_values}
    _write_json(out / "meta.json", meta)
    return meta


def _write_body_range(chunk: tuple[int, list[str], Path]) -> tuple[int, list[str], list[str]]:
    """Body postings of one range: (shard count, its tokens, the trigrams of its titles and bodies)."""
    r, texts, out = chunk
    postings: dict[str, list] = {}
    grams: set[str] = set()
    for number, text in enumerate(texts, start=r * RANGE_SIZE):
        for token, slots in field_positions(text).items():
            postings.setdefault(token, []).append([number, slots])
        grams |= trigrams(text)
    return _write_shards(postings, out / "b" / str(r)), sorted(postings), sorted(grams)


def encode(entries: list) -> list[int]:
    """[[doc, [slots…]], …] in document order as one flat list of gaps (client.js ``decode`` reverses it)."""
    flat, previous = [], 0
    for doc, slots in entries:
        flat += [doc - previous, len(slots)]
        last = 0
        for slot in slots:
            flat.append(slot - last)
            last = slot
        previous = doc
    return flat


def _write_shards(postings: dict[str, list | dict], folder: Path, encoded: bool = False) -> int:
    """Spread ``postings`` over shards of about SHARD_BYTES by token hash; ``encoded``: values are written as they are."""
    if not encoded:
        postings = {t: entries if isinstance(entries, dict) else encode(entries) for t, entries in postings.items()}
    size = sum(len(token) * 3 + 6 + (3 * len(value) if isinstance(value, list) else 40) for token, value in postings.items())
    count = max(1, math.ceil(size / SHARD_BYTES))
    shards: list[dict] = [{} for _ in range(count)]
    for token in sorted(postings):
        shards[fnv1a(token) % count][token] = postings[token]
    for number, shard in enumerate(shards):
        _write_json(folder / f"{number}.json", shard)
    return count


def _write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
