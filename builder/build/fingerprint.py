"""What the build's output depends on besides the catalog: our code and templates, and the office's overrides.

One fingerprint serves every cache of the build (parsed items, pages, the search index): when any file that
shapes output changes, nothing cached is reused.
"""

from __future__ import annotations

import functools
import importlib.metadata
from pathlib import Path

import builder
import search
from search.hashing import digest

from ..util import files_below

CODE_FOLDERS = (Path(builder.__file__).parent, Path(search.__file__).parent)
TEMPLATE_SUFFIXES = (".html", ".js")


def code_fingerprint(overrides: Path | None) -> str:
    """Every .py, .html and .js file of gongkai (every subfolder included), the versions of the libraries that shape
    the output, and every file of ``overrides`` (the theme's ``custom_dir``, where an office replaces templates and
    partials). The Python code and the libraries are those this process runs, looked at once: `gongkai serve` goes on
    running what it started with when gongkai or a library is upgraded meanwhile, and what it caches must say so (a
    later build would otherwise take it for the new code's). Templates and scripts are read when used, and so as
    they are now."""
    files = [*_running_code(CODE_FOLDERS, OUTPUT_LIBRARIES), *_read(_code_files(CODE_FOLDERS, TEMPLATE_SUFFIXES))]
    if overrides and overrides.is_dir():
        files += _read([(f"overrides/{p.relative_to(overrides).as_posix()}", p) for p in files_below(overrides)])
    return digest(*(part for name, data in files for part in (name, data)))


# The libraries whose version shapes what a build writes: Markdown renders the bodies, Jinja and MarkupSafe the
# pages, mkdocs and Material the theme, feedgen and lxml the feeds, PyYAML the report's data files, the calendars
# the deadlines, numpy the index's arrays. An upgrade of one (without one of gongkai) must not leave pages, feeds
# or the index made by the old one as if current.
OUTPUT_LIBRARIES = ("Markdown", "pymdown-extensions", "Jinja2", "MarkupSafe", "mkdocs", "mkdocs-material", "feedgen",
                    "lxml", "PyYAML", "chinesecalendar", "lunar-python", "numpy")


@functools.cache
def _running_code(folders: tuple[Path, ...], libraries: tuple[str, ...]) -> tuple[tuple[str, bytes], ...]:
    """The .py files of ``folders`` as this process first read them and the versions of ``libraries`` it runs
    (see ``code_fingerprint``)."""
    return (*_read(_code_files(folders, (".py",))),
            *((f"library {name}", _version(name).encode("utf-8")) for name in libraries))


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return ""


def _code_files(folders: tuple[Path, ...], suffixes: tuple[str, ...]) -> list[tuple[str, Path]]:
    return sorted((f"{folder.name}/{p.relative_to(folder).as_posix()}", p) for folder in folders
                  for p in folder.rglob("*") if p.suffix in suffixes and p.is_file())


def _read(files: list[tuple[str, Path]]) -> list[tuple[str, bytes]]:
    return [(name, path.read_bytes()) for name, path in files]
