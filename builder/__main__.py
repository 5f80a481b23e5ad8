"""The `gongkai` command (and `python -m builder`).

This module stays light: a process that multiprocessing starts re-runs the program's main module, and the search
index process must not import the whole CLI (mkdocs, Jinja, click …) with it.
"""

import atexit
import os
import sys


def main() -> None:
    # mkdocs 1.6 announces MkDocs 2.0 on every run; staff cannot act on it (we pin mkdocs<2).
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if sys.argv[1:2] in (["build"], ["serve"]):  # the commands that write a search index: its fork server first
        from builder.build.pools import start_index_server

        start_index_server()
    from builder.util import no_gc

    # Importing makes ~68,000 objects that live as long as the process, and no garbage: the cyclic collector ran ~90
    # times while the CLI was imported (~12 ms of ~190).
    with no_gc(freeze=True):
        from builder.cli import cli

    code = 0
    try:
        cli(prog_name="gongkai")  # in standalone mode click ends with SystemExit
    except SystemExit as done:
        code = done.code or 0
    if not isinstance(code, int):  # sys.exit("message"), as Python itself would show it
        print(code, file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and closed by now. A build holds millions of objects, and freeing them one by one on
    # the way out takes 0.2 s at 10,000 items: the operating system takes the whole heap back at once. What is
    # registered to run at exit still runs (multiprocessing removes its fork server's folder in /tmp: skipped, a
    # build run every few minutes left thousands of them).
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":  # not when a process started by multiprocessing re-runs this module
    main()
