"""The one Chinese analyzer (search/tokenize.py): phrases match exactly, and its normalizing is NFKC."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import random_texts

from search.tokenize import field_positions, normalize, phrase_at, query_terms


def _matches(text: str, query: str) -> bool:
    terms = query_terms(query)
    title = field_positions(text, every_character=True)
    return all(phrase_at(term, title) is not None for term in terms)


@pytest.mark.parametrize("text, query, found", [
    ("中华人民共和国政府", "政府", True),             # a word inside a longer jieba token
    ("中华人民共和国政府", "人民共和", True),
    ("政府信息公开条例", "政府信息公开", True),
    ("政府公开信息", "政府信息公开", False),           # the same bigrams, not the phrase
    ("吉林省人民政府关于…的意见(吉政发〔2005〕20号)", "吉政发〔2005〕20号", True),
    ("吉政发〔2005〕21号", "吉政发〔2005〕20号", False),
    ("按照吉政发〔2005〕20号文件", "〔2005〕20号", True),  # 号 inside a longer run after the number
    ("索引号 11220000013544357T/2005-00138", "11220000013544357t/2005-00138", True),
    ("ＡＢＣ全角", "abc", True),                        # NFKC and lower case
    ("税费", "税", True),                              # one character (titles index every character)
])
def test_phrases_match_exactly(text, query, found):
    assert _matches(text, query) is found


def test_query_terms_split_on_white_space():
    assert [[t.text for t in term] for term in query_terms("政府  公开 2026")] == [["政府"], ["公开"], ["2026"]]


def test_normalize_equals_nfkc():
    samples = random_texts(2000, 3) + ["Ａｂｃ１２３", "㈠㈡ ①②", "ﬁ ＆ ｶﾀｶﾅ", "e\u0301 café", "한국어 ᄀ\u1161",
                                       "\u2f00\u2f08", "﨑﨟", "𠀀 \U0002f800"]
    for text in samples:
        assert normalize(text) == unicodedata.normalize("NFKC", text).lower(), repr(text)
