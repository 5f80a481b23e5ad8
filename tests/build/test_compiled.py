"""Compiled templates kept in the user's cache folder for every site (builder/build/compiled.py)."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import jinja2
import material
import pytest
from conftest import EXAMPLE, REPO, TODAY, gongkai, make_catalog

from builder.build.compiled import (
    CODE_FOLDER_CHARS,
    UNUSED_FOR,
    CompiledTemplates,
    compiled_templates,
    user_folder,
)
from builder.build.fingerprint import code_fingerprint
from builder.site.templating import TEMPLATES


def _project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """The example catalog, a copy of the overrides (edited below), and a mkdocs.yml reading both."""
    catalog = make_catalog(tmp_path, source=EXAMPLE)
    overrides = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {REPO / 'content'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {overrides}")
    config = tmp_path / "mkdocs.yml"
    config.write_text(text.replace("catalog_dir: catalog", f"catalog_dir: {catalog}"), encoding="utf-8")
    return catalog, overrides, config


def _build(catalog: Path, config: Path, site: Path) -> None:
    result = gongkai("build", "--catalog", str(catalog), "--today", TODAY, "--site-dir", str(site),
                     "--config-file", str(config))
    assert result.returncode == 0, result.stderr


def _files(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_a_new_site_compiles_nothing_an_earlier_build_compiled(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    catalog, overrides, config = _project(tmp_path)
    _build(catalog, config, tmp_path / "site")
    kept = compiled_templates(code_fingerprint(overrides), tmp_path / "unused")
    assert kept.folder.parent == user_folder() == tmp_path / "user-cache" / "gongkai" / "templates"
    # Ours and the theme's, under the keys a build of this code looks them up by.
    for name, file in (("item.html", TEMPLATES / "item.html"),
                       ("base.html", Path(material.__file__).parent / "templates" / "base.html")):
        assert (kept.folder / (kept.pattern % kept.get_cache_key(name, os.path.normpath(file)))).is_file(), name
    before = _files(kept.folder)
    _build(catalog, config, tmp_path / "second")
    assert _files(kept.folder) == before  # nothing compiled again, nothing rewritten
    assert not (tmp_path / ".site-gongkai-cache" / "templates").exists()
    assert not (tmp_path / ".second-gongkai-cache" / "templates").exists()
    # An office edits a partial of its overrides: the next new site shows it.
    footer = overrides / "partials" / "copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<!-- 本单位的模板 -->", encoding="utf-8")
    _build(catalog, config, tmp_path / "third")
    assert "<!-- 本单位的模板 -->" in (tmp_path / "third" / "index.html").read_text(encoding="utf-8")


def _a_file_for_the_cache_folder(tmp_path: Path) -> None:
    (tmp_path / "user-cache").write_text("", encoding="utf-8")


def _a_file_for_the_templates_folder(tmp_path: Path) -> None:
    (tmp_path / "user-cache" / "gongkai").mkdir(parents=True)
    (tmp_path / "user-cache" / "gongkai" / "templates").write_text("", encoding="utf-8")


def _a_folder_of_another_user(tmp_path: Path) -> None:
    folder = tmp_path / "user-cache" / "gongkai" / "templates"
    folder.mkdir(parents=True)
    try:
        os.chown(folder, os.getuid() + 1, -1)
    except PermissionError:
        pytest.skip("only root can give a folder to another user")


def _a_link(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "user-cache" / "gongkai").mkdir(parents=True)
    (tmp_path / "user-cache" / "gongkai" / "templates").symlink_to(tmp_path / "elsewhere")


@pytest.mark.parametrize("spoil", [_a_file_for_the_cache_folder, _a_file_for_the_templates_folder,
                                   _a_folder_of_another_user, _a_link])
def test_templates_are_compiled_beside_the_site_where_the_user_folder_is_unusable(tmp_path, monkeypatch, spoil):
    """Compiled templates are run as code: only a real folder of this user's, which they alone may write."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    spoil(tmp_path)
    catalog, _, config = _project(tmp_path)
    _build(catalog, config, tmp_path / "site")
    assert any((tmp_path / ".site-gongkai-cache" / "templates").iterdir())
    assert not list(tmp_path.glob("elsewhere/*"))  # a link is not followed


def test_a_folder_others_may_write_is_made_private(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    user_folder().mkdir(parents=True, mode=0o777)
    os.chmod(user_folder(), 0o777)
    assert compiled_templates("code", tmp_path / "beside").folder.parent == user_folder()
    assert user_folder().stat().st_mode & 0o777 == 0o700


def test_a_cache_that_cannot_be_written_or_read_only_costs_compiling(tmp_path):
    folder = tmp_path / "compiled"
    folder.mkdir()
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "{{ 1 + 1 }}"}),
                             bytecode_cache=CompiledTemplates(folder, "salt"))
    folder.rmdir()  # deleted during a build: writing fails
    assert env.get_template("page.html").render() == "2"
    folder.mkdir()
    assert jinja2.Environment(loader=env.loader, bytecode_cache=CompiledTemplates(folder, "salt")) \
        .get_template("page.html").render() == "2"
    (name,) = os.listdir(folder)
    (folder / name).unlink()
    (folder / name).symlink_to(folder / name)  # a file that cannot be opened (a loop of links)
    assert jinja2.Environment(loader=env.loader, bytecode_cache=CompiledTemplates(folder, "salt")) \
        .get_template("page.html").render() == "2"


def test_other_code_never_gets_a_compiled_template(tmp_path, monkeypatch):
    """Jinja keys by name and file only: the code fingerprint (our environments' options, the office's overrides)
    is part of the key too, as are the versions of what compiles (here Jinja's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))

    def key(code: str) -> str:
        return compiled_templates(code, tmp_path / "beside").get_cache_key("item.html", "/x/item.html")

    before = key("code")
    assert key("other code") != before and key("code") == before
    monkeypatch.setattr(jinja2, "__version__", "0.0")
    assert key("code") != before


DAY = 24 * 3600  # seconds


def _used(folder: Path, days_ago: float) -> None:
    when = time.time() - days_ago * DAY
    os.utime(folder, (when, when))


def test_compiled_templates_of_code_no_build_used_for_a_month_are_removed(tmp_path, monkeypatch):
    """Every update of gongkai, of a library or of the office's overrides compiles a new set (1–2 MB); the sets of
    code no build has used for UNUSED_FOR go, and nothing else in the folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    env = jinja2.Environment(loader=jinja2.DictLoader({"page.html": "{{ 1 + 1 }}"}))
    folders = {}
    for code in ("last year's", "three weeks ago", "today's"):
        env.bytecode_cache = compiled_templates(code, tmp_path / "beside")
        env.get_template("page.html")  # compiled into its code's folder
        env.cache.clear()
        folders[code] = env.bytecode_cache.folder
    assert len(set(folders.values())) == 3 and all(any(folder.iterdir()) for folder in folders.values())
    _used(folders["last year's"], 365)
    _used(folders["three weeks ago"], UNUSED_FOR / DAY - 9)
    _used(folders["today's"], 365)  # the code being built keeps its folder, however long unused
    unrelated = {"notes": user_folder() / "notes", "link": user_folder() / ("0" * CODE_FOLDER_CHARS)}
    unrelated["notes"].mkdir()
    _used(unrelated["notes"], 365)
    unrelated["link"].symlink_to(unrelated["notes"])  # named as a code's folder, but a link: not followed
    earlier = [user_folder() / f"__jinja2_{'0' * 40}.cache", user_folder() / f"__jinja2_{'0' * 40}.cacheab1.tmp"]
    for file in earlier:  # where an earlier release kept them, and one it left half-written
        file.write_bytes(b"")
    assert compiled_templates("today's", tmp_path / "beside").folder == folders["today's"]
    assert sorted(path.name for path in user_folder().iterdir()) == \
        sorted([folders["three weeks ago"].name, folders["today's"].name, "notes", "0" * CODE_FOLDER_CHARS])
    assert not (tmp_path / "beside").exists()


def test_with_no_private_folder_no_compiled_templates_are_kept(tmp_path, monkeypatch):
    """Neither the user's folder nor the one beside the site will do (a file in the way of each): no cache is given
    to Jinja, which then compiles every template it needs."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    _a_file_for_the_cache_folder(tmp_path)
    (tmp_path / ".site-gongkai-cache").write_text("", encoding="utf-8")
    assert compiled_templates("code", tmp_path / ".site-gongkai-cache" / "templates") is None
