"""What the build's output depends on besides the catalog: our code and templates, and the office's overrides.

One fingerprint serves every cache of the build (parsed items, pages, the search index): when any file that
shapes output changes, nothing cached is reused.
"""

from __future__ import annotations

import functools
from pathlib import Path

import builder
import search
from search.hashing import digest

CODE_FOLDERS = (Path(builder.__file__).parent, Path(search.__file__).parent)
TEMPLATE_SUFFIXES = (".html", ".js")


def code_fingerprint(overrides: Path | None) -> str:
    """Every .py, .html and .js file of gongkai (every subfolder included), and every file of ``overrides``
    (the theme's ``custom_dir``, where an office replaces templates and partials). The Python code is the code this
    process runs, read once: `gongkai serve` goes on running the code it started with when gongkai is upgraded
    meanwhile, and what it caches must say so (a later build would otherwise take it for the new code's). Templates
    and scripts are read when used, and so as they are now."""
    files = [*_python_code(CODE_FOLDERS), *_read(_code_files(CODE_FOLDERS, TEMPLATE_SUFFIXES))]
    if overrides and overrides.is_dir():
        files += _read(sorted((f"overrides/{p.relative_to(overrides).as_posix()}", p)
                              for p in overrides.rglob("*") if p.is_file()))
    return digest(*(part for name, data in files for part in (name, data)))


@functools.cache
def _python_code(folders: tuple[Path, ...]) -> tuple[tuple[str, bytes], ...]:
    """The .py files of ``folders`` as this process first read them (see ``code_fingerprint``)."""
    return tuple(_read(_code_files(folders, (".py",))))


def _code_files(folders: tuple[Path, ...], suffixes: tuple[str, ...]) -> list[tuple[str, Path]]:
    return sorted((f"{folder.name}/{p.relative_to(folder).as_posix()}", p) for folder in folders
                  for p in folder.rglob("*") if p.suffix in suffixes and p.is_file())


def _read(files: list[tuple[str, Path]]) -> list[tuple[str, bytes]]:
    return [(name, path.read_bytes()) for name, path in files]
