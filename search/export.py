"""The search documents handed over to a search service (OpenSearch or Elasticsearch), for a platform whose library
has outgrown the static index (docs/scale.md): the index they go into, its settings and mapping, and the documents as
the newline-delimited JSON of a ``_bulk`` request. The documents are those of the static index, analysed as it
analyses them (every two adjacent characters a token, and single characters apart), so that a phrase the site's
search finds, the service finds too (docs/search.md).

Only analysers every cluster has: a dictionary segmenter (IK, smartcn) is a plugin that a stock cluster refuses, and
it misses words inside longer ones; a platform that has one adds it as a sub-field for scoring (docs/search.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from .document import SearchDoc

BIGRAMS = {"type": "text", "analyzer": "gk_bigram",
           # A query of one character has no bigram: it is looked for among the single characters (the standard
           # analyzer makes each CJK character a token), as the static index keeps the characters at a run's ends.
           "fields": {"chars": {"type": "text", "analyzer": "standard"}}}

# The body of `PUT /<index>`: docs/search.md shows it, and a test holds the two equal.
INDEX_BODY = {
    "settings": {"analysis": {
        "tokenizer": {"gk_bigram": {"type": "ngram", "min_gram": 2, "max_gram": 2, "token_chars": ["letter", "digit"]}},
        # cjk_width: full-width Latin letters and digits as ASCII, half-width katakana as full, as NFKC does here.
        "analyzer": {"gk_bigram": {"type": "custom", "tokenizer": "gk_bigram", "filter": ["cjk_width", "lowercase"]}},
    }},
    "mappings": {"dynamic": "strict", "properties": {
        "title": BIGRAMS,
        "doc_no": {"type": "text", "analyzer": "gk_bigram"},
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
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def valid_index_name(name: str) -> bool:
    return bool(_INDEX_NAME.fullmatch(name))


def source(doc: SearchDoc) -> dict:
    """What the service stores of ``doc``: its fields as the mapping names them. The body is the summary and then the
    text, as the static index reads them; a document without a publication date has none (null), not a default."""
    return {"url": doc.url, "title": doc.title, "doc_no": doc.doc_no, "index_no": doc.index_no,
            "published": doc.date or None, "category": doc.category, "organ": doc.organ, "year": doc.year,
            "validity": doc.validity, "body": doc.body_text}


def bulk_lines(docs: Iterable[SearchDoc], index: str) -> Iterator[str]:
    """Each document as two lines of a ``_bulk`` request into ``index``: the action, keyed by the document's address
    (unique in a site, so that sending the file again replaces rather than adds), and the document. JSON escapes every
    line break inside a value: a line is always one JSON value."""
    for doc in docs:
        yield _JSON.encode({"index": {"_index": index, "_id": doc.url}})
        yield _JSON.encode(source(doc))
