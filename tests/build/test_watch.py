"""Knowing what staff saved: from the system's notifications, or by looking where there are none."""

from __future__ import annotations

import functools
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from watchdog.observers import Observer

from builder.build import watch
from builder.build.watch import POLL_SECONDS, SavedFiles, preview_watched


@pytest.fixture
def project(tmp_path):
    catalog = tmp_path / "catalog"
    (catalog / "items").mkdir(parents=True)
    for n in range(3):
        (catalog / "items" / f"item-{n}.md").write_text(f"---\ntitle: {n}\n---\n正文 {n}\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def saved(project):
    watcher = SavedFiles([project / "catalog", project / "mkdocs.yml"])
    yield watcher
    watcher.close()


class Waiting:
    """``saved.wait()`` in a thread: whether it has returned."""

    def __init__(self, saved: SavedFiles) -> None:
        self.thread = threading.Thread(target=saved.wait, daemon=True)
        self.thread.start()

    def returned(self, within: float) -> bool:
        self.thread.join(within)
        return not self.thread.is_alive()


def test_a_saved_item_is_seen(project, saved):
    waiting = Waiting(saved)
    item = project / "catalog" / "items" / "item-1.md"
    item.write_text(item.read_text(encoding="utf-8") + "补充。\n", encoding="utf-8")
    assert waiting.returned(within=5)


def test_a_save_in_steps_is_seen_once_after_its_last_step(project, saved, monkeypatch):
    """An editor writing a long file in steps, each sooner than the settling time after the last and all of them
    longer than it: one save, seen after the last step (a fixed pause after the first step saw a save half-way, and
    the rest as another). A stream that does not stop is seen after SETTLE_AT_MOST_SECONDS. The settling time is
    made longer here (0.3 s, not 50 ms), so that a slow moment of the machine running the tests cannot split the
    steps."""
    settle = 0.3
    monkeypatch.setattr(watch, "SETTLE_SECONDS", settle)
    item = project / "catalog" / "items" / "item-1.md"
    with item.open("a", encoding="utf-8") as file:
        waiting = Waiting(saved)
        for step in range(4):
            file.write(f"第 {step} 段。\n")
            file.flush()
            time.sleep(settle / 2)
            assert step == 3 or not waiting.returned(within=0)
    assert waiting.returned(within=5)
    assert not saved.wait(timeout=2 * settle)  # the last step was in that save
    stream = threading.Event()

    def write_on() -> None:
        with item.open("a", encoding="utf-8") as file:
            while not stream.is_set():
                file.write("又一段。\n")
                file.flush()
                time.sleep(settle / 5)

    writer = threading.Thread(target=write_on, daemon=True)
    writer.start()
    try:
        assert Waiting(saved).returned(within=watch.SETTLE_AT_MOST_SECONDS + 2)
    finally:
        stream.set()
        writer.join()


def test_a_new_version_with_the_old_size_and_modification_time_is_seen(project, saved):
    """As a tool that keeps times would save it: only the change time tells."""
    item = project / "catalog" / "items" / "item-1.md"
    before = item.stat()
    time.sleep(0.05)  # the system's clock for file times moves in steps of a few milliseconds
    waiting = Waiting(saved)
    item.write_text(item.read_text(encoding="utf-8").replace("正文 1", "正文 9"), encoding="utf-8")
    os.utime(item, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert item.stat().st_size == before.st_size
    assert waiting.returned(within=5)


def test_reading_the_catalog_is_not_a_save(project, saved):
    waiting = Waiting(saved)
    for item in (project / "catalog" / "items").iterdir():  # as every build does
        item.read_bytes()
    (project / "notes.txt").write_text("不在预览范围内\n", encoding="utf-8")  # beside mkdocs.yml, not watched
    assert not waiting.returned(within=1)
    (project / "mkdocs.yml").write_text("site_name: y\n", encoding="utf-8")
    assert waiting.returned(within=5)


def test_waiting_for_a_while_says_whether_anything_was_saved(project, saved):
    assert saved.wait(0.5) is False
    (project / "catalog" / "items" / "item-0.md").write_text("---\ntitle: 改\n---\n", encoding="utf-8")
    assert saved.wait(5) is True
    assert saved.wait(0.5) is False  # said once


def test_new_and_removed_items_are_seen(project, saved):
    waiting = Waiting(saved)
    (project / "catalog" / "items" / "item-9.md").write_text("---\ntitle: 9\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)
    waiting = Waiting(saved)
    (project / "catalog" / "items" / "item-0.md").unlink()
    assert waiting.returned(within=5)


def test_a_folder_moved_in_is_seen_though_its_files_send_nothing(project, saved, tmp_path):
    outside = tmp_path / "elsewhere" / "2025"
    outside.mkdir(parents=True)
    (outside / "item-new.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    waiting = Waiting(saved)
    outside.rename(project / "catalog" / "items" / "2025")
    assert waiting.returned(within=5)


@pytest.mark.parametrize("linked_later", [False, True])
def test_a_save_in_a_folder_linked_into_the_catalog_is_seen(project, tmp_path, linked_later):
    """Found by a review (2026-12-01): the build reads a year's folder linked in from a shared drive, but the preview
    saw no save there (the system reports it under the real folder, which was not watched), with notifications and
    without. A folder linked in while the preview runs is watched from then on."""
    shared = tmp_path / "shared" / "2025"
    shared.mkdir(parents=True)
    (shared / "item-s.md").write_text("---\ntitle: 共享\n---\n", encoding="utf-8")
    if not linked_later:
        (project / "catalog" / "items" / "2025").symlink_to(shared, target_is_directory=True)
    watcher = SavedFiles([project / "catalog"])
    if linked_later:
        waiting = Waiting(watcher)
        (project / "catalog" / "items" / "2025").symlink_to(shared, target_is_directory=True)
        assert waiting.returned(within=5)
    waiting = Waiting(watcher)
    (shared / "item-s.md").write_text("---\ntitle: 共享（改）\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)
    watcher.close()


def test_a_link_back_up_is_walked_once(project):
    """Found by a review (2026-12-01): links to a folder above (a -> .., b -> ..) made the walk through links run for
    ever, and `gongkai serve` hang at its start; the build reads each folder once, and so does the watch."""
    for name in ("a", "b"):
        (project / "catalog" / "items" / name).symlink_to("..", target_is_directory=True)
    watcher = SavedFiles([project / "catalog"])
    assert len(watcher.state) == 3 and not watcher.linked
    waiting = Waiting(watcher)
    (project / "catalog" / "items" / "item-1.md").write_text("---\ntitle: 改\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)
    watcher.close()


def test_without_notifications_every_file_is_looked_at(project, monkeypatch):
    def unavailable(self):
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(Observer, "start", unavailable)
    watcher = SavedFiles([project / "catalog"])
    assert not watcher.notified
    waiting = Waiting(watcher)
    assert not waiting.returned(within=3 * POLL_SECONDS)
    (project / "catalog" / "items" / "item-2.md").write_text("---\ntitle: 改\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)
    watcher.close()


def test_a_watched_folder_deleted_and_made_again_is_watched_again(project, saved):
    """Found by a review (2026-12-02): a backup restored (rm -r catalog; cp -r backup catalog) was built, and no save
    after it ever was: the system ends the watch of a folder deleted."""
    shutil.copytree(project / "catalog", project / "backup")
    waiting = Waiting(saved)
    shutil.rmtree(project / "catalog")
    shutil.copytree(project / "backup", project / "catalog")
    assert waiting.returned(within=5)
    while saved.wait(0.5):  # the copy's last notifications
        pass
    waiting = Waiting(saved)
    (project / "catalog" / "items" / "item-1.md").write_text("---\ntitle: 恢复后\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)
    # Moved away and another moved in: the old one's watch would report under the old name.
    (project / "catalog").rename(project / "catalog-old")
    (project / "backup").rename(project / "catalog")
    assert saved.wait(5)
    while saved.wait(0.5):
        pass
    waiting = Waiting(saved)
    (project / "catalog-old" / "items" / "item-2.md").write_text("---\ntitle: 旧\n---\n", encoding="utf-8")
    assert not waiting.returned(within=1)
    (project / "catalog" / "items" / "item-2.md").write_text("---\ntitle: 新\n---\n", encoding="utf-8")
    assert waiting.returned(within=5)


def test_files_editors_write_beside_the_one_edited_are_not_saves(project, saved):
    """Found by a review (2026-12-02): typing in vim for 9 s without saving built the preview 4 times (its swap file
    and write probe), every open page reloading each time. An editor's save through a temporary file, renamed onto
    the file, is a save."""
    items = project / "catalog" / "items"
    (items / ".git").mkdir()
    waiting = Waiting(saved)
    for name in (".item-1.md.swp", ".item-1.md.swx", "4913", "#item-1.md#", "item-1.md~", "item-1.md___jb_tmp___",
                 "item-1.md___jb_old___", "._item-1.md", ".goutputstream-AB12CD", "item-1.md.tmp", ".git/index"):
        (items / name).write_text("不是保存\n", encoding="utf-8")
    (items / ".#item-1.md").symlink_to("staff@host.1234:1700000000")  # emacs' lock
    assert not waiting.returned(within=1)
    (items / ".item-1.md.swp").rename(items / ".item-1.md.swo")
    assert not waiting.returned(within=1)
    (items / ".item-1.md.tmp").write_text("---\ntitle: 原子保存\n---\n", encoding="utf-8")
    (items / ".item-1.md.tmp").rename(items / "item-1.md")
    assert waiting.returned(within=5)


def _project_with_snippets(project: Path) -> Path:
    """``project`` with mkdocs.yml inheriting base.yml, which includes files with pymdownx.snippets (from the folder
    mkdocs runs in, its default base_path, and one appended to every page), as Material documents it."""
    (project / "content").mkdir()
    (project / "overrides").mkdir()
    (project / "includes").mkdir()
    (project / "includes" / "notice.md").write_text("通知\n", encoding="utf-8")
    (project / "includes" / "abbreviations.md").write_text("*[政务公开]: 政府信息公开\n", encoding="utf-8")
    (project / "base.yml").write_text("markdown_extensions:\n  - pymdownx.snippets:\n      auto_append:\n"
                                      "        - includes/abbreviations.md\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: x\ndocs_dir: content\ntheme:\n  name: material\n"
                                        "  custom_dir: overrides\n", encoding="utf-8")
    return project / "mkdocs.yml"


def test_what_pages_include_and_mkdocs_yml_inherits_is_watched(project, monkeypatch):
    """Found by a review (2026-12-02): saving a file a page includes (pymdownx.snippets) or the file mkdocs.yml
    inherits (INHERIT: base.yml) built nothing, and the preview differed from a build. Only the folders a page may
    include from are watched in the project's own folder: not a virtual environment, installed packages, hidden
    folders or the sites built there, which hold thousands of folders and change with every build."""
    monkeypatch.chdir(project)  # where mkdocs runs: snippets' base_path "." is this folder
    config = _project_with_snippets(project)
    for folder in (".venv", "node_modules", ".git", "site", "preview"):
        (project / folder / "lib").mkdir(parents=True)
    (project / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    watched = preview_watched(project / "catalog", config, project / "preview")
    assert watched.settings == {config, project / "base.yml"}
    assert watched.shallow == (project,)
    assert set(watched.roots) == {project / name for name in ("catalog", "mkdocs.yml", "base.yml", "content",
                                                              "overrides", "includes", "includes/abbreviations.md")}
    saved = SavedFiles(functools.partial(preview_watched, project / "catalog", config, project / "preview"))
    try:
        for path in (project / "base.yml", project / "includes" / "notice.md", project / "README.md"):
            waiting = Waiting(saved)
            path.write_text(path.read_text(encoding="utf-8") + "\n" if path.exists() else "说明\n", encoding="utf-8")
            assert waiting.returned(within=5), path
        waiting = Waiting(saved)
        (project / "site" / "index.html").write_text("<p>生成的网站</p>\n", encoding="utf-8")
        (project / "preview" / "index.html").write_text("<p>预览</p>\n", encoding="utf-8")
        (project / "serve.log").write_text("已重新生成\n", encoding="utf-8")  # the preview's output, saved there
        assert not waiting.returned(within=1)
    finally:
        saved.close()


def test_a_link_to_itself_in_the_project_leaves_the_rest_watched(project, monkeypatch):
    """A symbolic link that leads to itself in the project's folder (or a catalog named by one) stopped the listing
    of that folder: asked whether it was a folder, the link raised, and every other folder pages include from, and
    every file beside it, went unwatched. The catalog given as such a link was an internal error."""
    monkeypatch.chdir(project)
    config = _project_with_snippets(project)
    (project / "loop").symlink_to("loop")
    (project / "README.md").write_text("说明\n", encoding="utf-8")
    watched = preview_watched(project / "catalog", config, project / "preview")
    assert {project / "includes", project / "content"} <= set(watched.roots)
    saved = SavedFiles(functools.partial(preview_watched, project / "catalog", config, project / "preview"))
    try:
        assert str(project / "README.md") in saved.state
    finally:
        saved.close()
    (project / "linked-catalog").symlink_to("linked-catalog")
    assert preview_watched(project / "linked-catalog", config, project / "preview").roots[0] == project / "linked-catalog"


def test_folders_mkdocs_yml_names_after_a_save_of_it_are_watched(project):
    """Found by a review (2026-12-02): a preview started while mkdocs.yml had a mistake watched nothing but the
    catalog and mkdocs.yml, and after a change of custom_dir nothing of the new folder: the folders were read from
    mkdocs.yml once, at the start."""
    config = project / "mkdocs.yml"
    good = "site_name: x\ndocs_dir: content\ntheme:\n  name: material\n  custom_dir: overrides\n"
    config.write_text(good + "theme: [\n", encoding="utf-8")
    for folder in ("content", "overrides", "theme-local"):
        (project / folder).mkdir()
    saved = SavedFiles(functools.partial(preview_watched, project / "catalog", config, project / "preview"))
    try:
        assert saved.watched.roots == (project / "catalog", config)
        for save in (lambda: config.write_text(good, encoding="utf-8"),
                     lambda: (project / "content" / "index.md").write_text("# 首页\n", encoding="utf-8"),
                     lambda: config.write_text(good.replace("custom_dir: overrides", "custom_dir: theme-local"),
                                               encoding="utf-8"),
                     lambda: (project / "theme-local" / "main.html").write_text("{% extends 'base.html' %}\n",
                                                                               encoding="utf-8")):
            waiting = Waiting(saved)
            save()
            assert waiting.returned(within=5)
        assert project / "overrides" not in saved.watched.roots
        waiting = Waiting(saved)
        (project / "overrides" / "main.html").write_text("{% extends 'base.html' %}\n", encoding="utf-8")
        assert not waiting.returned(within=1)
    finally:
        saved.close()
