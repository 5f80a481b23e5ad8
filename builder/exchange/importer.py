"""`gongkai import`: spreadsheets into catalog files, all or nothing.

Every file, sheet and row is read and checked first: each cell against its field, each row by the model's reader,
then the catalog with the imported entries by the validator, exactly as `gongkai validate` would check it after
the import. Only when no error is found anywhere are files written: new items as items/<机关>/<年份>/<索引号>.md,
new power-list and fee entries appended to powers/<机关>.yaml and fees/<机关>.yaml, and, with ``update``, the
entries already in the catalog rewritten where they are. An existing file is never replaced without ``update``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import filecmp
import functools
import os
import re
import secrets
import shutil
from pathlib import Path

from ..check.validate import validate
from ..errors import GongkaiError, Location, display_path, os_reason
from ..model.catalog import Attachment, Catalog
from ..model.fields import Record, make, read
from ..model.source import (
    LocatedList,
    load_front_matter_file,
    load_yaml_file,
    parse_yaml,
)
from ..rules.workdays import WorkCalendar
from ..site.urls import MAX_NAME_BYTES, slug, url_problems
from ..util import is_file, resolved
from .csvfile import read_csv
from .entries import MARKER, Entry, OrganNames, RowReader, placed
from .headers import FIELD, columns
from .kinds import KINDS, Kind
from .layout import DataRow, NoHeader, SkippedRow, data_rows, find_layout
from .places import Place, SheetProblem, file_problem
from .workbook import read_workbook
from .yamlfile import (
    date_text,
    item_file,
    list_entry,
    list_file,
    normalize_body,
    updated_item_file,
)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")
CSV_SUFFIXES = (".csv", ".txt")
# Excel and WPS keep a small owner file named ~$ and (most of) the workbook's name beside a workbook while it is open.
LOCK_PREFIX = "~$"

CREATE, UPDATE, APPEND, COPY = "新建", "更新", "追加", "复制"
_PLAIN_NAME = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]*")


@dataclasses.dataclass(frozen=True)
class ImportOptions:
    today: dt.date
    kind: str | None = None  # of every sheet; None: each sheet's headers say
    organ: str | None = None  # of every row: an organ's id or name
    update: bool = False  # replace entries already in the catalog


@dataclasses.dataclass(frozen=True)
class PlannedFile:
    path: Path
    action: str  # CREATE, UPDATE, APPEND or COPY
    text: str | None = None  # what the file will hold (catalog files)
    source: Path | None = None  # the file copied (attachments)


@dataclasses.dataclass
class ImportPlan:
    problems: list  # Problem (whole files, existing catalog files) and SheetProblem (rows), in reading order
    files: list[PlannedFile]
    counts: dict[str, int]  # entries read, by kind
    notes: list[str]  # sheets not imported and why

    @property
    def errors(self) -> list:
        return [p for p in self.problems if p.is_error]


class OrganNotFound(GongkaiError):
    def __init__(self, organ: str, known: str):
        super().__init__(f"--organ “{organ}”与 organs/ 中的机关名称和编号都不一致：可选 {known} "
                         f"(--organ matches no organ)")


def plan_import(paths: list[Path], catalog: Catalog, calendar: WorkCalendar, options: ImportOptions) -> ImportPlan:
    """What importing ``paths`` into ``catalog`` finds and would write. Writes nothing."""
    organ = None
    if options.organ:
        organ = OrganNames(catalog).find(options.organ)
        if organ is None:
            raise OrganNotFound(options.organ, OrganNames(catalog).known)
    reader = RowReader(catalog, organ, options.update)
    run = _Run(catalog, reader, options)
    for number, path in enumerate(paths):
        run.read_file(number, Path(path))
    return run.plan(calendar)


class _Run:
    """One import: the rows read so far, their places and problems."""

    def __init__(self, catalog: Catalog, reader: RowReader, options: ImportOptions) -> None:
        self.catalog = catalog
        self.reader = reader
        self.options = options
        self.places: list[Place] = []
        self.problems: list = []
        self.entries: list[Entry] = []
        self.attachment_rows: set[int] = set()  # rows whose attachments are still to be copied
        self.counts: collections.Counter = collections.Counter()
        self.notes: list[str] = []

    # ------------------------------------------------------------ reading

    def read_file(self, number: int, path: Path) -> None:
        shown = display_path(path)
        suffix = path.suffix.lower()
        if path.name.startswith(LOCK_PREFIX):  # picked up with the workbook by `import *.xlsx` while it is open
            self.problems.append(file_problem(shown, "W-IMPORT-LOCK-FILE"))
            return
        if suffix in WORKBOOK_SUFFIXES:
            sheets, hidden, problems = read_workbook(path, shown)
            self.notes += [f"{shown}：跳过隐藏的工作表“{name}”" for name in hidden]
        elif suffix in CSV_SUFFIXES:
            sheets, problems = read_csv(path, shown)
        else:
            sheets, problems = [], [file_problem(shown, "E-IMPORT-UNREADABLE", detail="只能导入 .xlsx 和 .csv 文件",
                                                 detail_en="only .xlsx and .csv files are imported")]
        self.problems += problems
        layouts = [(sheet, find_layout(sheet, self.options.kind)) for sheet in sheets if sheet.rows]
        self.notes += [f"{shown}：跳过空白工作表“{sheet.name}”" for sheet in sheets if not sheet.rows and sheet.name]
        any_header = any(not isinstance(layout, NoHeader) for _, layout in layouts)
        for sheet, layout in layouts:
            where = Place((number, sheet.index, 1), shown, sheet.name, 1)
            if isinstance(layout, NoHeader):
                if layout.kinds or not any_header:
                    labels = "、".join(KINDS[k].label for k in layout.kinds)
                    self.problems.append(where.problem(
                        "E-IMPORT-NO-HEADER", detail=f"（列名既像{labels}）" if layout.kinds else "",
                        detail_en=f" (the headers fit {', '.join(layout.kinds)})" if layout.kinds else ""))
                else:
                    self.notes.append(f"{shown}：跳过工作表“{sheet.name}”：没有可识别的表头")
                continue
            self._read_sheet(number, path, sheet, layout)

    def _read_sheet(self, number: int, path: Path, sheet, layout) -> None:
        kind = KINDS[layout.kind]

        def place(row: int) -> Place:
            return Place((number, sheet.index, row), sheet.file, sheet.name, row)

        header = place(layout.first_row)
        for unplaced in layout.unplaced:
            reason = unplaced.reason or ("这一列有内容但没有列名" if not unplaced.header else
                                         "无法对应到任何字段，请改用 docs/import.md 中的列名")
            self.problems.append(header.problem("W-IMPORT-COLUMN", column=unplaced.column,
                                                header=unplaced.header or "（无列名）", reason=reason))
        by_number = dict(layout.columns)
        for column, other in layout.twice:
            self.problems.append(header.problem(
                "E-IMPORT-COLUMN-TWICE", column=column, header=layout.header_of(column), other=other,
                other_header=layout.header_of(other), title=by_number[other].header, key=by_number[other].key))
        missing = self._missing_columns(kind, {c.key for _, c in layout.columns})
        if self.options.update:
            # An entry updated keeps what the sheet has no column for (docs/import.md); a new one lacking a required
            # field is E-REQUIRED at its row. Only the number that finds the entry must be there.
            missing = [c for c in missing if c.key == ("index_no" if kind.is_items else "id")]
        for column in missing:
            hint = "，或用 --organ 为所有行指定机关" if column.key == "organ" else ""
            self.problems.append(header.problem("E-IMPORT-MISSING-COLUMN", header=column.header, key=column.key,
                                                hint=hint))
        if missing:
            return  # every row would lack the same field
        for row in data_rows(sheet, layout):
            if isinstance(row, SkippedRow):
                if not row.repeated_header:
                    self.problems.append(place(row.number).problem(row.code, text=row.text[:40]))
                continue
            if row.number in sheet.hidden_rows:  # as hidden sheets: where offices keep entries stopped or replaced
                self.problems.append(place(row.number).problem("W-IMPORT-ROW-HIDDEN"))
                continue
            self._read_row(kind, path, sheet, layout, row, place(row.number))

    def _missing_columns(self, kind: Kind, keys: set[str]):
        """Required fields no column holds (the organ may come from --organ, an item's from its publisher)."""
        found = []
        for column in columns(kind.name):
            if column.role != FIELD or column.parent is not None or not column.field.required or column.key in keys:
                continue
            if column.key == "organ" and (self.reader.organ or (kind.is_items and "publisher" in keys)):
                continue
            found.append(column)
        return found

    def _read_row(self, kind: Kind, path: Path, sheet, layout, row: DataRow, place: Place) -> None:
        row_id = len(self.places)
        self.places.append(place)
        self.counts[kind.name] += 1
        entry, problems = self.reader.read(sheet, layout, row, place, row_id, kind, path)
        self.problems += [placed(p, self.places) for p in problems]
        if entry is None:
            return
        existing = self.reader.find(kind, entry.key)
        if existing is not None and not self.options.update:
            where = existing.path if kind.is_items else existing.record.where.path
            self.problems.append(place.problem("E-IMPORT-EXISTS", what=kind.schema.title, what_en=kind.schema.name,
                                               found=entry.key, path=display_path(where)))
            return
        if entry.sources:
            self.attachment_rows.add(row_id)
        self.entries.append(entry)

    # ------------------------------------------------------------ planning and checking

    def plan(self, calendar: WorkCalendar) -> ImportPlan:
        files: list[PlannedFile] = []
        objects = {name: [] for name in KINDS}
        targets = _Targets(self.catalog.root)
        for entry in self.entries:
            made = self._make(entry, targets, files)
            if made is not None:
                objects[entry.kind.name].append((entry, made))
        self.problems += self._validate(calendar, objects)
        files += self._list_files(objects)
        files = [f for f in files if not _unchanged(f)]
        problems = sorted((p for p in self.problems if isinstance(p, SheetProblem)), key=lambda p: p.place.order)
        return ImportPlan([*(p for p in self.problems if not isinstance(p, SheetProblem)), *problems],
                          files, dict(self.counts), self.notes)

    def _make(self, entry: Entry, targets: _Targets, files: list[PlannedFile]):
        """The entry's object as the catalog would load it from the file planned for it (items: that file and
        the copies of its attachments)."""
        if not entry.kind.is_items:
            return make(entry.kind.schema, entry.record)
        record = entry.record
        if entry.existing is not None:
            path = Path(entry.existing.path)
        else:
            path = targets.item_path(record.values)
            if path is None:  # both names taken by other items' files
                self.problems.append(entry.place.problem("E-IMPORT-EXISTS", what="文件", what_en="file",
                                                         found=targets.last_tried.name,
                                                         path=display_path(targets.last_tried.parent)))
                return None
        folder = path.parent
        # An update may replace the item's own attachments; another item's file in its folder is never written over,
        # nor one the item shares with another (two rows' attachments of the same bytes were copied once).
        own = {Path(a.path) for a in entry.existing.attachments if self._attached[a.path] == 1} \
            if entry.existing is not None else set()
        renamed: dict[str, str] = {}
        for name, source in entry.sources.items():
            placed = targets.place_copy(folder, path.stem, name, source, own, entry.place)
            if placed is None:
                self.problems.append(entry.place.problem("E-IMPORT-ATTACHMENT-TAKEN", found=name,
                                                         folder=display_path(folder),
                                                         subfolder=display_path(folder / path.stem)))
                return None
            if placed.file != name:
                renamed[name] = placed.file
                if resolved(folder / placed.file) not in own:  # said when it is put there, not at every update
                    self.problems.append(entry.place.problem(
                        "W-IMPORT-ATTACHMENT-FOLDER", found=name, other=placed.clash[0], other_en=placed.clash[1],
                        folder=display_path(folder), file=placed.file))
            if placed.copied:
                files.append(PlannedFile(folder / placed.file, COPY, source=source))
        for attachment in record.get("attachments", ()):  # the item's file names each as it was placed
            attachment.values["file"] = renamed.get(attachment.values["file"], attachment.values["file"])
        attachments = tuple(Attachment(file=r.values["file"], title=r.get("title") or Path(r.values["file"]).name,
                                       path=str(resolved(folder / r.values["file"])), record=r)
                            for r in record.get("attachments", ()))
        item = make(entry.kind.schema, record, attachments=attachments, path=str(path), body_line=0, digest="")
        if entry.existing is not None and _same(entry) and normalize_body(entry.existing.body) == entry.body:
            return item  # the file says it already, perhaps in other words: it is not rewritten
        if entry.existing is not None:
            text = _updated_in_place(path, entry) or item_file(record.values, entry.kind.schema, entry.body,
                                                               entry.comments)
            files.append(PlannedFile(path, UPDATE, text))
        else:
            comments = (f"# 由 gongkai import 导入：{entry.place}",)
            files.append(PlannedFile(path, CREATE, item_file(record.values, entry.kind.schema, entry.body, comments)))
        return item

    @functools.cached_property
    def _attached(self) -> collections.Counter:
        """How many of the catalog's items name each attachment file."""
        return collections.Counter(path for item in self.catalog.items for path in {a.path for a in item.attachments})

    def _validate(self, calendar: WorkCalendar, objects: dict[str, list]) -> list:
        """What the validator says of the catalog with the imported entries that it did not say without them."""
        catalog = self.catalog
        replaced = {name: {id(e.existing) for e, _ in pairs if e.existing is not None} for name, pairs in objects.items()}
        combined = dataclasses.replace(
            catalog, _grouped={},
            items=[i for i in catalog.items if id(i) not in replaced["items"]] + [o for _, o in objects["items"]],
            powers=[p for p in catalog.powers if id(p) not in replaced["powers"]] + [o for _, o in objects["powers"]],
            fees=[f for f in catalog.fees if id(f) not in replaced["fees"]] + [o for _, o in objects["fees"]])
        before = set(validate(catalog, calendar, self.options.today)) | set(url_problems(catalog))
        after = validate(combined, calendar, self.options.today) + url_problems(combined)
        found = []
        for problem in dict.fromkeys(after):
            if problem in before:
                continue
            if problem.path == MARKER and problem.code == "E-ATTACHMENT-MISSING" and problem.line in self.attachment_rows:
                continue  # its copy is planned (the file beside the spreadsheet was found)
            found.append(placed(problem, self.places))
        return found

    def _list_files(self, objects: dict[str, list]) -> list[PlannedFile]:
        """Power-list and fee entries: new ones appended to <folder>/<organ>.yaml, updated ones rewritten where
        their file has them."""
        files = []
        for name in ("powers", "fees"):
            kind = KINDS[name]
            new: dict[Path, list[Entry]] = collections.defaultdict(list)
            updated: dict[Path, list[Entry]] = collections.defaultdict(list)
            for entry, _ in objects[name]:
                if entry.existing is not None and _same(entry):
                    continue
                if entry.existing is not None:
                    updated[Path(entry.existing.record.where.path)].append(entry)
                else:
                    new[self.catalog.root / kind.folder / f"{entry.record.values['organ']}.yaml"].append(entry)
            for path in sorted({*new, *updated}):
                files.append(_list_file(kind, path, new.get(path, []), updated.get(path, [])))
        return files


class _Targets:
    """The files an import will write, so that two rows never plan the same one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.claimed: set[Path] = set()
        self.copies: dict[Path, tuple[Path, Place]] = {}  # each attachment's copy: its source and row
        self.last_tried = root

    def item_path(self, values: dict) -> Path | None:
        """items/<organ>/<year written>/<the 索引号's last part>.md (2014-00026.md for …/2014-00026; the whole
        索引号 when that name is taken or the part is not a plain name)."""
        folder = self.root / "items" / values["organ"] / str(values["written"].year)
        index_no = values["index_no"]
        tail = index_no.rpartition("/")[2]
        names = [f"{tail}.md"] if tail != index_no and _PLAIN_NAME.fullmatch(tail) else []
        whole = slug(index_no)
        names.append(f"{whole}.md")
        for name in names:
            path = folder / name
            self.last_tried = path
            # A name longer than the system allows cannot be looked for (ENAMETOOLONG), nor be there. The item's
            # address is made of the same slug: the validator's E-URL-TOO-LONG at the row stops the import.
            too_long = name == f"{whole}.md" and len(whole.encode()) > MAX_NAME_BYTES
            if path not in self.claimed and (too_long or not path.exists()):
                self.claimed.add(path)
                return path
        return None

    def place_copy(self, folder: Path, stem: str, name: str, source: Path, own: set[Path],
                   place: Place) -> _PlacedCopy | None:
        """Where ``source``, the attachment ``name`` of the item ``folder/stem.md`` (of the row at ``place``), goes:
        beside the item, unless a file of that name with other bytes is there or is copied there by another row.
        The items of an organ and year share their folder, and two documents each with its 附件1.pdf are common:
        another item's file is never written over, and the attachment goes to the item's own subfolder ``stem/``,
        which the site does not show: it publishes each attachment beside its item's page, by the file's own name.
        None when that name is taken too. The item's own attachment (``own``) an update replaces; a file of the same
        bytes is shared, not copied again."""
        clash = None
        for file in (name, f"{stem}/{name}"):
            target = folder / file
            other = self._other(target, source, own)
            if other is None:
                copied = target not in self.copies and not (is_file(target) and _same_bytes(source, target))
                self.copies.setdefault(target, (source, place))
                return _PlacedCopy(file, clash or ("", ""), copied)
            clash = clash or other
        return None

    def _other(self, target: Path, source: Path, own: set[Path]) -> tuple[str, str] | None:
        """What holds ``target`` that is not ``source`` nor the item's own (in Chinese and English), or None."""
        planned = self.copies.get(target)
        if planned is not None:
            if _same_bytes(planned[0], source):
                return None
            return f"本次导入中 {planned[1]} 的附件", f"the attachment of {planned[1]}"
        if not os.path.lexists(target) or resolved(target) in own or is_file(target) and _same_bytes(source, target):
            return None
        return "该文件夹中已有的文件", "the file there"


@dataclasses.dataclass(frozen=True)
class _PlacedCopy:
    file: str  # the attachment's name as its item's file gives it, relative to the item's folder
    clash: tuple[str, str]  # what holds ``file``'s name in the folder itself, when ``file`` is in the subfolder
    copied: bool  # False when the file is there already, or another row copies the same bytes there


def _same_bytes(first: Path, second: Path) -> bool:
    return filecmp.cmp(first, second, shallow=False)


def _list_file(kind: Kind, path: Path, new: list[Entry], updated: list[Entry]) -> PlannedFile:
    schema = kind.schema
    if not path.exists():
        comments = (f"# 由 gongkai import 从 {new[0].place.file} 导入。",)
        return PlannedFile(path, CREATE, list_file([e.record.values for e in new], schema, comments))
    text = path.read_text(encoding="utf-8-sig")
    shown = display_path(path)
    if updated:
        text = _spliced(text, shown, {e.existing.record.where.line: list_entry(e.record.values, schema)
                                      for e in updated})
    if new:
        text = text.rstrip("\n") + "\n\n" + "\n".join(list_entry(e.record.values, schema) for e in new)
    data, problems = parse_yaml(text, shown)
    count = len(data) if isinstance(data, LocatedList) else -1
    original = load_yaml_file(path)[1]
    if problems or count != (len(original) if isinstance(original, list) else 0) + len(new):
        raise GongkaiError(f"{shown}：无法在此文件中{'更新' if updated else '追加'}条目（文件不是逐条以“- ”开头的列表）："
                           f"请手工修改，或把它改写为逐条列出的格式后重新导入 (cannot edit this list file)")
    return PlannedFile(path, UPDATE if updated else APPEND, text)


def _spliced(text: str, shown: str, replacements: dict[int, str]) -> str:
    """``text`` with the entries starting at the lines of ``replacements`` replaced; comments and blank lines
    between entries, and every other entry, stay as they were."""
    data = parse_yaml(text, shown)[0]
    starts = sorted(set(data.item_lines)) if isinstance(data, LocatedList) else []
    if not isinstance(data, LocatedList) or len(starts) != len(data.item_lines) \
            or not set(replacements) <= set(starts):
        raise GongkaiError(f"{shown}：条目没有逐行列出，无法更新：请手工修改 (entries are not one per block)")
    lines = text.split("\n")
    out, line = [], 1
    for index, start in enumerate(starts):
        end = (starts[index + 1] if index + 1 < len(starts) else len(lines) + 1) - 1
        if start not in replacements:
            continue
        while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        out += lines[line - 1:start - 1]
        out += replacements[start].rstrip("\n").split("\n")
        line = end + 1
    out += lines[line - 1:]
    return "\n".join(out)


def _updated_in_place(path: Path, entry: Entry) -> str | None:
    """The updated item's file with only its changed keys and body rewritten, its comments kept; None unless it
    reads back exactly as ``entry`` says (then the whole file is written afresh, its leading comments kept)."""
    raw = path.read_bytes()
    shown, data, _, _, problems = load_front_matter_file(path, raw)
    if problems or not isinstance(data, dict):
        return None
    text = updated_item_file(raw.decode("utf-8-sig"), data, entry.existing.record.values, entry.record.values,
                             entry.kind.schema, entry.body)
    if text is None:
        return None
    _, again, body, _, problems = load_front_matter_file(path, text.encode("utf-8"))
    record, read_problems = read(entry.kind.schema, again, Location(shown, 1)) if not problems else (None, [])
    if record is None or read_problems or _plain(record.values) != _plain(entry.record.values) \
            or normalize_body(body) != entry.body:
        return None
    return text


def _same(entry: Entry) -> bool:
    """Whether an updated entry says what its file says already."""
    return _plain(entry.record.values) == _plain(entry.existing.record.values)


def _plain(value):
    """Values as compared: records as mappings, lists as lists, dates with their time of day."""
    if isinstance(value, Record):
        value = value.values
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date):
        return date_text(value)
    return value


def _unchanged(planned: PlannedFile) -> bool:
    """An updated file that would get the bytes it has (a row imported again as it was) is not written."""
    if planned.action != UPDATE or not planned.path.exists():
        return False
    return planned.path.read_bytes() == planned.text.encode("utf-8")


def write_plan(plan: ImportPlan) -> None:
    """Writes the planned files, all or none. Only a plan without errors.

    Every file is written first to a temporary file beside it (with the folders it needs), and only when all are
    written are they renamed into place: a rename needs no space, so a full disk, a size limit or a folder that
    cannot be written stops the import before anything in the catalog changed (written one after another, the
    first rows' files stayed, and importing the sheet again was refused for them). A rename may fail too (a file
    made read-only or immutable, one another program holds open on a network drive): each file replaced is kept
    aside until all are in place, and on a failure every file placed is taken away and every original put back.
    The temporary files and the folders made for them are then removed, and ImportNotWritten names the file. When
    a file cannot be taken away or put back either, the others still are, and ImportNotUndone names each left
    as it is and where its original is, for staff to put back by hand: no original is ever left aside unsaid."""
    if plan.errors:
        raise GongkaiError("导入有错误，未写入任何文件 (the import has errors; nothing was written)")
    made: list[Path] = []  # folders made for the files, outermost first
    staged: list[tuple[Path, PlannedFile]] = []  # each temporary file and the file it becomes
    placed: list[tuple[Path, Path | None]] = []  # each file renamed into place and where its original was kept
    try:
        for planned in plan.files:
            try:
                _make_folders(planned.path.parent, made)
                staged.append((_staged(planned), planned))
            except OSError as error:
                raise ImportNotWritten(planned, error) from error
        for temporary, planned in staged:
            try:
                _place(temporary, planned.path, placed)
            except OSError as error:
                raise ImportNotWritten(planned, error) from error
    except BaseException as error:
        not_undone = _put_back(placed)
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):  # one that holds a file that could not be put back stays
                folder.rmdir()
        if not_undone:
            raise ImportNotUndone(error, not_undone) from error
        raise
    for _, original in placed:
        if original is not None:
            with contextlib.suppress(OSError):  # the import is done: an original left aside is a hidden file, no harm
                original.unlink()


def _place(temporary: Path, path: Path, placed: list[tuple[Path, Path | None]]) -> None:
    """Renames ``temporary`` to ``path``, the file there first renamed aside (a folder that has appeared there is
    not a file to replace: the rename fails). ``path`` and where its original is are added to ``placed`` as soon
    as the original is aside, so that ``_put_back`` puts it back even when ``temporary`` then fails to take its
    place."""
    original = None
    if os.path.lexists(path) and not os.path.isdir(path):
        original = _beside(path)
        os.rename(path, original)
        placed.append((path, original))
    os.replace(temporary, path)
    if original is None:
        placed.append((path, None))


def _beside(path: Path) -> Path:
    """A new name beside ``path`` for a file the import writes or keeps aside (hidden; the build reads no such
    file)."""
    return path.with_name(f".gongkai-import-{secrets.token_hex(8)}")


def _put_back(placed: list[tuple[Path, Path | None]]) -> list[tuple[Path, Path | None, OSError]]:
    """Undoes ``_place``: each file placed removed, or its original put back, the last first. One that fails does
    not stop the others (the more files are as they were, the fewer staff put back by hand); each that failed is
    returned, with where its original is and why."""
    failed = []
    for path, original in reversed(placed):
        try:
            if original is None:
                path.unlink(missing_ok=True)  # a file already gone is as it was before the import
            else:
                os.replace(original, path)
        except OSError as error:
            failed.append((path, original, error))
    return failed


class ImportNotWritten(GongkaiError):
    """A planned file could not be written (or its attachment read): the import was undone."""

    def __init__(self, planned: PlannedFile, error: OSError) -> None:
        reading = planned.source is not None and error.filename == str(planned.source)
        self.shown = display_path(planned.source if reading else planned.path)
        self.doing = "读取" if reading else "写入"
        self.reason = os_reason(error, writing=not reading)
        self.problem = file_problem(self.shown, "E-IMPORT-WRITE", doing=self.doing,
                                    doing_en="read" if reading else "write", reason=self.reason,
                                    reason_en=error.strerror or type(error).__name__)
        super().__init__(self.problem.format())


class ImportNotUndone(GongkaiError):
    """The import failed, and some of its files could not be taken away or their originals put back: the catalog
    is not as it was. Names each such file, where its original is, and what to do."""

    def __init__(self, cause: BaseException, failed: list[tuple[Path, Path | None, OSError]]) -> None:
        why = (f"无法{cause.doing} {cause.shown}（{cause.reason}）" if isinstance(cause, ImportNotWritten)
               else f"导入中途停止（{type(cause).__name__}）")
        super().__init__(f"导入失败：{why}。撤回时以下文件没能恢复原样，目录与导入前不同：请按每行所说手工恢复，"
                         f"再重新导入 (the import failed and these files could not be put back: restore them by hand)：\n"
                         + "\n".join(_by_hand(path, original, error) for path, original, error in failed))


def _by_hand(path: Path, original: Path | None, error: OSError) -> str:
    """What staff do to put back ``path``, which the undo could not (``error``), its original kept at ``original``."""
    shown, reason = display_path(path), os_reason(error, writing=True)
    if original is None:
        return f"  {shown}：导入新写入的文件没能删除（{reason}）：请删除它"
    if os.path.lexists(original):
        return (f"  {shown}：原文件没能放回（{reason}），现保存在 {display_path(original)}：请把它改名移回 {shown}"
                f"（那里如有别的文件或文件夹，先移走）")
    return f"  {shown}：原文件没能放回（{reason}），本应保存在 {display_path(original)}，但已找不到：请从备份中恢复它"


def _make_folders(folder: Path, made: list[Path]) -> None:
    """Makes ``folder`` and those of its parents that are missing, each added to ``made`` once it is made."""
    missing = []
    while not folder.is_dir() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir()
        made.append(folder)


def _staged(planned: PlannedFile) -> Path:
    """``planned``'s content in a new temporary file beside it, with the mode the file will have: a replaced file
    keeps its own; a new one gets a new file's, 0666 less the umask, which the system takes off os.open's mode
    (tempfile.mkstemp's 0600 left every imported file readable by its writer alone)."""
    temporary = _beside(planned.path)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as file:
            if planned.source is not None:
                with open(planned.source, "rb") as source:
                    shutil.copyfileobj(source, file)
            else:
                file.write(planned.text.encode("utf-8"))
        if planned.path.exists():
            shutil.copymode(planned.path, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def summary(plan: ImportPlan) -> str:
    """One line: entries read by kind, problems, files to write."""
    read = "，".join(f"{KINDS[k].label} {n} 条" for k, n in plan.counts.items()) or "没有读到数据"
    counts = collections.Counter(p.severity.value for p in plan.problems)
    actions = collections.Counter(f.action for f in plan.files)
    files = "、".join(f"{action} {n} 个" for action, n in actions.items()) or "无"
    return (f"读取 {read}；{counts['error']} 个错误，{counts['warning']} 个警告；文件：{files} "
            f"({counts['error']} errors, {counts['warning']} warnings)")
