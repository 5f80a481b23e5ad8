"""Property: after any sequence of edits an office makes, the incremental build is byte for byte a full build.

Each round applies a few random edits of the kinds below to a copy of the example project, builds the site in
place (incremental) and afresh (``--full``), and compares every file. The edits are seeded, so a failure names
the seed and the edits that led to it. CI runs a few rounds that together use every kind of edit;
``GONGKAI_SLOW=1`` runs many more (see docs/decisions.md for the figures of the last long run).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, REPO, TODAY, gongkai, make_project, tree_digest

from builder.build.pipeline import BuildOptions
from builder.build.serve import PreviewServer

SLOW = bool(os.environ.get("GONGKAI_SLOW"))
ROUNDS = 60 if SLOW else 4
EDITS_PER_ROUND = 4 if SLOW else 7


class Project:
    """The example project being edited: its files, and the next free numbers for new ones."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root, self.catalog, self.rng = root, root / "catalog", rng
        self.serial = 0

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def items(self) -> list[Path]:
        return sorted(p for p in (self.catalog / "items").rglob("*.md") if "published:" in p.read_text("utf-8"))

    def pick(self, paths: list[Path]) -> Path | None:
        return self.rng.choice(paths) if paths else None


def _front_matter(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---", 3)
    return text[:end], text[end:]


def _set(path: Path, key: str, value: str) -> None:
    """Set ``key:`` in an item's front matter (added before the closing --- when absent)."""
    head, rest = _front_matter(path)
    line = f"{key}: {value}"
    head = re.sub(rf"^{key}:.*$", line, head, count=1, flags=re.M) if re.search(rf"^{key}:", head, re.M) \
        else f"{head}\n{line}"
    path.write_text(head + rest, encoding="utf-8")


def _get(path: Path, key: str) -> str | None:
    match = re.search(rf"^{key}: ?(.*)$", _front_matter(path)[0], re.M)
    return match.group(1) if match else None


def _date(path: Path, key: str) -> dt.date:
    """The day of a date written in the file, with or without quotes or a time of day."""
    return dt.date.fromisoformat(_get(path, key).strip("'\"")[:10])


def _replace_in(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


# ---------------------------------------------------------------- the edits; each returns what it did, or None


def retitle(p: Project):
    if item := p.pick(p.items()):
        _set(item, "title", f"{_get(item, 'title')}（修订{p.next()}）")
        return f"retitle {item.name}"


def republish(p: Project):
    # Not a repealed one: a publication after its repeal is an error, and each edit keeps the catalog valid.
    if item := p.pick([i for i in p.items() if _get(i, "repealed") is None]):
        written = _date(item, "written")
        day = min(written + dt.timedelta(days=p.rng.randint(0, 40)), dt.date.fromisoformat(TODAY))
        _set(item, "published", day.isoformat())
        return f"published {item.name} {day}"


def rewrite_body(p: Project):
    if item := p.pick(p.items()):
        with item.open("a", encoding="utf-8") as file:
            file.write(f"\n\n补充说明第 {p.next()} 条：**按本通知执行**。\n")
        return f"body {item.name}"


def repeal(p: Project):
    candidates = [i for i in p.items() if _get(i, "repealed") is None]
    if item := p.pick(candidates):
        head, rest = _front_matter(item)
        effective = _date(item, "effective") if _get(item, "effective") else None
        day = max(_date(item, "published"), effective or dt.date.min, dt.date(2026, 1, 5))
        item.write_text(f"{head}\nrepealed:\n  date: {day}\n  by: 示政〔2026〕{p.next()}号{rest}", encoding="utf-8")
        return f"repeal {item.name}"


def delete_item(p: Project):
    # A document an interpretation or a consultation names is not deleted alone: that is an error (E-INDEX-UNKNOWN).
    named = {found for path in p.catalog.rglob("*") if path.suffix in (".md", ".yaml")
             for found in re.findall(r"^(?:interprets|document): (.+)$", path.read_text("utf-8"), re.M)}
    items = [item for item in p.items() if _get(item, "index_no") not in named]
    if len(p.items()) > 4 and (item := p.pick(items)):
        for attached in _attachment_files(item):
            attached.unlink(missing_ok=True)
        item.unlink()
        return f"delete {item.name}"


def add_item(p: Project):
    if item := p.pick(p.items()):
        number = p.next()
        copy = item.with_name(f"added-{number}.md")
        copy.write_text(item.read_text(encoding="utf-8"), encoding="utf-8")
        _remove_attachments(copy, delete_files=False)
        _set(copy, "index_no", re.sub(r"-\d+$", f"-{90000 + number:05d}", _get(item, "index_no")))
        _set(copy, "title", f"新增文件{number}")
        _set(copy, "doc_no", f"示政〔2026〕{number}号")
        return f"add {copy.name}"


def rename_item(p: Project):
    if item := p.pick(p.items()):
        target = item.with_name(f"renamed-{p.next()}.md")
        item.rename(target)
        return f"rename {item.name} → {target.name}"


def add_attachment(p: Project):
    candidates = [i for i in p.items() if _get(i, "attachments") is None]
    if item := p.pick(candidates):
        number = p.next()
        (item.parent / f"附件{number}.txt").write_text(f"附件 {number} 的内容\n", encoding="utf-8")
        head, rest = _front_matter(item)
        item.write_text(f"{head}\nattachments:\n  - file: 附件{number}.txt\n    title: 附件{number}{rest}",
                        encoding="utf-8")
        return f"attach to {item.name}"


def change_attachment(p: Project):
    files = [f for i in p.items() for f in _attachment_files(i) if f.exists()]
    if attached := p.pick(files):
        with attached.open("ab") as file:
            file.write(f"\n修改 {p.next()}\n".encode())
        return f"change attachment {attached.name}"


def remove_attachment(p: Project):
    candidates = [i for i in p.items() if _get(i, "attachments") is not None]
    if item := p.pick(candidates):
        _remove_attachments(item, delete_files=True)
        return f"remove attachments of {item.name}"


def retopic(p: Project):
    if item := p.pick(p.items()):
        _set(item, "topics", f"[综合政务/主题{p.next() % 3}]")
        return f"topics {item.name}"


def make_draft(p: Project):
    if len(p.items()) > 4 and (item := p.pick(p.items())):
        _replace_in(item, r"^published:.*\n", "")
        return f"draft {item.name}"


def renumber_document(p: Project):
    if item := p.pick(p.items()):
        _set(item, "doc_no", f"示政〔2026〕{p.next()}号")
        return f"doc_no {item.name}"


def resummarise(p: Project):
    if item := p.pick(p.items()):
        _set(item, "summary", f"内容概述第 {p.next()} 版")
        return f"summary {item.name}"


def rename_organ(p: Project):
    organ = p.pick(sorted((p.catalog / "organs").glob("*.yaml")))
    _replace_in(organ, r"^name: (.*)$", rf"name: \1（{p.next()}）")
    return f"rename organ {organ.stem}"


def organ_guide(p: Project):
    organ = p.pick(sorted((p.catalog / "organs").glob("*.yaml")))
    text = re.sub(r"^guide:.*(\n  .*)*\n?", "", organ.read_text(encoding="utf-8"), flags=re.M)
    organ.write_text(text.rstrip("\n") + f"\nguide: 本机关补充说明第 {p.next()} 版。\n", encoding="utf-8")
    return f"guide {organ.stem}"


def change_setting(p: Project):
    config = p.catalog / "gongkai.yaml"
    years = p.rng.choice([4, 5, 6])
    _replace_in(config, r"^  validity_years: \d+", f"  validity_years: {years}")
    return f"validity_years {years}"


def retitle_site(p: Project):
    _replace_in(p.catalog / "gongkai.yaml", r"^  title: .*$", f"  title: 政府信息公开（第 {p.next()} 版）")
    return "site title"


def change_power(p: Project):
    powers = p.pick(sorted((p.catalog / "powers").glob("*.yaml")))
    _replace_in(powers, r"^  name: (.*)$", rf"  name: \1（{p.next()}）")
    return f"power in {powers.stem}"


def change_fee(p: Project):
    fees = p.pick(sorted((p.catalog / "fees").glob("*.yaml")))
    _replace_in(fees, r'^      standard: "(\d+)"', rf'      standard: "{p.rng.randint(1, 999)}"')
    return f"fee in {fees.stem}"


def _statistics_files(p: Project) -> list[Path]:
    """The reports' statistics files (not the figures recorded beside them, *.published.yaml)."""
    return sorted(path for path in (p.catalog / "reports").rglob("*.yaml") if not path.name.endswith(".published.yaml"))


def change_report_text(p: Project):
    report = p.pick(_statistics_files(p))
    _replace_in(report, r"^overview: \|\n", f"overview: |\n  第 {p.next()} 稿。\n")
    return f"report {report.stem}"


def log_request(p: Project):
    """A request answered in the reports' year: their charts change (their tables are those recorded when they were
    published), and the request pages."""
    organ = p.pick([report.stem for report in _statistics_files(p)])
    month, number = p.rng.randint(1, 11), p.next()
    with (p.catalog / "requests" / "2025.yaml").open("a", encoding="utf-8") as log:
        log.write(f'\n- id: "2025-9{number:02d}"\n  organ: {organ}\n  received: 2025-{month:02d}-03\n'
                  f'  channel: 网上\n  applicant_type: 自然人\n  subject: 申请公开第 {number} 号文件\n'
                  f'  replied: 2025-{month + 1:02d}-02\n  outcome: 予以公开\n')
    return f"request of {organ} in month {month}"


def drop_recorded_figures(p: Project):
    """A report's recorded figures removed: its page and data files show what the catalog computes."""
    if recorded := p.pick(sorted((p.catalog / "reports").rglob("*.published.yaml"))):
        recorded.unlink()
        return f"figures of {recorded.name} no longer recorded"


def change_theme(p: Project):
    config = p.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    swapped = ("navigation.top", "navigation.footer")
    old, new = swapped if swapped[0] in text else swapped[::-1]
    config.write_text(text.replace(f"- {old}", f"- {new}"), encoding="utf-8")
    return f"mkdocs.yml {new}"


def override_template(p: Project):
    """An office's own version of one of our partials (overrides/gongkai/), as docs/site.md describes."""
    folder = p.root / "overrides" / "gongkai"
    folder.mkdir(exist_ok=True)
    name = p.rng.choice(["item-meta.html", "item-row.html", "home.html"])
    original = (REPO / "builder" / "site" / "templates" / name).read_text(encoding="utf-8")
    (folder / name).write_text(f"{original}\n<!-- 本机关定制第 {p.next()} 版 -->\n", encoding="utf-8")
    return f"override {name}"


def remove_override(p: Project):
    folder = p.root / "overrides" / "gongkai"
    if override := p.pick(sorted(folder.glob("*.html")) if folder.is_dir() else []):
        override.unlink()
        return f"remove override {override.name}"


EDITS: tuple[Callable[[Project], str | None], ...] = (
    retitle, republish, rewrite_body, repeal, delete_item, add_item, rename_item, add_attachment, change_attachment,
    remove_attachment, retopic, make_draft, renumber_document, resummarise, rename_organ, organ_guide,
    change_setting, retitle_site, change_power, change_fee, change_report_text, log_request, drop_recorded_figures,
    change_theme,
    override_template, remove_override,
)


def _attachment_files(item: Path) -> list[Path]:
    return [item.parent / name for name in re.findall(r"^  - file: (.+)$", _front_matter(item)[0], re.M)]


def _remove_attachments(item: Path, delete_files: bool) -> None:
    if delete_files:
        for attached in _attachment_files(item):
            attached.unlink(missing_ok=True)
    head, rest = _front_matter(item)
    head = re.sub(r"^attachments:\n(?:  .*\n?)*", "", head + "\n", flags=re.M).rstrip("\n")
    item.write_text(head + rest, encoding="utf-8")


def _build(project: Path, site: str, *args: str) -> None:
    result = gongkai("build", "--today", TODAY, "--site-dir", site, *args, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def _serve(preview: PreviewServer) -> None:
    preview.rebuild(logging.getLogger("test"))
    assert preview.state.ok, preview.state.messages


def test_every_kind_of_edit_is_in_the_ci_rounds():
    assert len(EDITS) >= 20
    assert ROUNDS * EDITS_PER_ROUND >= len(EDITS)


def test_incremental_build_equals_full_build_after_random_edits(tmp_path, monkeypatch):
    """Both incremental builds: `gongkai build` (from the cache on disk) and `gongkai serve`'s (from what its process
    kept in memory of the last build: the parsed items, their views and search documents)."""
    seed = int(os.environ.get("GONGKAI_SEED", "20261123"))
    rng = random.Random(seed)
    project = Project(make_project(tmp_path, EXAMPLE), rng)
    _build(project.root, "site")
    monkeypatch.chdir(project.root)  # as `gongkai serve` is run: paths are shown from the project
    preview = PreviewServer(project.root / "mkdocs.yml", project.root / "served",
                            BuildOptions(project.catalog, dt.date.fromisoformat(TODAY)), [project.catalog], port=0)
    _serve(preview)
    # CI's few rounds go through every kind once (in a seeded order); the slow mode draws freely.
    kinds = rng.sample(EDITS, len(EDITS))
    history = []
    for round_number in range(ROUNDS):
        for _ in range(EDITS_PER_ROUND):
            edit = kinds.pop() if kinds else rng.choice(EDITS)
            if (done := edit(project)) is not None:
                history.append(done)
        _build(project.root, "site")
        _serve(preview)
        full = f"full-{round_number}"
        _build(project.root, full, "--full")
        fresh = tree_digest(project.root / full)
        for site in ("site", "served"):
            incremental = tree_digest(project.root / site)
            differing = sorted(path for path in incremental.keys() | fresh.keys()
                               if incremental.get(path) != fresh.get(path))
            assert not differing, (f"seed {seed}, round {round_number}: {site} differs from full in {differing[:10]} "
                                   f"after {history}")
        shutil.rmtree(project.root / full)
    preview.http.server_close()
