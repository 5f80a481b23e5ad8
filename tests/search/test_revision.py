"""Revising a range from what the last build kept of it (search/revision.py): after any edit of a few of its
documents, it is what tokenizing the whole range again gives."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pytest

from search.postings import encode, normalize_all, tokenize, trigram_keys
from search.revision import RangeBody, RangeDetail, revise

CHARACTERS = "政府信息公开目录年度报告通知的了和在"  # few: documents share tokens, words and trigrams
WORDS = ("2019", "gb", "t9704", "pdf", "x1", "12345")


def _text(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 12)):
        if rng.random() < 0.2:
            parts.append(f" {rng.choice(WORDS)} ")
        else:
            parts.append("".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 8))))
        parts.append(rng.choice(["", "，", "。", " "]))
    return "".join(parts)


def _edited(rng: random.Random, text: str) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return text + _text(rng)  # a correction appended
    if kind == 1:
        return _text(rng)  # rewritten
    if kind == 2:
        return text[:rng.randint(0, len(text))]  # cut
    if kind == 3:
        at = rng.randint(0, len(text))
        return text[:at] + _text(rng) + text[at:]  # a sentence put in: the slots after it move
    if kind == 4:
        return text  # saved again as it was
    return ""  # emptied


def _tokenized(bodies: list[str], first: int) -> RangeBody:
    postings = tokenize(bodies, first)
    return RangeBody(postings, encode(postings), bodies, trigram_keys(bodies))


def _kept(body: RangeBody, contents: list[str]) -> RangeDetail:
    """As the index keeps it: pickled, and read back by the next build with its texts from the range's shards."""
    return _pickled(RangeDetail(body, contents)).with_texts(_shard_values(body))


def _pickled(detail: RangeDetail) -> RangeDetail:
    return pickle.loads(pickle.dumps(detail, protocol=pickle.HIGHEST_PROTOCOL))


def _shard_values(body: RangeBody) -> dict[str, str]:
    """What the range's body shards hold: each token's text (index._write_range)."""
    return dict(zip(body.encoded.tokens, body.encoded.texts))


def _assert_same(body: RangeBody, expected: RangeBody) -> None:
    assert body.bodies == expected.bodies
    for name in ("keys", "docs", "slots"):
        assert np.array_equal(getattr(body.postings, name), getattr(expected.postings, name)), name
    assert body.postings.vocabulary.words == expected.postings.vocabulary.words
    assert body.encoded.texts == expected.encoded.texts
    for name in ("keys", "doc_counts", "chars"):
        assert np.array_equal(getattr(body.encoded, name), getattr(expected.encoded, name)), name
    assert np.array_equal(body.grams, expected.grams)


@pytest.mark.parametrize("seed", range(40))
def test_a_range_revised_edit_after_edit_is_the_range_tokenized_afresh(seed):
    rng = random.Random(seed)
    first = 1000 * rng.randint(0, 3)
    bodies = normalize_all([_text(rng) for _ in range(rng.randint(1, 40))])
    detail = _kept(_tokenized(bodies, first), [""] * len(bodies))
    for _ in range(6):
        count = max(1, len(bodies) + rng.choice([0, 0, 0, -2, -1, 1, 3]))  # withdrawn from the end, or published
        # Some steps only withdraw documents from the end.
        places = set(rng.sample(range(count), min(count, rng.randint(0, 3)))) | set(range(len(bodies), count))
        new = [*bodies[:count], *[""] * (count - len(bodies))]
        changed = {}
        for place in places:
            changed[place] = new[place] = normalize_all([_edited(rng, new[place])])[0]
        revised = revise(detail, first, changed, count)
        _assert_same(revised, _tokenized(new, first))
        bodies = new
        detail = _kept(revised, detail.contents)


@pytest.mark.parametrize("bodies", [
    [],  # no document
    ["", " "],  # documents with no token
    ["政府" * 40_000, "信息 2019 公开"],  # slots past 16 bits: a body of 80,000 characters
], ids=["none", "no-token", "long-body"])
def test_a_kept_detail_reads_back_as_it_was(bodies):
    body = _tokenized(normalize_all(bodies), 3000)
    detail = _kept(body, ["a"] * len(bodies))
    _assert_same(detail.body, body)
    assert detail.contents == ["a"] * len(bodies)


def test_a_kept_detail_is_packed():
    """Its postings packed (postings.PackedPostings) and its tokens' texts left to the shards: everything else of it
    included, under 8 bytes an entry (7.3 here; with the texts 8.8)."""
    rng = random.Random(7)
    body = _tokenized(normalize_all([_text(rng) * 20 for _ in range(300)]), 5000)
    assert len(pickle.dumps(RangeDetail(body, []), protocol=pickle.HIGHEST_PROTOCOL)) < 8 * len(body.postings.keys)


def test_a_kept_detail_is_not_read_with_other_texts_than_its_own():
    """The texts are put back from the site's shards: a shard missing, or a text not of the length written, and the
    detail is not used (the range is tokenized afresh)."""
    rng = random.Random(3)
    body = _tokenized(normalize_all([_text(rng) * 3 for _ in range(30)]), 0)
    detail, values = _pickled(RangeDetail(body, [])), _shard_values(body)
    assert detail.with_texts(values) is not None
    token = body.encoded.tokens[5]
    assert detail.with_texts({t: v for t, v in values.items() if t != token}) is None
    assert detail.with_texts(values | {token: values[token] + "A"}) is None
    assert detail.with_texts(values | {token: list(values[token])}) is None
