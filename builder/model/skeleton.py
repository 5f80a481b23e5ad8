"""New catalog entries as staff start them (`gongkai new`): the fields of a file kind with a Chinese comment each,
the values known so far filled in, the rest left as comments to fill in.

The comments come from the same field declarations that check the files (fields.py), so a skeleton always names
the fields the checker knows. What is written validates as it stands: an item without a publication date is a
draft, and nothing unfilled is published.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..errors import Location, Problem
from .catalog import FEE, ITEM, POWER, REQUEST, Catalog, Organ
from .fields import Field, Record, Schema, record_texts
from .participation import CONSULTATION, HOTLINE_CASE

# What a skeleton holds where staff have still to write (a title, a basis; an item's body).
PLACEHOLDER = "（待填写）"
BODY_PLACEHOLDER = "（正文）"


# What E-PLACEHOLDER advises: an entry with a publication date, and a consultation (public from its start).
DRAFT_ADVICE = "尚未写好的条目请删除公开日期（published），留作草稿"
OPEN_ADVICE = "意见征集自开始日期（start）起在网站上公开，请尽快填写"


def unfilled(schema: Schema, record: Record, advice: str = DRAFT_ADVICE) -> Iterator[Problem]:
    """E-PLACEHOLDER at each text of ``record`` that is still a skeleton's placeholder: for an entry that is
    published (a draft may hold them)."""
    for holder, field, text in record_texts(schema, record):
        if text == PLACEHOLDER:  # as the skeleton writes it: a sentence may say （待填写） of a form
            yield holder.at(field.key).problem("E-PLACEHOLDER", field=field.label, key=field.key,
                                               found=PLACEHOLDER, advice=advice)


def unfilled_body(body: str, where: Location) -> list[Problem]:
    """E-PLACEHOLDER when an item's body (from ``where``) is still the skeleton's, at the placeholder's line."""
    if body.strip() != BODY_PLACEHOLDER:
        return []
    line = where.line + body[:body.index(BODY_PLACEHOLDER)].count("\n")
    return [where.at(line).problem("E-PLACEHOLDER", field="正文", key="body", found=BODY_PLACEHOLDER,
                                   advice=DRAFT_ADVICE)]


def yaml_scalar(value) -> str:
    """``value`` as YAML writes it on one line: quoted where YAML would read it as something else."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_scalar(v) for v in value) + "]"
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def _comment(field: Field) -> str:
    need = "必填" if field.required else "选填"
    choices = f"；可选：{'、'.join(map(str, field.choices))}" if field.choices else ""
    description = f"：{field.description}" if field.description else ""
    return f"# {field.title}（{need}）{description}{choices}"


def skeleton_lines(schema: Schema, values: dict, indent: str = "") -> list[str]:
    """The fields of ``schema`` in their declared order: each with its comment, given values filled in, the
    others commented out for staff to fill in."""
    lines = []
    for field in schema.fields:
        lines.append(indent + _comment(field))
        if field.key in values:
            lines.append(f"{indent}{field.key}: {yaml_scalar(values[field.key])}")
        elif not isinstance(field.kind, Schema):
            lines.append(f"{indent}# {field.key}:")
    return lines


def item_file(schema: Schema, values: dict) -> str:
    """A new item: front matter and a body to write."""
    return "\n".join(["---", *skeleton_lines(schema, values), "---", "", BODY_PLACEHOLDER, ""])


def list_entry(schema: Schema, values: dict) -> str:
    """A new entry of a list file (requests, powers, fees), to be appended to it."""
    lines = skeleton_lines(schema, values, "  ")
    first = next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))
    lines[first] = "- " + lines[first][2:]
    return "\n".join(["", *lines, ""])


_TRAILING_NUMBER = re.compile(r"(\d+)(\D*)$")
# A year inside a number: four digits on their own, or followed by a two-digit month (202110 in 索引号 periods).
_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)(?:0[1-9]|1[0-2])?(?!\d)")


def next_number(existing: list[str], year: int, fallback: str) -> str:
    """The next free number after an organ's ``existing`` ones (索引号, request or power ids), following the
    office's own way of writing them: the highest of ``year`` with its last number raised by one (its width kept);
    else the latest year's with ``year`` put in and the last number restarted at 1; numbers without a year go on
    from the highest; with none, ``fallback``. Never one that exists."""
    numbered = [n for n in existing if _TRAILING_NUMBER.search(n)]
    dated = [(found, n) for n in numbered if (found := _year_in(n)) is not None]
    if dated:
        this_year = [n for found, n in dated if found[0] == year]
        if this_year:
            candidate = _bump(max(this_year, key=_serial), 1)
        else:
            (_, span), latest = max(dated, key=lambda d: (d[0][0], _serial(d[1])))
            candidate = _bump(f"{latest[:span[0]]}{year}{latest[span[1]:]}", 0, restart=True)
    elif numbered:
        candidate = _bump(max(numbered, key=_serial), 1)
    else:
        candidate = fallback
    taken = set(existing)
    while candidate in taken:
        candidate = _bump(candidate, 1)
    return candidate


def _serial(number: str) -> int:
    return int(_TRAILING_NUMBER.search(number).group(1))


def _year_in(number: str) -> tuple[int, tuple[int, int]] | None:
    """(year, span of its four digits) of the last year written before the serial, if any."""
    serial_start = _TRAILING_NUMBER.search(number).start(1)
    found = [m for m in _YEAR.finditer(number, 0, serial_start)]
    return (int(found[-1].group(1)), found[-1].span(1)) if found else None


def _bump(text: str, by: int, restart: bool = False) -> str:
    match = _TRAILING_NUMBER.search(text)
    digits = match.group(1)
    value = 1 if restart else int(digits) + by
    return f"{text[:match.start(1)]}{value:0{len(digits)}d}{match.group(2)}"


@dataclasses.dataclass(frozen=True)
class NewEntry:
    kind: str
    number: str   # its 索引号 or id
    path: Path
    text: str
    append: bool  # added to a list file (requests, powers, fees) rather than written as a file of its own


def _free_path(folder: Path, name: str, suffix: str) -> Path:
    """``folder/name`` with ``suffix``, or with -2, -3… added where that file exists: a file renumbered by hand keeps
    its name, which may be the next number's."""
    for count in itertools.count(1):
        path = folder / f"{name}{f'-{count}' if count > 1 else ''}{suffix}"
        if not path.exists():
            return path
    raise AssertionError("unreachable")


class NotAppendable(ValueError):
    """A list file an entry cannot be added to at its end (its entries written as one flow list)."""


def appended(before: str, entry: str) -> str:
    """The list file ``before`` with ``entry``, one list item, added at its end. A file with no entries may say so
    (``[]``, ``~``), which an entry cannot follow: its data lines go and its comments stay."""
    entries = yaml.safe_load(before) if before.strip() else None  # valid: `gongkai new` refuses a catalog with errors
    if not entries:
        before = "".join(line for line in before.splitlines(keepends=True)
                         if not line.strip() or line.lstrip().startswith("#"))
    text = before.rstrip("\n") + ("\n" if before.strip() else "") + entry
    try:
        if len(yaml.safe_load(text) or ()) == len(entries or ()) + 1:
            return text
    except yaml.YAMLError:
        pass
    raise NotAppendable(before)


NEW_KINDS = ("item", "request", "power", "fee", "consultation", "hotline")


def new_entry(catalog: Catalog, kind: str, organ: Organ, today: dt.date, given: dict) -> NewEntry:
    """A new entry of ``kind`` for ``organ``, numbered after the organ's existing ones, dated ``today`` where a
    date is known, with the ``given`` values (title, doc_no, category, channel, applicant_type, type)."""
    root, year = catalog.root, today.year
    title = given.get("title") or PLACEHOLDER
    if kind == "item":
        mine = [i for i in catalog.items if i.organ == organ.id]
        number = next_number([i.index_no for i in catalog.items if i.organ == organ.id], year,
                             f"{organ.credit_code or organ.id}/{year}-00001")
        categories = collections.Counter(i.category for i in mine)
        values = {"index_no": number, "title": title, "organ": organ.id,
                  **({"doc_no": given["doc_no"]} if given.get("doc_no") else {}), "written": today,
                  "category": given.get("category") or (categories.most_common(1)[0][0] if categories else "20-1")}
        name = re.sub(r"[^0-9A-Za-z.-]+", "-", number).strip("-")
        path = _free_path(root / "items" / organ.id / str(year), name, ".md")
        return NewEntry(kind, number, path, item_file(ITEM, values), append=False)
    if kind == "request":
        number = next_number([r.id for r in catalog.requests], year, f"{year}-001")
        values = {"id": number, "organ": organ.id, "received": today, "channel": given["channel"],
                  "applicant_type": given["applicant_type"], **({"subject": given["title"]} if given.get("title") else {})}
        return NewEntry(kind, number, root / "requests" / f"{year}.yaml", list_entry(REQUEST, values), append=True)
    if kind == "consultation":
        number = next_number([c.id for c in catalog.consultations], year, f"{organ.id}-{year}-01")
        ways = {key: given[key] for key in ("email", "online") if given.get(key)} or (
            {"post": organ.address} if organ.address else {})
        values = {"title": title, "organ": organ.id, "kind": given["type"], "start": given["start"],
                  "end": given["end"], **ways}
        return NewEntry(kind, number, root / "consultations" / f"{number}.yaml",
                        "\n".join(skeleton_lines(CONSULTATION, values)) + "\n", append=False)
    if kind == "hotline":
        day = f"{today:%Y%m%d}-"  # 12345 work orders are numbered by the day they are received
        number = next_number([c.id for c in catalog.hotline if c.id.startswith(day)], year, f"{day}0001")
        values = {"id": number, "received": today, "type": given["type"], "question": title,
                  "unit": given.get("unit") or organ.name}
        return NewEntry(kind, number, root / "hotline" / f"{year}.yaml", list_entry(HOTLINE_CASE, values), append=True)
    mine = [e for e in (catalog.powers if kind == "power" else catalog.fees) if e.organ == organ.id]
    # A power numbered after the organ's entries of its type (JL-JC-0002 after JL-JC-0001, not after JL-XK-0003): the
    # id is its page's address, and renumbering it later moves the page.
    same_type = [e for e in mine if kind == "power" and e.type == given.get("type")]
    number = next_number([e.id for e in same_type or mine], year, f"{organ.id.upper()}-0001")
    values = {"id": number, "name": title, **({"type": given["type"]} if kind == "power" else {}),
              "organ": organ.id, "basis": [given.get("doc_no") or PLACEHOLDER], "decided": today}
    schema = POWER if kind == "power" else FEE
    return NewEntry(kind, number, root / f"{kind}s" / f"{organ.id}.yaml", list_entry(schema, values), append=True)
