"""The static index (search/index.py): written a bucket or a range at a time, it holds what one pass would."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import json
import pickle
import struct

import numpy as np
import pytest
from conftest import posting_integers, posting_list

import search.hashing
import search.index
import search.postings
from benchmarks.generate import generate
from builder.build.pools import fork_map
from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views
from search.document import IndexReuse
from search.tokenize import field_positions


def test_index_written_a_bucket_at_a_time_is_the_index_written_at_once(tmp_path, monkeypatch):
    """At 100,000 documents the merges go a bucket of keys at a time; the bytes are those of one pass. In small
    ranges, with common title tokens in files of one range or several: a bucket's tokens need not be in the last."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "BIG_TOKEN", 20)
    catalog = generate(tmp_path / "catalog", 1500)
    docs = _documents(catalog)
    search.index.write_index(docs, tmp_path / "once")
    monkeypatch.setattr(search.index, "BUCKET_ENTRIES", 2000)
    search.index.write_index(docs, tmp_path / "buckets")
    once, buckets = _files(tmp_path / "once"), _files(tmp_path / "buckets")
    assert once == buckets and len(once) > 900


def _ranges(value) -> list[int]:
    """A range set as the index writes it: a list, or a bitmap string of six ranges a character."""
    if isinstance(value, list):
        return value
    return [6 * i + k for i, char in enumerate(value) for k in range(6)
            if search.postings.ALPHABET.index(char) >> k & 1]


def _documents(catalog):
    loaded, _ = load_catalog(catalog)
    return search_documents(published_views(loaded, dt.date(2026, 11, 23)))


@pytest.mark.parametrize("file_bytes", [1, 150, 10**6])
def test_common_title_tokens_are_written_in_files_of_consecutive_ranges(tmp_path, monkeypatch, file_bytes):
    """A title token in more than BIG_TOKEN documents: its shard entry lists ranges, and each of its files holds
    exactly the postings of its span of ranges, read back here against the analyzer. The span is the largest power
    of two that many times the token's largest range fits in BIG_FILE_BYTES (at least 1): one range a file when that
    is tiny, all of them when it is huge."""
    monkeypatch.setattr(search.index, "BIG_TOKEN", 20)
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "BIG_FILE_BYTES", file_bytes)
    docs = _documents(generate(tmp_path / "catalog", 400))
    search.index.write_index(docs, tmp_path / "index")
    expected: dict[str, dict[int, list[int]]] = {}
    for number, doc in enumerate(docs):
        for token, slots in field_positions(doc.title_text, every_character=True).items():
            expected.setdefault(token, {})[number] = slots
    spans = []
    for shard in (tmp_path / "index" / "t").glob("*.json"):
        for token, value in json.loads(shard.read_text(encoding="utf-8")).items():
            if not isinstance(value, dict):
                continue
            span = value.get("s", 1)
            largest = max(len(_text(_flat(expected[token], lambda n: n // 100, r))) for r in range(len(docs) // 100 + 1))
            fits = file_bytes // largest
            assert span == (1 << fits.bit_length() - 1 if fits else 1), token
            files = {n // 100 - n // 100 % span for n in expected[token]}
            assert _ranges(value["r"]) == sorted({n // 100 for n in expected[token]}), token
            assert value["n"] == len(expected[token]), token
            folder = _big_folder(tmp_path / "index", token, value)
            assert sorted(int(p.stem) for p in folder.iterdir()) == sorted(files), token
            for first in files:
                text = json.loads((folder / f"{first}.json").read_text(encoding="utf-8"))
                assert posting_integers(text) == _flat(expected[token], lambda n: n // 100 - n // 100 % span, first)
            spans.append((span, len(files)))
    assert len(spans) >= 3, "the generated titles have common tokens"
    if file_bytes == 1:
        assert {span for span, _ in spans} == {1}
    elif file_bytes == 10**6:  # every range in one file
        assert {files for _, files in spans} == {1}
    else:
        assert len({span for span, _ in spans}) > 1, spans


def _big_folder(index, token: str, entry: dict):
    """Where a common title token's files are, as client.js finds them."""
    return index / "t" / "big" / entry.get("f", f"{search.hashing.fnv1a(token):08x}")


def test_common_title_tokens_sharing_a_hash_have_folders_of_their_own(tmp_path, monkeypatch):
    """Two common title words with the same 32-bit hash (found by searching random words): each has a folder of its
    own, the second (in key order) named in its entry, and each holds its own word's postings."""
    words = ("xcmubo", "yuxduyzvn")
    assert search.hashing.fnv1a(words[0]) == search.hashing.fnv1a(words[1])
    monkeypatch.setattr(search.index, "BIG_TOKEN", 3)
    docs = [doc._replace(title=f"{doc.title} {words[n % 2]}") for n, doc in
            enumerate(_documents(generate(tmp_path / "catalog", 30)))]
    search.index.write_index(docs, tmp_path / "index")
    entries = {token: value for shard in (tmp_path / "index" / "t").glob("*.json")
               for token, value in json.loads(shard.read_text(encoding="utf-8")).items() if token in words}
    folders = [_big_folder(tmp_path / "index", word, entries[word]) for word in words]
    assert folders[0] != folders[1] and sum("f" in entries[word] for word in words) == 1
    for word, folder in zip(words, folders):
        expected = {n: field_positions(doc.title_text, every_character=True)[word] for n, doc in enumerate(docs)
                    if word in doc.title}
        text = json.loads((folder / "0.json").read_text(encoding="utf-8"))
        assert posting_integers(text) == _flat(expected, lambda n: 0, 0), word


def _flat(postings: dict[int, list[int]], file_of, file: int) -> list[int]:
    """The integers of one file's postings (``postings``: document → slots; ``file_of``: a document's file)."""
    return posting_list((number, slots) for number, slots in sorted(postings.items()) if file_of(number) == file)


def _text(flat: list[int]) -> str:
    array = np.array(flat, dtype=np.int64)
    return search.postings.digits(array, search.postings.digit_widths(array))


def test_a_new_publication_leaves_the_files_of_every_older_range_as_they_were(tmp_path, monkeypatch):
    """Numbered oldest first, the newest document takes the next number. The index with it, written over the index
    without it, keeps the documents' pack and the body postings of every range before the last and every other file
    whose bytes are unchanged; with what it keeps it is the index written afresh, byte for byte."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    assert [doc.date for doc in docs] == sorted(doc.date for doc in docs)  # the index's order: oldest first
    site, new, fresh = tmp_path / "site", tmp_path / "new", tmp_path / "fresh"
    search.index.write_index(docs[:-1], site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-1", "code"))
    kept = search.index.write_index(docs, new, IndexReuse(site, tmp_path / "cache-1", tmp_path / "cache-2", "code")).kept
    last = (len(docs) - 1) // 100
    assert {f"d/{r}.bin" for r in range(last)} <= set(kept) and f"d/{last}.bin" not in kept
    assert last >= 2 and all(any(path.startswith(f"b/{r}/") for path in kept) for r in range(last))
    assert any((new / "b" / str(last)).iterdir())  # the new document's range: its shards that changed
    assert len(_files(new)) < len(kept) / 4
    search.index.write_index(docs, fresh)
    combined = {path: (site / path).read_bytes() for path in kept} | _files(new)
    assert combined == _files(fresh)


def test_what_forked_range_writers_and_bucketed_tables_keep_is_the_index_written_afresh(tmp_path, monkeypatch):
    """An edit in the oldest range and a new publication: two ranges rewritten by forked writers, each returning the
    files it kept, and the tables over all documents written a bucket at a time (only shards written whole are
    kept). With what it keeps, the index is the one written afresh."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "BUCKET_ENTRIES", 3000)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    edited = [docs[0]._replace(body=docs[0].body + "（补充说明。）"), *docs[1:]]
    site, new, fresh = tmp_path / "site", tmp_path / "new", tmp_path / "fresh"
    search.index.write_index(docs[:-1], site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-1", "code"))
    kept = search.index.write_index(edited, new, IndexReuse(site, tmp_path / "cache-1", tmp_path / "cache-2", "code"),
                                    parallel=fork_map).kept
    assert {"d/1.bin", "d/2.bin"} <= set(kept) and not {"d/0.bin", "d/3.bin"} & set(kept)
    assert any(path.startswith("b/0/") for path in kept) and (new / "b" / "0").is_dir()  # kept where unchanged
    search.index.write_index(edited, fresh)
    assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh)


def test_files_gone_from_the_sites_index_are_written_again(tmp_path, monkeypatch):
    """A deploy tool or a hand deleted a body shard, a range's documents and a title file of the site's index: the
    parts they belong to are not kept, though unchanged, and the index with what it keeps is the one written
    afresh."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site = tmp_path / "site"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-1", "code"))
    gone = ["b/0/0.json", "d/1.bin", "t/0.json"]
    for path in gone:
        (site / path).unlink()
    new = tmp_path / "new"
    kept = search.index.write_index(docs, new, IndexReuse(site, tmp_path / "cache-1", tmp_path / "cache-2",
                                                          "code")).kept
    assert not set(gone) & set(kept) and all((new / path).is_file() for path in gone)
    assert "b/2/0.json" in kept and "d/2.bin" in kept  # the rest is kept
    search.index.write_index(docs, tmp_path / "fresh")
    assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(tmp_path / "fresh")


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


class _Reads(list):
    """Documents that count how often the writer reads each of them."""

    def __init__(self, docs) -> None:
        super().__init__(docs)
        self.read: collections.Counter[int] = collections.Counter()

    def __getitem__(self, number):
        self.read[number] += 1
        return super().__getitem__(number)


def test_a_document_edited_save_after_save_revises_only_itself_in_its_range(tmp_path, monkeypatch):
    """The range of an edited document keeps its detail (revision.RangeDetail): the next edit reads only that
    document and revises the range from it (search/revision.py). With what it keeps, every index is the one written
    afresh; the edits add and remove words, characters and trigrams. An index larger than ALL_DETAILED, whose full
    build keeps the newest range's detail only."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "ALL_DETAILED", 3)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site, cache = tmp_path / "site-0", tmp_path / "cache-0"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
    edits = ["（第二次更正：补充 pdf 附件 2019 版。）", "", "全文废止，另行公布。"]
    for step, addition in enumerate(edits, 1):
        docs[120] = docs[120]._replace(body=docs[120].body[:200] + addition, title=docs[120].title + addition[:4])
        reads = _Reads(docs)
        keys = [search.hashing.digest(repr(doc)) for doc in docs]
        new, next_cache = tmp_path / f"new-{step}", tmp_path / f"cache-{step}"
        kept = search.index.write_index(reads, new, IndexReuse(site, cache, next_cache, "code"), keys).kept
        # Each document at most once; the first edit reads its whole range, and keeps its detail.
        assert reads.read == ({120: 1} if step > 1 else {n: 1 for n in range(100, 200)})
        fresh = tmp_path / f"fresh-{step}"
        search.index.write_index(docs, fresh)
        combined = {path: (site / path).read_bytes() for path in kept} | _files(new)
        assert combined == _files(fresh)
        site, cache = fresh, next_cache  # the site as it now is


@pytest.mark.parametrize("damage", [None, "deleted", "damaged", "another range's"])
def test_an_edit_writes_its_ranges_summary_alone_and_a_summary_not_as_written_leaves_nothing_to_reuse(
        tmp_path, monkeypatch, damage):
    """What the index keeps for the next build holds each range's summary in a file of its own: an edit writes its
    range's, and links the others' forward (the very files). A summary gone, damaged or another range's makes the
    whole last index unusable: the next build reads every document, and writes the index afresh."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site, cache = tmp_path / "site-0", tmp_path / "cache-0"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
    summaries = [cache / f"summary-{r}.pickle" for r in range(4)]
    if damage == "deleted":
        summaries[2].unlink()
    elif damage == "damaged":
        data = bytearray(summaries[2].read_bytes())
        data[len(data) // 2] ^= 0xFF  # a byte of the pickle: its checksum no longer holds
        summaries[2].write_bytes(bytes(data))
    elif damage == "another range's":
        summaries[2].write_bytes(summaries[1].read_bytes())
    docs[120] = docs[120]._replace(body=docs[120].body + "（更正。）")
    reads, keys = _Reads(docs), [search.hashing.digest(repr(doc)) for doc in docs]
    new, next_cache, fresh = tmp_path / "new", tmp_path / "cache-1", tmp_path / "fresh"
    kept = search.index.write_index(reads, new, IndexReuse(site, cache, next_cache, "code"), keys).kept
    assert set(reads.read) == ({120} if damage is None else set(range(len(docs))))  # its detail kept: itself alone
    search.index.write_index(docs, fresh)
    assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh)
    linked = {r for r in range(4) if summaries[r].is_file()
              and (next_cache / f"summary-{r}.pickle").stat().st_ino == summaries[r].stat().st_ino}
    assert linked == ({0, 2, 3} if damage is None else set())
    assert search.index.previous_ranges(IndexReuse(fresh, next_cache, tmp_path / "none", "code")).keys() >= {0, 1, 2, 3}


def test_a_summary_read_back_holds_its_titles_postings_as_made_and_is_packed(tmp_path, monkeypatch):
    """Each range's summary as the next build reads it (``previous_ranges``) holds the title postings of its titles,
    as the analyzer makes them; kept packed (postings.PackedPostings): its file is smaller than the summary pickled
    with those postings as arrays by more than half of their bytes."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 250)))
    site, cache = tmp_path / "site", tmp_path / "cache"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
    summaries = search.index.previous_ranges(IndexReuse(site, cache, tmp_path / "none", "code"))
    for r in range(3):
        summary = summaries[r]
        made = search.postings.tokenize(summary.titles, r * 100, every_character=True)
        for name in ("keys", "docs", "slots"):
            assert np.array_equal(getattr(summary.title_postings, name), getattr(made, name)), name
        assert summary.title_postings.vocabulary.words == made.vocabulary.words
        arrays = sum(getattr(summary.title_postings, name).nbytes for name in ("keys", "docs", "slots"))
        as_arrays = pickle.dumps(tuple(getattr(summary, field.name) for field in dataclasses.fields(summary)),
                                 protocol=pickle.HIGHEST_PROTOCOL)
        assert (cache / f"summary-{r}.pickle").stat().st_size < len(as_arrays) - arrays / 2


def test_documents_edited_in_turn_in_several_ranges_each_revise_their_range(tmp_path, monkeypatch):
    """Staff correct documents in several ranges in turn: each range written keeps its detail while later builds
    leave it as it is, up to KEPT_DETAILS with the newest range's, the most recently written kept. A range whose
    detail was let go is read whole again. With what it keeps, every index is the one written afresh. An index
    larger than ALL_DETAILED."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "KEPT_DETAILS", 3)  # the newest range's (3) and two others
    monkeypatch.setattr(search.index, "ALL_DETAILED", 3)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site, cache = tmp_path / "site-0", tmp_path / "cache-0"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
    whole = {r: {n: 1 for n in range(r * 100, r * 100 + 100)} for r in range(3)}
    # The document edited, and what the build reads: 0 and 2 alternate; 1 then lets 0's detail go, the one written
    # least recently.
    steps = [(20, whole[0]), (220, whole[2]), (20, {20: 1}), (220, {220: 1}), (120, whole[1]), (20, whole[0])]
    cache = _corrected_in_turn(tmp_path, docs, site, cache, steps)
    assert sorted(p.name for p in cache.glob("range-*.pickle")) == ["range-0.pickle", "range-1.pickle",
                                                                    "range-3.pickle"]


@pytest.mark.parametrize("damage", [
    lambda shard: shard.unlink(),
    lambda shard: shard.write_bytes(b"[" * 100_000),  # JSON nested too deep to read
    lambda shard: shard.write_bytes(b"\xff" + shard.read_bytes()),  # not UTF-8
    lambda shard: shard.write_text(shard.read_text(encoding="utf-8").replace('":"', '":"A', 1), encoding="utf-8"),
], ids=["deleted", "nested", "not-utf-8", "a-text-longer"])
def test_a_detail_whose_shards_are_not_as_written_is_not_used(tmp_path, monkeypatch, damage):
    """A detail keeps its tokens' texts in the site's body shards only (revision.RangeDetail): with one of the range's
    shards gone from the site or not as the index wrote it, the next edit of the range reads it whole, and the index
    is the one written afresh; the range's shards written again, the edit after it reads only its document."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site, cache = tmp_path / "site-0", tmp_path / "cache-0"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
    damage(site / "b" / "1" / "0.json")
    _corrected_in_turn(tmp_path, docs, site, cache, [(120, {n: 1 for n in range(100, 200)}), (120, {120: 1})])


def _corrected_in_turn(tmp_path, docs: list, site, cache, steps: list[tuple[int, dict]]):
    """Each of ``steps`` (a document's number, and the documents the build must read): the document corrected, its
    index written from the last one's site and cache, and with what it keeps compared with one written afresh.
    Returns the last build's cache."""
    for step, (number, expected) in enumerate(steps, 1):
        docs[number] = docs[number]._replace(body=docs[number].body + f"（第 {step} 次更正。）")
        reads, keys = _Reads(docs), [search.hashing.digest(repr(doc)) for doc in docs]
        new, next_cache, fresh = tmp_path / f"new-{step}", tmp_path / f"cache-{step}", tmp_path / f"fresh-{step}"
        kept = search.index.write_index(reads, new, IndexReuse(site, cache, next_cache, "code"), keys).kept
        assert reads.read == expected, step
        search.index.write_index(docs, fresh)
        assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh)
        site, cache = fresh, next_cache
    return cache


def test_the_newest_ranges_detail_is_kept_while_other_ranges_change(tmp_path, monkeypatch):
    """Publications go into the newest range: its detail is kept by a build that leaves it as it is (an edit
    elsewhere), and the next publication reads only the new document. An index larger than ALL_DETAILED."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "ALL_DETAILED", 3)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    edited = [docs[0]._replace(body=docs[0].body + "（补充说明。）"), *docs[1:]]
    site = tmp_path / "site-0"
    search.index.write_index(docs[:-1], site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-0", "code"))
    steps = [(edited[:-1], {n: 1 for n in range(100)}), (edited, {len(docs) - 1: 1})]
    for step, (now, expected) in enumerate(steps, 1):
        reads, keys = _Reads(now), [search.hashing.digest(repr(doc)) for doc in now]
        new, fresh = tmp_path / f"new-{step}", tmp_path / f"fresh-{step}"
        reuse = IndexReuse(site, tmp_path / f"cache-{step - 1}", tmp_path / f"cache-{step}", "code")
        kept = search.index.write_index(reads, new, reuse, keys).kept
        assert reads.read == expected
        search.index.write_index(now, fresh)
        assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh)
        site = fresh


def test_an_index_of_few_ranges_keeps_every_ranges_detail(tmp_path, monkeypatch):
    """An index of at most ALL_DETAILED ranges keeps the detail of every one from its full build on: the first edit of
    any range reads only that document, an index of one range more reads the range whole. With what it keeps, every
    index is the one written afresh."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "ALL_DETAILED", 4)
    for documents, detailed in ((350, True), (450, False)):
        docs = list(_documents(generate(tmp_path / f"catalog-{documents}", documents)))
        site, cache = tmp_path / f"site-{documents}-0", tmp_path / f"cache-{documents}-0"
        search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", cache, "code"))
        assert len(list(cache.glob("range-*.pickle"))) == (4 if detailed else 1)
        for step, number in enumerate((20, 220, 120), 1):
            docs[number] = docs[number]._replace(body=docs[number].body + f"（第 {step} 次更正。）")
            reads, keys = _Reads(docs), [search.hashing.digest(repr(doc)) for doc in docs]
            new, next_cache = tmp_path / f"new-{documents}-{step}", tmp_path / f"cache-{documents}-{step}"
            kept = search.index.write_index(reads, new, IndexReuse(site, cache, next_cache, "code"), keys).kept
            first = number // 100 * 100
            assert reads.read == ({number: 1} if detailed else {n: 1 for n in range(first, first + 100)})
            fresh = tmp_path / f"fresh-{documents}-{step}"
            search.index.write_index(docs, fresh)
            assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh)
            site, cache = fresh, next_cache


def test_title_shards_are_revised_where_a_few_titles_changed(tmp_path, monkeypatch):
    """A title corrected (a word added, then gone), two publications: only the title shards that hold a token of
    those titles, as they were or are, are written, and a common token's files and entry only where its postings
    changed. A common token that is common no more makes every shard written again (common tokens' folders are
    named in key order). With what it keeps, every index is the one written afresh, byte for byte."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    monkeypatch.setattr(search.index, "BUCKET_ENTRIES", 2000)  # written whole, every title shard is a new file
    monkeypatch.setattr(search.index, "SHARD_BYTES", 1000)  # shards enough for a title's tokens to be in a few
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    published, newest = docs[:-1], docs[-1]
    tokens = [set(field_positions(doc.title_text, every_character=True)) for doc in docs]
    counts = collections.Counter(token for title in tokens[:-1] for token in title)
    # A character of an older title, made the least common of the common tokens: gone from that title, it is common
    # no more. No token of the new publication is one document short of common: publishing it changes none.
    common_from = {counts[token] for token in tokens[-1]}
    old, character = next((n, token) for n in range(200, 300) for token in sorted(tokens[n])
                          if len(token) == 1 and 5 < counts[token] and counts[token] not in common_from
                          and counts[token] - 1 not in common_from)
    monkeypatch.setattr(search.index, "BIG_TOKEN", counts[character] - 1)
    site = tmp_path / "site-0"
    search.index.write_index(published, site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-0", "code"))
    shards = json.loads((site / "meta.json").read_text())["title_shards"]
    assert shards > 20 and any((site / "t" / "big").iterdir())
    word = " zqxjword"

    def retitled(docs, titles):
        return [doc._replace(title=titles(doc.title)) if n in (20, 120) else doc for n, doc in enumerate(docs)]

    # A common token of the publication, whose entry it changes (one document more), and a later publication of a
    # title without it, one of whose tokens is in the same shard: that shard is written again, with the common
    # token's entry as the first publication left it.
    common = min((token for token in tokens[-1] if counts[token] > search.index.BIG_TOKEN),
                 key=lambda token: (counts[token], token))
    shard = search.hashing.fnv1a(common) % shards
    titles = (newest._replace(url="later/", title=f"zq{k}x", doc_no="", index_no="") for k in range(10_000))
    later = next(doc for doc in titles if any(search.hashing.fnv1a(token) % shards == shard
                                              for token in field_positions(doc.title_text, every_character=True)))
    steps = [("revised", lambda d: retitled(d, lambda title: title + word)),  # two titles, in two ranges
             ("revised", lambda d: retitled(d, lambda title: title[:-len(word)])),
             ("revised", lambda d: d + [newest]),
             ("revised", lambda d: d + [later]),
             ("written", lambda d: d[:old] + [d[old]._replace(title=d[old].title.replace(character, ""))]
              + d[old + 1:])]
    for step, (expected, change) in enumerate(steps, 1):
        before, published = published, change(published)
        new, fresh = tmp_path / f"new-{step}", tmp_path / f"fresh-{step}"
        reuse = IndexReuse(site, tmp_path / f"cache-{step - 1}", tmp_path / f"cache-{step}", "code")
        kept = search.index.write_index(published, new, reuse).kept
        search.index.write_index(published, fresh)
        written = {int(path.stem) for path in (new / "t").glob("*.json")}
        if expected == "revised":  # the shards of the tokens of the titles changed, then or now, whose postings did
            touched = {token for pair in itertools.zip_longest(before, published) if pair[0] != pair[1]
                       for doc in pair if doc for token in field_positions(doc.title_text, every_character=True)}
            assert written and written <= {search.hashing.fnv1a(token) % shards for token in touched}, step
        else:
            assert written == set(range(json.loads((fresh / "meta.json").read_text())["title_shards"])), step
        assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(fresh), step
        site = fresh
    assert any(word.strip() in shard.read_text() for shard in (tmp_path / "fresh-1" / "t").glob("*.json"))


def test_a_pack_holds_each_documents_json_and_a_damaged_pack_none():
    """A range's pack (search/index.py ``pack``): its offsets, then each document's JSON. One cut short, grown,
    emptied, zeroed, or whose offsets point out of it or backwards (a file damaged or replaced on the server) reads
    as none, never as another document's bytes."""
    records = [b'{"t":"a"}', '{"t":"政府信息公开"}'.encode(), b"{}"]
    data = search.index.pack(records)
    assert search.index.unpacked(data) == records and search.index.unpacked(search.index.pack([])) == []
    backwards = struct.pack("<4I", 16, 20, 18, 22) + b"x" * 6
    not_offsets = struct.pack("<3I", 13, 14, 15) + b"x" * 3
    for damaged in (data[:-1], data + b"}", b"", data[:3], backwards, not_offsets, bytes(12), b"\xff" * 12):
        assert search.index.unpacked(damaged) == [], damaged


@pytest.mark.parametrize("damage", [None, lambda data: data[:-7], lambda data: b"",
                                    lambda data: data[:4] + struct.pack("<I", 1 << 30) + data[8:]])
def test_a_range_revised_takes_its_unchanged_documents_from_its_last_pack_unless_damaged(tmp_path, monkeypatch,
                                                                                          damage):
    """An edit in the newest range revises it from its detail: the JSON of its other documents comes from the
    range's last pack, and only the edited document is read. A pack cut short, emptied or with an offset past its
    end is not used: every document of the range is read again. Either way the index is the one written afresh."""
    monkeypatch.setattr(search.index, "RANGE_SIZE", 100)
    docs = list(_documents(generate(tmp_path / "catalog", 350)))
    site = tmp_path / "site"
    search.index.write_index(docs, site, IndexReuse(site, tmp_path / "none", tmp_path / "cache-1", "code"))
    if damage:
        (site / "d" / "3.bin").write_bytes(damage((site / "d" / "3.bin").read_bytes()))
    edited = len(docs) - 5
    docs[edited] = docs[edited]._replace(body=docs[edited].body + "（补充说明。）")
    reads, keys = _Reads(docs), [search.hashing.digest(repr(doc)) for doc in docs]
    new = tmp_path / "new"
    kept = search.index.write_index(reads, new, IndexReuse(site, tmp_path / "cache-1", tmp_path / "cache-2", "code"),
                                    keys).kept
    assert reads.read == ({n: 1 for n in range(300, len(docs))} if damage else {edited: 1})
    search.index.write_index(docs, tmp_path / "fresh")
    assert {path: (site / path).read_bytes() for path in kept} | _files(new) == _files(tmp_path / "fresh")
