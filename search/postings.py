"""The analyzer of tokenize.py applied to many documents at once, as numpy arrays.

Indexing 10,000 documents of 2,000 characters token by token in Python takes half a minute; the same
tokens computed over whole arrays of code points take a second. The result is identical to
``field_positions`` for every document (a test compares them).

A token is an integer *key* whose numeric order is the order of the token strings, so sorting keys sorts
tokens as the index writes them:

- CJK: ``first << 21 | (second + 1)`` for a bigram, ``char << 21`` for a single character;
- a Latin/digit word: its rank in the sorted vocabulary of words (all below any CJK key, as their strings are).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable

import numpy as np

from .hashing import fnv1a
from .tokenize import CJK_RANGES, nfkc_table, normalize, normalize_mapped

SHIFT = 21
LOW = (1 << SHIFT) - 1
_WORD = re.compile("[0-9a-z]+")


class Vocabulary:
    """Latin/digit words, numbered in string order."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(words)

    @functools.cached_property
    def rank(self) -> dict[str, int]:
        """Each word's number. Made when first asked: a build after a change reads 101 ranges' title vocabularies at
        100,000 documents (~0.02 s to rank), and ranks none of them."""
        return {word: n for n, word in enumerate(self.words)}

    def __reduce__(self):
        # Its words alone (a range's title vocabulary of 1,670 words pickled in 27 KB with its ranks, in 10 without).
        return Vocabulary, (self.words,)

    @classmethod
    def of(cls, normalized_texts: list[str]) -> "Vocabulary":
        return cls({word for text in normalized_texts for word in _WORD.findall(text)})

    def renumbered(self, keys: np.ndarray, into: "Vocabulary") -> np.ndarray:
        """``keys`` of this vocabulary as keys of ``into``; -1 for a word that ``into`` does not hold."""
        ranks = np.array([into.rank.get(word, -1) for word in self.words], dtype=np.int64)
        words = keys >> SHIFT == 0
        renumbered = keys.copy()
        renumbered[words] = ranks[keys[words]]
        return renumbered

    def tokens(self, keys: np.ndarray) -> list[str]:
        """Each key's token: its word, or its one or two characters (the texts of all made at once: a table of all
        body tokens has millions)."""
        cjk = keys >> SHIFT != 0
        second = keys & LOW
        texts = _texts(np.stack([np.where(cjk, keys >> SHIFT, 0), np.where(cjk & (second > 0), second - 1, 0)], axis=1))
        words = np.flatnonzero(~cjk)
        for n, key in zip(words.tolist(), keys[words].tolist()):
            texts[n] = self.words[key]
        return texts


@dataclasses.dataclass(frozen=True)
class Postings:
    """Every (token, document, slot) of a batch of documents, sorted by token, then document, then slot."""

    keys: np.ndarray
    docs: np.ndarray
    slots: np.ndarray
    vocabulary: Vocabulary


@dataclasses.dataclass(frozen=True)
class PackedPostings:
    """Postings as the index keeps them for the next build (a range's title postings, a range's detail): each token
    once with its number of entries (they are sorted by token, and a range's ~1 million body entries have a few
    thousand to a hundred thousand tokens), documents as places from the first one and slots in as few bytes as they
    fit, without the vocabulary (kept with whatever else holds it). A range of 1,000 documents of the generated
    catalog: its body postings 21.4 MB as arrays of 64 and 32 bits, 10.1 MB packed; its title postings 1.0 MB, 0.23
    MB packed (docs/decisions.md)."""

    tokens: np.ndarray   # the distinct keys, ascending
    entries: np.ndarray  # each one's number of entries
    first: int           # the lowest document
    places: np.ndarray   # each entry's document less ``first``
    slots: np.ndarray

    @classmethod
    def of(cls, postings: Postings) -> "PackedPostings":
        keys = postings.keys
        starts = np.flatnonzero(np.diff(keys, prepend=-1))  # where each token's entries begin (keys are never < 0)
        first = int(postings.docs.min()) if len(postings.docs) else 0
        return cls(keys[starts], _narrowest(np.diff(starts, append=len(keys))), first,
                   _narrowest(postings.docs - first), _narrowest(postings.slots))

    def unpacked(self, vocabulary: Vocabulary) -> Postings:
        """The postings packed, documents and slots as 32-bit integers (as the index makes and reads them)."""
        return Postings(np.repeat(self.tokens, self.entries), self.places.astype(np.int32) + self.first,
                        self.slots.astype(np.int32), vocabulary)


def _narrowest(values: np.ndarray) -> np.ndarray:
    """Non-negative ``values`` in 8 or 16 bits where they fit, else 32 (a title's slots fit in 8 bits, a body's only
    when it is short; a range's places need 16, and slots pass 65,535 only in a body of more than 65,535
    characters)."""
    largest = values.max(initial=0)
    return values.astype(np.uint8 if largest < 1 << 8 else np.uint16 if largest < 1 << 16 else np.int32)


def normalize_all(texts: list[str]) -> list[str]:
    """``tokenize.normalize`` of each text, with the characters of all of them replaced by their NFKC forms at once
    (a range's 1,000 bodies: ~15 ms instead of ~60). A text holding a character whose form is several characters
    (㈱, ½: rare) is normalized on its own. Every other character is replaced by one character, as
    ``str.translate`` with ``nfkc_table`` would: each text keeps its length, and its slice of the whole is its own."""
    table = _nfkc_array()
    points = _utf32("".join(texts)).astype(np.int32)  # code points go up to 0x10FFFF
    mapped = np.where(points < len(table), table[np.minimum(points, len(table) - 1)], points)
    ends = np.cumsum([len(text) for text in texts], dtype=np.int64)
    multi_char_texts = set(np.searchsorted(ends, np.flatnonzero(mapped < 0), side="right").tolist())
    joined = np.maximum(mapped, 0).astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    starts = [0, *ends[:-1].tolist()]
    return [normalize(text) if n in multi_char_texts else normalize_mapped(joined[start:end])
            for n, (text, start, end) in enumerate(zip(texts, starts, ends.tolist()))]


def prepare_tables() -> None:
    """Make the tables that ``normalize_all`` and ``tokenize`` read every character with (kept once made)."""
    _nfkc_array()
    _character_classes()


@functools.cache
def _nfkc_array() -> np.ndarray:
    """``tokenize.nfkc_table`` as an array: each code point's NFKC form, a character, or -1 where it is several."""
    table = nfkc_table()
    points = np.arange(max(table) + 1, dtype=np.int32)
    for point, form in table.items():
        points[point] = ord(form) if len(form) == 1 else -1
    return points


def _utf32(text: str) -> np.ndarray:
    """The code points of ``text`` (a lone surrogate too: it is one code point of a Python string)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


OTHER, CJK, WORD = 0, 1, 2  # what a character is to the analyzer


@functools.cache
def _character_classes() -> np.ndarray:
    """Each code point's class (CJK: in CJK_RANGES; WORD: an ASCII digit or lower-case letter): one look-up for each
    character of a range's 1,000 bodies takes ~1 ms, comparing them with each range's bounds ~8."""
    classes = np.full(0x110000, OTHER, dtype=np.uint8)
    for low, high in CJK_RANGES:
        classes[low:high + 1] = CJK
    classes[ord("0"):ord("9") + 1] = WORD
    classes[ord("a"):ord("z") + 1] = WORD
    return classes


def _shifted(mask: np.ndarray, before: bool) -> np.ndarray:
    """The mask of the previous (``before``) or next character."""
    return np.r_[False, mask[:-1]] if before else np.r_[mask[1:], False]


def tokenize(texts: list[str], first_doc: int, every_character: bool = False,
             vocabulary: Vocabulary | None = None) -> Postings:
    """The postings of normalized ``texts``, numbered from ``first_doc`` (see tokenize.field_positions), their words
    numbered in ``vocabulary`` (which holds them all; by default, theirs)."""
    joined = "\0".join(texts)  # a 0 between documents, so no run crosses from one into the next
    points = _utf32(joined)
    counts = _count_type(max(len(points), first_doc + len(texts)))  # places, and documents' numbers
    classes = _character_classes()[points]
    cjk, word = classes == CJK, classes == WORD
    word_start = word & ~_shifted(word, True)
    boundary = points == 0
    doc_of = np.cumsum(boundary, dtype=counts)
    units = np.cumsum(cjk | word_start, dtype=counts)   # a CJK character or a whole word takes one slot
    units_before_doc = np.r_[counts(0), units[boundary]]
    slot_of = units - 1 - units_before_doc[doc_of]

    parts = []
    at = np.flatnonzero(cjk[:-1] & cjk[1:])
    parts.append((points[at].astype(np.int64) << SHIFT | (points[at + 1] + 1), at))
    if every_character:
        at = np.flatnonzero(cjk)
    else:  # the first and last character of each run (once for a run of one)
        at = np.flatnonzero(cjk & ~(_shifted(cjk, True) & _shifted(cjk, False)))
    parts.append((points[at].astype(np.int64) << SHIFT, at))
    starts = np.flatnonzero(word_start)
    ends = np.flatnonzero(word & ~_shifted(word, False)) + 1
    words = [joined[s:e] for s, e in zip(starts.tolist(), ends.tolist())]
    # The words found here are those Vocabulary.of finds, without reading the texts again.
    vocabulary = vocabulary or Vocabulary(set(words))
    rank = vocabulary.rank
    parts.append((np.array([rank[w] for w in words], dtype=np.int64), starts))
    keys = np.concatenate([k for k, _ in parts])
    at = np.concatenate([a for _, a in parts])
    # Each part lists its tokens by document and slot, and no key occurs in two parts: a stable sort by key
    # leaves each token's entries in document and slot order.
    order = stable_order(keys)
    at = at[order]
    return Postings(keys[order], doc_of[at] + first_doc, slot_of[at], vocabulary)


def _count_type(largest: int) -> type:
    """The integers that count up to ``largest`` (places in an array, documents): 32 bits while they fit. numpy's
    running sum of a mask into 64-bit integers takes a slow cast (a million: 4.5 ms, against 0.5 into 32 bits), and
    the narrower arrays halve what each later step reads."""
    return np.int32 if largest < 1 << 31 else np.int64


RADIX_BITS = 16  # numpy sorts 16-bit integers by radix


def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="stable")``, faster: numpy's stable sort of 16-bit integers is a radix sort, so the
    keys are ordered by 16 bits at a time, the lowest first, each pass keeping the order of the last (keys are below
    2**42: three passes). A range's body postings: 22 ms, against 50 ms for a sort of each key packed with its place
    and 100 ms for the argsort (numpy's vectorised sorts are not used on every processor). Each pass sorts its digits
    taken in the order of the passes before (16-bit values: moving the keys themselves into that order, and taking
    the digits from them, was a fifth more time). Negative keys take the argsort."""
    if len(keys) and keys.min() < 0:
        return np.argsort(keys, kind="stable")
    order = np.argsort(keys.astype(np.uint16), kind="stable")  # the narrowing keeps the lowest 16 bits
    for shift in range(RADIX_BITS, int(keys.max(initial=0)).bit_length(), RADIX_BITS):
        digits_in_order = (keys >> shift).astype(np.uint16)[order]
        order = order[np.argsort(digits_in_order, kind="stable")]
    return order


def trigram_keys(texts: list[str]) -> np.ndarray:
    """The distinct three-character CJK sequences of normalized ``texts``, as sorted keys."""
    points = _utf32("\0".join(texts)).astype(np.int64)  # no run crosses from one text into the next
    cjk = _character_classes()[points] == CJK
    at = np.flatnonzero(cjk[:-2] & cjk[1:-1] & cjk[2:])
    return sorted_distinct(points[at] << (2 * SHIFT) | points[at + 1] << SHIFT | points[at + 2])


FIBONACCI_HASH = 0x9E3779B97F4A7C15  # 2**64 / the golden ratio, odd: a product's top bits mix all of a key's


def sorted_distinct(keys: np.ndarray) -> np.ndarray:
    """``np.unique`` of non-negative int64 ``keys``, by a hash table made on the arrays: each round puts every key in
    the slot of its hash (of the keys given one slot, one stays), takes the keys the table holds, and hands on those
    that lost their slot, to a table of another hash. numpy's own (a hash set in C++ since numpy 2.3) took 25 ms for a
    range's 660,000 body trigrams, 8,000 of them distinct, and 130 ms had 320,000 been distinct; this takes 5 and
    20 ms. Every round takes at least one key: it ends."""
    found = [keys[:0]]
    multiplier = FIBONACCI_HASH
    while len(keys):
        bits = min(max(len(keys).bit_length(), 10), 20)  # a larger table than 8 MB only missed the cache more
        table = np.full(1 << bits, -1, dtype=np.int64)
        slots = (keys.astype(np.uint64) * np.uint64(multiplier) >> np.uint64(64 - bits)).astype(np.intp)
        table[slots] = keys
        found.append(table[table >= 0])
        keys = keys[table[slots] != keys]
        multiplier = multiplier * FIBONACCI_HASH % (1 << 64)  # odd, as a multiplicative hash's must be
    return np.sort(np.concatenate(found))


def trigrams(keys: np.ndarray) -> list[str]:
    """The three characters of each trigram key, the texts of all made at once."""
    return _texts(np.stack([keys >> 2 * SHIFT, keys >> SHIFT & LOW, keys & LOW], axis=1))


def _texts(rows: np.ndarray) -> list[str]:
    """Each row of code points as a text, its 0s left out: all rows decoded as one text, each a line of it (no token
    holds a 0 or a line break), which is split apart: a character at a time in Python took ~0.3 µs each."""
    lines = np.empty((len(rows), rows.shape[1] + 1), dtype=np.uint32)
    lines[:, :-1] = rows
    lines[:, -1] = ord("\n")
    return lines.tobytes().decode("utf-32-le").replace("\0", "").split("\n")[:-1]


@dataclasses.dataclass(frozen=True)
class Encoded:
    """Postings of each token as the integer list of the index (see index.py), written as text (``digits``)."""

    keys: np.ndarray       # distinct tokens, ascending
    doc_counts: np.ndarray  # documents per token
    chars: np.ndarray      # characters of each token's text
    texts: list[str]       # each token's text
    vocabulary: Vocabulary

    @property
    def tokens(self) -> list[str]:
        return self.vocabulary.tokens(self.keys)


def encode(postings: Postings, with_text: bool = True) -> Encoded:
    """For each token, per document: the gap from the previous document, the number of slots, the slots as gaps.
    Without ``with_text``, only the sizes (what the size of a shard is estimated from)."""
    keys, docs, slots = postings.keys, postings.docs, postings.slots
    count = len(keys)
    if count == 0:
        return Encoded(keys, keys, keys, [], postings.vocabulary)
    new_token = np.r_[True, keys[1:] != keys[:-1]]
    new_group = new_token | np.r_[True, docs[1:] != docs[:-1]]
    group_first = np.flatnonzero(new_group)
    groups = len(group_first)
    group_docs = docs[group_first]
    group_new_token = new_token[group_first]
    # Each group is written as its two integers (document gap, number of slots) and then its entries' slot gaps: a
    # group's first integer comes after the entries of the groups before it and two integers for each of them.
    out_start = group_first + 2 * np.arange(groups)
    out = np.empty(count + 2 * groups, dtype=np.result_type(docs, slots))  # their gaps fit as they do
    out[out_start] = group_docs - np.where(group_new_token, 0, np.r_[0, group_docs[:-1]])
    out[out_start + 1] = np.diff(group_first, append=count)
    groups_so_far = np.cumsum(new_group, dtype=_count_type(count + 2 * groups))  # an index into ``out``
    previous_slot = np.where(new_group, 0, np.r_[0, slots[:-1]])
    out[np.arange(count) + 2 * groups_so_far] = slots - previous_slot

    token_groups = np.flatnonzero(group_new_token)
    token_out_start = out_start[token_groups]
    doc_counts = np.diff(token_groups, append=groups)
    widths = digit_widths(out)
    chars = np.add.reduceat(widths, token_out_start, dtype=np.int64)  # each token's: its integers are contiguous
    if not with_text:
        return Encoded(keys[new_token], doc_counts, chars, [], postings.vocabulary)
    text = digits(out, widths)
    ends = np.cumsum(chars)
    return Encoded(keys[new_token], doc_counts, chars,
                   [text[s:e] for s, e in zip((ends - chars).tolist(), ends.tolist())], postings.vocabulary)


# The 64 characters of the index's compact texts (postings, range bitmaps): none needs escaping in JSON or a URL.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
DIGIT_BITS, MORE = 5, 32  # a character: five bits of the number, and whether more of it follow


def digit_widths(numbers: np.ndarray) -> np.ndarray:
    """The characters ``digits`` writes for each of the non-negative ``numbers``, as bytes (a range's body postings
    are ~1.6 million integers: each array of them as wide as the numbers was ~13 MB of the index process's peak)."""
    if len(numbers) and numbers.min() < 0:  # postings out of order: no digits for it
        raise ValueError("a posting list's gaps are never negative")
    widths = np.ones(len(numbers), dtype=np.uint8)
    for shift in range(DIGIT_BITS, int(numbers.max(initial=0)).bit_length(), DIGIT_BITS):
        widths += numbers >= 1 << shift
    return widths


# Each digit value's character (bytes.translate writes all of a text's at once; only the first 64 are used).
DIGIT_CHARACTERS = ALPHABET.encode("ascii").ljust(256, b" ")


def digits(numbers: np.ndarray, widths: np.ndarray) -> str:
    """The non-negative ``numbers`` as one text: each in base 32, most significant digit first, every digit but its
    last marked MORE, each digit a character of ALPHABET (client.js ``integers`` reads it). Half the characters of
    the same numbers in decimal with commas: a posting list's integers are mostly below 32, one character each.
    Computed on the whole array, one digit place at a time: each number's last digit, then the digits before it of
    only the numbers that wide, put in place as their values in ALPHABET, then made characters at once (a row per
    place for every number, its padding deleted after, was twice the time: most numbers are one or two digits)."""
    last = np.cumsum(widths, dtype=_count_type(len(numbers) * int(widths.max(initial=0))))
    last -= 1  # where each number's last character goes
    values = np.empty(int(last[-1]) + 1 if len(last) else 0, dtype=np.uint8)
    values[last] = numbers.astype(np.uint8) & (MORE - 1)  # the low five bits survive the narrowing
    for place in range(1, int(widths.max(initial=0))):
        wide = np.flatnonzero(widths > place)
        values[last[wide] - place] = numbers[wide] >> DIGIT_BITS * place & (MORE - 1) | MORE
    return values.tobytes().translate(DIGIT_CHARACTERS).decode("ascii")


def fnv1a_keys(keys: np.ndarray, vocabulary: Vocabulary | None, chars: int = 2) -> np.ndarray:
    """hashing.fnv1a of each key's token, computed on the arrays (the UTF-8 bytes of one or two characters,
    or three for trigram keys with ``chars=3``). Latin/digit words are hashed one by one."""
    value = np.full(len(keys), 0x811C9DC5, dtype=np.uint64)
    if chars == 3:
        characters = [keys >> 2 * SHIFT, keys >> SHIFT & LOW, keys & LOW]
    else:
        second = keys & LOW
        characters = [keys >> SHIFT, np.where(second > 0, second - 1, -1)]
    for char in characters:
        present = char >= 0
        for byte, used in _utf8_bytes(np.maximum(char, 0)):
            use = present & used
            value = np.where(use, ((value ^ byte.astype(np.uint64)) * 0x01000193) & 0xFFFFFFFF, value)
    if vocabulary is not None:
        words = np.flatnonzero(keys >> SHIFT == 0)
        value[words] = [fnv1a(vocabulary.words[k]) for k in keys[words].tolist()]
    return value.astype(np.int64)


def _utf8_bytes(points: np.ndarray):
    """(byte, whether the character has it) for the four possible UTF-8 bytes of CJK code points (3 or 4 bytes)."""
    four = points >= 0x10000
    everyone = np.ones(len(points), dtype=bool)
    yield np.where(four, 0xF0 | points >> 18, 0xE0 | points >> 12), everyone
    yield np.where(four, 0x80 | (points >> 12 & 0x3F), 0x80 | (points >> 6 & 0x3F)), everyone
    yield np.where(four, 0x80 | (points >> 6 & 0x3F), 0x80 | (points & 0x3F)), everyone
    yield 0x80 | (points & 0x3F), four
