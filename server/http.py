"""HTTP/1.1 framing: h11 behind a small event interface.

Theory of operation
-------------------
One HTTPConnection per accepted socket.  `next_request()` returns the next
request head (method, target, headers) with the path and query already
split and percent-decoded; `body()` then yields the request body in pieces
as they arrive (Expect: 100-continue is answered when the body is first
read, so a client that is refused never sends it).  A response is either
`send(status, headers, body_bytes)` or `start(status, headers)`, any number
of `write(data)`, `finish()`.  After a response the connection is reused if
both sides allow it; a request body left unread is drained when small, or
the connection is closed.  Every wait is bounded: IDLE_TIMEOUT for the next
request to start, HEAD_TIMEOUT for all of its head to arrive, BODY_TIMEOUT
between bytes of a body.  Nothing above this module imports h11, so a
faster parser can replace it without touching a handler.
"""

from __future__ import annotations

import contextlib
import functools
import http
import math
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import unquote, unquote_to_bytes

import h11
import trio

READ_SIZE = 256 << 10
MAX_HEAD_BYTES = 64 << 10  # request line + headers
DRAIN_LIMIT = 1 << 20  # unread body bytes worth reading to keep a connection alive
COALESCE_LIMIT = 64 << 10  # pieces up to this size are joined into one send
IDLE_TIMEOUT = 75.0  # seconds a kept-alive connection may wait for its next request
HEAD_TIMEOUT = 30.0  # seconds from a request head's first byte to its last (slowloris)
BODY_TIMEOUT = 60.0  # seconds without a byte of body before giving up on the client
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


def peer_address(stream: trio.abc.Stream) -> str:
    """The client's IP address ("" when the stream is not a socket, as in tests)."""
    stream = getattr(stream, "transport_stream", stream)  # under TLS (trio.SSLStream)
    sock = getattr(stream, "socket", None)
    try:
        return str(sock.getpeername()[0]) if sock is not None else ""
    except (OSError, IndexError, TypeError):
        return ""


class HTTPConnection:
    def __init__(self, stream: trio.abc.Stream) -> None:
        self.stream = stream
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.body_done = True
        self.request_length: int | None = None
        self.must_close = False
        self.held: list[bytes | memoryview] = []  # small framed pieces waiting to go out together
        self.held_bytes = 0
        self.peer = peer_address(stream)
        self.received = 0  # bytes read from the socket, and sent to it (metrics: traffic)
        self.sent = 0
        self.request_start = 0  # `received` when the current request's head began

    async def _receive(self, timeout: float, deadline: float = math.inf) -> None:
        with trio.move_on_at(min(trio.current_time() + timeout, deadline)) as scope:
            try:
                data = await self.stream.receive_some(READ_SIZE)
            except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
                raise ClientGone("connection lost") from None
        if scope.cancelled_caught:
            raise ClientGone("timed out")
        self.received += len(data)
        self.h11.receive_data(bytes(data) if isinstance(data, bytearray) else data)

    async def _next_event(self, timeout: float, head: bool = False) -> object:
        """The next h11 event; `timeout` bounds each wait for bytes.  For a request head (`head`)
        the whole of it must also arrive within HEAD_TIMEOUT of its first byte: otherwise a
        client dribbling a byte now and then would hold the connection for ever."""
        deadline = math.inf
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as exc:
                # 431 for a head that grew too long in pieces, as for one that came whole.
                raise BadRequest(str(exc), 431 if exc.error_status_hint == 431 else 400) from None
            if event is h11.NEED_DATA:
                if head and deadline == math.inf and self.h11.trailing_data[0]:
                    deadline = trio.current_time() + HEAD_TIMEOUT  # part of the head is here
                await self._receive(timeout, deadline)
                continue
            return event

    async def next_request(self) -> Request | None:
        """The next request head, or None when the client is done with the connection."""
        if self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE:
            try:
                self.h11.start_next_cycle()
            except h11.LocalProtocolError:
                return None
        if self.h11.their_state is not h11.IDLE:
            return None
        self.request_start = self.received
        try:
            event = await self._next_event(IDLE_TIMEOUT, head=True)
        except ClientGone:
            return None
        if isinstance(event, h11.ConnectionClosed):
            return None
        if not isinstance(event, h11.Request):
            raise BadRequest(f"unexpected {type(event).__name__}")
        target = event.target.decode("latin-1")
        headers = [(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in event.headers]
        # h11 bounds a head that arrives in pieces; one that arrives whole is measured here.
        if len(target) + sum(len(n) + len(v) + 4 for n, v in headers) > MAX_HEAD_BYTES:
            raise BadRequest("request header fields too large", 431)
        names = {n for n, _ in headers}
        if "transfer-encoding" in names and "content-length" in names:
            # RFC 9112 6.1: ambiguous framing, the classic request-smuggling vector.
            raise BadRequest("both Transfer-Encoding and Content-Length")
        path, raw_path, query = split_target(target)
        request = Request(event.method.decode("ascii"), target, path, raw_path, query, headers)
        self.request_length = request.content_length
        self.body_done = False
        if "transfer-encoding" not in names and not self.request_length:
            # No body (most GETs and HEADs): take h11's EndOfMessage now, so that answering
            # without reading "the body" does not cost the connection.
            async for _ in self.body():
                pass
        return request

    async def body(self) -> AsyncIterator[bytes]:
        """The request body as it arrives; raises ClientGone if it ends early."""
        if self.body_done:
            return
        if self.h11.they_are_waiting_for_100_continue:
            await self._send(h11.InformationalResponse(status_code=100, headers=[]))
        while True:
            try:
                event = await self._next_event(BODY_TIMEOUT)
            except BadRequest:
                if self.h11.trailing_data[1]:  # h11 reports a close mid-body as a protocol error
                    raise ClientGone("body ended early") from None
                raise
            if isinstance(event, h11.Data):
                yield event.data
            elif isinstance(event, h11.EndOfMessage):
                self.body_done = True
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

    async def _send(self, event: h11.Event, hold: bool = False) -> None:
        """Frame `event` and send it.  Small pieces are held back (hold=True for a response
        head) and go out with the next ones in a single send: a syscall is a large share of
        a small response's cost."""
        try:
            pieces = self.h11.send_with_data_passthrough(event)
        except h11.LocalProtocolError as exc:
            raise ClientGone(f"cannot send: {exc}") from None
        for piece in pieces or ():
            if len(piece) <= COALESCE_LIMIT:
                self.held.append(piece)
                self.held_bytes += len(piece)
            else:
                await self._flush()
                await self._send_all(piece)
        if not hold or self.held_bytes > COALESCE_LIMIT:
            await self._flush()

    async def _flush(self) -> None:
        if self.held:
            data = b"".join(self.held)
            self.held, self.held_bytes = [], 0
            await self._send_all(data)

    async def _send_all(self, data: bytes | memoryview) -> None:
        try:
            await self.stream.send_all(data)
        except (trio.BrokenResourceError, trio.ClosedResourceError, OSError):
            raise ClientGone("connection lost while sending") from None
        self.sent += len(data)

    async def start(self, status: int, headers: list[tuple[str, str]], reason: str = "") -> None:
        """Send a response head.  Sets Connection: close when the request body will not be read."""
        if not self.body_done:
            waiting = self.h11.they_are_waiting_for_100_continue  # it will never send the body
            small = self.request_length is not None and self.request_length <= DRAIN_LIMIT
            if waiting or not small:
                self.must_close = True
        if self.must_close and not any(n.lower() == "connection" for n, _ in headers):
            headers = [*headers, ("Connection", "close")]
        raw = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
        # A reason phrase always: botocore's Expect: 100-continue handling needs three fields.
        phrase = reason or _PHRASES.get(status, "Unknown")
        await self._send(h11.Response(status_code=status, headers=raw, reason=phrase.encode()), hold=True)

    async def write(self, data: bytes | memoryview | bytearray) -> None:
        if len(data):
            # h11 passes the buffer through untouched; its annotation says bytes only.
            await self._send(h11.Data(data=cast(bytes, data)))

    async def finish(self) -> None:
        await self._send(h11.EndOfMessage())
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

    @property
    def reusable(self) -> bool:
        return not self.must_close and self.h11.our_state is h11.DONE and self.h11.their_state is h11.DONE

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
