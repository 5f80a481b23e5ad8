"""办事指南 (the power list's entries): the 八公开 elements each must state (rules.md §7) for the 19号 item
“服务不实用”. A missing element is reported, never filled in."""

from __future__ import annotations

import dataclasses
import datetime as dt

from .. import statute
from ..model.catalog import Power, removed_by
from ..rules.lists import power_type


@dataclasses.dataclass(frozen=True)
class MissingElements:
    power: Power
    missing: tuple[str, ...]  # element names, as statute.GUIDE_ELEMENTS has them

    @property
    def where(self) -> str:
        return repr(self.power.record.at("id"))


def stated(power: Power, element: str) -> bool:
    """Whether the entry states ``element``. 收费 is stated by ``fees`` even when empty (fees: [] is 不收费); left
    out (None), it is unknown (未载明)."""
    if element == "收费":
        return power.fees is not None
    return any(getattr(power, field, None) not in (None, "", ()) for field in statute.GUIDE_ELEMENTS[element])  # 0: 即办


def guided(powers: list[Power], types: tuple[str, ...], today: dt.date) -> list[Power]:
    """The published entries of ``types`` still in force: those that need a guide."""
    return [p for p in powers if power_type(p.type, types) is not None and not removed_by(p, today)]  # 行政许可类 is 行政许可


def missing_elements(powers: list[Power], types: tuple[str, ...], elements: tuple[str, ...],
                     today: dt.date) -> list[MissingElements]:
    """The entries of ``guided`` that leave out one of ``elements``."""
    found = []
    for power in guided(powers, types, today):
        missing = tuple(e for e in elements if not stated(power, e))
        if missing:
            found.append(MissingElements(power, missing))
    return found
