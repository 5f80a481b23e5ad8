"""The one reader of catalog records (builder/model/fields.py): a record of the wrong shape is answered with the shape
it takes, made from the field declarations."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
import yaml

from builder.errors import Location
from builder.model import catalog
from builder.model.catalog import FILE_KINDS, ITEM, ITEM_READ_FIRST, ORGAN, Item
from builder.model.fields import (
    RECORD_REDUCTIONS,
    UNREAD,
    InPartTable,
    Schema,
    kept_in_columns,
    list_example,
    make,
    read,
    shape_example,
)
from builder.model.source import parse_yaml
from search import stored

HEAD = "index_no: a/2026-1\ntitle: 通知\norgan: demo\nwritten: 2026-03-02\ncategory: 20-1\n"


def _read_item(extra: str):
    data, problems = parse_yaml(HEAD + extra, "x.md", 2)
    assert problems == []
    return read(ITEM, data, Location("x.md", 1))


def _nested_fields():
    seen = {}
    for schema, _ in FILE_KINDS.values():
        for field in schema.fields:
            if isinstance(field.kind, Schema):
                seen.setdefault(field.kind.name, field)
    return list(seen.values())


@pytest.mark.parametrize("extra, line, example", [
    ("attachments: 附件1.pdf\n", 7, "attachments:\n  - file: 附件1.pdf\n    title: （附件名称）"),
    ("attachments: [附件1.pdf]\n", 7, "attachments:\n  - file: 附件1.pdf\n    title: （附件名称）"),
    ("attachments:\n  附件1: a.pdf\n  附件2: b.pdf\n", 7, "attachments:\n  - file: （文件路径）\n    title: （附件名称）"),
    ("repealed: 2024-06-01\n", 7, "repealed:\n  date: 2024-06-01\n  by: （废止文件文号）"),
    ("repealed: 某政〔2024〕12号\n", 7, "repealed:\n  date: YYYY-MM-DD\n  by: 某政〔2024〕12号"),
    ("keywords:\n  - 条例: 第一条\n", 8, 'keywords:\n  - "条例: 第一条"'),
])
def test_a_record_of_the_wrong_shape_is_shown_the_shape_it_takes(extra, line, example):
    _, [problem] = _read_item(extra)
    zh, en = problem.texts()
    assert (problem.code, problem.line, problem.example) == ("E-TYPE", line, example)
    assert "写法见下" in zh and "{" not in zh and "expected" in en


def test_one_attachment_written_without_its_dash_is_still_read():
    record, problems = _read_item("attachments:\n  file: a.pdf\n  title: 附件\n")
    assert problems == [] and [a.values for a in record.values["attachments"]] == [{"file": "a.pdf", "title": "附件"}]


@pytest.mark.parametrize("field", _nested_fields(), ids=lambda field: field.key)
def test_every_nested_record_has_an_example_with_its_required_keys_in_its_shape(field):
    example = yaml.safe_load(shape_example(field))
    entries = example[field.key] if field.many else [example[field.key]]
    assert isinstance(entries, list) and len(entries) == 1
    keys = set(entries[0])
    assert set(field.kind.required) <= keys <= {f.key for f in field.kind.fields}
    assert len(keys) >= min(2, len(field.kind.fields))


@pytest.mark.parametrize("name", [name for name, (_, many) in FILE_KINDS.items() if many])
def test_a_list_file_of_the_wrong_shape_is_shown_its_first_entry(name):
    schema, _ = FILE_KINDS[name]
    [entry] = yaml.safe_load(list_example(schema))
    assert set(schema.required) <= set(entry) <= {f.key for f in schema.fields}


def test_an_item_is_pickled_as_its_values_and_comes_back_equal():
    record, problems = _read_item("doc_no: 吉政发〔2026〕1号\ntopics: [综合政务/政务公开]\nsummary: 概述\n")
    assert problems == []
    item = make(ITEM, record, path="x.md", digest="d")
    assert not hasattr(item, "__dict__")  # slots: a third of the memory of 100,000 items
    back = pickle.loads(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
    assert dataclasses.replace(back, record=item.record) == item  # a Location is equal only to itself
    assert back.topics == ("综合政务/政务公开",) and back.record.values == record.values
    assert (back.record.where.path, back.record.where.line) == (record.where.path, record.where.line)
    assert dataclasses.replace(back, title="新标题").title == "新标题"
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.title = "改"
    # The values of another version of the class (a field more or fewer) are refused, not set in part
    state = item.__getstate__()
    for other in (state[:-1], (*state, "x")):
        with pytest.raises(pickle.UnpicklingError):
            type(item).__new__(type(item)).__setstate__(other)


def test_a_record_kept_by_the_build_cache_is_read_when_first_used_and_equal_to_what_was_kept(tmp_path):
    record, _ = _read_item("doc_no: 吉政发〔2026〕1号\n")
    item = make(ITEM, record, path="x.md", digest="d")
    stored.save(tmp_path / "kept.pickle", [item, item], "t", RECORD_REDUCTIONS)
    back = stored.load(tmp_path / "kept.pickle", "t")
    assert back[0] is back[1]  # one object, as kept
    kept = back[0].record
    assert set(vars(kept)) == {"_kept"}  # its fields still a pickle
    assert kept.at("title").line == 3 and set(vars(kept)) == {"values", "where", "key_lines"}
    assert kept.values == record.values and kept.key_lines == record.key_lines
    assert (kept.where.path, kept.where.line) == (record.where.path, record.where.line)
    with pytest.raises(AttributeError):
        kept.missing


def test_a_kept_record_never_read_is_kept_again_as_the_same_pickle_and_one_read_as_its_fields(tmp_path):
    record, _ = _read_item("doc_no: 吉政发〔2026〕1号\n")
    stored.save(tmp_path / "a.pickle", record, "t", RECORD_REDUCTIONS)
    unread = stored.load(tmp_path / "a.pickle", "t")
    stored.save(tmp_path / "b.pickle", unread, "t", RECORD_REDUCTIONS)
    assert (tmp_path / "a.pickle").read_bytes() == (tmp_path / "b.pickle").read_bytes()
    again = stored.load(tmp_path / "b.pickle", "t")
    assert again.values["doc_no"] == "吉政发〔2026〕1号"  # read now
    stored.save(tmp_path / "c.pickle", again, "t", RECORD_REDUCTIONS)
    assert stored.load(tmp_path / "c.pickle", "t").values == record.values
    # Elsewhere (a worker's results, multiprocessing's pickler) a record is pickled as any object, read or not
    assert pickle.loads(pickle.dumps(unread)).values == record.values


def _fields_of(item) -> dict:
    """An item's fields as comparable texts (a record's equality is its location's identity; its repr shows its values
    and where each was written)."""
    return {field.name: repr(getattr(item, field.name)) for field in dataclasses.fields(item) if field.name != UNREAD}


def test_an_item_kept_by_the_build_cache_is_read_in_part_the_rest_when_first_asked_for(tmp_path):
    record, _ = _read_item("doc_no: 吉政发〔2026〕1号\nsummary: 概述\nkeywords: [通知, 公告]\ngenre: 通知\n"
                           "withdrawal:\n  changed: 2026-03-09\n  withdrawn: 2026-03-10\n  reason: 复议撤销\n")
    item = make(ITEM, record, path="x.md", digest="d")
    stored.save(tmp_path / "kept.pickle", [item, item], "t", catalog.KEPT_REDUCTIONS)
    back = stored.load(tmp_path / "kept.pickle", "t")
    assert back[0] is back[1]  # one object, as kept
    kept = back[0]
    assert isinstance(kept.unread, memoryview)  # a view of the stored file, not copied (search/stored.py)
    read_first = {name: object.__getattribute__(kept, name) for name in ITEM_READ_FIRST}  # no look-up of the rest
    assert isinstance(kept.unread, memoryview)  # reading those read nothing more
    assert read_first == {n: getattr(item, n) for n in ITEM_READ_FIRST}
    with pytest.raises(AttributeError):
        kept.missing
    assert isinstance(kept.unread, memoryview)  # a name that is no field reads nothing
    assert kept.summary == "概述" and kept.unread is None  # one of the rest reads them all
    assert _fields_of(kept) == _fields_of(item)
    # A record within the rest (the withdrawal's) is read back too, and places its problems at its lines.
    assert kept.withdrawal.reason == "复议撤销" and kept.withdrawal.record.at("reason").line == 14


def test_a_kept_item_never_read_is_kept_again_as_the_same_pickle_and_elsewhere_as_all_its_values(tmp_path):
    record, _ = _read_item("doc_no: 吉政发〔2026〕1号\nsummary: 概述\n")
    item = make(ITEM, record, path="x.md", digest="d")
    stored.save(tmp_path / "a.pickle", item, "t", catalog.KEPT_REDUCTIONS)
    unread = stored.load(tmp_path / "a.pickle", "t")
    stored.save(tmp_path / "b.pickle", unread, "t", catalog.KEPT_REDUCTIONS)
    assert (tmp_path / "a.pickle").read_bytes() == (tmp_path / "b.pickle").read_bytes()
    assert isinstance(unread.unread, memoryview)  # kept again without being read
    # Elsewhere (a worker's results, multiprocessing's pickler) an item is pickled whole, read or not.
    whole = pickle.loads(pickle.dumps(unread))
    assert whole.unread is None and _fields_of(whole) == _fields_of(item)
    # Made anew from one kept in part, an item reads the rest first (dataclasses.replace asks every field).
    assert _fields_of(dataclasses.replace(stored.load(tmp_path / "b.pickle", "t"), title="另一个")) == \
        {**_fields_of(item), "title": repr("另一个")}


def test_items_kept_as_one_table_are_read_back_in_part_each_one_object_wherever_the_pickle_holds_it(tmp_path):
    """The build cache pickles its base's parsed items as one table of columns (``InPartTable``): read back, each is
    read in part as an item pickled alone is, and every other place the pickle holds it (a view, a listing's row)
    holds that very object. An item not in the table is pickled alone."""
    items = [make(ITEM, _read_item(f"doc_no: 吉政发〔2026〕{n}号\nsummary: 概述{n}\nkeywords: [通知]\n")[0],
                  path=f"{n}.md", digest=str(n)) for n in range(3)]
    alone = make(ITEM, _read_item("summary: 另一个\n")[0], path="alone.md", digest="a")
    table = InPartTable(Item, [items[0], None, items[1], items[2]])  # a file parsed into no item holds None
    kept = {"parsed": items, "views": [items[2], alone, items[0], items[2]]}
    stored.save(tmp_path / "kept.pickle", kept, "t", catalog.KEPT_REDUCTIONS | {Item: table.reduction})
    back = stored.load(tmp_path / "kept.pickle", "t")
    parsed, views = back["parsed"], back["views"]
    assert views[0] is parsed[2] and views[3] is parsed[2] and views[2] is parsed[0]
    assert all(isinstance(item.unread, memoryview) for item in (*parsed, views[1]))  # views of the stored file
    assert [{name: object.__getattribute__(item, name) for name in ITEM_READ_FIRST} for item in parsed] == \
        [{name: getattr(item, name) for name in ITEM_READ_FIRST} for item in items]
    assert [_fields_of(item) for item in (*parsed, views[1])] == [_fields_of(item) for item in (*items, alone)]
    # Kept again, unread, as the next build's base: the same table.
    stored.save(tmp_path / "again.pickle", back, "t",
                catalog.KEPT_REDUCTIONS | {Item: InPartTable(Item, back["parsed"]).reduction})
    assert (tmp_path / "again.pickle").read_bytes() == (tmp_path / "kept.pickle").read_bytes()


def test_a_table_of_items_pickled_by_another_version_of_the_item_is_refused():
    """What a release with other fields read first pickled is refused (the build cache then reads its state as lost),
    and so is a column cut short."""
    with pytest.raises(pickle.UnpicklingError):
        kept_in_columns(Item, ([],) * (len(ITEM_READ_FIRST) - 1), [])
    with pytest.raises(pickle.UnpicklingError):
        kept_in_columns(Item, ([],) * len(ITEM_READ_FIRST), [b""])


def test_short_texts_and_keys_are_kept_once_for_every_record():
    first, _ = _read_item("doc_type: 行政规范性文件\n")
    second, _ = _read_item("doc_type: 行政规范性文件\n")
    assert first.values["doc_type"] is second.values["doc_type"]
    assert all(a is b for a, b in zip(first.key_lines, second.key_lines))
    assert first.values["title"] == second.values["title"] == "通知"


def test_a_value_yaml_reads_as_a_number_or_a_yes_no_is_shown_as_typed_with_its_quoted_form():
    for typed in ("8:30", "010000", "no", "0x1F"):
        data, _ = parse_yaml(f"name: 示例市人民政府\nhours: {typed}\n", "organs/x.yaml")
        _, problems = read(ORGAN, data, Location("organs/x.yaml", 1))
        [problem] = [p for p in problems if p.code == "E-TYPE"]
        assert (problem.code, problem.line) == ("E-TYPE", 2)
        assert f"实际为“{typed}”" in problem.format() and problem.example == f'hours: "{typed}"', typed
