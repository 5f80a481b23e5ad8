"""`gongkai serve`: a live preview for staff while they edit.

The site is built once, served on localhost, and built again (incrementally, through the same pipeline as
`gongkai build`) whenever a file of the catalog, the pages, the theme overrides or mkdocs.yml is saved. Open pages
reload by themselves. A build that fails keeps the last good site on screen with the problems in a banner, and
the server keeps running. The reload script is added to pages as they are sent, never to the built files, so the
preview builds exactly the site that `gongkai build` would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import http.server
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import Abort as MkDocsAbort

from ..errors import GongkaiError, unexpected_error
from .pipeline import BuildOptions, Memory, build
from .static_files import StaticFiles
from .watch import Roots, SavedFiles

_ERROR_CODE = re.compile(r":\d+: E-[A-Z0-9-]+ ")
PROBLEMS_LOGGER = "mkdocs.plugins.gongkai.problems"  # where the plugin writes each problem (mkdocs/plugin.py)
STATUS_PATH = "/__gongkai__/status"
RELOAD_SCRIPT_PATH = "/__gongkai__/reload.js"
TIDY_AFTER_SECONDS = 3  # after a build, what it left is freed once open pages have reloaded (they ask every second)

# Polls the status; reloads when a new build is in, shows the problems of a failed one. Text only (textContent).
RELOAD_SCRIPT = """(() => {
  let seen = null;
  const banner = document.createElement("div");
  banner.id = "gk-preview-banner";
  banner.setAttribute("role", "alert");
  banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:1000;max-height:40vh;overflow:auto;" +
    "margin:0;padding:.8em 1em;background:#a8071a;color:#fff;font:14px/1.5 monospace;white-space:pre-wrap";
  async function poll() {
    try {
      const status = await (await fetch("%s", {cache: "no-store"})).json();
      if (seen !== null && status.version !== seen) { location.reload(); return; }
      seen = status.version;
      if (status.ok) { banner.remove(); } else {
        banner.textContent = "生成失败，显示的是上一次成功生成的网站：\\n" + status.messages.join("\\n");
        document.body.append(banner);
      }
    } catch (error) { /* the server is restarting */ }
    setTimeout(poll, 1000);
  }
  poll();
})();
""" % STATUS_PATH


@dataclasses.dataclass
class PreviewState:
    """What the pages ask the server: which build they show, and whether the last one failed and why."""

    version: int = 0
    ok: bool = True
    messages: list[str] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"version": self.version, "ok": self.ok, "messages": self.messages},
                              ensure_ascii=False).encode("utf-8")


class _Captured(logging.Handler):
    """The build's problems (path:line: CODE …) and errors, kept for the banner."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Errors only: the warnings are in the terminal, and would hide what stopped the build.
        if (record.name == PROBLEMS_LOGGER and _ERROR_CODE.search(message)) or record.levelno >= logging.ERROR:
            self.lines.append(message)


class PreviewServer:
    def __init__(self, config_file: Path, site_dir: Path, options: BuildOptions, watched: Roots,
                 port: int, day: Callable[[], dt.date] | None = None) -> None:
        """``day``: when given (`gongkai serve` without --today), what day each rebuild is for, instead of
        ``options.today``: a preview left running past midnight then shows the new day's validity and deadlines from
        the next save on, as a `gongkai build` would."""
        self.config_file, self.site_dir, self.options, self.watched = config_file, site_dir, options, watched
        self.day = day
        self.state = PreviewState()
        self.memory = Memory()
        handler = functools.partial(_Handler, self)
        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)  # localhost only

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/"

    def rebuild(self, log: logging.Logger) -> float:
        """Build once; on failure keep the last good site and say why. Returns the seconds until the pages could
        reload: what a member of staff waits for after saving."""
        captured = _Captured()
        logging.getLogger("mkdocs").addHandler(captured)
        started = time.perf_counter()
        try:
            options = self.options if self.day is None else dataclasses.replace(self.options, today=self.day())
            build(self.config_file, self.site_dir, options, self.memory)
            ok, messages = True, []
        except MkDocsAbort:  # mkdocs has logged why
            ok, messages = False, captured.lines
        except GongkaiError as error:
            ok, messages = False, [*captured.lines, str(error)]
            log.error(str(error))  # in the terminal too, where staff started the preview
        except Exception as error:  # a bug in gongkai: shown as one, and the preview goes on with the last good site
            message = unexpected_error(error, "详细信息见运行 gongkai serve 的终端")
            ok, messages = False, [*captured.lines, message]
            log.error(message, exc_info=error)  # the traceback, for the report, in the terminal only
            # What this build left kept may be half made: the next one starts from the last good build's cache.
            self.memory.close()
            self.memory = Memory()
        finally:
            logging.getLogger("mkdocs").removeHandler(captured)
        with self.state.lock:
            self.state.version += 1
            self.state.ok, self.state.messages = ok, [m for m in messages if m] or (["生成失败"] if not ok else [])
        seconds = time.perf_counter() - started
        log.info("%s（%.1f 秒）", "已重新生成" if ok else "生成失败，仍显示上一次的网站", seconds)
        if ok and self.memory.kept is not None:
            # The index process the next save will use, which a build of the whole site (the first) ends: started
            # now, while the pages reload, not by that save (a save within TIDY_AFTER_SECONDS of the first build took
            # ~0.3 s longer at 10,000 items waiting for it). After a build that succeeded: the next, of a catalog that
            # may still not load, may not use it.
            self.memory.start_index(len(self.memory.kept.views.views))
        return seconds

    def tidy(self) -> None:
        """Free what the last build left. Loading a catalog moves every object then alive out of the collector's
        sight (util.no_gc), the build's own mkdocs configuration and plugins among them; once the build is over they
        are garbage in reference cycles, holding its whole site, that no collection would see again: ~60,000 objects
        and ~15 MB a save at 10,000 items, ~150 MB at 100,000. The collection holds the interpreter (~0.2 s at 10,000
        items, an estimated ~3 s at 100,000), so it waits until the pages have reloaded."""
        gc.unfreeze()
        gc.collect()

    def serve_forever(self, log: logging.Logger) -> None:
        """Serve, and rebuild whenever a watched file is saved, until interrupted."""
        # Watched from before the first build: a file saved while a build runs is built by the next one.
        saved = SavedFiles(self.watched)
        self.rebuild(log)
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        log.info("预览地址 %s（只在本机可访问；按 Ctrl+C 停止）", self.url)
        try:
            while True:
                if not saved.wait(TIDY_AFTER_SECONDS):  # nothing saved while the pages reloaded
                    self.tidy()
                    saved.wait()
                self.rebuild(log)
        finally:
            saved.close()
            self.http.shutdown()
            self.memory.close()


class _Handler(StaticFiles):
    def __init__(self, server: PreviewServer, *args, **kwargs) -> None:
        self.preview = server
        super().__init__(*args, directory=str(server.site_dir), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        pass  # one line per request would bury the build messages staff need

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path.split("?")[0] == STATUS_PATH:
            return self._send(self.preview.state.as_json(), "application/json; charset=utf-8")
        if self.path.split("?")[0] == RELOAD_SCRIPT_PATH:
            return self._send(RELOAD_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):  # without the slash: the base class redirects
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            return self._send(_with_reload(path.read_bytes()), "text/html; charset=utf-8")
        if not self.preview.site_dir.is_dir():
            return self._send(_message_page("网站尚未生成成功。"), "text/html; charset=utf-8")
        return super().do_GET() if self.command == "GET" else super().do_HEAD()

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's name)
        self.do_GET()  # the same headers, without the body (``_send``): a page's length counts the reload script

    def list_directory(self, path: str) -> None:
        """A folder without index.html is not shown, as the site's web server shows none: a missing page."""
        self.send_error(http.HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page is the site's own 404.html, with the reload script: a page opened before the build that
        makes it shows once it is there (Python's page said "Error response", in English)."""
        if code != http.HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        page = self.preview.site_dir / "404.html"
        body = _with_reload(page.read_bytes()) if page.is_file() else _message_page("没有这个页面。")
        self._send(body, "text/html; charset=utf-8", http.HTTPStatus.NOT_FOUND)

    def _send(self, body: bytes, content_type: str, status: int = http.HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        # Nothing of a preview is kept by the browser: a save rewrites pages and the search index within a second,
        # and a check of a file's time, to the second, would find it unchanged.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def _with_reload(html: bytes) -> bytes:
    """A page of the site as the preview sends it: with the script that reloads it after each build."""
    tag = f'<script src="{RELOAD_SCRIPT_PATH}"></script>'.encode()
    return html.replace(b"</body>", tag + b"</body>", 1) if b"</body>" in html else html + tag


def _message_page(text: str) -> bytes:
    """A page of the preview's own, saying ``text``, that reloads after each build."""
    return _with_reload(f'<!doctype html><meta charset="utf-8"><title>预览</title><p>{text}</p>'.encode())
