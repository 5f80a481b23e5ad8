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
import unicodedata


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x2FFFF or char == "〇")


def _is_word(char: str) -> bool:
    return char.isascii() and char.isalnum()


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@dataclasses.dataclass(frozen=True)
class Token:
    text: str
    slot: int
    required: bool = True  # False: emitted for documents, but not demanded of a query (boundary characters)


def tokens(text: str, every_character: bool = False) -> list[Token]:
    """Tokens of a document field. ``every_character``: also every CJK character alone (titles)."""
    result: list[Token] = []
    for kind, run, slot in _runs(normalize(text)):
        if kind == "word":
            result.append(Token(run, slot))
        elif len(run) == 1:
            result.append(Token(run, slot))
        else:
            result.extend(Token(run[i:i + 2], slot + i) for i in range(len(run) - 1))
            if every_character:
                result.extend(Token(run[i], slot + i) for i in range(len(run)))
            else:
                result.append(Token(run[0], slot))
                result.append(Token(run[-1], slot + len(run) - 1))
    return result


def _runs(text: str):
    """(kind, run, first slot) for each CJK or word run; other characters only separate runs."""
    slot, i, n = 0, 0, len(text)
    while i < n:
        char = text[i]
        if _is_cjk(char) or _is_word(char):
            cjk = _is_cjk(char)
            j = i + 1
            while j < n and (_is_cjk(text[j]) if cjk else _is_word(text[j])):
                j += 1
            run = text[i:j]
            yield ("cjk" if cjk else "word"), run, slot
            slot += len(run) if cjk else 1
            i = j
        else:
            i += 1


def query_terms(query: str) -> list[list[Token]]:
    """A query's terms (separated by white space), each a phrase: the tokens it requires, at their slots."""
    terms = []
    for part in normalize(query).split():
        required = []
        for kind, run, slot in _runs(part):
            if kind == "word" or len(run) == 1:
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


def positions_of(field_tokens: list[Token]) -> dict[str, list[int]]:
    positions: dict[str, list[int]] = {}
    for token in field_tokens:
        positions.setdefault(token.text, []).append(token.slot)
    return positions
