"""Where everything of the site lives: one function per kind of page or file, and relative links between them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

from search.hashing import digest

from ..errors import Problem
from ..model.catalog import Catalog, Fee, Item, Power
from ..model.fields import Record
from ..model.participation import Consultation

# Compiled once: these run for every item of every build (re's own cache of patterns costs a lookup a call).
# Chinese characters are kept: index numbers and organ file names that differ only in them (财政局-2025-001,
# 教育局-2025-001) are real, and made one address they were refused as a collision, staff told to change a real
# 索引号. Addresses in Chinese are served as the topics' always were.
_NOT_IN_SLUG = re.compile(r"[^0-9A-Za-z.\-\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TOPIC_BREAKS = re.compile(r"[/\\\s?#%]+")
# A folder's name is at most 255 bytes (ext4, XFS; a Chinese character is 3): a longer part of an address cannot be
# written at all. Kept below it, for the names made beside one (a staged copy, a feed's organ-….atom).
MAX_NAME_BYTES = 240


def slug(text: str) -> str:
    """A URL segment for an identifier: ASCII letters, digits, dots, dashes and Chinese characters kept; anything
    else (a slash, punctuation, a space) becomes '_'."""
    return _NOT_IN_SLUG.sub("_", text)


def topic_slug(topic: str) -> str:
    return _TOPIC_BREAKS.sub("-", topic).strip("-")


def item_url(item: Item) -> str:
    """An item's page: a file, not a folder's index.html. A site of 100,000 items had 100,000 folders only for
    their pages' addresses, a tenth of its size on disk (docs/decisions.md)."""
    return f"items/{slug(item.index_no)}.html"


def item_files_url(item: Item) -> str:
    """The folder of an item's files (attachments, a report's data), beside its page: made only when it has any."""
    return f"items/{slug(item.index_no)}/"


def power_url(power: Power) -> str:
    return f"powers/{slug(power.id)}/"


def fee_url(fee: Fee) -> str:
    return f"fees/{slug(fee.id)}/"


def consultation_url(consultation: Consultation) -> str:
    return f"consultations/{slug(consultation.id)}/"


def consultation_file_url(consultation: Consultation, name: str) -> str:
    """A consultation's file (its draft, its 起草说明) beside its page, under the file's own name."""
    return consultation_url(consultation) + name


def hotline_month_url(month: str) -> str:
    """The 12345 hotline cases received in ``month`` (2026-11)."""
    return f"hotline/{month}/"


def organ_url(organ_id: str) -> str:
    return f"organs/{slug(organ_id)}/"


def report_file_url(item: Item, year: int, kind: str) -> str:
    """An annual report's data for download (kind: json, csv…), in its item's folder."""
    return item_files_url(item) + f"report-{year}.{kind}"


def canonical_url(site_url: str | None, url: str) -> str | None:
    """As mkdocs computes ``page.canonical_url`` (``urljoin``, which for our relative URLs is concatenation)."""
    if not site_url:
        return None
    return absolute_url(site_url, url)


def absolute_url(base: str, url: str) -> str:
    """The site-relative ``url`` under ``base`` (the site's address, or / without one), percent-encoded as an
    address must be where it is not a link in a page (a feed, the sitemap): an address may hold Chinese."""
    return base + (url if url.isascii() and _URL_SAFE.fullmatch(url) else quote(url))


_URL_SAFE = re.compile(r"[A-Za-z0-9_.\-/~]*")


def site_root(site_url: str) -> str | None:
    """The site's address as mkdocs' ``site_url`` holds it (ending in /), from gongkai.yaml's ``url``."""
    return site_url.rstrip("/") + "/" if site_url else None


def party_mark_url(file: str) -> str:
    """Where the 党政机关标识 image the office supplies is published."""
    return "identity/party-mark" + Path(file).suffix.lower()


def page_file(url: str) -> str:
    """The file of the page at ``url``: a folder's index.html, or the page's own .html file."""
    return url + "index.html" if url == "" or url.endswith("/") else url


def src_uri(url: str) -> str:
    """The page's Markdown file as mkdocs names it, beside its HTML file (organs/x/index.md, items/x.md: a page whose
    address is a file is given that address, plugin.py)."""
    return page_file(url).removesuffix(".html") + ".md"


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
    if ":" in parts[0]:  # a file named javascript:x would be read as that scheme
        parts.insert(0, ".")
    return "/".join(parts) + ("/" if to_url.endswith("/") or not to_url else "")


def attachment_url(item: Item, name: str) -> str:
    """An attachment in its item's folder, under the file's own name."""
    return item_files_url(item) + name


def href(url: str) -> str:
    """A site path as a link: the characters that would end the path (#, ?) or start an escape (%) encoded."""
    return url.replace("%", "%25").replace("#", "%23").replace("?", "%3F")


def url_problems(catalog: Catalog) -> list[Problem]:
    """Two things published at one address would overwrite each other, and an address of . or .. would be
    written outside its folder: both are errors at the lines that make them."""
    problems: list[Problem] = []
    # url in lower case → (the url, what claimed it, what holds its record, the key of the line): the record, and
    # its line, are looked up only for a problem, as this runs for every item of the catalog (a kept item's record is
    # unpickled with the rest of its fields: catalog.ITEM_READ_FIRST)
    claims: dict[str, tuple[str, str, Recorded, str | None]] = {}

    def claim(url: str, what: str, what_en: str, found: str, source: Recorded, key: str | None = None,
              named_here: bool = True) -> None:
        parts = url.rstrip("/").split("/")
        lowered = url.lower()
        # The folders, and a page's own file, are named here from the catalog; a file's name given already
        # (``named_here`` false: an attachment's own, which the catalog's disk holds, or a folder's index.html) is not.
        names = parts if named_here else parts[:-1]
        # A folder or a page named index.html would stand where its column's page is (powers/index.html/, the page
        # items/index.html of the 索引号 index): no build writes both (nor, on a server that ignores case, Index.html).
        # Its parts are looked at only when the address holds the name at all (rarely: this runs 120,000 times at
        # 100,000 items).
        if "" in parts or "." in parts or ".." in parts or (
                "index.html" in lowered and any(name.lower() == "index.html" for name in names)):
            problems.append(source.record.at(key).problem("E-URL-UNSAFE", what=what, what_en=what_en, found=found,
                                                          url=url))
        elif len(url) * 4 > MAX_NAME_BYTES and (  # no character is more than 4 bytes: most addresses need no look
                longest := max((len(part.encode()) for part in names), default=0)) > MAX_NAME_BYTES:
            problems.append(source.record.at(key).problem("E-URL-TOO-LONG", what=what, what_en=what_en, found=found,
                                                          size=longest, limit=MAX_NAME_BYTES))
        # A server that ignores case (IIS) serves ABC/ for abc/; a folder and a file of one name cannot both be
        # written (the page items/a.html, the folder of the files of an item whose 索引号 is a.html).
        elif (key_of_url := lowered.rstrip("/")) in claims:
            other_url, other_found, other_source, other_key = claims[key_of_url]
            where, other = source.record.at(key), other_source.record.at(other_key)
            problems.append(where.problem("E-URL-COLLISION", what=what, what_en=what_en, found=found, url=url,
                                          other=f"{other_found}（{other!r}，{other_url}）"))
            problems.append(other.problem("E-URL-COLLISION", what=what, what_en=what_en, found=other_found,
                                          url=other_url, other=f"{found}（{where!r}，{url}）"))
        else:
            claims[key_of_url] = (url, found, source, key)

    for item in catalog.items:
        page, files, attachments, _ = item_addresses(item)
        found = len(problems)
        claim(page, "索引号", "index number", item.index_no, item, "index_no")
        # An item with files has a folder named as its page is: a problem of its page's would be said again.
        if len(problems) > found or files is None:
            continue
        claim(files, "索引号", "index number", item.index_no, item, "index_no")
        for attachment, url in zip(item.attachments, attachments):
            claim(url, "附件", "attachment", attachment.file, attachment, "file", named_here=False)
    for entry in _entry_claims(catalog):
        claim(*entry)
    topics: dict[str, str] = {}
    topic_urls: dict[str, str] = {}  # a few dozen topics, named by 100,000 items
    for item in catalog.items:
        for topic in item.topics:
            if (url := topic_urls.get(topic)) is None:
                url = topic_urls[topic] = f"topics/{topic_slug(topic)}/"
            if url not in topics:
                topics[url] = topic
                claim(url, "主题分类", "topic", topic, item, "topics")
            elif topics[url] != topic:  # another topic at the same address
                claim(url, "主题分类", "topic", topic, item, "topics")
    return problems


class Recorded(Protocol):
    """What holds the record an address is claimed at: an item, an attachment, an organ, a power …"""

    record: Record


# A claim of an address: (address, what claims it in Chinese and English, the value that names it, what holds its
# record, the key of its line, whether the address's last part is named from the catalog).
_Claim = tuple[str, str, str, str, Recorded, str | None, bool]


def _entry_claims(catalog: Catalog) -> Iterator[_Claim]:
    """The addresses everything but the items claims, in the order ``url_problems`` looks at them."""
    for organ in catalog.organs.values():  # its id is its file's name, which may be Chinese (folded to _)
        yield organ_url(organ.id), "机关（文件名）", "organ (file name)", organ.id, organ, None, True
    for power in catalog.powers:
        yield power_url(power), "权力事项编码", "power id", power.id, power, "id", True
    for fee in catalog.fees:
        yield fee_url(fee), "收费项目编号", "fee id", fee.id, fee, "id", True
    for consultation in catalog.consultations:
        url = consultation_url(consultation)
        yield url, "意见征集文件名", "consultation file name", consultation.id, consultation, None, True
        yield (url + "index.html", "意见征集文件名", "consultation file name", consultation.id, consultation,
               None, False)
        for file in consultation.files:
            yield (consultation_file_url(consultation, os.path.basename(file.path)), "征集文件", "consultation file",
                   file.file, file, "file", False)


def entry_addresses(catalog: Catalog) -> str:
    """The addresses everything but the item files claims, hashed: the organs', powers', fees', consultations' and
    the published reports' items' (made from their statistics files). With the item files' (``item_addresses``), all
    that ``url_problems`` finds its problems in (lines are looked up only for a problem)."""
    return digest(*(f"{url}\0{found}\0{named_here}" for url, _, _, found, _, _, named_here in _entry_claims(catalog)),
                  *(repr(item_addresses(item)) for item in catalog.items if not item.digest))


def item_addresses(item: Item | None) -> tuple | None:
    """What ``url_problems`` reads of an item (None: none, for a file that made no item): the addresses it claims,
    its page's, its folder's when it has files, its attachments', and its topics, whose addresses it claims when
    it names one first."""
    if item is None:
        return None
    # A folder of files beside the page for attachments and for a published report's data.
    has_files = bool(item.attachments) or item.annual_report is not None
    return (item_url(item), item_files_url(item) if has_files else None,
            tuple(attachment_url(item, os.path.basename(a.path)) for a in item.attachments), item.topics)

