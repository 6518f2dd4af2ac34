"""The vocabulary of the server: a request as handlers see it, who sent it, what they answer.

This module imports nothing else of the server, so every other module (the HTTP layer,
authentication, the pipeline, each handler family) can depend on it without cycles.

- `Request`: what any HTTP front end must provide (http.py's h11 one does).
- `Identity` and `PayloadMode`: who signed the request and how its body must be read and
  checked (built by auth/).
- `Context`: everything a handler gets: the request, its operation, bucket and key, the
  identity, the engine, the server's configuration, and the request body as a stream.
- `Response`, and `Handler`, the type of every handler.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar, TypeVarTuple

import trio

from cairn.engine.api import ObjectLayer
from cairn.engine.kms import KeyRing

if TYPE_CHECKING:  # types only: this module imports nothing of the server at run time
    from .authorization import Access
    from .iam.directory import Directory, Principal
    from .tls import CertStore

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

PayloadKind = Literal["unsigned", "sha256", "streaming-signed", "streaming-unsigned-trailer",
                      "streaming-signed-trailer"]
AuthMethod = Literal["v4-header", "v4-query", "v2-header", "v2-query", "anonymous"]
Chunk = bytes | memoryview
Body = bytes | AsyncIterator[Chunk]


class Request(Protocol):
    """A request head, decoded: path and query percent-decoded, header names lower-case."""

    method: str
    target: str
    path: str
    raw_path: str
    query: list[tuple[str, str]]  # in the order sent
    headers: list[tuple[str, str]]  # in arrival order

    def header(self, name: str, default: str | None = None) -> str | None: ...

    @property
    def header_map(self) -> dict[str, str]: ...

    @property
    def query_map(self) -> dict[str, str]: ...

    @property
    def content_length(self) -> int | None: ...


@dataclass(frozen=True)
class PayloadMode:
    """How the body must be read and verified after authentication."""

    kind: PayloadKind
    sha256: str | None = None  # kind == "sha256": the lowercase hex digest the body must match
    decoded_length: int | None = None  # x-amz-decoded-content-length for streaming kinds
    trailer: str | None = None  # x-amz-trailer header value (e.g. "x-amz-checksum-crc32")
    seed_signature: str | None = None  # streaming-signed*: the request signature, first "previous"
    signing_key: bytes | None = field(default=None, repr=False)
    scope: str | None = None  # "20130524/us-east-1/s3/aws4_request"
    amz_date: str | None = None  # "20130524T000000Z"

    @property
    def streaming(self) -> bool:
        return self.kind.startswith("streaming")


@dataclass(frozen=True)
class Identity:
    access_key: str | None  # None: anonymous (no auth info at all)
    method: AuthMethod
    payload: PayloadMode
    session_token: str | None = field(default=None, repr=False)  # temporary credentials' token


UNSIGNED = PayloadMode("unsigned")


@dataclass(frozen=True)
class WebhookTarget:
    """A bucket notification target the operator defined (MinIO's notify_webhook): events for the
    ARN arn:minio:sqs:<region>:<id>:webhook are POSTed to `endpoint`; at most `queue_limit` of
    them wait while it is down (server/delivery.py)."""

    id: str
    endpoint: str
    auth_token: str = field(default="", repr=False)
    queue_limit: int = 100_000

    @property
    def name(self) -> str:
        """The target's name in the event queue and in ARNs: "<id>:webhook"."""
        return f"{self.id}:webhook"


@dataclass
class ServerConfig:
    region: str = "us-east-1"
    domains: tuple[str, ...] = ()
    root_user: str = "cairnadmin"
    root_password: str = "cairnadmin"
    thread_limit: int = 32  # engine calls at once (each a worker thread)
    stream_limit: int = 256  # engine calls that consume a request body at once (see body.py)
    stale_upload_seconds: float = 24 * 3600.0  # multipart uploads older than this are aborted; 0: never
    # The origins buckets without a CORS configuration allow (MinIO's default: any); () for none.
    cors_allow_origins: tuple[str, ...] = ("*",)
    # Server-side encryption: the master keys of SSE-S3/SSE-KMS (CAIRN_KMS_SECRET_KEY...), and whether
    # SSE-C keys may come over plain HTTP (CAIRN_SSE_C_ALLOW_HTTP=on: behind a TLS proxy, tests).
    kms: KeyRing = field(default_factory=KeyRing)
    sse_c_allow_http: bool = False
    # Lifecycle: the length of a lifecycle day (tests shorten it), and the background scanner that
    # applies the rules: its pause between two cycles and the entries it visits per second at most.
    lifecycle_day_seconds: float = 86400.0
    scanner_interval: float = 60.0
    scanner_rate: float = 1000.0
    # Healing by the scanner (engine/heal_job.py): a full pass, and a deep (bitrot) one, this often.
    heal_interval: float = 86400.0
    heal_deep_interval: float = 0.0  # 0: not given, settings.py's heal bitrotscan decides
    scanner_speed: str = ""  # --scanner-speed (server/scanner.py SPEEDS); "": settings.py decides
    # HTTPS: the certificates of --certs-dir (tls.py); None: plain HTTP.
    tls: CertStore | None = None
    access_log: bool = False  # --access-log: a line per request (logs.py)
    # Static websites: requests whose Host is "<bucket>.<website_domain>" are served as the bucket's
    # website (server/website.py); lower-case, no port; None: no website endpoint.
    website_domain: str | None = None
    # Bucket notifications: the targets events may be sent to (cli.py reads MinIO's
    # MINIO_NOTIFY_WEBHOOK_* variables and CAIRN_NOTIFY_WEBHOOK_*).
    webhooks: tuple[WebhookTarget, ...] = ()
    # The web console's HOST:PORT (--console-address; None: off), and whether the server may run
    # without it when that port is taken (the default address; an explicit one must listen).
    console_address: str | None = None
    console_optional: bool = True


@dataclass(frozen=True)
class ObjectEvent:
    """Something a request did to an object that bucket notifications report: the event's name
    ("s3:ObjectCreated:Put"), the key, the version, and the object's size and ETag (None: the
    pipeline looks them up, server/notification.py)."""

    name: str
    key: str
    version_id: str | None = None
    size: int | None = None
    etag: str | None = None


@dataclass
class Response:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: Body = b""
    length: int | None = None  # Content-Length of a streamed body (or of the GET a HEAD stands for)
    # What the request did to objects, for bucket notifications, when the pipeline cannot tell it
    # from the operation and the headers alone (DeleteObjects' keys, PostObject's key).
    events: list[ObjectEvent] | None = None


async def _no_body() -> AsyncGenerator[Chunk, None]:
    return
    yield b""  # pragma: no cover - makes this an async generator


@dataclass
class Context:
    """What a handler gets (see the module docstring).  `payload` is the request body as it
    arrives, its transfer framing (aws-chunked) removed and its chunk signatures checked;
    `trailers` holds the trailing headers (checksums) once the payload has ended."""

    request: Request
    operation: str
    bucket_name: str | None
    key_name: str | None
    identity: Identity
    request_id: str
    layer: ObjectLayer
    config: ServerConfig
    limiter: trio.CapacityLimiter
    stream_limiter: trio.CapacityLimiter
    payload: AsyncGenerator[Chunk, None] = field(default_factory=_no_body)
    trailers: dict[str, str] = field(default_factory=dict)
    directory: Directory = field(default=None, repr=False)  # type: ignore[assignment]  # set by the app
    source_ip: str = ""
    # Set by authorization (authorization.py) before the handler runs:
    principal: Principal = field(default=None, repr=False)  # type: ignore[assignment]
    access: Access = field(default=None, repr=False)  # type: ignore[assignment]

    @property
    def bucket(self) -> str:
        assert self.bucket_name is not None
        return self.bucket_name

    @property
    def key(self) -> str:
        assert self.key_name is not None
        return self.key_name

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.request.header(name, default)

    @property
    def query(self) -> dict[str, str]:
        return self.request.query_map

    async def run(self, fn: Callable[[*Ts], T], *args: *Ts) -> T:
        """Run a blocking engine call in a worker thread."""
        return await trio.to_thread.run_sync(fn, *args, limiter=self.limiter)

    async def run_streaming(self, fn: Callable[[*Ts], T], *args: *Ts) -> T:
        """Run an engine call that pulls the request body from its thread: it waits on the
        network, so it counts against its own limit and never holds up other requests' calls."""
        return await trio.to_thread.run_sync(fn, *args, limiter=self.stream_limiter)


Handler = Callable[[Context], Awaitable[Response]]
