"""信息处理费 (处理费办法, 国办函〔2020〕109号): per request either 按件 or 按量, never both."""

from __future__ import annotations

from ..statute import (
    FEE_BY_COUNT_BAND,
    FEE_BY_COUNT_FIRST_BAND,
    FEE_BY_COUNT_FREE,
    FEE_BY_COUNT_STEP,
    FEE_BY_PAGES,
)


def fee_for_nth_request(n: int) -> int:
    """The fee for the applicant's n-th request in one natural month (按件)."""
    if n <= FEE_BY_COUNT_FREE:
        return 0
    if n < FEE_BY_COUNT_STEP.first:
        return FEE_BY_COUNT_FIRST_BAND.yuan
    bands_above = 1 + (n - FEE_BY_COUNT_STEP.first) // FEE_BY_COUNT_BAND
    return FEE_BY_COUNT_FIRST_BAND.yuan + bands_above * FEE_BY_COUNT_STEP.yuan


def fee_by_count(requests: int) -> int:
    """The total fee for ``requests`` requests by one applicant in one natural month (按件)."""
    return sum(fee_for_nth_request(n) for n in range(1, requests + 1))


def fee_by_pages(pages: int) -> int:
    """The fee for one request of ``pages`` pages (按量): each band's rate applies to the pages in it."""
    total = 0
    for band, following in zip(FEE_BY_PAGES, FEE_BY_PAGES[1:] + (None,)):
        last = pages if following is None else min(pages, following.first - 1)
        if last >= band.first:
            total += (last - band.first + 1) * band.yuan
    return total


def fee_examples() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The fee on either side of every band edge, as the guide and the application page show it:
    (requests in a month, total 按件), (pages of one request, fee 按量)."""
    step, band = FEE_BY_COUNT_STEP.first, FEE_BY_COUNT_BAND
    counts = [FEE_BY_COUNT_FREE, FEE_BY_COUNT_FIRST_BAND.first, step - 1, step, step + band - 1, step + band]
    pages = [n for b in FEE_BY_PAGES[1:] for n in (b.first - 1, b.first)]
    return [(n, fee_by_count(n)) for n in counts], [(n, fee_by_pages(n)) for n in pages]
