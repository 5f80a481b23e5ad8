"""The one Chinese analyzer: used to build the static index, by Whoosh, and (ported line for line) by client.js.

Text is NFKC-normalised and lower-cased. Then:

- a run of CJK characters yields its overlapping bigrams, so any two or more characters that appear verbatim
  are found, also inside longer words (「政府」 in 「中华人民共和国政府」) — recall does not depend on a dictionary;
- the first and last character of every CJK run also yield a single-character token, so a query such as
  「20号」 matches 「20号文」; titles index every character, for one-character queries;
- a run of ASCII letters and digits is one token (2005, 11220000013544357t).

Positions are *slots*: a CJK run of n characters takes n slots (its bigrams at the first n−1, its last
character at the n-th), a Latin/digit run takes one. Query and document are counted the same way, so a
phrase matches exactly when its tokens sit at the same relative slots in the document.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

# The CJK characters, 〇 among them, as ranges of code points: one place for the analyzer here, its arrays
# (postings.py) and the search service's (export.py).
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x3007, 0x3007), (0x20000, 0x2FFFF))
CJK_CLASS = "".join(f"{chr(low)}-{chr(high)}" for low, high in CJK_RANGES)  # within a pattern's [...]
# A run of CJK characters, or a run of ASCII letters and digits; anything else separates runs.
_RUN = re.compile(f"([{CJK_CLASS}]+)|([0-9a-z]+)")


def normalize(text: str) -> str:
    """NFKC, lower-cased. Replacing each character by its own NFKC form leaves the NFKC of the whole text
    unchanged, so when that replacement is already normalized it *is* the NFKC, at half the cost."""
    return normalize_mapped(text.translate(nfkc_table()))


def normalize_mapped(mapped: str) -> str:
    """``normalize`` of a text whose characters are each replaced by their NFKC form already (``nfkc_table``)."""
    if not unicodedata.is_normalized("NFKC", mapped):
        mapped = unicodedata.normalize("NFKC", mapped)
    return mapped.lower()


@functools.cache
def nfkc_table() -> dict[int, str]:
    """Each character whose NFKC form differs from it, and that form."""
    table = {}
    for point in (*range(0x10000), *range(0x2F800, 0x2FA20)):  # the BMP and the CJK compatibility supplement
        char = chr(point)
        if (mapped := unicodedata.normalize("NFKC", char)) != char:
            table[point] = mapped
    return table


@dataclasses.dataclass(frozen=True)
class Token:
    text: str
    slot: int


def field_positions(text: str, every_character: bool = False) -> dict[str, list[int]]:
    """Each token of a document field and its slots, ascending. ``every_character``: also every CJK
    character alone (titles). The hot loop of indexing: plain dict and list operations only."""
    positions: dict[str, list[int]] = {}
    get = positions.setdefault
    for cjk, run, slot in _runs(normalize(text)):
        size = len(run)
        if not cjk or size == 1:
            get(run, []).append(slot)
            continue
        for i in range(size - 1):
            get(run[i:i + 2], []).append(slot + i)
        if every_character:
            for i, char in enumerate(run):
                get(char, []).append(slot + i)
        else:
            get(run[0], []).append(slot)
            get(run[-1], []).append(slot + size - 1)
    for slots in positions.values():
        if len(slots) > 1:
            slots.sort()
    return positions


def tokens(text: str, every_character: bool = False) -> list[Token]:
    """The same tokens as ``field_positions``, one by one (for Whoosh)."""
    return [Token(token, slot) for token, slots in field_positions(text, every_character).items() for slot in slots]


def _runs(text: str):
    """(is CJK, run, first slot) for each run: a CJK run takes one slot per character, a word run one slot."""
    slot = 0
    for match in _RUN.finditer(text):
        cjk = match.group(1)
        if cjk:
            yield True, cjk, slot
            slot += len(cjk)
        else:
            yield False, match.group(2), slot
            slot += 1


def query_terms(query: str) -> list[list[Token]]:
    """A query's terms (separated by white space), each a phrase: the tokens it requires, at their slots."""
    terms = []
    for part in normalize(query).split():
        required = []
        for cjk, run, slot in _runs(part):
            if not cjk or len(run) == 1:
                required.append(Token(run, slot))
            else:
                required.extend(Token(run[i:i + 2], slot + i) for i in range(len(run) - 1))
        if required:
            terms.append(required)
    return terms


def phrase_at(term: list[Token], positions: dict[str, list[int]] | dict[str, set[int]]) -> int | None:
    """The first slot where ``term`` occurs, given each token's slots in a field; None when it does not."""
    first = term[0]
    starts = positions.get(first.text)
    if not starts:
        return None
    others = [(t.slot - first.slot, set(positions.get(t.text, ()))) for t in term[1:]]
    if any(not slots for _, slots in others):
        return None
    for start in sorted(starts):
        if all(start + offset in slots for offset, slots in others):
            return start
    return None


def trigrams(text: str) -> set[str]:
    """The three-character sequences of the CJK runs: only to tell in which ranges a phrase can occur."""
    found = set()
    for cjk, run, _ in _runs(normalize(text)):
        if cjk:
            found.update(run[i:i + 3] for i in range(len(run) - 2))
    return found
