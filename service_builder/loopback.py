"""HTTP servers on 127.0.0.1, each in a daemon thread: the development stand-ins (`make run`)
and the tests' and benches' stand-ins for third-party APIs all start the same way."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    """A connection kept alive must not keep the process (a test run) from exiting."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def start(handler: type[BaseHTTPRequestHandler], port: int = 0) -> LoopbackServer:
    """Serve on 127.0.0.1 (an ephemeral port unless given) until the process ends."""
    server = LoopbackServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler], port: int = 0) -> Iterator[LoopbackServer]:
    """Serve for the length of the block, then stop and free the port."""
    server = start(handler, port)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
