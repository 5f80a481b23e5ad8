"""Reading YAML with lines (builder/model/source.py): the shortcut for flat front matter reads as PyYAML reads."""

from __future__ import annotations

import random

from conftest import EXAMPLE

from benchmarks.generate import generate
from builder.model import source


def _same(fast, slow) -> bool:
    if type(fast) is not type(slow):
        return False
    if isinstance(fast, dict):
        return fast == slow and fast.line == slow.line and fast.key_lines == slow.key_lines and \
            all(_same(fast[k], slow[k]) for k in fast)
    if isinstance(fast, list):
        return fast == slow and fast.line == slow.line and fast.item_lines == slow.item_lines
    return fast == slow


def _yaml(text: str):
    loader = source._Loader(text, 1)
    try:
        return loader.get_single_data()
    except Exception:  # noqa: BLE001 - PyYAML raising is a valid outcome to compare against
        return None
    finally:
        loader.dispose()


def test_flat_front_matter_is_read_as_pyyaml_reads_it(tmp_path):
    generated = generate(tmp_path / "catalog", 300)
    files = sorted(EXAMPLE.rglob("*.md")) + sorted(generated.rglob("*.md"))
    front_matters = [path.read_text(encoding="utf-8").split("---\n")[1] for path in files]
    rng = random.Random(1)
    atoms = ["a", "政府", " ", ": ", ":", "#", " #", "[", "]", ",", "yes", "on", "1", "012", "2026-02-30",
             "2026-01-05", "~", "null", "-", "'", '"', "1.5", "\t", "http://x", "{", "!", "&", "*", "|", "0x1", "+1"]
    for _ in range(30000):
        lines = []
        for _ in range(rng.randrange(1, 4)):
            value = "".join(rng.choice(atoms) for _ in range(rng.randrange(1, 5)))
            if rng.random() < 0.3:
                value = "[" + ", ".join(rng.choice(atoms) for _ in range(rng.randrange(0, 3))) + "]"
            lines.append(f"{rng.choice(['title', 'on', 'k1', 'Null'])}: {value}")
        front_matters.append("\n".join(lines) + "\n")
    read_fast = 0
    for text in front_matters:
        fast = source._parse_flat(text, 2)
        if fast is not None:
            read_fast += 1
            assert _same(fast, _yaml(text)), text
    assert read_fast > 300, "generated items are read without PyYAML"
