"""Where the files a catalog names really are, and their status (builder/model/paths.py)."""

from __future__ import annotations

import os

from builder.model.paths import RealPaths


def test_real_paths_are_what_resolve_gives_through_any_link(tmp_path):
    """``RealPaths.of`` resolves most files with a system call or two, and must give what ``Path.resolve`` gave for
    every file named from a folder (without its error on a loop): the file a link, or the folder it is in, or one on
    the way (also after "..", which goes up from where a link leads), the folder itself reached through a link, links
    that lead nowhere or to themselves, files that do not exist. A review found two ways a loop misled it: a link to
    its own parent (lp -> lp/..) made a linked folder be recorded as real, so that a later file through that folder
    was taken for one inside it; and after a loop, Python's realpath reads "//" as the root."""
    base = tmp_path / "base"
    (base / "items" / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "elsewhere" / "inner").mkdir(parents=True)
    (base / "items" / "a.pdf").write_text("a", encoding="utf-8")
    (base / "items" / "sub" / "b.pdf").write_text("b", encoding="utf-8")
    (base / "items" / "linked.pdf").symlink_to("a.pdf")
    (base / "items" / "away").symlink_to(tmp_path / "elsewhere" / "inner")
    (base / "items" / "sub" / "up").symlink_to("..")
    (base / "items" / "nowhere.pdf").symlink_to("gone.pdf")
    (base / "items" / "loop.pdf").symlink_to("loop.pdf")
    (base / "items" / "loop-folder").symlink_to("loop-folder")
    (base / "items" / "lp").symlink_to("lp/..")
    (base / "items" / "l1").symlink_to("l2")
    (base / "items" / "l2").symlink_to("l1")
    (tmp_path / "items-link").symlink_to(base / "items")
    files = ["lp/away/x.pdf", "away/x.pdf", "a.pdf", "./a.pdf", "sub/b.pdf", "sub//b.pdf", "sub/deeper/../b.pdf",
             "linked.pdf", "away/../x.pdf", "sub/up/a.pdf", "sub/up/../a.pdf", "nowhere.pdf", "loop.pdf",
             "loop-folder/x.pdf", "l1//f/a.pdf", "l1//etc/../etc/x.pdf", "lp/sub/b.pdf", "missing/x.pdf",
             "../items/a.pdf", "/etc/hostname", "", "sub/", "附件\\b.pdf"]
    for folder in (base / "items", base / "items" / "sub", tmp_path / "items-link", tmp_path / "items-link" / "sub"):
        real_paths = RealPaths()
        for file in files:
            for _ in range(2):  # the folder resolved afresh, then known
                assert real_paths.of(str(folder), file) == os.path.realpath(folder / file), (folder, file)


def test_a_file_is_looked_at_once_a_build(tmp_path):
    """Loading asks whether an attachment is a link, validation whether it is a file, its page how large it is, and
    the build whether its bytes changed: one look, the first, kept for the build."""
    folder = tmp_path.resolve()
    (folder / "a.pdf").write_bytes(b"%PDF")
    (folder / "b.pdf").write_bytes(b"%PDF")
    (folder / "link.pdf").symlink_to(folder / "b.pdf")
    real_paths = RealPaths()
    assert real_paths.of(str(folder), "a.pdf") == str(folder / "a.pdf")
    assert real_paths.of(str(folder), "link.pdf") == str(folder / "b.pdf")
    for name in ("a.pdf", "b.pdf"):
        (folder / name).write_bytes(b"%PDF-1.7")
    assert real_paths.stat(folder / "a.pdf").st_size == 4  # what ``of`` looked at: the file itself, no link
    assert real_paths.stat(folder / "b.pdf").st_size == 8  # looked at now: ``of`` saw the link only
    (folder / "b.pdf").write_bytes(b"%PDF-1.7 and more")
    assert real_paths.is_file(folder / "b.pdf") and real_paths.stat(folder / "b.pdf").st_size == 8
    assert not real_paths.is_file(folder) and real_paths.stat(folder / "没有.pdf") is None
    assert real_paths.of(str(folder), "gone.pdf") == str(folder / "gone.pdf")
    assert real_paths.stat(folder / "gone.pdf") is None
    assert real_paths.stat(folder / ("长" * 300 + ".pdf")) is None  # a name the system refuses
