"""The search index's documents (site/documents.py): what the index process receives is what the build made."""

import datetime as dt
import pickle

from conftest import EXAMPLE

from builder.model.load import load_catalog
from builder.site.documents import search_documents
from builder.site.views import published_views


def test_documents_handed_to_the_index_process_are_the_documents_made_here():
    catalog, _ = load_catalog(EXAMPLE)
    documents = search_documents(published_views(catalog, dt.date(2026, 11, 23)))
    handed = pickle.loads(pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(handed) == len(documents) > 10
    assert [handed[n] for n in range(len(handed))] == documents[:]
    # Bodies are read from the item files, on either side, and typed again as SearchDocs.
    assert any(doc.body for doc in handed[:]) and all(type(doc).__name__ == "SearchDoc" for doc in handed[:])
