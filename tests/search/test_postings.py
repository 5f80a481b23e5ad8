"""The analyzer on arrays (search/postings.py) gives exactly what the obvious, slow way gives."""

from __future__ import annotations

import pickle
import subprocess
import sys

import numpy as np
import pytest
from conftest import posting_integers, posting_list, random_texts

from benchmarks.generate import sentences_of_example
from search.postings import (
    PackedPostings,
    Postings,
    digit_widths,
    digits,
    encode,
    normalize_all,
    sorted_distinct,
    stable_order,
    tokenize,
)
from search.tokenize import field_positions, normalize


def test_array_tokenizer_gives_the_analyzer_postings(tmp_path):
    texts = [normalize(t) for t in random_texts(300, 9)] + [normalize(s) for s in sentences_of_example()]
    texts += [normalize("Ａ１２３ｂ 第一条 ㈠ 〇一 2026年 abc123 中华人民共和国政府 﨑 𠀀𠀁")]
    for every_character in (False, True):
        postings = tokenize(texts, 0, every_character)
        expected = {}
        for number, text in enumerate(texts):
            for token, slots in field_positions(text, every_character).items():
                expected.setdefault(token, []).append((number, slots))
        encoded = encode(postings)
        assert encoded.tokens == sorted(expected), "tokens in string order"
        for token, text in zip(encoded.tokens, encoded.texts):
            assert posting_integers(text) == posting_list(expected[token]), token
        assert encoded.chars.tolist() == [len(text) for text in encoded.texts]
        assert encode(postings, with_text=False).chars.tolist() == encoded.chars.tolist()


@pytest.mark.parametrize("first", [5000, 70_000])  # numbered past 16 bits: their places in the range are not
def test_packed_postings_unpack_as_they_were(first):
    """Each token once, and documents (as places from the range's first) and slots in as few bytes as they fit: body
    postings under a third of the bytes of the arrays they were made from (a 64-bit key, a 32-bit document and slot an
    entry), titles' (every character a token, slots in 8 bits) under a quarter."""
    texts = [normalize(t) for t in random_texts(300, 11)]
    for every_character, share, slot_type in ((False, 3, np.uint16), (True, 4, np.uint8)):
        made = tokenize([text * 40 if not every_character else text for text in texts], first, every_character)
        postings = Postings(made.keys, made.docs.astype(np.int32), made.slots.astype(np.int32), made.vocabulary)
        packed = PackedPostings.of(postings)
        assert (packed.places.dtype, packed.slots.dtype) == (np.uint16, slot_type)
        assert len(packed.tokens) * 10 < len(postings.keys)
        arrays = sum(getattr(postings, name).nbytes for name in ("keys", "docs", "slots"))
        assert len(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)) < arrays / share
        again = pickle.loads(pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)).unpacked(postings.vocabulary)
        for name in ("keys", "docs", "slots"):
            assert np.array_equal(getattr(again, name), getattr(postings, name)), name
            assert getattr(again, name).dtype == getattr(postings, name).dtype, name


def test_a_vocabulary_is_pickled_as_its_words():
    """Its ranks are not pickled, nor made when it is read back: only when first asked."""
    made = tokenize(["gb 2019 t9704 pdf 公开"], 0).vocabulary
    assert "rank" in made.__dict__  # the tokenizer ranked its words
    vocabulary = pickle.loads(pickle.dumps(made))
    assert vocabulary.words == ["2019", "gb", "pdf", "t9704"]
    assert "rank" not in vocabulary.__dict__
    assert vocabulary.rank == {"2019": 0, "gb": 1, "pdf": 2, "t9704": 3}


def test_radix_sort_orders_as_a_stable_argsort():
    rng = np.random.default_rng(3)
    for keys in ([], [0], [5], [3, 1, 3, 1, 2], rng.integers(0, 50, 10_000), rng.integers(0, 2**41, 100_000) // 7,
                 rng.integers(0, 2**16, 1000) << 16 | 7, rng.integers(0, 2**61, 1000), [2**62, 1, 2**62, 0],
                 [-3, 5, -3, 0]):  # digits equal in the low passes; more than three passes; negative keys
        keys = np.array(keys, dtype=np.int64)
        assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()


def test_distinct_keys_are_numpys_unique():
    rng = np.random.default_rng(4)
    for keys in ([], [0], [7, 7, 7], [3, 1, 3, 1, 2], rng.integers(0, 50, 10_000), rng.integers(0, 2**62, 100_000),
                 np.repeat(rng.integers(0, 2**62, 3000), 40), np.arange(1 << 21) << 20, [2**62 - 1, 0, 2**62 - 1]):
        # few distinct among many; every key distinct; keys equal in their low bits; more keys than a table's slots
        keys = np.array(keys, dtype=np.int64)
        assert sorted_distinct(keys).tolist() == np.unique(keys).tolist()


def test_numbers_written_as_digits_read_back():
    """Base 32, most significant digit first, 32 added to every digit but the last; written on arrays, read back one
    character at a time. Numbers below 32 take one character."""
    rng = np.random.default_rng(5)
    edges = [0, 1, 31, 32, 33, 1023, 1024, 32767, 32768, 2**31 - 1, 2**31, 2**40 + 7]
    for numbers in ([], [0], edges, rng.integers(0, 5000, 100_000).tolist(), rng.integers(0, 32, 1000).tolist()):
        array = np.array(numbers, dtype=np.int64)
        widths = digit_widths(array)
        text = digits(array, widths)
        assert posting_integers(text) == numbers
        assert widths.tolist() == [max(1, -(-n.bit_length() // 5)) for n in numbers]
        assert len(text) == sum(widths.tolist())
    assert digits(np.arange(32), digit_widths(np.arange(32))) == "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
    with pytest.raises(ValueError):  # a gap of postings out of order, which base 32 cannot write
        digit_widths(np.array([3, -1], dtype=np.int64))


def test_texts_normalized_together_are_each_normalized_alone():
    texts = random_texts(200, 4) + sentences_of_example()[:50] + [
        "", "Ａ１２３ｂ　ＡＢＣ！，：", "㈱ ½ ㈠ 株式会社", "﨑 神 𠀀𠀁 \U0002f800 \U0003134a", "e\u0301 Å Ω ﬁ",
        "ΣΑΣ İstanbul", "第一条（总则）", "\ud800 lone", "", "㈱", "", "a\ud800", "\udc00b", "½½"]
    assert normalize_all(texts) == [normalize(text) for text in texts]
    assert normalize_all([]) == []


def test_the_writer_makes_its_tables_as_it_is_imported():
    """The index's fork server imports the writer once (builder.build.pools.INDEX_SERVER_PRELOAD): every index
    process it forks then starts with the tables, rather than making them on its way to the build's answer."""
    code = ("import search.index, search.postings as p; "
            "print(p._nfkc_array.cache_info().currsize, p._character_classes.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["1", "1"]
