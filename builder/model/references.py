"""What to say when a record names something the catalog does not have, or a file it may not publish: an organ by
its id, a file by its path.
Where the slip is one staff make (an organ's name for its id, Windows' \\ in a path), the message says what to write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import Location, Problem
from ..util import is_file, strip_control, suffix_of
from .catalog import Catalog, Organ
from .fields import Record


def organ_problems(catalog: Catalog, record: Record, organ: str) -> Iterator[Problem]:
    """What is wrong with a record's ``organ``: nothing, when it is an organ's id, or that of an organ whose file
    could not be read (its own problems say so)."""
    if organ not in catalog.organs and organ not in catalog.unreadable_organs:
        yield unknown_organ(catalog.organs, record.at("organ"), organ)


def unknown_organ(organs: Mapping[str, Organ], where: Location, found: str) -> Problem:
    """E-ORGAN-UNKNOWN for ``found``, which is no organ's id."""
    named = next((organ_id for organ_id, organ in sorted(organs.items()) if organ.name == found.strip()), None)
    if named:
        advice = f"这是机关“{found.strip()}”的名称，这里应写它的编号（organs/ 下的文件名）：{named}"
    else:
        known = "、".join(sorted(organs)) or "（尚未定义任何机关）"
        advice = f"请在 organs/ 下添加 {found}.yaml，或改为已有机关：{known}"
    return where.problem("E-ORGAN-UNKNOWN", found=found, advice=advice)


# What an attachment (or a consultation's file) may be: documents, spreadsheets, slides and drawings, images, audio
# and video, and archives of them. Published beside the pages, a web page, an SVG image, XML or a script would run
# on the site's own address (a Word document saved as a web page is a .htm), a server may run .php or read
# .htaccess, and the catalog's own .md and .yaml files hold drafts and data.
PUBLISHED_FILE_TYPES = (
    ".pdf", ".ofd", ".ceb", ".caj", ".doc", ".docx", ".docm", ".dot", ".dotx", ".wps", ".wpt", ".rtf", ".txt",
    ".odt", ".epub", ".xls", ".xlsx", ".xlsm", ".et", ".ett", ".csv", ".ods", ".ppt", ".pptx", ".pps", ".ppsx",
    ".dps", ".odp", ".vsd", ".vsdx", ".dwg", ".dxf",
    ".jpg", ".jpeg", ".jfif", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic", ".heif",
    ".mp3", ".wav", ".wma", ".m4a", ".aac", ".amr", ".ogg", ".flac",
    ".mp4", ".m4v", ".avi", ".wmv", ".mov", ".flv", ".mkv", ".mpg", ".mpeg", ".webm", ".3gp",
    ".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar",
)
# The catalog's folders of what the site never shows: the request log (applicants) and the hotline's cases (callers).
PRIVATE_FOLDERS = ("requests", "hotline")


def published_file_problems(record: Record, file: str, path: str, catalog: Catalog) -> Iterator[Problem]:
    """What stops ``file``, written at ``record``'s key "file" and found at ``path`` (resolved), from being published:
    lying outside the catalog (its resolved root) or in its private folders; a hidden file or folder, or a type a
    browser or a server would run; a name no address can hold; or no file there (``Catalog.files``: the page asks the
    same file's size). The record is asked its line only for a problem: this runs for every attachment on every
    build, and a record kept from the last build is read when first used (fields.Record)."""
    # Compared as text, not as paths (10,000 attachments a build): both are resolved, so absolute, with no "." or ".."
    # part and no "/" doubled or last but the root's own.
    root = str(catalog.resolved_root).rstrip("/")
    if path != (root or "/") and not path.startswith(f"{root}/"):
        yield record.at("file").problem("E-ATTACHMENT-OUTSIDE", found=file, place="目录之外")
        return
    parts = path[len(root) + 1:].split("/") if len(path) > len(root) + 1 else []
    suffix = suffix_of(parts[-1]).lower() if parts else ""
    if not parts:  # the catalog's own folder (`file: ..` beside consultations/): a folder, no file to publish
        yield missing_file(record.at("file"), file, path)
    elif parts[0] in PRIVATE_FOLDERS:
        yield record.at("file").problem("E-ATTACHMENT-OUTSIDE", found=file, place=f"不公开的 {parts[0]}/ 文件夹")
    elif any(part.startswith(".") for part in parts):
        yield record.at("file").problem("E-ATTACHMENT-TYPE", found=file, suffix="隐藏文件", types=_TYPES_SHOWN)
    elif suffix not in PUBLISHED_FILE_TYPES:
        yield record.at("file").problem("E-ATTACHMENT-TYPE", found=file, suffix=suffix or "没有扩展名",
                                        types=_TYPES_SHOWN)
    elif strip_control(parts[-1]) != parts[-1]:  # a link's target may be named anything
        yield record.at("file").problem("E-URL-UNSAFE", what="附件", what_en="attachment", found=file,
                                        url=ascii(parts[-1]))
    elif not catalog.files.is_file(path):
        yield missing_file(record.at("file"), file, path)


_TYPES_SHOWN = "、".join(suffix[1:] for suffix in PUBLISHED_FILE_TYPES)


def missing_file(where: Location, file: str, path: str) -> Problem:
    """E-ATTACHMENT-MISSING for ``file``, written in a record, which names no file at ``path``."""
    advice = "请把文件放到公开事项文件旁边，或修正路径"
    slashed = file.replace("\\", "/")
    if slashed != file and is_file(Path(path.replace("\\", "/"))):
        advice = f"路径中的“\\”请改为“/”：{slashed}"
    return where.problem("E-ATTACHMENT-MISSING", found=file, advice=advice)
