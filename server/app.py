"""The S3 application: one trio task per connection, requests dispatched by operation name.

Theory of operation
-------------------
For each request: split and decode the target (http.py), route it to an AWS
operation (router.py, a pure function), authenticate it (auth/), then call
`handle_<operation>` from handlers/.  Handlers translate between HTTP and the
ObjectLayer and nothing else; they return a Response whose body is bytes or
an async iterator of buffers (a GET streams block by block).  Every error
becomes S3's XML error body with the request id; engine exceptions go
through the one table in errors.py.  Engine calls block, so they run in
worker threads under a CapacityLimiter.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email.utils
import functools
import hashlib
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import trio

from cairn.engine.api import ObjectLayer
from cairn.engine.errors import EngineError

from . import s3xml
from .auth import Credentials, Identity, PayloadMode, authenticate
from .auth.chunked import AwsChunkedDecoder
from .auth.errors import AuthError
from .errors import S3Error, from_engine
from .http import BadRequest, ClientGone, HTTPConnection, Request
from .router import Route, RouteError, route

log = logging.getLogger("cairn.server")
T = TypeVar("T")

MAX_XML_BODY = 2 << 20  # bytes of XML a client may send us (DeleteObjects of 1000 long keys fits)


@dataclass
class ServerConfig:
    region: str = "us-east-1"
    domains: tuple[str, ...] = ()
    root_user: str = "cairnadmin"
    root_password: str = "cairnadmin"
    thread_limit: int = 32
    stale_upload_seconds: float = 24 * 3600.0  # multipart uploads older than this are aborted; 0: never


class RootCredentials:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user, password

    def secret_for(self, access_key: str) -> str | None:
        return self.password if access_key == self.user else None


Body = bytes | AsyncIterator[bytes | memoryview]


@dataclass
class Response:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Body = b""
    length: int | None = None  # Content-Length of a streamed body (or of the GET a HEAD stands for)


@dataclass
class Context:
    """What a handler gets: the request, its route and identity, and the engine."""

    app: S3App
    conn: HTTPConnection
    req: Request
    route: Route
    identity: Identity
    request_id: str
    trailers: dict[str, str] = field(default_factory=dict)

    @property
    def layer(self) -> ObjectLayer:
        return self.app.layer

    @property
    def bucket(self) -> str:
        assert self.route.bucket is not None
        return self.route.bucket

    @property
    def key(self) -> str:
        assert self.route.key is not None
        return self.route.key

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.req.header(name, default)

    @property
    def query(self) -> dict[str, str]:
        return self.req.query_map

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking engine call in a worker thread."""
        return await trio.to_thread.run_sync(functools.partial(fn, *args, **kwargs),
                                             limiter=self.app.limiter)

    async def body(self) -> AsyncIterator[bytes | memoryview]:
        """The request payload as it arrives, aws-chunked framing removed and chunk signatures
        checked; trailers (checksums) land in self.trailers once the body has ended."""
        mode = self.identity.payload
        try:
            if mode.kind.startswith("streaming"):
                decoder = AwsChunkedDecoder(mode)
                async for raw in self.conn.body():
                    for piece in decoder.feed(raw):
                        yield piece
                self.trailers = decoder.finish()
            else:
                async for raw in self.conn.body():
                    yield raw
        except (ClientGone, BadRequest):
            # The body ended early or its framing broke: nothing more can be read from here.
            self.conn.must_close = True
            raise S3Error("IncompleteBody") from None

    async def read_body(self, limit: int = MAX_XML_BODY) -> bytes:
        """A small body (XML), whole, with its signed SHA256 and Content-MD5 checked."""
        pieces: list[bytes] = []
        size = 0
        async for piece in self.body():
            size += len(piece)
            if size > limit:
                raise S3Error("MalformedXML", "The XML you provided was larger than allowed.")
            pieces.append(bytes(piece))
        data = b"".join(pieces)
        mode = self.identity.payload
        if mode.kind == "sha256" and hashlib.sha256(data).hexdigest() != mode.sha256:
            raise S3Error("XAmzContentSHA256Mismatch")
        expected = self.content_md5()
        if expected is not None and hashlib.md5(data).digest() != expected:
            raise S3Error("BadDigest")
        return data

    def content_md5(self) -> bytes | None:
        """The Content-MD5 header's digest, None when absent; InvalidDigest when malformed."""
        value = self.header("content-md5")
        if value is None:
            return None
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise S3Error("InvalidDigest") from None
        if len(raw) != 16:
            raise S3Error("InvalidDigest")
        return raw


Handler = Callable[[Context], Any]


def http_date(when: float | None = None) -> str:
    return email.utils.formatdate(when, usegmt=True)


class S3App:
    def __init__(self, layer: ObjectLayer, config: ServerConfig,
                 handlers: Mapping[str, Handler] | None = None) -> None:
        from .handlers import HANDLERS

        self.layer = layer
        self.config = config
        self.credentials: Credentials = RootCredentials(config.root_user, config.root_password)
        self.handlers = dict(handlers or HANDLERS)
        self.limiter = trio.CapacityLimiter(config.thread_limit)
        self.host_id = hashlib.sha256(os.urandom(16)).hexdigest()[:32]
        self._counter = 0
        self.in_flight = 0

    def request_id(self) -> str:
        self._counter += 1
        return f"{time.time_ns() // 1000:X}{os.getpid() & 0xFFFF:04X}{self._counter & 0xFFFF:04X}"

    async def serve_connection(self, stream: trio.abc.Stream) -> None:
        conn = HTTPConnection(stream)
        try:
            while True:
                try:
                    req = await conn.next_request()
                except BadRequest as exc:
                    await self._bad_request(conn, str(exc), exc.status)
                    return
                if req is None:
                    return
                self.in_flight += 1
                try:
                    await self.handle(conn, req)
                finally:
                    self.in_flight -= 1
                if not conn.reusable:
                    return
        except ClientGone:
            return
        finally:
            await conn.close()

    async def _bad_request(self, conn: HTTPConnection, why: str, status: int = 400) -> None:
        conn.must_close = True
        code = "RequestHeaderSectionTooLarge" if status == 431 else "BadRequest"
        body = s3xml.error_xml(code, f"An error occurred when parsing the HTTP request: {why}",
                               resource="/", request_id=self.request_id(), host_id=self.host_id)
        with contextlib.suppress(ClientGone):
            await conn.send(status, [("Content-Type", "application/xml")], body)

    def common_headers(self, request_id: str) -> list[tuple[str, str]]:
        return [
            ("Server", "Cairn"),
            ("Date", http_date()),
            ("x-amz-request-id", request_id),
            ("x-amz-id-2", self.host_id),
        ]

    async def handle(self, conn: HTTPConnection, req: Request) -> None:
        request_id = self.request_id()
        started = False
        try:
            try:
                rt = route(req.method, req.path, req.query_map, req.header_map, req.header("host"),
                           self.config.domains)
                identity = self.authenticate(rt, req)
                handler = self.handlers.get(rt.operation)
                if handler is None:
                    raise S3Error("NotImplemented",
                                  f"{rt.operation} is not implemented by this server yet.")
                ctx = Context(self, conn, req, rt, identity, request_id)
                resp: Response = await handler(ctx)
            except EngineError as exc:
                raise from_engine(exc) from exc
            except (AuthError, RouteError) as exc:
                error = S3Error(exc.code, exc.message, exc.status, **getattr(exc, "extra", {}))
                error.headers = dict(getattr(exc, "headers", {}))
                raise error from exc
            except s3xml.XMLError as exc:
                raise S3Error(exc.code, exc.message) from exc
            headers = [*self.common_headers(request_id), *resp.headers]
            head_only = req.method == "HEAD"
            if isinstance(resp.body, bytes):
                length = resp.length if resp.length is not None else len(resp.body)
                if resp.status not in (204, 304):
                    headers.append(("Content-Length", str(length)))
                started = True
                await conn.send(resp.status, headers, resp.body, head_only=head_only)
                return
            if resp.length is not None:
                headers.append(("Content-Length", str(resp.length)))
            started = True
            await conn.start(resp.status, headers)
            try:
                async with contextlib.aclosing(resp.body):  # type: ignore[type-var]
                    async for piece in resp.body:
                        await conn.write(piece)
            except (S3Error, EngineError) as exc:
                # Too late for an error body: the client sees a short response and a closed connection.
                log.warning("%s %s failed after the response started: %s", req.method, req.path, exc)
                conn.must_close = True
                raise ClientGone(str(exc)) from None
            await conn.finish()
        except S3Error as exc:
            if started:
                raise ClientGone(str(exc)) from None
            await self.send_error(conn, req, exc, request_id)
        except ClientGone:
            raise
        except Exception as exc:
            log.exception("%s %s: internal error", req.method, req.target)
            if started:
                raise ClientGone(str(exc)) from None
            await self.send_error(conn, req, S3Error("InternalError"), request_id)

    def authenticate(self, rt: Route, req: Request) -> Identity:
        if rt.operation.startswith("Health"):
            return Identity(None, "anonymous", PayloadMode("unsigned"))
        # A virtual-hosted request's bucket is not in its path; SigV2 signs it all the same.
        in_path = rt.bucket is None or req.path == f"/{rt.bucket}" or req.path.startswith(f"/{rt.bucket}/")
        identity = authenticate(req.method, req.path, req.query, req.headers, self.credentials,
                                datetime.now(UTC), raw_path=req.raw_path,
                                bucket=None if in_path else rt.bucket)
        if identity.access_key is None:
            raise S3Error("AccessDenied")
        return identity

    async def send_error(self, conn: HTTPConnection, req: Request, exc: S3Error, request_id: str) -> None:
        resource = req.path
        body = s3xml.error_xml(exc.code, exc.message, resource=resource, request_id=request_id,
                               host_id=self.host_id, extra=exc.extra)
        headers = [*self.common_headers(request_id), ("Content-Type", "application/xml"),
                   *exc.headers.items()]
        if exc.status >= 500 and exc.code.startswith("Insufficient"):
            headers.append(("Retry-After", "1"))
        await conn.send(exc.status, headers, body, head_only=req.method == "HEAD")
