"""The search documents handed over to a search service (OpenSearch or Elasticsearch), for a platform whose library
has outgrown the static index (docs/scale.md): the index they go into, its settings and mapping, and the documents as
the newline-delimited JSON of a ``_bulk`` request. The documents are those of the static index, analysed as it
analyses them (every two adjacent characters a token, and single characters apart), so that a phrase the site's
search finds, the service finds too (docs/search.md).

Only analysers every cluster has: a dictionary segmenter (IK, smartcn) is a plugin that a stock cluster refuses, and
it misses words inside longer ones; a platform that has one adds it as a sub-field for scoring (docs/search.md).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator

from .document import SearchDoc
from .tokenize import CJK_CLASS, nfkc_table

# What the static index reads as text (tokenize._RUN), and Java, which the services run on, does not call a letter or
# a digit: 〇 (a number letter), the zero of 二〇二六年.
CUSTOM_TOKEN_CHARS = "\u3007"
_INDEXED = re.compile(f"[{CJK_CLASS}0-9A-Za-z]+")


@functools.cache
def nfkc_rules() -> list[str]:
    """The static index reads every text in its NFKC form; a stock cluster has no NFKC (the ICU plugin has), and its
    cjk_width folds only full-width and half-width forms. So each character whose NFKC form is text the index reads
    (CJK, ASCII letters and digits) is a rule of a mapping char filter: full-width Ａ as A, the Kangxi radical ⼀ of a
    PDF's text layer as 一, a compatibility ideograph as its unified one, ① as 1. Other forms (㈱ as (株)) hold
    characters the index reads as separators either way."""
    return [f"{chr(point)} => {form}" for point, form in sorted(nfkc_table().items()) if _INDEXED.fullmatch(form)]


def _text(analyzer: str) -> dict:
    return {"type": "text", "analyzer": analyzer}


# A query of one character has no bigram: it is looked for among the single characters (the standard tokenizer makes
# each CJK character a token), as the static index keeps the characters at a run's ends.
BIGRAMS = _text("gk_bigram") | {"fields": {"chars": _text("gk_chars")}}

# The body of `PUT /<index>`: docs/search.md shows it (its NFKC rules left out), and a test holds the two equal.
INDEX_BODY = {
    "settings": {"analysis": {
        "char_filter": {"gk_nfkc": {"type": "mapping", "mappings": nfkc_rules()}},
        "tokenizer": {"gk_bigram": {"type": "ngram", "min_gram": 2, "max_gram": 2,
                                    "token_chars": ["letter", "digit", "custom"],
                                    "custom_token_chars": CUSTOM_TOKEN_CHARS}},
        "analyzer": {
            "gk_bigram": {"type": "custom", "char_filter": ["gk_nfkc"], "tokenizer": "gk_bigram", "filter": ["lowercase"]},
            "gk_chars": {"type": "custom", "char_filter": ["gk_nfkc"], "tokenizer": "standard", "filter": ["lowercase"]},
        },
    }},
    "mappings": {"dynamic": "strict", "properties": {
        "title": BIGRAMS,
        "doc_no": _text("gk_bigram"),
        "index_no": {"type": "keyword"},
        "body": BIGRAMS,
        "category": {"type": "keyword"},
        "organ": {"type": "keyword"},
        "year": {"type": "integer"},
        "validity": {"type": "keyword"},
        "published": {"type": "date"},
        "url": {"type": "keyword", "index": False},
    }},
}

# Index names as both services accept them, kept to what a URL carries as it is: lower-case letters, digits and . _ + -,
# beginning with a letter or digit (one beginning with "." is hidden, with - _ + refused), at most 255 bytes.
_INDEX_NAME = re.compile(r"[a-z0-9][a-z0-9._+-]{0,254}")
ID_BYTES = 512  # the longest _id both services take
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def valid_index_name(name: str) -> bool:
    return bool(_INDEX_NAME.fullmatch(name))


def document_id(url: str) -> str:
    """A document's ``_id``: its address within the site, which stays the same when the site moves (a new domain);
    an address longer than the services take (a consultation's file named with a sentence: 9 bytes a character,
    percent-encoded), its SHA-1. Refused, a document would be left out with no more than an "errors": true in the
    service's answer."""
    return url if len(url.encode()) <= ID_BYTES else hashlib.sha1(url.encode()).hexdigest()


def source(doc: SearchDoc, address: Callable[[str], str] = str) -> dict:
    """What the service stores of ``doc``: its fields as the mapping names them, its address as ``address`` makes it
    (where a reader follows it from the service's results: the full address, where the site has one). The body is the
    summary and then the text, as the static index reads them; a document without a publication date has none (null),
    not a default."""
    return {"url": address(doc.url), "title": doc.title, "doc_no": doc.doc_no, "index_no": doc.index_no,
            "published": doc.date or None, "category": doc.category, "organ": doc.organ, "year": doc.year,
            "validity": doc.validity, "body": doc.body_text}


def bulk_lines(docs: Iterable[SearchDoc], index: str, address: Callable[[str], str] = str) -> Iterator[str]:
    """Each document as two lines of a ``_bulk`` request into ``index``: the action, keyed by ``document_id`` (unique
    in a site, so that sending the file again replaces rather than adds), and the document (``source``). JSON escapes
    every line break inside a value: a line is always one JSON value."""
    for doc in docs:
        yield _JSON.encode({"index": {"_index": index, "_id": document_id(doc.url)}})
        yield _JSON.encode(source(doc, address))
