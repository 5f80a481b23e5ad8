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


def missing_file(where: Location, file: str, path: Path) -> Problem:
    """E-ATTACHMENT-MISSING for ``file``, written in a record, which names no file at ``path``."""
    advice = "请把文件放到公开事项文件旁边，或修正路径"
    slashed = file.replace("\\", "/")
    if slashed != file and is_file(Path(str(path).replace("\\", "/"))):
        advice = f"路径中的“\\”请改为“/”：{slashed}"
    return where.problem("E-ATTACHMENT-MISSING", found=file, advice=advice)
