"""Loading a catalog directory (builder/model/load.py): its files are found in the order of their paths."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import random
import shutil
import subprocess
import sys
import time

import pytest
from conftest import BASE, EXAMPLE, make_catalog, make_site

from builder.errors import display_path
from builder.model.catalog import Rename
from builder.model.load import (
    CatalogFiles,
    ParsedFiles,
    _files,
    load_catalog,
    scan_items,
)
from builder.model.source import MAX_FILE_BYTES, LocatedDict, read_file
from builder.util import SETTLED_NS
from search.hashing import digest, file_digest


def test_catalog_files_are_listed_in_path_order(tmp_path):
    for name in ("a/x.md", "a-b/x.md", "a.b/y.md", "a/b/z.md", "a/b-c.md", "a/b.md", "ab.md", "a/b/c/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _files(tmp_path, ".md")[0] == [str(p) for p in sorted(tmp_path.rglob("*.md"))]


def test_random_catalog_files_are_listed_in_path_order(tmp_path):
    rng = random.Random(19)
    pieces = [*"ab-.!_ 0~", "政府", "（一）", "\u3000"]  # characters before and after "/", and beyond ASCII
    for _ in range(300):
        parts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
        path = tmp_path.joinpath(*[part.strip() if part.strip() not in ("", ".", "..") else "x"
                                   for part in parts]).with_suffix(".md")
        if not path.parent.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.is_dir():
                path.write_text("", encoding="utf-8")
    assert _files(tmp_path, ".md")[0] == [str(p) for p in sorted(tmp_path.rglob("*.md")) if p.is_file()
                                          and not any(part.startswith(".") for part in p.relative_to(tmp_path).parts)]


def test_linked_folders_are_read_once_and_hidden_files_not_at_all(tmp_path):
    """A year linked in from a shared folder was left out without a word (6 items, 4 annual reports gone); an
    editor's lock file or macOS's ._ copy stopped every build."""
    (tmp_path / "shared" / "2026").mkdir(parents=True)
    (tmp_path / "shared" / "2026" / "a.md").write_text("", encoding="utf-8")
    items = tmp_path / "items"
    (items / "2025" / ".git").mkdir(parents=True)
    (items / "2025" / "b.md").write_text("", encoding="utf-8")
    (items / "2025" / "._b.md").write_bytes(b"\x00\x05\x16\x07")
    (items / "2025" / ".git" / "c.md").write_text("", encoding="utf-8")
    (items / "2025" / ".#b.md").symlink_to("root@host.1234")  # Emacs's lock: a link to nowhere
    (items / "2026").symlink_to(tmp_path / "shared" / "2026")
    (items / "2026" / "again").symlink_to(items)  # a link back up
    assert _files(items, ".md")[0] == [str(items / "2025" / "b.md"), str(items / "2026" / "a.md")]


NOTICE = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="root reads any folder without setpriv")
def test_a_folder_that_cannot_be_read_is_an_error_not_items_gone(tmp_path):
    """A shared year folder whose permissions changed: its items left the site, and validation said nothing."""
    catalog = make_catalog(tmp_path)
    locked = catalog / "items" / "locked"
    locked.mkdir()
    (locked / "other.md").write_text(NOTICE.replace("2026-00001", "2026-00002"), encoding="utf-8")
    locked.chmod(0)
    try:
        # As root, drop the capabilities that read any folder: the build then reads as an office's user does.
        without_root = ["setpriv", "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]
        result = subprocess.run([*(without_root if os.geteuid() == 0 else []), sys.executable, "-m", "builder",
                                 "validate", "--catalog", str(catalog), "--today", "2026-11-23"],
                                capture_output=True, text=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1, result.stdout
    assert f"{locked}:0: E-FILE-UNREADABLE 无法读取文件夹 {locked}（没有读取权限）" in result.stdout


def test_a_pipe_or_a_device_among_the_items_is_an_error_not_a_hang(tmp_path):
    """Found by a security review: a named pipe saved as an item file made the build wait for ever, and a link to
    /dev/zero read until memory ran out."""
    catalog = make_catalog(tmp_path)
    os.mkfifo(catalog / "items" / "pipe.md")
    (catalog / "items" / "zero.md").symlink_to("/dev/zero")
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog), "--today",
                             "2026-11-23"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout
    for name in ("pipe.md", "zero.md"):
        shown = catalog / "items" / name
        assert f"{shown}:0: E-FILE-UNREADABLE 无法读取文件 {shown}（这不是普通文件（管道、设备等））" in result.stdout


def test_links_that_lead_to_themselves_are_named_not_a_crash(tmp_path):
    """Found while timing the resolution of attachments: a symbolic link that leads to itself, as an attachment, a
    consultation's file, the 党政机关标识 or a file at the top of the catalog, stopped `gongkai validate` with an
    internal error (Path.resolve raises on a loop, and so does asking a directory entry whether it is a folder). Each
    is now a problem at its line."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    attachment = catalog / "items" / "jilin-province" / "2014" / "吉林省法治政府建设指标体系.txt"
    attachment.unlink()
    attachment.symlink_to(attachment.name)
    consulted = catalog / "consultations" / "files" / "gongjiao-piaojia-fangan.txt"
    consulted.unlink()
    consulted.symlink_to(consulted.name)
    (catalog / "loop.png").symlink_to("loop.png")
    (catalog / "loop.yaml").symlink_to("loop.yaml")
    config = catalog / "gongkai.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("site:\n", "site:\n  party_mark: loop.png\n", 1),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog), "--today",
                             "2026-11-23"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "内部错误" not in result.stdout + result.stderr, result.stdout + result.stderr
    for found in ("jizhengfa-2014-26.md:16: E-ATTACHMENT-MISSING", "jilin-gongjiao-piaojia-tingzheng.yaml:11: "
                  "E-ATTACHMENT-MISSING", "gongkai.yaml:4: E-SITE-IDENTITY 党政机关标识“loop.png”",
                  "loop.yaml:0: W-FILE-IGNORED"):
        assert found in result.stdout, found


def test_a_file_too_large_for_a_catalog_is_refused(tmp_path):
    """A catalog's file is text: one larger than MAX_FILE_BYTES (a video saved as .md) is refused by its size, and one
    at the limit is read whole."""
    catalog = make_catalog(tmp_path)
    huge = catalog / "items" / "huge.md"
    with huge.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written, and reading it would take a while
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog), "--today",
                             "2026-11-23"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stdout
    assert f"{huge}:0: E-FILE-UNREADABLE 无法读取文件 {huge}（文件过大，不是目录的文本文件）" in result.stdout
    limit = tmp_path / "limit.md"
    limit.write_bytes(b"a" * 1000 + b"\n" * (MAX_FILE_BYTES - 1000))
    assert read_file(limit) == limit.read_bytes()
    with pytest.raises(OSError):
        read_file(huge)


def _load_with(tmp_path, **files: str):
    catalog = make_catalog(tmp_path)
    for relative, text in files.items():
        (catalog / relative).write_text(text, encoding="utf-8")
    return load_catalog(catalog)


def test_a_cell_that_says_none_is_read_as_absent(tmp_path):
    text = NOTICE.replace("doc_no: 示政发〔2026〕1号", "doc_no: 无\ntopics: [无]\nkeywords: [政务公开, —]\nsummary: 暂无")
    catalog, problems = _load_with(tmp_path, **{"items/2026/notice.md": text})
    [item] = [i for i in catalog.items if i.index_no.endswith("2026-00001")]
    assert (item.doc_no, item.topics, item.keywords, item.summary) == ("", (), ("政务公开",), "")
    assert not [p for p in problems if p.is_error]


def test_a_public_item_without_a_recorded_date_is_public_not_a_draft(run, tmp_path):
    text = NOTICE.replace("published: 2026-03-06\n", "public: true\n")
    catalog, _ = _load_with(tmp_path, **{"items/2026/notice.md": text})
    [item] = [i for i in catalog.items if i.index_no.endswith("2026-00001")]
    assert item.is_public and item.published is None and item.public_on(dt.date(2026, 11, 23))
    due = run("due", "--today", "2026-11-23")
    assert "示例事项" not in due.stdout, "an undated public item is not waiting to be published"
    site, _ = make_site(tmp_path / "built", files={"items/2026/notice.md": text})
    page = (site / "items" / "11220000013544357T_2026-00001.html").read_text(encoding="utf-8")
    assert '<th scope="row">发布日期</th><td>不详</td>' in page


# ------------------------------------------------------------ power list and fee catalogue as real offices write them

POWERS = """\
- id: JL-XK-0001
  national_code: "000105009000"
  name: 建设工程消防验收
  renames:
    - former: 建设工程竣工消防验收
      date: 2019-04-01
      reason: 建设工程消防设计审查验收职责划入住房和城乡建设部门
  type: 行政许可类
  handling: 承诺件
  organ: demo
  transfers:
    - former: 公安消防机构
      date: 2019-04-01
      reason: 机构改革
  targets: [企业法人, 事业单位法人]
  basis: [《中华人民共和国消防法》第十三条]
  implementation_basis: [《建设工程消防设计审查验收管理暂行规定》第二十九条]
  sub_items:
    - code: "000105009001"
      name: 特殊建设工程消防验收
    - name: 其他建设工程消防验收备案抽查
  legal_limit: 15
  legal_limit_unit: 日
  promised_limit: 10
  limit_note: 自受理之日起计算；依法需要检测的时间不计算在内
  visits: 0
  result: 特殊建设工程消防验收意见书
  fees: []
  decided: 2026-03-02
  published: 2026-03-06
- id: JL-FW-0001
  name: 某项公共服务
  type: 公共服务
  organ: demo
  basis: [《某条例》第八条]
  promised_limit: 3
  promised_limit_unit: 个月
  decided: 2026-03-02
"""

FEES = """\
- id: JL-SF-0101
  category: 证照类
  name: 机动车号牌工本费
  organ: demo
  collector: 某市公安局交通警察支队车辆管理所
  fund_management: 全额缴入地方国库
  basis: [发改价格【2016】2559号]
  sub_items:
    - name: 汽车号牌
      amount: 100
      unit: 元/副
    - name: 临时号牌
      amount: 5
      amount_max: 10
      unit: 元/张
  decided: 2026-03-02
- id: JL-SF-0102
  name: 土地复垦费
  organ: demo
  basis: [某价〔2026〕1号]
  standard: 按损毁土地面积每平方米 3 至 6 元
  amount: 3
  amount_max: 6
  unit: 元/平方米
  decided: 2026-03-02
"""

RELEASES = """\
- kind: 权力清单
  title: 某省省级政府部门权责清单（2025年版）
  organ: demo
  doc_no: 某政发〔2025〕3号
  published: 2025-06-30
  total: 3612
  added: 25
  removed: 118
"""


def _load_lists(tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "powers" / "real.yaml").write_text(POWERS, encoding="utf-8")
    (catalog / "fees" / "real.yaml").write_text(FEES, encoding="utf-8")
    (catalog / "releases").mkdir()
    (catalog / "releases" / "lists.yaml").write_text(RELEASES, encoding="utf-8")
    loaded, problems = load_catalog(catalog)
    assert problems == []
    return loaded


def test_a_real_power_entry_loads_as_written(tmp_path):
    powers = {p.id: p for p in _load_lists(tmp_path).powers}
    power = powers["JL-XK-0001"]
    assert power.type == "行政许可类", "kept as the list writes it; the checks and the site read it as 行政许可"
    assert (power.handling, power.national_code, power.visits, power.result) == (
        "承诺件", "000105009000", 0, "特殊建设工程消防验收意见书")
    assert power.renames == (Rename(former="建设工程竣工消防验收", date=dt.date(2019, 4, 1),
                                    reason="建设工程消防设计审查验收职责划入住房和城乡建设部门"),)
    assert power.transfers[0].former == "公安消防机构"
    assert [(s.code, s.name) for s in power.sub_items] == [("000105009001", "特殊建设工程消防验收"),
                                                          ("", "其他建设工程消防验收备案抽查")]
    assert power.implementation_basis == ("《建设工程消防设计审查验收管理暂行规定》第二十九条",)
    assert (power.legal_limit, power.legal_limit_unit, power.promised_limit, power.promised_limit_unit) == (
        15, "日", 10, "工作日"), "a bare number is working days, as the field has always meant"
    other = powers["JL-FW-0001"]
    assert (other.type, other.promised_limit, other.promised_limit_unit) == ("公共服务", 3, "个月")


def test_no_fees_is_unknown_and_an_empty_list_is_no_fee(tmp_path):
    powers = {p.id: p for p in _load_lists(tmp_path).powers}
    assert powers["JL-XK-0001"].fees == ()
    assert powers["JL-FW-0001"].fees is None


def test_a_real_fee_item_loads_as_written(tmp_path):
    fees = {f.id: f for f in _load_lists(tmp_path).fees}
    plates = fees["JL-SF-0101"]
    assert (plates.category, plates.fund_management, plates.basis) == ("证照类", "全额缴入地方国库",
                                                                         ("发改价格【2016】2559号",))
    assert plates.collector == "某市公安局交通警察支队车辆管理所"
    assert [(s.amount, s.amount_max, s.unit, s.standard) for s in plates.sub_items] == [
        (100, None, "元/副", ""), (5, 10, "元/张", "")]
    land = fees["JL-SF-0102"]
    assert (land.standard, land.amount, land.amount_max, land.unit) == ("按损毁土地面积每平方米 3 至 6 元", 3, 6,
                                                                          "元/平方米")
    assert land.fund_management == "", "not stated: unknown, not a default way"


def test_a_list_release_keeps_its_date_number_and_counts(tmp_path):
    [release] = _load_lists(tmp_path).releases
    assert (release.kind, release.doc_no, release.published, release.total, release.added, release.removed,
            release.changed) == ("权力清单", "某政发〔2025〕3号", dt.date(2025, 6, 30), 3612, 25, 118, None)


def test_an_entry_that_cannot_be_made_is_kept_for_the_duplicate_check(tmp_path):
    entry = (BASE / "requests" / "2026.yaml").read_text(encoding="utf-8")
    late_item = NOTICE.replace("written: 2026-03-02", "written: 2026-02-30")
    catalog, problems = _load_with(tmp_path, **{"requests/late.yaml": entry.replace("channel: 网上", "channel: 网站"),
                                                "items/late.md": late_item})
    assert [r.id for r in catalog.requests] == ["R-1"]
    assert [r.values["id"] for r in catalog.unfinished["request"]] == ["R-1"]
    assert [r.values["index_no"] for r in catalog.unfinished["item"]] == ["11220000013544357T/2026-00001"]
    assert {p.code for p in problems} == {"E-CHOICE", "E-DATE"}


def test_a_file_whose_only_problem_is_a_duplicate_key_is_still_checked(tmp_path):
    text = NOTICE.replace("category: 20-1", "category: 20-1\ncategory: 20-99")
    _, problems = _load_with(tmp_path, **{"items/2026/notice.md": text})
    assert sorted((p.line, p.code) for p in problems) == [(9, "E-CHOICE"), (9, "E-DUPLICATE-KEY")]


# ------------------------------------------------------------ what the last build read (CatalogFiles)


def _titles(catalog_dir, catalog_files: CatalogFiles) -> set[str]:
    catalog, _ = load_catalog(catalog_dir, catalog_files)
    return {item.title for item in catalog.items}


def _settled(catalog_dir) -> CatalogFiles:
    """The catalog read once its files have settled: from then on their status stands for their bytes."""
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    first = CatalogFiles()
    _titles(catalog_dir, first)
    return first


def test_a_file_saved_again_with_the_same_size_and_modification_time_is_read_again(tmp_path):
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    before = notice.stat()
    first = _settled(catalog)
    assert str(notice) in first.current.status
    # Same length, same modification time (as a tool that keeps times would leave it): only ctime tells.
    notice.write_text(NOTICE.replace("关于示例事项", "关于事例事项"), encoding="utf-8")
    os.utime(notice, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert notice.stat().st_size == before.st_size
    assert "示例市人民政府关于事例事项的通知" in _titles(catalog, CatalogFiles(first.current))


def test_a_file_replaced_by_another_with_the_same_times_is_read_again(tmp_path):
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    first = _settled(catalog)
    replacement = tmp_path / "notice.md"
    replacement.write_text(NOTICE.replace("关于示例事项", "关于事例事项"), encoding="utf-8")
    shutil.copystat(notice, replacement)
    replacement.replace(notice)
    assert "示例市人民政府关于事例事项的通知" in _titles(catalog, CatalogFiles(first.current))


def test_the_status_of_a_file_saved_just_now_is_not_trusted(tmp_path):
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    notice.write_text(NOTICE, encoding="utf-8")
    files = CatalogFiles()
    _titles(catalog, files)
    assert str(notice) not in files.current.status  # read again by the next build, whatever its status
    assert any(key[0] == display_path(notice) for key in files.current.parsed)


def test_a_list_file_is_parsed_again_only_when_its_bytes_change(tmp_path):
    """Its entries, problems and unfinished records come back from the last build while its bytes are the same."""
    catalog = make_catalog(tmp_path)
    requests = catalog / "requests" / "2026.yaml"
    with requests.open("a", encoding="utf-8") as file:  # an entry without its required organ: unfinished
        file.write("\n- id: R-9\n  received: 2026-03-02\n")
    first = CatalogFiles()
    before, before_problems = load_catalog(catalog, first)
    again = CatalogFiles(first.current)
    after, after_problems = load_catalog(catalog, again)
    assert after.requests == before.requests and after.requests[0] is before.requests[0]  # not parsed again
    assert after.unfinished["request"] == before.unfinished["request"] and after.unfinished["request"]
    assert after_problems == before_problems and any(p.path == display_path(requests) for p in after_problems)
    requests.write_text(requests.read_text(encoding="utf-8").replace("R-1", "R-2"), encoding="utf-8")
    changed, _ = load_catalog(catalog, CatalogFiles(again.current))
    assert [r.id for r in changed.requests] == ["R-2"]


def test_a_copied_file_is_read_again_only_when_its_status_changes(tmp_path):
    """The digest of an attachment comes from the last build while its settled status is the same; a file changed
    just now is hashed and not remembered (its status does not yet tell its changes)."""
    annex = tmp_path / "annex.pdf"
    annex.write_bytes(b"version 1")
    kept = str(annex)  # resolved, as an attachment's path is kept
    fresh = CatalogFiles()
    assert fresh.copied_digest(kept) == digest(b"version 1") and not fresh.current.copied
    assert file_digest(annex) == digest(annex.read_bytes())  # read in chunks, the same digest
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    first = CatalogFiles()
    assert first.copied_digest(kept) == digest(b"version 1")
    status, _ = first.current.copied[kept]
    # What the last build knew is trusted, not the bytes: a known status is never read again.
    known = ParsedFiles(copied={kept: (status, "the last build's digest")})
    assert CatalogFiles(known).copied_digest(kept) == "the last build's digest"
    before = annex.stat()
    annex.write_bytes(b"version 2")
    os.utime(annex, ns=(before.st_atime_ns, before.st_mtime_ns))  # the same size and times: its change time differs
    assert CatalogFiles(known).copied_digest(kept) == digest(b"version 2")


def test_a_record_of_the_item_files_statuses_gives_their_digests_unread(tmp_path):
    """With a record of what the item files held by their statuses (a build's), a scan reads only the files whose
    status changed: the others' digests are the record's, trusted as the files' own statuses are."""
    catalog = make_catalog(tmp_path)
    notice = catalog / "items" / "2026" / "notice.md"
    first = _settled(catalog)
    recorded = first.current.status
    assert recorded and all(len(sha1) == 40 for _, sha1 in recorded.values())
    faked = {path: (status, "0" * 40) for path, (status, _) in recorded.items()}
    scanned = scan_items(catalog / "items", faked)
    assert scanned.statuses is None and set(scanned.digests) == {"0" * 40} and scanned.record == faked
    parsed = {id(item) for item, _, _ in first.current.parsed.values()}
    again, _ = load_catalog(catalog, CatalogFiles(first.current, scanned=scan_items(catalog / "items", recorded)))
    assert parsed <= {id(item) for item in again.items}  # not one read again
    before = notice.stat()
    notice.write_text(NOTICE.replace("关于示例事项", "关于事例事项"), encoding="utf-8")
    os.utime(notice, ns=(before.st_atime_ns, before.st_mtime_ns))
    scanned = scan_items(catalog / "items", recorded)
    changed = scanned.digests[scanned.paths.index(str(notice))]
    assert changed == hashlib.sha1(notice.read_bytes()).hexdigest() != recorded[str(notice)][1]
    assert str(notice) not in scanned.record  # saved just now: hashed again by the next scan
    # Loaded from that scan, by the build's worker, with what the last build parsed: the changed file is read again.
    assert "示例市人民政府关于事例事项的通知" in _titles(catalog, CatalogFiles(first.current, scanned=scanned))
    # Without a record, nothing is hashed by the scan: the build reads every file and records them.
    unrecorded = scan_items(catalog / "items")
    assert unrecorded.digests is None and len(unrecorded.statuses) == len(unrecorded.paths)


def test_a_folder_whose_status_is_unchanged_is_taken_as_listed_last(tmp_path):
    """A settled folder's listing is kept, and the next scan takes it while the folder's status is the same: a name
    the listing holds is found without the folder being listed (here one no longer there, as no folder can be
    without its status changing), and any name added, removed or renamed changes the folder's status, so that it is
    listed again. What a scan finds from the listings it kept is what a scan without them finds."""
    catalog = make_catalog(tmp_path)
    items = catalog / "items"
    year = items / "2026"
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    first = scan_items(items)
    assert set(first.listings) == {str(items), str(year)}
    assert first.listings[str(year)].names == tuple(os.listdir(year))
    again = scan_items(items, listed=first.listings)
    assert again.paths == first.paths and again.listings == first.listings
    ghost = dataclasses.replace(first.listings[str(year)], names=(*first.listings[str(year)].names, "ghost.md"))
    taken = scan_items(items, listed=first.listings | {str(year): ghost})
    assert str(year / "ghost.md") in taken.paths  # taken as listed: its folder's status is the one it was listed by
    added = year / "added.md"
    added.write_text((year / "notice.md").read_text(encoding="utf-8"), encoding="utf-8")
    listed_again = scan_items(items, listed=first.listings | {str(year): ghost})
    assert str(added) in listed_again.paths and str(year / "ghost.md") not in listed_again.paths
    assert str(year) not in listed_again.listings  # changed just now: listed again by the next scan too
    assert listed_again.paths == scan_items(items).paths
    (year / "notice.md").rename(year / "renamed.md")
    renamed = scan_items(items, listed=first.listings)
    assert str(year / "renamed.md") in renamed.paths and str(year / "notice.md") not in renamed.paths


def test_the_folders_listings_a_load_took_are_taken_by_the_next_load_from_them(tmp_path):
    """`gongkai serve` keeps what a build read in memory, and scans the item files at every save: the folders'
    listings of one load are the next one's (a listed name is found without its folder being listed again, here a
    ghost no folder holds), and a file saved into a folder since is found (its folder's status changed)."""
    catalog = make_catalog(tmp_path)
    year = catalog / "items" / "2026"
    first = _settled(catalog)
    assert first.current.listings[str(year)].names == tuple(os.listdir(year))
    ghost = dataclasses.replace(first.current.listings[str(year)],
                                names=(*first.current.listings[str(year)].names, "ghost.md"))
    haunted = dataclasses.replace(first.current, listings=first.current.listings | {str(year): ghost})
    _, problems = load_catalog(catalog, CatalogFiles(haunted))
    assert any(p.path.endswith("ghost.md") for p in problems)  # looked for: taken as listed
    (year / "added.md").write_text(NOTICE.replace("2026-00001", "2026-00002").replace("关于示例事项", "关于新增事项"),
                                   encoding="utf-8")
    again = CatalogFiles(haunted)
    assert "示例市人民政府关于新增事项的通知" in _titles(catalog, again)
    assert str(year) not in again.current.listings  # changed just now: listed again by the next load too


def test_a_folder_that_holds_a_link_or_changed_just_now_is_listed_every_time(tmp_path):
    """What a link leads to (a folder or a file) can change without the folder that holds it changing: such a
    folder's listing is not kept, nor one whose status has not settled."""
    catalog = make_catalog(tmp_path)
    items = catalog / "items"
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "linked.md").write_text((items / "2026" / "notice.md").read_text(encoding="utf-8"), encoding="utf-8")
    (items / "links").mkdir()
    (items / "links" / "linked").symlink_to(shared)
    (items / "other").mkdir()
    time.sleep(SETTLED_NS / 1e9 + 0.2)
    (items / "other" / "fresh").mkdir()
    scanned = scan_items(items)
    assert {str(items), str(items / "2026"), str(items / "links" / "linked")} <= set(scanned.listings)
    assert str(items / "links") not in scanned.listings  # holds a link
    assert str(items / "other") not in scanned.listings and str(items / "other" / "fresh") not in scanned.listings
    assert str(items / "links" / "linked" / "linked.md") in scanned.paths
    shutil.rmtree(shared)
    shared.write_text("now a file", encoding="utf-8")  # the folder holding the link is unchanged
    after = scan_items(items, listed=scanned.listings)
    assert str(items / "links" / "linked" / "linked.md") not in after.paths and not after.unreadable


def test_item_files_scanned_beforehand_load_as_if_scanned_then(tmp_path):
    """A build may look at the item files while it unpickles its cache (build/pipeline.py): loading from that scan
    gives what loading alone gives; a scan of another folder is not used."""
    catalog = make_catalog(tmp_path)
    alone, alone_problems = load_catalog(catalog, CatalogFiles())
    scanned = scan_items(catalog / "items")
    assert scanned.paths and len(scanned.statuses) == len(scanned.paths)
    later = catalog / "items" / "2026" / "later.md"  # saved after the scan: the next build's
    later.write_text((catalog / "items" / "2026" / "notice.md").read_text(encoding="utf-8").replace("00001", "00002"),
                     encoding="utf-8")
    given, given_problems = load_catalog(catalog, CatalogFiles(scanned=scanned))
    assert [i.index_no for i in given.items] == [i.index_no for i in alone.items] and given_problems == alone_problems
    elsewhere = scan_items(tmp_path / "elsewhere")
    other, _ = load_catalog(catalog, CatalogFiles(scanned=elsewhere))  # scanned again: the later file is in it
    assert len(other.items) == len(alone.items) + 1


def test_a_report_file_is_parsed_again_only_when_its_bytes_change(tmp_path):
    """What a report file's YAML held comes from the last build while its bytes are the same (an office keeps a
    report of every organ for every year); an edited file is read again."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    first = CatalogFiles()
    loaded, _ = load_catalog(catalog, first)
    report = next(r for r in loaded.reports if r.organ == "jilin-province" and r.year == 2025)
    path = catalog / "reports" / "2025" / "jilin-province.yaml"
    (key, (shown, data, problems)), = [(k, v) for k, v in first.current.reports.items() if k[0] == display_path(path)]
    # The last build's reading is used as it is: a licence count it says, not the file's, shows it was not parsed.
    told = LocatedDict(data)
    told.line, told.key_lines = data.line, data.key_lines
    told["licences"] = report.licences + 1000
    again, _ = load_catalog(catalog, CatalogFiles(ParsedFiles(reports={key: (shown, told, problems)})))
    assert next(r for r in again.reports if r.index_no == report.index_no).licences == report.licences + 1000
    path.write_text(path.read_text(encoding="utf-8").replace(f"licences: {report.licences}\n", "licences: 7\n"),
                    encoding="utf-8")
    edited, _ = load_catalog(catalog, CatalogFiles(ParsedFiles(reports={key: (shown, told, problems)})))
    assert next(r for r in edited.reports if r.index_no == report.index_no).licences == 7


def test_a_reports_item_has_the_written_date_its_file_states_and_none_where_it_states_none():
    """Found by a review: 长春's 2025 report, whose file has no written, was given its publication date (2026-03-30)
    as 成文日期, and the site published that as a fact."""
    catalog, _ = load_catalog(EXAMPLE)
    reports = {(i.organ, i.annual_report): i for i in catalog.items if i.annual_report}
    assert reports[("changchun-city", 2025)].written is None
    assert reports[("changchun-city", 2025)].published == dt.date(2026, 3, 30)
    assert reports[("jilin-province", 2025)].written == dt.date(2026, 3, 16)


def test_an_organ_file_in_a_subfolder_of_organs_is_named_not_dropped(tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "organs" / "旧").mkdir()
    shutil.copy(catalog / "organs" / "demo.yaml", catalog / "organs" / "旧" / "other.yaml")
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog), "--today",
                             "2026-11-23"], capture_output=True, text=True)
    shown = catalog / "organs" / "旧" / "other.yaml"
    assert f"{shown}:0: W-FILE-IGNORED 文件 {shown} 不在目录读取的位置，没有读入：须直接放在 {catalog / 'organs'} 下" \
        in result.stdout


def test_a_folder_without_catalog_files_is_no_file_left_unread(tmp_path):
    catalog = make_catalog(tmp_path)
    (catalog / "identity").mkdir()
    (catalog / "identity" / "mark.png").write_bytes(b"\x89PNG")  # the site's 党政机关标识, read where it is named
    (catalog / "request").mkdir()
    (catalog / "request" / "2026.yaml").write_text("[]\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "builder", "validate", "--catalog", str(catalog), "--today",
                             "2026-11-23"], capture_output=True, text=True)
    assert f"{catalog / 'request'}:0: W-FILE-IGNORED" in result.stdout and "identity" not in result.stdout


def test_an_index_number_of_eighteen_digits_is_not_read_as_an_identity_number(run, tmp_path):
    """Found by a review: an old-style 索引号 (117077201/2021-00153: an organisation code, a year, a serial) was
    read as a 身份证号 once an item's every field was looked at, and stopped the build."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    item = catalog / "items" / "jilin-city-office" / "2021" / "xinxi-gongkai-guanli.md"
    item.write_text(item.read_text(encoding="utf-8").replace("005000003/2021-00211", "117077201/2021-00153"),
                    encoding="utf-8")
    result = run("validate", "--catalog", str(catalog), "--today", "2026-11-23")
    assert "E-PERSONAL-DATA" not in result.output and "117077201/2021-00153" in item.read_text(encoding="utf-8")
