"""Reading YAML and front-matter files while remembering the line of every key.

PyYAML's C parser does the parsing; our constructors only attach line numbers
(``LocatedDict.line``, ``LocatedDict.key_lines``) and note duplicate keys,
which plain PyYAML silently overwrites. Nothing here raises on bad input:
every failure becomes a ``Problem``.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import hashlib
import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import yaml

from ..errors import CatalogChanged, Location, Problem, display_path, os_reason

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedDict(dict):
    """A YAML mapping with the line of the mapping and of each key, and the text of each value YAML read as a
    number or a yes/no (8:30 is 510 to YAML, 010000 is 4096, no is False): a message shows what staff typed."""

    line: int = 0
    key_lines: dict
    # key → the value as typed, for those YAML read as something else than text (none, for a mapping read otherwise)
    written: Mapping = MappingProxyType({})

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LocatedList(list):
    line: int = 0
    item_lines: list


class InvalidDate(str):
    """A scalar that looks like a date but is not one (2026-02-30): kept as text so validation can say so."""


class _Loader(_BaseLoader):
    def __init__(self, stream, line_offset: int):
        super().__init__(stream)
        self.line_offset = line_offset
        self.duplicates: list[tuple[str, int, int]] = []

    def line_of(self, node) -> int:
        return node.start_mark.line + 1 + self.line_offset


def _construct_mapping(loader: _Loader, node):
    data = LocatedDict()
    data.line = loader.line_of(node)
    data.key_lines, data.written = {}, {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, dt.date)) or key is None:
            key = str(key)
        line = loader.line_of(key_node)
        if key in data.key_lines:
            loader.duplicates.append((str(key), line, data.key_lines[key]))
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag in _TYPED_TAGS:
            data.written[key] = value_node.value


def _construct_sequence(loader: _Loader, node):
    data = LocatedList()
    data.line = loader.line_of(node)
    data.item_lines = [loader.line_of(child) for child in node.value]
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)


def _construct_timestamp(loader: _Loader, node):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return InvalidDate(node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def unreadable_problem(error: OSError, shown: str, kind: str) -> Problem:
    """E-FILE-UNREADABLE for the file or folder ``shown``, which should be a ``kind`` (文件, 文件夹)."""
    return Location(shown, 0).problem("E-FILE-UNREADABLE", what=f"{kind} {shown}", what_en=shown,
                                      reason=os_reason(error), reason_en=error.strerror or type(error).__name__,
                                      kind=kind)


# A catalog's file is text, far smaller than this: a larger one (or a link to a device that never ends) is refused
# rather than read until memory runs out.
MAX_FILE_BYTES = 64 * 2**20
CHUNK = 1 << 16  # what is read at a time of a file that grew while it was read


def read_file(path: Path | str) -> bytes:
    """The bytes of the catalog's file ``path``; OSError for anything but a regular file (a named pipe would wait for
    a writer for ever: opened without waiting, and refused) and for a file larger than MAX_FILE_BYTES."""
    # os.read, not a file object: a catalog is read three times a build (loaded, its page, its search document), and
    # the buffered file asked the system for the file's status twice more (10,000 files: 10.5 µs each against 6.9).
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if status.st_size > MAX_FILE_BYTES:  # refused unread
            raise OSError(errno.EFBIG, "file too large", str(path))
        # A byte beyond its size first: fewer is the whole file, with no read more to learn that it ended (10,000
        # files are read three times a build). One written meanwhile may have grown, and is read to its end (or
        # refused), a chunk at a time.
        chunks = [os.read(descriptor, status.st_size + 1)]
        size = len(chunks[0])
        while status.st_size < size <= MAX_FILE_BYTES and (chunk := os.read(descriptor, CHUNK)):
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise OSError(errno.EFBIG, "file too large", str(path))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_text(path: Path | str, shown: str, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text (from ``raw`` when the caller has read it), or the problem that stops us reading it."""
    try:
        if raw is None:
            raw = read_file(path)
    except FileNotFoundError:
        return None, [Location(shown, 0).problem("E-FILE-MISSING", what=shown, what_en=shown)]
    except OSError as exc:
        return None, [unreadable_problem(exc, shown, "文件")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Location(shown, line).problem("E-ENCODING")]


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[object, list[Problem]]:
    """Parse one YAML document; ``first_line`` is where it starts in its file."""
    if any(character in text for character in _HIDDEN_BREAKS):  # three searches of the text, not a pattern's scan
        return None, _hidden_breaks(text, first_line, shown)
    simple = _parse_flat(text, first_line)
    if simple is not None:
        return simple, []
    offset = first_line - 1
    loader = _Loader(text, offset)
    try:
        node = loader.get_single_node()
        if "*" in text and node is not None and _alias_growth(node) > _ALIAS_GROWTH_LIMIT:
            return None, _syntax_problems(text, first_line, Location(shown, loader.line_of(node)), _TOO_BIG)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and any(word in exc.context for word in ("quoted", "flow", "simple key")):
            # An unclosed quote or bracket, or a key without its colon: where it started is where to look.
            mark = exc.context_mark
        line = min(mark.line + 1 if mark else 1, _last_content_line(text)) + offset
        return None, _syntax_problems(text, first_line, Location(shown, line), exc.problem or exc.context or "")
    except yaml.YAMLError as exc:
        return None, _syntax_problems(text, first_line, Location(shown, first_line), str(exc).splitlines()[0])
    except RecursionError:  # brackets or lists nested hundreds deep: PyYAML builds them by recursion
        return None, _syntax_problems(text, first_line, Location(shown, first_line), _TOO_DEEP)
    finally:
        loader.dispose()
    if "\u3000" in text:  # full-width spaces before a key make it a key of its own, "　　- file", not a syntax error
        slips = [slip for slip in _keyboard_slips(text, first_line, shown) if slip.code == "E-YAML-FULLWIDTH-SPACE"]
        if slips:
            return None, slips
    problems = [
        Location(shown, line).problem("E-DUPLICATE-KEY", key=key, first=first)
        for key, line, first in loader.duplicates
    ]
    return data, problems


# Front matter is nearly always flat: `key: value` lines, lists written [a, b], and a key's block of such lines one
# level in (a withdrawal's `changed:` and `reason:`, attachments as `- file:` items). Those are read here at a tenth of
# the cost of the YAML parser, with the same result (tests compare both); anything else goes to PyYAML.
_FLAT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):[ ]+(\S(?:.*\S)?)[ ]*")
_BLOCK_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):[ ]*")  # a key whose value is the indented lines below it
_UNSAFE_SCALAR = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`]|: |:$| #|\t""")
_DATE = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}")
_INT = re.compile(r"0|[1-9][0-9]*")
_STR_TAG, _TIMESTAMP_TAG, _INT_TAG = (f"tag:yaml.org,2002:{name}" for name in ("str", "timestamp", "int"))
_NOT_READ = object()
_TYPED_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool")}
# What YAML refuses to read anywhere but in an escape (its Reader's printable set): PyYAML says where.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _parse_flat(text: str, first_line: int) -> LocatedDict | None:
    if _NOT_PRINTABLE.search(text):
        return None
    lines = list(enumerate(text.split("\n"), start=first_line))
    entries = []
    at = 0
    while at < len(lines):
        number, line = lines[at]
        at += 1
        if not line.strip() or line.startswith("#"):
            continue
        if match := _FLAT_LINE.fullmatch(line):
            entries.append((number, match.group(1), _flat_value(match.group(2), number)))
        elif match := _BLOCK_KEY.fullmatch(line):
            block = []
            while at < len(lines) and lines[at][1].startswith(" "):
                block.append(lines[at])
                at += 1
            entries.append((number, match.group(1), _flat_block(block)))
        else:
            return None
    data = _located(entries)
    return data if data is not _NOT_READ and data else None


def _flat_value(raw: str, number: int):
    """The value of a `key: value` line: a plain scalar, or a list written [a, b]; _NOT_READ when PyYAML must
    decide."""
    if not (raw.startswith("[") and raw.endswith("]")):
        return _flat_scalar(raw)
    items = [item.strip() for item in raw[1:-1].split(",")] if raw[1:-1].strip() else []
    if any(not item or _FLOW_UNSAFE.search(item) for item in items):
        return _NOT_READ
    value = LocatedList(_flat_scalar(item) for item in items)
    value.line, value.item_lines = number, [number] * len(items)
    return _NOT_READ if _NOT_READ in value else value


def _flat_block(block: list[tuple[int, str]]):
    """The indented lines below a `key:` line, all at the first one's indent: `key: value` lines (a mapping), or
    items that each begin with `- ` (a list), of a value or of `key: value` lines at the indent after the `- `;
    _NOT_READ for anything else, a blank line or a comment among them included."""
    if not block:
        return _NOT_READ  # `key:` alone is null to YAML
    indent = len(block[0][1]) - len(block[0][1].lstrip(" "))
    if block[0][1][indent:].startswith("- "):
        value, item = LocatedList(), None
        value.line, value.item_lines = block[0][0], []
        for number, line in block:
            own = len(line) - len(line.lstrip(" "))
            if own == indent and line.startswith("- ", indent) and line[indent + 2:indent + 3] not in ("", " "):
                raw = line[indent + 2:]
                item = _flat_mapping([(number, raw)]) if _FLAT_LINE.fullmatch(raw) else _flat_item(raw)
                if item is _NOT_READ:
                    return _NOT_READ
                value.append(item)
                value.item_lines.append(number)
            elif own == indent + 2 and isinstance(item, LocatedDict):  # the item's next key
                more = _flat_mapping([(number, line[indent + 2:])])
                if more is _NOT_READ or next(iter(more)) in item:
                    return _NOT_READ
                item.update(more)
                item.key_lines.update(more.key_lines)
            else:
                return _NOT_READ
        return value
    if any(len(line) - len(line.lstrip(" ")) != indent for _, line in block):
        return _NOT_READ
    return _flat_mapping([(number, line[indent:]) for number, line in block])


def _flat_mapping(lines: list[tuple[int, str]]):
    """`key: value` lines as a mapping (``_located``); _NOT_READ for anything else."""
    entries = []
    for number, line in lines:
        if not (match := _FLAT_LINE.fullmatch(line)):
            return _NOT_READ
        entries.append((number, match.group(1), _flat_value(match.group(2), number)))
    return _located(entries)


def _located(entries: list[tuple[int, str, object]]):
    """Each (line, key, value) as a mapping at the first one's line; _NOT_READ when a value was not read, a key comes
    twice or YAML reads a key as something else than text (on: yes is {True: True} to YAML)."""
    mapping = LocatedDict()
    mapping.key_lines = {}
    for number, key, value in entries:
        if value is _NOT_READ or key in mapping or _key_tag(key) != _STR_TAG:
            return _NOT_READ
        if not mapping:
            mapping.line = number
        mapping[key], mapping.key_lines[key] = value, number
    return mapping


def _flat_item(raw: str):
    """A list's item that is a plain scalar (`- 政府`), without the spaces after it."""
    return _NOT_READ if raw.startswith("[") else _flat_scalar(raw.rstrip(" "))


_FLOW_UNSAFE = re.compile(r"[\[\]{},]")


def _flat_scalar(raw: str):
    """A plain scalar on one line as PyYAML reads it, or _NOT_READ when PyYAML must decide."""
    return _short_scalar(raw) if len(raw) <= SHORT_SCALAR_CHARS else _scalar(raw)


# Short values (organ ids, categories, topics, dates, document types) are the same in many files: each is read once.
# Of the values of 10,000 generated items' files, 71 % were this short, and a fifth of those distinct.
SHORT_SCALAR_CHARS = 16


@functools.lru_cache(maxsize=4096)
def _short_scalar(raw: str):
    return _scalar(raw)


def _scalar(raw: str):
    if _UNSAFE_SCALAR.search(raw):
        return _NOT_READ
    tag = _TIMESTAMP_TAG if _DATE.fullmatch(raw) else _resolve(raw)  # PyYAML's timestamp pattern for a date
    if tag == _STR_TAG:
        return raw
    if tag == _INT_TAG and _INT.fullmatch(raw):
        return int(raw)
    if tag == _TIMESTAMP_TAG and _DATE.fullmatch(raw):
        year, month, day = map(int, raw.split("-"))
        try:
            return dt.date(year, month, day)
        except ValueError:
            return InvalidDate(raw)
    return _NOT_READ


_RESOLVER = yaml.resolver.Resolver()
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


def _resolve(plain: str) -> str:
    """PyYAML's tag for a plain scalar; its resolvers are chosen by the first character, and most of our
    values (Chinese text) start with one that has none."""
    if plain[0] not in _IMPLICIT and None not in _IMPLICIT:
        return _STR_TAG
    return _RESOLVER.resolve(yaml.ScalarNode, plain, (True, False))


@functools.lru_cache(maxsize=256)  # the same few keys in every file
def _key_tag(key: str) -> str:
    return _resolve(key)


def _last_content_line(text: str) -> int:
    """An error "at the end of the file" is shown on the last line that has content."""
    lines = text.splitlines()
    return max((n for n, line in enumerate(lines, 1) if line.strip()), default=1)


# Aliases (*name) repeat what an anchor (&name) names without copying it, so nine lines can stand for a billion
# values: every later step that walks or prints them (a message quoting a wrong value) would hang. A file may use
# aliases as long as they add no more than this many values to what it writes out.
_ALIAS_GROWTH_LIMIT = 100_000


def _alias_growth(root: yaml.Node) -> int:
    """How many values the aliases of a composed document add to those written in it: its size with each alias
    expanded, less its size with each node counted once. (A node that contains itself is left to the constructor,
    which refuses it.)"""
    expanded: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in expanded:
            return expanded[key]
        if key in on_path:
            return 1
        on_path.add(key)
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else ())
        total = 1 + sum(size(child) for child in children)
        on_path.discard(key)
        expanded[key] = total
        return total

    return size(root) - len(expanded)


# PyYAML's complaints (C and Python parsers word some differently) in words staff can act on; first match wins.
_TOO_DEEP = "nested too deep"
_TOO_BIG = "aliases expand too far"
_SYNTAX_DETAILS = (
    (_TOO_DEEP, "括号或列表嵌套的层数太多：请检查是否多了 [ 或 {，或缩进是否一层层越来越深"),
    (_TOO_BIG, "引用（*名称）展开后的内容过多：请直接写出要重复的内容，不要层层引用"),
    ("recursive", "引用（*名称）指向包含它自己的锚点（&名称）：请直接写出内容"),
    ("could not find expected ':'", "找不到字段名后的冒号（须为半角冒号“:”，后面加一个空格）"),
    ("cannot start any token", "这里有 YAML 不接受的字符：常见原因是用 Tab 缩进，或值以 @、` 等符号开头却没有加引号"),
    ("mapping values are not allowed", "这里不能再有“: ”（冒号加空格）：或是这一行多缩进了，或是值中有冒号却没有加引号"),
    ("did not find expected key", "缩进没有对齐：同一层的字段须从同一列开始"),
    ("expected '-' indicator", "列表没有对齐：每一项都以“- ”开头，并从同一列开始"),
    ("unexpected end of stream", "引号或括号没有配对：从这一行开始的引号或括号到文件末尾也没有结束"),
    ("did not find expected ','", "方括号 [ ] 或花括号 { } 没有配对，或其中的项没有用英文逗号分隔"),
    ("expected <block end>", "缩进没有对齐：这一行与上面同一层的行不在同一列"),
    ("undefined alias", "值以 * 开头，YAML 当作引用：请给整个值加引号"),
    ("unknown escape character", "双引号中的反斜杠“\\”须写成“\\\\”，或改用单引号"),
    ("expected alphabetic or numeric character", "值以 & 或 * 开头，YAML 当作锚点或引用：请给整个值加引号"),
    ("found a tab character", "有 Tab 字符：YAML 只能用空格缩进"),
)


def _syntax_problems(text: str, first_line: int, at: Location, complaint: str) -> list[Problem]:
    """What PyYAML could not parse, said for people: keyboard slips found on the lines up to the one PyYAML
    stopped at explain it (each with its line rewritten); otherwise its complaint in Chinese."""
    slips = _keyboard_slips(text, first_line, at.path, stopped_at=at.line)
    if any(slip.line <= at.line for slip in slips):
        return slips
    detail = next((zh for en, zh in _SYNTAX_DETAILS if en in complaint), "无法解析这一行")
    return [at.problem("E-YAML-SYNTAX", detail=detail, detail_en=complaint or "cannot parse"), *slips]


# Characters YAML takes for line breaks that editors show as nothing (or a space): text copied from a web page or
# Word brings them. YAML would break the line there, and its line numbers would no longer be the editor's.
_HIDDEN_BREAKS = "\u2028\u2029\x85"
_HIDDEN_BREAK = re.compile(f"[{_HIDDEN_BREAKS}]")


def _hidden_breaks(text: str, first_line: int, shown: str) -> list[Problem]:
    lines = {text.count("\n", 0, found.start()) + first_line: found.group() for found in _HIDDEN_BREAK.finditer(text)}
    return [Location(shown, line).problem("E-YAML-HIDDEN-BREAK", line=line, char=f"U+{ord(char):04X}")
            for line, char in sorted(lines.items())]


_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_LEAD = r"(?P<lead>[ ]*(?:-[ ]+)?)"
_FULLWIDTH_COLON = re.compile(rf"{_LEAD}(?P<key>{_KEY})[ \u3000]*：[ \u3000]*(?P<rest>.*)")
_FULLWIDTH_AFTER_COLON = re.compile(rf"{_LEAD}(?P<key>{_KEY}):\u3000+(?P<rest>.*)")
_BAD_INDENT = re.compile(r"[ ]*[\t\u3000][ \t\u3000]*")  # a tab or full-width space among the leading blanks
# What follows them when they indent the file's structure (a key or a list item), not a line of text (　　第二段).
_STRUCTURE = re.compile(rf"-(?: |$)|{_KEY}[ ]*[:：]")
# A value with ": " (or ending in ":") that is not quoted, bracketed or a block: PyYAML reads a second key in it.
_COLON_IN_VALUE = re.compile(rf"{_LEAD}(?P<key>{_KEY}):[ ]+(?P<value>[^\s'\"\[{{|>&*!#%@`].*?(?:: .*|:))[ ]*")
# A list item's dash typed without its space, or as a full-width hyphen or a dash (－ – —), or with a full-width space.
_LIST_DASH = re.compile(rf"(?P<indent>[ ]*)(?:-(?=[A-Za-z_])|[－–—]+[ \u3000]*|-\u3000+)(?P<rest>{_KEY}[ ]*:.*)")
_BLOCK_START = re.compile(r"(?P<indent>[ ]*)(?:-[ ]+)?(?:[^#]*:[ ]+)?[|>][-+0-9]*[ ]*(?:#.*)?")


def _keyboard_slips(text: str, first_line: int, shown: str, stopped_at: int | None = None) -> list[Problem]:
    """Lines typed with a Chinese keyboard's full-width colon or spaces, or indented with tabs, outside block
    scalars (where any character is text); and, when PyYAML stopped on it, a value holding an unquoted ": "."""
    problems = []
    lines = text.split("\n")
    block_indent = None  # the indent a block scalar's lines are deeper than, while inside one
    previous = ""
    for number, line in enumerate(lines, start=first_line):
        spaces = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or spaces > block_indent:
                continue
            block_indent = None
        where = Location(shown, number)
        fixed = line
        if (match := _BAD_INDENT.match(line)) and _STRUCTURE.match(line, match.end()):
            blanks = match.group()
            fixed = " " * _indent_for(line[len(blanks):], previous) + line[len(blanks):]
            example = f"{previous}\n{fixed}" if previous else fixed  # an indent is read against the line above
            if "\t" in blanks:
                problems.append(where.problem("E-YAML-TAB", line=number, example=example))
            else:
                problems.append(where.problem("E-YAML-FULLWIDTH-SPACE", line=number, where="开头",
                                              where_en="at the start of the line", example=example))
        elif match := _LIST_DASH.fullmatch(line):
            fixed = f"{match['indent']}- {match['rest']}"
            typed = line.strip().split(":")[0]  # "-file", "－ file": the dash as typed, up to the key's colon
            problems.append(where.problem("E-YAML-LIST-DASH", line=number, found=typed, example=fixed))
        elif match := _FULLWIDTH_COLON.fullmatch(line):
            fixed = f"{match['lead']}{match['key']}: {match['rest']}".rstrip()
            problems.append(where.problem("E-YAML-FULLWIDTH-COLON", line=number, key=match["key"], example=fixed))
        elif match := _FULLWIDTH_AFTER_COLON.fullmatch(line):
            fixed = f"{match['lead']}{match['key']}: {match['rest']}".rstrip()
            problems.append(where.problem("E-YAML-FULLWIDTH-SPACE", line=number, where=f"“{match['key']}:”之后",
                                          where_en=f"after {match['key']}:", example=fixed))
        elif number == stopped_at and (match := _COLON_IN_VALUE.fullmatch(line)):
            fixed = f"{match['lead']}{match['key']}: {quoted(match['value'])}"
            problems.append(where.problem("E-YAML-COLON", line=number, key=match["key"], example=fixed))
        if (block := _BLOCK_START.fullmatch(line)) and not line.lstrip().startswith("#"):
            block_indent = len(block["indent"])
        if line.strip() and not line.lstrip().startswith("#"):
            previous = fixed  # as rewritten: the next line's indent follows the corrected one
    return problems


def _indent_for(content: str, previous: str) -> int:
    """The indent a line's content belongs at after ``previous`` (the last line with content): one level deeper
    under a key that opens a block or inside a list item's mapping, else level with it."""
    indent = len(previous) - len(previous.lstrip(" "))
    if previous.rstrip().endswith(":"):
        return indent + 2
    if previous.lstrip().startswith("- ") and not content.startswith("- "):
        return indent + 2
    return indent


def quoted(value: str) -> str:
    """``value`` as a YAML quoted scalar that reads back as the same text."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def load_yaml_file(path: Path, raw: bytes | None = None) -> tuple[str, object, list[Problem]]:
    """(shown path, its one YAML document, problems); ``raw``: the file's bytes, when already read."""
    shown = display_path(path)
    text, problems = read_text(path, shown, raw)
    if text is None:
        return shown, None, problems
    data, problems = parse_yaml(text, shown)
    return shown, data, problems


def read_body(path: str, body_line: int, digest: str) -> str:
    """The body of a front-matter file from ``body_line`` on, provided the file is still the one hashed as ``digest``
    when it was validated."""
    try:
        raw = read_file(path)
    except OSError:  # read when it was validated: gone, or made unreadable, since
        raise CatalogChanged(display_path(path)) from None
    if hashlib.sha1(raw).hexdigest() != digest:
        raise CatalogChanged(display_path(path))
    return "".join(raw.decode("utf-8-sig").splitlines(keepends=True)[body_line - 1:])


def load_front_matter_file(path: Path | str, raw: bytes | None = None, shown: str | None = None
                           ) -> tuple[str, object, str, int, list[Problem]]:
    """Split a Markdown file into its YAML front matter and body. ``shown``: the path as problems name it, when the
    caller knows it.

    Returns (shown path, front matter, body, body's first line, problems).
    """
    shown = shown or display_path(path)
    text, problems = read_text(path, shown, raw)
    if text is None:
        return shown, None, "", 0, problems
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return shown, None, "", 0, [Location(shown, 1).problem("E-FRONT-MATTER")]
    for end, line in enumerate(lines[1:], start=1):
        if line.rstrip() == "---":  # at the line's start: an indented --- is text of a block value
            break
    else:
        return shown, None, "", 0, [Location(shown, 1).problem("E-FRONT-MATTER")]
    data, problems = parse_yaml("".join(lines[1:end]), shown, first_line=2)
    body = "".join(lines[end + 1 :])
    return shown, data, body, end + 2, problems
