"""Chinese search: the static index (index.py) and its browser client, and the Whoosh service (server.py)."""

from pathlib import Path

CLIENT = Path(__file__).with_name("client.js")  # the browser client, copied beside the static index
