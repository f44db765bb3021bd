"""A local stand-in for the PDOK Locatieserver: replays stored answers in PDOK's format.

CI cannot reach PDOK, so the tests point ``PILOT_PDOK_LOCATIESERVER_URL`` at this server.
``tests/data/pdok/suggest-<word>.json`` answers a suggest whose ``q`` starts with <word>;
``lookup-<id>.json`` answers a lookup of <id>; anything else gets PDOK's empty answer. The
server also records every request (path and query) so tests can check what was asked.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATA = Path(__file__).parent / "data" / "pdok"
PREFIX = "/bzk/locatieserver/search/v3_1"


class _Handler(BaseHTTPRequestHandler):
    server: "ReplayServer"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        self.server.requests.append((parts.path, query))
        endpoint = parts.path.removeprefix(PREFIX).strip("/")
        if endpoint == "suggest":
            word = (query.get("q", [""])[0].split() or [""])[0].lower()
            body = self._stored(f"suggest-{word}.json", "suggest-leeg.json")
        elif endpoint == "lookup":
            body = self._stored(f"lookup-{query.get('id', [''])[0]}.json", "lookup-leeg.json")
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    @staticmethod
    def _stored(name: str, fallback: str) -> bytes:
        path = DATA / name
        if not path.is_file() or path.parent != DATA:
            path = DATA / fallback
        return path.read_bytes()

    def log_message(self, format, *args) -> None:  # noqa: A002 (quiet)
        return None


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, dict]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}{PREFIX}"


@contextmanager
def replaying_pdok() -> Iterator[ReplayServer]:
    """The replay server, running for the duration of the block."""
    server = ReplayServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def stored(name: str) -> dict:
    return json.loads((DATA / name).read_text())
