"""Docs are checked like code: generated pages match the code, and every rule is documented."""

from __future__ import annotations

import json

from cogapp import Cog
from conftest import REPO

from builder.errors import MESSAGES
from builder.model.catalog import FILE_KINDS
from builder.model.fields import json_schema
from builder.model.settings import SETTINGS
from builder.statute import CLOCKS

DOCS = REPO / "docs"


def test_generated_docs_are_current(monkeypatch):
    monkeypatch.chdir(REPO)
    pages = sorted(str(p.relative_to(REPO)) for p in DOCS.glob("*.md"))
    assert Cog().main(["cog", "--check", *pages]) == 0, "run: .venv/bin/cog -r docs/*.md"


def test_json_schemas_are_current():
    for name, (schema, many) in FILE_KINDS.items():
        committed = json.loads((DOCS / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert committed == json_schema(schema, many), f"run: gongkai schema --out docs/schema ({name})"


def test_every_problem_code_is_documented():
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    assert [code for code in MESSAGES if f"`{code}`" not in text] == []


def test_every_setting_is_documented():
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert [s.name for s in SETTINGS if f"`{s.name}`" not in text] == []


def test_every_clock_is_documented_with_its_article():
    text = (DOCS / "deadlines.md").read_text(encoding="utf-8")
    assert [c.name for c in CLOCKS.values() if f"`{c.name}`" not in text or c.article not in text] == []


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```")[0].strip() for b in readme.split("```bash")[1:3]]
    assert blocks[0] == "./setup.sh" and blocks[1] == "./test.sh"
    ci = [line for line in (REPO / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "./test.sh"
