"""Shared fixtures: real catalogs on disk, and the CLI run the way users run it."""

from __future__ import annotations

import shutil
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


@pytest.fixture
def run(monkeypatch, tmp_path):
    """Run `gongkai ARGS` in-process from ``tmp_path``, so problem paths read catalog/…"""
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=True)

    return invoke
