"""Loading a catalog directory (builder/model/load.py): its files are found in the order of their paths."""

from __future__ import annotations

from builder.model.load import _files


def test_catalog_files_are_listed_in_path_order(tmp_path):
    for name in ("a/x.md", "a-b/x.md", "a.b/y.md", "a/b/z.md", "a/b-c.md", "a/b.md", "ab.md", "a/b/c/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _files(tmp_path, ".md") == [str(p) for p in sorted(tmp_path.rglob("*.md"))]
