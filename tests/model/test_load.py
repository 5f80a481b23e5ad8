"""Loading a catalog directory (builder/model/load.py): its files are found in the order of their paths."""

from __future__ import annotations

import datetime as dt

from conftest import BASE, make_catalog, make_site

from builder.model.load import _files, load_catalog


def test_catalog_files_are_listed_in_path_order(tmp_path):
    for name in ("a/x.md", "a-b/x.md", "a.b/y.md", "a/b/z.md", "a/b-c.md", "a/b.md", "ab.md", "a/b/c/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _files(tmp_path, ".md") == [str(p) for p in sorted(tmp_path.rglob("*.md"))]


NOTICE = (BASE / "items" / "2026" / "notice.md").read_text(encoding="utf-8")


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
    page = (site / "items" / "11220000013544357T_2026-00001" / "index.html").read_text(encoding="utf-8")
    assert '<th scope="row">发布日期</th><td>不详</td>' in page
