"""Giving memory back after load, and the low-memory setting.

A worker's memory after a burst of requests is mostly memory glibc's malloc keeps: buffers of
the block pipeline and of h11, freed, but held for reuse.  It never returns it by itself: after
16 concurrent 256 MiB PUTs and GETs a worker sat at 100 MiB against 51 idle.  Two things:

- Each worker, once a second, looks at its own resident size: when no request ran for that
  second and the size grew by more than TRIM_SLACK since it last gave memory back, it asks
  SQLite to drop its page caches (sized for load: engine/metadb.py) and calls malloc_trim(0),
  which hands the free pages inside malloc's heaps back to the kernel (milliseconds, only when
  idle).  The trim
  alone brought the figure above to 73-80 MiB.
- The rest sat at the top of the per-thread arenas glibc makes (up to 8 per core), which
  malloc_trim does not shrink and free() shrinks only past a threshold that grows with the
  largest buffer freed.  Python allocates under the GIL, so more arenas buy little: ARENAS (2)
  arenas per process brought it to 60-63 MiB; with the caches given back too, 45-53 MiB.

SQLite's page caches are bounded all along by a process-wide soft heap limit (engine/metadb.py).

The low-memory setting (`--low-memory`, CAIRN_LOW_MEMORY=on), for small machines: one worker
unless --workers says otherwise, 8 engine threads instead of 32, at most 4 request bodies
streaming through the engine at once (the others wait, in their sockets' buffers), and SQLite's
heap limited to 2 MiB.  What it gives is in the README (measured with bench/footprint.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import trio

from cairn.engine import metadb
from cairn.engine.api import ObjectLayer

from .metrics.requests import resident_bytes

if TYPE_CHECKING:
    from .app import S3App

log = logging.getLogger("cairn.server")

LOOK_SECONDS = 1.0
TRIM_SLACK = 4 << 20  # growth since memory was last given back that is worth giving back
ARENAS = 2
M_ARENA_MAX = -8  # glibc's mallopt parameter


@dataclass(frozen=True)
class MemorySetting:
    workers: int | None  # None: one per core
    thread_limit: int
    stream_limit: int
    sqlite_heap: int


NORMAL = MemorySetting(workers=None, thread_limit=32, stream_limit=256, sqlite_heap=metadb.SOFT_HEAP_LIMIT)
LOW = MemorySetting(workers=1, thread_limit=8, stream_limit=4, sqlite_heap=2 << 20)


def _libc_function(name: str) -> Any | None:
    """A function of the C library (glibc's malloc tuning), or None where there is none."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None


def limit_arenas(count: int = ARENAS) -> None:
    """At most `count` malloc arenas in this process and those it forks (glibc; call it before
    threads start: a thread that already has an arena keeps it)."""
    mallopt = _libc_function("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, count)


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's malloc_trim, or None (another C library: nothing to trim this way)."""
    trim = _libc_function("malloc_trim")
    if trim is not None:
        trim.argtypes = [ctypes.c_size_t]
        trim.restype = ctypes.c_int
    return trim


def release(layer: ObjectLayer, trim: Callable[[int], int]) -> None:
    """Give back the metadata stores' page caches, then malloc's free pages."""
    for drive in layer.drives:
        release_drive = getattr(drive, "release_memory", None)  # local drives; test wrappers may not
        if release_drive is not None:
            release_drive()
    trim(0)


async def release_when_idle(app: S3App) -> None:
    """Every LOOK_SECONDS: if no request ran during the whole last look (none in flight, none
    begun) and this process grew since it last gave memory back, give it back (`release`).  A
    moment with nothing in flight is not enough: under load it comes often, and dropping the
    caches there would cost their refilling."""
    trim = _malloc_trim() or (lambda pad: 0)
    floor = resident_bytes()
    seen = app.requests_begun
    while True:
        await trio.sleep(LOOK_SECONDS)
        quiet, seen = app.requests_begun == seen and not app.in_flight, app.requests_begun
        if not quiet or resident_bytes() < floor + TRIM_SLACK:
            continue
        try:
            await trio.to_thread.run_sync(release, app.layer, trim)
        except Exception:  # never worth a worker
            log.exception("giving memory back failed")
        floor = resident_bytes()
