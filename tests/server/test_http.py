"""HTTP/1.1 framing (server/http.py) in memory, on a mock clock: timeouts and connection states.

Every test runs under `trio.run` with `MockClock(autojump_threshold=0)`: whenever all tasks are
blocked the clock jumps to the next deadline, so a 75 s idle timeout costs microseconds and the
moment a timeout fires can be asserted exactly.  The connection is a `memory_stream_pair()`; the
client side writes raw request bytes and reads the raw response bytes.  h11 is the real one.
A test that deadlocks fails (trio.TooSlowError after a long virtual time) instead of hanging.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import trio
import trio.testing

from cairn.server.http import (
    BODY_TIMEOUT,
    COALESCE_LIMIT,
    DRAIN_LIMIT,
    HEAD_TIMEOUT,
    IDLE_TIMEOUT,
    MAX_HEAD_BYTES,
    BadRequest,
    ClientGone,
    HTTPConnection,
    Request,
)

DEADLOCK = 10_000.0  # virtual seconds: longer than any timeout under test


def trio_test(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async test under trio.run with an autojumping mock clock (no pytest-trio here)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        async def main() -> None:
            with trio.fail_after(DEADLOCK):
                await fn(*args, **kwargs)

        trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))

    return wrapper


class Recorder(trio.abc.Stream):
    """The server's side of the connection, recording every send_all (to count syscalls)."""

    def __init__(self, inner: trio.abc.Stream) -> None:
        self.inner = inner
        self.sends: list[bytes] = []
        self.send_objects: list[object] = []

    async def send_all(self, data: bytes | bytearray | memoryview) -> None:
        self.send_objects.append(data)
        self.sends.append(bytes(data))
        await self.inner.send_all(data)

    async def wait_send_all_might_not_block(self) -> None:
        await self.inner.wait_send_all_might_not_block()

    async def receive_some(self, max_bytes: int | None = None) -> bytes | bytearray:
        return await self.inner.receive_some(max_bytes)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Reply:
    status: int
    reason: str
    headers: list[tuple[str, str]]  # lowercase names
    body: bytes
    raw: bytes  # the exact bytes of this response, head and body

    def header(self, name: str) -> str | None:
        values = [v for n, v in self.headers if n == name]
        assert len(values) <= 1, self.headers
        return values[0] if values else None


class Client:
    """The client's side: raw bytes out, responses parsed by hand (so the bytes are what we check)."""

    def __init__(self, stream: trio.StapledStream[Any, Any]) -> None:
        self.stream = stream
        self.buf = b""

    async def send(self, data: bytes) -> None:
        await self.stream.send_all(data)

    async def dribble(self, data: bytes, every: float) -> None:
        """Send `data` one byte at a time, `every` seconds apart (the first byte right away)."""
        for i in range(len(data)):
            if i:
                await trio.sleep(every)
            await self.send(data[i:i + 1])

    async def send_eof(self) -> None:
        await self.stream.send_eof()

    async def _fill(self) -> bool:
        data = await self.stream.receive_some()
        self.buf += data
        return bool(data)

    async def reply(self, head: bool = False) -> Reply:
        """The next response off the connection (a 100 Continue is a response of its own here)."""
        while b"\r\n\r\n" not in self.buf:
            assert await self._fill(), f"connection closed inside a response head: {self.buf!r}"
        raw_head, rest = self.buf.split(b"\r\n\r\n", 1)
        lines = raw_head.decode("latin-1").split("\r\n")
        version, status, reason = lines[0].split(" ", 2)
        assert version == "HTTP/1.1", lines[0]
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip().lower(), value.strip()))
        code = int(status)
        lengths = [v for n, v in headers if n == "content-length"]
        if head or code < 200 or code in (204, 304):
            size = 0
        else:
            assert len(lengths) == 1, f"a response must be framed by one Content-Length: {headers}"
            size = int(lengths[0])
        while len(rest) < size:
            assert await self._fill(), "response body cut short"
            rest = self.buf.split(b"\r\n\r\n", 1)[1]
        total = len(raw_head) + 4 + size
        raw, self.buf = self.buf[:total], self.buf[total:]
        return Reply(code, reason, headers, raw[len(raw_head) + 4:], raw)

    async def nothing_more(self, wait: float = 1.0) -> bool:
        """True if no byte arrives within `wait` (virtual) seconds and none is buffered."""
        with trio.move_on_after(wait):
            await self._fill()
        return self.buf == b""

    async def at_eof(self) -> bool:
        """True if the server closed its side (and sent nothing further before it)."""
        with trio.move_on_after(1):
            return not await self._fill() and self.buf == b""
        return False


def connect() -> tuple[Client, HTTPConnection, Recorder]:
    client_side, server_side = trio.testing.memory_stream_pair()
    recorder = Recorder(server_side)
    return Client(client_side), HTTPConnection(recorder), recorder


def request(method: str = "GET", target: str = "/", headers: list[tuple[str, str]] | None = None,
            body: bytes = b"", version: str = "1.1") -> bytes:
    """Raw request bytes; headers are sent exactly as given (no Content-Length is added)."""
    lines = [f"{method} {target} HTTP/{version}", "Host: test", *(f"{n}: {v}" for n, v in headers or [])]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def put(target: str, body: bytes, **more: str) -> bytes:
    extra = [(k.replace("_", "-"), v) for k, v in more.items()]
    return request("PUT", target, [("Content-Length", str(len(body))), *extra], body)


async def read_body(conn: HTTPConnection) -> bytes:
    return b"".join([piece async for piece in conn.body()])


async def expect_request(conn: HTTPConnection, method: str, path: str) -> Request:
    req = await conn.next_request()
    assert req is not None, "connection ended instead of delivering a request"
    assert (req.method, req.path) == (method, path)
    return req


# --------------------------------------------------------------------------- idle keep-alive


@trio_test
async def test_kept_alive_connection_ends_at_idle_timeout_not_before() -> None:
    client, conn, _ = connect()
    await client.send(request("GET", "/a"))
    await expect_request(conn, "GET", "/a")
    await conn.send(200, [], b"one")
    assert conn.reusable
    reply = await client.reply()
    assert (reply.status, reply.body) == (200, b"one")

    ended: list[tuple[Request | None, float]] = []

    async def wait_for_next() -> None:
        ended.append((await conn.next_request(), trio.current_time()))
        await conn.close()

    start = trio.current_time()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(wait_for_next)
        await trio.sleep(IDLE_TIMEOUT - 1)
        assert ended == [], "the idle connection was dropped before IDLE_TIMEOUT"
        await trio.sleep(2)
        assert len(ended) == 1
    request_or_none, when = ended[0]
    assert request_or_none is None
    assert when == pytest.approx(start + IDLE_TIMEOUT)
    assert await client.at_eof()


@trio_test
async def test_fresh_connection_without_a_request_ends_at_idle_timeout() -> None:
    client, conn, recorder = connect()
    start = trio.current_time()
    assert await conn.next_request() is None
    assert trio.current_time() == pytest.approx(start + IDLE_TIMEOUT)
    await conn.close()
    assert await client.at_eof()
    assert recorder.sends == []  # nothing is said to a client that never asked


@trio_test
async def test_request_just_before_idle_timeout_is_served() -> None:
    client, conn, _ = connect()
    await client.send(request("GET", "/a"))
    await expect_request(conn, "GET", "/a")
    await conn.send(200, [], b"one")
    await client.reply()

    async def late_client() -> None:
        await trio.sleep(IDLE_TIMEOUT - 1)
        await client.send(request("GET", "/b"))

    start = trio.current_time()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(late_client)
        await expect_request(conn, "GET", "/b")
        assert trio.current_time() == pytest.approx(start + IDLE_TIMEOUT - 1)
    await conn.send(200, [], b"two")
    assert (await client.reply()).body == b"two"
    assert conn.reusable


# --------------------------------------------------------------------------- body timeouts


@trio_test
async def test_stalled_body_raises_client_gone_at_body_timeout() -> None:
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Content-Length", "10")], b"abc"))
    await expect_request(conn, "PUT", "/k")
    start = trio.current_time()
    pieces: list[tuple[bytes, float]] = []
    with pytest.raises(ClientGone):
        async for piece in conn.body():
            pieces.append((piece, trio.current_time()))
    assert pieces == [(b"abc", start)]
    assert trio.current_time() == pytest.approx(start + BODY_TIMEOUT)


@trio_test
async def test_body_trickling_just_inside_body_timeout_is_not_cut() -> None:
    client, conn, _ = connect()
    body = b"abcde"
    every = BODY_TIMEOUT - 1
    await client.send(request("PUT", "/k", [("Content-Length", str(len(body)))]))
    await expect_request(conn, "PUT", "/k")
    start = trio.current_time()
    pieces: list[tuple[bytes, float]] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(client.dribble, body, every)
        async for piece in conn.body():
            pieces.append((piece, trio.current_time() - start))
    assert [p for p, _ in pieces] == [b"a", b"b", b"c", b"d", b"e"]
    assert [t for _, t in pieces] == pytest.approx([i * every for i in range(5)])
    await conn.send(200, [], b"stored")
    assert (await client.reply()).status == 200
    assert conn.reusable


@trio_test
async def test_body_ending_early_raises_client_gone_at_once() -> None:
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Content-Length", "10")], b"abcd"))
    await client.send_eof()
    await expect_request(conn, "PUT", "/k")
    start = trio.current_time()
    got: list[bytes] = []
    with pytest.raises(ClientGone):
        async for piece in conn.body():
            got.append(piece)
    assert got == [b"abcd"]
    assert trio.current_time() == start  # noticed the close, did not wait for a timeout


# --------------------------------------------------------------------------- slow head (slowloris)


def padded_head(size: int) -> bytes:
    head = request("GET", "/slow", [("X-Pad", "")])
    return head[:-4] + b"p" * (size - len(head)) + b"\r\n\r\n"


@trio_test
async def test_head_dribbled_past_head_timeout_is_dropped() -> None:
    """A byte a second keeps each receive far inside IDLE_TIMEOUT; the whole head still has to
    arrive within HEAD_TIMEOUT of its first byte, or the connection is dropped without an answer."""
    client, conn, recorder = connect()
    head = padded_head(int(HEAD_TIMEOUT) * 3)
    result: list[Request | None] = []

    async def serve() -> None:
        result.append(await conn.next_request())
        await conn.close()

    async with trio.open_nursery() as nursery:
        nursery.start_soon(serve)
        await trio.sleep(IDLE_TIMEOUT - 1)  # an idle wait before the first byte does not count
        first_byte = trio.current_time()
        with pytest.raises(trio.BrokenResourceError):  # the server closed while we dribbled
            await client.dribble(head, every=1.0)
    assert result == [None]
    assert trio.current_time() == pytest.approx(first_byte + HEAD_TIMEOUT)
    assert recorder.sends == []
    assert await client.at_eof()


@trio_test
async def test_head_dribbled_within_head_timeout_is_served() -> None:
    client, conn, _ = connect()
    head = padded_head(100)
    every = (HEAD_TIMEOUT - 1) / (len(head) - 1)  # the last byte arrives a second before the deadline
    async with trio.open_nursery() as nursery:
        nursery.start_soon(client.dribble, head, every)
        start = trio.current_time()
        await expect_request(conn, "GET", "/slow")
        assert trio.current_time() == pytest.approx(start + HEAD_TIMEOUT - 1)
    await conn.send(200, [], b"ok")
    assert (await client.reply()).body == b"ok"
    assert conn.reusable


@trio_test
async def test_head_deadline_restarts_for_each_request() -> None:
    """Two heads, each taking most of HEAD_TIMEOUT, on one connection: both are served."""
    client, conn, _ = connect()
    head = padded_head(50)
    every = (HEAD_TIMEOUT - 2) / (len(head) - 1)
    for _ in range(2):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(client.dribble, head, every)
            await expect_request(conn, "GET", "/slow")
        await conn.send(200, [], b"ok")
        assert (await client.reply()).body == b"ok"
        assert conn.reusable


@trio_test
async def test_partial_pipelined_head_is_timed_from_when_it_is_wanted() -> None:
    """Half a head already buffered behind a pipelined request: its deadline starts when the
    server turns to it, and dribbling the rest cannot stretch it."""
    client, conn, _ = connect()
    second = padded_head(int(HEAD_TIMEOUT) * 3)
    half = len(second) // 2
    await client.send(request("GET", "/first") + second[:half])
    await expect_request(conn, "GET", "/first")
    await conn.send(200, [], b"first")
    assert (await client.reply()).body == b"first"
    result: list[Request | None] = []

    async def serve() -> None:
        result.append(await conn.next_request())
        await conn.close()

    start = trio.current_time()
    async with trio.open_nursery() as nursery:
        nursery.start_soon(serve)
        with pytest.raises(trio.BrokenResourceError):
            await client.dribble(second[half:], every=1.0)
    assert result == [None]
    assert trio.current_time() == pytest.approx(start + HEAD_TIMEOUT)


# --------------------------------------------------------------------------- keep-alive, pipelining


@trio_test
async def test_two_requests_on_one_connection() -> None:
    client, conn, _ = connect()
    for path, answer in (("/a", b"first"), ("/b", b"second")):
        await client.send(request("GET", path))
        await expect_request(conn, "GET", path)
        await conn.send(200, [("Content-Type", "text/plain")], answer)
        reply = await client.reply()
        assert (reply.status, reply.body) == (200, answer)
        assert reply.header("connection") is None
        assert reply.header("content-length") == str(len(answer))
        assert conn.reusable and not conn.must_close


@pytest.mark.parametrize("raw", [
    request("GET", "/x", version="1.0"),
    request("GET", "/x", [("Connection", "close")]),
], ids=["http10", "connection-close"])
@trio_test
async def test_response_that_closes_is_not_reusable(raw: bytes) -> None:
    client, conn, _ = connect()
    await client.send(raw)
    await expect_request(conn, "GET", "/x")
    await conn.send(200, [], b"bye")
    reply = await client.reply()
    assert (reply.status, reply.body) == (200, b"bye")
    assert reply.header("connection") == "close"
    assert not conn.reusable
    assert await conn.next_request() is None


@trio_test
async def test_pipelined_requests_are_served_in_order() -> None:
    client, conn, recorder = connect()
    await client.send(put("/a", b"hello") + request("GET", "/b") + request("GET", "/c"))
    req = await expect_request(conn, "PUT", "/a")
    assert req.content_length == 5
    assert await read_body(conn) == b"hello"
    await conn.send(200, [], b"stored a")
    for path in ("/b", "/c"):
        await expect_request(conn, "GET", path)
        await conn.send(200, [], f"got {path}".encode())
        assert conn.reusable
    assert [(await client.reply()).body for _ in range(3)] == [b"stored a", b"got /b", b"got /c"]
    assert len(recorder.sends) == 3  # one send per (small) response
    assert await client.nothing_more()


# --------------------------------------------------------------------------- Expect: 100-continue


@trio_test
async def test_100_continue_is_sent_when_the_body_is_first_read() -> None:
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Content-Length", "5"), ("Expect", "100-continue")]))
    await expect_request(conn, "PUT", "/k")
    assert await client.nothing_more(), "100 Continue sent before the handler asked for the body"

    async def well_behaved_client() -> None:
        interim = await client.reply()
        assert interim.status == 100 and interim.headers == [] and interim.body == b""
        await client.send(b"hello")

    async with trio.open_nursery() as nursery:
        nursery.start_soon(well_behaved_client)
        assert await read_body(conn) == b"hello"
    await conn.send(200, [], b"stored")
    reply = await client.reply()
    assert (reply.status, reply.header("connection")) == (200, None)
    assert conn.reusable


@trio_test
async def test_100_continue_refused_without_reading_closes() -> None:
    client, conn, recorder = connect()
    await client.send(request("PUT", "/k", [("Content-Length", "5"), ("Expect", "100-continue")]))
    await expect_request(conn, "PUT", "/k")
    await conn.send(403, [], b"denied")
    reply = await client.reply()
    assert reply.raw.startswith(b"HTTP/1.1 403 Forbidden\r\n")  # no 100 in front of it
    assert (reply.body, reply.header("connection")) == (b"denied", "close")
    assert b"100 Continue" not in b"".join(recorder.sends)
    assert conn.must_close and not conn.reusable


# --------------------------------------------------------------------------- unread request bodies


@pytest.mark.parametrize("size", [100, DRAIN_LIMIT])
@trio_test
async def test_small_unread_body_is_drained_and_connection_kept(size: int) -> None:
    client, conn, _ = connect()
    await client.send(put("/k", b"b" * size) + request("GET", "/next"))
    await expect_request(conn, "PUT", "/k")
    await conn.send(403, [], b"denied")
    reply = await client.reply()
    assert (reply.status, reply.header("connection")) == (403, None)
    assert conn.reusable and not conn.must_close
    await expect_request(conn, "GET", "/next")  # the body's bytes were not taken for a request


@trio_test
async def test_small_unread_body_arriving_after_the_response_is_drained() -> None:
    """The response goes out first (a client may wait for it before sending the body)."""
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Content-Length", "4")]))
    await expect_request(conn, "PUT", "/k")

    async def client_side() -> None:
        reply = await client.reply()
        assert (reply.status, reply.header("connection")) == (403, None)
        await trio.sleep(5)
        await client.send(b"late" + request("GET", "/next"))

    async with trio.open_nursery() as nursery:
        nursery.start_soon(client_side)
        await conn.send(403, [], b"denied")
    assert conn.reusable
    await expect_request(conn, "GET", "/next")


@pytest.mark.parametrize("raw", [
    request("PUT", "/k", [("Content-Length", str(DRAIN_LIMIT + 1))], b"x" * 1000),
    request("PUT", "/k", [("Transfer-Encoding", "chunked")], b"3\r\nabc\r\n"),
], ids=["over-drain-limit", "chunked"])
@trio_test
async def test_large_or_unsized_unread_body_closes(raw: bytes) -> None:
    client, conn, _ = connect()
    await client.send(raw)
    await expect_request(conn, "PUT", "/k")
    start = trio.current_time()
    await conn.send(403, [], b"denied")
    assert trio.current_time() == start  # no waiting for a body nobody wants
    reply = await client.reply()
    assert (reply.status, reply.body, reply.header("connection")) == (403, b"denied", "close")
    assert conn.must_close and not conn.reusable
    assert await conn.next_request() is None


# --------------------------------------------------------------------------- response framing


@trio_test
async def test_204_and_304_carry_no_content_length() -> None:
    client, conn, _ = connect()
    await client.send(request("DELETE", "/k") + request("GET", "/k", [("If-None-Match", '"e"')])
                      + request("GET", "/after"))
    await expect_request(conn, "DELETE", "/k")
    await conn.send(204, [("Content-Length", "0")])
    await expect_request(conn, "GET", "/k")
    await conn.send(304, [("ETag", '"e"'), ("Content-Length", "1234")], b"ignored")
    await expect_request(conn, "GET", "/after")
    await conn.send(200, [], b"after")
    no_content, not_modified, after = [await client.reply() for _ in range(3)]
    assert no_content.raw == b"HTTP/1.1 204 No Content\r\n\r\n"
    assert not_modified.raw == b'HTTP/1.1 304 Not Modified\r\nETag: "e"\r\n\r\n'
    assert after.body == b"after"  # so nothing stray followed the bodiless responses
    assert conn.reusable


@trio_test
async def test_head_sends_the_get_content_length_and_no_body() -> None:
    client, conn, _ = connect()
    body = b"hello world"
    await client.send(request("GET", "/k") + request("HEAD", "/k") + request("HEAD", "/k")
                      + request("GET", "/after"))
    await expect_request(conn, "GET", "/k")
    await conn.send(200, [("ETag", '"e"')], body)
    await expect_request(conn, "HEAD", "/k")
    await conn.send(200, [("ETag", '"e"')], body, head_only=True)  # Content-Length from the body
    await expect_request(conn, "HEAD", "/k")
    await conn.send(200, [("ETag", '"e"'), ("Content-Length", "11")], head_only=True)
    await expect_request(conn, "GET", "/after")
    await conn.send(200, [], b"after")
    get = await client.reply()
    heads = [await client.reply(head=True) for _ in range(2)]
    assert (get.body, get.header("content-length")) == (body, "11")
    for head in heads:
        assert head.raw == get.raw[:-len(body)]  # the same head, nothing after it
    assert (await client.reply()).body == b"after"
    assert conn.reusable


# --------------------------------------------------------------------------- malformed requests


async def bad_request(raw: bytes, in_pieces: int = 0) -> BadRequest:
    client, conn, _ = connect()
    step = -(-len(raw) // max(in_pieces, 1))

    async def send_in_pieces() -> None:
        for i in range(0, len(raw), step):
            await client.send(raw[i:i + step])
            await trio.sleep(0.1)  # each piece its own receive

    caught: list[BadRequest] = []
    async with trio.open_nursery() as nursery:
        nursery.start_soon(send_in_pieces)
        try:
            req = await conn.next_request()
        except BadRequest as exc:
            caught.append(exc)
        else:
            pytest.fail(f"not refused: {req}")
    # what the app does next: answer and close; h11 still lets the answer out
    conn.must_close = True
    await conn.send(caught[0].status, [], b"bad")
    reply = await client.reply()
    assert (reply.status, reply.header("connection")) == (caught[0].status, "close")
    assert not conn.reusable
    return caught[0]


@trio_test
async def test_transfer_encoding_with_content_length_is_bad_request() -> None:
    raw = request("PUT", "/k", [("Transfer-Encoding", "chunked"), ("Content-Length", "5")],
                  b"5\r\nhello\r\n0\r\n\r\n")
    exc = await bad_request(raw)
    assert exc.status == 400 and "Transfer-Encoding" in str(exc)


@trio_test
async def test_oversized_head_in_one_piece_is_431() -> None:
    raw = request("GET", "/", [("X-Huge", "a" * (MAX_HEAD_BYTES + 1))])
    assert len(raw) < 256 << 10  # one receive takes it whole: h11's incomplete-event bound never trips
    assert (await bad_request(raw)).status == 431


@trio_test
async def test_oversized_head_in_pieces_is_431() -> None:
    raw = request("GET", "/", [(f"X-Filler-{i}", "a" * 1000) for i in range(100)])
    assert (await bad_request(raw, in_pieces=20)).status == 431


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET / FOO/1.1\r\n\r\n", b"GET  /  HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 100 + b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nno colon here\r\n\r\n", b"GET /\xff HTTP/1.1\r\nHost: x\r\n\r\n",
], ids=lambda raw: repr(raw[:12]))
@trio_test
async def test_garbage_request_is_bad_request(raw: bytes) -> None:
    assert (await bad_request(raw)).status == 400


# --------------------------------------------------------------------------- coalescing sends


@pytest.mark.parametrize(("size", "sends"), [(0, 1), (5, 1), (COALESCE_LIMIT, 1), (COALESCE_LIMIT + 1, 2)])
@trio_test
async def test_small_response_goes_out_in_one_send(size: int, sends: int) -> None:
    client, conn, recorder = connect()
    body = b"x" * size
    await client.send(request("GET", "/k"))
    await expect_request(conn, "GET", "/k")
    await conn.send(200, [("ETag", '"e"')], body)
    reply = await client.reply()
    assert reply.body == body
    assert len(recorder.sends) == sends
    if sends == 1:
        assert recorder.sends == [reply.raw]
    else:  # the big body goes out by itself, not copied into a join with the head
        assert recorder.sends == [reply.raw[:-size], body]
        assert recorder.send_objects[1] is body


@trio_test
async def test_streamed_response_head_rides_with_the_first_piece() -> None:
    client, conn, recorder = connect()
    await client.send(request("GET", "/k"))
    await expect_request(conn, "GET", "/k")
    await conn.start(200, [("Content-Length", "6")])
    assert recorder.sends == []  # the head waits for the body
    await conn.write(b"abc")
    await conn.write(b"")  # nothing to send: no empty send either
    await conn.write(bytearray(b"def"))
    await conn.finish()
    reply = await client.reply()
    assert reply.body == b"abcdef"
    assert recorder.sends == [reply.raw[:-3], b"def"]
    assert conn.reusable


# --------------------------------------------------------------------------- chunked request bodies


@trio_test
async def test_chunked_request_body_is_delivered() -> None:
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Transfer-Encoding", "chunked")]))
    req = await expect_request(conn, "PUT", "/k")
    assert req.content_length is None
    wire = b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n" + request("GET", "/next")

    async def send_in_pieces() -> None:
        for i in range(0, len(wire), 7):
            await client.send(wire[i:i + 7])
            await trio.sleep(1)

    async with trio.open_nursery() as nursery:
        nursery.start_soon(send_in_pieces)
        assert await read_body(conn) == b"hello world"
    await conn.send(200, [], b"stored")
    assert (await client.reply()).header("connection") is None
    assert conn.reusable
    await expect_request(conn, "GET", "/next")


@trio_test
async def test_chunked_body_with_bad_chunk_size_is_bad_request() -> None:
    client, conn, _ = connect()
    await client.send(request("PUT", "/k", [("Transfer-Encoding", "chunked")], b"zz\r\nhello\r\n"))
    await expect_request(conn, "PUT", "/k")
    with pytest.raises(BadRequest):
        await read_body(conn)
