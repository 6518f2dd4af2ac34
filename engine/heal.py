"""Damage found while serving requests, queued for the healer.

Reads never fail over damage parity can cover; they report it here instead: which object, which
drives of its set, and why.  A report is kept twice:

- in this process's memory (bounded, so a dying drive cannot eat memory), for tests and status;
- in the set's metadata index, as a record `H<bucket>\\0<key>` (value: the reason), so that the
  scanner's heal job (heal_job.py), which runs in one process of the server, heals it first
  whichever worker found it, and a report outlives a restart.  The record is queued on the
  drives that are online without waiting for its commit (a GET must not wait on an fsync; the
  next group commit takes it), and a key is persisted once per process every REPORT_AGAIN_S: a
  dying drive would otherwise have every read of an object write a record.  Damage that names only drives that
  are offline is not persisted: nothing can be healed there until the drive is back, and the
  scanner's pass after that finds it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

HEAL_PREFIX = b"H"
SEEN_MAX = 100_000  # keys remembered as reported (then forgotten, oldest first)
REPORT_AGAIN_S = 600.0


@dataclass(frozen=True)
class HealItem:
    bucket: str
    key: str
    set_index: int
    drives: tuple[int, ...]  # drive indexes within the set
    reason: str  # "missing", "damaged", "stale metadata", ...


def heal_record_key(bucket: str, key: str) -> bytes:
    return HEAL_PREFIX + bucket.encode() + b"\x00" + key.encode()


def parse_heal_record_key(rkey: bytes) -> tuple[str, str]:
    bucket, _, key = rkey[len(HEAL_PREFIX):].partition(b"\x00")
    return bucket.decode(), key.decode()


class HealQueue:
    def __init__(self, capacity: int = 100_000) -> None:
        self._items: deque[HealItem] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], float] = {}  # key -> when last persisted
        self.reported = 0
        self.persist: Callable[[HealItem], None] | None = None  # set by the ObjectLayer

    def report(self, item: HealItem) -> None:
        with self._lock:
            self._items.append(item)
            self.reported += 1
            now = time.monotonic()
            first = now - self._seen.get((item.bucket, item.key), -REPORT_AGAIN_S) >= REPORT_AGAIN_S
            if first:
                self._seen.pop((item.bucket, item.key), None)
                self._seen[item.bucket, item.key] = now
                if len(self._seen) > SEEN_MAX:
                    del self._seen[next(iter(self._seen))]
        if first and self.persist is not None:
            self.persist(item)

    def drain(self) -> list[HealItem]:
        with self._lock:
            items = list(self._items)
            self._items.clear()
            return items

    def __len__(self) -> int:
        return len(self._items)
