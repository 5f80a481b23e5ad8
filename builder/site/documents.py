"""What the search index holds of each published item, made when the index writer reads it.

The index is written by a process started afresh rather than forked (build/index_job.py), so it does not carry
the whole catalog: it receives one small record per item and reads a body from the item's file only for a range
of the index that changed. 100,000 bodies are never in memory together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from search.document import SearchDoc, plain_text

from ..model.catalog import Catalog, Fee, Power, removed_by
from ..model.dates import published_by
from ..model.source import read_body
from ..rules.lists import fee_item_standard, fee_standard
from ..util import KeptByIdentity, strip_control
from .urls import fee_url, power_url

if TYPE_CHECKING:  # views import the templates and Markdown, which the index process does without
    from .views import ItemView


class DocumentSource(NamedTuple):
    """A tuple of strings, like SearchDoc: 100,000 of them reach the index process in a few milliseconds."""

    doc: SearchDoc   # everything but the body
    path: str        # the item file, whose body is read when needed
    body_line: int   # 0: no body
    digest: str      # of the file as it was validated

    @classmethod
    def whole(cls, doc: SearchDoc) -> DocumentSource:
        """A document that holds its body itself (a consultation, a hotline month, a list's entry: no item file)."""
        return cls(doc, "", 0, "")


class SearchDocuments(Sequence):
    """SearchDocs made one at a time from their sources. A source may be None: a document left out, which the index
    holds already (``without``) or will not read (``participation.site_search_documents``)."""

    def __init__(self, sources: list[DocumentSource | None]) -> None:
        self.sources = sources  # in the index process, the same fields as plain tuples (``__reduce__``)

    def __len__(self) -> int:
        return len(self.sources)

    def __getitem__(self, number):
        if isinstance(number, slice):
            return [self._document(source) for source in self.sources[number]]
        return self._document(self.sources[number])

    def __reduce__(self) -> tuple:
        # Handed to the index process as plain tuples of the same fields: unpickling a NamedTuple runs Python code
        # for each one, and 10,000 documents took 0.13 s to hand over instead of 0.05 s. ``_document`` types the few
        # it reads again. A source left out (``without``) stays None.
        return SearchDocuments, ([source and (tuple(source[0]), *source[1:]) for source in self.sources],)

    def without(self, keys: list[str], held: dict[str, DocumentSource]) -> SearchDocuments:
        """These documents with those ``held`` holds as they are, by their key (one per document), left out, as None:
        what a process that holds them already is handed (``filled`` puts them back). A document is compared whole,
        not only by its key: the key is what the index holds of it, and an item file renamed keeps its key but its
        body is read from the new file."""
        return SearchDocuments([None if held.get(key) == source else source for source, key in zip(self.sources, keys)])

    def filled(self, keys: list[str], held: dict[str, DocumentSource]) -> SearchDocuments:
        """The documents left out by ``without`` put back from ``held`` (by key), where the last ones handed are."""
        return SearchDocuments([held[key] if source is None else source for source, key in zip(self.sources, keys)])

    @staticmethod
    def _document(source: DocumentSource) -> SearchDoc:
        doc, path, body_line, digest = source
        doc = SearchDoc._make(doc)
        if not body_line:
            return doc
        return doc._replace(body=plain_text(strip_control(read_body(path, body_line, digest))))


def document_source(view: ItemView) -> DocumentSource:
    """What the index holds of one published item, its body left in its file."""
    return DocumentSource(
        SearchDoc(url=view.url, title=view.title, doc_no=view.item.doc_no, index_no=view.item.index_no,
                  date=view.published.isoformat() if view.published else "", category=view.category_label, organ=view.organ_name,
                  year=(view.published or view.item.written).year, validity=view.validity.value if view.validity else "未载明" if view.validity_applies else "不适用",
                  summary=strip_control(view.summary),
                  body=plain_text(strip_control(view.item.text)) if view.item.text and not view.withdrawn else ""),
        view.item.path, 0 if view.withdrawn else view.item.body_line, view.item.digest)


def search_documents(views: list[ItemView], kept: KeptByIdentity[ItemView, DocumentSource] | None = None
                     ) -> SearchDocuments:
    """What the search index holds for each published item, in the index's order (``index_order``). ``kept``: as for
    ``document_sources``."""
    sources = document_sources(views, kept)
    return SearchDocuments([sources[n] for n in index_order(views)])


def index_order(views: list[ItemView]) -> list[int]:
    """The views' places (in the site's order) in the index's order, as search/index.py numbers documents: oldest
    first, and in the site's order within a moment, so that an item published later the same day with a later index
    number takes the next number too."""
    return sorted(range(len(views)), key=lambda n: views[n].moment)


def document_sources(views: list[ItemView], kept: KeptByIdentity[ItemView, DocumentSource] | None = None
                     ) -> list[DocumentSource]:
    """What the search index holds for each published item, in the site's order. ``kept``: the documents of the
    last build's views (a view made again, views.KeptViews, is the same object), reused, and replaced by these."""
    if kept is None:
        return [document_source(view) for view in views]
    sources = [kept.made(view, document_source) for view in views]
    kept.keep(views, sources)
    return sources


# As search results and their filter label them: the columns' names.
POWER_CATEGORY, FEE_CATEGORY = "权力清单", "行政事业性收费"


def list_documents(catalog: Catalog, today: dt.date) -> list[tuple[dt.date, DocumentSource]]:
    """The power list's and the fee list's entries published by ``today``, each a document of the search index by
    its publication date: staff and the public look a matter up by its name, code or basis, as they do a document
    (条例 art. 20 (二), (六), (八) information). A removed entry keeps its page, and is found with its removal."""
    published = [entry for entry in (*catalog.powers, *catalog.fees) if published_by(entry.published, today)]
    return [(entry.published, DocumentSource.whole(_power_document(catalog, entry, today) if isinstance(entry, Power)
                                                   else _fee_document(catalog, entry, today)))
            for entry in published]


def _list_document(catalog: Catalog, entry: Power | Fee, today: dt.date, url: str, category: str, summary: str,
                   texts: list[str]) -> SearchDoc:
    removal = ""
    if entry.removed:
        removal = f"{'已于' if removed_by(entry, today) else '将于'} {entry.removed.date} 取消"
        texts = [*texts, entry.removed.basis]
    return SearchDoc(url=url, title=strip_control(entry.name), doc_no="", index_no=strip_control(entry.id),
                     date=entry.published.isoformat(), category=category, organ=catalog.organ_name(entry.organ),
                     year=entry.published.year, validity="不适用",
                     summary=strip_control("；".join(part for part in (summary, removal) if part)),
                     body=strip_control("\n".join(text for text in texts if text)))


def _power_document(catalog: Catalog, power: Power, today: dt.date) -> SearchDoc:
    return _list_document(
        catalog, power, today, power_url(power), POWER_CATEGORY, power.type,
        [power.national_code, *(r.former for r in power.renames), *(f"{s.code} {s.name}" for s in power.sub_items),
         *power.basis, *power.implementation_basis, power.conditions, *power.materials, power.result, power.process,
         power.handled_by])


def _fee_document(catalog: Catalog, fee: Fee, today: dt.date) -> SearchDoc:
    # The standard as the fee's page shows it (80 元/件): an amount stated only as numbers was not in the index.
    return _list_document(
        catalog, fee, today, fee_url(fee), FEE_CATEGORY, fee_item_standard(fee),
        [fee.category, *(f"{s.name} {fee_standard(s)}" for s in fee.sub_items), *fee.basis, fee.payer,
         fee.collector, fee.reduction])
