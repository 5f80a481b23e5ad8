"""The content keys (search/hashing.py): each part ended by a NUL, text and bytes alike."""

from __future__ import annotations

import hashlib

import pytest

from search.hashing import digest


@pytest.mark.parametrize("parts", [(), ("",), ("a", "bc"), ("ab", "c"), ("政府", "\ud800", ""), (b"a", "bc"),
                                   ("x",) * 25])
def test_a_key_hashes_each_part_followed_by_a_nul(parts):
    expected = hashlib.sha1(b"".join((p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass")) + b"\0"
                                     for p in parts)).hexdigest()
    assert digest(*parts) == expected
    assert digest("ab", "c") != digest("a", "bc")
