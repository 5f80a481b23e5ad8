"""The built site as a visitor's browser and an inspector's crawler read it: every link, image, stylesheet and
script that points into the site must open (and every #anchor must exist on its page), every page must stay
within a weight budget and carry the 指引's metadata.

Nothing leaves the machine: links to other sites are not followed. The pages are scanned with regular expressions
over our own generated HTML (attributes in double quotes), which is an order faster than parsing them.
"""

from __future__ import annotations

import dataclasses
import html
import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..site.metadata import ARTICLE_REQUIRED, COLUMN_TAGS, SITE_TAGS
from ..util import is_file

_TAG = re.compile(r"<(a|link|img|script|iframe|source)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'\s(href|src|rel)="([^"]*)"', re.IGNORECASE)
# What a #fragment scrolls to: an element's id, or an <a name> (not a <meta>'s or an <input>'s name).
_ID = re.compile(r'\sid="([^"]*)"|<a\s[^>]*?\bname="([^"]*)"', re.IGNORECASE)
_META = re.compile(r'<meta name="([A-Za-z]+)" content="[^"]*"')
# Resources a page loads as it is shown (counted in its weight); links (<a>) are followed by the visitor.
_LOADED = {"img", "script", "iframe", "source"}
_PAGE_SUFFIXES = ("", ".html", ".htm")
SKIPPED = ("search/",)  # the search index: data files, not pages


@dataclasses.dataclass(frozen=True)
class BrokenLink:
    page: str     # the page's address in the site, as visitors see it (organs/x/, items/x.html)
    target: str   # the address as written in the page
    anchor: bool  # the page opens but the #anchor is not on it

    @property
    def is_file(self) -> bool:
        """A link to a file that is not a page (an attachment): what 附件缺失 counts."""
        path = urlsplit(self.target).path
        return not self.anchor and posixpath.splitext(path.rstrip("/"))[1].lower() not in _PAGE_SUFFIXES


@dataclasses.dataclass(frozen=True)
class PageWeight:
    page: str
    bytes: int


@dataclasses.dataclass
class SiteScan:
    pages: int = 0
    broken: list[BrokenLink] = dataclasses.field(default_factory=list)
    weights: list[PageWeight] = dataclasses.field(default_factory=list)  # every page, heaviest first
    undated: list[str] = dataclasses.field(default_factory=list)         # article pages without PubDate
    missing_meta: dict[str, list[str]] = dataclasses.field(default_factory=dict)  # tag → pages without it


def page_address(relative: str) -> str:
    """organs/x/index.html → organs/x/ (what visitors see); other files keep their name."""
    if relative == "index.html":
        return ""
    return relative[:-len("index.html")] if relative.endswith("/index.html") else relative


def scan_site(site_dir: Path, site_url: str | None) -> SiteScan:
    """Every HTML page of ``site_dir``: its links, its weight and its metadata."""
    site_dir = Path(site_dir)
    prefix = urlsplit(site_url).path if site_url else "/"
    scan = SiteScan()
    ids: dict[str, frozenset[str]] = {}
    sizes: dict[str, int] = {}
    anchored: list[tuple[str, str, str, str]] = []  # (page, target as written, file, anchor)
    for relative in _pages(site_dir):
        text = (site_dir / relative).read_text(encoding="utf-8", errors="replace")
        scan.pages += 1
        page = page_address(relative)
        ids[relative] = _anchors(text)
        weight = len(text.encode("utf-8"))
        for tag, target, file, anchor in _targets(text, relative, site_url, prefix):
            if file is None:
                scan.broken.append(BrokenLink(page, target, False))
                continue
            found = _existing(site_dir, file)
            if found is None:
                scan.broken.append(BrokenLink(page, target, False))
            elif anchor:
                anchored.append((page, target, found, anchor))
            if found and (tag in _LOADED or tag == "stylesheet"):
                if found not in sizes:
                    sizes[found] = (site_dir / found).stat().st_size
                weight += sizes[found]
        scan.weights.append(PageWeight(page, weight))
        _check_meta(scan, page, text)
    for page, target, file, anchor in anchored:
        if file.endswith(".html"):
            if file not in ids:
                ids[file] = _anchors((site_dir / file).read_text(encoding="utf-8", errors="replace"))
            if anchor not in ids[file]:
                scan.broken.append(BrokenLink(page, target, True))
    scan.weights.sort(key=lambda w: (-w.bytes, w.page))
    scan.broken.sort(key=lambda b: (b.page, b.target))
    return scan


def _pages(site_dir: Path) -> Iterator[str]:
    for folder, dirs, names in os.walk(site_dir):
        dirs.sort()
        relative_folder = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        relative_folder = "" if relative_folder == "." else relative_folder + "/"
        if relative_folder.startswith(SKIPPED) or relative_folder.startswith("assets/"):
            continue
        for name in sorted(names):
            if name.endswith(".html"):
                yield relative_folder + name


def _targets(text: str, relative: str, site_url: str | None, prefix: str) -> Iterator[tuple[str, str, str | None, str]]:
    """(kind, address as written, site file it names or None when it leaves the site, #anchor) of each link."""
    for match in _TAG.finditer(text):
        tag = match.group(1).lower()
        attrs = {name.lower(): value for name, value in _ATTR.findall(match.group(2))}
        target = attrs.get("src") if tag in _LOADED else attrs.get("href")
        if target is None:
            continue
        if tag == "link":
            rel = attrs.get("rel", "").lower().split()
            if "stylesheet" in rel:
                tag = "stylesheet"
            elif not {"icon", "alternate", "canonical", "next", "prev"} & set(rel):
                continue  # preconnect and the like name no file
        address = html.unescape(target).strip()
        resolved = _resolve(address, relative, site_url, prefix)
        if resolved is not None:
            yield tag, address, resolved[0], resolved[1]


def _anchors(page: str) -> frozenset[str]:
    return frozenset(found for pair in _ID.findall(page) for found in pair if found)


def _resolve(address: str, relative: str, site_url: str | None, prefix: str) -> tuple[str | None, str] | None:
    """(the site file ``address`` names from the page ``relative``, or None when it climbs out of the site;
    its #anchor), or None for an address of another site (or mailto:, tel: …), which is not followed."""
    if site_url:
        site, found = urlsplit(site_url), urlsplit(address)
        if found.netloc and found.netloc.lower() == site.netloc.lower() and found.scheme.lower() in ("", "http", "https"):
            # the site's own address however written (http://, //): checked as the site's https:// one is (its
            # path whole: a site under a folder has it in both)
            address = f"{site.scheme}://{site.netloc}" + address.split(found.netloc, 1)[1]
    if site_url and address.startswith(site_url):
        address, prefix = "/" + address[len(site_url):], "/"
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        return None
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return relative, anchor  # "#anchor": this page
    if path.startswith("/"):
        if not path.startswith(prefix):
            return None, anchor
        joined = path[len(prefix):]
    else:
        joined = posixpath.join(posixpath.dirname(relative), path)
    normal = posixpath.normpath(joined) if joined else "."
    if normal == ".." or normal.startswith("../"):
        return None, anchor
    normal = "" if normal == "." else normal
    if path.endswith("/") or path.endswith((".", "..")) or not normal:
        normal = posixpath.join(normal, "index.html") if normal else "index.html"
    return normal, anchor


def _existing(site_dir: Path, file: str) -> str | None:
    """The file a browser gets for ``file``: itself, or the index.html of a folder."""
    candidate = site_dir / file if file else site_dir / "index.html"
    if is_file(candidate):
        return file or "index.html"
    if candidate.is_dir() and (candidate / "index.html").is_file():
        return posixpath.join(file, "index.html") if file else "index.html"
    return None


def _check_meta(scan: SiteScan, page: str, text: str) -> None:
    """The 指引's tags: the site's on every page, a column's four together, an article's required three."""
    head = text[:text.find("</head>")] if "</head>" in text else text
    names = set(_META.findall(head))
    wanted = list(SITE_TAGS)
    if names & set(COLUMN_TAGS):
        wanted += COLUMN_TAGS
    if "ArticleTitle" in names:
        wanted += ARTICLE_REQUIRED
        if "PubDate" not in names:
            scan.undated.append(page)
    for name in wanted:
        if name not in names:
            scan.missing_meta.setdefault(name, []).append(page)
