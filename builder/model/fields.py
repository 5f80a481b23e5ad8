"""Field declarations for the catalog's YAML files, the one reader that checks them, and the one maker of objects.

Each file kind declares its fields once, on the dataclass it loads into
(``declared``); ``schema_of`` collects them into a ``Schema``. The same
declaration checks what staff wrote (types, required keys, unknown keys,
allowed values, each problem at its line), is exported as a JSON Schema with
Chinese titles, so editors can show help (``gongkai schema``,
``builder/schemas/``), and turns a checked record into its object (``make``).
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import difflib
import functools
import itertools
import math
import operator
import pickle
import re
import sys
import types
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from ..errors import Location, Problem
from ..util import strip_control
from ..weblinks import unsafe_links
from .dates import read_date
from .source import InvalidDate, LocatedDict, LocatedList, quoted

# Value kinds a field can have.
TEXT, INT, NUMBER, DATE, BOOL, WEB_ADDRESS = "text", "int", "number", "date", "bool", "url"
MARKDOWN = "markdown"  # text published as Markdown: its links are checked (weblinks.py)
_TEXTS = (TEXT, WEB_ADDRESS, MARKDOWN)

# The days a catalog's dates can be: a year 9999 is a typo, and counting working days from it overflows.
DATES = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
# The most days a time limit can be (ten years): more is a typo, and a clock that long runs past DATES.
MAX_DAYS = 3650

_EXPECTED = {
    TEXT: ("文本（数字、8:30 这样的时间和 yes、no 都须加引号）", "text"),
    MARKDOWN: ("文本（Markdown）", "Markdown text"),
    INT: ("整数", "an integer"),
    NUMBER: ("数字", "a number"),
    DATE: ("日期（YYYY-MM-DD）", "a date"),
    BOOL: ("true 或 false", "true or false"),
    WEB_ADDRESS: ("以 http:// 或 https:// 开头的完整网址，不含空格、引号和尖括号", "an absolute http(s) address"),
}

# What a web address printed into pages and feeds may not hold: whatever could end the attribute or the element
# it is written into, or that browsers read differently from what was written.
_UNSAFE_IN_ADDRESS = re.compile(r'[\s"\'<>`\\{}|^\x00-\x1f\x7f]')


def _is_web_address(value) -> bool:
    if not isinstance(value, str) or _UNSAFE_IN_ADDRESS.search(value.strip()):
        return False
    parts = urllib.parse.urlsplit(value.strip())
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclasses.dataclass(frozen=True)
class Field:
    key: str
    kind: object  # one of the kinds above, or a Schema for a nested mapping
    title: str
    description: str = ""
    required: bool = False
    many: bool = False  # a list of the kind
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None  # every number a date is computed from has one: a year 99999999 is a typo, not a crash

    @property
    def label(self) -> str:
        """How problems name it: its title and its key."""
        return f"{self.title}（{self.key}）"


T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Schema(Generic[T]):
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    type: Callable[..., T] | None = None  # what ``make`` builds from a record; None: the record is used as it is

    def field(self, key: str) -> Field | None:
        return self.by_key.get(key)

    @functools.cached_property
    def by_key(self) -> dict[str, Field]:
        return {f.key: f for f in self.fields}

    @functools.cached_property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    @functools.cached_property
    def conversions(self) -> tuple[tuple[str, Schema | None, bool], ...]:
        """(key, nested schema, many) of the values ``make`` converts: lists to tuples, nested records to objects.
        Worked out once per schema, not once per record."""
        return tuple((f.key, f.kind if isinstance(f.kind, Schema) else None, f.many) for f in self.fields
                     if f.many or (isinstance(f.kind, Schema) and f.kind.type is not None))

    @functools.cached_property
    def keeps_record(self) -> bool:
        """Whether the objects keep the record they were made from (to place later problems at its lines)."""
        return dataclasses.is_dataclass(self.type) and any(f.name == "record" for f in dataclasses.fields(self.type))


@dataclasses.dataclass
class Record:
    """A checked mapping: values by key, and where each was written.

    Kept between builds (build/cache.py), a record is stored as its own pickle and read back as that pickle's bytes
    (``kept_record``: a view of the stored file, search/stored.py), unpickled when first used: a build uses the
    records of the items that changed and of those with a problem. At 100,000 items the records are ~150 MB as
    objects and ~75 MB as bytes (the cache's file grew from 108 to 163 MB: a record's pickle no longer shares its
    texts with its item's), and one change took 7.3 s against 8.1 s (docs/decisions.md)."""

    values: dict
    where: Location
    key_lines: dict

    def at(self, key: str) -> Location:
        return self.where.at(self.key_lines.get(key, self.where.line))

    def get(self, key, default=None):
        return self.values.get(key, default)

    def __getstate__(self) -> dict:
        """Pickled elsewhere (a worker's results, multiprocessing's pickler), as any object."""
        state = self.__dict__
        return {**state, _KEPT: picklable(state[_KEPT])} if _KEPT in state else state

    def __getattr__(self, name: str):
        """A field of a kept record not yet read (only a missing attribute is looked up here)."""
        kept = None if name.startswith("__") else self.__dict__.pop(_KEPT, None)
        if kept is None:
            raise AttributeError(name)
        self.__dict__.update(zip(_RECORD_FIELDS, pickle.loads(kept)))
        return getattr(self, name)


_KEPT = "_kept"  # a kept record's pickled fields, until they are read
_RECORD_FIELDS = tuple(field.name for field in dataclasses.fields(Record))  # pickled in this order


def picklable(kept: bytes | memoryview) -> bytes:
    """A kept pickle as bytes: read back by the build cache, it is a view of the stored file (search/stored.py),
    which no pickler outside the cache's can write."""
    return kept if isinstance(kept, bytes) else bytes(kept)


def kept_record(fields: bytes | memoryview) -> Record:
    """A record whose fields ``fields`` pickles, read when first used."""
    record = Record.__new__(Record)
    record.__dict__[_KEPT] = fields
    return record


def record_kept(record: Record) -> tuple[Callable[[bytes | memoryview], Record], tuple[pickle.PickleBuffer]]:
    """How the build cache pickles a record (``RECORD_REDUCTIONS``): its fields as a pickle of their own, or the one it
    was read from, still unread."""
    fields = record.__dict__.get(_KEPT)
    if fields is None:
        fields = pickle.dumps(tuple(record.__dict__[name] for name in _RECORD_FIELDS), pickle.HIGHEST_PROTOCOL)
    return kept_record, (pickle.PickleBuffer(fields),)  # stored apart, and read back as a view (search/stored.py)


# For the build cache's pickler (copyreg's dispatch table, by exact type): the records' own pickles. The cache uses
# them with the items' (catalog.KEPT_REDUCTIONS).
RECORD_REDUCTIONS = {Record: record_kept}


_DECLARED = "gongkai.field"  # the metadata key of a dataclass field's declaration


def declared(kind: object, title: str, description: str = "", *, required: bool = False, many: bool = False,
             choices: tuple = (), minimum: int | None = None, maximum: int | None = None,
             default: object = dataclasses.MISSING) -> Any:
    """A dataclass field that files hold: its declaration (the key is the attribute's name) and its default when a
    file leaves it out. Required fields have none unless given; otherwise lists default to (), text to "", the rest
    to None."""
    if default is dataclasses.MISSING and not required:
        default = () if many else "" if kind in _TEXTS else None
    declaration = Field("", kind, title, description, required, many, choices, minimum, maximum)
    return dataclasses.field(default=default, metadata={_DECLARED: declaration})


def pickled_as_values(cls: type[T]) -> type[T]:
    """A frozen dataclass with slots, pickled as the tuple of its values. Slots make an item a third of its size
    (~390 bytes instead of a dictionary of its 45 fields, ~1.6 KB: 120 MB at 100,000 items); the dataclass module's
    own pickling of slots looks the fields up again for every object, which took the build cache of 100,000 items
    from 0.7 to 1.3 s to read."""
    names = tuple(field.name for field in dataclasses.fields(cls))
    assert len(names) > 1  # attrgetter of one name gives the value, not a tuple of it
    values = operator.attrgetter(*names)
    # Each slot's own setter, which a frozen class's __setattr__ does not stop: looking each name up through
    # object.__setattr__ made reading 100,000 items 0.13 s slower (1.05 against 0.92 s).
    slots = [getattr(cls, name) for name in names]
    assert all(isinstance(slot, types.MemberDescriptorType) for slot in slots)  # slots=True
    setters = tuple(slot.__set__ for slot in slots)

    def __getstate__(self) -> tuple:
        return values(self)

    def __setstate__(self, state: tuple) -> None:
        _set_all(self, setters, state)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls


UNREAD = "unread"  # the field of a class read in part (``read_in_part``) that holds the pickle of the rest


@dataclasses.dataclass(frozen=True)
class _InPart:
    """How the objects of a class are kept in part (``read_in_part``)."""

    first: Callable[[object], tuple]  # the values of the fields read with the object
    first_each: tuple[Callable[[object], Any], ...]  # each of them (the columns of an ``InPartTable``)
    rest: Callable[[object], tuple]  # and of the others
    rest_names: frozenset[str]
    set_first: tuple[Callable, ...]
    set_rest: tuple[Callable, ...]
    set_unread: Callable


def read_in_part(*first: str) -> Callable[[type[T]], type[T]]:
    """Keep the objects of a class (``pickled_as_values``, with a last field ``UNREAD`` defaulting to None) in part
    when the build cache pickles them (``in_part_kept``): the values of the fields ``first`` unpickled with them,
    every other's a pickle of its own, read when one of them is first asked for, as a kept record is. A change of
    one item at 100,000 items reads a handful of each item's ~40 fields (what listings, validation, the views and
    the reports' counts read), and making the rest of every item took ~0.12 s of the ~0.6 s the items took to
    unpickle (docs/decisions.md)."""

    def decorate(cls: type[T]) -> type[T]:
        names = tuple(field.name for field in dataclasses.fields(cls))
        assert names[-1] == UNREAD and set(first) <= set(names)
        rest = tuple(name for name in names[:-1] if name not in first)
        assert len(first) > 1 and len(rest) > 1  # attrgetter of one name gives the value, not a tuple of it
        setters = {name: getattr(cls, name).__set__ for name in names}
        cls._in_part = _InPart(operator.attrgetter(*first), tuple(map(operator.attrgetter, first)),
                               operator.attrgetter(*rest), frozenset(rest),
                               tuple(setters[name] for name in first), tuple(setters[name] for name in rest),
                               setters[UNREAD])

        def __getattr__(self, name: str):
            """A field of an object kept in part not yet read (only a missing attribute is looked up here)."""
            in_part = cls._in_part
            unread = self.unread if name in in_part.rest_names else None
            if unread is None:
                raise AttributeError(name)
            _set_all(self, in_part.set_rest, pickle.loads(unread))
            in_part.set_unread(self, None)  # last: should reading fail, it is still unread, and says why again
            return getattr(self, name)

        cls.__getattr__ = __getattr__
        return cls

    return decorate


def in_part_kept(kept: Any) -> tuple[Callable, tuple]:
    """How the build cache pickles an object of a class read in part (``read_in_part``): the values read first, and
    the rest as a pickle of their own, or the one it was read from, still unread."""
    return kept_in_part, (type(kept), kept._in_part.first(kept), _rest_pickled(kept))


def _rest_pickled(kept: Any) -> pickle.PickleBuffer:
    """The pickle of the fields of ``kept`` not read first: the one it was read from, still unread, or a new one. Stored
    apart, and read back as a view (search/stored.py), as a record's fields are."""
    unread = kept.unread
    return pickle.PickleBuffer(pickle.dumps(kept._in_part.rest(kept), pickle.HIGHEST_PROTOCOL) if unread is None
                               else unread)


def kept_in_part(cls: type[T], first: tuple, unread: bytes | memoryview) -> T:
    """An object of ``cls`` with the values read first set, the rest's pickle ``unread`` read when first used."""
    kept = cls.__new__(cls)
    in_part = cls._in_part
    _set_all(kept, in_part.set_first, first)
    in_part.set_unread(kept, unread)
    return kept


class InPartTable(Generic[T]):
    """The ``objects`` of a class read in part (``read_in_part``), pickled together by the build cache: the values of
    each field read first as one column, each object's rest as its own pickle (as ``in_part_kept``). Unpickled, the
    objects are made and set from C, column by column, rather than each by a call of Python's (the kept items of
    100,000 read in ~0.12 s less: docs/decisions.md). Wherever else the pickle holds one of them, it is its place in
    the table (``reduction``)."""

    def __init__(self, cls: type[T], objects: list[T]) -> None:
        self._cls = cls
        self._objects = [kept for kept in objects if type(kept) is cls]
        self._places = {id(kept): place for place, kept in enumerate(self._objects)}

    def reduction(self, kept: T) -> tuple[Callable, tuple]:
        """How the pickler's dispatch table pickles an object of the class: one of the table as its place in it (the
        first pickles the table), any other alone (``in_part_kept``)."""
        place = self._places.get(id(kept))
        return in_part_kept(kept) if place is None else (operator.getitem, (self, place))

    def __reduce__(self) -> tuple[Callable, tuple]:
        columns = tuple(list(map(value, self._objects)) for value in self._cls._in_part.first_each)
        return kept_in_columns, (self._cls, columns, list(map(_rest_pickled, self._objects)))


def kept_in_columns(cls: type[T], columns: tuple[list, ...], unread: list[bytes | memoryview]) -> list[T]:
    """The objects of an ``InPartTable``, in its order: as ``kept_in_part`` makes each. A table pickled by another
    version of the class is refused: the build cache then reads its state as lost."""
    in_part = cls._in_part
    if len(columns) != len(in_part.set_first) or any(len(column) != len(unread) for column in columns):
        raise pickle.UnpicklingError(f"{cls.__name__}: {len(columns)} columns for {len(in_part.set_first)} fields")
    kept = list(map(cls.__new__, itertools.repeat(cls, len(unread))))
    for setter, column in zip(in_part.set_first, columns):
        collections.deque(map(setter, kept, column), 0)  # from C, as ``_set_all``
    collections.deque(map(in_part.set_unread, kept, unread), 0)
    return kept


def _set_all(target: object, setters: tuple[Callable, ...], values: tuple) -> None:
    """Each slot's value by its own setter, which a frozen class's __setattr__ does not stop. Values pickled by
    another version of the class are refused: the build cache then reads its state as lost."""
    if len(values) != len(setters):
        raise pickle.UnpicklingError(f"{type(target).__name__}: {len(values)} values for {len(setters)} fields")
    # Each setter called from C (map, drained by a deque of no length), not by a loop of bytecode: 100,000 items
    # unpickled in 0.84 s instead of 0.92 (medians of seven).
    collections.deque(map(operator.call, setters, itertools.repeat(target), values), 0)


def schema_of(cls: type[T], name: str, title: str, description: str) -> Schema[T]:
    """The schema of a dataclass: its declared fields in their order. Fields without a declaration (record, path,
    the id a file name gives, …) are worked out while loading and are not written in files."""
    fields = tuple(dataclasses.replace(f.metadata[_DECLARED], key=f.name)
                   for f in dataclasses.fields(cls) if _DECLARED in f.metadata)
    return Schema(name, title, description, fields, cls)


def record_texts(schema: Schema, record: Record) -> Iterator[tuple[Record, Field, str]]:
    """Every text of ``schema``'s fields in ``record`` and in the records nested in it: the record that holds it, its
    field, the text (its line is ``record.at(field.key)``, looked up only for a problem). In the record's order,
    which is the schema's when ``read`` made it with ``schema``: its values are looked at rather than every field of
    the schema, of which a record holds few (an item ~10 of 45: asking for each was two fifths of validating 10,000
    items)."""
    fields = schema.by_key
    for key, value in record.values.items():
        if (field := fields.get(key)) is None:  # another schema's record (a report's item is its statistics file's)
            continue
        for one in value if isinstance(value, list) else (value,):
            if isinstance(one, Record) and isinstance(field.kind, Schema):
                yield from record_texts(field.kind, one)
            elif isinstance(one, str):
                yield record, field, one


def complete(schema: Schema, record: Record) -> bool:
    """Whether ``record`` has every required key (a missing one was reported; the object cannot be made)."""
    return all(key in record.values for key in schema.required)


def make(schema: Schema[T], record: Record, /, **given) -> T:
    """The object of a checked, complete record: lists become tuples, nested records their objects, keys the file
    leaves out the dataclass defaults. ``given`` holds what the file cannot say (and is not converted)."""
    values = dict(record.values)
    for key, nested, many in schema.conversions:
        if key in values and key not in given:
            value = values[key]
            if nested is None:
                values[key] = tuple(value)
            elif many:
                values[key] = tuple(make(nested, r) for r in value)
            else:
                values[key] = make(nested, value)
    if schema.keeps_record:
        values["record"] = record
    values.update(given)
    return schema.type(**values)


def read(schema: Schema, data, where: Location, label: str = "") -> tuple[Record | None, list[Problem]]:
    """Check ``data`` against ``schema``. Invalid fields are dropped and reported; the rest is kept."""
    if not isinstance(data, LocatedDict):
        return None, [where.problem("E-TYPE", field=label or schema.title, key=schema.name,
                                    expected=f"{schema.title}（键: 值 的映射）", expected_en="a mapping",
                                    found=_short(data))]
    where = where.at(data.line)
    problems: list[Problem] = []
    known = schema.by_key
    for key in data:
        if key not in known:
            close = difflib.get_close_matches(str(key), sorted(known), n=1)
            suggestion = f"（是否应为“{close[0]}”？）" if close else ""
            problems.append(where.at(data.line_of(key)).problem("E-UNKNOWN-KEY", key=key, suggestion=suggestion))
    values = {}
    for field in schema.fields:
        value = data.get(field.key)
        if value is None and not field.required:  # most of a schema's keys, left out of most files
            continue
        if field.kind in _TEXTS and not field.required:
            given = _given(value)
            # A list of nothing but those words is stated empty when one of them says so (fees: [无] is 不收费, as
            # fees: [] is and as the import reads 无); of slashes and dashes, it says nothing (fees: [/] is 未载明).
            if field.many and value and not given and not any(str(item).strip() in _NONE_STATED for item in value):
                given = None
            value = given
        if value is None or value == "" or (field.many and value == []):
            if field.required:
                # At the key's own line when it is written with nothing after it (title: left to fill in).
                written = field.key in data
                problems.append((where.at(data.line_of(field.key)) if written else where).problem(
                    "E-REQUIRED", key=field.key, title=field.title, how="未填写" if written else "缺少",
                    how_en="empty" if written else "missing"))
            elif field.many and isinstance(value, list):
                values[field.key] = []
            continue
        checked, field_problems = _read_value(field, value, where.at(data.line_of(field.key)),
                                              data.written.get(field.key))
        if not field_problems:  # most values: no generator made to ask each problem
            values[field.key] = checked
            continue
        problems += field_problems
        if not any(p.is_error for p in field_problems):
            values[field.key] = checked
    return Record(values, where, {sys.intern(k) if isinstance(k, str) else k: line
                                  for k, line in data.key_lines.items()}), problems


# Texts this short (types, categories, organ ids, topics) are mostly the same in many files: each is kept once, not
# once per file (with the keys of every record, ~900 bytes an item: 10 % of a build's memory at 100,000 items).
# Longer ones (titles, summaries) rarely repeat, and keeping them once would only grow the table of shared strings.
SHARED_TEXT_CHARS = 16


def _read_value(field: Field, value, where: Location, written: str | None = None):
    """``written``: the value as typed, when YAML read it as a number or a yes/no."""
    if field.many:
        if (isinstance(field.kind, Schema) and isinstance(value, LocatedDict)
                and not set(value) <= {f.key for f in field.kind.fields}):
            # One entry written without its "- " is read as the list of it; a mapping of other keys is no entry.
            return None, [_wrong_shape(field, value, where)]
        if not isinstance(value, LocatedList):
            value_list = LocatedList([value])
            value_list.item_lines = [where.line]
            value = value_list
        results, problems = [], []
        for item, line in zip(value, value.item_lines):
            checked, item_problems = _read_one(field, item, where.at(line))
            problems += item_problems
            if not item_problems:
                results.append(checked)
        return results, problems
    return _read_one(field, value, where, written)


def _read_one(field: Field, value, where: Location, written: str | None = None):
    value_written = value
    if isinstance(field.kind, Schema):
        if not isinstance(value, LocatedDict):
            return None, [_wrong_shape(field, value, where)]
        return read(field.kind, value, where, field.label)
    kind = field.kind
    if kind in _TEXTS and isinstance(value, LocatedDict) and len(value) == 1:
        # "- 条例: 第一条": an unquoted ": " made the text a mapping of one key.
        text = "{}: {}".format(*next(iter(value.items())))
        example = f"{field.key}:\n  - {quoted(text)}" if field.many else f"{field.key}: {quoted(text)}"
        return None, [where.problem("E-TYPE", field=field.label, key=field.key, expected="一段文本（其中有“: ”时须给整段加引号，写法见下）",
                                    expected_en=_EXPECTED[kind][1], found=_short(text), example=example)]
    if kind == DATE:
        value, detail, detail_en = read_date(value if value is not None else "")
        if value is None:
            return None, [where.problem("E-DATE", field=field.label, key=field.key, found=_short(value_written),
                                        detail=detail, detail_en=detail_en)]
    ok = _KIND_CHECKS[kind](value)
    if not ok:
        if isinstance(value, InvalidDate):
            return None, [where.problem("E-DATE", field=field.label, key=field.key, found=_short(value), detail="",
                                        detail_en="")]
        expected, expected_en = _EXPECTED[kind]
        found = written if written is not None else _short(value)
        scalar = isinstance(value, (int, float, bool, dt.date))  # quoted, YAML reads it as the text typed
        example = f"{field.key}: {quoted(found)}" if kind in _TEXTS and scalar and not field.many else ""
        return None, [where.problem("E-TYPE", field=field.label, key=field.key, expected=expected, expected_en=expected_en,
                                    found=found, example=example)]
    if kind in _TEXTS:
        # Control characters, which YAML lets in as escapes ("x\x00y"), mean nothing to a reader and stop what they
        # reach: a folder's name (a topic's), a file's (an attachment's), XML. Dropped where every text is read.
        value = strip_control(value).strip()
        if len(value) <= SHARED_TEXT_CHARS:
            value = sys.intern(value)
    if kind == DATE and not DATES[0] <= value <= DATES[1]:
        return None, [where.problem("E-DATE-RANGE", field=field.label, key=field.key, found=value, first=DATES[0].year,
                                    last=DATES[1].year)]
    if field.choices and value not in field.choices:
        return None, [where.problem("E-CHOICE", field=field.label, key=field.key, found=value, choices="、".join(map(str, field.choices)))]
    if not _in_range(field, value):
        return None, [where.problem("E-RANGE", field=field.label, key=field.key, found=value, bounds=_bounds(field),
                                    bounds_en=_bounds(field, english=True))]
    if kind == MARKDOWN:
        # A block (``|``) starts on the line after its key.
        first = where.line + 1 if "\n" in value else where.line
        return value, link_warnings(value, Location(where.path, first))
    return value, []


def _wrong_shape(field: Field, value, where: Location) -> Problem:
    """A nested record (or list of them) written as something else, with the shape it takes."""
    schema = field.kind
    if field.many:
        expected = "列表：每个一项，以“- ”开头（写法见下）"
        expected_en = f"a list of {schema.name} entries"
    else:
        expected, expected_en = "分行缩进写出的几项“字段: 值”（写法见下）", "a mapping"
    return where.problem("E-TYPE", field=field.label, key=field.key, expected=expected,
                         expected_en=expected_en, found=_short(value), example=shape_example(field, value))


def shape_example(field: Field, found=None) -> str:
    """How ``field`` (a nested record, or a list of them) is written, made from its declaration (``_entry``).
    ``found``, a value written in the record's place, is put in the first key it fits (``repealed: 2024-06-01`` →
    ``date: 2024-06-01``); the other keys show what belongs there."""
    lines = _entry(field.kind, found)
    if field.many:
        lines = _as_item(lines)
    return "\n".join([f"{field.key}:", *(f"  {line}" for line in lines)])


def list_example(schema: Schema) -> str:
    """The first entry of a file that holds a list of ``schema`` entries (requests, powers, fees)."""
    return "\n".join(_as_item(_entry(schema, None)))


def _entry(schema: Schema, found) -> list[str]:
    """``key: value`` lines of one record: its required keys and, when fewer than two are required, the first
    optional ones, in declaration order; placeholders say what belongs there."""
    keys = [f for f in schema.fields if f.required]
    keys += [f for f in schema.fields if not f.required][:max(0, 2 - len(keys))]
    lines, placed = [], False
    for key in (f for f in schema.fields if f in keys):
        value = _placeholder(key)
        if not placed and (written := _fitting(key, found)) is not None:
            value, placed = written, True
        lines.append(f"{key.key}: {value}")
    return lines


def _as_item(lines: list[str]) -> list[str]:
    return [f"- {lines[0]}", *(f"  {line}" for line in lines[1:])]


def _placeholder(field: Field) -> str:
    if field.choices:
        return "（" + "或".join(map(str, field.choices)) + "）"
    return {DATE: "YYYY-MM-DD", BOOL: "true", INT: f"（{field.title}，数字）",
            NUMBER: f"（{field.title}，数字）"}.get(field.kind, f"（{field.title}）")


def _fitting(field: Field, found) -> str | None:
    """``found`` as written under ``field``, if it is a value of that field's kind."""
    if isinstance(found, (dict, list)) or found is None or isinstance(field.kind, Schema):
        return None
    if field.kind == DATE:
        return found.isoformat() if isinstance(found, dt.date) and not isinstance(found, dt.datetime) else None
    if isinstance(found, (dt.date, InvalidDate)):
        return None
    if field.kind in (INT, NUMBER):
        return str(found) if _KIND_CHECKS[field.kind](found) else None
    if field.kind in _TEXTS and isinstance(found, str):
        return found if (not field.choices or found in field.choices) else None
    return None


def _in_range(field: Field, value) -> bool:
    return ((field.minimum is None or value >= field.minimum)
            and (field.maximum is None or value <= field.maximum))


def _bounds(field: Field, english: bool = False) -> str:
    if field.maximum is None:
        return f">= {field.minimum}" if english else f"不小于 {field.minimum}"
    if field.minimum is None:
        return f"<= {field.maximum}" if english else f"不大于 {field.maximum}"
    return f"{field.minimum}..{field.maximum}" if english else f"{field.minimum} 至 {field.maximum}"


def link_warnings(text: str, first: Location) -> list[Problem]:
    """A warning at its line for each link in Markdown ``text`` (starting at ``first``) that will be shown as
    text."""
    return [first.at(first.line + offset).problem("W-LINK-AS-TEXT", found=address[:60])
            for offset, address in unsafe_links(text)]


# What real catalogs write in a cell that has nothing to say (文号: 无). Read as absent: "无" printed as a 文号, or a
# topic page called "无", would be a statement the office did not make.
NOTHING = frozenset({"无", "暂无", "空", "-", "--", "—", "——", "/", "／", "\\"})
_NONE_STATED = frozenset({"无", "暂无"})  # of those, the words that say there is none


def _given(value):
    """``value`` without the words for nothing (a list without them, a text that is one of them → None)."""
    if isinstance(value, str):
        return None if value.strip() in NOTHING else value
    if isinstance(value, LocatedList):
        kept = [(item, line) for item, line in zip(value, value.item_lines)
                if not (isinstance(item, str) and item.strip() in NOTHING)]
        if len(kept) == len(value):
            return value
        result = LocatedList(item for item, _ in kept)
        result.line, result.item_lines = value.line, [line for _, line in kept]
        return result
    return value


_KIND_CHECKS = {
    TEXT: lambda value: isinstance(value, str) and not isinstance(value, InvalidDate),
    MARKDOWN: lambda value: isinstance(value, str) and not isinstance(value, InvalidDate),
    INT: lambda value: isinstance(value, int) and not isinstance(value, bool),
    # NaN and infinity are floats YAML reads (.nan, .inf) but no amount or count.
    NUMBER: lambda value: isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value),
    DATE: lambda value: isinstance(value, dt.date),  # read_date has made it one
    BOOL: lambda value: isinstance(value, bool),
    WEB_ADDRESS: _is_web_address,
}


def _short(value) -> str:
    if isinstance(value, dict):  # as it was written, not as Python shows a dict
        value = ", ".join(f"{k}: {v}" for k, v in value.items())
    text = "空" if value is None else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def json_schema(schema: Schema, list_of: bool = False) -> dict:
    """The JSON Schema (draft 2020-12) of a file kind, with the Chinese titles editors show as help."""
    body = _object_schema(schema)
    if list_of:
        body = {"type": "array", "title": schema.title, "description": schema.description, "items": body}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"gongkai/{schema.name}.json", **body}


def _object_schema(schema: Schema) -> dict:
    properties = {}
    for field in schema.fields:
        prop = _field_schema(field)
        if field.many:
            prop = {"type": "array", "items": prop}
        prop = {"title": field.title, **({"description": field.description} if field.description else {}), **prop}
        properties[field.key] = prop
    result = {"type": "object", "title": schema.title, "description": schema.description,
              "properties": properties, "additionalProperties": False}
    required = [f.key for f in schema.fields if f.required]
    if required:
        result["required"] = required
    return result


def _field_schema(field: Field) -> dict:
    if isinstance(field.kind, Schema):
        return _object_schema(field.kind)
    result = {
        TEXT: {"type": "string"},
        MARKDOWN: {"type": "string", "contentMediaType": "text/markdown"},
        WEB_ADDRESS: {"type": "string", "format": "uri", "pattern": "^https?://"},
        INT: {"type": "integer"},
        NUMBER: {"type": "number"},
        DATE: {"type": "string", "format": "date"},
        BOOL: {"type": "boolean"},
    }[field.kind]
    if field.choices:
        result = {**result, "enum": list(field.choices)}
    if field.minimum is not None:
        result = {**result, "minimum": field.minimum}
    if field.maximum is not None:
        result = {**result, "maximum": field.maximum}
    return result
