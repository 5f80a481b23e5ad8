"""The plugin leaves mkdocs out of a build (`gongkai build` and `gongkai serve` alike) exactly when nothing mkdocs
renders changed, says again what mkdocs' part said, and the site is what a full build makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from conftest import EXAMPLE, TODAY, make_project, tree_digest

from builder.build.pipeline import BuildOptions, Memory, build

OLD_ITEM = Path("catalog/items/changchun-city/2005/speech-2005-11-09.md")  # on no column page
OPTIONS = BuildOptions(Path("catalog"), dt.date.fromisoformat(TODAY))


@pytest.fixture
def project(tmp_path, monkeypatch, caplog):
    project = make_project(tmp_path, source=EXAMPLE)
    monkeypatch.chdir(project)
    caplog.set_level(logging.INFO, logger="mkdocs")
    return project


def build_and_compare(caplog, memory: Memory | None = None, options: BuildOptions = OPTIONS) -> bool:
    """Build the site, and a full build beside it, which must be the same; whether mkdocs rendered the site."""
    caplog.clear()
    build(Path("mkdocs.yml"), Path("site"), options, memory)
    rendered = any(record.name == "mkdocs.commands.build" and record.getMessage().startswith("Documentation built")
                   for record in caplog.records)
    build(Path("mkdocs.yml"), Path("full"), dataclasses.replace(options, full=True))
    assert tree_digest(Path("site")) == tree_digest(Path("full"))
    return rendered


def edit(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_mkdocs_is_left_out_exactly_when_nothing_it_renders_changed(project, tmp_path, caplog):
    assert build_and_compare(caplog), "no site yet"
    edit(OLD_ITEM, "\n（补充说明。）\n")
    assert not build_and_compare(caplog), "a body edit changes no page mkdocs renders: mkdocs was left out"
    memory = Memory()  # `gongkai serve`, which keeps what it read between builds
    assert not build_and_compare(caplog, memory)
    edit(OLD_ITEM, "\n（再次补充。）\n")
    assert not build_and_compare(caplog, memory)
    memory.close()
    edit(Path("content/system.md"), "\n补充的制度说明。\n")
    assert build_and_compare(caplog), "a hand-written page changed: mkdocs renders it"
    assert not build_and_compare(caplog)
    Path("site/assets/gongkai.js").unlink()  # deleted by hand: mkdocs makes it again
    assert build_and_compare(caplog)
    shared = tmp_path / "shared"  # a folder of pages linked in: mkdocs reads through the link
    shared.mkdir()
    (shared / "notice.md").write_text("# 通知\n\n第一版\n", encoding="utf-8")
    Path("content/linked").symlink_to(shared)
    assert build_and_compare(caplog)
    assert not build_and_compare(caplog)
    (shared / "notice.md").write_text("# 通知\n\n第二版\n", encoding="utf-8")
    assert build_and_compare(caplog)


def test_the_build_after_a_full_one_leaves_mkdocs_out(project, caplog):
    """Found while measuring (2026-12-02): the theme's inputs held the build's options, ``full`` among them, so the
    build after `gongkai build --full` rendered everything again with mkdocs."""
    assert build_and_compare(caplog, options=dataclasses.replace(OPTIONS, full=True))
    edit(OLD_ITEM, "\n（补充说明。）\n")
    assert not build_and_compare(caplog), "a full build renders what any other does"


def test_another_day_another_plugin_and_settings_read_elsewhere_let_mkdocs_render(project, caplog):
    assert build_and_compare(caplog)
    assert build_and_compare(caplog, options=dataclasses.replace(OPTIONS, today=OPTIONS.today + dt.timedelta(days=1)))
    config = Path("mkdocs.yml").read_text(encoding="utf-8")
    Path("mkdocs.yml").write_text(config + "  - search\n", encoding="utf-8")
    assert build_and_compare(caplog)
    edit(OLD_ITEM, "\n（补充说明。）\n")
    assert build_and_compare(caplog), "another plugin may act on every page: mkdocs renders every build"
    assert Path("site/search/search_index.json").is_file(), "what the other plugin writes after the build is kept"
    # Settings in another file: what they say is not among the inputs, so mkdocs renders every build.
    Path("base.yml").write_text("theme:\n  palette:\n    primary: red\n", encoding="utf-8")
    Path("mkdocs.yml").write_text("INHERIT: base.yml\n" + config, encoding="utf-8")
    assert build_and_compare(caplog)
    Path("base.yml").write_text("theme:\n  palette:\n    primary: teal\n", encoding="utf-8")
    assert build_and_compare(caplog)
    assert 'data-md-color-primary="teal"' in Path("site/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("extension", ["pymdownx.snippets", "pymdownx.snippets:SnippetExtension"])
def test_a_page_that_includes_another_file_is_rendered_on_every_build(project, caplog, extension):
    """Found by a review (2026-12-01): with pymdownx.snippets (Material's glossary, `--8<-- "notice.md"`), a change
    of the included file left the page as it was: mkdocs was left out, the file not among its inputs."""
    config = Path("mkdocs.yml").read_text(encoding="utf-8")
    Path("mkdocs.yml").write_text(config.replace("  - toc\n", f"  - toc\n  - {extension}:\n"
                                                               "      base_path: [includes]\n"), encoding="utf-8")
    Path("includes").mkdir()
    Path("includes/notice.md").write_text("本网站联系电话：0431-1111。\n", encoding="utf-8")
    edit(Path("content/system.md"), '\n--8<-- "notice.md"\n')
    assert build_and_compare(caplog)
    Path("includes/notice.md").write_text("本网站联系电话：0431-2222。\n", encoding="utf-8")
    assert build_and_compare(caplog), "an extension that reads other files: mkdocs renders every build"
    assert "0431-2222" in Path("site/system/index.html").read_text(encoding="utf-8")


def test_what_mkdocs_said_is_said_again_when_it_is_left_out(project, caplog):
    edit(Path("content/system.md"), "\n见[附表](missing-table.md)。\n")

    def warned() -> bool:
        return any(record.levelno == logging.WARNING and "missing-table.md" in record.getMessage()
                   for record in caplog.records)

    assert build_and_compare(caplog) and warned()
    edit(OLD_ITEM, "\n（补充说明。）\n")
    caplog.clear()
    build(Path("mkdocs.yml"), Path("site"), OPTIONS)
    assert warned(), "the broken link is still there: its warning stays visible"
    assert not any(record.getMessage().startswith("Documentation built") for record in caplog.records)


def test_with_strict_a_warning_fails_every_build_mkdocs_is_not_left_out_of(project, caplog):
    """Found by a review: with strict: true, a broken link failed the first build and not the next, which left mkdocs
    out and said the warning again without failing."""
    from mkdocs.exceptions import Abort

    Path("mkdocs.yml").write_text("strict: true\n" + Path("mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    edit(Path("content/system.md"), "\n见[附表](missing-table.md)。\n")
    for _ in range(2):
        caplog.clear()
        with pytest.raises(Abort):
            build(Path("mkdocs.yml"), Path("site"), OPTIONS)
        assert any(record.levelno == logging.ERROR and "strict: true" in record.getMessage()
                   for record in caplog.records), "why it failed is said"


def test_a_column_description_written_as_a_number_is_published_as_that_text(project):
    """Found by a review (2026-12-01): `description: 2026` in a column page's front matter (YAML reads a number)
    crashed the page's metadata, and was then blamed on overrides/main.html, which called it."""
    page = Path("content/system.md")
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"(?m)^description: .*$", "description: 2026", text), encoding="utf-8")
    build(Path("mkdocs.yml"), Path("site"), OPTIONS)
    assert '<meta name="ColumnDescription" content="2026">' in Path("site/system/index.html").read_text(encoding="utf-8")
