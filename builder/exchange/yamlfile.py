"""Writing catalog files in the shapes staff write them: an item's front matter and body, a list of entries.

Keys come in their declared order; short lists of short texts are written [a, b], others one per line; text is
written plain unless YAML would read it as something else (80, 2026-02-30, yes, a leading - or a ': '), then in
double quotes; text over several lines as a | block. The same values always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import yaml

from ..model.dates import time_of
from ..model.fields import Record, Schema

INDENT = "  "
FLOW_WIDTH = 60  # a list written [a, b] is at most this wide (a Chinese character is two columns)

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# What PyYAML's reader accepts in a stream at all, less the line breaks editors do not show (which the catalog's
# reader refuses: E-YAML-HIDDEN-BREAK); anything else must be escaped in double quotes.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PLAIN_UNSAFE = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: |:$| #|[\t\r\n\x85\u2028\u2029\ufeff]|\s$""")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}


def normalize_body(text: str) -> str:
    """A body as an item file holds it after the blank line under its front matter: no leading blank lines, no
    trailing spaces or newlines, Unix line ends. Import and export both pass bodies through here."""
    return text.replace("\r\n", "\n").lstrip("\n").rstrip()


def item_file(values: dict, schema: Schema, body: str, comments: tuple[str, ...] = ()) -> str:
    """An item file: front matter between --- lines (comment lines first), a blank line, the body."""
    lines = ["---", *comments, *_mapping(values, schema, "")]
    text = "\n".join(lines) + "\n---\n"
    body = normalize_body(body)
    return text + ("\n" + body + "\n" if body else "")


def updated_item_file(text: str, data: dict, before: dict, values: dict, schema: Schema, body: str) -> str | None:
    """The item file ``text``, whose front matter reads as ``data`` (its keys' lines counted in the file) and as
    ``before`` once checked, holding ``values`` and ``body`` instead: a key whose value is as before keeps its lines
    (in the file's own words: a | block stays one), a changed one is written in its place, a removed one goes, a new
    one comes last; comment lines between keys stay where they are. None when the front matter is not one top-level
    key a block (the caller writes the file afresh)."""
    lines = text.split("\n")
    closing = next((n for n, line in enumerate(lines[1:], start=1) if line.rstrip() == "---"), None)
    key_lines = getattr(data, "key_lines", None)
    if not lines or lines[0].strip() != "---" or closing is None or not isinstance(key_lines, dict) \
            or set(key_lines) != set(data):
        return None
    starts = sorted((line - 1, key) for key, line in key_lines.items())  # indices into ``lines``
    if any(not lines[start].startswith(f"{key}:") for start, key in starts if 0 < start < closing) \
            or any(not 0 < start < closing for start, _ in starts):
        return None
    out = lines[:starts[0][0]] if starts else lines[:closing]
    for index, (start, key) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else closing
        block_end = end
        while block_end > start + 1 and (not lines[block_end - 1].strip() or lines[block_end - 1].startswith("#")):
            block_end -= 1  # comments and blank lines after a key belong before the next one
        if key in values:
            written = _mapping({key: values[key]}, schema, "")
            unchanged = key in before and written == _mapping({key: before[key]}, schema, "")
            out += lines[start:block_end] if unchanged else written
        out += lines[block_end:end]
    out += [line for field in schema.fields if field.key in values and field.key not in data
            for line in _mapping({field.key: values[field.key]}, schema, "")]
    front = "\n".join([*out, "---"]) + "\n"
    body = normalize_body(body)
    return front + ("\n" + body + "\n" if body else "")


def list_entry(values: dict, schema: Schema) -> str:
    """One entry of a list file (powers/*.yaml, fees/*.yaml): "- key: value", its other keys indented under it."""
    lines = _mapping(values, schema, INDENT)
    lines[0] = "- " + lines[0][len(INDENT):]
    return "\n".join(lines) + "\n"


def list_file(entries: list[dict], schema: Schema, comments: tuple[str, ...] = ()) -> str:
    """A list file: comment lines, then the entries separated by blank lines."""
    head = "".join(line + "\n" for line in comments)
    return head + "\n".join(list_entry(values, schema) for values in entries)


def _mapping(values: dict, schema: Schema, indent: str) -> list[str]:
    lines = []
    for field in schema.fields:
        if field.key not in values:
            continue
        value = values[field.key]
        if isinstance(value, Record):
            value = value.values
        key = f"{indent}{field.key}:"
        if isinstance(field.kind, Schema) and not field.many:
            lines += [key, *_mapping(value, field.kind, indent + INDENT)]
        elif isinstance(field.kind, Schema):
            if not value:
                lines.append(f"{key} []")
                continue
            lines.append(key)
            for record in value:
                nested = _mapping(record.values if isinstance(record, Record) else record, field.kind,
                                  indent + INDENT * 2)
                nested[0] = f"{indent}{INDENT}- " + nested[0][len(indent) + len(INDENT) * 2:]
                lines += nested
        elif field.many:
            lines += _list(key, list(value), indent)
        else:
            lines += _scalar_lines(key, value, indent)
    return lines


def _list(key: str, items: list, indent: str) -> list[str]:
    if not items:
        return [f"{key} []"]
    texts = [scalar(item, flow=True) for item in items]
    if all(t is not None for t in texts) and _width(flow := "[" + ", ".join(texts) + "]") <= FLOW_WIDTH:
        return [f"{key} {flow}"]
    return [key, *(f"{indent}{INDENT}- {scalar(item)}" for item in items)]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _scalar_lines(key: str, value, indent: str) -> list[str]:
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        chomp = "" if value.endswith("\n") else "-"
        return [f"{key} |{chomp}", *(f"{indent}{INDENT}{line}" if line else "" for line in value.rstrip("\n").split("\n"))]
    return [f"{key} {scalar(value)}"]


def _literal_ok(text: str) -> bool:
    """Whether a | block gives back exactly ``text``: no leading space on its first line (the block would need
    an indentation indicator), no trailing spaces, one final line break at most, printable characters only."""
    lines = text.rstrip("\n").split("\n")
    return (not text.endswith("\n\n") and not lines[0][:1].isspace() and "\r" not in text
            and not _NOT_PRINTABLE.search(text) and all(line == line.rstrip() for line in lines)
            and "\t" not in text and not text.startswith("\n"))


def scalar(value, flow: bool = False) -> str | None:
    """A scalar as YAML text that reads back as ``value``. In a [a, b] list (``flow``), None when the text would
    need quotes there that it does not need in a block list (the caller then writes a block list)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text and "." not in text:
            text = text.replace("e", ".0e")  # YAML 1.1 reads 1e-05 as text
        return text
    if isinstance(value, dt.date):
        return date_text(value)
    text = str(value)
    if _plain_ok(text, flow):
        return text
    if flow and _plain_ok(text, False):
        return None
    return quoted(text)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or _PLAIN_UNSAFE.search(text) or _NOT_PRINTABLE.search(text):
        return False
    if flow and _FLOW_UNSAFE.search(text):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def date_text(day: dt.date) -> str:
    """A date as the catalog writes it: 2024-05-27, or 2024-05-27 09:30 when it was given with its time."""
    time = day.time() if isinstance(day, dt.datetime) else time_of(day)
    if time is None:
        return day.isoformat()
    return f"{day:%Y-%m-%d} {time:%H:%M}" + (f":{time:%S}" if time.second else "")


def quoted(text: str) -> str:
    """``text`` in YAML double quotes, with what the reader would refuse or fold escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _NOT_PRINTABLE.match(char) or char in "\x85\u2028\u2029\ufeff":
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
