"""The three kinds of catalog entries a spreadsheet can hold: 公开事项, 权力清单 and 收费目录.

Each kind names the schema its rows are checked against (declared in ``model.catalog``), the sheet name the export
gives it and the catalog folder its files go to.
"""

from __future__ import annotations

import dataclasses

from ..model.catalog import FEE, ITEM, POWER
from ..model.fields import Schema


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str  # what --kind takes
    schema: Schema
    label: str  # the sheet's name in an exported workbook, and how messages name the kind
    folder: str  # in the catalog

    @property
    def is_items(self) -> bool:
        return self.name == "items"


KINDS: dict[str, Kind] = {
    "items": Kind("items", ITEM, "公开事项", "items"),
    "powers": Kind("powers", POWER, "权力清单", "powers"),
    "fees": Kind("fees", FEE, "收费目录", "fees"),
}
