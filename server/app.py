"""The S3 application: one trio task per connection, each request through one short pipeline.

Theory of operation
-------------------
    route -> authenticate -> authorize -> handle -> notify -> cors -> respond -> count

`route` names the AWS operation and its bucket and key (router.py, a pure
function; a request to a bucket's static website is the "Website" operation,
website.py: anonymous, its errors HTML pages); `authenticate` checks the
signature (auth/) against the directory of principals (iam/directory.py: the
root user, IAM users, service accounts, temporary credentials); `authorize`
decides whether that principal may do that operation (authorization.py:
identity, session and bucket policies, ACL grants);
`handle` calls the operation's
handler (handlers/), which translates between HTTP and the ObjectLayer and
returns a Response whose body is bytes or an async iterator of buffers; `notify`
queues the events of the bucket's notification configuration, durably, before the answer goes
out (notification.py; a dictionary lookup for a bucket without one); `cors`
adds the CORS headers of the bucket's matching rule to the answer, success or
error, of a request that carries an Origin (cors.py; a preflight is its own
operation); `respond` sends it; `count` adds the request to this worker's metrics
(metrics/requests.py: operation, status, bytes in and out, time to first byte; a few
integer additions, flushed to the shared metrics every second).  The access log will be a
step beside it.  Every failure
is an S3Error (engine exceptions through the one table in errors.py) and
becomes S3's XML error body with the request id; 5xx answers and refused
credentials are logged with it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import time
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

import trio

from cairn.engine.api import ObjectLayer
from cairn.engine.errors import EngineError

from . import trace
from .auth import S3_ENDPOINT, Endpoint, authenticate
from .auth.errors import AuthError
from .authorization import authorize
from .body import decoded_payload
from .context import Context, Handler, Identity, PayloadMode, Response, ServerConfig
from .cors import response_headers, rules_for
from .errors import S3Error, from_engine
from .handlers.sts import error_body as sts_error_body
from .http import BadRequest, ClientGone, HTTPConnection, Request, serve
from .iam.directory import Directory
from .logs import log_request
from .metadata import http_date
from .metrics.requests import CANCELED_STATUS, RECORDER
from .notification import EMITTING, Notifier
from .router import Route, route
from .routes import PREFLIGHT
from .website import WEBSITE, website_route
from .website import error_response as website_error_response
from .xml import XML_HEADER, error_xml

log = logging.getLogger("cairn.server")

_ANONYMOUS = Identity(None, "anonymous", PayloadMode("unsigned"))


def _sts_error(exc: S3Error, request_id: str, host_id: str) -> Response:
    content_type, body = sts_error_body(exc.code, exc.message, request_id)
    return Response(exc.status, [("Content-Type", content_type)], body)


# What the credential scope names at endpoints other than S3's (minio-py and mc sign STS and admin
# requests with an empty region, which MinIO accepts), and how they answer errors.
ENDPOINTS = {"AssumeRole": Endpoint("sts", empty_region=True), "AdminApi": Endpoint(empty_region=True)}
ERROR_RESPONSES: dict[str, Callable[[S3Error, str, str], Response]] = {
    "AssumeRole": _sts_error, WEBSITE: website_error_response}
MAX_EARLY_BODY = 64 * 1024
# Not S3 requests: MinIO's S3 metrics do not count its probes, its metrics or its admin API either.
UNCOUNTED = frozenset({"HealthLive", "HealthReady", "HealthCluster", "HealthClusterRead", "AdminApi",
                       "CairnApi", "MetricsCluster", "MetricsNode", "MetricsBucket"})


async def replay(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


class S3App:
    def __init__(self, layer: ObjectLayer, config: ServerConfig,
                 handlers: Mapping[str, Handler] | None = None) -> None:
        from .handlers import HANDLERS

        self.layer = layer
        self.config = config
        self.directory = Directory(layer.iam, config.root_user, config.root_password)
        self.handlers = dict(handlers or HANDLERS)
        self.limiter = trio.CapacityLimiter(config.thread_limit)
        self.stream_limiter = trio.CapacityLimiter(config.stream_limit)
        self.host_id = hashlib.sha256(os.urandom(16)).hexdigest()[:32]
        self.notifier = Notifier(self.host_id)
        self._counter = 0
        self.in_flight = 0
        self._pid_hex = f"{os.getpid() & 0xFFFF:04X}"  # the app is made in the worker that runs it

    @property
    def requests_begun(self) -> int:
        """Requests this app has begun (each takes a request id): the memory step's sign of load."""
        return self._counter

    def request_id(self) -> str:
        self._counter += 1
        return f"{time.time_ns() // 1000:X}{self._pid_hex}{self._counter & 0xFFFF:04X}"

    async def serve_connection(self, stream: trio.abc.Stream) -> None:
        await serve(stream, self._serve_request, self._bad_request)

    async def _serve_request(self, conn: HTTPConnection, req: Request) -> None:
        self.in_flight += 1
        try:
            await self.handle(conn, req)
        finally:
            self.in_flight -= 1

    async def _bad_request(self, conn: HTTPConnection, exc: BadRequest) -> None:
        conn.must_close = True
        why, status = str(exc), exc.status
        code = "RequestHeaderSectionTooLarge" if status == 431 else "BadRequest"
        body = error_xml(code, f"An error occurred when parsing the HTTP request: {why}",
                         resource="/", request_id=self.request_id(), host_id=self.host_id)
        with contextlib.suppress(ClientGone):
            await conn.send(status, [XML_HEADER], body)

    # -- the pipeline ---------------------------------------------------------------------------

    async def handle(self, conn: HTTPConnection, req: Request) -> None:
        started, sent = time.perf_counter(), conn.sent
        request_id = self.request_id()
        ctx: Context | None = None
        operation: str | None = None
        bucket: str | None = None
        try:
            host, web = req.header("host"), self.config.website_domain
            rt = None
            if web is not None and host is not None and web in host.lower():  # a bucket's website?
                rt = website_route(req.method, req.path, host, web)
            if rt is None:
                rt = route(req.method, req.path, req.query_map, req.header_map, host, self.config.domains)
            operation, bucket = rt.operation, rt.bucket
            if self.directory.stale():  # identities changed: read them off the event loop
                await trio.to_thread.run_sync(self.directory.refresh, limiter=self.limiter)
            endpoint = ENDPOINTS.get(rt.operation, S3_ENDPOINT)
            early = await self.read_early(conn, endpoint)
            if early is not None:
                endpoint = replace(endpoint, payload_sha256=hashlib.sha256(early).hexdigest())
            ctx = self.context(conn, req, rt, self.authenticate(rt, req, endpoint), request_id, early)
            await authorize(ctx)
            resp = await self.dispatch(ctx)
            if resp.status < 300 and (resp.events is not None or rt.operation in EMITTING):
                await self.notifier.emit(ctx, resp)  # queued before the answer: see notification.py
        except S3Error as exc:
            resp = self.error_response(req, exc, request_id, operation)
        except Exception:
            log.exception("%s %s: internal error (request %s)", req.method, req.target, request_id)
            resp = self.error_response(req, S3Error("InternalError"), request_id, operation)
        if req.header("origin") and operation != PREFLIGHT:  # only browsers send an Origin
            resp.headers = [*resp.headers, *await self.cors(req, ctx, bucket)]
        status, ttfb = resp.status, time.perf_counter() - started
        try:
            await self.respond(conn, req, resp, request_id)
        except ClientGone:
            status = CANCELED_STATUS
            raise
        finally:
            if ctx is not None:
                await ctx.payload.aclose()
            name = operation or "Unknown"
            bytes_in, bytes_out = conn.received - conn.request_start, conn.sent - sent
            if operation not in UNCOUNTED:  # the count step
                known = ctx is not None and ctx.access is not None and bucket is not None and \
                    ctx.access.buckets.get(bucket) is not None  # an existing bucket: counted per bucket too
                RECORDER.stats.record(name, status, bytes_in, bytes_out, ttfb, bucket if known else None)
            # trace.py: a clock read when nobody traces
            tracing = operation not in UNCOUNTED and bool(trace.tracers())
            took = time.perf_counter() - started if tracing or self.config.access_log else 0.0
            if tracing:
                trace.publish(trace.record(
                    node=req.header("host") or "", operation=name, method=req.method, path=req.path,
                    query=req.target.partition("?")[2], client=conn.peer, status=status,
                    started=time.time() - took, duration=took, ttfb=ttfb, bytes_in=bytes_in,
                    bytes_out=bytes_out,
                    headers={k: [v] for k, v in req.headers if k.lower() != "authorization"}))
            if self.config.access_log:  # logs.py: one line per request when asked
                principal = ctx.principal if ctx is not None else None
                log_request({"request_id": request_id, "remote": conn.peer,
                             "principal": principal.access_key if principal is not None else None,
                             "operation": name, "bucket": bucket or "",
                             "key": (ctx.key_name if ctx is not None else None) or "", "status": status,
                             "bytes_in": bytes_in, "bytes_out": bytes_out, "ttfb_ms": ttfb * 1000,
                             "duration_ms": took * 1000})

    async def cors(self, req: Request, ctx: Context | None, bucket: str | None) -> list[tuple[str, str]]:
        """The pipeline's CORS step: the headers of the rule that allows this request's Origin and
        method (the bucket's, else the server-wide default), none when no rule does.  The bucket
        is the one authorization loaded, else this process's cached copy, else read (only requests
        that carry an Origin get here, and only when authentication refused them before
        authorization looked)."""
        info = None
        if bucket is not None:
            access = ctx.access if ctx is not None else None
            if access is not None and bucket in access.buckets:
                info = access.buckets[bucket]
            elif (info := self.layer.cached_bucket(bucket)) is None:
                try:
                    info = await trio.to_thread.run_sync(self.layer.lookup_bucket, bucket,
                                                         limiter=self.limiter)
                except Exception:  # the answer goes out without CORS headers rather than fail
                    log.exception("%s %s: reading bucket %r for CORS failed", req.method, req.path, bucket)
                    return []
        principal = ctx.principal if ctx is not None else None
        anonymous = principal.kind == "anonymous" if principal is not None else (
            ctx is not None and ctx.identity.access_key is None)
        return response_headers(rules_for(info, self.config.cors_allow_origins), req.header_map, req.method,
                                anonymous)

    @staticmethod
    async def read_early(conn: HTTPConnection, endpoint: Endpoint) -> bytes | None:
        """The body of a request to a service that signs it without x-amz-content-sha256 (STS),
        read before authentication so its digest can be checked (small: bounded)."""
        if endpoint.service == "s3":
            return None
        pieces: list[bytes] = []
        size = 0
        try:
            async for piece in conn.body():
                size += len(piece)
                if size > MAX_EARLY_BODY:
                    raise S3Error("InvalidRequest", "The request body is too large.")
                pieces.append(piece)
        except (ClientGone, BadRequest):
            conn.must_close = True
            raise S3Error("IncompleteBody") from None
        return b"".join(pieces)

    def authenticate(self, rt: Route, req: Request, endpoint: Endpoint = S3_ENDPOINT) -> Identity:
        if rt.operation.startswith(("Health", "Metrics")) or rt.operation in (PREFLIGHT, WEBSITE):
            return _ANONYMOUS  # a preflight of a presigned URL carries its query, not meant for OPTIONS;
            # a website is read by everybody alike, whatever credentials come along
        # A virtual-hosted request's bucket is not in its path; SigV2 signs it all the same.
        in_path = rt.bucket is None or req.path == f"/{rt.bucket}" or req.path.startswith(f"/{rt.bucket}/")
        return authenticate(req.method, req.path, req.query, req.headers, self.directory,
                            datetime.now(UTC), raw_path=req.raw_path, bucket=None if in_path else rt.bucket,
                            endpoint=endpoint)

    def context(self, conn: HTTPConnection, req: Request, rt: Route, identity: Identity,
                request_id: str, early: bytes | None = None) -> Context:
        trailers: dict[str, str] = {}
        payload = decoded_payload(conn, identity.payload, trailers) if early is None else replay(early)
        return Context(req, rt.operation, rt.bucket, rt.key, identity, request_id, self.layer, self.config,
                       self.limiter, self.stream_limiter, payload, trailers, self.directory, conn.peer)

    async def dispatch(self, ctx: Context) -> Response:
        handler = self.handlers.get(ctx.operation)
        if handler is None and (ctx.principal is None or ctx.principal.kind == "anonymous"):
            raise S3Error("AccessDenied")  # what is not implemented is not said to strangers
        if handler is None:
            raise S3Error("NotImplemented", f"{ctx.operation} is not implemented by this server yet.")
        try:
            return await handler(ctx)
        except EngineError as exc:
            raise from_engine(exc) from exc

    def error_response(self, req: Request, exc: S3Error, request_id: str, operation: str | None = None
                       ) -> Response:
        if exc.code == "NotImplemented":  # a feature asked for, not a fault: the message says which
            log.info("%s %s: %s (request %s)", req.method, req.path, exc.message, request_id)
        elif exc.status >= 500:
            log.error("%s %s: %s %s (request %s)", req.method, req.path, exc.status, exc.code, request_id)
        elif isinstance(exc, AuthError) or exc.code == "AccessDenied":
            log.warning("%s %s: refused, %s (request %s)", req.method, req.path, exc.code, request_id)
        render = ERROR_RESPONSES.get(operation or "")
        if render is not None:  # an endpoint that is not S3's answers in its own format
            return render(exc, request_id, self.host_id)
        body = error_xml(exc.code, exc.message, resource=req.path, request_id=request_id,
                         host_id=self.host_id, extra=exc.extra)
        headers = [XML_HEADER, *exc.headers.items()]
        if exc.status >= 500 and exc.code.startswith("Insufficient"):
            headers.append(("Retry-After", "1"))
        return Response(exc.status, headers, body)

    def common_headers(self, request_id: str) -> list[tuple[str, str]]:
        return [
            ("Server", "Cairn"),
            ("Date", http_date()),
            ("x-amz-request-id", request_id),
            ("x-amz-id-2", self.host_id),
        ]

    async def respond(self, conn: HTTPConnection, req: Request, resp: Response, request_id: str) -> None:
        headers = [*self.common_headers(request_id), *resp.headers]
        head_only = req.method == "HEAD"
        if isinstance(resp.body, bytes):
            length = resp.length if resp.length is not None else len(resp.body)
            if resp.status not in (204, 304):
                headers.append(("Content-Length", str(length)))
            await conn.send(resp.status, headers, resp.body, head_only=head_only)
            return
        if resp.length is not None:
            headers.append(("Content-Length", str(resp.length)))
        await conn.start(resp.status, headers)
        try:
            async with contextlib.aclosing(resp.body):  # type: ignore[type-var]
                async for piece in resp.body:
                    await conn.write(piece)
        except (S3Error, EngineError) as exc:
            # Too late for an error body: the client sees a short response and a closed connection.
            log.warning("%s %s failed after the response started: %s (request %s)", req.method, req.path,
                        exc, request_id)
            conn.must_close = True
            raise ClientGone(str(exc)) from None
        except Exception:
            log.exception("%s %s: internal error after the response started (request %s)", req.method,
                          req.target, request_id)
            conn.must_close = True
            raise ClientGone("internal error") from None
        await conn.finish()
