"""Hashes the index and the build both use: content keys (``digest``) and shard numbers (``fnv1a``)."""

from __future__ import annotations

import hashlib
import os

DIGEST_LENGTH = 40  # hex digits of a ``digest`` (SHA-1): every one is as long


def digest(*parts: str | bytes) -> str:
    """A content key of ``parts`` (each ended by a NUL, so ("ab", "c") and ("a", "bc") differ)."""
    try:  # text only (nearly every key): joined and hashed at once, a third of the time for twenty parts
        return hashlib.sha1(("\0".join(parts) + "\0" if parts else "").encode("utf-8", "surrogatepass")).hexdigest()
    except TypeError:  # bytes among them
        h = hashlib.sha1()
        for part in parts:
            h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()


def file_digest(path: str | os.PathLike) -> str:
    """``digest`` of a file's bytes, read in chunks (an attachment may be hundreds of megabytes)."""
    with open(path, "rb") as file:
        h = hashlib.file_digest(file, "sha1")
    h.update(b"\0")
    return h.hexdigest()


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: the shard of a token (client.js computes the same)."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value
