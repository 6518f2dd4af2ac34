"""The web console's port: the built single-page app as static files, and its /config.json.

Theory of operation
-------------------
The console (console/ in the repository: Preact + aws4fetch, built by Vite with `make console`
into console/dist) is a static page that signs every request itself, in the browser, with the
access key and secret the user signed in with, and sends it to the S3 and admin APIs on the S3
port.  So this port holds no session, no credentials and no proxy: it serves files, and the
console can never do more than the keys typed into it may.

The supervisor binds the console's socket beside the S3 one (serve.py) and every worker accepts
on both; `serve_console` runs one small loop per connection over the same HTTP framing as the
S3 API (http.py), wrapped in TLS when the S3 port is.  A request is answered by `ConsoleSite`:

- GET and HEAD only (405 otherwise).
- `/config.json`: the S3 endpoint the browser must talk to, computed per request from the Host
  the browser reached the console at (its host name, the S3 port, http or https), unless the
  operator set CAIRN_SERVER_URL (or MINIO_SERVER_URL) for a proxy in front; and the region.
- Any other path names a file under the built directory, or nothing: a path with a NUL, a
  backslash, or a `.` / `..` segment (after percent-decoding, so `%2e%2e` is caught too) is
  refused with 400, and the resolved file must still lie inside the directory (symlinks).  A
  path that names no file and has no extension in its last segment is a client-side route: it
  gets index.html; a missing file with an extension gets 404.
- Content-Type from a fixed table (text types in UTF-8); hashed assets under /assets/ are cached
  for a year as immutable, everything else is revalidated (ETag from size and mtime, 304 on
  If-None-Match).  Every answer carries nosniff, DENY framing, no-referrer and a Content
  Security Policy that allows scripts from this origin only (and WebAssembly: the Argon2id of the
  admin API's encrypted answers) and connections to the S3 endpoint.
- Not built (no index.html): every page path answers 503 with a short page that says to run
  `make console`, so the server runs the same with or without Node.

The page's requests to the S3 port are cross-origin: they pass by the server-wide CORS default
(--cors-allow-origin, `*` unless narrowed; cors.py), whose preflights also cover the admin API's
and the metrics' paths and CreateBucket (router.py, handlers/cors.py).  Console connections are
neither counted in the S3 metrics nor waited for at shutdown: they only ever read small files.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trio

from .http import BadRequest, HTTPConnection, Request, serve

log = logging.getLogger("cairn.console")
REPO_DIST = Path(__file__).resolve().parents[1] / "console" / "dist"
MAX_FILE = 32 << 20  # nothing the console ships comes near this
_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:\d{1,5})?")
TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".json": "application/json", ".map": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".ico": "image/x-icon", ".jpg": "image/jpeg", ".webp": "image/webp",
    ".woff2": "font/woff2", ".woff": "font/woff", ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8",
}
UNBUILT = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Cairn console: not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>Cairn console: not built</h1>
<p>This server runs, but the console's files have not been built.  In the repository, run</p>
<pre>make console</pre>
<p>(it installs the front-end toolchain from the npm registry into console/node_modules and builds
into console/dist), then reload this page; no restart is needed.</p>
</body></html>
"""


def console_dir() -> Path:
    """Where the built console is: CAIRN_CONSOLE_DIR, else the repository's console/dist."""
    return Path(os.environ.get("CAIRN_CONSOLE_DIR") or REPO_DIST)


def safe_parts(path: str) -> list[str] | None:
    """The path's segments when it may name a file under the root; None when it must be refused
    (not absolute, a NUL or backslash, a `.` or `..` segment).  Empty segments are dropped."""
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    return parts


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class ConsoleSite:
    """What the console port answers (see the module docstring)."""

    def __init__(self, root: Path, api_port: int, tls: bool, region: str,
                 server_url: str | None = None) -> None:
        self.root = root
        self.api_port = api_port
        self.scheme = "https" if tls else "http"
        self.region = region
        self.server_url = (server_url or os.environ.get("CAIRN_SERVER_URL")
                           or os.environ.get("MINIO_SERVER_URL") or "").rstrip("/") or None

    def endpoint(self, host_header: str | None) -> str:
        """The S3 API's URL for a browser that reached the console at `host_header`."""
        if self.server_url:
            return self.server_url
        match = _HOST.fullmatch(host_header or "")
        host = match.group(1) if match else "127.0.0.1"
        return f"{self.scheme}://{host}:{self.api_port}"

    def security_headers(self, endpoint: str) -> list[tuple[str, str]]:
        policy = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
                  "style-src 'self' 'unsafe-inline'; "
                  f"img-src 'self' data: blob:; connect-src 'self' {endpoint}; frame-ancestors 'none'; "
                  "base-uri 'none'; form-action 'none'")
        return [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                ("Referrer-Policy", "no-referrer"), ("Content-Security-Policy", policy)]

    def answer(self, req: Request) -> Answer:
        """The answer to one request (reads files: run it in a thread)."""
        endpoint = self.endpoint(req.header("host"))
        common = self.security_headers(endpoint)
        if req.method not in ("GET", "HEAD"):
            return Answer(405, [*common, ("Allow", "GET, HEAD"), ("Content-Type", TYPES[".txt"])],
                          b"method not allowed\n")
        if req.path == "/config.json":
            body = json.dumps({"endpoint": endpoint, "region": self.region}).encode()
            headers = [*common, ("Content-Type", TYPES[".json"]), ("Cache-Control", "no-store")]
            return Answer(200, headers, body)
        parts = safe_parts(req.path)
        if parts is None:
            return Answer(400, [*common, ("Content-Type", TYPES[".txt"])], b"bad path\n")
        root = self.root.resolve()
        index = root / "index.html"
        if not index.is_file():
            return Answer(503, [*common, ("Content-Type", TYPES[".html"]), ("Cache-Control", "no-store")],
                          UNBUILT)
        target = root.joinpath(*parts) if parts else index
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            if parts and "." in parts[-1]:
                return Answer(404, [*common, ("Content-Type", TYPES[".txt"])], b"not found\n")
            target = index  # a client-side route
        target = target.resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return Answer(404, [*common, ("Content-Type", TYPES[".txt"])], b"not found\n")
        stat = target.stat()
        if stat.st_size > MAX_FILE:
            return Answer(404, [*common, ("Content-Type", TYPES[".txt"])], b"not found\n")
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        immutable = parts[:1] == ["assets"] and target != index
        headers = [*common, ("Content-Type", TYPES.get(target.suffix.lower(), "application/octet-stream")),
                   ("ETag", etag),
                   ("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")]
        if etag in (req.header("if-none-match") or "").replace(" ", "").split(","):
            return Answer(304, headers, b"")
        return Answer(200, headers, target.read_bytes())

    async def serve_connection(self, stream: trio.abc.Stream) -> None:
        await serve(stream, self._respond, self._bad_request)

    @staticmethod
    async def _bad_request(conn: HTTPConnection, exc: BadRequest) -> None:
        await conn.send(exc.status, [("Content-Type", TYPES[".txt"])], b"bad request\n")

    async def _respond(self, conn: HTTPConnection, req: Request) -> None:
        if not conn.body_done:  # GET and HEAD carry none; anything else is not read
            conn.must_close = True
        try:
            answer = await trio.to_thread.run_sync(self.answer, req)
        except OSError:
            log.exception("console: %s %s", req.method, req.path)
            answer = Answer(500, [("Content-Type", TYPES[".txt"])], b"internal error\n")
        await conn.send(answer.status, answer.headers, answer.body, head_only=req.method == "HEAD")


async def serve_console(sock: socket.socket, site: ConsoleSite,
                        wrap: Callable[[trio.SocketStream], trio.abc.Stream] | None = None) -> None:
    """Accept console connections on the inherited socket until cancelled; `wrap` (the TLS
    store's `wrap`) turns each into a TLS stream when the S3 port serves HTTPS."""
    listener = trio.SocketListener(trio.socket.from_stdlib_socket(sock))
    async with trio.open_nursery() as connections:
        while True:
            try:
                stream = await listener.accept()
            except OSError as exc:
                log.warning("console: accept failed: %s", exc)
                await trio.sleep(0.1)
                continue
            connections.start_soon(site.serve_connection, stream if wrap is None else wrap(stream))
