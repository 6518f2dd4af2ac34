"""The event queue: bucket notification events waiting to be delivered, kept in the metadata store.

Theory of operation
-------------------
An event for a target is one record

    b"E" + target + b"\\0" + stamp (u64 ns, big-endian) + origin (8 random bytes) + count (u32)
        -> MAGIC + payload

in the index of one erasure set (the home set of a reserved name no bucket can have, as the
identity records), replicated like every record: `append` commits a request's events in one batch
on a write quorum of the set's drives (WriteQuorumError otherwise), so an event the caller was told
is queued survives the loss of any drives the set can lose, and restarts.  Keys are unique (the
origin is random per process, the count per process), so appends need no compare-and-swap; they
sort by time, then by process, so each target's events come out in the order they were queued
(across worker processes, in the order of their clocks).

The server appends a request's events right after the engine call that made them returned and
before it answers (server/notification.py), not in the object's own commit (the object may live
in another set, and each write path would have to carry them): a crash between the two commits,
a few milliseconds, loses the events of a change the client was never told had happened.

`batch` reads a target's oldest events with the same vote as a listing (a record a quorum of drives
does not hold is not there; a delete that reached a write quorum wins over a drive that missed
it); `remove` deletes delivered ones on a write quorum.  A delivery whose removal failed is
delivered again: the guarantee is at least once.  The payload is the caller's (the server stores
the webhook body it will send).  What gives when a target stays down is the caller's too: `count`
and `head_keys`/`tail` let it bound the queue (server/delivery.py).
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Sequence

from .listing import Lister, prefix_end
from .quorum import SetMeta

MAGIC = b"CEV\x01"
SLOT_NAME = "\x00events"  # the home set of the queue: no bucket can be named so
PREFIX = b"E"
STAMP_BYTES = 8 + 8 + 4


def target_prefix(target: str) -> bytes:
    if not target or "\x00" in target:
        raise ValueError(f"bad event target {target!r}")
    return PREFIX + target.encode() + b"\x00"


def _same(value: bytes) -> tuple[bytes, int]:
    return value, 0


class EventQueue:
    """The deployment's queued events (see the module docstring)."""

    def __init__(self, meta: SetMeta) -> None:
        self.meta = meta
        self._origin = os.urandom(8)
        self._pid = os.getpid()
        self._counter = itertools.count()
        self._lock = threading.Lock()

    def _suffix(self) -> bytes:
        with self._lock:
            if os.getpid() != self._pid:  # forked: another process, another origin
                self._pid, self._origin = os.getpid(), os.urandom(8)
            n = next(self._counter) & 0xFFFFFFFF
        return time.time_ns().to_bytes(8, "big") + self._origin + n.to_bytes(4, "big")

    def append(self, events: Sequence[tuple[str, bytes]]) -> list[bytes]:
        """Queue (target, payload) events in one commit on a write quorum; their keys, in order.
        WriteQuorumError (nothing to count on) when too few drives took them."""
        if not events:
            return []
        ops = [(target_prefix(target) + self._suffix(), MAGIC + payload) for target, payload in events]
        self.meta.commit_all(ops)
        return [key for key, _ in ops]

    def batch(self, target: str, limit: int, after: bytes | None = None, upto: bytes | None = None
              ) -> list[tuple[bytes, bytes]]:
        """Up to `limit` of the target's oldest events (key, payload), after the key `after` and
        below `upto` when given."""
        base = target_prefix(target)
        start = base if after is None else max(base, after + b"\x00")
        end = prefix_end(base) if upto is None else min(upto, prefix_end(base) or upto)
        lister = Lister([self.meta], start, end, identity=_same, first_batch=limit + 1)
        out: list[tuple[bytes, bytes]] = []
        while len(out) < limit and (item := lister.next()) is not None:
            key, value = item
            if value[:4] == MAGIC:
                out.append((key, value[4:]))
        return out

    def remove(self, keys: Sequence[bytes]) -> None:
        """Delete delivered (or dropped) events on a write quorum (WriteQuorumError otherwise:
        they stay, and are delivered again)."""
        if keys:
            self.meta.commit_all([(key, None) for key in keys])

    def count(self, target: str, limit: int) -> int:
        """How many events wait for the target, counting up to `limit` (a voted scan: for
        metrics and tests, not for every request)."""
        n, after = 0, None
        while n < limit:
            page = self.batch(target, min(1000, limit - n), after)
            if not page:
                break
            n += len(page)
            after = page[-1][0]
        return n

    def targets(self) -> list[str]:
        """The targets that have events waiting (one seek per target)."""
        out: list[str] = []
        start = PREFIX
        while True:
            lister = Lister([self.meta], start, prefix_end(PREFIX), identity=_same)
            item = lister.next()
            if item is None:
                return out
            name = item[0][1:item[0].index(b"\x00", 1)]
            out.append(name.decode())
            start = prefix_end(PREFIX + name + b"\x00") or b"\xff"


def key_stamp(key: bytes) -> int:
    """When an event was queued (ns since the epoch), from its key."""
    return int.from_bytes(key[-STAMP_BYTES:-12], "big")


def stamp_key(target: str, stamp_ns: int) -> bytes:
    """The smallest key of an event of the target queued at `stamp_ns` or later."""
    return target_prefix(target) + max(0, stamp_ns).to_bytes(8, "big")
