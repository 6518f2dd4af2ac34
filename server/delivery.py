"""Delivering queued bucket notification events to the operator's webhook targets.

Theory of operation
-------------------
One process delivers: the janitor worker (serve.py), one trio task per target defined at start,
so a target that is down or slow holds up only its own events, and never a request (requests
only append to the queue, notification.py).  A task repeats:

1. Count what was queued since its last look (`Tally`): the target's events after the last key
   it counted, up to a quarter of a second ago (so that a worker's append still in flight is not
   passed over).  Beyond the target's queue limit (MinIO's QUEUE_LIMIT, 100,000 by default), the
   newest events are dropped, logged and counted, as MinIO's queue store refuses events once it
   is full: the queue, and the drives under it, stay bounded whatever a target's downtime.
2. Send the oldest counted events in order, one POST each with MinIO's webhook body (stored as
   queued) and its `Authorization` (`Bearer <token>`, or the token as given when it already has
   a scheme, as MinIO), and remove those the target took (a 2xx answer) from the queue in one
   commit.  A failure (refused connection, timeout, another status) stops the round; the next
   one comes after a backoff doubling from BACKOFF_MIN to BACKOFF_MAX while the target stays
   down, so every event waits until it is taken.  A crash between a POST and the removal sends
   that event again: delivery is at least once, in the order of the queue.

The HTTP client is h11 over trio's TCP (and TLS) streams, one connection per target kept open
between events while the target allows it, every exchange under a deadline, so a target that
accepts and never answers costs its own task a timeout, nothing else.  Events whose
target is no longer defined stay queued (logged at start) until it is defined again.
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

import h11
import trio

from cairn.engine.api import ObjectLayer
from cairn.engine.event_queue import stamp_key

from .context import WebhookTarget

log = logging.getLogger("cairn.server")
T = TypeVar("T")

BATCH = 100
POLL_SECONDS = 0.2  # how often an idle target's queue is looked at
SETTLE_NS = 250_000_000  # events younger than this are left for the next look
BACKOFF_MIN, BACKOFF_MAX = 0.5, 10.0
CONNECT_TIMEOUT, EXCHANGE_TIMEOUT = 5.0, 10.0
MAX_RESPONSE = 1 << 20


@dataclass
class TargetStats:
    """What a target's delivery did, for logs and metrics (pending is what waits)."""

    pending: int = 0
    delivered: int = 0
    failed: int = 0  # attempts that failed
    dropped: int = 0  # events over the queue limit
    last_error: str = ""
    online: bool = True


STATS: dict[str, TargetStats] = {}  # by target name, in the process that delivers


def pending_events() -> dict[str, int]:
    """Events waiting per target, as the delivering process (the janitor) counts them: free to
    ask, but only that process has the numbers (for metrics)."""
    return {name: stats.pending for name, stats in STATS.items()}


def queued_events(layer: ObjectLayer, targets: tuple[WebhookTarget, ...]) -> dict[str, int]:
    """Events waiting per target as the metadata store holds them, from any process (blocking,
    a voted scan of the backlog: its cost grows with it, up to each target's queue limit)."""
    return {t.name: layer.events.count(t.name, t.queue_limit + 1) for t in targets}


# -- the HTTP client --------------------------------------------------------------------------

class DeliveryError(Exception):
    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


def authorization(token: str) -> list[tuple[str, str]]:
    """MinIO's rule: a token of one word is a Bearer token; "<scheme> <credentials>" goes as is."""
    words = token.split()
    if len(words) == 1:
        return [("Authorization", f"Bearer {token}")]
    if len(words) == 2:
        return [("Authorization", token)]
    return []


class WebhookClient:
    """POSTs to one endpoint over a connection kept open between events while the target keeps
    it open (HTTP/1.1 keep-alive), a new one otherwise."""

    def __init__(self, endpoint: str, token: str = "", timeout: float = EXCHANGE_TIMEOUT) -> None:
        url = urlsplit(endpoint)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise DeliveryError(f"bad endpoint {endpoint!r}")
        self.url, self.timeout = url, timeout
        self.host, self.port = url.hostname, url.port or (443 if url.scheme == "https" else 80)
        self.target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        self.headers = [("Host", url.netloc.rpartition("@")[2]), ("User-Agent", "Cairn"),
                        ("Content-Type", "application/json"), *authorization(token)]
        self.stream: trio.abc.Stream | None = None
        self.conn: h11.Connection | None = None

    async def post(self, body: bytes) -> int:
        """POST `body`; the answer's status.  DeliveryError when the exchange fails or takes
        longer than the timeout.  A kept connection the target closed meanwhile is replaced once."""
        reused = self.stream is not None
        try:
            return await self._post(body)
        except DeliveryError as exc:
            await self.close()
            if not reused or exc.timed_out:
                raise
        return await self._post(body)

    async def _post(self, body: bytes) -> int:
        try:
            with trio.fail_after(self.timeout):
                if self.stream is None or self.conn is None:
                    with trio.fail_after(CONNECT_TIMEOUT):
                        self.stream = await self._connect()
                    self.conn = h11.Connection(h11.CLIENT)
                status = await _exchange(self.stream, self.conn, self.target,
                                         [*self.headers, ("Content-Length", str(len(body)))], body)
        except trio.TooSlowError:
            raise DeliveryError(f"no answer within {self.timeout:g}s", timed_out=True) from None
        except (OSError, trio.BrokenResourceError, h11.ProtocolError, ssl.SSLError) as exc:
            raise DeliveryError(str(exc) or type(exc).__name__) from None
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        else:
            await self.close()
        return status

    async def _connect(self) -> trio.abc.Stream:
        if self.url.scheme == "https":
            context = ssl.create_default_context()
            return await trio.open_ssl_over_tcp_stream(self.host, self.port, ssl_context=context)
        return await trio.open_tcp_stream(self.host, self.port)

    async def close(self) -> None:
        stream, self.stream, self.conn = self.stream, None, None
        if stream is not None:
            with trio.CancelScope(shield=True):
                await stream.aclose()


async def post(endpoint: str, body: bytes, token: str = "", timeout: float = EXCHANGE_TIMEOUT) -> int:
    """POST `body` as JSON to `endpoint` on a connection of its own; the answer's status."""
    client = WebhookClient(endpoint, token, timeout)
    try:
        return await client.post(body)
    finally:
        await client.close()


async def _exchange(stream: trio.abc.Stream, conn: h11.Connection, target: str,
                    headers: list[tuple[str, str]], body: bytes) -> int:
    head = conn.send(h11.Request(method="POST", target=target, headers=headers)) or b""
    tail = (conn.send(h11.Data(data=body)) or b"") + (conn.send(h11.EndOfMessage()) or b"")
    await stream.send_all(head + tail)
    status: int | None = None
    received = 0
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            data = await stream.receive_some(65536)
            received += len(data)
            if received > MAX_RESPONSE:
                raise DeliveryError("answer too large")
            conn.receive_data(bytes(data))
        elif isinstance(event, h11.Response):
            status = event.status_code
        elif isinstance(event, h11.EndOfMessage | h11.ConnectionClosed):
            if status is None:
                raise DeliveryError("connection closed without an answer")
            return status


# -- the delivery loop ------------------------------------------------------------------------

@dataclass
class Tally:
    """The events of a target counted so far: up to which key, and how many wait."""

    tail: bytes | None = None
    stats: TargetStats = field(default_factory=TargetStats)


class Delivery:
    """Delivers one target's queued events (see the module docstring)."""

    def __init__(self, layer: ObjectLayer, target: WebhookTarget, limiter: trio.CapacityLimiter) -> None:
        self.layer, self.target, self.limiter = layer, target, limiter
        self.tally = Tally(stats=STATS.setdefault(target.name, TargetStats()))
        self.backoff = 0.0
        self.client = WebhookClient(target.endpoint, target.auth_token)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        return await trio.to_thread.run_sync(fn, *args, limiter=self.limiter)

    async def count_new(self) -> None:
        """Step 1: count the events queued since the last look, dropping those over the limit."""
        queue, name, stats = self.layer.events, self.target.name, self.tally.stats
        upto = stamp_key(name, time.time_ns() - SETTLE_NS)
        while page := await self._run(queue.batch, name, 1000, self.tally.tail, upto):
            self.tally.tail = page[-1][0]
            room = max(0, self.target.queue_limit - stats.pending)
            if len(page) > room:
                over = [key for key, _ in page[room:]]
                await self._run(queue.remove, over)
                stats.dropped += len(over)
                log.error("notification target %s: queue limit %d reached, %d events dropped", name,
                          self.target.queue_limit, len(over))
            stats.pending += min(room, len(page))

    async def deliver_some(self) -> int:
        """Step 2: send the oldest counted events; how many the target took (-1: it failed)."""
        if self.tally.tail is None:
            return 0
        queue, name, stats = self.layer.events, self.target.name, self.tally.stats
        batch = await self._run(queue.batch, name, BATCH, None, self.tally.tail + b"\x00")
        taken: list[bytes] = []
        failed = False
        for key, body in batch:
            try:
                status = await self.client.post(body)
                if not 200 <= status < 300:
                    raise DeliveryError(f"answered {status}")
            except DeliveryError as exc:
                stats.failed += 1
                stats.last_error = str(exc)
                if stats.online:
                    log.warning("notification target %s (%s) is unreachable: %s; %d events wait", name,
                                self.target.endpoint, exc, stats.pending)
                stats.online = False
                failed = True
                break
            taken.append(key)
        if taken:
            await self._run(queue.remove, taken)
            stats.delivered += len(taken)
            stats.pending = max(0, stats.pending - len(taken))
            if not stats.online:
                log.warning("notification target %s is back: %d events wait", name, stats.pending)
                stats.online = True
        return -1 if failed else len(taken)

    async def run(self) -> None:
        while True:
            try:
                await self.count_new()
                done = await self.deliver_some()
            except Exception as exc:  # the store itself failed (quorum lost): try again later
                log.warning("notification target %s: queue unavailable: %s", self.target.name, exc)
                done = -1
            if done < 0:
                self.backoff = min(BACKOFF_MAX, max(BACKOFF_MIN, self.backoff * 2))
                await trio.sleep(self.backoff)
            else:
                self.backoff = 0.0
                if done == 0:
                    await trio.sleep(POLL_SECONDS)


async def run_delivery(layer: ObjectLayer, targets: tuple[WebhookTarget, ...],
                       limiter: trio.CapacityLimiter) -> None:
    """Deliver every defined target's events until cancelled (the janitor's task)."""
    try:
        waiting = await trio.to_thread.run_sync(layer.events.targets, limiter=limiter)
    except Exception:
        log.exception("notification: reading the event queue failed")
        waiting = []
    names = {t.name for t in targets}
    for name in waiting:
        if name not in names:
            log.warning("notification: events wait for target %s, which is not defined: they stay queued",
                        name)
    async with trio.open_nursery() as nursery:
        for target in targets:
            nursery.start_soon(Delivery(layer, target, limiter).run)
