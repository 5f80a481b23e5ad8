"""The built site's files sent as a web server sends them, for the preview (serve.py) and the search's browser tests
and benchmark: with a byte range of a file when one is asked for (RFC 9110 §14), as the search reads its documents
(search/index.py ``pack``). Python's own handler sends only whole files, and a search would then read every pack
whole: the same results, but not the bytes a reader's phone reads from nginx, Apache or IIS.
"""

from __future__ import annotations

import http.server
import io
import os
import re

# One range: first-last, first- (to the end) or -N (the last N bytes). A server may send the whole file instead of
# any range it does not serve (RFC 9110 §14.2): several ranges at once are sent whole.
_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")


class StaticFiles(http.server.SimpleHTTPRequestHandler):
    def send_head(self):
        match = _RANGE.fullmatch(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if not match or not any(match.groups()) or not os.path.isfile(path):
            return super().send_head()
        first, last = match.groups()
        if first and last and int(last) < int(first):  # not a range at all: ignored, as RFC 9110 says
            return super().send_head()
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            if first:
                start, end = int(first), min(int(last) + 1, size) if last else size
            else:
                start, end = max(size - int(last), 0), size
            if start >= size or end <= start:
                self.send_response(http.HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            file.seek(start)
            data = file.read(end - start)
        self.send_response(http.HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end - 1}/{size}")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)
