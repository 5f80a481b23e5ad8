"""The search index's documents (site/documents.py): what the index process receives is what the build made."""

import datetime as dt
import pickle

from conftest import EXAMPLE

from builder.model.load import load_catalog
from builder.site.documents import (
    FEE_CATEGORY,
    POWER_CATEGORY,
    list_documents,
    search_documents,
)
from builder.site.views import published_views


def test_documents_handed_to_the_index_process_are_the_documents_made_here():
    catalog, _ = load_catalog(EXAMPLE)
    documents = search_documents(published_views(catalog, dt.date(2026, 11, 23)))
    handed = pickle.loads(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(handed) == len(documents) > 10
    assert [handed[n] for n in range(len(handed))] == documents[:]
    # Bodies are read from the item files, on either side, and typed again as SearchDocs.
    assert any(doc.body for doc in handed[:]) and all(type(doc).__name__ == "SearchDoc" for doc in handed[:])


def test_the_lists_entries_are_documents_as_published_with_their_removal():
    catalog, _ = load_catalog(EXAMPLE)
    day = dt.date(2026, 11, 23)
    found = {source.doc.url: (published, source.doc) for published, source in list_documents(catalog, day)}
    published = [p for p in catalog.powers if p.published and p.published <= day]
    fees = [f for f in catalog.fees if f.published and f.published <= day]
    assert len(found) == len(published) + len(fees) and len(published) > 3 and fees
    assert all(published <= day for published, _ in found.values())
    power = next(p for p in published if p.id == "JL-XK-0002")
    _, doc = found["powers/JL-XK-0002/"]
    assert (doc.title, doc.index_no, doc.category, doc.organ) == (power.name, "JL-XK-0002", POWER_CATEGORY, "吉林省人民政府")
    assert all(basis in doc.body for basis in power.basis) and doc.summary == power.type
    removed = next(p for p in published if p.removed)
    assert f"已于 {removed.removed.date} 取消" in found[f"powers/{removed.id}/"][1].summary
    assert {d.category for _, d in found.values()} == {POWER_CATEGORY, FEE_CATEGORY}
    drafts = [p.id for p in catalog.powers if not p.published or p.published > day]
    assert not any(f"powers/{id_}/" in found for id_ in drafts)
