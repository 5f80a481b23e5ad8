"""Compiled templates kept between builds, for every site one user builds: ours, the theme's and the office's
overrides. Compiling them took ~0.4 s of every build that had none (a build of a new site, every `--full`).

Each code that compiles them (gongkai, the office's overrides, the libraries' versions) has a folder of its own
under the user's, which every build using it marks as used; a folder no build has used for a month is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import stat
import time
from importlib.metadata import version
from pathlib import Path

import jinja2
import platformdirs
from jinja2.bccache import Bucket

from search.hashing import digest


def user_folder() -> Path:
    """``$XDG_CACHE_HOME/gongkai/templates``, by default ``~/.cache/gongkai/templates``."""
    return platformdirs.user_cache_path("gongkai") / "templates"


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates in a folder, keyed also by what compiled them.

    Jinja keys a compiled template by its name and file, and checks its source's checksum and the Python version,
    but not the environment that compiled it (its options, its extensions, Jinja's own version). ``salt`` adds
    them: gongkai's code fingerprint (our environments' options are code; it covers the office's overrides too)
    and the versions of Jinja, mkdocs and Material. Only a cache: a file that cannot be read or written is
    compiled again, and the build goes on."""

    def __init__(self, folder: Path, salt: str) -> None:
        super().__init__(str(folder))
        self._salt = salt

    @property
    def folder(self) -> Path:
        return Path(self.directory)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha1(f"{self._salt}|{name}|{filename or ''}".encode()).hexdigest()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, pickle.UnpicklingError):  # Jinja writes by renaming, but a disk can fail
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a full disk, a folder deleted during the build
            super().dump_bytecode(bucket)


UNUSED_FOR = 30 * 24 * 3600  # seconds: compiled templates of code no build has used for a month are removed
CODE_FOLDER_CHARS = 16  # hexadecimal characters of the salt that name the folder of one code's templates
_CODE_FOLDER = re.compile(f"[0-9a-f]{{{CODE_FOLDER_CHARS}}}")
# An earlier release kept them all in one folder (and Jinja writes each through a temporary file beside it).
_EARLIER_FILE = re.compile(r"__jinja2_[0-9a-f]{40}\.cache(\w+\.tmp)?")


def compiled_templates(code: str, fallback: Path) -> CompiledTemplates | None:
    """The compiled templates for a build by ``code`` (its code fingerprint), in a folder of their own: in the
    user's folder, or in ``fallback`` (beside the site) where that is not a folder of this user's that only they
    may write; None (every template compiled) where neither is. What is in it is run as code, so it is held to
    what Jinja requires of its own default folder. Those of code no build has used for ``UNUSED_FOR`` are
    removed."""
    salt = digest(code, jinja2.__version__, version("mkdocs"), version("mkdocs-material"))
    for folder in (user_folder(), fallback):
        used = folder / salt[:CODE_FOLDER_CHARS]
        if _private(folder) and _private(used):
            with contextlib.suppress(OSError):  # only a cache
                os.utime(used)  # used now: kept by the builds of other code
                _remove_unused(folder, used)
            return CompiledTemplates(used, salt)
    return None


def _remove_unused(folder: Path, used: Path) -> None:
    """Remove from ``folder`` the compiled templates of other code that no build has used for ``UNUSED_FOR``
    (each code's are 1–2 MB, and every update of gongkai, of a library or of the office's overrides makes new
    ones), and those an earlier release kept outside any code's folder. Nothing else in it is touched."""
    unused_since = time.time() - UNUSED_FOR
    with os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):  # another build removing it at the same time
                if _EARLIER_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)
                elif (entry.name != used.name and _CODE_FOLDER.fullmatch(entry.name)
                      and entry.is_dir(follow_symlinks=False)
                      and entry.stat(follow_symlinks=False).st_mtime < unused_since):
                    shutil.rmtree(entry.path)


def _private(folder: Path) -> bool:
    """Whether ``folder`` is (or could be made) a real folder owned by this user, readable and writable by them
    alone. Relative when the system knows no home folder: the working folder is no cache."""
    if not folder.is_absolute():
        return False
    try:
        folder.mkdir(mode=stat.S_IRWXU, parents=True, exist_ok=True)
        if _own_folder(folder.lstat()):
            os.chmod(folder, stat.S_IRWXU)  # made under another umask, or by an earlier release
        found = folder.lstat()
    except OSError:
        return False
    return _own_folder(found) and stat.S_IMODE(found.st_mode) == stat.S_IRWXU


def _own_folder(found: os.stat_result) -> bool:
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid()
