"""Generated pages written into the theme without mkdocs' per-page pipeline.

mkdocs renders each page through Markdown, plugins and the whole theme template: about 4 ms a page, most of
it the same work for every item. What differs between two item pages inside the theme is only the title,
the description, the canonical address and the content; the links to the site's columns differ only with
the page's first path segment, depth and kind (a folder's index.html, or a file). So mkdocs renders one *shell*
page for each, with markers where a page's own parts go, and each generated page is that shell with the markers
replaced: the same bytes mkdocs would write (a test builds both ways and compares).

Contents always carry their own ``<h1>`` (see ``SitePage``), so the theme never adds one and never builds
a table of contents from them: neither depends on the page.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup

from ..errors import GongkaiError
from .structure import SitePage
from .urls import canonical_url

SEGMENT = "gk-shell"
TITLE = "gongkai-shell-title"
DESCRIPTION = "gongkai-shell-description"
CONTENT = "<h1>gongkai-shell-content</h1>"
META = '<meta name="gongkai-shell-meta">\n'  # where the theme writes a page's own <meta> tags (overrides/main.html)


class ShellError(GongkaiError):
    """The theme shows a page in a way a shell cannot reproduce; `page_shells: false` builds it the slow way."""


# The shell's own address: the page's first segment, the rest of it replaced (organs/gk-shell/, items/gk-shell.html).
ShellKey = str


def shell_key(url: str) -> ShellKey:
    """Pages with the same first segment, depth and kind link to the rest of the site with the same relative URLs.
    A page that is its own key (a column: organs/) is rendered by mkdocs as it is."""
    first, *rest = url.split("/")
    if not rest:
        return url
    *folders, name = rest
    return "/".join([first] + [SEGMENT] * len(folders) + [SEGMENT + ".html" if name else ""])


def shell_output(key: ShellKey) -> str:
    """What mkdocs writes for the shell, removed once the pages are written: its folder (organs/gk-shell), or its file
    (items/gk-shell.html). No catalog identifier makes this address."""
    first, part = key.split("/")[:2]
    return f"{first}/{part}"


def shell_page(key: ShellKey) -> SitePage:
    return SitePage(key, TITLE, CONTENT, DESCRIPTION, meta=SHELL_META)


SHELL_META = (("gongkai-shell-meta", ""),)  # rendered as META: a page's meta_html replaces it


def meta_html(page: SitePage) -> str:
    """What the theme writes as the page's own <meta> tags: a shell's hole, or the page's tags."""
    return META if page.meta == SHELL_META else page.meta_html


# A page's text as the site holds it: UTF-8, and what UTF-8 cannot hold (a lone surrogate) as a character reference.
# Encoded part by part, a page has the same bytes as encoded whole: UTF-8 carries nothing from one character on.
ENCODING, ENCODING_ERRORS = "utf-8", "xmlcharrefreplace"


@dataclasses.dataclass(frozen=True)
class Shell:
    """A page of the theme with holes: literal bytes at even positions (encoded once, not with every page: 10,000
    item pages were 13 µs each faster to fill), the name of a hole at odd ones."""

    parts: tuple[bytes | str, ...]
    site_url: str | None
    canonical_hole: str | None  # the shell's own canonical link, which becomes the page's

    @classmethod
    def parse(cls, html: str, key: ShellKey, site_url: str | None) -> "Shell":
        shell_canonical = canonical_url(site_url, key)
        canonical_hole = f'href="{shell_canonical}"' if shell_canonical else None
        holes = [TITLE, DESCRIPTION, CONTENT, META] + ([canonical_hole] if canonical_hole else [])
        parts = tuple(re.split("(" + "|".join(map(re.escape, holes)) + ")", html))
        found = set(parts[1::2])
        if CONTENT not in found or TITLE not in found or any(SEGMENT in text for text in parts[0::2]):
            raise ShellError(f"主题以意外的方式使用页面地址或标题，无法套用页面外壳；请在 mkdocs.yml 中设置 page_shells: false "
                             f"(the theme shows the page in a way shells cannot reproduce: {key})")
        return cls(tuple(part if n % 2 else part.encode(ENCODING, ENCODING_ERRORS) for n, part in enumerate(parts)),
                   site_url, canonical_hole)

    def fill(self, page: SitePage) -> bytes:
        """The page in the shell: the bytes of its file."""
        if "<h1" not in page.html:
            raise ShellError(f"{page.url}: content without <h1> (the theme would add its own)")
        values = {TITLE: str(Markup.escape(page.title)), DESCRIPTION: str(Markup.escape(page.meta_description)),
                  CONTENT: page.html, META: page.meta_html,
                  self.canonical_hole: f'href="{canonical_url(self.site_url, page.url)}"'}
        return b"".join(part if n % 2 == 0 else values[part].encode(ENCODING, ENCODING_ERRORS)
                        for n, part in enumerate(self.parts))
