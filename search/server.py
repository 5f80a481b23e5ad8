"""Whoosh for staff and servers: the same analyzer and ranking as the static index, queried in Python.

`gongkai search QUERY` prints ranked results; `gongkai search-serve` answers the same as JSON over HTTP.
Whoosh finds the candidates (documents holding every token); the tiers of ``search.index.tier`` order them,
so the results are those of the browser client.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import tempfile
import time
import urllib.parse
import warnings
from collections.abc import Callable
from pathlib import Path

from .document import SearchDoc
from .hashing import digest
from .index import rank, tier
from .tokenize import field_positions, query_terms, tokens

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=SyntaxWarning)  # Whoosh's old regular expressions
    from whoosh import fields
    from whoosh import index as whoosh_index
    from whoosh.analysis import Token as WhooshToken
    from whoosh.analysis import Tokenizer
    from whoosh.query import And, Or, Term

FILTERS = ("category", "organ", "year", "validity")


class SlotTokenizer(Tokenizer):
    """search.tokenize as a Whoosh tokenizer: token positions are our slots."""

    def __init__(self, every_character: bool = False):
        self.every_character = every_character

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize=True, mode="", **kwargs):
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for t in tokens(value, self.every_character):
            token.text = t.text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + t.slot
            yield token


def _schema() -> fields.Schema:
    return fields.Schema(
        number=fields.NUMERIC(stored=True, sortable=True),
        title=fields.TEXT(analyzer=SlotTokenizer(every_character=True), stored=True, phrase=True),
        body=fields.TEXT(analyzer=SlotTokenizer(), stored=True, phrase=True),
        doc=fields.STORED,
        **{name: fields.ID(stored=True) for name in FILTERS},
    )


def open_index(docs: list[SearchDoc], folder: Path):
    """The Whoosh index of ``docs``, in ``folder`` under the digest of the documents: written when they changed.

    Each is written in a folder of its own and renamed into place whole, so that commands run at once on one
    folder (a search while another rebuilds it, two staff searching) each open a whole index: rebuilding in place
    made the second fail on Whoosh's lock or on files the first was deleting. An index stays while a process has it
    open (``search-serve`` for days) and for an hour after it was last opened; then the next command removes it."""
    wanted = digest(json.dumps([list(d) for d in docs], ensure_ascii=False))
    current = folder / wanted
    (folder / IN_USE).mkdir(parents=True, exist_ok=True)
    (folder / IN_USE / f"{wanted}-{os.getpid()}").touch()  # before it is looked for: no one removes it from here on
    if not current.is_dir():
        written = Path(tempfile.mkdtemp(prefix=f"{WRITING}{wanted}.", dir=folder))
        ix = whoosh_index.create_in(str(written), _schema())
        writer = ix.writer(limitmb=256)
        for number, doc in enumerate(docs):
            writer.add_document(number=number, title=doc.title_text, body=doc.body_text, doc=doc._asdict(),
                                **{name: str(getattr(doc, name)) for name in FILTERS})
        writer.commit()
        try:
            written.rename(current)
        except OSError:  # another command wrote the same index meanwhile: theirs is as good
            shutil.rmtree(written, ignore_errors=True)
    os.utime(current)  # opened now: kept for the hour after
    opened = whoosh_index.open_dir(str(current))
    _remove_unused(folder)
    return opened


IN_USE = ".in-use"  # a file <digest>-<pid> for each process that has that index open
WRITING = "."  # an index being written: its folder's name starts so
UNUSED_FOR = 3600  # seconds: an index no process has open, not opened for an hour, is removed


def release_index(ix, folder: Path) -> None:
    """A long-running process (search-serve) done with ``ix`` for good: its mark goes, and so does the index unless
    another process has it open. Each save of the catalog had left one for as long as the server ran (~125 MB at
    10,000 items)."""
    name = Path(ix.storage.folder).name
    (folder / IN_USE / f"{name}-{os.getpid()}").unlink(missing_ok=True)
    _remove_unused(folder, released=name)


def _remove_unused(folder: Path, released: str = "") -> None:
    """The indexes of ``folder`` (and what older versions left in it) that no living process has open and none
    opened for an hour (or ``released`` now), and the marks of processes that have ended."""
    in_use = set()
    for mark in (folder / IN_USE).iterdir():
        name, _, pid = mark.name.rpartition("-")
        if pid.isdigit() and _alive(int(pid)):
            in_use.add(name)
        else:
            mark.unlink(missing_ok=True)
    for path in folder.iterdir():
        if path.name == IN_USE or path.name in in_use:
            continue
        try:
            if time.time() - path.lstat().st_mtime < UNUSED_FOR and path.name != released:
                continue  # opened, or being written, within the hour
        except OSError:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: alive
        return True
    return True


def search(ix, query: str, filters: dict | None = None) -> list[dict]:
    """Every match, ranked as the static client ranks them: [{number, …document fields}]."""
    terms = query_terms(query)
    if not terms:
        return []
    words = sorted({t.text for term in terms for t in term})
    clauses = [Or([Term("title", w), Term("body", w)]) for w in words]
    clauses += [Term(name, str(value)) for name, value in (filters or {}).items() if value not in (None, "")]
    with ix.searcher() as searcher:
        hits = searcher.search(And(clauses), limit=None)
        found, stored = [], {}
        for hit in hits:
            level = tier(terms, field_positions(hit["title"], every_character=True),
                         field_positions(hit["body"]))
            if level is not None:
                found.append((hit["number"], level))
                stored[hit["number"]] = hit["doc"]
    return [{"number": n, **stored[n]} for n in rank(found)]


def serve(current_index: Callable[[], object], host: str, port: int) -> None:
    """A JSON API: GET /search?q=…&category=…&organ=…&year=…&validity=…&page=N. ``current_index`` gives the index
    each request searches: the caller makes it again when what it indexes changes (the server runs for days)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            params = dict(urllib.parse.parse_qsl(url.query))
            if url.path.rstrip("/") != "/search":
                return self._send(404, {"ok": False, "error": "只提供 /search?q=…"})
            page = max(1, int(params.get("page", "1"))) if params.get("page", "1").isdigit() else 1
            results = search(current_index(), params.get("q", ""), {k: params.get(k) for k in FILTERS})
            self._send(200, {"ok": True, "query": params.get("q", ""), "total": len(results), "page": page,
                             "results": results[(page - 1) * 10:page * 10]})

        def _send(self, status, body):
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    with http.server.ThreadingHTTPServer((host, port), Handler) as server:
        server.serve_forever()
