"""HTTP/1.1 framing: a small event interface over a trio stream, with h11 for what is unusual.

Theory of operation
-------------------
One HTTPConnection per accepted socket, served by `serve` (the keep-alive loop the S3 API and
the console port share).  `next_request()` returns the next request head (method, target,
headers) with the path and query already split and percent-decoded; `body()` then yields the
request body in pieces as they arrive (Expect: 100-continue is answered when the body is first
read, so a client that is refused never sends it).  A response is either
`send(status, headers, body_bytes)` or `start(status, headers)`, any number of `write(data)`,
`finish()`.  After a response the connection is reused if both sides allow it; a request body
left unread is drained when small, or the connection is closed.  Every wait is bounded:
IDLE_TIMEOUT for the next request to start, HEAD_TIMEOUT for all of its head to arrive,
BODY_TIMEOUT between bytes of a body.

Parsing.  Bytes are kept in `buf` as they arrive.  When a whole head is there and it is plain
(http_head.parse_head: HTTP/1.1, one Host, at most one plain Content-Length, no Transfer-
Encoding, no folded lines or bare LFs), it is parsed in a few C-level passes, and a Content-
Length body is then cut from `buf` and from each receive as it is (a receive that holds only
body bytes is yielded as it came, uncopied).  Anything else -- a chunked body, HTTP/1.0, a
malformed or hostile head, one too long -- goes to a fresh h11 connection fed the same bytes,
which parses that request and reads its body exactly as h11 did for every request before;
what follows the request goes back to `buf`.  So every error, status and smuggling refusal
is h11's, and tests/server/test_http_head.py holds the fast path to h11 differentially.

Responses.  The head is written by http_head.response_head in one string (h11's validation and
framing rules, h11's own error when a header is refused) and held back to go out with the
body's first piece in one send.  Content-Length is enforced as h11 enforced it (too much or too
little is ClientGone), an unsized response is chunked (close-delimited to an HTTP/1.0 client),
HEAD, 204 and 304 carry no body, and Connection: close ends the connection.  Nothing above
this module imports h11.
"""

from __future__ import annotations

import contextlib
import functools
import http
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_to_bytes

import h11
import trio

from . import http_head

READ_SIZE = 256 << 10
MAX_HEAD_BYTES = 64 << 10  # request line + headers
DRAIN_LIMIT = 1 << 20  # unread body bytes worth reading to keep a connection alive
COALESCE_LIMIT = 64 << 10  # pieces up to this size are joined into one send
IDLE_TIMEOUT = 75.0  # seconds a kept-alive connection may wait for its next request
HEAD_TIMEOUT = 30.0  # seconds from a request head's first byte to its last (slowloris)
BODY_TIMEOUT = 60.0  # seconds without a byte of body before giving up on the client
FAST_HEAD_PIECES = 4  # receives a head may take on the fast path before h11 gathers the rest
LINGER_SECONDS = 2.0  # how long a closing connection keeps reading an unwanted body
_PHRASES = {s.value: s.phrase for s in http.HTTPStatus}


class ClientGone(Exception):
    """The peer closed, timed out or sent something h11 could not frame."""


class BadRequest(Exception):
    """A request h11 (or we) could not parse: answer 400 (or `status`) and close."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def split_target(target: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(decoded path, raw path, decoded query pairs) of a request target."""
    raw_path, _, raw_query = target.partition("?")
    try:
        path = unquote_to_bytes(raw_path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("path is not valid UTF-8") from None
    query: list[tuple[str, str]] = []
    if raw_query:
        for part in raw_query.split("&"):
            if not part:
                continue
            name, _, value = part.partition("=")
            query.append((unquote(name.replace("+", "%20")), unquote(value.replace("+", "%20"))))
    return path, raw_path, query


@dataclass
class Request:
    method: str
    target: str
    path: str
    raw_path: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]  # lowercase names, in arrival order
    _lookup: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for name, value in self.headers:
            # Repeated headers fold into one, comma-separated (RFC 9110 5.3).
            self._lookup[name] = f"{self._lookup[name]},{value}" if name in self._lookup else value

    def header(self, name: str, default: str | None = None) -> str | None:
        return self._lookup.get(name, default)

    @property
    def header_map(self) -> dict[str, str]:
        return self._lookup

    @functools.cached_property
    def query_map(self) -> dict[str, str]:
        """Query parameters by name (the first value of a repeated one); built once per request."""
        out: dict[str, str] = {}
        for name, value in self.query:
            out.setdefault(name, value)
        return out

    @property
    def content_length(self) -> int | None:
        value = self._lookup.get("content-length")
        return int(value) if value is not None and value.isdigit() else None


async def serve(stream: trio.abc.Stream, handle: Callable[[HTTPConnection, Request], Awaitable[None]],
                bad_request: Callable[[HTTPConnection, BadRequest], Awaitable[None]]) -> None:
    """The keep-alive loop of one connection: each request to `handle`, a head that cannot be
    parsed to `bad_request` (the connection then closes), until the client or a response ends
    it; ClientGone from either ends it quietly.  The S3 API and the console port both run it."""
    conn = HTTPConnection(stream)
    try:
        while True:
            try:
                req = await conn.next_request()
            except BadRequest as exc:
                conn.must_close = True
                await bad_request(conn, exc)
                return
            if req is None:
                return
            await handle(conn, req)
            if not conn.reusable:
                return
    except ClientGone:
        return
    finally:
        await conn.close()


def peer_address(stream: trio.abc.Stream) -> str:
    """The client's IP address ("" when the stream is not a socket, as in tests)."""
    stream = getattr(stream, "transport_stream", stream)  # under TLS (trio.SSLStream)
    sock = getattr(stream, "socket", None)
    try:
        return str(sock.getpeername()[0]) if sock is not None else ""
    except (OSError, IndexError, TypeError):
        return ""


_CONTINUE = b"HTTP/1.1 100 \r\n\r\n"  # h11's bytes for InformationalResponse(100), no reason


class HTTPConnection:
    def __init__(self, stream: trio.abc.Stream) -> None:
        self.stream = stream
        self.buf = b""  # bytes received and not consumed yet (fast path)
        self.eof = False  # the peer has shut its side
        self.fallback: h11.Connection | None = None  # h11 parsing the current request, if it does
        self.body_done = True
        self.body_left = 0  # fast path: body bytes still to read
        self.request_length: int | None = None
        self.method: str | None = None  # of the current request
        self.http_version: str | None = None
        self.keep_alive = True  # both sides so far allow another request after this one
        self.waiting_100 = False  # the client waits for 100-continue before sending its body
        self.responding = False  # a response head went out
        self.response_done = False
        self.out_left: int | None = None  # body bytes the response head promised (None: unsized)
        self.out_chunked = False
        self.started = False  # a request was taken from this connection
        self.must_close = False
        self.held: list[bytes | bytearray | memoryview] = []  # small framed pieces waiting to go out together
        self.held_bytes = 0
        self.peer = peer_address(stream)
        self.received = 0  # bytes read from the socket, and sent to it (metrics: traffic)
        self.sent = 0
        self.request_start = 0  # `received` when the current request's head began

    async def _receive(self, timeout: float, deadline: float = math.inf) -> bytes:
        """The next bytes from the peer (b"" at its end of stream); ClientGone on timeout or error."""
        with trio.move_on_at(min(trio.current_time() + timeout, deadline)) as scope:
            try:
                data = await self.stream.receive_some(READ_SIZE)
            except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
                raise ClientGone("connection lost") from None
        if scope.cancelled_caught:
            raise ClientGone("timed out")
        self.received += len(data)
        return bytes(data) if not isinstance(data, bytes) else data

    async def _next_event(self, timeout: float, deadline: float = math.inf, head: bool = False) -> object:
        """The next event of the h11 parser this request fell back to; `timeout` bounds each wait
        for bytes.  For a request head (`head`) all of it must also arrive within HEAD_TIMEOUT of
        its first byte (`deadline`, set once part of it is here): otherwise a client dribbling a
        byte now and then would hold the connection for ever."""
        conn = self.fallback
        assert conn is not None
        while True:
            try:
                event = conn.next_event()
            except h11.RemoteProtocolError as exc:
                # 431 for a head that grew too long in pieces, as for one that came whole.
                raise BadRequest(str(exc), 431 if exc.error_status_hint == 431 else 400) from None
            if event is h11.NEED_DATA:
                if head and deadline == math.inf and conn.trailing_data[0]:
                    deadline = trio.current_time() + HEAD_TIMEOUT  # part of the head is here
                conn.receive_data(await self._receive(timeout, deadline))
                continue
            return event

    @property
    def reusable(self) -> bool:
        return (not self.must_close and self.keep_alive and self.response_done and self.body_done
                and self.fallback is None)

    async def next_request(self) -> Request | None:
        """The next request head, or None when the client is done with the connection.

        The head is parsed by http_head.parse_head when it is plain, by h11 otherwise (then h11
        also reads that request's body); the two agree (tests/server/test_http_head.py)."""
        if self.started and not self.reusable:
            return None
        self.started = True
        self.responding = self.response_done = False
        self.method = self.http_version = None
        self.out_left, self.out_chunked = None, False
        self.request_start = self.received
        deadline = math.inf
        pieces = 0
        try:
            while True:
                buf = self.buf
                if buf:
                    if deadline == math.inf:
                        deadline = trio.current_time() + HEAD_TIMEOUT  # part of the head is here
                    if buf[0] < 0x21:  # h11 refuses it at once (or skips a blank line): its call
                        break
                    end = http_head.head_end(buf)
                    if end >= 0:
                        head = http_head.parse_head(buf, end)
                        if head is None:
                            break
                        self.buf = buf[end:]
                        request = self._fast_request(head)
                        if not self.body_left:  # no body: done with it now (h11 also sent a
                            if self.waiting_100:  # 100 to a client that expected one)
                                self.waiting_100 = False
                                await self._send_all(_CONTINUE)
                            self.body_done = True
                        return request
                    if len(buf) > MAX_HEAD_BYTES or self.eof or pieces >= FAST_HEAD_PIECES:
                        break  # h11's 431, or its "peer unexpectedly closed", or a head in
                        # many small pieces: h11 gathers those without copying all each time
                elif self.eof:
                    return None
                data = await self._receive(IDLE_TIMEOUT, deadline)
                if data:
                    self.buf = buf + data
                    pieces += 1
                else:
                    self.eof = True
            return await self._h11_request(deadline)
        except ClientGone:
            return None

    def _fast_request(self, head: http_head.Head) -> Request:
        length = head.content_length
        request = self._request(head.method, head.target, head.headers, False)
        self.method, self.http_version = head.method, "1.1"
        self.keep_alive = head.keep_alive
        self.waiting_100 = head.expect_100
        self.request_length = length
        self.body_left = length or 0
        self.body_done = False
        return request

    @staticmethod
    def _request(method: str, target: str, headers: list[tuple[str, str]], framed: bool) -> Request:
        # h11 bounds a head that arrives in pieces; one that arrives whole is measured here.
        if len(target) + sum(len(n) + len(v) + 4 for n, v in headers) > MAX_HEAD_BYTES:
            raise BadRequest("request header fields too large", 431)
        if framed and any(n == "transfer-encoding" for n, _ in headers) and \
                any(n == "content-length" for n, _ in headers):
            # RFC 9112 6.1: ambiguous framing, the classic request-smuggling vector.
            raise BadRequest("both Transfer-Encoding and Content-Length")
        path, raw_path, query = split_target(target)
        return Request(method, target, path, raw_path, query, headers)

    async def _h11_request(self, deadline: float) -> Request | None:
        """The request h11 parses from what is buffered and what follows (ClientGone: none)."""
        conn = self.fallback = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        conn.receive_data(self.buf)
        self.buf = b""
        if self.eof:
            conn.receive_data(b"")
        event = await self._next_event(IDLE_TIMEOUT, deadline, head=True)
        if isinstance(event, h11.ConnectionClosed):
            self.fallback = None
            return None
        if not isinstance(event, h11.Request):
            raise BadRequest(f"unexpected {type(event).__name__}")
        target = event.target.decode("latin-1")
        headers = [(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in event.headers]
        request = self._request(event.method.decode("ascii"), target, headers, True)
        self.method, self.http_version = request.method, event.http_version.decode("ascii")
        # h11's reading of the head: Connection: close, or a client older than HTTP/1.1.
        self.keep_alive = self.http_version >= "1.1" and "close" not in http_head.comma_values(
            [v for n, v in headers if n == "connection"])
        self.waiting_100 = conn.they_are_waiting_for_100_continue
        self.request_length = request.content_length
        self.body_done = False
        if "transfer-encoding" not in request.header_map and not self.request_length:
            # No body (most GETs and HEADs): take h11's EndOfMessage now, so that answering
            # without reading "the body" does not cost the connection.
            async for _ in self.body():
                pass
        return request

    async def body(self) -> AsyncIterator[bytes]:
        """The request body as it arrives; raises ClientGone if it ends early."""
        if self.body_done:
            return
        if self.waiting_100:
            self.waiting_100 = False
            await self._flush()
            await self._send_all(_CONTINUE)
        if self.fallback is not None:
            async for piece in self._h11_body():
                yield piece
            return
        if not self.body_left:
            self.body_done = True
            return
        while True:
            piece = self.buf
            if not piece:
                if self.eof:
                    raise ClientGone("body ended early")
                piece = await self._receive(BODY_TIMEOUT)
                if not piece:
                    self.eof = True
                    raise ClientGone("body ended early")
            left = self.body_left
            if len(piece) > left:
                piece, self.buf = piece[:left], piece[left:]
            else:
                self.buf = b""
            left -= len(piece)
            self.body_left = left
            if not left:
                self.body_done = True
                yield piece
                return
            yield piece

    async def _h11_body(self) -> AsyncIterator[bytes]:
        conn = self.fallback
        assert conn is not None
        while True:
            try:
                event = await self._next_event(BODY_TIMEOUT)
            except BadRequest:
                if conn.trailing_data[1]:  # h11 reports a close mid-body as a protocol error
                    raise ClientGone("body ended early") from None
                raise
            if isinstance(event, h11.Data):
                yield event.data
            elif isinstance(event, h11.EndOfMessage):
                self.body_done = True
                # What follows the request is the next one's: back to the fast path's buffer.
                self.buf, self.eof = conn.trailing_data
                self.fallback = None
                if conn.their_state is not h11.DONE:
                    self.keep_alive = False
                return
            elif isinstance(event, h11.ConnectionClosed):
                raise ClientGone("body ended early")
            else:
                raise BadRequest(f"unexpected {type(event).__name__} in body")

    async def _drain(self) -> bool:
        """Read and drop the rest of an unread request body; False if it is too big to bother."""
        if self.body_done:
            return True
        seen = 0
        try:
            async for piece in self.body():
                seen += len(piece)
                if seen > DRAIN_LIMIT:
                    return False
        except (ClientGone, BadRequest):
            return False
        return True

    def _hold(self, piece: bytes | bytearray | memoryview) -> None:
        self.held.append(piece)
        self.held_bytes += len(piece)

    async def _flush(self) -> None:
        if self.held:
            data = self.held[0] if len(self.held) == 1 else b"".join(self.held)
            self.held, self.held_bytes = [], 0
            await self._send_all(data)

    async def _send_all(self, data: bytes | bytearray | memoryview) -> None:
        try:
            await self.stream.send_all(data)
        except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
            raise ClientGone("connection lost while sending") from None
        self.sent += len(data)

    async def start(self, status: int, headers: list[tuple[str, str]], reason: str = "") -> None:
        """Send a response head.  Sets Connection: close when the request body will not be read.

        The head is held back and goes out with the body's first piece (or the end of the
        response) in one send: a syscall is a large share of a small response's cost."""
        if self.responding:
            raise ClientGone("cannot send: a response already started")
        if not self.body_done:
            small = self.request_length is not None and self.request_length <= DRAIN_LIMIT
            if self.waiting_100 or not small:  # waiting: it will never send the body
                self.must_close = True
        if self.must_close and not any(n.lower() == "connection" for n, _ in headers):
            headers = [*headers, ("Connection", "close")]
        # A reason phrase always: botocore's Expect: 100-continue handling needs three fields.
        framing = http_head.response_head(status, headers, reason or _PHRASES.get(status, "Unknown"),
                                          self.method, self.http_version, self.keep_alive)
        self.responding = True
        self.waiting_100 = False
        self.keep_alive = framing.keep_alive
        self.out_left, self.out_chunked = framing.length, framing.chunked
        self._hold(framing.head)

    async def write(self, data: bytes | memoryview | bytearray) -> None:
        size = len(data)
        if not size:
            return
        if not self.responding or self.response_done:
            raise ClientGone("cannot send: no response is open")
        if self.out_chunked:
            self._hold(b"%x\r\n" % size)
        elif self.out_left is not None:
            self.out_left -= size
            if self.out_left < 0:
                raise ClientGone("cannot send: Too much data for declared Content-Length")
        if size <= COALESCE_LIMIT:
            self._hold(data)
        else:
            await self._flush()
            await self._send_all(data)
        if self.out_chunked:
            self._hold(b"\r\n")
        await self._flush()

    async def finish(self) -> None:
        if not self.responding or self.response_done:
            raise ClientGone("cannot send: no response is open")
        if self.out_chunked:
            self._hold(b"0\r\n\r\n")
        elif self.out_left:
            raise ClientGone("cannot send: Too little data for declared Content-Length")
        elif self.out_left is None:
            self.keep_alive = False  # close-delimited (an HTTP/1.0 client)
        self.response_done = True
        await self._flush()
        if not self.body_done and not self.must_close and not await self._drain():
            self.must_close = True

    async def send(self, status: int, headers: list[tuple[str, str]], body: bytes = b"",
                   head_only: bool = False) -> None:
        """A whole response.  For HEAD, pass the GET headers (Content-Length included) and head_only."""
        bodiless = status in (204, 304)  # RFC 9110: no Content-Length on these
        if bodiless:
            headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        elif not any(n.lower() == "content-length" for n, _ in headers):
            headers = [*headers, ("Content-Length", str(len(body)))]
        await self.start(status, headers)
        if not head_only and not bodiless:
            await self.write(body)
        await self.finish()

    async def close(self) -> None:
        """Close; a body left unread is read and dropped for a moment first (a "lingering
        close"), since closing a socket with unread input resets it and the client can lose
        the response it has not read yet."""
        with trio.move_on_after(LINGER_SECONDS):
            if not self.body_done and isinstance(self.stream, trio.SocketStream):
                with contextlib.suppress(trio.BrokenResourceError, trio.ClosedResourceError, OSError):
                    await self.stream.send_eof()
                    while await self.stream.receive_some(READ_SIZE):
                        pass
        with trio.move_on_after(1):
            await self.stream.aclose()
