"""The plugin's part of `gongkai serve`: a save that changes nothing mkdocs renders is finished without mkdocs, and
the site is what a full build makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from conftest import EXAMPLE, TODAY, make_project, tree_digest

from builder.build.pipeline import BuildOptions, Memory, build

OLD_ITEM = Path("catalog/items/changchun-city/2005/speech-2005-11-09.md")  # on no column page


def test_mkdocs_is_left_out_exactly_when_nothing_it_renders_changed(tmp_path, monkeypatch):
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    options = BuildOptions(Path("catalog"), dt.date.fromisoformat(TODAY))
    memory = Memory()

    def save_and_compare() -> None:
        build(Path("mkdocs.yml"), Path("site"), options, memory)
        build(Path("mkdocs.yml"), Path("full"), dataclasses.replace(options, full=True))
        assert tree_digest(Path("site")) == tree_digest(Path("full"))

    build(Path("mkdocs.yml"), Path("site"), options, memory)
    first = memory.theme
    assert first is not None and "assets/gongkai.js" in first.paths and "index.html" in first.paths
    with OLD_ITEM.open("a", encoding="utf-8") as item:
        item.write("\n（补充说明。）\n")
    save_and_compare()
    assert memory.theme is first, "a body edit changes no page mkdocs renders: mkdocs was left out"
    page = Path("content/system.md")
    page.write_text(page.read_text(encoding="utf-8") + "\n补充的制度说明。\n", encoding="utf-8")
    save_and_compare()
    assert memory.theme is not first, "a hand-written page changed: mkdocs renders it"
    second = memory.theme
    Path("site/assets/gongkai.js").unlink()  # deleted by hand: mkdocs makes it again
    save_and_compare()
    assert memory.theme is not second
    shared = tmp_path / "shared"  # a folder of pages linked in: mkdocs reads through the link
    shared.mkdir()
    (shared / "notice.md").write_text("# 通知\n\n第一版\n", encoding="utf-8")
    Path("content/linked").symlink_to(shared)
    save_and_compare()
    third = memory.theme
    (shared / "notice.md").write_text("# 通知\n\n第二版\n", encoding="utf-8")
    save_and_compare()
    assert memory.theme is not third
    memory.close()
