"""Where everything of the site lives: one function per kind of page or file, and relative links between them."""

from __future__ import annotations

import re

from ..model.catalog import Fee, Item, Power


def slug(text: str) -> str:
    """A URL segment for an identifier: ASCII letters, digits, dots and dashes kept; anything else becomes '_'."""
    return re.sub(r"[^0-9A-Za-z.\-]", "_", text)


def topic_slug(topic: str) -> str:
    return re.sub(r"[/\\\s?#%]+", "-", topic).strip("-")


def item_url(item: Item) -> str:
    return f"items/{slug(item.index_no)}/"


def power_url(power: Power) -> str:
    return f"powers/{slug(power.id)}/"


def fee_url(fee: Fee) -> str:
    return f"fees/{slug(fee.id)}/"


def organ_url(organ_id: str) -> str:
    return f"organs/{slug(organ_id)}/"


def report_file_name(year: int, kind: str) -> str:
    return f"report-{year}.{kind}"


def src_uri(url: str) -> str:
    """The page's file as mkdocs names it."""
    return "index.md" if url == "" else url.rstrip("/") + "/index.md"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, directory style)."""
    if to_url.startswith(("http://", "https://", "#")):
        return to_url
    here = from_url.split("/")[:-1]  # the page's folder: "a/b/" → [a, b]; "a/b.html" → [a]
    there = to_url.rstrip("/").split("/") if to_url.strip("/") else []
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    parts = [".."] * (len(here) - common) + there[common:]
    if not parts:
        return "./"
    return "/".join(parts) + ("/" if to_url.endswith("/") or not to_url else "")
