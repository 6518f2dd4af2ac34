"""The HTTP fast paths (server/http_head.py, server/http.py) against h11, differentially.

What h11 makes of a byte string is the reference: the request-head fast path must, for any bytes,
either decline (and h11 then parses them as before) or produce exactly h11's request (method,
target, headers, where the head ends, the Content-Length, Expect: 100-continue, keep-alive); the
response writer must write exactly h11's bytes or raise h11's error; and a whole connection fed
through HTTPConnection, in any split of its bytes, must deliver the same requests, bodies and
errors as the h11-only loop this module replaced (`reference`, kept below as the oracle).
Generated heads (hypothesis) mix plain and hostile shapes: folded lines, bare LFs, obs-text and
control bytes, duplicate or malformed Content-Length, Transfer-Encoding with Content-Length,
invalid tokens, other HTTP versions, over-long heads, pipelined requests.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Awaitable, Callable
from typing import Any

import h11
import pytest
import trio
import trio.testing
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cairn.server.http import MAX_HEAD_BYTES, BadRequest, ClientGone, HTTPConnection, split_target
from cairn.server.http_head import Head, head_end, parse_head, response_head


def trio_test(fn: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        async def main() -> None:
            with trio.fail_after(10_000):
                await fn(*args, **kwargs)

        trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))

    return wrapper


# --------------------------------------------------------------------------- the head, alone

def h11_head(raw: bytes) -> tuple[Any, ...] | str:
    """h11's reading of the request head at the start of `raw`: "error", "need", or its facts."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
    conn.receive_data(raw)
    try:
        event = conn.next_event()
    except h11.RemoteProtocolError:
        return "error"
    if event is h11.NEED_DATA:
        return "need"
    assert isinstance(event, h11.Request)
    headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers]
    lengths = [int(v) for n, v in headers if n == "content-length"]
    waiting = conn.they_are_waiting_for_100_continue
    consumed = len(raw) - len(conn.trailing_data[0])
    answer = conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")])) or b""
    return (event.method.decode("latin-1"), event.target.decode("latin-1"), headers,
            event.http_version.decode(), lengths[0] if lengths else None, waiting,
            b"Connection: close" not in answer, consumed)


def fast_head(raw: bytes) -> Head | None:
    end = head_end(raw)
    return None if end < 0 else parse_head(raw, end)


def assert_head_agrees(raw: bytes) -> Head | None:
    """parse_head declines `raw` or reads it as h11 does."""
    fast = fast_head(raw)
    if fast is None:
        return None
    ref = h11_head(raw)
    assert isinstance(ref, tuple), f"fast path accepted what h11 answers {ref!r}: {raw!r}"
    assert (fast.method, fast.target, fast.headers, "1.1", fast.content_length, fast.expect_100,
            fast.keep_alive, head_end(raw)) == ref, raw
    return fast


TOKENS = st.sampled_from(["GET", "PUT", "HEAD", "DELETE", "POST", "OPTIONS", "get", "M-SEARCH", "G\x00T",
                          "GE T", "", "G\xe9T", "(GET)"])
TARGETS = st.sampled_from(["/", "/b/k", "/b/k?x=1&y", "/%E2%82%AC", "/a b", "/\x7f", "/\xff", "*",
                           "http://h/x", "/\x01", "/" + "a" * 300, "/%ff"])
VERSIONS = st.sampled_from(["HTTP/1.1"] * 6 + ["HTTP/1.0", "HTTP/2.0", "HTTP/1.10", "http/1.1",
                                               "HTTP/1.1 ", "HTTP/11"])
NAMES = st.sampled_from(["Host", "host", "HOST", "Content-Length", "content-length", "Transfer-Encoding",
                         "Connection", "Expect", "X-Amz-Date", "Authorization", "x-amz-meta-a",
                         "Bad Name", "Bad:Name", "", "Näme", "X\x00", " Host", "Host ", "X\t"])
VALUES = st.one_of(
    st.sampled_from(["", "0", "5", "05", "12", "5, 5", "5,6", "-1", "+5", " 5", "5 ", "\xb2", "1" * 21,
                     "1" * 20, "chunked", "Chunked", "gzip, chunked", "identity", "close", "Close",
                     "keep-alive, close", "keep-alive", "\xa0close", "100-continue", "100-Continue",
                     "foo, 100-continue", "h", "test", "a b", "a\tb", "\ta", "a\t", "x\x01y", "x\x7fy",
                     "caf\xe9", "a\x0bb", "a\x0cb", "a\rb", "a\x00b"]),
    st.text(st.characters(min_codepoint=0, max_codepoint=255), max_size=12))
ENDINGS = st.sampled_from(["\r\n"] * 12 + ["\n", "\r", " \r\n", "\r\n "])


@st.composite
def heads(draw: st.DrawFn) -> bytes:
    line = f"{draw(TOKENS)} {draw(TARGETS)} {draw(VERSIONS)}"
    lines = [line]
    if draw(st.booleans()):
        lines.append("Host: h")
    for _ in range(draw(st.integers(0, 6))):
        sep = draw(st.sampled_from([": ", ":", ":  ", " : ", ":\t"]))
        lines.append(f"{draw(NAMES)}{sep}{draw(VALUES)}")
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from([" folded", "\tfolded", ""])))
    text = "".join(line + draw(ENDINGS) for line in lines)
    text += draw(st.sampled_from(["\r\n"] * 8 + ["\n", ""]))
    if draw(st.integers(0, 15)) == 0:
        text = draw(st.sampled_from(["\r\n", "\n", " "])) + text
    return text.encode("latin-1")


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heads(), st.binary(max_size=8))
def test_generated_heads_agree_with_h11(raw: bytes, tail: bytes) -> None:
    assert_head_agrees(raw + tail)


ACCEPTED = [  # what clients send: the fast path must take these (or it is no fast path)
    b"GET /bench/obj HTTP/1.1\r\nHost: 127.0.0.1:9000\r\nUser-Agent: MinIO (linux; amd64) minio-go/v7.0.66"
    b" warp/0.7.7\r\nAuthorization: AWS4-HMAC-SHA256 Credential=a/20261201/us-east-1/s3/aws4_request,"
    b" SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=abc\r\nX-Amz-Content-Sha256: "
    b"UNSIGNED-PAYLOAD\r\nX-Amz-Date: 20261201T000000Z\r\nAccept-Encoding: gzip\r\n\r\n",
    b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 4096\r\nExpect: 100-continue\r\n\r\n",
    b"HEAD /b/k HTTP/1.1\r\nhost:h\r\nconnection: close\r\n\r\n",
    b"DELETE /b/k?versionId=x HTTP/1.1\r\nHost: h\r\nx-amz-meta-a: caf\xe9 \t\r\nX-Empty:\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.1\r\n",  # pipelined
]
DECLINED = [  # shapes that h11 must judge (each is an error, or needs its handling)
    b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n",
    b"GET / HTTP/1.1\nHost: h\n\n",
    b"GET / HTTP/1.1\r\nHost: h\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: \xb2\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 123456789012345678901\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n",
    b"GET /a b HTTP/1.1\r\nHost: h\r\n\r\n",
    b"GET /\xff HTTP/1.1\r\nHost: h\r\n\r\n",
    b"\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
    b" GET / HTTP/1.1\r\nHost: h\r\n\r\n",
]


@pytest.mark.parametrize("raw", ACCEPTED, ids=lambda raw: repr(raw[:24]))
def test_client_heads_take_the_fast_path(raw: bytes) -> None:
    assert assert_head_agrees(raw) is not None


@pytest.mark.parametrize("raw", DECLINED, ids=lambda raw: repr(raw[:40]))
def test_unusual_heads_are_left_to_h11(raw: bytes) -> None:
    assert fast_head(raw) is None


def test_obs_text_and_blanks_read_as_h11_reads_them() -> None:
    head = assert_head_agrees(b"GET / HTTP/1.1\r\nHost:  h \t\r\nX-A:\tcaf\xe9\x01 x\r\n"
                              b"Connection: Keep-Alive, CLOSE\r\nExpect: 100-CONTINUE\r\n\r\n")
    assert head is not None
    assert head.headers == [("host", "h"), ("x-a", "caf\xe9\x01 x"), ("connection", "Keep-Alive, CLOSE"),
                            ("expect", "100-CONTINUE")]
    assert not head.keep_alive and head.expect_100


# --------------------------------------------------------------------------- the response head

def h11_response(status: int, headers: list[tuple[str, str]], method: str, version: str, close: bool
                 ) -> bytes | type[BaseException]:
    conn = h11.Connection(h11.SERVER)
    extra = b"Connection: close\r\n" if close else b""
    conn.receive_data(f"{method} / HTTP/{version}\r\nHost: h\r\n".encode() + extra + b"\r\n")
    conn.next_event()
    try:
        raw = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
        return conn.send(h11.Response(status_code=status, headers=raw, reason=b"R")) or b""
    except (h11.LocalProtocolError, UnicodeEncodeError) as exc:
        return type(exc)


def ours(status: int, headers: list[tuple[str, str]], method: str, version: str, close: bool
         ) -> bytes | type[BaseException]:
    try:
        return response_head(status, headers, "R", method, version, not close and version >= "1.1").head
    except (h11.LocalProtocolError, UnicodeEncodeError) as exc:
        return type(exc)


OUT_NAMES = st.sampled_from(["Content-Length", "content-length", "Transfer-Encoding", "Connection", "ETag",
                             "x-amz-meta-a", "Bad Name", "Bad:", "", "Nä", "Date"])
OUT_VALUES = st.one_of(VALUES, st.sampled_from(["10", "0", "chunked", "close", "keep-alive", "€", "a\nb"]))


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from([200, 204, 206, 304, 400, 404, 500]),
       st.lists(st.tuples(OUT_NAMES, OUT_VALUES), max_size=5),
       st.sampled_from(["GET", "HEAD", "PUT", "CONNECT"]), st.sampled_from(["1.1", "1.0"]), st.booleans())
def test_generated_response_heads_match_h11(status: int, headers: list[tuple[str, str]], method: str,
                                            version: str, close: bool) -> None:
    assert ours(status, headers, method, version, close) == h11_response(status, headers, method, version,
                                                                          close)


@pytest.mark.parametrize("headers", [
    [("Content-Length", "4096"), ("ETag", '"abc"'), ("x-amz-meta-a", "caf\xe9")],
    [], [("Connection", "close"), ("Content-Length", "0")], [("Transfer-Encoding", "chunked")],
    [("Content-Length", "5"), ("Content-Length", "5")], [("X", "a\r\nInjected: 1")], [("X", " lead")],
    [("X", "a\x00")], [("X", "\u20ac")], [("Bad Name", "x")],
])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
@pytest.mark.parametrize("version", ["1.1", "1.0"])
def test_response_heads_match_h11(headers: list[tuple[str, str]], method: str, version: str) -> None:
    for status in (200, 204, 304):
        for close in (False, True):
            assert ours(status, headers, method, version, close) == h11_response(
                status, headers, method, version, close)


# --------------------------------------------------------------------------- whole connections

def reference(raw: bytes) -> list[tuple[Any, ...]]:
    """What the h11-only HTTPConnection delivered for a connection carrying `raw`, then EOF."""
    conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
    conn.receive_data(raw)
    conn.receive_data(b"")
    out: list[tuple[Any, ...]] = []
    while True:
        try:
            event = conn.next_event()
        except h11.RemoteProtocolError as exc:
            return [*out, ("bad", 431 if exc.error_status_hint == 431 else 400)]
        if isinstance(event, h11.ConnectionClosed):
            return [*out, ("end",)]
        assert isinstance(event, h11.Request), event
        target = event.target.decode("latin-1")
        headers = [(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in event.headers]
        if len(target) + sum(len(n) + len(v) + 4 for n, v in headers) > MAX_HEAD_BYTES:
            return [*out, ("bad", 431)]
        names = {n for n, _ in headers}
        if "transfer-encoding" in names and "content-length" in names:
            return [*out, ("bad", 400)]
        try:
            split_target(target)
        except BadRequest:
            return [*out, ("bad", 400)]
        body = b""
        while True:
            try:
                piece = conn.next_event()
            except h11.RemoteProtocolError as exc:
                status = 431 if exc.error_status_hint == 431 else 400
                return [*out, ("gone",) if conn.trailing_data[1] else ("bad", status)]
            if isinstance(piece, h11.Data):
                body += piece.data
            elif isinstance(piece, h11.EndOfMessage):
                break
            else:
                return [*out, ("gone",)]
        out.append(("req", event.method.decode(), target, headers, body))
        conn.send(h11.Response(status_code=200, headers=[("Content-Length", "0")]))
        conn.send(h11.EndOfMessage())
        if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
            return [*out, ("end",)]
        conn.start_next_cycle()


async def served(raw: bytes, cuts: list[int]) -> list[tuple[Any, ...]]:
    """What HTTPConnection delivers for `raw` sent in pieces cut at `cuts`, then EOF."""
    client, server = trio.testing.memory_stream_pair()
    conn = HTTPConnection(server)
    out: list[tuple[Any, ...]] = []

    async def serve() -> None:
        while True:
            try:
                req = await conn.next_request()
            except BadRequest as exc:
                out.append(("bad", exc.status))
                return
            if req is None:
                out.append(("end",))
                return
            try:
                body = b"".join([piece async for piece in conn.body()])
            except ClientGone:
                out.append(("gone",))
                return
            except BadRequest as exc:
                out.append(("bad", exc.status))
                return
            out.append(("req", req.method, req.target, req.headers, body))
            await conn.send(200, [])
            if not conn.reusable:
                out.append(("end",))
                return

    async def drain_replies() -> None:
        while await client.receive_some():
            pass

    async with trio.open_nursery() as nursery:
        nursery.start_soon(serve)
        nursery.start_soon(drain_replies)
        edges = [0, *sorted(set(c for c in cuts if 0 < c < len(raw))), len(raw)]
        for a, b in itertools.pairwise(edges):
            await client.send_all(raw[a:b])
            await trio.sleep(0.001)
        await client.send_eof()
        await trio.sleep(100)  # every wait under the timeouts: the server has seen everything
        nursery.cancel_scope.cancel()
    return out


@trio_test
async def assert_connection_agrees(raw: bytes, cuts: list[int]) -> None:
    ref = reference(raw)
    got = await served(raw, cuts)
    # A request the reference refused after the EOF it was fed whole may be one whose end the
    # served side never saw either: both must stop at the same request, with the same verdict.
    assert got == ref, (raw, cuts)


def put(body: bytes, extra: str = "") -> bytes:
    return f"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body


CONNECTIONS = [
    b"GET /b/k HTTP/1.1\r\nHost: h\r\n\r\n",
    put(b"hello") + b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    put(b"x" * 40, "Expect: 100-continue\r\n") + put(b"y"),
    b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    + put(b"after chunked"),
    b"PUT / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
    b"3\r\nabc\r\n0\r\n\r\n",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
    b"PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 3\r\n\r\nabc" + put(b"z"),
    b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n" + put(b"q"),
    b"GET / HTTP/1.0\r\n\r\n" + put(b"ignored: 1.0 closes"),
    b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + put(b"ignored"),
    b"GET / HTTP/1.1\nHost: h\n\n" + put(b"bare LF"),
    put(b"cut sh") [:-2],  # the body ends early
    b"GET / HTTP/1.1\r\nHost: h\r\n",  # the head ends early
    b"GET /%ff%fe HTTP/1.1\r\nHost: h\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: h\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",  # a blank line between
    b"\x16\x03\x01\x02\x00\x01\x00",
    b"GET / HTTP/1.1\r\nHost: h\r\n" + b"X-Fill: " + b"a" * (MAX_HEAD_BYTES + 10) + b"\r\n\r\n",
]


@pytest.mark.parametrize("raw", CONNECTIONS, ids=lambda raw: repr(raw[:30]))
def test_connection_split_at_every_byte_agrees_with_h11(raw: bytes) -> None:
    step = 1 if len(raw) < 400 else len(raw) // 50
    assert_connection_agrees(raw, [])
    for cut in range(1, len(raw), step):
        assert_connection_agrees(raw, [cut])
    assert_connection_agrees(raw, list(range(1, min(len(raw), 300))))  # a byte at a time: h11 gathers


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(heads(), st.sampled_from(CONNECTIONS[:4]), st.builds(put, st.binary(max_size=20))),
                min_size=1, max_size=3),
       st.binary(max_size=6), st.lists(st.integers(1, 400), max_size=4))
def test_generated_connections_agree_with_h11(parts: list[bytes], tail: bytes, cuts: list[int]) -> None:
    assert_connection_agrees(b"".join(parts) + tail, cuts)
