"""What to say when a record names something the catalog does not have: an organ by its id, a file by its path.
Where the slip is one staff make (an organ's name for its id, Windows' \\ in a path), the message says what to write.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import Location, Problem
from ..util import is_file
from .catalog import Organ
from .fields import Record


def organ_problems(organs: Mapping[str, Organ], record: Record, organ: str) -> Iterator[Problem]:
    """What is wrong with a record's ``organ``: nothing, when it is an organ's id."""
    if organ not in organs:
        yield unknown_organ(organs, record.at("organ"), organ)


def unknown_organ(organs: Mapping[str, Organ], where: Location, found: str) -> Problem:
    """E-ORGAN-UNKNOWN for ``found``, which is no organ's id."""
    named = next((organ_id for organ_id, organ in sorted(organs.items()) if organ.name == found.strip()), None)
    if named:
        advice = f"这是机关“{found.strip()}”的名称，这里应写它的编号（organs/ 下的文件名）：{named}"
    else:
        known = "、".join(sorted(organs)) or "（尚未定义任何机关）"
        advice = f"请在 organs/ 下添加 {found}.yaml，或改为已有机关：{known}"
    return where.problem("E-ORGAN-UNKNOWN", found=found, advice=advice)


# What an attachment (or a consultation's file) may be: documents, spreadsheets, slides, images, audio and video, and
# archives of them. Published beside the pages, a web page, an SVG image or a script would run on the site's own
# address (a Word document saved as a web page is a .htm), and a server may run .php or read .htaccess.
PUBLISHED_FILE_TYPES = (".pdf", ".ofd", ".doc", ".docx", ".wps", ".rtf", ".txt", ".odt", ".xls", ".xlsx", ".et",
                        ".csv", ".ods", ".ppt", ".pptx", ".dps", ".odp", ".jpg", ".jpeg", ".png", ".gif", ".bmp",
                        ".tif", ".tiff", ".mp3", ".mp4", ".zip", ".rar", ".7z")


def published_file_problems(where: Location, file: str, path: Path, name: str, folder: Path) -> Iterator[Problem]:
    """What stops ``file``, written in a record and found at ``path`` (resolved), from being published: lying outside
    the catalog's folder ``name`` (items, consultations; at ``folder``, resolved): elsewhere are its data files, the
    request log, the hotline's cases; a hidden file or folder; a type a browser or a server would run; or no file
    there."""
    if not path.is_relative_to(folder):
        yield where.problem("E-ATTACHMENT-OUTSIDE", found=file, folder=f"{name}/")
    elif any(part.startswith(".") for part in path.relative_to(folder).parts) \
            or path.suffix.lower() not in PUBLISHED_FILE_TYPES:
        yield where.problem("E-ATTACHMENT-TYPE", found=file, suffix=path.suffix.lower() or "无扩展名",
                            types="、".join(suffix[1:] for suffix in PUBLISHED_FILE_TYPES))
    elif not is_file(path):
        yield missing_file(where, file, path)


def missing_file(where: Location, file: str, path: Path) -> Problem:
    """E-ATTACHMENT-MISSING for ``file``, written in a record, which names no file at ``path``."""
    advice = "请把文件放到公开事项文件旁边，或修正路径"
    slashed = file.replace("\\", "/")
    if slashed != file and is_file(Path(str(path).replace("\\", "/"))):
        advice = f"路径中的“\\”请改为“/”：{slashed}"
    return where.problem("E-ATTACHMENT-MISSING", found=file, advice=advice)
