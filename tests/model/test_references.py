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
    items = str(folder.resolve() / "items")  # resolved, as an attachment's path is kept
    assert list(published_file_problems(record, "附件1.pdf", f"{items}/附件1.pdf", catalog)) == []
    assert set(vars(record)) == {"_kept"}  # every attachment on every build: its record not read for nothing
    for name, code in (("附件2.pdf", "E-ATTACHMENT-MISSING"), ("a.html", "E-ATTACHMENT-TYPE"),
                       ("附件.", "E-ATTACHMENT-TYPE"), (".附件.pdf", "E-ATTACHMENT-TYPE")):
        problems = list(published_file_problems(record, name, f"{items}/{name}", catalog))
        assert [(p.path, p.line, p.code) for p in problems] == [("catalog/items/a.md", 3, code)]
    # Outside: beside the catalog, in a folder whose name only begins with the catalog's, or the private ones.
    for found in (str(tmp_path.resolve() / "x.pdf"), f"{folder.resolve()}2/x.pdf", f"{folder.resolve()}/requests/x.pdf"):
        outside = list(published_file_problems(record, "../x.pdf", found, catalog))
        assert [(p.line, p.code) for p in outside] == [(3, "E-ATTACHMENT-OUTSIDE")], found
    # The catalog's own folder is no file.
    assert [p.code for p in published_file_problems(record, ".", str(folder.resolve()), catalog)] == \
        ["E-ATTACHMENT-MISSING"]
