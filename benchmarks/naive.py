"""The naive baseline: each item as a plain Markdown page built by mkdocs-material with its built-in search
(jieba at build time), items out of the navigation. What an office would get without gongkai.

    python -m benchmarks.naive --catalog catalog --out /tmp/naive   # writes the project, then builds it
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path

from builder.model.load import load_catalog
from builder.site.urls import item_url, src_uri

MKDOCS_YML = """site_name: 政府信息公开（基线）
docs_dir: docs
site_dir: site
theme:
  name: material
  language: zh
  font: false
plugins:
  - search:
      lang: [en, zh]   # zh alone gives no results at all in the browser; en + zh is the working setup
not_in_nav: |
  /items/**
nav:
  - 首页: index.md
"""


def write_project(catalog_dir: Path, out: Path) -> Path:
    """A mkdocs project with one page per item; returns its mkdocs.yml."""
    catalog, _ = load_catalog(catalog_dir)
    docs = out / "docs"
    (docs / "items").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# 政府信息公开\n\n基线站点。\n", encoding="utf-8")
    for item in catalog.items:
        if not item.published:
            continue
        page = docs / src_uri(item_url(item))  # items/<索引号>.md: mkdocs publishes it as items/<索引号>/
        meta = f"索引号：{item.index_no}　文号：{item.doc_no}　发布日期：{item.published}"
        # Escaped as ours shows staff text: raw HTML as text (html.escape is what the baseline's author would use).
        page.write_text(f"# {html.escape(item.title, quote=False)}\n\n{meta}\n\n{html.escape(item.body, quote=False)}\n",
                        encoding="utf-8")
    (out / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    return out / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    print(write_project(args.catalog, args.out))


if __name__ == "__main__":
    main()
