"""The columns of each kind come from the model's declarations; the synonym table names only real columns."""

from __future__ import annotations

import pytest

from builder.exchange.headers import (
    CHOICE_LABELS,
    IDENTIFIERS,
    LOOSE_LISTS,
    NONE_WORDS,
    NOT_IMPORTED,
    SYNONYMS,
    columns,
    find_column,
    normalize,
    not_imported,
)
from builder.exchange.kinds import KINDS
from builder.model.fields import Schema

KIND_NAMES = list(KINDS)


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_declared_field_is_a_column_headed_by_its_title(kind):
    schema = KINDS[kind].schema
    headers = {c.key: c.header for c in columns(kind)}
    for field in schema.fields:
        if isinstance(field.kind, Schema) and not field.many:
            for child in field.kind.fields:
                assert headers[f"{field.key}.{child.key}"] == f"{field.title}·{child.title}"
        else:
            assert headers[field.key] == field.title


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_every_title_finds_its_own_column(kind):
    assert [c.key for c in columns(kind) if find_column(kind, c.header) is not c] == []


def test_synonym_table_names_only_columns_that_exist():
    keys = {kind: {c.key for c in columns(kind)} for kind in KINDS}
    stale = [(kind, key) for kind, table in SYNONYMS.items() for key in table if key not in keys[kind]]
    stale += [pair for table in (LOOSE_LISTS, IDENTIFIERS, NONE_WORDS, CHOICE_LABELS) for pair in table
              if pair[1] not in keys[pair[0]]]
    assert stale == [], "a field was renamed: update builder/exchange/headers.py"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_no_header_names_two_columns(kind):
    claims: dict[str, list[str]] = {}
    for column in columns(kind):
        for text in {column.header, *SYNONYMS[kind].get(column.key, ())}:
            claims.setdefault(normalize(text), []).append(column.key)
    assert {text: keys for text, keys in claims.items() if len(keys) > 1} == {}


def test_headers_not_imported_are_no_column():
    assert [h for h in NOT_IMPORTED for kind in KINDS if find_column(kind, h)] == []
    assert not_imported(" 序 号 ") == NOT_IMPORTED["序号"]


@pytest.mark.parametrize("written, kind, key", [
    ("成文日期（YYYY-MM-DD）", "items", "written"),
    ("* 标 题", "items", "title"),
    ("发文\n字号", "items", "doc_no"),
    ("发布机构：", "items", "publisher"),
    ("废止日期", "items", "repealed.date"),
    ("废止·废止文件文号", "items", "repealed.by"),
    ("实施主体", "powers", "organ"),
    ("权力类型", "powers", "type"),
    ("法定时限(工作日)", "powers", "legal_limit"),
    ("收费项目", "fees", "name"),
    ("收费项目", "powers", "fees"),
    ("取消日期", "fees", "removed.date"),
    ("正文", "items", "body"),
])
def test_headers_offices_write_find_their_column(written, kind, key):
    assert find_column(kind, written).key == key


def test_a_header_of_no_column_finds_none():
    assert find_column("items", "联系人") is None
    assert find_column("items", "") is None
