"""The site's files that are not pages: attachments, and each annual report's data for download."""

from __future__ import annotations

import functools

from ..report.datafile import FORMATS, report_file
from ..util import resolved
from .participation import participation_files
from .structure import SiteFile
from .urls import party_mark_url, report_file_url
from .views import Site


def site_files(site: Site) -> list[SiteFile]:
    """Every file that is not a page: attachments, report data, the 党政机关标识 the office supplies."""
    files = [SiteFile(a.url, source=a.source) for view in site.notable.attachments for a in view.attachments]
    if mark := site.catalog.site.party_mark:
        files.append(SiteFile(party_mark_url(mark), source=str(resolved(site.catalog.root / mark))))
    for place in site.notable.special:
        if (item := site.items[place].item).index_no in site.reports:
            report = site.reports[item.index_no]
            files += [SiteFile(report_file_url(item, report.source.year, kind), inputs=report.key,
                               make=functools.partial(report_file, kind, report.data))
                      for kind in FORMATS]
    files += participation_files(site)  # consultation files, hotline data (rules.md §9)
    return files
