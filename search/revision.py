"""One range's body postings revised after a few of its documents changed, from what the last build kept of the
range (``RangeDetail``): only those documents are tokenized, and only the tokens whose postings in them changed
are encoded.

`gongkai serve` rewrites the range of the document being edited on every save. At 10,000 items, reading,
normalizing, tokenizing and encoding its 1,000 documents again took ~0.65 s of the ~0.75 s the index took, while
the page was already written.
The result is what tokenizing the whole range gives (``postings.tokenize``, ``encode``); the tests compare them.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .postings import (
    SHIFT,
    Encoded,
    PackedPostings,
    Postings,
    Vocabulary,
    encode,
    tokenize,
    trigram_keys,
    trigrams,
)

LOOKED_FOR_TRIGRAMS = 20  # as long as making a range's trigrams again (~50 ms for 1,000 documents)


@dataclasses.dataclass(frozen=True)
class RangeBody:
    """A range's bodies as the index writes them (index._write_range), tokenized afresh or revised."""

    postings: Postings  # its documents' body postings
    encoded: Encoded    # the same, encoded
    bodies: list[str]   # each document's body text, normalized
    grams: np.ndarray   # the trigram keys of those bodies


@dataclasses.dataclass(frozen=True)
class RangeDetail:
    """What the last build kept of a range to revise it, beside what the index needs of it (index.RangeSummary).

    Pickled compactly (``postings.PackedPostings``), and without its tokens' texts: those are what the range's body
    shards in the site hold, and are put back from them (``with_texts``). A build that writes a range it keeps the
    detail of saves it on the way to its answer, and the next build of the range reads it first. The texts were a
    third of a detail's bytes, ~32 MB of the 101 MB of details a full build of 10,000 items wrote
    (docs/decisions.md)."""

    body: RangeBody
    contents: list[str]  # each document's digest as indexed

    def __reduce__(self):
        body = self.body
        return _unpacked_detail, (PackedPostings.of(body.postings), dataclasses.replace(body.encoded, texts=[]),
                                  body.bodies, body.grams, self.contents)

    def with_texts(self, texts: dict[str, str]) -> RangeDetail | None:
        """The detail as it was kept, each token's text taken from ``texts`` (by the token); None when they are not
        the texts it was kept with (a shard gone or changed)."""
        encoded = self.body.encoded
        try:
            found = [texts[token] for token in encoded.tokens]
        except KeyError:
            return None
        if not (all(isinstance(text, str) for text in found)
                and np.array_equal(np.array([len(text) for text in found], dtype=np.int64), encoded.chars)):
            return None
        body = dataclasses.replace(self.body, encoded=dataclasses.replace(encoded, texts=found))
        return RangeDetail(body, self.contents)


def _unpacked_detail(packed: PackedPostings, encoded: Encoded, bodies: list[str], grams: np.ndarray,
                     contents: list[str]) -> RangeDetail:
    """The detail ``RangeDetail.__reduce__`` packed, its texts not yet put back (``with_texts``)."""
    return RangeDetail(RangeBody(packed.unpacked(encoded.vocabulary), encoded, bodies, grams), contents)


def resized(values: list, count: int, filler) -> list:
    """``values`` cut to ``count``, or made up to it with ``filler``: a range's lists when documents went or came."""
    return [*values[:count], *[filler] * (count - len(values))]


def _changed_tokens(before: tuple[np.ndarray, np.ndarray, np.ndarray], after: tuple[np.ndarray, np.ndarray, np.ndarray]
                    ) -> np.ndarray:
    """The tokens (sorted, distinct) whose postings differ between ``before`` and ``after``, each the keys, documents
    and slots of the entries of the documents redone (a key of -1, a word no longer in the vocabulary, is left out).
    Only these tokens' texts change: a document corrected by a line at its end keeps its other tokens in the same
    slots (one such change at 10,000 items encoded ~700 tokens again, most of them common, for the ~20 of its line).
    An entry is a (token, document, slot) and is in each side at most once: one in both sorts next to its twin."""
    keys, docs, slots = (np.concatenate([b, a]) for b, a in zip(before, after))
    if not len(keys):
        return keys
    order = np.lexsort((slots, docs, keys))
    keys, docs, slots = keys[order], docs[order], slots[order]
    twin = (keys[1:] == keys[:-1]) & (docs[1:] == docs[:-1]) & (slots[1:] == slots[:-1])
    changed = keys[~(np.r_[twin, False] | np.r_[False, twin])]
    return np.unique(changed[changed >= 0])


def revise(detail: RangeDetail, first_doc: int, changed: dict[int, str], count: int) -> RangeBody:
    """The range's body postings, encoding, bodies and trigrams with ``changed`` (a document's place in the range:
    its new normalized body) and ``count`` documents: those from ``count`` on are gone, and each document from the
    old count on is among ``changed``."""
    last = detail.body
    old = last.postings
    bodies = resized(last.bodies, count, "")
    for place, text in changed.items():
        bodies[place] = text
    places = sorted(changed)
    texts = [changed[place] for place in places]
    redone = np.array([first_doc + place for place in (*places, *range(count, len(last.bodies)))], dtype=np.int64)
    kept = ~np.isin(old.docs, redone)

    # The words of the documents kept and of the new texts, numbered again where they differ from the last ones. A
    # word's key is its rank, below every CJK key: the words' postings come first (the keys are in order).
    words_end = int(np.searchsorted(old.keys, 1 << SHIFT))
    word_keys = old.keys[:words_end][kept[:words_end]]
    words = {old.vocabulary.words[k] for k in np.unique(word_keys).tolist()}
    vocabulary = Vocabulary(words | set(Vocabulary.of(texts).words))
    same_words = vocabulary.words == old.vocabulary.words

    def renumbered(keys: np.ndarray) -> np.ndarray:
        return keys if same_words else old.vocabulary.renumbered(keys, vocabulary)

    fresh = tokenize(texts, 0, vocabulary=vocabulary)
    fresh_docs = first_doc + np.array(places, dtype=np.int64)[fresh.docs]

    # Both are ordered by token, document and slot, and share no document: the new entries go in by (token,
    # document), after the entries of earlier documents and before those of later ones.
    keep_keys, keep_docs = renumbered(old.keys[kept]), old.docs[kept]
    # Token keys are below 2**42 (postings.SHIFT): with a range's places below them they stay within 64 bits.
    shift = max(count, len(last.bodies), 1).bit_length()
    at = np.searchsorted(keep_keys << shift | (keep_docs - first_doc), fresh.keys << shift | (fresh_docs - first_doc))
    postings = Postings(np.insert(keep_keys, at, fresh.keys), np.insert(keep_docs, at, fresh_docs),
                        np.insert(old.slots[kept], at, fresh.slots), vocabulary)

    # A token's text is made of its own postings only: the tokens whose postings in the changed documents differ are
    # encoded again, every other one keeps its text (a word whose documents all changed is gone: its key is -1).
    previous = last.encoded
    previous_keys = renumbered(previous.keys)
    was = np.flatnonzero(~kept)  # the entries of the documents redone, as they were
    redo = _changed_tokens((renumbered(old.keys[was]), old.docs[was], old.slots[was]),
                           (fresh.keys, fresh_docs, fresh.slots))
    same = np.flatnonzero((previous_keys >= 0) & ~np.isin(previous_keys, redo))
    starts, ends = np.searchsorted(postings.keys, redo), np.searchsorted(postings.keys, redo, side="right")
    entries = np.concatenate([np.arange(0), *map(np.arange, starts.tolist(), ends.tolist())])
    part = encode(Postings(postings.keys[entries], postings.docs[entries], postings.slots[entries], vocabulary))
    keys = np.concatenate([previous_keys[same], part.keys])
    order = np.argsort(keys, kind="stable")
    token_texts = [*(previous.texts[n] for n in same.tolist()), *part.texts]
    encoded = Encoded(keys[order], np.concatenate([previous.doc_counts[same], part.doc_counts])[order],
                      np.concatenate([previous.chars[same], part.chars])[order],
                      [token_texts[n] for n in order.tolist()], vocabulary)

    # A trigram of a body that changed or went may still be in another one: each is looked for in all of them (~2 ms
    # for one that is nowhere), a few at most; more (a body rewritten, documents withdrawn), and all are made again.
    old_texts = [last.bodies[place] for place in (*places, *range(count, len(last.bodies)))
                 if place < len(last.bodies)]
    new_grams = trigram_keys(texts)
    candidates = np.setdiff1d(trigram_keys(old_texts), new_grams)
    if len(candidates) > LOOKED_FOR_TRIGRAMS:
        grams = trigram_keys(bodies)
    else:
        joined = "\0".join(bodies) if len(candidates) else ""
        lost = [key for key, text in zip(candidates.tolist(), trigrams(candidates)) if text not in joined]
        grams = np.union1d(np.setdiff1d(last.grams, np.array(lost, dtype=np.int64)), new_grams)
    return RangeBody(postings, encoded, bodies, grams)

