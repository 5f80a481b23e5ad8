"""The code fingerprint (build/fingerprint.py): what every cache of the build is labelled with."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from builder.build import fingerprint


def test_the_fingerprint_names_the_python_this_process_runs_and_templates_as_they_are(tmp_path, monkeypatch):
    """A .py file changed after the process first took the fingerprint leaves it as it was: the process still runs
    the code it loaded (`gongkai serve` after gongkai is upgraded). A process started afterwards, a template or an
    override changed, each change it."""
    code, overrides = tmp_path / "gongkai", tmp_path / "overrides"
    code.mkdir()
    overrides.mkdir()
    (code / "module.py").write_text("A = 1\n", encoding="utf-8")
    (code / "page.html").write_text("<p>1</p>", encoding="utf-8")
    (overrides / "main.html").write_text("x", encoding="utf-8")
    monkeypatch.setattr(fingerprint, "CODE_FOLDERS", (code,))
    first = fingerprint.code_fingerprint(overrides)
    (code / "module.py").write_text("A = 2\n", encoding="utf-8")
    assert fingerprint.code_fingerprint(overrides) == first
    started_later = subprocess.run(
        [sys.executable, "-c", "import sys, pathlib; from builder.build import fingerprint as f; "
         "f.CODE_FOLDERS = (pathlib.Path(sys.argv[1]),); print(f.code_fingerprint(pathlib.Path(sys.argv[2])))",
         str(code), str(overrides)], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    assert started_later not in ("", first)
    (code / "page.html").write_text("<p>2</p>", encoding="utf-8")
    templated = fingerprint.code_fingerprint(overrides)
    (overrides / "main.html").write_text("y", encoding="utf-8")
    assert len({first, started_later, templated, fingerprint.code_fingerprint(overrides)}) == 4


def test_the_fingerprint_holds_the_versions_of_the_libraries_that_shape_the_output(monkeypatch):
    """Markdown renders the bodies, feedgen the feeds: an upgrade of either changes what a build writes, and so the
    fingerprint (here, a library more is one more version in it)."""
    assert {"Markdown", "feedgen", "Jinja2", "mkdocs-material", "PyYAML"} <= set(fingerprint.OUTPUT_LIBRARIES)
    assert all(fingerprint._version(name) for name in fingerprint.OUTPUT_LIBRARIES), "each name is installed"
    with_all = fingerprint.code_fingerprint(None)
    monkeypatch.setattr(fingerprint, "OUTPUT_LIBRARIES",
                        tuple(name for name in fingerprint.OUTPUT_LIBRARIES if name != "feedgen"))
    assert fingerprint.code_fingerprint(None) != with_all
