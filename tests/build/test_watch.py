"""Knowing what staff saved: from the system's notifications, or by looking where there are none."""

from __future__ import annotations

import os
import threading
import time

import pytest
from watchdog.observers import Observer

from builder.build.watch import POLL_SECONDS, SavedFiles


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
