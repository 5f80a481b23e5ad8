"""Shared fixtures: real catalogs on disk, the site built from them, and the CLI run the way users run it.

The tests mirror the stages of ``builder/`` (``model/``, ``rules/``, ``check/``, ``report/``, ``site/``, ``build/``)
and ``search/``; tests of the whole program stay at the top. No folder is a package: pytest puts each test file's
folder and this one on ``sys.path``, so every test file imports its helpers with ``from conftest import …`` and test
file names are unique across folders.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli
from search.index import unpacked

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base" / "catalog"
REPO = Path(__file__).parent.parent
EXAMPLE = REPO / "catalog"
TODAY = "2026-11-23"
# A holidays.yaml with 2027's days off by statute (放假办法 art. 2), as an office would write them before the notice.
HOLIDAYS_2027 = ("2027:\n  notice: 国办发明电〔2026〕1号\n  holidays: [2027-01-01, 2027-02-05..2027-02-08, 2027-04-05, "
                 "2027-05-01, 2027-05-02, 2027-06-09, 2027-09-15, 2027-10-01..2027-10-03]\n")


def make_catalog(directory: Path, overlay: Path | None = None, remove=(), source: Path = BASE) -> Path:
    """A catalog in ``directory/catalog``: ``source`` with ``overlay``'s files on top and ``remove`` deleted."""
    target = directory / "catalog"
    shutil.copytree(source, target)
    if overlay is not None and overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    for relative in remove:
        (target / relative).unlink()
    return target


def gongkai(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """Run the real `gongkai` program, as users do."""
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, cwd=cwd)


def make_project(directory: Path, source: Path = BASE) -> Path:
    """A project as an office has it, in ``directory/project``: the repository's mkdocs.yml, content/ and
    overrides/, and a copy of the catalog ``source``."""
    project = directory / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "content", "overrides"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copyfile)(REPO / name, project / name)
    shutil.copytree(source, project / "catalog")
    return project


def make_site(tmp_path: Path, *, source: Path = BASE, overlay: Path | None = None, remove=(),
              files: dict[str, str] | None = None, today: str = TODAY, site: str = "site", args=(),
              check: bool = True) -> tuple[Path, subprocess.CompletedProcess]:
    """A site built by the real `gongkai build` from a catalog made in ``tmp_path/catalog``.

    The catalog is ``source`` (the base fixture unless told) with ``overlay``'s files on top, ``remove`` deleted
    and ``files`` (path in the catalog → text) written; it is built for ``today`` into ``tmp_path/site`` (or the
    folder named by ``site``) with ``args`` added to the command line. Returns the site's path and the completed
    process; unless ``check`` is false, the build must succeed.
    """
    catalog = make_catalog(tmp_path, overlay, remove, source)
    for relative, text in (files or {}).items():
        (catalog / relative).parent.mkdir(parents=True, exist_ok=True)
        (catalog / relative).write_text(text, encoding="utf-8")
    site_dir = tmp_path / site
    result = gongkai("build", "--catalog", str(catalog), "--today", today, "--site-dir", str(site_dir), *args)
    if check:
        assert result.returncode == 0, result.stderr
    return site_dir, result


def tree_digest(directory: Path, folders: bool = True) -> dict[str, str]:
    """Every file under ``directory`` and the SHA-256 of its bytes, and unless told otherwise every folder (an empty
    one is a difference too), named with a final /."""
    return {str(p.relative_to(directory)) + ("" if p.is_file() else "/"):
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
            for p in sorted(directory.rglob("*")) if folders or p.is_file()}


def search_records(index: Path) -> dict[int, dict]:
    """Each search document of the static index at ``index`` (its packs, search/index.py ``pack``), by number."""
    size = json.loads((index / "meta.json").read_text(encoding="utf-8"))["range_size"]
    return {int(pack.stem) * size + place: json.loads(record) for pack in sorted((index / "d").glob("*.bin"))
            for place, record in enumerate(unpacked(pack.read_bytes()))}


@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Collect tests/build/ (the tests of builder/build/), which pytest's default ``norecursedirs`` skips."""
    if collection_path == Path(__file__).parent / "build":
        return False
    return None


# Characters and Markdown-ish pieces the fast paths' property tests draw random texts from.
ALPHABET = [*"政府信息公开条例第二十三（）。，、；：“”", *"ab1 2.0)", "\n", "\n\n", "  ", "\n ", "\n1.", "\n3. ",
            "*", "#", "[x]", "<b>", "&", "-", "|", "\t", "`", "_"]


def random_texts(count: int, seed: int, alphabet: list[str] = ALPHABET) -> list[str]:
    """``count`` random texts of up to 40 pieces of ``alphabet``, the same for the same ``seed``."""
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(count)]


def posting_list(postings) -> list[int]:
    """The integers of one posting list, as the index's writer should make them: for each (document, its slots) of
    ``postings``, ascending, the gap from the previous document, the number of slots, the slots as gaps."""
    flat, previous = [], 0
    for number, slots in postings:
        flat += [number - previous, len(slots), *(b - a for a, b in zip([0, *slots], slots))]
        previous = number
    return flat


def posting_integers(text: str) -> list[int]:
    """The integers of a postings text, read the slow, obvious way (search/postings.py ``digits`` writes it)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    numbers, value = [], 0
    for char in text:
        digit = alphabet.index(char)
        value = value * 32 + digit % 32
        if digit < 32:
            numbers.append(value)
            value = 0
    assert value == 0, "a number's last digit is missing"
    return numbers


# The queries the static index, the browser client and Whoosh must answer alike (search/ and test_browser.py).
SEARCH_QUERIES = ["政府信息公开", "服务型政府", "吉政发〔2005〕20号", "依申请公开", "法治政府", "政务公开", "年度报告",
                  "济源市", "行政审批", "指标体系", "政府", "人民政府", "示例", "2011", "考核办法", "处罚决定",
                  "暂行办法", "公开 政府", "不存在的词语组合", "吉林 年度报告"]


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory) -> Path:
    """The user's cache folder (compiled templates, shared by every site) for this run, not the home folder's."""
    folder = tmp_path_factory.mktemp("user-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)  # the builds run as programs inherit it
    yield folder
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example catalog built once, by `gongkai build`, for 2026-11-23."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = gongkai("build", "--today", TODAY, "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run `gongkai ARGS` in-process from ``tmp_path``, so problem paths read catalog/…"""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=True)

    return invoke
