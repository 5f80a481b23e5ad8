"""Shared fixtures: real catalogs on disk, and the CLI run the way users run it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
BASE = FIXTURES / "base" / "catalog"
REPO = Path(__file__).parent.parent
EXAMPLE = REPO / "catalog"


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


def tree_digest(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` and the SHA-256 of its bytes."""
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example catalog built once, by `gongkai build`, for 2026-11-23."""
    site = tmp_path_factory.mktemp("example") / "site"
    result = gongkai("build", "--today", "2026-11-23", "--site-dir", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run `gongkai ARGS` in-process from ``tmp_path``, so problem paths read catalog/…"""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=True)

    return invoke
