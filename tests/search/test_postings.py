"""The analyzer on arrays (search/postings.py) gives exactly what the obvious, slow way gives."""

from __future__ import annotations

import numpy as np
from conftest import random_texts

from benchmarks.generate import sentences_of_example
from search.postings import (
    comma_separated,
    encode,
    normalize_all,
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
            flat, previous = [], 0
            for number, slots in expected[token]:
                flat += [number - previous, len(slots), *np.diff([0, *slots]).tolist()]
                previous = number
            assert text == ",".join(map(str, flat)), token


def test_radix_sort_orders_as_a_stable_argsort():
    rng = np.random.default_rng(3)
    for keys in ([], [0], [5], [3, 1, 3, 1, 2], rng.integers(0, 50, 10_000), rng.integers(0, 2**41, 100_000) // 7,
                 rng.integers(0, 2**16, 1000) << 16 | 7, rng.integers(0, 2**61, 1000), [2**62, 1, 2**62, 0],
                 [-3, 5, -3, 0]):  # digits equal in the low passes; more than three passes; negative keys
        keys = np.array(keys, dtype=np.int64)
        assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()


def test_numbers_written_on_arrays_are_str_of_each():
    rng = np.random.default_rng(5)
    edges = [0, 1, 9, 10, 99, 100, 999_999, 1_000_000, 2**32 - 1]
    for numbers in ([], [0], edges, edges + [2**32, 2**40 + 7], rng.integers(0, 5000, 100_000).tolist()):
        text, starts = comma_separated(np.array(numbers, dtype=np.int64))
        assert text == "".join(f"{n}," for n in numbers)
        assert starts.tolist() == [0, *np.cumsum([len(str(n)) + 1 for n in numbers]).tolist()]


def test_texts_normalized_together_are_each_normalized_alone():
    texts = random_texts(200, 4) + sentences_of_example()[:50] + [
        "", "Ａ１２３ｂ　ＡＢＣ！，：", "㈱ ½ ㈠ 株式会社", "﨑 神 𠀀𠀁 \U0002f800 \U0003134a", "e\u0301 Å Ω ﬁ",
        "ΣΑΣ İstanbul", "第一条（总则）", "\ud800 lone", "", "㈱", "", "a\ud800", "\udc00b", "½½"]
    assert normalize_all(texts) == [normalize(text) for text in texts]
    assert normalize_all([]) == []
