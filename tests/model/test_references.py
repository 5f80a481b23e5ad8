"""What a record may name (builder/model/references.py): a file it may publish, said at the record's line."""

from __future__ import annotations

from pathlib import Path

from builder.errors import Location
from builder.model.fields import RECORD_REDUCTIONS, Record
from builder.model.load import load_catalog
from builder.model.references import published_file_problems
from builder.model.source import parse_yaml
from search import stored


def _kept_record(tmp_path: Path, text: str):
    """A record as the build cache gives it back: its fields not yet read."""
    data, _ = parse_yaml(text, "catalog/items/a.md", 2)
    record = Record(dict(data), Location("catalog/items/a.md", 2), dict(data.key_lines))
    stored.save(tmp_path / "kept.pickle", record, "t", RECORD_REDUCTIONS)
    return stored.load(tmp_path / "kept.pickle", "t")


def test_a_file_that_may_be_published_is_checked_without_reading_its_record(tmp_path):
    folder = tmp_path / "catalog"
    (folder / "items").mkdir(parents=True)
    (folder / "items" / "附件1.pdf").write_bytes(b"%PDF")
    catalog, _ = load_catalog(folder)
    record = _kept_record(tmp_path, "title: 附件一\nfile: 附件1.pdf\n")
    assert list(published_file_problems(record, "附件1.pdf", folder / "items" / "附件1.pdf", catalog)) == []
    assert set(vars(record)) == {"_kept"}  # every attachment on every build: its record not read for nothing
    for name, code in (("附件2.pdf", "E-ATTACHMENT-MISSING"), ("a.html", "E-ATTACHMENT-TYPE")):
        problems = list(published_file_problems(record, name, folder / "items" / name, catalog))
        assert [(p.path, p.line, p.code) for p in problems] == [("catalog/items/a.md", 3, code)]
    outside = list(published_file_problems(record, "../x.pdf", tmp_path / "x.pdf", catalog))
    assert [(p.line, p.code) for p in outside] == [(3, "E-ATTACHMENT-OUTSIDE")]
