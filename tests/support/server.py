"""A real HTTP server on 127.0.0.1 for tests (never a mock of the client).

Routes are registered per test: each maps a path to a :class:`Route` saying
what to answer (status, headers, body, delay, gzip, ETag/Last-Modified
handling). Every request is recorded so tests can assert what the client did
(conditional headers, retries, User-Agent).
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/rss+xml; charset=utf-8"
    delay: float = 0.0
    gzip: bool = False
    etag: str | None = None
    last_modified: str | None = None
    redirect_to: str | None = None
    hang: bool = False
    """Send headers, then stall without finishing the body."""
    handler: Callable[[BaseHTTPRequestHandler], Route | None] | None = None
    """Compute the answer per request (e.g. fail the first N attempts)."""


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    time: float


class FeedServer:
    """Start with ``with FeedServer() as srv:``; ``srv.url('/x')`` gives the address."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.requests.append(
                        Request(self.path, {k.lower(): v for k, v in self.headers.items()},
                                time.monotonic()))
                route = server.routes.get(self.path.split("?")[0]) or server.routes.get(self.path)
                if route is not None and route.handler is not None:
                    route = route.handler(self) or route
                if route is None:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.redirect_to is not None:
                    self._send(route.status if 300 <= route.status < 400 else 302, b"",
                               {"Location": route.redirect_to})
                    return
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (route.etag and inm == route.etag) or (
                    route.last_modified and ims == route.last_modified and not route.etag
                ):
                    self._send(304, b"", {"ETag": route.etag or ""} if route.etag else {})
                    return
                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                headers = {"Content-Type": route.content_type, **route.headers}
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.gzip:
                    body = body if route.headers.get("Content-Encoding") else gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                if route.hang:
                    self.send_response(route.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body) + 1000))
                    self.end_headers()
                    self.wfile.write(body[:10])
                    self.wfile.flush()
                    time.sleep(60)
                    return
                self._send(route.status, body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        if v:
                            self.send_header(k, v)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                # Clients that hang up (timeouts under test) are expected, not errors.
                pass

        self.httpd = Server((host, port), Handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def add(self, path: str, route: Route | None = None, **kwargs: object) -> str:
        """Register ``path`` and return its full URL."""
        self.routes[path] = route or Route(**kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path.split("?")[0] == path]
