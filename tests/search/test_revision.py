"""Revising a range from what the last build kept of it (search/revision.py): after any edit of a few of its
documents, it is what tokenizing the whole range again gives."""

from __future__ import annotations

import dataclasses
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
    kind = rng.randrange(4)
    if kind == 0:
        return text + _text(rng)  # a correction appended
    if kind == 1:
        return _text(rng)  # rewritten
    if kind == 2:
        return text[:rng.randint(0, len(text))]  # cut
    return ""  # emptied


def _detail(bodies: list[str], first: int) -> RangeDetail:
    """As the index keeps it: documents and slots in 32 bits."""
    postings = tokenize(bodies, first)
    kept = dataclasses.replace(postings, docs=postings.docs.astype(np.int32), slots=postings.slots.astype(np.int32))
    return RangeDetail(RangeBody(kept, encode(postings), bodies, trigram_keys(bodies)), [""] * len(bodies))


@pytest.mark.parametrize("seed", range(40))
def test_a_range_revised_edit_after_edit_is_the_range_tokenized_afresh(seed):
    rng = random.Random(seed)
    first = 1000 * rng.randint(0, 3)
    bodies = normalize_all([_text(rng) for _ in range(rng.randint(1, 40))])
    detail = _detail(bodies, first)
    for _ in range(6):
        count = max(1, len(bodies) + rng.choice([0, 0, 0, -2, -1, 1, 3]))  # withdrawn from the end, or published
        # Some steps only withdraw documents from the end.
        places = set(rng.sample(range(count), min(count, rng.randint(0, 3)))) | set(range(len(bodies), count))
        new = [*bodies[:count], *[""] * (count - len(bodies))]
        changed = {}
        for place in places:
            changed[place] = new[place] = normalize_all([_edited(rng, new[place])])[0]
        revised = revise(detail, first, changed, count)
        expected = _detail(new, first).body
        assert revised.bodies == new
        for name in ("keys", "docs", "slots"):
            assert np.array_equal(getattr(revised.postings, name), getattr(expected.postings, name)), name
        assert revised.postings.vocabulary.words == expected.postings.vocabulary.words
        assert revised.encoded.texts == expected.encoded.texts
        for name in ("keys", "doc_counts", "chars"):
            assert np.array_equal(getattr(revised.encoded, name), getattr(expected.encoded, name)), name
        assert np.array_equal(revised.grams, expected.grams)
        bodies = new
        detail = RangeDetail(revised, detail.contents)
