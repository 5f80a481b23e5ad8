"""Reading YAML and front-matter files while remembering the line of every key.

PyYAML's C parser does the parsing; our constructors only attach line numbers
(``LocatedDict.line``, ``LocatedDict.key_lines``) and note duplicate keys,
which plain PyYAML silently overwrites. Nothing here raises on bad input:
every failure becomes a ``Problem``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from .errors import Location, Problem, display_path

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LocatedDict(dict):
    """A YAML mapping with the line of the mapping and of each key."""

    line: int = 0
    key_lines: dict

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
    data.key_lines = {}
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


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that stops us reading it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Location(shown, 0).problem("E-FILE-MISSING", what=shown)]
    except OSError as exc:
        return None, [Location(shown, 0).problem("E-FILE-MISSING", what=f"{shown}（{exc.strerror}）")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Location(shown, line).problem("E-ENCODING")]


def parse_yaml(text: str, shown: str, first_line: int = 1) -> tuple[object, list[Problem]]:
    """Parse one YAML document; ``first_line`` is where it starts in its file."""
    offset = first_line - 1
    loader = _Loader(text, offset)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and exc.context and ("quoted" in exc.context or "flow" in exc.context):
            mark = exc.context_mark  # an unclosed quote or bracket: where it opened is where to look
        line = min(mark.line + 1 if mark else 1, _last_content_line(text)) + offset
        detail = _yaml_detail(exc)
        return None, [Location(shown, line).problem("E-YAML-SYNTAX", detail=detail)]
    except yaml.YAMLError as exc:
        return None, [Location(shown, first_line).problem("E-YAML-SYNTAX", detail=str(exc).splitlines()[0])]
    finally:
        loader.dispose()
    problems = [
        Location(shown, line).problem("E-DUPLICATE-KEY", key=key, first=first)
        for key, line, first in loader.duplicates
    ]
    return data, problems


def _last_content_line(text: str) -> int:
    """An error "at the end of the file" is shown on the last line that has content."""
    lines = text.splitlines()
    return max((n for n, line in enumerate(lines, 1) if line.strip()), default=1)


def _yaml_detail(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    return "; ".join(parts) or "无法解析"


def load_yaml_file(path: Path) -> tuple[str, object, list[Problem]]:
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return shown, None, problems
    data, problems = parse_yaml(text, shown)
    return shown, data, problems


def load_front_matter_file(path: Path) -> tuple[str, object, str, int, list[Problem]]:
    """Split a Markdown file into its YAML front matter and body.

    Returns (shown path, front matter, body, body's first line, problems).
    """
    shown = display_path(path)
    text, problems = read_text(path, shown)
    if text is None:
        return shown, None, "", 0, problems
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return shown, None, "", 0, [Location(shown, 1).problem("E-FRONT-MATTER")]
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            break
    else:
        return shown, None, "", 0, [Location(shown, 1).problem("E-FRONT-MATTER")]
    data, problems = parse_yaml("".join(lines[1:end]), shown, first_line=2)
    body = "".join(lines[end + 1 :])
    return shown, data, body, end + 2, problems
