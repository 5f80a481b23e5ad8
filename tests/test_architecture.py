"""The import graph of builder/ and search/, read from the source: no circles, search/ a leaf, stages in order.

Every ``import`` counts, wherever it is written: at the top, inside a function (a lazy import that dodges a circle
is still one) or under ``if TYPE_CHECKING`` (the type checker follows it). The graph is read with ``ast`` from the
files in this repository, so the test needs nothing outside it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from conftest import REPO

ROOTS = ("builder", "search")

# The stages of builder/, lowest first: a module may import from its own stage and the stages below it, never above.
STAGES = (
    ("foundation", {"builder", "builder.errors", "builder.util", "builder.statute", "builder.weblinks"}),
    ("model", {"builder.model"}),
    ("rules", {"builder.rules"}),
    ("check", {"builder.check"}),
    ("report", {"builder.report"}),
    ("site", {"builder.site"}),
    ("audit", {"builder.audit"}),
    ("build", {"builder.build"}),
    ("mkdocs", {"builder.mkdocs"}),
    ("exchange", {"builder.exchange"}),
    ("cli", {"builder.cli", "builder.__main__"}),
)

# Imports allowed against the stage order, each with its reason. Empty: add one only when it cannot be avoided.
ALLOWED: dict[tuple[str, str], str] = {}


class Import(NamedTuple):
    source: str  # the importing module
    target: str  # the imported module of builder/ or search/
    line: int

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({_path(self.source)}:{self.line})"


def _modules() -> dict[str, Path]:
    """Every module of builder/ and search/ by dotted name (a package by its own name)."""
    modules = {}
    for root in ROOTS:
        for path in sorted((REPO / root).rglob("*.py")):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _path(module: str) -> str:
    return str(MODULES[module].relative_to(REPO))


def _ours(name: str) -> str | None:
    """The module of builder/ or search/ that importing ``name`` runs (the nearest enclosing one), if any."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports_of(module: str) -> list[Import]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            # ``from a.b import c`` runs a.b, and a.b.c too when c is a module.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            target = _ours(name)
            if target and target != module:
                found.append(Import(module, target, node.lineno))
    return sorted(set(found))


IMPORTS = [imp for module in MODULES for imp in _imports_of(module)]


def _circles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    graph = {module: sorted({imp.target for imp in IMPORTS if imp.source == module}) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return circles


def _stage(module: str) -> int | None:
    """The rank of the stage ``module`` of builder/ belongs to (its own name or a package above it), or None."""
    for rank, (_, names) in enumerate(STAGES):
        for name in names:
            if module == name or (name != "builder" and module.startswith(name + ".")):
                return rank
    return None


def test_there_are_modules_to_check():
    assert "builder.cli" in MODULES and "search.index" in MODULES
    assert len(IMPORTS) > 50, "the import graph was read"


def test_no_import_circles():
    circles = _circles()
    details = [f"{' ⇄ '.join(circle)}: " + "; ".join(str(imp) for imp in IMPORTS
                                                      if imp.source in circle and imp.target in circle)
               for circle in circles]
    assert circles == [], "\n".join(details)


def test_search_imports_nothing_from_builder():
    leaks = [str(imp) for imp in IMPORTS
             if imp.source.split(".")[0] == "search" and imp.target.split(".")[0] == "builder"]
    assert leaks == [], "search/ is a leaf:\n" + "\n".join(leaks)


def test_builder_is_split_into_at_least_five_stage_subpackages():
    subpackages = sorted(p.parent.name for p in (REPO / "builder").glob("*/__init__.py"))
    assert len(subpackages) >= 5, subpackages
    stages = {prefix for _, prefixes in STAGES for prefix in prefixes}
    assert [name for name in subpackages if f"builder.{name}" not in stages] == [], "a subpackage with no stage"


def test_every_builder_module_has_a_stage():
    assert [module for module in MODULES if module.startswith("builder") and _stage(module) is None] == [], \
        "add the module's stage to STAGES"


def test_stages_import_only_from_stages_below_them():
    upward = [f"{imp}: {STAGES[_stage(imp.source)][0]} imports {STAGES[_stage(imp.target)][0]}"
              for imp in IMPORTS
              if imp.source.startswith("builder") and imp.target.startswith("builder")
              and _stage(imp.target) > _stage(imp.source) and (imp.source, imp.target) not in ALLOWED]
    assert upward == [], "imports against the stage order:\n" + "\n".join(upward)


def test_the_allow_list_holds_only_imports_that_exist():
    edges = {(imp.source, imp.target) for imp in IMPORTS}
    assert [edge for edge in ALLOWED if edge not in edges] == []


def test_the_builds_own_process_does_not_import_the_index_writer():
    """numpy and the index writer load in the search index's process alone (build/index_job.py): 0.09 s and 15 MB
    of every `gongkai` command otherwise."""
    probe = "import sys, builder.cli, builder.build.pipeline; print(sorted({'numpy', 'search.index'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
