"""Which addresses staff-written text may publish as links, and where Markdown text holds the others.

http(s), mailto and tel, and relative addresses, are published as links; any other scheme (javascript:, vbscript:,
data: …, however written) would run or load what it holds, so it is shown as text (site/templating.py) and staff
are warned at its line (model/load.py).
"""

from __future__ import annotations

import html
import re
import urllib.parse

SAFE_SCHEMES = ("http", "https", "mailto", "tel")

# The places a Markdown link or image keeps its address: inline ``](address`` (after any white space, in <> or
# not) and reference definitions ``[label]: address``. A scan, not a parse: what it misses is still shown as text.
_ADDRESSES = re.compile(r"\]\(\s*<?([^\s)>]+)|^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)


def safe_url(url: str) -> bool:
    """Whether ``url`` may be published as a link."""
    # Browsers decode entities and drop white space and control characters before reading the scheme; entities
    # are decoded until none is left, so that no encoding of a scheme is taken for a relative address.
    decoded = url
    while (unescaped := html.unescape(decoded)) != decoded:
        decoded = unescaped
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", decoded).lower()
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def external(url: str, own_host: str = "") -> bool:
    """Whether ``url`` (``safe_url``) leads off the site: a scheme, or a network path (//host, which browsers also
    read in \\host), to a host other than ``own_host`` (the site's own, an absolute address of a page or image of
    it: bodies moved from an old CMS hold them)."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(url)).replace("\\", "/")
    if not (cleaned.startswith("//") or re.match(r"[A-Za-z][A-Za-z0-9+.\-]*:", cleaned)):
        return False
    try:
        host = urllib.parse.urlsplit(f"http:{cleaned}" if cleaned.startswith("//") else cleaned).hostname
    except ValueError:  # an address no browser could follow either (a bracket in its host)
        return True
    return not own_host or host != own_host.lower()


def unsafe_links(text: str) -> list[tuple[int, str]]:
    """(line within ``text``, counted from 0; address) of each link address in Markdown ``text`` that is not
    ``safe_url``."""
    if "](" not in text and "]:" not in text:
        return []
    return [(text.count("\n", 0, match.start()), address)
            for match in _ADDRESSES.finditer(text)
            if not safe_url(address := match.group(1) or match.group(2))]
