"""`gongkai serve`: the preview rebuilds on save, reloads open pages, and survives a broken catalog."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import EXAMPLE, gongkai, make_project, tree_digest

from builder.build import pipeline
from builder.build.pipeline import BuildOptions
from builder.build.serve import PreviewServer

TODAY = "2026-11-23"
PAGE = "items/005000001_2024-00058.html"
ITEM = "catalog/items/jiyuan-city/2024/shenqing-banli-guiding.md"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _status(base: str) -> dict:
    return json.loads(_get(base + "__gongkai__/status"))


def _wait(base: str, condition, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = _status(base)
            if condition(status):
                return status
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the preview did not get there in time")


@pytest.fixture
def preview(tmp_path):
    project = make_project(tmp_path, EXAMPLE)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--today", TODAY, "--port", str(port)],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait(base, lambda s: s["version"] >= 1)
        yield project, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_saved_edit_is_rebuilt_and_shown(preview):
    project, base = preview
    page = _get(base + PAGE)
    assert "济源市人民政府关于印发济源市政府信息公开申请办理规定的通知" in page
    assert '<script src="/__gongkai__/reload.js"></script></body>' in page, "open pages reload themselves"
    assert "__gongkai__" not in (project / ".gongkai" / "preview" / PAGE).read_text(encoding="utf-8")
    before = _status(base)["version"]
    item = project / ITEM
    item.write_text(item.read_text(encoding="utf-8").replace("title: 济源市人民政府关于印发", "title: （预览修改）关于印发"),
                     encoding="utf-8")
    _wait(base, lambda s: s["version"] > before)
    assert "（预览修改）关于印发" in _get(base + PAGE)
    # Nothing of a preview is kept by the browser, the search index's files included: a save rewrites them within
    # the second a browser's check of a file's time would see.
    for path in (PAGE, "search/meta.json", "search/client.js", "__gongkai__/status"):
        with urllib.request.urlopen(base + path, timeout=10) as response:
            assert response.headers["Cache-Control"] == "no-store", path


def test_a_broken_catalog_shows_its_errors_and_keeps_the_last_site(preview):
    project, base = preview
    before = _status(base)["version"]
    (project / "catalog" / "items" / "bad.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    status = _wait(base, lambda s: s["version"] > before)
    assert not status["ok"]
    assert any(m.startswith("catalog/items/bad.md:2: E-YAML-SYNTAX") for m in status["messages"])
    assert "济源市" in _get(base + PAGE), "the last good site is still served"
    (project / "catalog" / "items" / "bad.md").unlink()
    assert _wait(base, lambda s: s["version"] > status["version"])["ok"]


def test_a_template_or_mkdocs_yml_saved_with_a_mistake_is_shown_and_the_preview_goes_on(preview):
    """Found by a review (2026-12-01): a typo in an override template or a half-saved mkdocs.yml ended the preview
    with 内部错误, and no later save was built."""
    project, base = preview
    status = _status(base)
    template, config = project / "overrides" / "main.html", project / "mkdocs.yml"
    for path, broken, shown in ((template, "{% block container %}{{ page.title }", "overrides/main.html:"),
                                (config, "extra: [unclosed\n", "mkdocs.yml 有错误")):
        status = _broken_then_mended(base, status, path, lambda text, path=path, broken=broken: path.write_text(
            text.replace("{% block container %}", broken) if path == template else text + broken, encoding="utf-8"),
            shown)


def _broken_then_mended(base: str, status: dict, path: Path, save_broken: Callable[[str], object],
                        shown: str) -> dict:
    """``path`` saved with a mistake (``save_broken`` given its text): the preview says ``shown`` over the last good
    site; then saved as it was: built again. The status after."""
    text = path.read_text(encoding="utf-8")
    save_broken(text)
    status = _wait(base, lambda s, version=status["version"]: s["version"] > version)
    assert not status["ok"] and any(shown in message for message in status["messages"]), status
    assert "济源市" in _get(base + PAGE), "the last good site is still served"
    path.write_text(text, encoding="utf-8")
    status = _wait(base, lambda s, version=status["version"]: s["version"] > version)
    assert status["ok"], status
    return status


def test_a_service_manager_stops_the_preview_cleanly(tmp_path):
    """SIGTERM ends it as Ctrl+C does: exit code 0, and nothing left in its temporary folder."""
    project = make_project(tmp_path, EXAMPLE)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--today", TODAY, "--port", str(port)],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=os.environ | {"TMPDIR": str(temporary)})
    try:
        _wait(f"http://127.0.0.1:{port}/", lambda s: s["version"] >= 1)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert "预览已停止" in stderr
    assert list(temporary.iterdir()) == []


def test_a_day_of_saves_does_not_grow_the_preview(tmp_path, monkeypatch):
    """Each build's own objects (mkdocs' configuration, plugins and pages, in reference cycles) are gone once it is
    over: loading the catalog hides every object alive from the collector for good (util.no_gc)."""
    project = make_project(tmp_path, EXAMPLE)
    monkeypatch.chdir(project)
    preview = PreviewServer(project / "mkdocs.yml", project / "site", BuildOptions(project / "catalog",
                            dt.date.fromisoformat(TODAY)), [project / "catalog"], port=0)
    item = project / ITEM
    counts = []
    for save in range(4):
        item.write_text(item.read_text(encoding="utf-8") + f"\n第 {save} 次修改。\n", encoding="utf-8")
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        preview.tidy()  # as serve_forever does once the pages have reloaded
        counts.append(len(gc.get_objects()) + gc.get_freeze_count())
    preview.memory.close()  # the index process it started for the next save
    preview.http.server_close()
    # The first build leaves what every later one keeps (compiled templates, imported modules); after it, a save
    # adds nothing that stays (each build made ~60,000 objects that did, at 10,000 items ~15 MB).
    assert max(counts[1:]) - min(counts[1:]) < 2_000, counts


def test_the_index_process_a_save_uses_is_started_while_nobody_waits(tmp_path, monkeypatch):
    """A build of the whole site (the first) ends its search index process; the process the first save needs was
    started by that save, which then also paid for mapping its memory (at 10,000 items the first save's wait for the
    index 0.15–0.37 s, against 0.02–0.18 s once started and mapped beforehand: docs/decisions.md). It is started
    as soon as the build is over, while the pages reload (not at the tidy-up, which a save a second later never
    reaches), and the save uses it."""
    project = make_project(tmp_path, EXAMPLE)
    monkeypatch.chdir(project)
    preview = PreviewServer(project / "mkdocs.yml", project / "site", BuildOptions(project / "catalog",
                            dt.date.fromisoformat(TODAY)), [project / "catalog"], port=0)
    try:
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        started = preview.memory.index  # not the first build's own, which has ended
        assert started is not None and started.usable()
        item = project / ITEM
        item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        assert preview.memory.index is started and started.usable()
    finally:
        preview.memory.close()
        preview.http.server_close()
    built = gongkai("build", "--today", TODAY, "--site-dir", "full", cwd=project)
    assert built.returncode == 0, built.stderr
    assert tree_digest(project / "site") == tree_digest(project / "full")


def test_a_save_that_breaks_a_rule_leaves_an_index_process_ready_for_the_save_that_mends_it(tmp_path, monkeypatch):
    """A save whose catalog loads but breaks a rule (staff's mistakes while they type) fails with the index process
    still able to write the next index: the preview validates before its index begins (pipeline.py; an index begun
    first would have to be ended with the build). The save that mends the mistake uses it, and builds what a full
    build would."""
    project = make_project(tmp_path, EXAMPLE)
    monkeypatch.chdir(project)
    preview = PreviewServer(project / "mkdocs.yml", project / "site", BuildOptions(project / "catalog",
                            dt.date.fromisoformat(TODAY)), [project / "catalog"], port=0)
    copy = project / "catalog" / "items" / "copy.md"
    try:
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        item = project / ITEM
        item.write_text(item.read_text(encoding="utf-8") + "\n补充说明。\n", encoding="utf-8")
        shutil.copyfile(item, copy)  # the same 索引号 twice
        preview.rebuild(logging.getLogger("test"))
        assert not preview.state.ok
        ready = preview.memory.index
        assert ready is not None and ready.usable()
        copy.unlink()
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        assert preview.memory.index is ready
    finally:
        preview.memory.close()
        preview.http.server_close()
    built = gongkai("build", "--today", TODAY, "--site-dir", "full", cwd=project)
    assert built.returncode == 0, built.stderr
    assert tree_digest(project / "site") == tree_digest(project / "full")


def test_no_index_process_is_started_after_a_build_that_failed(tmp_path, monkeypatch):
    """The next save may not build either: a process started for it would hold its memory for nothing."""
    project = make_project(tmp_path, EXAMPLE)
    monkeypatch.chdir(project)
    settings = project / "catalog" / "gongkai.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "\nsite: [\n", encoding="utf-8")
    preview = PreviewServer(project / "mkdocs.yml", project / "site", BuildOptions(project / "catalog",
                            dt.date.fromisoformat(TODAY)), [project / "catalog"], port=0)
    try:
        preview.rebuild(logging.getLogger("test"))
        assert not preview.state.ok
        preview.tidy()
        assert preview.memory.index is None
    finally:
        preview.memory.close()
        preview.http.server_close()


def test_a_preview_without_a_day_given_follows_the_clock(tmp_path, monkeypatch):
    """`gongkai serve` without --today builds each save for the day it runs: left running past midnight, the next
    save shows the new day's site, as `gongkai build` run then would (the days here come from a list, not the
    clock)."""
    project = make_project(tmp_path, EXAMPLE)
    monkeypatch.chdir(project)
    days = iter([dt.date(2026, 11, 23), dt.date(2026, 11, 24)])
    preview = PreviewServer(project / "mkdocs.yml", project / "site", BuildOptions(project / "catalog",
                            dt.date(2026, 11, 23)), [project / "catalog"], port=0, day=lambda: next(days))
    for _ in range(2):
        assert preview.rebuild(logging.getLogger("test")) > 0 and preview.state.ok
        preview.tidy()
    preview.memory.close()
    preview.http.server_close()
    for day in ("2026-11-23", "2026-11-24"):
        built = gongkai("build", "--today", day, "--site-dir", f"full-{day}", cwd=project)
        assert built.returncode == 0, built.stderr
    assert tree_digest(project / "site") == tree_digest(project / "full-2026-11-24") != tree_digest(
        project / "full-2026-11-23")


def test_the_preview_watches_the_pages_and_overrides_where_mkdocs_yml_puts_them(tmp_path):
    """An office that keeps its pages in pages/ (docs_dir) saw no rebuild when it edited them."""
    project = make_project(tmp_path)
    (project / "content").rename(project / "pages")
    (project / "overrides").rename(project / "theme-local")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("custom_dir: overrides", "custom_dir: theme-local")
    config.write_text(text.replace("docs_dir: content", "docs_dir: pages"), encoding="utf-8")
    assert pipeline.project_folders(config) == [project / "pages", project / "theme-local"]
    assert pipeline.project_folders(tmp_path / "nowhere.yml") == []


@contextlib.contextmanager
def _serving(project: Path) -> Iterator[str]:
    """`gongkai serve` run in ``project`` until the block ends: its address, once its first build is over."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--today", TODAY, "--port", str(port)],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait(base, lambda s: s["version"] >= 1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _saved(base: str, save: Callable[[], object]) -> dict:
    """The preview's status once it has built ``save``."""
    before = _status(base)["version"]
    save()
    return _wait(base, lambda s: s["version"] > before, timeout=20)


def test_a_file_a_page_includes_or_mkdocs_yml_inherits_is_watched(tmp_path):
    """Found by a review (2026-12-02): saving a file a page includes (pymdownx.snippets, from the folder mkdocs runs
    in, as Material documents it) or the file mkdocs.yml inherits (INHERIT) built nothing: the preview went on
    showing what a build no longer would."""
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text("INHERIT: base.yml\n" + config.read_text(encoding="utf-8").replace(
        "  - toc\n", "  - toc\n  - pymdownx.snippets\n"), encoding="utf-8")
    (project / "base.yml").write_text("theme:\n  palette:\n    primary: red\n", encoding="utf-8")
    (project / "includes").mkdir()
    (project / "includes" / "notice.md").write_text("通知（第一版）\n", encoding="utf-8")
    page = project / "content" / "system.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n--8<-- "includes/notice.md"\n', encoding="utf-8")
    with _serving(project) as base:
        shown = _get(base + "system/")
        assert "通知（第一版）" in shown and 'data-md-color-primary="red"' in shown
        assert _saved(base, lambda: (project / "includes" / "notice.md").write_text("通知（第二版）\n",
                                                                                   encoding="utf-8"))["ok"]
        assert "通知（第二版）" in _get(base + "system/")
        assert _saved(base, lambda: (project / "base.yml").write_text("theme:\n  palette:\n    primary: teal\n",
                                                                      encoding="utf-8"))["ok"]
        assert 'data-md-color-primary="teal"' in _get(base + "system/")


def test_folders_mkdocs_yml_names_once_fixed_or_changed_are_watched(tmp_path):
    """Found by a review (2026-12-02): a preview started while mkdocs.yml had a mistake never built a save of a page
    once it was fixed, nor one of the new theme folder after custom_dir changed: the folders were read from mkdocs.yml
    once, at the start."""
    project = make_project(tmp_path)
    config, page = project / "mkdocs.yml", project / "content" / "system.md"
    good = config.read_text(encoding="utf-8")
    config.write_text(good.replace("use_directory_urls: true", "use_directory_urls: [oops"), encoding="utf-8")
    with _serving(project) as base:
        assert not _status(base)["ok"]
        assert _saved(base, lambda: config.write_text(good, encoding="utf-8"))["ok"]
        assert _saved(base, lambda: page.write_text(page.read_text(encoding="utf-8") + "\n页面修改\n",
                                                    encoding="utf-8"))["ok"]
        assert "页面修改" in _get(base + "system/")
        shutil.copytree(project / "overrides", project / "theme-local")
        assert _saved(base, lambda: config.write_text(good.replace("custom_dir: overrides", "custom_dir: theme-local"),
                                                      encoding="utf-8"))["ok"]
        main = project / "theme-local" / "main.html"
        assert _saved(base, lambda: main.write_text(main.read_text(encoding="utf-8").replace(
            '{% extends "base.html" %}', '{% extends "base.html" %}{% block announce %}新主题文件夹{% endblock %}'),
            encoding="utf-8"))["ok"]
        assert "新主题文件夹" in _get(base)


def test_a_template_or_page_that_cannot_be_used_is_shown_and_the_preview_goes_on(preview):
    """Found by a review (2026-12-01): a name an override template does not know, or a page saved in GBK, ended the
    preview with 内部错误 (UndefinedError, UnicodeDecodeError)."""
    project, base = preview
    status = _status(base)
    template, page = project / "overrides" / "main.html", project / "content" / "system.md"
    extends = '{% extends "base.html" %}'
    for path, broken, encoding, shown in (
            (template, lambda text: text.replace(extends, extends + "{% block announce %}{{ nothing.at.all }}"
                                                                "{% endblock %}"), "utf-8",
             "overrides/main.html:1: 模板用到了不存在的变量或属性"),
            (page, lambda text: text, "gbk", "content/system.md:2: 页面不是 UTF-8 编码")):
        status = _broken_then_mended(base, status, path, lambda text, path=path, broken=broken, encoding=encoding:
                                     path.write_text(broken(text), encoding=encoding), shown)


def test_a_bug_met_in_a_build_is_shown_as_one_and_the_preview_goes_on(preview):
    """An exception nobody foresaw (here from a hook of mkdocs.yml's, Python that mkdocs runs) ended the preview.
    It is shown as gongkai's internal error, with where to find its details, over the last good site."""
    project, base = preview
    status = _status(base)
    (project / "hooks.py").write_text("def on_page_markdown(markdown, **kwargs):\n"
                                      "    raise RuntimeError('hook failed')\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + "hooks:\n  - hooks.py\n", encoding="utf-8")
    status = _wait(base, lambda s: s["version"] > status["version"])
    assert not status["ok"]
    assert any("内部错误：RuntimeError: hook failed" in message and "gongkai serve 的终端" in message
               for message in status["messages"]), status
    assert "济源市" in _get(base + PAGE), "the last good site is still served"
    config.write_text(text, encoding="utf-8")
    assert _wait(base, lambda s: s["version"] > status["version"])["ok"]


@pytest.mark.parametrize("rendering", [False, True])
def test_a_preview_stopped_while_it_builds_leaves_nothing_of_that_build(tmp_path, rendering):
    """Found by a review (2026-12-01): SIGTERM (or Ctrl+C) during a build that mkdocs renders left its staging and
    index folders beside the site: mkdocs runs its plugins' on_build_error for an Exception only, and the plugin
    abandoned its run only once started. Stopped as soon as the build has begun, and once mkdocs is writing pages."""
    project = make_project(tmp_path, EXAMPLE)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--today", TODAY, "--port", str(port)],
                              cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    beside = project / ".gongkai"
    try:
        _wait(f"http://127.0.0.1:{port}/", lambda s: s["version"] >= 1)
        settings = project / "catalog" / "gongkai.yaml"  # the site's title: mkdocs renders every page again
        settings.write_text(settings.read_text(encoding="utf-8").replace("title: ", "title: 预览", 1), encoding="utf-8")
        deadline = time.monotonic() + 60
        while not any(not rendering or any(stage.rglob("*")) for stage in beside.glob(".preview-stage-*")):
            assert time.monotonic() < deadline, "the rebuild did not get there"
            time.sleep(0.005)
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert server.returncode == 0, stderr
    assert not [path.name for path in beside.iterdir() if path.name.startswith((".preview-stage-", ".preview-search-"))]


def test_the_preview_answers_as_the_site_would(preview):
    """Found by a review (2026-12-01): HEAD gave another length than GET (which adds the reload script), a missing
    page was Python's English "Error response", and a folder without index.html was listed."""
    _, base = preview
    with urllib.request.urlopen(base, timeout=10) as response:
        length, content_type = len(response.read()), response.headers["Content-Type"]
    with urllib.request.urlopen(urllib.request.Request(base, method="HEAD"), timeout=10) as response:
        assert (int(response.headers["Content-Length"]), response.headers["Content-Type"]) == (length, content_type)
        assert response.read() == b""
    for missing in ("no/such/page/", "items/"):
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(base + missing, timeout=10)
        assert answer.value.code == 404
        page = answer.value.read().decode("utf-8")
        assert "<title>页面不存在" in page, "the site's own 404.html"
        assert '<script src="/__gongkai__/reload.js"></script>' in page, "it reloads once the page is built"
