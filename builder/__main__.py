"""The `gongkai` command (and `python -m builder`).

This module stays light: a process that multiprocessing starts re-runs the program's main module, and the search
index process must not import the whole CLI (mkdocs, Jinja, click …) with it.
"""

import os
import sys


def main() -> None:
    from builder.cli import cli

    try:
        cli(prog_name="gongkai")
        code = 0
    except SystemExit as done:
        code = done.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and closed by now. A build holds millions of objects, and freeing them one by one on
    # the way out takes 0.2 s at 10,000 items: the operating system takes the whole heap back at once.
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":  # not when a process started by multiprocessing re-runs this module
    main()
