"""The site's files as a web server sends them (builder/build/static_files.py): a byte range of a file when asked."""

from __future__ import annotations

import functools
import http.client
import http.server
import threading

import pytest

from builder.build.static_files import StaticFiles

DATA = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def server(tmp_path):
    (tmp_path / "search" / "d").mkdir(parents=True)
    (tmp_path / "search" / "d" / "0.bin").write_bytes(DATA)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


class _Quiet(StaticFiles):
    def log_message(self, *args):
        pass


def _get(port: int, range_header: str | None, path: str = "/search/d/0.bin?b=0123") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port)
    connection.request("GET", path, headers={"Range": range_header} if range_header else {})
    response = connection.getresponse()
    result = response.status, dict(response.getheaders()), response.read()
    connection.close()
    return result


@pytest.mark.parametrize(("asked", "start", "end"), [
    ("bytes=0-7", 0, 8), ("bytes=4000-4999", 4000, 5000), ("bytes=10000-", 10000, len(DATA)),
    ("bytes=-16", len(DATA) - 16, len(DATA)), ("bytes=10200-99999", 10200, len(DATA)), ("bytes=-99999", 0, len(DATA)),
])
def test_a_range_of_a_file_is_sent_as_asked(server, asked, start, end):
    status, headers, body = _get(server, asked)
    assert status == 206 and body == DATA[start:end]
    assert headers["Content-Range"] == f"bytes {start}-{end - 1}/{len(DATA)}"
    assert headers["Content-Length"] == str(end - start)


@pytest.mark.parametrize("asked", [None, "bytes=8-4", "bytes=0-3,8-11", "items=0-3", "bytes=-"])
def test_what_is_not_one_range_is_answered_with_the_whole_file(server, asked):
    """As RFC 9110 §14.2 lets a server: the reader's search then reads the whole pack (client.js ``bytesOf``)."""
    status, _, body = _get(server, asked)
    assert status == 200 and body == DATA


def test_a_range_past_the_end_is_not_satisfiable_and_a_missing_file_is_missing(server):
    status, headers, body = _get(server, f"bytes={len(DATA)}-")
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(DATA)}" and body == b""
    assert _get(server, "bytes=0-7", "/search/d/9.bin")[0] == 404
