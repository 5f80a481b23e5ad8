"""The fast build: pages written into theme shells, and incremental publishing that equals a full build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import pickle
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import (
    EXAMPLE,
    REPO,
    TODAY,
    gongkai,
    make_catalog,
    make_project,
    make_site,
    search_records,
    tree_digest,
)
from mkdocs.exceptions import Abort

from benchmarks.generate import generate
from builder.audit.audit import run_audit
from builder.build import pipeline, pools
from builder.build.cache import FOLDERS, VERSION, BuildCache, Journal, _changes
from builder.build.fingerprint import code_fingerprint
from builder.build.pipeline import BuildOptions, Memory, build
from builder.build.pools import worker_count
from builder.check.validate import CheckedItems
from builder.model import fields, load
from builder.model.catalog import KEPT_REDUCTIONS
from builder.site import sitemap
from builder.site.feeds import feed_specs
from builder.site.pages import build_site
from builder.site.templating import Templating
from builder.site.views import KeptViews, published_views
from builder.util import SETTLED_NS, file_status
from search import stored
from search.hashing import digest

ITEM = Path("items/jilin-province/2014/jizhengfa-2014-26.md")
RETITLED = Path("items/jiyuan-city/2024/shenqing-banli-guiding.md")


def _config(tmp_path: Path, catalog: Path, **options: str) -> Path:
    """A copy of the repo's mkdocs.yml that reads ``catalog``, with extra plugin options."""
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {REPO / 'content'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
    extra = "".join(f"\n      {key}: {value}" for key, value in options.items())
    text = text.replace("catalog_dir: catalog", f"catalog_dir: {catalog}{extra}")
    config = tmp_path / f"mkdocs-{len(options)}.yml"
    config.write_text(text, encoding="utf-8")
    return config


def _build(catalog: Path, site: Path, config: Path | None = None, *args: str):
    extra = ["--config-file", str(config)] if config else []
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site), *extra, *args)
    assert result.returncode == 0, result.stderr
    return result


def _inode(path: Path) -> int:
    return path.stat().st_ino


def test_shells_write_the_same_bytes_as_mkdocs_own_pipeline(tmp_path):
    """Every page written into a shell is byte for byte what mkdocs-material renders for it."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    _build(catalog, tmp_path / "fast", _config(tmp_path, catalog))
    _build(catalog, tmp_path / "mkdocs", _config(tmp_path, catalog, page_shells="false"))
    fast, slow = tree_digest(tmp_path / "fast"), tree_digest(tmp_path / "mkdocs")
    assert fast == slow
    assert sum(path.startswith("items/") and path.endswith(".html") for path in fast) >= 10
    assert not any("gk-shell" in path for path in fast), "no shell is left in the site"


def test_incremental_build_equals_a_full_build_and_rewrites_only_what_changed(tmp_path):
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    untouched_page = site / "items" / "11220000013544357T_2005-00138.html"
    stylesheet = next(site.glob("assets/stylesheets/main.*.css"))
    before = {"page": _inode(untouched_page), "asset": _inode(stylesheet)}
    pages = len(list(site.glob("items/*.html")))

    # An office corrects one item, retitles another (listings and feeds show titles), publishes a new one
    # and withdraws a fourth, whose page must disappear.
    changed = catalog / ITEM
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（更正：补充说明。）\n", encoding="utf-8")
    retitled = catalog / RETITLED
    text = retitled.read_text(encoding="utf-8")
    retitled.write_text(text.replace("title: ", "title: （修订）", 1), encoding="utf-8")
    (catalog / "items" / "jiyuan-city" / "2024" / "new.md").write_text(
        text.replace("2024-00058", "2024-00099").replace("doc_no: ", "doc_no: 新", 1), encoding="utf-8")
    (catalog / "items" / "jilin-city-office" / "2011" / "gongkai-2011-yaodian.md").unlink()
    _build(catalog, site)

    full = tmp_path / "full"
    _build(catalog, full, None, "--full")
    assert tree_digest(site) == tree_digest(full), "incremental build differs from a full build"
    assert "（修订）" in (site / "organs" / "jiyuan-city" / "index.html").read_text(encoding="utf-8")
    assert not (site / "items" / "005000003_2011-00042").exists()
    assert len(list(site.glob("items/*.html"))) == pages
    assert _inode(untouched_page) == before["page"], "an unchanged item page was rewritten"
    assert _inode(stylesheet) == before["asset"], "an unchanged theme file was rewritten"
    assert not list(tmp_path.glob(".*-search-*")), "the index's folder (and the documents handed to it) left behind"


def test_a_partial_linked_into_the_overrides_from_a_shared_theme_is_seen_when_it_changes(tmp_path):
    """Found by a review (2026-12-01): overrides/partials linked from a theme the offices share went unseen by the
    fingerprint (rglob does not follow links; Jinja does), so after its footer changed mkdocs was left out and every
    page kept the old one."""
    project = make_project(tmp_path)
    shared = tmp_path / "shared-theme" / "partials"
    shared.parent.mkdir()
    shutil.move(project / "overrides" / "partials", shared)
    (project / "overrides" / "partials").symlink_to(shared, target_is_directory=True)
    site, config = project / "site", project / "mkdocs.yml"
    _build(project / "catalog", site, config)
    footer = shared / "copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8").replace(">联系我们<", ">联系方式<"), encoding="utf-8")
    _build(project / "catalog", site, config)
    _build(project / "catalog", project / "full", config, "--full")
    assert tree_digest(site) == tree_digest(project / "full")
    assert ">联系方式<" in (site / "index.html").read_text(encoding="utf-8")


def test_a_report_page_is_keyed_by_what_it_shows(tmp_path):
    """An office's reports of every year are pages keyed like items' (they were rendered on every build); a request
    received a month later changes the report's chart of months, not its table, and the page with it."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    path = "items/11220000013544357T_2026-00012.html"
    assert BuildCache(site).previous[path] != digest((site / path).read_bytes()), "keyed by its bytes: rendered"

    shown = (site / path).read_text(encoding="utf-8")
    log = catalog / "requests" / "2025.yaml"
    text = log.read_text(encoding="utf-8")
    assert "received: 2025-01-06\n" in text and "replied: 2025-01-22\n" in text
    log.write_text(text.replace("received: 2025-01-06\n", "received: 2025-02-03\n", 1)
                   .replace("replied: 2025-01-22\n", "replied: 2025-02-18\n", 1), encoding="utf-8")
    _build(catalog, site)
    full = tmp_path / "full"
    _build(catalog, full, None, "--full")
    assert tree_digest(site) == tree_digest(full), "incremental build differs from a full build"
    assert (site / path).read_text(encoding="utf-8") != shown


@pytest.mark.parametrize("shown, edited, field, was, now", [
    # The document that repealed it, linked by its 文号: renumbered, the page names the 文号 without a link.
    ("2020/shenqing-banfa-zanxing.md", "2024/shenqing-banli-guiding.md", "doc_no", "济政〔2024〕12号",
     "济政〔2024〕13号"),
    # Its interpretation, linked by its title.
    ("2026/xianshi-banjie-banfa.md", "2026/xianshi-banjie-jiedu.md", "title", None, None),
], ids=["repealed-by", "interpreted-by"])
def test_an_items_page_is_written_again_when_another_item_it_shows_changes(tmp_path, shown, edited, field, was, now):
    """Most items' pages are keyed by their view's digest alone; a page that shows another item (the document that
    repealed it, its interpretation) is keyed by both."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    folder = catalog / "items" / "jiyuan-city"
    title = re.search(r"^title: (.+)$", (folder / shown).read_text(encoding="utf-8"), re.M)[1]
    page = next(path for path in (site / "items").glob("*.html") if f"<h1>{title}</h1>" in path.read_text("utf-8"))
    before = page.read_text(encoding="utf-8")
    text = (folder / edited).read_text(encoding="utf-8")
    value = re.search(rf"^{field}: (.+)$", text, re.M)[1]
    assert was in (None, value)
    (folder / edited).write_text(text.replace(f"{field}: {value}", f"{field}: {now or value + '（修订）'}", 1),
                                 encoding="utf-8")
    _build(catalog, site)
    assert page.read_text(encoding="utf-8") != before
    full = tmp_path / "full"
    _build(catalog, full, None, "--full")
    assert tree_digest(site) == tree_digest(full), "incremental build differs from a full build"


def test_a_report_published_at_another_time_of_day_is_written_again(tmp_path):
    """A report's item is read from no file: its key is made of what it holds, the time of its publication too (the
    page's PubDate, the data files, the feeds). It was left out, and the site kept saying 09:30."""
    path = Path("reports/2025/jilin-province.yaml")
    text = (EXAMPLE / path).read_text(encoding="utf-8")
    site, _ = make_site(tmp_path, source=EXAMPLE,
                        files={str(path): re.sub(r"^published: .*$", "published: 2026-03-20 09:30", text, flags=re.M)})
    catalog = tmp_path / "catalog"
    report = catalog / path
    report.write_text(report.read_text(encoding="utf-8").replace("09:30", "10:45"), encoding="utf-8")
    _build(catalog, site)
    full = tmp_path / "full"
    _build(catalog, full, None, "--full")
    assert tree_digest(site) == tree_digest(full), "incremental build differs from a full build"
    assert "10:45" in (site / "items" / "11220000013544357T_2026-00012.html").read_text(encoding="utf-8")


def test_the_sitemap_is_written_again_only_when_what_it_lists_changes(tmp_path):
    """A correction changes no address and no page's day: the sitemap and its compressed copy are left as they were.
    On a later day the compressed copy, whose header holds its day, is made again, as a full build of that day does."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    sitemap, compressed = site / "sitemap.xml", site / "sitemap.xml.gz"
    before = {"xml": _inode(sitemap), "gz": _inode(compressed)}
    changed = catalog / ITEM
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（更正：补充说明。）\n", encoding="utf-8")
    _build(catalog, site)
    assert {"xml": _inode(sitemap), "gz": _inode(compressed)} == before
    old_day = compressed.read_bytes()
    for folder, *full in ((site,), (tmp_path / "full", "--full")):
        result = gongkai("build", "--catalog", str(catalog), "--today", "2026-12-21", "--site-dir", str(folder), *full)
        assert result.returncode == 0, result.stderr
    assert compressed.read_bytes() != old_day
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_a_build_on_a_later_day_shows_that_days_validity_as_a_full_build_does(tmp_path):
    """The views kept for the next build (views.KeptViews) hold for their day: a document that expired since the
    last build is shown expired, and the site is the one a full build makes for that day."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    page = site / "items" / "005000003_2021-00211.html"  # valid to 2026-12-19
    before = page.read_text(encoding="utf-8")
    for folder, *full in ((site,), (tmp_path / "full", "--full")):
        result = gongkai("build", "--catalog", str(tmp_path / "catalog"), "--today", "2026-12-21", "--site-dir",
                         str(folder), *full)
        assert result.returncode == 0, result.stderr
    assert page.read_text(encoding="utf-8") != before
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_an_empty_feed_is_dated_the_day_built_for_as_a_full_build_dates_it(tmp_path):
    """A feed with no entries (the annual reports' before the first is published) is dated the day built for: the
    next day's build writes it again, and the site is the one a full build makes for that day."""
    site, _ = make_site(tmp_path, source=EXAMPLE, today="2025-12-30")
    feed = site / "feeds" / "reports.atom"
    assert "<entry>" not in feed.read_text(encoding="utf-8") and "2025-12-30T" in feed.read_text(encoding="utf-8")
    for folder, *full in ((site,), (tmp_path / "full", "--full")):
        result = gongkai("build", "--catalog", str(tmp_path / "catalog"), "--today", "2025-12-31", "--site-dir",
                         str(folder), *full)
        assert result.returncode == 0, result.stderr
    assert "2025-12-31T" in feed.read_text(encoding="utf-8")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


# `gongkai build` run as staff run it, reporting at its exit which of the libraries it may do without it imported.
_IMPORTS_PROBE = """
import atexit, sys
atexit.register(lambda: print(sorted({"feedgen", "lunar_python"} & set(sys.modules)), file=sys.stderr))
from builder.__main__ import main
sys.argv = ["gongkai", *sys.argv[1:]]
main()
"""


def test_a_build_imports_the_feed_and_lunar_libraries_only_where_it_uses_them(tmp_path):
    """feedgen (with lxml and dateutil, ~30 ms) and lunar_python (~15 ms, for a year's dates before its notice) are
    imported where they are used: the first build writes the feeds; a build after an edit that no feed shows, its
    years all from chinesecalendar's data, imports neither, and its site is a full build's."""
    site, _ = make_site(tmp_path)

    def build_imports(*args: str) -> str:
        result = subprocess.run([sys.executable, "-c", _IMPORTS_PROBE, "build", "--catalog", str(tmp_path / "catalog"),
                                 "--today", TODAY, *args], capture_output=True, text=True, cwd=REPO)
        assert result.returncode == 0, result.stderr
        return result.stderr.strip().splitlines()[-1]

    assert build_imports("--site-dir", str(tmp_path / "full"), "--full") == "['feedgen']"
    powers = tmp_path / "catalog" / "powers" / "demo.yaml"  # a power's page: no feed lists powers
    powers.write_text(powers.read_text(encoding="utf-8").replace("name: 示例许可", "name: 示例许可（变更）"),
                      encoding="utf-8")
    assert build_imports("--site-dir", str(site)) == "[]"
    assert build_imports("--site-dir", str(tmp_path / "full"), "--full") == "['feedgen']"
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_a_project_moved_with_its_site_is_read_afresh_and_builds_as_a_full_build_does(tmp_path):
    """What a build keeps names the catalog's files where they were read (attachments by absolute path): a project
    moved, or copied, with its site and cache is read afresh at its new place. Kept, the items named their
    attachments at the old place, and the next build failed with E-ATTACHMENT-OUTSIDE."""
    first = make_project(tmp_path / "before", source=EXAMPLE)
    result = gongkai("build", "--today", TODAY, cwd=first)
    assert result.returncode == 0, result.stderr
    shutil.move(tmp_path / "before", tmp_path / "after")
    project = tmp_path / "after" / "project"
    for args in ((), ("--site-dir", "full", "--full")):
        result = gongkai("build", "--today", TODAY, *args, cwd=project)
        assert result.returncode == 0, result.stderr
    assert tree_digest(project / "site") == tree_digest(project / "full")


def test_a_project_renamed_while_it_is_previewed_is_read_afresh(tmp_path, monkeypatch):
    """`gongkai serve` keeps what it parsed in memory: the project renamed while it runs (the working directory
    follows it) is read afresh there too, not from the items naming their attachments at the old place."""
    project = make_project(tmp_path / "before", source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(Path("catalog"), dt.date.fromisoformat(TODAY))
    memory = Memory()
    build(Path("mkdocs.yml"), Path("site"), options, memory)
    shutil.move(tmp_path / "before", tmp_path / "after")
    monkeypatch.chdir(tmp_path / "after" / "project")
    build(Path("mkdocs.yml"), Path("site"), options, memory)
    build(Path("mkdocs.yml"), Path("full"), dataclasses.replace(options, full=True))
    assert tree_digest(Path("site")) == tree_digest(Path("full"))


def test_the_listings_kept_show_the_very_views_kept_with_them(tmp_path):
    """The next build patches the kept listings by their rows' identity with its views (views.make_listings): read
    back from the cache after a build of the whole site, and after a change saved beside the base, the listings'
    rows are the very views the cache holds, but for the reports' (made by every build, never kept) and, after the
    change, the changed item's: the listings are the base's, its view is the change's."""
    catalog, site = generate(tmp_path / "catalog", 600), tmp_path / "site"
    _build(catalog, site)
    for changed in (False, True):
        parts, journal = BuildCache(site).load_parts("items", code_fingerprint(REPO / "overrides"))
        kept = pipeline.Kept.of(parts, journal)
        views = kept.views.views
        # Each view's item is the very item parsed, pickled once: in the base's table (fields.InPartTable), or with
        # the changes.
        parsed = {id(item) for item, _, _ in kept.files.parsed.values()}
        assert all(id(view.item) in parsed for view in views.values())
        rows = [view for listings in kept.views.listings.values() for listing in listings for view in listing.items]
        assert len({view.url for view in rows}) > 500 and len(rows) > 3 * 500
        not_kept = {view.url for view in rows if views.get(view.url) is not view}
        edited = {url for url, view in views.items() if view.item.title.endswith("（修订）")}
        reports = {view.url for view in rows if view.item.annual_report is not None}
        assert reports and not_kept == reports | edited and len(edited) == changed
        assert bool(journal.changes) == changed and "site_listings" not in journal.changes
        if not changed:
            item = sorted((catalog / "items").rglob("*.md"))[5]
            item.write_text(re.sub(r"^title: (.*)$", r"title: \1（修订）", item.read_text(encoding="utf-8"),
                                   count=1, flags=re.M), encoding="utf-8")
            _build(catalog, site)


def test_an_attachment_replaced_with_the_same_size_and_times_is_copied_again(tmp_path):
    """Once its status has settled, an attachment's digest is remembered beside it rather than read and hashed on
    every build. A new version of the same size and modification time (a tool that keeps times) is still copied:
    saved right after a build, and long after one."""
    catalog = make_catalog(tmp_path)
    annex, site = catalog / "items" / "2026" / "annex.txt", tmp_path / "site"
    copied = site / "items" / "11220000013544357T_2026-00001" / "annex.txt"
    settle = SETTLED_NS / 1e9 + 0.2
    annex.write_bytes(b"version 1")
    for version, wait in ((b"version 2", 0), (b"version 3", settle)):
        time.sleep(settle)
        _build(catalog, site)  # which remembers the annex's digest by its settled status
        parts, _ = BuildCache(site).load_parts("items", code_fingerprint(REPO / "overrides"))
        assert str(annex.resolve()) in parts["copied"]
        before = annex.stat()
        annex.write_bytes(version)
        os.utime(annex, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert annex.stat().st_size == before.st_size and annex.stat().st_mtime_ns == before.st_mtime_ns
        time.sleep(wait)
        _build(catalog, site)
        assert copied.read_bytes() == version
    _build(catalog, tmp_path / "full", None, "--full")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_a_large_attachment_is_copied_without_being_read_whole(tmp_path):
    """An attachment was read whole into memory to be copied, by whichever writer process copied it: a video of
    gigabytes held as much memory (its digest was already read in chunks). The system copies it now; the build's
    largest process stays far below the attachment's size."""
    catalog = make_catalog(tmp_path)
    size = 2**28
    with (catalog / "items" / "2026" / "annex.txt").open("wb") as file:
        file.truncate(size)  # sparse: made at once
    measured = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, capture_output=True); "
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")  # KiB: the largest process waited for
    result = subprocess.run([sys.executable, "-c", measured, sys.executable, "-m", "builder", "build", "--catalog",
                             str(catalog), "--today", TODAY, "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "items" / "11220000013544357T_2026-00001" / "annex.txt").stat().st_size == size
    assert int(result.stdout) * 1024 < size / 2


def test_sitemap_files_left_as_they_were_are_all_there(tmp_path, monkeypatch):
    """Where the pages need several sitemap files, a correction leaves them all; one deleted from the site is written
    again by the next build, with the others as a full build writes them."""
    monkeypatch.setattr(sitemap, "SITEMAP_URLS", 20)
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    site = project / "site"
    build(project / "mkdocs.yml", site, options)
    files = sorted(site.glob("sitemap*"))
    assert len(files) >= 5 and (site / "sitemap-3.xml").is_file()
    before = {path.name: _inode(path) for path in files}
    item = project / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    build(project / "mkdocs.yml", site, options)
    assert {path.name: _inode(path) for path in sorted(site.glob("sitemap*"))} == before
    (site / "sitemap-3.xml").unlink()
    build(project / "mkdocs.yml", site, options)
    build(project / "mkdocs.yml", project / "full", dataclasses.replace(options, full=True))
    assert tree_digest(site) == tree_digest(project / "full")
    # A change recorded on an item changes its page's day, and no address: the sitemap is made again.
    item.write_text(item.read_text(encoding="utf-8").replace(
        "\n---\n", "\nchanges:\n  - changed: 2026-11-20\n    note: 更正\n---\n", 1), encoding="utf-8")
    for folder, full in ((site, False), (project / "full", True)):
        build(project / "mkdocs.yml", folder, dataclasses.replace(options, full=full))
    row = "<loc>https://xxgk.example.gov.cn/items/11220000013544357T_2014-00026.html</loc><lastmod>2026-11-20</lastmod>"
    assert row in "".join(path.read_text(encoding="utf-8") for path in site.glob("sitemap-*.xml"))
    assert tree_digest(site) == tree_digest(project / "full")


def test_an_attachment_that_grew_shows_its_new_size_on_its_items_page(tmp_path):
    """The view of an unchanged item is kept (views.KeptViews), but the size of each attachment it shows is looked
    at again: a file replaced without its item shows its new size."""
    catalog = make_catalog(tmp_path)
    annex, site = catalog / "items" / "2026" / "annex.txt", tmp_path / "site"
    page = site / "items" / "11220000013544357T_2026-00001.html"
    annex.write_bytes(b"version 1")
    _build(catalog, site)
    assert "9 B" in page.read_text(encoding="utf-8")
    annex.write_bytes(b"version 2" * 1000)
    _build(catalog, site)
    assert "8.8 KB" in page.read_text(encoding="utf-8")
    _build(catalog, tmp_path / "full", None, "--full")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_files_deleted_from_the_site_are_written_again_by_the_next_build(tmp_path):
    """A page, a copied attachment and a feed removed by hand (or by a deploy tool) are not left missing: the next
    build, which changes nothing else, writes them again as a full build would."""
    site, _ = make_site(tmp_path)
    catalog = tmp_path / "catalog"
    page = site / "items" / "11220000013544357T_2026-00001.html"
    gone = [page, page.with_suffix("") / "annex.txt", next(site.glob("feeds/*.xml"))]
    for path in gone:
        path.unlink()
    _build(catalog, site)
    assert all(path.is_file() for path in gone)
    _build(catalog, tmp_path / "full", None, "--full")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_the_pages_of_a_series_written_again_are_those_each_asked_alone_would_be(tmp_path):
    """``BuildCache.rewritten`` compares a series' keys at once: the pages it names are those ``reuse``, asked one
    by one, would not leave as they are: a key changed, a page without a key, a page gone from the site, a new one;
    and every page while the theme's output is another."""
    site, _ = make_site(tmp_path)
    cache = BuildCache(site)
    cache.fingerprint = cache.previous_fingerprint
    paths = sorted(path for path, key in cache.previous.items() if key and path.endswith(".html"))
    keys = [cache.previous[path] for path in paths]
    keys[0], keys[1] = "another", ""
    (site / paths[2]).unlink()
    paths.append("items/new.html")
    keys.append("new")
    one_by_one = [place for place, (path, key) in enumerate(zip(paths, keys)) if not cache.reuse(path, key)]
    assert cache.rewritten(paths, keys) == one_by_one == [0, 1, 2, len(paths) - 1]
    cache.fingerprint = "another theme"
    assert cache.rewritten(paths, keys) == list(range(len(paths)))


def test_what_a_build_keeps_in_the_background_is_waited_for_by_the_next(tmp_path):
    """A large site's build records what it kept for the next one in a forked process once its site is committed,
    and ends meanwhile; a later build reads nothing of the cache before that record is done. The keeper holds none
    of the build's open files but its lock: a pipe reading the build's output ends with the build."""
    site = tmp_path / "site"
    cache = BuildCache(site)
    record = cache.folder / "record"
    read, written = os.pipe()  # as the build's output, or the search index's fork server's connection

    def keep():
        time.sleep(0.6)
        record.write_text(json.dumps(sorted(map(int, os.listdir("/proc/self/fd")))), encoding="utf-8")

    started = time.monotonic()
    cache.keep_in_background(keep)
    returned = time.monotonic() - started
    os.close(written)
    with os.fdopen(read, "rb") as pipe:
        assert pipe.read() == b"" and time.monotonic() - started < 0.5  # ended with this process's end of it
    assert not record.exists() and returned < 0.5
    BuildCache(site)  # waits for the keeper
    assert time.monotonic() - started >= 0.6
    held = json.loads(record.read_text(encoding="utf-8"))  # the standard three, its lock, the record being written
    assert len(held) == 5 and held[:3] == [0, 1, 2]
    BuildCache(site, read=False)  # --full waits too, and clears what was kept
    assert not record.exists()


def test_files_deleted_from_folders_the_last_build_left_settled_are_written_again(tmp_path):
    """The next build looks only into the folders whose status moved since the last build recorded it: a page
    deleted, a page replaced by a folder of its name, and a whole folder of a listing's pages deleted, each after
    the folders settled, are all written again, and the site is a full build's."""
    site, _ = make_site(tmp_path)
    catalog = tmp_path / "catalog"
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    _build(catalog, site)  # nothing changed: it records the folders, settled now
    folders = BuildCache(site)._read_pickle(FOLDERS, VERSION)["folders"]
    assert folders["items"] is not None and folders["feeds"] is not None
    page = site / "items" / "11220000013544357T_2026-00001.html"
    replaced = next(site.glob("feeds/*.xml"))
    listing = next(path for path in site.glob("years/*") if path.is_dir())
    page.unlink()
    replaced.unlink()
    replaced.mkdir()
    shutil.rmtree(listing)
    found = BuildCache(site).missing_files()
    assert {site / path for path in found} >= {page, replaced, listing / "index.html"}
    assert all(path.parent in (page.parent, replaced.parent) or listing in path.parents
               for path in (site / p for p in found))
    shutil.rmtree(replaced)  # left in the way, it stops the update, which says so (UpdateNotApplied)
    _build(catalog, site)
    assert page.is_file() and replaced.is_file() and (listing / "index.html").is_file()
    _build(catalog, tmp_path / "full", None, "--full")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_a_record_of_the_folders_is_trusted_only_for_the_manifest_it_was_made_with(tmp_path):
    """A folder whose status is what the record says is not looked into; a record made with another manifest (a
    build that failed after recording, an update finished by the next build) is not used at all."""
    site, _ = make_site(tmp_path)
    page = site / "items" / "11220000013544357T_2026-00001.html"
    page.unlink()
    cache = BuildCache(site)
    now = {folder: file_status(f"{site}{os.sep}{folder}") for folder in
           {path.rpartition("/")[0] for path, key in cache.previous.items() if key}}
    cache._write_pickle(FOLDERS, {"manifest": "another", "folders": now}, VERSION)
    assert BuildCache(site).missing_files() == {"items/11220000013544357T_2026-00001.html"}
    cache._write_pickle(FOLDERS, {"manifest": cache.previous_id, "folders": now}, VERSION)
    assert BuildCache(site).missing_files() == frozenset()  # as recorded: trusted


def test_an_edited_page_of_the_offices_leaves_the_sites_sitemap(tmp_path, monkeypatch):
    """mkdocs renders a hand-written page again, and the site's sitemap (every page, each item's day) stays as it was,
    the same file: the theme's sitemap, of mkdocs' own pages only, is never made, not even as a copy of its
    template."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    site = project / "site"
    build(project / "mkdocs.yml", site, options)
    sitemap = site / "sitemap.xml"
    before = sitemap.read_bytes(), _inode(sitemap)
    assert b"/items/" in before[0] and b"{%" not in before[0]
    page = next((project / "content").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    build(project / "mkdocs.yml", site, options)
    assert (sitemap.read_bytes(), _inode(sitemap)) == before
    build(project / "mkdocs.yml", project / "full", dataclasses.replace(options, full=True))
    assert tree_digest(site) == tree_digest(project / "full")


def test_changing_mkdocs_yml_rebuilds_every_page(tmp_path):
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    config = _config(tmp_path, catalog)
    site = tmp_path / "site"
    _build(catalog, site, config)
    page = next(site.glob("items/*.html"))
    before = _inode(page)
    config.write_text(config.read_text(encoding="utf-8").replace("navigation.top", "navigation.footer"),
                      encoding="utf-8")
    _build(catalog, site, config)
    assert _inode(page) != before, "a page was reused although the theme's configuration changed"
    full = tmp_path / "full"
    _build(catalog, full, config, "--full")
    assert tree_digest(site) == tree_digest(full)


def test_a_site_put_back_from_elsewhere_is_not_trusted(tmp_path):
    """The cache describes one site directory: a copy put in its place (from a backup, by a deploy tool) may hold
    anything, so nothing of it is reused, and it is not replaced either: staff are told to check and remove it."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    shutil.copytree(site, tmp_path / "copy")
    shutil.rmtree(site)
    (tmp_path / "copy").rename(site)
    page = next(site.glob("items/*.html"))
    page.write_text("edited by hand", encoding="utf-8")
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 1 and "不是 gongkai 生成的网站" in result.stderr
    assert page.read_text(encoding="utf-8") == "edited by hand"
    shutil.rmtree(site)
    _build(catalog, site)
    assert page.read_text(encoding="utf-8") != "edited by hand"


def _recorded(site: Path) -> None:
    """``site`` recorded as a build of its cache made it (``BuildCache.may_replace_site``), as every build records it."""
    folder = site.with_name(f".{site.name}-gongkai-cache")
    folder.mkdir(exist_ok=True)
    (folder / "site.json").write_text(json.dumps({"site_inodes": [site.stat().st_ino]}), encoding="utf-8")


def test_an_interrupted_update_is_finished_by_the_next_build(tmp_path):
    """Applying a staged update is journaled: if it stops half way, the next build completes it first."""
    site, staging = tmp_path / "site", tmp_path / ".site-stage-x"
    (site / "a").mkdir(parents=True)
    (site / "a" / "old.html").write_text("old", encoding="utf-8")
    (site / "gone.html").write_text("gone", encoding="utf-8")
    (staging / "a").mkdir(parents=True)
    (staging / "a" / "old.html").write_text("new", encoding="utf-8")
    manifest = {"version": VERSION, "fingerprint": "f", "site_inode": site.stat().st_ino,
                "files": {"a/old.html": "k"}, "theme": None}
    folder = tmp_path / ".site-gongkai-cache"
    _recorded(site)
    BuildCache(site, read=False)._write_pickle("manifest.pending", manifest, VERSION)  # as a build writes it
    (folder / "journal.json").write_text(json.dumps({"staging": str(staging), "delete": ["gone.html"]}),
                                         encoding="utf-8")
    # What the update's search index kept for the next build goes with it (the last build's is replaced).
    for name, text in (("search", "last"), ("search.new", "this")):
        (folder / name).mkdir()
        (folder / name / "index.pickle").write_text(text, encoding="utf-8")
    cache = BuildCache(site)
    assert (site / "a" / "old.html").read_text(encoding="utf-8") == "new"
    assert not (site / "gone.html").exists()
    assert not (folder / "journal.json").exists()
    assert cache.in_place and cache.previous == {"a/old.html": "k"}
    assert (folder / "search" / "index.pickle").read_text(encoding="utf-8") == "this"
    assert not (folder / "search.new").exists()


def test_an_update_that_could_not_be_applied_is_finished_by_the_next_build(tmp_path):
    """Applying the staged update fails half way (here a page's place is taken by a folder; in life a file that
    cannot be replaced, a full disk): the build fails, its update stays staged under the journal, and the next
    build, once the obstacle is gone, finishes it before building. The site is then the full build's."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    retitled = catalog / RETITLED
    retitled.write_text(retitled.read_text(encoding="utf-8").replace("title: ", "title: （修订）", 1), encoding="utf-8")
    listing = site / "organs" / "jiyuan-city" / "index.html"  # shows the title: in the update
    listing.unlink()
    (listing / "in-the-way").mkdir(parents=True)
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode != 0 and "的更新未能完成" in result.stderr and "重新运行 gongkai build" in result.stderr
    assert "内部错误" not in result.stderr
    staging = Path(json.loads((tmp_path / ".site-gongkai-cache" / "journal.json").read_text(encoding="utf-8"))["staging"])
    assert staging.is_dir() and any(staging.rglob("*.html")), "the update stays staged for the next build"
    shutil.rmtree(listing)
    _build(catalog, site)
    _build(catalog, tmp_path / "full", None, "--full")
    assert tree_digest(site) == tree_digest(tmp_path / "full")


def test_a_page_whose_name_becomes_a_folder_of_files_and_back_is_updated_in_place(tmp_path):
    """An item with an attachment takes the 索引号 whose page was its old page's name (…00026 → …00026.html): the old
    page's file is where the new folder of its files goes, and back again. The update clears what is in the way
    first (it could not otherwise be applied, by this build or any later one), and the site is a full build's."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    item = tmp_path / "catalog" / ITEM
    original = item.read_text(encoding="utf-8")
    old = re.search(r"^index_no: (.+)$", original, re.MULTILINE).group(1)
    page = site / "items" / f"{old.replace('/', '_')}.html"
    assert page.is_file() and (site / "items" / page.stem).is_dir(), "a page, and beside it its attachments' folder"
    for text in (original.replace(f"index_no: {old}", f"index_no: {old}.html"), original):
        item.write_text(text, encoding="utf-8")
        _build(tmp_path / "catalog", site)
        shutil.rmtree(tmp_path / "full", ignore_errors=True)
        _build(tmp_path / "catalog", tmp_path / "full", None, "--full")
        assert tree_digest(site) == tree_digest(tmp_path / "full")
        assert page.is_dir() == (text != original)


def test_folders_left_empty_by_withdrawn_pages_go(tmp_path):
    """Thirty publications give an organ, a category, a year and a topic a second listing page; withdrawn, the next
    build deletes those pages and the folder they leave empty (page/), as a full build has none."""
    text = (EXAMPLE / RETITLED).read_text(encoding="utf-8")
    added = {f"items/jiyuan-city/2024/added-{n}.md": text.replace("2024-00058", f"2024-{100 + n:05d}")
             for n in range(30)}
    site, _ = make_site(tmp_path, source=EXAMPLE, files=added)
    assert (site / "organs" / "jiyuan-city" / "page" / "2.html").is_file()
    for path in added:
        (tmp_path / "catalog" / path).unlink()
    _build(tmp_path / "catalog", site)
    _build(tmp_path / "catalog", tmp_path / "full", None, "--full")
    assert not (site / "organs" / "jiyuan-city" / "page").exists()
    assert tree_digest(site) == tree_digest(tmp_path / "full")  # folders included


def test_an_attachment_linked_elsewhere_is_read_again(tmp_path):
    """An attachment made a symbolic link, then pointed at another file, then outside the catalog, its item file
    untouched: each build publishes what the link points at now (as a full build does), and one pointing outside
    stops it; as does the folder of an attachment made a link outside."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    folder = (tmp_path / "catalog" / ITEM).parent
    attachment = folder / "吉林省法治政府建设指标体系.txt"
    (folder / "v1.txt").write_text("第一版", encoding="utf-8")
    (folder / "v2.txt").write_text("第二版，内容更长一些。" * 20, encoding="utf-8")
    outside = tmp_path / "outside.txt"
    outside.write_text("目录之外的文件", encoding="utf-8")
    for step, target in enumerate(("v1.txt", "v2.txt")):
        attachment.unlink()
        attachment.symlink_to(target)
        _build(tmp_path / "catalog", site)
        _build(tmp_path / "catalog", tmp_path / f"full-{step}", None, "--full")
        assert tree_digest(site) == tree_digest(tmp_path / f"full-{step}"), target
    attachment.unlink()
    attachment.symlink_to(outside)
    result = gongkai("build", "--catalog", str(tmp_path / "catalog"), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 1 and "E-ATTACHMENT-OUTSIDE" in result.stdout
    # The attachment in a folder of its own, then that folder made a link outside the catalog.
    item = tmp_path / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("file: 吉林省", "file: sub/吉林省"), encoding="utf-8")
    (folder / "sub").mkdir()
    attachment.unlink()
    (folder / "v1.txt").rename(folder / "sub" / attachment.name)
    _build(tmp_path / "catalog", site)
    shutil.move(folder / "sub", tmp_path / "elsewhere")
    (folder / "sub").symlink_to(tmp_path / "elsewhere")
    result = gongkai("build", "--catalog", str(tmp_path / "catalog"), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 1 and "E-ATTACHMENT-OUTSIDE" in result.stdout


def test_a_resumed_update_removes_folders_whose_own_folder_went_before(tmp_path):
    """An update interrupted after it removed a withdrawn listing page and its folder (page/2/): finished by the next
    build, it removes the folders left empty above it too (page/), and keeps those that still hold files."""
    site, staging = tmp_path / "site", tmp_path / ".site-stage-y"
    (site / "organs" / "x" / "page").mkdir(parents=True)
    (site / "organs" / "x" / "index.html").write_text("x", encoding="utf-8")
    staging.mkdir()
    folder = tmp_path / ".site-gongkai-cache"
    manifest = {"version": VERSION, "fingerprint": "f", "site_inode": site.stat().st_ino, "files": {}, "theme": None}
    _recorded(site)
    BuildCache(site, read=False)._write_pickle("manifest.pending", manifest, VERSION)
    (folder / "journal.json").write_text(json.dumps({"staging": str(staging), "delete": [
        "organs/x/page/2/index.html"]}), encoding="utf-8")
    BuildCache(site)
    assert not (site / "organs" / "x" / "page").exists() and (site / "organs" / "x" / "index.html").is_file()


def test_failed_build_in_place_leaves_the_site_untouched(tmp_path):
    site, _ = make_site(tmp_path, source=EXAMPLE)
    catalog = tmp_path / "catalog"
    before = tree_digest(site)
    broken = catalog / ITEM
    broken.write_text(broken.read_text(encoding="utf-8").replace("title:", "title: [", 1), encoding="utf-8")
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 1 and "E-YAML-SYNTAX" in result.stdout
    assert tree_digest(site) == before


def test_a_build_removes_what_a_killed_writer_of_its_cache_began(tmp_path):
    """The next base of what a build keeps is written by a process of its own after the build (BuildCache.
    save_in_background): one killed part way (its service stopped) leaves its temporary, which the next build
    removes, or they would pile up (~100 MB each at 100,000 items)."""
    site, _ = make_site(tmp_path, source=EXAMPLE)
    folder = tmp_path / ".site-gongkai-cache"
    killed = subprocess.Popen([sys.executable, "-c", BEGUN_WRITER, str(folder / "items.pickle")], stdout=subprocess.PIPE,
                              text=True)
    left = Path(killed.stdout.readline().strip())
    killed.kill()
    killed.wait()
    assert left.parent == folder and left.name.startswith(".items.pickle.")
    _build(tmp_path / "catalog", site)
    assert not left.exists() and (folder / "items.pickle").is_file()


# A writer of a kept value that begins it, says which file it began, and then never finishes.
BEGUN_WRITER = ("import sys, time\nfrom pathlib import Path\nfrom search import stored\n"
                "file = stored.begin(Path(sys.argv[1]))\nprint(file.name, flush=True)\ntime.sleep(600)")
# One that then writes, half a second later, the base of what a build keeps (``BuildCache.load_parts`` reads it) with
# ``sys.argv[2]`` as its one item, tagged by the code ``sys.argv[3]``.
LATE_WRITER = ("import sys, time\nfrom pathlib import Path\nfrom search import stored\npath = Path(sys.argv[1])\n"
               "file = stored.begin(path)\nprint(file.name, flush=True)\ntime.sleep(0.5)\n"
               "stored.finish(file, path, {'id': 'late', 'parts': {'parsed': {'a': sys.argv[2]}}}, sys.argv[3])")


def test_leftovers_of_killed_writers_go_and_a_running_writers_stay(tmp_path):
    """What is left beside the site (``remove_leftovers``) is told by the writers' locks: a temporary of a writer
    still at work stays, whatever the process numbers say."""
    cache = BuildCache(tmp_path / "site")
    writers = [subprocess.Popen([sys.executable, "-c", BEGUN_WRITER, str(cache.folder / "items.pickle")],
                                stdout=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        killed, running = writers
        left, begun = (Path(writer.stdout.readline().strip()) for writer in writers)
        killed.kill()
        killed.wait()
        cache.remove_leftovers()
        assert not left.exists() and begun.exists()
    finally:
        for writer in writers:
            writer.kill()
            writer.wait()
            writer.stdout.close()


def test_a_value_saved_while_the_last_is_being_written_is_the_one_kept(tmp_path):
    """A process that builds again and again (`gongkai serve`) may save what it keeps while the writer of its last
    save is still at work: the later value must be the one left in place, not whichever writer ends last."""
    cache, code = BuildCache(tmp_path / "site"), code_fingerprint(None)
    late = subprocess.Popen([sys.executable, "-c", LATE_WRITER, str(cache.folder / "items.pickle"), "older", code],
                            stdout=subprocess.PIPE, text=True)
    try:
        late.stdout.readline()  # it has begun
        journal = cache.save_parts("items", {"parsed": {"a": "newer"}}, {}, Journal(), code)
        assert cache.load_parts("items", code) == ({"parsed": {"a": "newer"}}, journal)
    finally:
        late.kill()
        late.wait()
        late.stdout.close()


def test_a_parse_cache_pickled_by_other_code_is_not_used(tmp_path):
    cache = BuildCache(tmp_path / "site")
    cache.folder.mkdir(parents=True)
    (cache.folder / "items.pickle").write_bytes(pickle.dumps(("another release", {"item": "parsed by it"})))
    code = code_fingerprint(None)
    assert cache.load_parts("items", code) == ({}, Journal())
    cache.save_parts("items", {"parsed": {"a": 1}}, {}, Journal(), code)
    assert cache.load_parts("items", code)[0] == {"parsed": {"a": 1}}
    assert cache.load_parts("items", code_fingerprint(REPO / "overrides")) == ({}, Journal())


def test_a_few_changes_are_written_beside_the_base_and_read_back_with_it(tmp_path):
    cache, code = BuildCache(tmp_path / "site"), code_fingerprint(None)
    first = {"parsed": {n: f"item {n}" for n in range(100)}, "context": {"": "day 1"}}
    journal = cache.save_parts("items", first, {}, Journal(), code)
    parts, on_disk = cache.load_parts("items", code)
    assert parts == first and on_disk == journal and on_disk.size == 101
    second = {"parsed": {n: f"item {n}" for n in range(1, 100)} | {7: "changed", 100: "new"}, "context": {"": "day 1"}}
    journal = cache.save_parts("items", second, parts, journal, code)
    assert journal.base == on_disk.base  # a few changes: the base stays
    assert (cache.folder / "items.changes.pickle").exists()
    parts, on_disk = cache.load_parts("items", code)
    assert parts == second and on_disk == journal
    # The base's entries that no change replaced in its order, then the changed ones (a part kept in order knows
    # which may have moved: KeptViews.settled).
    assert list(parts["parsed"]) == [n for n in range(1, 100) if n != 7] + [7, 100]
    third = second | {"parsed": {n: v for n, v in second["parsed"].items() if n != 100} | {0: "back"}}
    journal = cache.save_parts("items", third, parts, journal, code)
    assert cache.load_parts("items", code) == (third, journal)
    many = {"parsed": {n: f"again {n}" for n in range(100)}, "context": {"": "day 2"}}
    rebased = cache.save_parts("items", many, third, journal, code)
    assert rebased.base != journal.base and rebased.changes == {}
    assert cache.load_parts("items", code) == (many, rebased)  # waited for, as it is written


def test_a_part_kept_with_its_base_only_is_read_back_as_the_base_had_it_until_the_next_base(tmp_path):
    """The listings refer to the base's views (pipeline.Kept.BASE_ONLY): never written with the changes, where they
    would be copies, they are read back as the base holds them, whatever the builds since had, and written again
    with the next base."""
    cache, code = BuildCache(tmp_path / "site"), code_fingerprint(None)
    first = {"parsed": {n: f"item {n}" for n in range(100)}, "listed": {"rows": ["item 1", "item 2"]}}
    journal = cache.save_parts("items", first, {}, Journal(), code, base_only=["listed"])
    parts, journal = cache.load_parts("items", code)
    second = {"parsed": first["parsed"] | {7: "changed"}, "listed": {"rows": ["changed"]}}
    journal = cache.save_parts("items", second, parts, journal, code, base_only=["listed"])
    assert journal.base and "listed" not in journal.changes
    parts, on_disk = cache.load_parts("items", code)
    assert parts == {"parsed": second["parsed"], "listed": first["listed"]} and on_disk == journal
    many = {"parsed": {n: f"again {n}" for n in range(100)}, "listed": {"rows": ["again"]}}
    rebased = cache.save_parts("items", many, parts, journal, code, base_only=["listed"])
    assert rebased.base != journal.base
    assert cache.load_parts("items", code) == (many, rebased)


def test_the_item_files_statuses_are_kept_as_a_base_and_the_changes_since(tmp_path):
    """The record of the item files' statuses is saved as a build's kept parts are: after one file's change only its
    entry is written beside the base (a whole record of 100,000 entries took ~0.1 s of every change), and read back
    with it; a record of another format (an earlier release's plain dictionary) is none."""
    cache = BuildCache(tmp_path / "site")
    cache.folder.mkdir(parents=True)
    stored.save(cache.folder / "statuses.pickle", {"/c/items/a.md": ((1, 1, 1, 1), "sha1")}, VERSION)
    assert cache.load_statuses() == ({}, {})
    first = {f"/c/items/{n}.md": ((n, n, n, n), f"sha1 {n}") for n in range(100)}
    cache.save_statuses(first, {})
    cache = BuildCache(tmp_path / "site")
    assert cache.load_statuses() == (first, {})
    base = (cache.folder / "statuses.pickle").read_bytes()
    second = first | {"/c/items/7.md": ((70, 70, 70, 70), "sha1 changed")}
    cache.save_statuses(second, first)
    assert (cache.folder / "statuses.pickle").read_bytes() == base
    assert len((cache.folder / "statuses.changes.pickle").read_bytes()) < len(base) / 4
    assert BuildCache(tmp_path / "site").load_statuses() == (second, {})
    # The folders' first listings go into a new base; a listing changed since, beside it.
    listings = {f"/c/items/{n}": f"listing {n}" for n in range(5)}
    cache.save_statuses(second, second, listings, {})
    rebased = (cache.folder / "statuses.pickle").read_bytes()
    assert rebased != base and BuildCache(tmp_path / "site").load_statuses() == (second, listings)
    relisted = listings | {"/c/items/3": "listing 3 again"}
    cache.save_statuses(second, second, relisted, listings)
    assert (cache.folder / "statuses.pickle").read_bytes() == rebased
    assert BuildCache(tmp_path / "site").load_statuses() == (second, relisted)
    # Saved with nothing read before it (a catalog moved, its record set aside): a new base, none of the old entries.
    moved = {"/d/items/1.md": ((1, 1, 1, 1), "sha1 1")}
    cache.save_statuses(moved, {})
    assert BuildCache(tmp_path / "site").load_statuses() == (moved, {})


def test_changes_told_by_the_entries_made_anew_are_those_found_by_comparing_every_entry():
    """A part whose maker names the entries it made anew (the items read, checked and viewed again) is compared on
    those alone: random entries kept (the very objects), made anew equal or different, added and removed, the
    changes are what comparing every entry gives."""
    rng = random.Random(11)
    for _ in range(300):
        previous = {f"k{n}": [n] for n in range(rng.randrange(0, 12))}
        current, renewed = {}, []
        for key, value in previous.items():
            fate = rng.choice(["kept", "kept", "equal", "other", "gone"])
            if fate != "gone":
                current[key] = value if fate == "kept" else [value[0]] if fate == "equal" else [-1]
                renewed += [] if fate == "kept" else [key]
        for n in range(rng.randrange(0, 3)):
            current[f"new{n}"] = [n]
            renewed.append(f"new{n}")
        renewed += rng.sample(["gone-too", *previous], k=min(2, len(previous)))  # named, yet kept or gone: harmless
        assert _changes(previous, current, renewed) == _changes(previous, current), (previous, current, renewed)


def test_after_a_failed_build_a_process_that_builds_again_saves_what_it_keeps_as_a_new_base(tmp_path, monkeypatch):
    """`gongkai serve` replaces what it keeps as a build goes: after one that failed late (an organ renamed, so
    every view changed, then the plan failing), the next build cannot write its changes against the cache on disk
    as if that held what the process keeps. It writes a new base, which reads back as what the process keeps."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    code = code_fingerprint(project / "overrides")
    memory = Memory()
    build(project / "mkdocs.yml", project / "site", options, memory)
    first = BuildCache(project / "site").load_parts("items", code)[1].base
    organ = project / "catalog" / "organs" / "jiyuan-city.yaml"
    organ.write_text(organ.read_text(encoding="utf-8").replace("济源市人民政府", "济源市政府", 1), encoding="utf-8")

    def plan_fails(*args):
        raise OSError("the disk went away")

    with monkeypatch.context() as failing:
        failing.setattr(pipeline, "build_site", plan_fails)
        with pytest.raises(Exception):
            build(project / "mkdocs.yml", project / "site", options, memory)
    build(project / "mkdocs.yml", project / "site", options, memory)
    parts, journal = BuildCache(project / "site").load_parts("items", code)
    assert journal.base == memory.journal.base != first
    # A catalog with errors, met every day in a preview, changes nothing that is kept: no new base after it.
    kept, saved = memory.kept, memory.journal
    broken = project / "catalog" / RETITLED
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("published: ", "published: 不是日期 #", 1), encoding="utf-8")
    with pytest.raises(Exception):
        build(project / "mkdocs.yml", project / "site", options, memory)
    assert memory.kept is kept and memory.journal is saved
    broken.write_text(text, encoding="utf-8")
    build(project / "mkdocs.yml", project / "site", options, memory)
    assert memory.journal.base == saved.base
    assert parts["views_context"][""] == memory.kept.views.context
    names = {view.organ_name for view in parts["views"].values()}
    assert "济源市政府" in names and "济源市人民政府" not in names


def _noting(made_in: dict[str, Path], name: str, step):
    """``step``, first writing the id of the process that runs it into ``made_in[name]``."""
    def run(*args, **options):
        made_in[name].write_text(str(os.getpid()), encoding="utf-8")
        return step(*args, **options)
    return run


@pytest.mark.skipif(worker_count() < 2, reason="one core: nothing to share")
def test_a_build_of_the_whole_site_makes_its_search_documents_in_a_worker_while_it_validates(tmp_path, monkeypatch):
    """Below PARALLEL_STEPS_FROM items, a build that kept no views (here the first) has a forked worker make and hand
    over the search documents and check the addresses while it validates; a build after a change makes its few
    documents here, as before. Both sites are the ones a build in one process makes (the property tests compare
    many more)."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    made_in = {name: tmp_path / f"{name}-made-in"
               for name in ("site_search_documents", "url_problems", "problems_found")}
    for name in made_in:
        monkeypatch.setattr(pipeline, name, _noting(made_in, name, getattr(pipeline, name)))
    here = str(os.getpid())

    def made() -> dict[str, str]:
        return {name: "here" if file.read_text(encoding="utf-8") == here else "worker" for name, file in made_in.items()}

    def as_in_one_process(name: str) -> bool:
        with monkeypatch.context() as serially:
            serially.setattr(pools, "worker_count", lambda: 1)
            build(project / "mkdocs.yml", project / name, dataclasses.replace(options, full=True))
        return tree_digest(project / "site") == tree_digest(project / name)

    build(project / "mkdocs.yml", project / "site", options)
    assert made() == {"site_search_documents": "worker", "url_problems": "worker", "problems_found": "here"}
    assert as_in_one_process("serial-0")
    item = project / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    build(project / "mkdocs.yml", project / "site", options)
    assert made() == {"site_search_documents": "here", "url_problems": "here", "problems_found": "here"}
    assert as_in_one_process("serial-1")
    assert any("补充说明" in d["s"] for d in search_records(project / "site" / "search").values())


@pytest.mark.skipif(worker_count() < 2, reason="one core: nothing to share")
def test_a_large_catalog_shares_its_steps_between_the_cores_and_builds_the_same_site(tmp_path, monkeypatch):
    """From PARALLEL_STEPS_FROM items, a forked worker checks the addresses while validation runs (after a change,
    when the change claims one: ``test_a_build_after_a_change_checks_the_addresses_that_changed``); in a build of the
    whole site, one makes and hands over the search documents while the pages are planned; after a change, one scans
    the item files and the site while the cache is read, and the few documents are made here. The site, its index
    included, is the one the serial way builds, first and after a change (a page deleted from the site meanwhile
    written again), and what the worker finds is reported."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    made_in = {name: tmp_path / f"{name}-made-in" for name in ("site_search_documents", "url_problems")}

    for name in made_in:
        monkeypatch.setattr(pipeline, name, _noting(made_in, name, getattr(pipeline, name)))
    here = str(os.getpid())
    monkeypatch.setattr(pipeline, "PARALLEL_STEPS_FROM", 1)
    serial = dataclasses.replace(options, full=True)
    for changed in range(2):
        if changed:
            item = project / "catalog" / ITEM  # a new topic: an address claimed, which the worker checks
            item.write_text(item.read_text(encoding="utf-8").replace("topics: [政府工作, 法治政府]",
                                                                     "topics: [政府工作, 法治政府, 依法行政]", 1)
                            + "\n补充说明。\n", encoding="utf-8")
            (project / "site" / "items" / "11220000013544357T_2005-00138.html").unlink()  # unchanged
            made_in["scan_items"] = tmp_path / "scan_items-made-in"
            monkeypatch.setattr(pipeline, "scan_items", _noting(made_in, "scan_items", pipeline.scan_items))
            made_in["missing_files"] = tmp_path / "missing_files-made-in"  # by a process the worker forks
            monkeypatch.setattr(BuildCache, "missing_files",
                                _noting(made_in, "missing_files", BuildCache.missing_files))
        build(project / "mkdocs.yml", project / "site", options)
        by_workers = {name for name, file in made_in.items() if file.read_text(encoding="utf-8") != here}
        assert by_workers == set(made_in) - ({"site_search_documents"} if changed else set())
        for name in ("scan_items", "missing_files"):  # a build of the whole site reads no cache: nothing beside
            made_in.pop(name, None)
        with monkeypatch.context() as serially:  # one worker: every step in this process
            serially.setattr(pipeline, "PARALLEL_STEPS_FROM", 10**9)
            serially.setattr(pools, "worker_count", lambda: 1)
            build(project / "mkdocs.yml", project / f"serial-{changed}", serial)
        assert {file.read_text(encoding="utf-8") for file in made_in.values()} == {here}
        assert tree_digest(project / "site") == tree_digest(project / f"serial-{changed}")
    assert any("补充说明" in d["s"] for d in search_records(project / "site" / "search").values())
    collision = ITEM.with_name("collision.md")  # an index number that differs only in "/" and "_": one address
    (project / "catalog" / collision).write_text(
        (project / "catalog" / ITEM).read_text(encoding="utf-8").replace("57T/2014-00026", "57T_2014-00026"),
        encoding="utf-8")
    checked = (CheckedItems(), CheckedItems())
    loaded = pipeline.load_validated(project / "catalog", options.today, False, checked=checked)
    assert {p.code for p in loaded.errors} == {"E-URL-COLLISION"}
    # Validation ran here: what it found of every item file is kept for the next build.
    assert len(checked[1].problems) == len(list((project / "catalog" / "items").rglob("*.md")))


def _collide_index_no(project: Path) -> None:
    """ITEM's 索引号 made another item's, but for a "/" written "_": the two pages at one address."""
    item = project / "catalog" / ITEM
    other = (project / "catalog" / "items" / "jilin-city-office" / "2021" / "xinxi-gongkai-guanli.md").read_text(
        encoding="utf-8")
    taken = re.search(r"^index_no: (.*)$", other, re.M)[1]
    item.write_text(re.sub(r"^index_no: .*$", f"index_no: {taken.replace('/', '_')}", item.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")


def _collide_attachment(project: Path) -> None:
    """A second attachment of ITEM whose name differs from the first's in case only: one address on a server that
    ignores case."""
    item = project / "catalog" / ITEM
    (item.parent / "吉林省法治政府建设指标体系.TXT").write_text("附件", encoding="utf-8")
    item.write_text(item.read_text(encoding="utf-8").replace(
        "attachments:\n", "attachments:\n  - file: 吉林省法治政府建设指标体系.TXT\n    title: 另一份\n", 1), encoding="utf-8")


def _collide_topics(project: Path) -> None:
    """Two topics of ITEM that differ only in what their addresses fold to "-"."""
    item = project / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("topics: [政府工作, 法治政府]",
                                                             "topics: [政府工作, 法治政府, 依法/行政, 依法 行政]", 1),
                    encoding="utf-8")


def _collide_new_item(project: Path) -> None:
    """A new item file whose 索引号 is ITEM's, but for a "/" written "_"."""
    text = (project / "catalog" / ITEM).read_text(encoding="utf-8")
    (project / "catalog" / ITEM.with_name("copy.md")).write_text(text.replace("57T/2014-00026", "57T_2014-00026"),
                                                                 encoding="utf-8")


def _collide_organs(project: Path) -> None:
    """Two organs whose file names fold to one address."""
    organ = (project / "catalog" / "organs" / "jiyuan-city.yaml").read_text(encoding="utf-8")
    for name in ("jiyuan city", "jiyuan+city"):
        (project / "catalog" / "organs" / f"{name}.yaml").write_text(organ.replace("济源市人民政府", f"济源市{name}", 1),
                                                                     encoding="utf-8")


def _collide_report(project: Path) -> None:
    """A published report's 索引号 made ITEM's, but for a "/" written "_": its page at ITEM's address."""
    report = project / "catalog" / "reports" / "2025" / "jilin-province.yaml"
    report.write_text(re.sub(r"^index_no: .*$", "index_no: 11220000013544357T_2014-00026",
                             report.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")


def test_the_scan_of_a_large_catalog_takes_unchanged_folders_as_listed_and_finds_a_new_item(tmp_path, monkeypatch):
    """From PARALLEL_STEPS_FROM items, the worker that scans the item files keeps the settled folders' listings with
    the files' statuses, and the next scan takes a folder's names from them while its status is the same. An item
    saved into a listed folder changes the folder: it is published, as a build of the whole site publishes it."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    monkeypatch.setattr(pipeline, "PARALLEL_STEPS_FROM", 1)
    build(project / "mkdocs.yml", project / "site", options)
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    build(project / "mkdocs.yml", project / "site", options)  # the files settled: their statuses recorded
    build(project / "mkdocs.yml", project / "site", options)  # scanned with them: the folders listed, and kept
    item = project / "catalog" / ITEM
    assert str(item.parent) in BuildCache(project / "site").load_statuses()[1]
    # What the worker sends back is what the build reads: each file's path and digest, not the folders' listings.
    _, _, scanned = pipeline._kept_parts(BuildCache(project / "site"), code_fingerprint(project / "overrides"),
                                         project / "catalog", False)
    assert str(item) in scanned.paths and all(scanned.digests) and scanned.listings == {} and scanned.record == {}
    item.with_name("new.md").write_text(
        item.read_text(encoding="utf-8").replace("57T/2014-00026", "57T/2014-00926").replace("〔2014〕26号", "〔2014〕926号")
        .replace("吉林省法治政府建设指标体系的通知", "吉林省新增事项的通知"), encoding="utf-8")
    build(project / "mkdocs.yml", project / "site", options)
    build(project / "mkdocs.yml", project / "whole", dataclasses.replace(options, full=True))
    assert tree_digest(project / "site") == tree_digest(project / "whole")
    assert any("吉林省新增事项的通知" in page.read_text(encoding="utf-8")
               for page in (project / "site" / "items").rglob("*2014-00926*.html"))


@pytest.mark.parametrize("collide", [_collide_index_no, _collide_attachment, _collide_topics, _collide_new_item,
                                     _collide_organs, _collide_report], ids=lambda f: f.__name__[9:])
def test_a_build_after_a_change_checks_the_addresses_that_changed(tmp_path, monkeypatch, caplog, collide):
    """A build after a change checks the addresses again only when something that claims one changed (the last
    build, which succeeded, found none): a body edited is not looked at, and each change below that makes two things
    claim one address is found, as a check of the whole catalog finds it, whether gongkai build or gongkai serve
    (which keeps what it read in memory) builds it."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    made_in = {"url_problems": tmp_path / "url_problems-made-in"}
    monkeypatch.setattr(pipeline, "url_problems", _noting(made_in, "url_problems", pipeline.url_problems))
    memory = Memory()
    for kept in (None, memory):
        build(project / "mkdocs.yml", project / "site", options, kept)
    item = project / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    made_in["url_problems"].unlink()
    for kept in (None, memory):
        build(project / "mkdocs.yml", project / "site", options, kept)
    assert not made_in["url_problems"].exists()  # neither build looked at the addresses
    collide(project)
    caplog.set_level(logging.INFO)
    for kept in (None, memory):
        caplog.clear()
        with pytest.raises(Abort):
            build(project / "mkdocs.yml", project / "site", options, kept)
        assert "E-URL-COLLISION" in caplog.text, kept
    memory.close()
    assert "E-URL-COLLISION" in {p.code for p in pipeline.load_validated(project / "catalog", options.today,
                                                                         False).errors}


def test_a_large_site_kept_in_memory_looks_for_gone_files_without_a_worker(tmp_path, monkeypatch):
    """`gongkai serve` reads no cache after its first build: even from PARALLEL_STEPS_FROM items it scans the item
    files and looks for the site's files that are gone in its own process. A worker forked from a process holding
    the whole catalog cost more than it saved (every page the process wrote next was copied: at 100,000 items
    ~145,000 page faults a save against ~35,000). A page deleted meanwhile is written again, and the site is a full
    build's."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    monkeypatch.setattr(pipeline, "PARALLEL_STEPS_FROM", 1)
    time.sleep(SETTLED_NS / 1e9 + 0.2)  # the files' statuses recorded: they have settled
    build(project / "mkdocs.yml", project / "site", options)  # `gongkai build` first: serve then reads its cache
    memory = Memory()
    build(project / "mkdocs.yml", project / "site", options, memory)
    # Its first build's worker scanned with the record of the files' statuses, which serve keeps for its next scans
    # (without it, each would read and hash every file).
    assert memory.kept.files.status and memory.kept.files.status == BuildCache(project / "site").load_statuses()[0]
    made_in = {name: tmp_path / f"{name}-made-in" for name in ("scan_items", "missing_files")}
    monkeypatch.setattr(load, "scan_items", _noting(made_in, "scan_items", load.scan_items))
    monkeypatch.setattr(BuildCache, "missing_files", _noting(made_in, "missing_files", BuildCache.missing_files))
    item = project / "catalog" / ITEM
    item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    gone = project / "site" / "items" / "11220000013544357T_2005-00138.html"  # of an unchanged item
    gone.unlink()
    build(project / "mkdocs.yml", project / "site", options, memory)
    memory.close()
    assert made_in["scan_items"].read_text(encoding="utf-8") == str(os.getpid())
    assert made_in["missing_files"].read_text(encoding="utf-8") == str(os.getpid())
    assert gone.is_file()
    build(project / "mkdocs.yml", project / "full", dataclasses.replace(options, full=True))
    assert tree_digest(project / "site") == tree_digest(project / "full")


def test_a_process_that_builds_again_keeps_what_it_read_in_memory(tmp_path, monkeypatch):
    """`gongkai serve` passes a Memory: the next build takes the items it read from it, not from the cache on
    disk, and builds the same site as a full build."""
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(project / "catalog", dt.date.fromisoformat(TODAY))
    memory = Memory()
    time.sleep(SETTLED_NS / 1e9 + 0.2)  # the catalog's files settled: their statuses, and attachments' digests, kept
    build(project / "mkdocs.yml", project / "site", options, memory)
    first = memory.kept
    assert first is not None and first.files.parsed and first.checks.problems
    for edited in (ITEM, RETITLED):  # the first has attachments, the second none
        item = project / "catalog" / edited
        item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    build(project / "mkdocs.yml", project / "site", options, memory)
    unchanged = {id(found[0]) for key, found in first.files.parsed.items()
                 if ITEM.stem not in key[0] and RETITLED.stem not in key[0]}
    now = {id(found[0]) for found in memory.kept.files.parsed.values()}
    assert unchanged and unchanged <= now  # the very objects of the last build: not unpickled, not parsed again
    # On disk, the first build's base and beside it only what the second changed: what a `gongkai build` reads next.
    parts, journal = BuildCache(project / "site").load_parts("items", code_fingerprint(project / "overrides"))
    assert journal.base == memory.journal.base
    edited = {key for key in memory.kept.files.parsed if key not in first.files.parsed}
    assert len(edited) == 2 and journal.changes["parsed"][0].keys() == edited
    # The edited files' entries only: parsed, checked, their statuses (not recorded: saved just now), and their
    # views (a report's item, made afresh by every build, has none kept).
    assert journal.changes["views"][0].keys() == {"items/005000001_2024-00058.html", "items/11220000013544357T_2014-00026.html"}
    assert sum(len(changed) + len(removed) for changed, removed in journal.changes.values()) <= 12
    assert parts["parsed"].keys() == memory.kept.files.parsed.keys()
    # Each view kept is pickled with its item, in the base as in the changes: read back, it shows the very item
    # object parsed, as the next build's catalog holds it, and is reused for it (views.KeptViews).
    parsed_items = {id(found[0]) for found in parts["parsed"].values()}
    assert parts["views"].keys() == memory.kept.views.views.keys()
    assert all(id(view.item) in parsed_items for view in parts["views"].values())
    assert parts["lists"] and parts["lists"].keys() == memory.kept.files.lists.keys()  # the request log
    assert parts["copied"] and parts["copied"].keys() == memory.kept.files.copied.keys()  # the attachments
    build(project / "mkdocs.yml", project / "full", dataclasses.replace(options, full=True))
    assert tree_digest(project / "site") == tree_digest(project / "full")


def test_a_change_reads_of_the_kept_items_only_what_every_build_reads_first(tmp_path):
    """The build cache keeps each item in part (catalog.ITEM_READ_FIRST unpickled with it, the rest read when first
    asked for): the passes of a change and a publication over every item (loading, validation with the addresses'
    check, the views, the plan with its reports' counts and the item pages' links, the feeds, the audit) read the
    rest of none but the item changed and the one published. A catalog
    with repealed documents and stated validities with their bases, which those passes look at."""
    today = dt.date.fromisoformat(TODAY)
    catalog = generate(tmp_path / "catalog", 600)
    paths = sorted((catalog / "items").rglob("*.md"))
    numbers = [re.search(r"^doc_no: (.+)$", path.read_text(encoding="utf-8"), re.M)[1] for path in paths[:5]]
    for path, number in zip(paths[10:15], numbers):
        _add_front_matter(path, f"repealed:\n  date: 2025-01-02\n  by: {number}")
    for path in paths[20:40]:
        path.write_text(re.sub(r"^doc_type: .*$", "doc_type: 行政规范性文件", path.read_text(encoding="utf-8"), flags=re.M),
                        encoding="utf-8")
        _add_front_matter(path, "validity: 有效\nvalidity_basis: 本机关清理结果")
    files, checked, viewed = load.CatalogFiles(), (CheckedItems(), CheckedItems()), KeptViews()
    loaded = pipeline.validated(pipeline.load(catalog, False, files), today, checked)
    assert not loaded.errors
    published_views(loaded.catalog, today, viewed)
    stored.save(tmp_path / "kept.pickle", pipeline.Kept(files.current, checked[1], viewed).parts(), "t",
                KEPT_REDUCTIONS)
    kept = pipeline.Kept.of(stored.load(tmp_path / "kept.pickle", "t"))
    changed = paths[300]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
    # And a new publication: an address claimed anew, so the addresses of every item are checked (url_problems).
    published = paths[0].with_name("item-900001.md")
    published.write_text(re.sub(r"^index_no: (.+)-\d+$", r"index_no: \1-900001", paths[0].read_text(encoding="utf-8"),
                                count=1, flags=re.M), encoding="utf-8")
    files = load.CatalogFiles(kept.files)
    loaded = pipeline.validated(pipeline.load(catalog, False, files), today, (kept.checks, CheckedItems()),
                                files.changed_items())
    views = published_views(loaded.catalog, today, dataclasses.replace(kept.views))
    site = build_site(loaded.catalog, loaded.calendar, today, views, Templating())
    assert site.reports and any(view.item.repealed for view in views)
    for spec in feed_specs(site):
        spec.entries  # each feed's newest items, as its writer takes them
    run_audit(site.catalog, site.calendar, today, None, site)
    read_whole = {item.path for item in loaded.catalog.items if item.digest and item.unread is None}
    assert read_whole == {str(changed), str(published)}
    # Nor the record of any request (validation finds each one's file without it): none of their files changed.
    assert loaded.catalog.requests and all(fields._KEPT in r.record.__dict__ for r in loaded.catalog.requests)


def _add_front_matter(path: Path, lines: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\n---\n", f"\n{lines}\n---\n", text, count=1), encoding="utf-8")
