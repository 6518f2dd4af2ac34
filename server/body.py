"""The request body: decoded as it arrives, read whole when it is a small document, or handed
to the engine as a stream.

Theory of operation
-------------------
`decoded_payload` is the body as the client meant it: aws-chunked framing removed and each
chunk's signature checked (auth/chunked.py), trailers (checksums sent after the body) stored
once it has ended.  It becomes Context.payload.

`read_body` takes a small body whole (an XML document) and checks its signed SHA-256 and
Content-MD5.  `EngineBody` is what the engine's put_object and upload_part consume: an
iterable the engine pulls from its worker thread.  A small body (at most CHUNK bytes
announced, unless its client waits for 100 Continue) is read in the event loop before the
engine is called, so its write is one thread hop; a larger one is fetched a CHUNK at a
time, each fetch a hop back to the event loop (trio.from_thread), never the whole body in
memory.  Such a call waits on the network
from its thread, so it runs under a limiter of its own (Context.run_streaming): slow or
stalled uploads never take the threads that other requests' engine calls need.  Its
trailing digests are asked for once the engine has taken the last byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncGenerator, Callable, Iterator, Mapping
from typing import TypeVar, TypeVarTuple

import trio

from cairn.engine.errors import ChecksumMismatch

from .auth.chunked import AwsChunkedDecoder
from .checksum_headers import content_md5, trailing_digest
from .context import Chunk, Context, PayloadMode
from .errors import S3Error
from .http import BadRequest, ClientGone, HTTPConnection

CHUNK = 1 << 20  # body bytes handed to the engine per thread hop
MAX_XML_BODY = 2 << 20  # bytes of XML a client may send us (DeleteObjects of 1000 long keys fits)
T = TypeVar("T")
Ts = TypeVarTuple("Ts")


async def decoded_payload(conn: HTTPConnection, mode: PayloadMode, trailers: dict[str, str]
                          ) -> AsyncGenerator[Chunk, None]:
    """The request payload as it arrives (see the module docstring)."""
    try:
        if mode.streaming:
            decoder = AwsChunkedDecoder(mode)
            async for raw in conn.body():
                for piece in decoder.feed(raw):
                    yield piece
            trailers.update(decoder.finish())
        else:
            async for raw in conn.body():
                yield raw
    except (ClientGone, BadRequest):
        # The body ended early or its framing broke: nothing more can be read from here.
        conn.must_close = True
        raise S3Error("IncompleteBody") from None


async def read_body(ctx: Context, limit: int = MAX_XML_BODY, too_large: S3Error | None = None) -> bytes:
    """A small body (XML, JSON, a form), whole, with its signed SHA256 and Content-MD5 checked;
    over `limit` bytes, `too_large` (MalformedXML by default) is raised."""
    pieces: list[bytes] = []
    size = 0
    async for piece in ctx.payload:
        size += len(piece)
        if size > limit:
            raise too_large or S3Error("MalformedXML", "The XML you provided was larger than allowed.")
        pieces.append(bytes(piece))
    data = b"".join(pieces)
    mode = ctx.identity.payload
    if mode.kind == "sha256" and hashlib.sha256(data).hexdigest() != mode.sha256:
        raise S3Error("XAmzContentSHA256Mismatch")
    expected = content_md5(ctx)
    if expected is not None and hashlib.md5(data).digest() != expected:
        raise S3Error("BadDigest")
    return data


class EngineBody:
    """A request body as the engine takes it (see the module docstring)."""

    def __init__(self, ctx: Context, trailer: str | None) -> None:
        self.ctx = ctx
        self.trailer = trailer
        self.first: list[Chunk] = []
        self.ended = False

    async def prefetch(self, size: int | None) -> EngineBody:
        """Read a body of at most CHUNK announced bytes whole before the engine is called: its
        write then costs one thread hop.  A larger one, or one whose client waits for 100
        Continue, is left for the engine to pull once it has checked the request (so that a
        refused request costs the client no body)."""
        waiting = (self.ctx.header("expect") or "").lower() == "100-continue"
        if size is not None and size <= CHUNK and not waiting:
            self.first, self.ended = await self._next()
        return self

    async def _next(self) -> tuple[list[Chunk], bool]:
        """Up to about CHUNK bytes of body, and whether the body has ended."""
        pieces: list[Chunk] = []
        size = 0
        async for piece in self.ctx.payload:
            pieces.append(piece)
            size += len(piece)
            if size >= CHUNK:
                return pieces, False
        return pieces, True

    def __iter__(self) -> Iterator[Chunk]:
        """The body's pieces; called from the engine's worker thread."""
        yield from self.first
        self.first = []
        while not self.ended:
            pieces, self.ended = trio.from_thread.run(self._next)
            yield from pieces

    def trailing_digests(self) -> Mapping[str, bytes]:
        """The checksum the trailer carried (asked once the body has ended)."""
        if self.trailer is None:
            return {}
        return {self.trailer: trailing_digest(self.ctx, self.trailer)}


async def write_body(ctx: Context, write: Callable[[*Ts], T], *args: *Ts) -> T:
    """Run an engine write that consumes the request body (put_object, upload_part).  A signed
    payload whose SHA-256 does not match is S3's XAmzContentSHA256Mismatch, not BadDigest."""
    try:
        return await ctx.run_streaming(write, *args)
    except ChecksumMismatch as exc:
        mode = ctx.identity.payload
        if exc.algorithm == "sha256" and mode.kind == "sha256" and mode.sha256 == exc.expected.hex():
            raise S3Error("XAmzContentSHA256Mismatch") from None
        raise
