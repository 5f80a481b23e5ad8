"""One spreadsheet row as a catalog entry: its cells read by their columns, its organ found by name, its body and
attachments found beside the spreadsheet, and the whole checked by the model's own reader (``fields.read``).

A row that updates an entry (``--update``) starts from what the entry's file says: the sheet's columns replace
their fields (a blank cell clears one), the fields the sheet has no column for stay as they were.
"""

from __future__ import annotations

import dataclasses
import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from search.hashing import file_digest

from ..errors import Location, Problem, display_path
from ..model.catalog import Catalog
from ..model.fields import Record, complete, read
from ..model.load import MARKDOWN_SUFFIXES
from ..model.source import (
    LocatedDict,
    LocatedList,
    load_front_matter_file,
    load_yaml_file,
)
from ..rules.identifiers import identifier_form
from ..util import is_file
from .csvfile import decode
from .exporter import (
    EXPORTED,
    ExportRecord,
    attachments_cell,
    cell_texts,
    cell_value,
    export_record,
    exported_attachment,
    files_folder,
)
from .headers import BODY, BODY_FILE, FIELD
from .kinds import Kind
from .layout import DataRow, Layout
from .places import Place, SheetProblem
from .sheet import Sheet, UncalculatedFormula
from .values import Unreadable, WithUnit, cell_text, header_unit, read_cell, visible
from .yamlfile import normalize_body

MARKER = "\x00import"  # the path of a row's record while it is checked: problems there belong to ``places[line]``


@dataclasses.dataclass
class Entry:
    """A row that passed the model's reader: its record (values as they will be written) and what goes with it."""

    place: Place
    kind: Kind
    record: Record
    body: str = ""  # items
    sources: dict[str, Path] = dataclasses.field(default_factory=dict)  # attachment name → file to copy
    existing: object | None = None  # the catalog entry it replaces (--update)
    comments: tuple[str, ...] = ()  # comment lines of the replaced item's front matter, kept

    @property
    def key(self) -> str:
        return self.record.values["index_no" if self.kind.is_items else "id"]


class OrganNames:
    """Organs by id and by name (spaces and full-width letters ignored); a name two organs share matches neither."""

    def __init__(self, catalog: Catalog) -> None:
        self.ids = sorted(catalog.organs)
        self.names = {organ.id: organ.name for organ in catalog.organs.values()}
        self._index: dict[str, str | None] = {}
        for organ in catalog.organs.values():
            name = _plain(organ.name)
            self._index[name] = organ.id if self._index.get(name, organ.id) == organ.id else None
        for organ_id in catalog.organs:
            self._index[_plain(organ_id)] = organ_id

    def find(self, text: str) -> str | None:
        return self._index.get(_plain(text))

    @property
    def known(self) -> str:
        """Every organ as staff know it, by name, with the id a cell may hold too."""
        return "、".join(f"{self.names[i]}（{i}）" for i in self.ids) or "（organs/ 中尚未定义任何机关）"


def _by_identifier(entries: Iterable[tuple[str, object]]) -> dict[str, object]:
    """Entries by their identifier as a cell reads it; of two that read alike (which validate reports as duplicates,
    E-INDEX-DUPLICATE), the one written as it reads: an update went to the other, 2026 found as ２０２６."""
    found: dict[str, object] = {}
    for identifier, entry in entries:
        read = identifier_form(identifier)
        if read not in found or identifier == read:
            found[read] = entry
    return found


def _plain(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


class RowReader:
    """Reads the rows of one catalog's import: knows its organs, its entries (for --update) and their files."""

    def __init__(self, catalog: Catalog, organ: str | None, update: bool) -> None:
        self.catalog = catalog
        self.organs = OrganNames(catalog)
        self.organ = organ
        self.update = update
        # By the identifier as a cell is read (NFKC, ``values._read_scalar``): a 索引号 with a Kangxi radical (⾦) or a
        # compatibility ideograph (豈), as text copied from a PDF has, was not found by its own export, and became a
        # second entry.
        self.existing = {
            "items": _by_identifier((i.index_no, i) for i in catalog.items if i.path.endswith(".md")),
            "powers": _by_identifier((p.id, p) for p in catalog.powers),
            "fees": _by_identifier((f.id, f) for f in catalog.fees),
        }
        self._files: dict[str, object] = {}
        self._invisible: set[tuple[str, int]] = set()  # the sheets whose identifiers' invisible characters were told
        self._exported: dict[Path, ExportRecord] = {}  # a folder of exported files → what its export recorded

    def read(self, sheet: Sheet, layout: Layout, row: DataRow, place: Place, row_id: int,
             kind: Kind, source: Path) -> tuple[Entry | None, list]:
        """The entry of ``row`` of the spreadsheet ``source`` (None when a problem stops it) and every problem found
        in it."""
        problems: list = []
        values: dict = {}
        body = body_file = None
        present: set[tuple[str, ...]] = set()
        units: dict[tuple[str, ...], tuple[str, str, str, str]] = {}  # unit's path → the cell's unit, text, header, key
        unreadable: set[str] = set()  # the keys of the fields whose cells E-IMPORT-VALUE names
        folder = source.parent
        existing = self._updated(kind, layout, row, sheet.epoch)
        sources: dict[str, Path] = {}
        for number, column in layout.columns:
            cell = row.cells[number - 1]
            if existing is not None and self._as_exported(kind, layout, column, cell, existing, source, sources,
                                                          place, problems):
                continue  # the field stays as the file says it (in words a cell may not hold)
            present.add(column.path or (column.role,))
            if column.unit is not None:  # the cell gives the number's unit, or none (20: the default unit)
                present.add(column.path[:-1] + (column.unit.key,))
            if column.role != FIELD and not isinstance(cell, UncalculatedFormula):  # which read_cell names
                text = None if cell is None or not cell_text(cell).strip() else cell_text(cell)
                body, body_file = (text, body_file) if column.role == BODY else (body, text)
                continue
            value = read_cell(column, cell, sheet.epoch)
            if value is None:
                continue
            if isinstance(value, Unreadable):
                problems.append(place.problem("E-IMPORT-VALUE", field=layout.header_of(number) or column.header,
                                              key=column.key, found=_short(value.found), expected=value.expected,
                                              expected_en=value.expected_en))
                unreadable.add(column.path[-1])
                continue
            if column.unit is not None and isinstance(value, int) \
                    and (unit := header_unit(layout.header_of(number), column.unit)):
                value = WithUnit(value, unit)  # 30 under 法定时限（天）: 30 日, not a number whose unit is unknown
            if isinstance(value, WithUnit):
                units[column.path[:-1] + (column.unit.key,)] = (value.unit, _short(cell_text(cell).strip()),
                                                                layout.header_of(number) or column.header, column.key)
                value = value.number
            _put(values, column.path, value)
        for path, (unit, written, header, key) in units.items():  # the unit column, when the sheet has one, must agree
            stated = _get(values, path)
            if stated is None:
                _put(values, path, unit)
            elif stated != unit:  # 20个工作日 beside a unit column saying 日: which one holds is not ours to guess
                unit_field = next((layout.header_of(n) or c.header for n, c in layout.columns if c.path == path),
                                  path[-1])
                problems.append(place.problem("E-IMPORT-UNIT-CONFLICT", field=header, key=key,
                                              found=written, unit_field=unit_field, stated=stated))
        failed = bool(problems)
        publisher = next((layout.header_of(n) or c.header for n, c in layout.columns if c.path == ("publisher",)), "")
        failed |= not self._place_organ(values, kind, place, problems, publisher)
        self._tell_invisible(sheet, layout, row, place, problems)
        comments: tuple[str, ...] = ()
        if existing is not None and self.update:
            base, base_body, comments = self._base(kind, existing)
            values = _merged(base, values, present)
            # The identifier as the catalog spells it: the cell's reading of it (NFKC) would change its address.
            values["index_no" if kind.is_items else "id"] = existing.index_no if kind.is_items else existing.id
            if (BODY,) not in present and (BODY_FILE,) not in present:
                body = base_body
        if kind.is_items:
            if body_file is not None:
                body = self._body_file(body_file, folder, place, problems)
            if "attachments" in values and ("attachments",) in present:
                index_no = values["index_no"] if isinstance(values.get("index_no"), str) else None
                item_folder = Path(existing.path).parent if existing is not None and self.update else None
                values["attachments"] = self._attachments(values["attachments"], source, index_no, item_folder, place,
                                                          sources, problems)
        record, record_problems = read(kind.schema, _located(values, row_id), Location(MARKER, row_id))
        # A required field whose cell could not be read is not missing as well: the cell's problem says what to do.
        problems += [p for p in record_problems if p.code != "E-REQUIRED" or dict(p.params)["key"] not in unreadable]
        if failed or problems and any(p.is_error for p in problems) or record is None \
                or not complete(kind.schema, record):
            return None, problems
        return Entry(place, kind, record, normalize_body(body or ""), sources,
                     existing if self.update else None, comments), problems

    def _tell_invisible(self, sheet: Sheet, layout: Layout, row: DataRow, place: Place, problems: list) -> None:
        """Says once for each sheet, at the first row read that has one, how many of its identifier cells hold
        characters that show nothing, which the reader drops (``values.visible``): an identifier never holds them,
        but staff should know the sheet does (its other text was copied from the same web page)."""
        numbers = [number for number, column in layout.columns if column.identifier]
        if (sheet.file, sheet.index) in self._invisible or not any(_invisible(row.cells[n - 1]) for n in numbers):
            return
        self._invisible.add((sheet.file, sheet.index))
        count = sum(_invisible(cells[n - 1]) for number, cells in enumerate(sheet.rows, start=1)
                    if number > layout.last_row and number not in sheet.hidden_rows for n in numbers if n <= len(cells))
        problems.append(place.problem("W-IMPORT-INVISIBLE", count=count))

    # ------------------------------------------------------------ an entry updated

    def _updated(self, kind: Kind, layout: Layout, row: DataRow, epoch) -> object | None:
        """With --update, the catalog's entry that the row's number (索引号, 编码) names, if there is one."""
        if not self.update:
            return None
        key_path = ("index_no" if kind.is_items else "id",)
        number = next((n for n, column in layout.columns if column.path == key_path), None)
        if number is None:
            return None
        key = read_cell(dict(layout.columns)[number], row.cells[number - 1], epoch)
        return self.find(kind, key) if isinstance(key, str) else None

    def find(self, kind: Kind, key: str) -> object | None:
        """The catalog's entry of ``kind`` whose identifier reads as ``key``."""
        return self.existing[kind.name].get(identifier_form(key))

    def _as_exported(self, kind: Kind, layout: Layout, column, cell, existing, source: Path,
                     sources: dict[str, Path], place: Place, problems: list) -> bool:
        """Whether ``cell`` still says what `gongkai export` wrote for the entry's file: then the field stays as the
        file says it. A cell cannot say everything a file can (an attachment's subfolder, a note of several lines,
        a keyword holding a space, an empty list, a time of 00:00), and reading an unchanged sheet back must not
        rewrite the file in other words. An attachment unchanged in its cell whose copy beside the workbook was
        replaced replaces the item's own file, in its subfolder (``_copy_wanted``).

        Always read: the number that finds the entry, the organ (an item's is otherwise found from its publisher
        cell), and a number and its unit column (20 beside 日: one cell's unit is the other's)."""
        if column.role != FIELD or isinstance(cell, UncalculatedFormula) or column.unit is not None \
                or column.path in (("index_no",), ("id",), ("organ",)) \
                or any(c.unit is not None and column.path == c.path[:-1] + (c.unit.key,) for _, c in layout.columns):
            return False
        written = "" if cell is None else cell_text(cell)
        if kind.is_items and column.key == "attachments":
            files = files_folder(source)
            folder = next((f for f in self._record(files).item_folders(existing.index_no)
                           if written in cell_texts(attachments_cell(existing, files.name, f))), None)
            if folder is None:
                return False
            for attachment in existing.attachments:
                inside = exported_attachment(existing, attachment, folder)
                if is_file(files / inside) and self._copy_wanted(files, inside.as_posix(), Path(attachment.path),
                                                                 place, problems):
                    sources[attachment.file] = files / inside
            return True
        return written in cell_texts(cell_value(column, existing.record.values))

    def _copy_wanted(self, files: Path, inside: str, target: Path, place: Place, problems: list) -> bool:
        """Whether the export's copy ``inside`` its folder of ``files`` is to replace the item's file ``target``.
        Not when it is as exported: the catalog's file may have changed since, and a sheet imported again must not
        undo that. When staff replaced it, unless the catalog's file changed since the export too: which of the two
        holds is not ours to guess (E-IMPORT-ATTACHMENT-CONFLICT). Without a record of the export (an older
        export, files put there by hand), a copy that differs is copied, as before."""
        exported = self._record(files).digests.get(inside)
        if exported is None or not is_file(target):
            return True
        now = file_digest(files / inside)
        if now == exported:
            return False
        if file_digest(target) not in (exported, now):
            problems.append(place.problem("E-IMPORT-ATTACHMENT-CONFLICT", found=inside, path=display_path(target)))
            return False
        return True

    def _record(self, files: Path) -> ExportRecord:
        if files not in self._exported:
            self._exported[files] = export_record(files)
        return self._exported[files]

    def _in_item_folder(self, path: Path, files: Path, index_no: str | None) -> tuple[str | None, str | None]:
        """The folder of the item ``index_no`` inside the export's folder of files ``files`` that holds ``path``, and
        ``path`` relative to it (``_below``); (None, None) when none does."""
        for folder in self._record(files).item_folders(index_no) if index_no is not None else ():
            inside = _below(path, files / folder)
            if inside is not None:
                return folder, inside
        return None, None

    # ------------------------------------------------------------ organs

    def _place_organ(self, values: dict, kind: Kind, place: Place, problems: list, publisher: str) -> bool:
        """Puts the organ's id in ``values``: --organ, else the organ column by id or name, else (items) the
        publisher (its column headed ``publisher``) when it names one organ. False when a name matches no organ, or
        names another organ than --organ: an exported sheet imported with --organ had every entry of every other
        organ moved to that one without a word. A name that matches none (示例市政府 for 示例市人民政府) is --organ's,
        as E-IMPORT-ORGAN advises; a publisher that is no organ (the government's 办公厅) is true as it is, and
        E-IMPORT-PUBLISHER-ORGAN asks for the organ, never for another publisher."""
        written = values.get("organ")
        if self.organ:
            if written is not None and self.organs.find(written) not in (None, self.organ):  # another known organ
                problems.append(place.problem("E-IMPORT-ORGAN-CONFLICT", found=_short(written), organ=self.organ))
                return False
            values["organ"] = self.organ
            return True
        from_publisher = written is None and kind.is_items and isinstance(values.get("publisher"), str)
        if from_publisher:
            written = values["publisher"]
        if written is None:
            return True  # the reader says it is missing
        found = self.organs.find(written)
        if found is None:
            if from_publisher:
                problems.append(place.problem("E-IMPORT-PUBLISHER-ORGAN", header=publisher, found=_short(written),
                                              known=self.organs.known))
                values["organ"] = written  # as a name in the organ column: the reader does not call it missing too
            else:
                problems.append(place.problem("E-IMPORT-ORGAN", found=_short(written), known=self.organs.known))
            return False
        values["organ"] = found
        return True

    # ------------------------------------------------------------ files named in cells

    def _body_file(self, name: str, folder: Path, place: Place, problems: list) -> str | None:
        path = _beside(name, folder)
        try:
            raw = path.read_bytes()
        except OSError:
            problems.append(place.problem("E-IMPORT-FILE-MISSING", what="正文文件", what_en="body file",
                                          found=name.strip(), folder=str(folder)))
            return None
        text = decode(raw)
        if text is None:
            problems.append(place.problem("E-IMPORT-VALUE", field="正文文件", key="body_file", found=name.strip(),
                                          expected="UTF-8 或 GB18030 编码的文本文件", expected_en="a UTF-8 or GB18030 text file"))
        return text

    def _attachments(self, records: list[dict], source: Path, index_no: str | None, item_folder: Path | None,
                     place: Place, sources: dict[str, Path], problems: list) -> list[dict]:
        """Attachments named by their path beside the spreadsheet ``source``: each is copied next to the item's file
        (in ``item_folder`` when it is updated), so the item names it by its file name. One in the folder of the item
        ``index_no`` of an export's files (found by the record the export left there, as the workbook may have been
        renamed since; else the folder the workbook's name gives) keeps the subfolder it has there, which is the
        item's own, and is copied only when staff replaced it (``_copy_wanted``). Names are taken as written: a
        symbolic link does not name the file."""
        folder = source.parent
        placed = []
        for record in records:
            name = record.get("file")
            if not isinstance(name, str):
                placed.append(record)  # no file: the reader says so
                continue
            path = _beside(name, folder)
            if not is_file(path):
                problems.append(place.problem("E-IMPORT-FILE-MISSING", what="附件", what_en="attachment",
                                              found=name, folder=str(folder)))
                continue
            files = _export_folder(path) or files_folder(source)
            exported, inside = self._in_item_folder(path, files, index_no)
            name = inside or path.name
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                problems.append(place.problem(
                    "E-IMPORT-VALUE", field="附件", key="attachments", found=_short(record["file"]),
                    expected="不是 Markdown（.md）文件的附件：items/ 中的 .md 文件都作为公开事项读取",
                    expected_en="an attachment that is not a Markdown file (every .md file under items/ is an item)"))
                continue
            if inside is None or item_folder is None \
                    or self._copy_wanted(files, f"{exported}/{inside}", item_folder / name, place, problems):
                sources[name] = path
            placed.append({**record, "file": name})
        return placed

    # ------------------------------------------------------------ what an updated entry's file says

    def _base(self, kind: Kind, existing) -> tuple[dict, str, tuple[str, ...]]:
        """The entry as its file writes it (values, body, and an item's leading comment lines)."""
        if kind.is_items:
            if existing.path not in self._files:
                _, data, body, _, _ = load_front_matter_file(existing.path)
                with open(existing.path, encoding="utf-8-sig") as file:
                    head = file.read().split("\n")[1:]
                comments = []
                for line in head:
                    if not line.startswith("#"):
                        break
                    comments.append(line)
                self._files[existing.path] = (data or {}, body, tuple(comments))
            data, body, comments = self._files[existing.path]
            return dict(data), body, comments
        where = existing.record.where
        if where.path not in self._files:
            self._files[where.path] = load_yaml_file(Path(where.path))[1]
        entries = self._files[where.path]
        if isinstance(entries, LocatedList):
            for entry, line in zip(entries, entries.item_lines):
                if line == where.line and isinstance(entry, dict):
                    return dict(entry), "", ()
        return {}, "", ()


def _put(values: dict, path: tuple[str, ...], value) -> None:
    if len(path) == 1:
        values[path[0]] = value
    else:
        values.setdefault(path[0], {})[path[1]] = value


def _get(values: dict, path: tuple[str, ...]):
    value = values.get(path[0])
    return value.get(path[1]) if len(path) > 1 and isinstance(value, dict) else value if len(path) == 1 else None


def _merged(base: dict, values: dict, present: set[tuple[str, ...]]) -> dict:
    """``base`` with the sheet's columns (``present``) replaced by the sheet's ``values``."""
    merged = {key: dict(value) if isinstance(value, dict) else value for key, value in base.items()}
    for path in present:
        if len(path) == 1:
            merged.pop(path[0], None)
        elif isinstance(merged.get(path[0]), dict):
            merged[path[0]].pop(path[1], None)
            if not merged[path[0]]:
                del merged[path[0]]
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def _located(value, line: int):
    """Plain values as the YAML reader gives them (mappings and lists that know their line), all at ``line``."""
    if isinstance(value, dict):
        data = LocatedDict((key, _located(item, line)) for key, item in value.items())
        data.line, data.key_lines = line, {}
        return data
    if isinstance(value, list):
        items = LocatedList(_located(item, line) for item in value)
        items.line, items.item_lines = line, [line] * len(items)
        return items
    return value


def _export_folder(path: Path) -> Path | None:
    """The folder of an export's files that ``path`` lies in: the nearest one holding the export's record."""
    return next((folder for folder in Path(os.path.abspath(path)).parents if is_file(folder / EXPORTED)), None)


def _below(path: Path, folder: Path) -> str | None:
    """``path`` relative to ``folder`` (with / between its parts) when it lies in it, as written (a symbolic link
    is not followed: its own name is the attachment's), and in no hidden folder; else None."""
    try:
        relative = Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
    except ValueError:
        return None
    return relative.as_posix() if not any(part.startswith(".") for part in relative.parts[:-1]) else None


def _beside(name: str, folder: Path) -> Path:
    """A file named in a cell: relative to the spreadsheet's folder, with Windows separators read as /."""
    path = Path(name.strip().replace("\\", "/"))
    return path if path.is_absolute() else folder / path


def _invisible(cell) -> bool:
    return isinstance(cell, str) and visible(cell) != cell


def _short(text: str) -> str:
    text = str(text).replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "…"


def placed(problem: Problem | SheetProblem, places: list[Place]) -> Problem | SheetProblem:
    """A problem the model's reader or the validator found in an imported row, at the row's place (a location
    in its parameters, such as the first of two duplicates, too)."""
    if isinstance(problem, SheetProblem) or problem.path != MARKER:
        return problem
    params = tuple((key, _place_text(value, places)) for key, value in problem.params)
    place = places[problem.line]
    return SheetProblem(place, Problem(place.file, place.row, problem.code, params))


# A row's location wherever a message holds it: alone, or inside a text (E-URL-COLLISION's "its title（\x00import:19）").
_ROW_LOCATION = re.compile(re.escape(MARKER) + r":(\d+)")


def _place_text(value, places: list[Place]):
    if isinstance(value, str) and MARKER in value:
        return _ROW_LOCATION.sub(lambda found: str(places[int(found.group(1))]), value)
    return value
