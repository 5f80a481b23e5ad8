"""Fuzzing: whatever staff (or anyone) put in any catalog file, gongkai answers with messages, never a crash.

A seeded mutator damages one file of the base catalog per case — a value replaced by a hostile one, a line
dropped, doubled or cut, bytes flipped, the file truncated or emptied — and runs the real commands on it
in-process: `validate`, `due`, and for every tenth case `build` (half the cases on the base fixture, half on
the example catalog); the report data file goes through `report check`. Every case must end with exit 0 or 1, no traceback, no 内部错误, and each problem printed as
``path:line: CODE …``. CI runs about 100 cases; ``GONGKAI_SLOW=1`` runs thousands (``GONGKAI_SEED`` picks
another sequence). A failure names its seed, the file and the mutation, so it can be replayed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BASE, EXAMPLE, FIXTURES, REPO, TODAY

from builder.cli import cli

SLOW = bool(os.environ.get("GONGKAI_SLOW"))
CASES = 3000 if SLOW else 100
SEED = int(os.environ.get("GONGKAI_SEED", "1"))
REPORT_FILE = FIXTURES / "broken" / "report-not-a-number" / "report.yaml"

# Values that broke, or could break, a reader of YAML, dates, numbers, paths or HTML.
HOSTILE = (
    "", "~", "null", "[]", "{}", "[1, [2, {3: 4}]]", "- a\n- b", ".nan", ".inf", "-.inf", "-1", "0", "1e400",
    "99999999", "999999999999999999999", "2026-02-30", "0000-01-01", "9999-12-31", "2026-13-01", "'2017-07-14'",
    "2024-04-06 16:40", "2017年7月14日", "yes", "no", "on", "true", "!!python/object:os.system", "*alias",
    "&anchor x", "<<: *x", "{a: b", "[", "'", '"', "：", "全角：冒号", "\t缩进", "　全角空格", "javascript:alert(1)",
    "[x](javascript:alert(1))", "<script>alert(1)</script>", "../../../etc/passwd", "/", ".", "..", "a/b",
    "index.html", "#?%", "\u202e\u200b", "😀" * 50, "长" * 5000, "\x00", "\x07", "---", "...", "%YAML 1.1",
    "吉政发〔2005〕20号", "20-1", "行政许可", "jilin-province", "demo",
)


def _catalog_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md"))


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One damaged version of a file's bytes, and what was done (to replay a failure)."""
    lines = data.split(b"\n")
    index = rng.randrange(len(lines))
    kind = rng.choice(["value", "value", "value", "drop", "double", "cut", "flip", "truncate", "empty", "insert"])
    if kind == "value":
        value = rng.choice(HOSTILE)
        line = lines[index].decode("utf-8", "replace")
        lines[index] = (re.sub(r":( .*|)$", ": " + value, line, count=1) if ":" in line else value).encode()
    elif kind == "insert":
        lines.insert(index, rng.choice(HOSTILE).encode())
    elif kind == "drop":
        del lines[index]
    elif kind == "double":
        lines.insert(index, lines[index])
    elif kind == "cut":
        lines[index] = lines[index][: rng.randrange(len(lines[index]) + 1)]
    elif kind == "flip":
        damaged = bytearray(b"\n".join(lines))
        if damaged:
            position = rng.randrange(len(damaged))
            damaged[position] ^= 1 << rng.randrange(8)
        return bytes(damaged), f"flip a bit near byte {len(damaged) and position}"
    elif kind == "truncate":
        whole = b"\n".join(lines)
        return whole[: rng.randrange(len(whole) + 1)], "truncate"
    else:
        return b"", "empty"
    return b"\n".join(lines), f"{kind} at line {index + 1}"


PROBLEM_LINE = re.compile(r"^[^\s:][^:]*:\d+: [EW]-[A-Z0-9-]+ ")


def _assert_answered(result, what: str, problems_only: bool = False) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), (what, repr(result.exception))
    assert result.exit_code in (0, 1), (what, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output and "内部错误" not in result.output, (what, result.output[-2000:])
    if problems_only:
        for line in result.stdout.splitlines():  # a problem, or the indented example of how to write it
            assert PROBLEM_LINE.match(line) or line.startswith("    ") or not line.strip(), (what, line)


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("source", [BASE, EXAMPLE], ids=["base", "example"])
def test_damaged_catalog_files_get_messages_not_crashes(workspace, source):
    rng = random.Random(SEED)
    runner = CliRunner()
    originals = {path.relative_to(source): path.read_bytes() for path in _catalog_files(source)}
    catalog = workspace / "catalog"
    shutil.copytree(source, catalog)
    for case in range(CASES // 2):
        relative = rng.choice(sorted(originals))
        damaged, how = mutate(originals[relative], rng)
        (catalog / relative).write_bytes(damaged)
        what = f"seed {SEED} case {case}: {relative} {how}"
        _assert_answered(runner.invoke(cli, ["validate", "--today", TODAY]), what, problems_only=True)
        _assert_answered(runner.invoke(cli, ["due", "--today", TODAY]), what)
        if case % 10 == 0:
            _assert_answered(runner.invoke(cli, ["build", "--today", TODAY, "--site-dir", "site",
                                                 "--config-file", str(_mkdocs_yml(workspace))]), what)
        (catalog / relative).write_bytes(originals[relative])


def test_damaged_report_data_files_get_messages_not_crashes(workspace):
    rng = random.Random(SEED)
    runner = CliRunner()
    original = REPORT_FILE.read_bytes().replace("五百五十".encode(), b"550")
    for case in range(CASES):
        damaged, how = mutate(original, rng)
        (workspace / "report.yaml").write_bytes(damaged)
        _assert_answered(runner.invoke(cli, ["report", "check", "report.yaml"]), f"seed {SEED} case {case}: {how}")


def _mkdocs_yml(workspace: Path) -> Path:
    """The repository's mkdocs.yml, reading this workspace's catalog."""
    config = workspace / "mkdocs.yml"
    if not config.exists():
        text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        text = text.replace("docs_dir: content", f"docs_dir: {REPO / 'content'}")
        text = text.replace("custom_dir: overrides", f"custom_dir: {REPO / 'overrides'}")
        config.write_text(text, encoding="utf-8")
    return config
