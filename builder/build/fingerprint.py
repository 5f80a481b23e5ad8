"""What the build's output depends on besides the catalog: our code and templates, and the office's overrides.

One fingerprint serves every cache of the build (parsed items, pages, the search index): when any file that
shapes output changes, nothing cached is reused.
"""

from __future__ import annotations

from pathlib import Path

import builder
import search
from search.hashing import digest

CODE_FOLDERS = (Path(builder.__file__).parent, Path(search.__file__).parent)
CODE_SUFFIXES = (".py", ".html", ".js")


def code_fingerprint(overrides: Path | None) -> str:
    """Every .py, .html and .js file of gongkai (every subfolder included), and every file of ``overrides``
    (the theme's ``custom_dir``, where an office replaces templates and partials)."""
    files = sorted((f"{folder.name}/{p.relative_to(folder).as_posix()}", p) for folder in CODE_FOLDERS
                   for p in folder.rglob("*") if p.suffix in CODE_SUFFIXES and p.is_file())
    if overrides and overrides.is_dir():
        files += sorted((f"overrides/{p.relative_to(overrides).as_posix()}", p)
                        for p in overrides.rglob("*") if p.is_file())
    return digest(*(part for name, path in files for part in (name, path.read_bytes())))
