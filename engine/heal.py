"""Damage found while serving requests, queued for the healer.

Reads never fail over damage parity can cover; they report it here instead:
which object, which drives of its set, and why.  The healer (and `cairn
heal`) drain this queue; until then it is bounded so a dying drive cannot
eat memory.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class HealItem:
    bucket: str
    key: str
    set_index: int
    drives: tuple[int, ...]  # drive indexes within the set
    reason: str  # "missing", "damaged", "stale metadata", ...


class HealQueue:
    def __init__(self, capacity: int = 100_000) -> None:
        self._items: deque[HealItem] = deque(maxlen=capacity)
        self._lock = threading.Lock()
        self.reported = 0

    def report(self, item: HealItem) -> None:
        with self._lock:
            self._items.append(item)
            self.reported += 1

    def drain(self) -> list[HealItem]:
        with self._lock:
            items = list(self._items)
            self._items.clear()
            return items

    def __len__(self) -> int:
        return len(self._items)
