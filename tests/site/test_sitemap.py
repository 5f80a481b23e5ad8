"""The sitemap (site/sitemap.py): one file while the pages fit in one, else files of at most the limits a search
engine reads, named by a sitemap index."""

import datetime as dt
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import BASE, REPO, TODAY, make_catalog, make_site, tree_digest

from builder.site import sitemap

SITE = "https://xxgk.example.gov.cn/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _pages(count: int) -> list[tuple[str, dt.date | None]]:
    return [(f"{SITE}items/{n:05d}/", dt.date(2026, 1, 1) + dt.timedelta(days=n) if n % 7 else None)
            for n in range(count)]


def _listed(xml: bytes) -> list[tuple[str, str | None]]:
    root = ET.fromstring(xml)
    return [(entry.findtext("s:loc", namespaces=NS), entry.findtext("s:lastmod", namespaces=NS))
            for entry in root]


def _expected(pages) -> list[tuple[str, str | None]]:
    return [(url, day.isoformat() if day else None) for url, day in pages]


def test_pages_that_fit_in_one_file_are_one_sitemap():
    pages = _pages(30)
    files = sitemap.sitemap_files(pages, SITE)
    assert list(files) == ["sitemap.xml"]
    assert ET.fromstring(files["sitemap.xml"]).tag == "{%s}urlset" % NS["s"]
    assert _listed(files["sitemap.xml"]) == _expected(pages)


@pytest.mark.parametrize("urls, size", [(10, sitemap.SITEMAP_BYTES), (sitemap.SITEMAP_URLS, 1_000)])
def test_more_pages_than_a_file_may_list_go_in_several_named_by_an_index(monkeypatch, urls, size):
    monkeypatch.setattr(sitemap, "SITEMAP_URLS", urls)
    monkeypatch.setattr(sitemap, "SITEMAP_BYTES", size)
    pages = _pages(25)
    files = sitemap.sitemap_files(pages, SITE)
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == "{%s}sitemapindex" % NS["s"]
    names = [f"sitemap-{n}.xml" for n in range(1, len(files))]
    assert list(files) == ["sitemap.xml", *names] and len(names) >= 3
    listed = []
    for (loc, lastmod), name in zip(_listed(files["sitemap.xml"]), names):
        assert loc == SITE + name
        part = _listed(files[name])
        assert len(part) <= urls and len(files[name]) <= size
        assert lastmod == max(day for _, day in part if day)  # the latest change of the pages it lists
        listed += part
    assert listed == _expected(pages)  # every page once, in order


def test_a_site_without_its_address_builds_the_same_whatever_the_clock_says(tmp_path):
    """Without site.url the sitemap lists nothing, and is still ours: mkdocs' compressed copy carried the day the
    build ran (here the clock is moved a day on), so a build on the next day with the same --today differed."""
    catalog = make_catalog(tmp_path)
    for name, epoch in (("a", "1795996800"), ("b", "1796083200")):
        result = subprocess.run([sys.executable, "-m", "builder", "build", "--catalog", str(catalog), "--today",
                                 TODAY, "--site-dir", str(tmp_path / name)], capture_output=True, text=True,
                                cwd=REPO, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
        assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")
    assert "<url>" not in (tmp_path / "a" / "sitemap.xml").read_text(encoding="utf-8")


def test_the_day_a_stated_validity_ended_is_the_day_its_page_changed(tmp_path):
    # From that day the page says 废止 or 失效: crawlers kept the "valid" copy, feed readers never saw the change.
    notice = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")
    ended = {"repealed": "repealed: {date: 2026-06-01, by: 示政发〔2026〕9号}", "expires": "expires: 2026-06-30",
             "stated": "validity: 失效\nvalidity_date: 2026-07-15", "to come": "validity: 废止\nvalidity_date: 2027-01-01"}
    expected = {"repealed": "2026-06-01", "expires": "2026-07-01", "stated": "2026-07-15", "to come": "2026-03-06"}
    for name, stated in ended.items():
        site, _ = make_site(tmp_path / name.replace(" ", "-"),
                            files={"items/2026/notice.md": notice.replace("doc_type:", f"{stated}\ndoc_type:"),
                                   "gongkai.yaml": f"site:\n  title: 测试目录\n  url: {SITE}\n"})
        lastmod = dict(_listed((site / "sitemap.xml").read_bytes()))[f"{SITE}items/11220000013544357T_2026-00001.html"]
        assert lastmod == expected[name], name
        entry = next(e for e in ET.parse(site / "feeds" / "all.atom").getroot().iter("{http://www.w3.org/2005/Atom}entry")
                     if "示例事项" in e.findtext("{http://www.w3.org/2005/Atom}title"))
        assert entry.findtext("{http://www.w3.org/2005/Atom}updated").startswith(expected[name]), name
